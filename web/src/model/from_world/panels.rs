//! The panels' views: kube-proxy's rules, the pod filter's highlight, the
//! Deployments, explain and the EndpointSlices.

use svcplay_core::World;
use svcplay_core::diagnose::{Settings, check_world, for_service};
use svcplay_core::labels::selector_text;
use svcplay_core::objects::{NamespacedName, PodTemplate};
use svcplay_core::world::{WorkloadKind, WorkloadRef};

use crate::model::names::{key_of, ref_of, workload_id};
use svcplay_core::proxy::ProxyMode;
use svcplay_core::world::RulesFormat;

use crate::model::RulesView;
use crate::model::selectors::{self, Highlight};
use crate::model::{
    DeploymentView, EndpointRow, EndpointsView, ExplainView, FilterView, FindingView, SceneModel,
    SliceView,
};
use crate::palette::Palette;
use crate::state::{Edits, Field};

use super::cache::{ViewCache, open_connections};
use super::scene::selector_app;

/// What IPVS mode programs that the rules view does not show.
pub const IPVS_NOTE: &str = "IPVS mode programs IPVS virtual servers (ipvsadm) and \
    iptables rules matching ipsets, which are not rendered here. Shown: the \
    iptables-restore input iptables mode would write for the same Services.";

/// The rules panel: `World::rules` for the picked node (the first until picked), in
/// the form kube-proxy's mode writes: nft text in nftables mode, iptables text
/// otherwise (with a note for IPVS).
pub(super) fn rules(world: &World, edits: &Edits, cache: &mut ViewCache) -> RulesView {
    let nodes: Vec<String> = world.nodes().keys().cloned().collect();
    let node = edits
        .rules_node
        .clone()
        .filter(|n| nodes.contains(n))
        .or_else(|| nodes.first().cloned());
    let mode = world.config().proxy_mode;
    let nft = mode == ProxyMode::Nftables;
    let format = if nft {
        RulesFormat::Nftables
    } else {
        RulesFormat::Iptables
    };
    let ipvs = matches!(mode, ProxyMode::Ipvs(_));
    let text = node.as_ref().map_or_else(
        || "no nodes".to_owned(),
        |n| {
            let key = (world.revision(), n.clone(), format);
            cache
                .rules
                .get(key, || {
                    world.rules(n, format).unwrap_or_else(|e| e.to_string())
                })
                .clone()
        },
    );
    RulesView {
        nodes,
        node,
        nft,
        format: if nft {
            "nft transaction"
        } else {
            "iptables-restore input"
        },
        note: ipvs.then_some(IPVS_NOTE),
        text,
        proxy_mode: world.config().proxy_mode.as_str().to_owned(),
        proxy_error: edits.error(&Field::ProxyMode).cloned(),
    }
}

/// What highlights pods: the Service selector being typed when it parses, else the pod
/// filter when it parses and is not empty.
pub(super) fn highlight(world: &World, edits: &Edits) -> (Option<Highlight>, FilterView) {
    let text = edits.draft(&Field::PodFilter).cloned().unwrap_or_default();
    let parsed = (!text.trim().is_empty()).then(|| selectors::pod_filter(&text));
    let filter_hl = parsed
        .as_ref()
        .and_then(|r| r.clone().ok())
        .map(Highlight::Filter);
    let matched = filter_hl.as_ref().map(|h| {
        world
            .pods()
            .values()
            .filter(|p| h.matches(&p.metadata.labels))
            .count()
    });
    let mut counts: std::collections::BTreeMap<String, (usize, usize)> = world
        .namespaces()
        .iter()
        .map(|n| (n.clone(), (0, 0)))
        .collect();
    for k in world
        .services()
        .keys()
        .filter(|k| !world.is_built_in_service(k))
    {
        counts.entry(k.namespace.clone()).or_default().0 += 1;
    }
    for k in world.pods().keys() {
        counts.entry(k.namespace.clone()).or_default().1 += 1;
    }
    let filter = FilterView {
        error: parsed.and_then(Result::err),
        matched,
        text,
        // Namespaces with something to show, and the one picked even if empty.
        namespaces: counts
            .into_iter()
            .filter(|(n, (s, p))| *s + *p > 0 || edits.namespace.as_deref() == Some(n.as_str()))
            .map(|(n, (s, p))| (n, s, p))
            .collect(),
        namespace: edits.namespace.clone(),
    };
    let service_hl = edits
        .previewing
        .as_ref()
        .and_then(|svc| edits.draft(&Field::Selector(svc.clone())))
        .and_then(|t| selectors::service_selector(t).ok())
        .map(Highlight::Service);
    (service_hl.or(filter_hl), filter)
}

/// Fills the highlight of every pod and the selector box of every Service.
pub(super) fn mark(
    scene: &mut SceneModel,
    world: &World,
    highlight: Option<&Highlight>,
    edits: &Edits,
) {
    for pod in scene.nodes.iter_mut().flat_map(|n| n.pods.iter_mut()) {
        pod.highlight = highlight.map(|h| {
            world
                .pod(&key(&pod.name))
                .is_some_and(|p| h.matches(&p.metadata.labels))
        });
    }
    for s in &mut scene.services {
        let field = Field::Selector(s.name.clone());
        s.selector_draft = edits.draft(&field).cloned();
        s.selector_error = edits.error(&field).cloned();
        s.spec_error = edits.error(&Field::ServiceSpec(s.name.clone())).cloned();
    }
    for c in &mut scene.clients {
        for t in &mut c.targets {
            let field = Field::Rate(c.name.clone(), t.service.clone());
            t.rate_draft = edits.draft(&field).cloned();
            t.rate_error = edits.error(&field).cloned();
            let field = Field::Connections(c.name.clone(), t.service.clone());
            t.connections_draft = edits.draft(&field).cloned();
            t.client_error = edits.error(&field).cloned();
            let field = Field::Target(c.name.clone(), t.service.clone());
            t.target_draft = edits.draft(&field).cloned();
            t.target_error = edits.error(&field).cloned();
        }
    }
}

/// Every workload a user made (in the namespace on screen), with its counts from the
/// core (over owner references), its replicas box where the kind scales, and a
/// Deployment's template labels.
pub(super) fn deployments(
    world: &World,
    palette: &Palette,
    edits: &Edits,
    cache: &mut ViewCache,
) -> Vec<DeploymentView> {
    let key = (world.revision(), edits.namespace.clone());
    let mut out = cache
        .deployments
        .get(key, || {
            deployments_of(world, palette, edits.namespace.as_deref())
        })
        .clone();
    for d in &mut out {
        let replicas = Field::Replicas(d.name.clone());
        let template = Field::TemplateLabels(d.name.clone());
        d.replicas_draft = edits.draft(&replicas).cloned();
        d.replicas_error = edits.error(&replicas).cloned();
        d.labels_draft = edits.draft(&template).cloned();
        d.labels_error = edits.error(&template).cloned();
    }
    out
}

/// [`deployments`] without the boxes' drafts and errors: the objects' part.
fn deployments_of(
    world: &World,
    palette: &Palette,
    namespace: Option<&str>,
) -> Vec<DeploymentView> {
    world
        .workload_refs()
        .into_iter()
        .filter(|w| namespace.is_none_or(|ns| ns == w.key.namespace))
        .filter_map(|w| {
            let counts = world.workload_counts(&w)?;
            let id = workload_id(&w);
            let template = template_of(world, &w);
            let labels = template
                .map(|t| t.metadata.labels.clone())
                .unwrap_or_default();
            Some(DeploymentView {
                colour: palette.colour(labels.get("app").map(String::as_str)),
                kind: w.kind.kind(),
                title: format!("{}/{}", w.kind.short(), ref_of(&w.key)),
                scalable: w.kind.scales(),
                labels_editable: w.kind == WorkloadKind::Deployment,
                replicas: counts.desired,
                pods: counts.current,
                ready: counts.ready,
                succeeded: counts.succeeded,
                template_labels: selector_text(&labels),
                replicas_draft: None,
                replicas_error: None,
                labels_draft: None,
                labels_error: None,
                name: id,
            })
        })
        .collect()
}

/// A workload's pod template.
fn template_of<'w>(world: &'w World, w: &WorkloadRef) -> Option<&'w PodTemplate> {
    let k = &w.key;
    Some(match w.kind {
        WorkloadKind::Deployment => &world.deployments().get(k)?.spec.template,
        WorkloadKind::ReplicaSet => &world.replica_sets().get(k)?.spec.template,
        WorkloadKind::StatefulSet => &world.stateful_sets().get(k)?.spec.template,
        WorkloadKind::DaemonSet => &world.daemon_sets().get(k)?.spec.template,
        WorkloadKind::ReplicationController => world
            .replication_controllers()
            .get(k)?
            .spec
            .template
            .as_ref()?,
        WorkloadKind::Job => &world.jobs().get(k)?.spec.template,
        WorkloadKind::CronJob => &world.cron_jobs().get(k)?.spec.job_template.spec.template,
    })
}

/// The explain view: `World::explain(service, pod)` for the picked pair (the first
/// Service and, until the user picks a pod, its first ready endpoint).
pub(super) fn explain(world: &World, edits: &Edits, cache: &mut ViewCache) -> ExplainView {
    let shown = |ns: &str| edits.namespace.as_deref().is_none_or(|f| f == ns);
    let services: Vec<String> = world
        .services()
        .keys()
        .filter(|k| shown(&k.namespace))
        .map(ref_of)
        .collect();
    let pods: Vec<String> = world
        .pods()
        .keys()
        .filter(|k| shown(&k.namespace))
        .map(|k| ref_of(k))
        .collect();
    let service = edits
        .explain_service
        .clone()
        .filter(|s| services.contains(s))
        .or_else(|| services.first().cloned());
    // Until the user picks a pod, show one the Service routes to (its first ready
    // endpoint): the first pod by name would often be the client, and "pod client is not
    // an endpoint of service dev" reads as a fault to a newcomer.
    let first_endpoint = || {
        let svc = service.as_deref()?;
        let pod = world.ready_endpoints(&key(svc)).into_iter().next()?;
        Some(ref_of(&pod.metadata.key()))
    };
    let pod = edits
        .explain_pod
        .clone()
        .filter(|p| pods.contains(p))
        .or_else(first_endpoint)
        .or_else(|| pods.first().cloned());
    let mut view = ExplainView {
        services,
        pods,
        ..ExplainView::default()
    };
    if let (Some(svc), Some(p)) = (&service, &pod) {
        match world.explain(&key(svc), &key(p)) {
            Ok(x) => {
                view.is_endpoint = Some(x.is_endpoint());
                view.headline = match &x.endpoint {
                    Some(e) => format!(
                        "pod {} is an endpoint of service {}: {} in slice {} (ready {}, serving {}, terminating {})",
                        x.pod.name,
                        x.service.name,
                        e.address,
                        e.slice,
                        e.conditions.ready,
                        e.conditions.serving,
                        e.conditions.terminating
                    ),
                    None => format!(
                        "pod {} is not an endpoint of service {}",
                        x.pod.name, x.service.name
                    ),
                };
                view.reasons = x.reasons.iter().map(ToString::to_string).collect();
            }
            Err(e) => view.headline = e.to_string(),
        }
        let field = Field::PodLabels(p.clone());
        view.pod_labels = world
            .pod(&key(p))
            .map(|p| selector_text(&p.metadata.labels))
            .unwrap_or_default();
        view.labels_draft = edits.draft(&field).cloned();
        view.labels_error = edits.error(&field).cloned();
    }
    if let Some(svc) = &service {
        if world.pods().len() > MAX_DIAGNOSED_PODS {
            view.findings_note = Some(format!(
                "more than {MAX_DIAGNOSED_PODS} pods: the page does not diagnose this world at every frame (svcplay check does)"
            ));
        } else {
            let memo = (
                world.revision(),
                edits.imported.clone(),
                open_connections(world),
            );
            let all = cache.findings.get(memo, || {
                check_world(world, edits.imported.0.clone(), Settings::default())
            });
            let k = key(svc);
            view.findings = for_service(all, &k.namespace, &k.name)
                .map(FindingView::from)
                .collect();
        }
    }
    view.checked = edits.checked.clone();
    view.service = service;
    view.pod = pod;
    view
}

/// The most pods the explain view diagnoses at each refresh (10 per second).
/// Simplification: a larger world (the stress scenario) shows a note instead.
const MAX_DIAGNOSED_PODS: usize = 300;

/// Endpoints per Service (in the namespace on screen), read from its EndpointSlices
/// exactly as they are.
pub fn endpoints(world: &World, palette: &Palette, namespace: Option<&str>) -> Vec<EndpointsView> {
    world
        .services()
        .values()
        .filter(|s| !world.is_built_in_service(&s.metadata.key()))
        .filter(|s| namespace.is_none_or(|ns| ns == s.metadata.namespace))
        .map(|s| EndpointsView {
            service: ref_of(&s.metadata.key()),
            colour: palette.colour(selector_app(s).map(String::as_str)),
            selector: s
                .spec
                .selector
                .as_ref()
                .map(selector_text)
                .unwrap_or_default(),
            slices: world
                .endpoint_slices_for(&s.metadata.key())
                .into_iter()
                .map(|slice| SliceView {
                    name: slice.metadata.name.clone(),
                    ports: slice
                        .ports
                        .iter()
                        .map(|p| {
                            format!("{} {}/{}", p.name, p.port, p.protocol.as_str())
                                .trim()
                                .to_owned()
                        })
                        .collect(),
                    rows: slice
                        .endpoints
                        .iter()
                        .map(|e| EndpointRow {
                            pod: e
                                .pod_name()
                                .map(|p| ref_of(&NamespacedName::new(&s.metadata.namespace, p)))
                                .unwrap_or_default(),
                            pod_name: e.pod_name().unwrap_or_default().to_owned(),
                            ip: e.address().to_owned(),
                            node: e.node_name.clone().unwrap_or_default(),
                            ready: e.conditions.ready,
                            serving: e.conditions.serving,
                            terminating: e.conditions.terminating,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// The object a page name stands for.
fn key(name: &str) -> NamespacedName {
    key_of(name)
}
