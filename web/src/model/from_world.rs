//! Fills the view structs from today's core accessors.
//!
//! This is the one file that reads `svcplay_core::World` for the components: pods with
//! their readiness buttons, Services with their selector boxes, EndpointSlices, the
//! Deployments' controls and the explain view. Highlighting asks the core's matchers
//! (`model::selectors`).

use std::collections::BTreeSet;
use std::rc::Rc;

use svcplay_core::World;
use svcplay_core::objects::{Pod, PodPhase, Service};
use svcplay_core::world::{ClientKind, OutsideEntry, RulesFormat};

use crate::format;
use crate::model::RulesView;
use crate::model::selectors::{self, Highlight};
use crate::model::traffic::{self, Anchor, FLASH_MILLIS, FLIGHT_MILLIS, Fate};
use crate::model::{
    ClientTarget, ClientView, DeploymentView, EndpointRow, EndpointsView, Entry, ExplainView,
    FilterView, NodeView, PodState, PodView, ProbeControl, RequestLog, Route, SceneModel,
    ServiceLayer, ServiceView, ShareView, SliceView, TrafficModel,
};
use crate::palette::Palette;
use crate::state::{Edits, Field};

/// The name the idle outside user is drawn with.
pub const OUTSIDE_USER: &str = "user";

/// Everything the DOM draws (refreshed at most every `state::DOM_REFRESH_MILLIS`); the
/// canvas gets fresh flights every animation frame from [`flights`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    /// The cluster picture.
    pub scene: Rc<SceneModel>,
    /// Routes (flights left empty).
    pub traffic: TrafficModel,
    /// Request share per Service.
    pub shares: Rc<Vec<ShareView>>,
    /// Endpoints per Service.
    pub endpoints: Rc<Vec<EndpointsView>>,
    /// Deployments' controls.
    pub deployments: Rc<Vec<DeploymentView>>,
    /// The explain view.
    pub explain: Rc<ExplainView>,
    /// The pod filter box.
    pub filter: FilterView,
    /// kube-proxy's mode and rules.
    pub rules: Rc<RulesView>,
}

/// Builds a frame. `motion` says whether requests are animated; without motion a pod
/// flashes when it serves a request. `edits` are the boxes' drafts and errors.
pub fn frame(world: &World, log: &RequestLog, motion: bool, edits: &Edits) -> Frame {
    let palette = palette(world);
    let mut scene = scene(world, log, &palette, motion);
    let (highlight, filter) = highlight(world, edits);
    mark(&mut scene, world, highlight.as_ref(), edits);
    let traffic = TrafficModel {
        routes: Rc::new(routes(&scene)),
        layout_key: layout_key(&scene),
    };
    let shares = Rc::new(traffic::shares(
        log,
        &scene.services,
        &world.expected_shares(),
    ));
    let endpoints = Rc::new(endpoints(world, &palette));
    Frame {
        scene: Rc::new(scene),
        traffic,
        shares,
        endpoints,
        deployments: Rc::new(deployments(world, &palette, edits)),
        explain: Rc::new(explain(world, edits)),
        filter,
        rules: Rc::new(rules(world, edits)),
    }
}

/// The rules panel: `World::rules` for the picked node (the first until picked).
fn rules(world: &World, edits: &Edits) -> RulesView {
    let nodes: Vec<String> = world.nodes().keys().cloned().collect();
    let node = edits
        .rules_node
        .clone()
        .filter(|n| nodes.contains(n))
        .or_else(|| nodes.first().cloned());
    let format = if edits.rules_nft {
        RulesFormat::Nftables
    } else {
        RulesFormat::Iptables
    };
    let text = node.as_ref().map_or_else(
        || "no nodes".to_owned(),
        |n| world.rules(n, format).unwrap_or_else(|e| e.to_string()),
    );
    RulesView {
        nodes,
        node,
        nft: edits.rules_nft,
        text,
        proxy_mode: world.config().proxy_mode.as_str().to_owned(),
        proxy_error: edits.error(&Field::ProxyMode).cloned(),
    }
}

/// What highlights pods: the Service selector being typed when it parses, else the pod
/// filter when it parses and is not empty.
fn highlight(world: &World, edits: &Edits) -> (Option<Highlight>, FilterView) {
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
    let filter = FilterView {
        error: parsed.and_then(Result::err),
        matched,
        text,
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
fn mark(scene: &mut SceneModel, world: &World, highlight: Option<&Highlight>, edits: &Edits) {
    for pod in scene.nodes.iter_mut().flat_map(|n| n.pods.iter_mut()) {
        pod.highlight = highlight.map(|h| {
            world
                .pods()
                .get(&pod.name)
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
        }
    }
}

/// Every Deployment with its replicas and template labels.
fn deployments(world: &World, palette: &Palette, edits: &Edits) -> Vec<DeploymentView> {
    world
        .deployments()
        .values()
        .map(|d| {
            let name = d.metadata.name.clone();
            let prefix = format!("{name}-");
            let pods: Vec<_> = world
                .pods()
                .values()
                .filter(|p| {
                    p.metadata.name.starts_with(&prefix)
                        && p.metadata.controller_of_kind("ReplicaSet").is_some()
                })
                .collect();
            let labels = &d.spec.template.metadata.labels;
            let replicas = Field::Replicas(name.clone());
            let template = Field::TemplateLabels(name.clone());
            DeploymentView {
                colour: palette.colour(labels.get("app").map(String::as_str)),
                replicas: d.spec.replicas.unwrap_or(1),
                pods: pods.len(),
                ready: pods.iter().filter(|p| World::is_serving(p)).count(),
                template_labels: selectors::labels_text(labels),
                replicas_draft: edits.draft(&replicas).cloned(),
                replicas_error: edits.error(&replicas).cloned(),
                labels_draft: edits.draft(&template).cloned(),
                labels_error: edits.error(&template).cloned(),
                name,
            }
        })
        .collect()
}

/// The explain view: `World::explain(service, pod)` for the picked pair (the first
/// Service and pod until the user picks).
fn explain(world: &World, edits: &Edits) -> ExplainView {
    let services: Vec<String> = world.services().keys().cloned().collect();
    let pods: Vec<String> = world.pods().keys().cloned().collect();
    let service = edits
        .explain_service
        .clone()
        .filter(|s| services.contains(s))
        .or_else(|| services.first().cloned());
    let pod = edits
        .explain_pod
        .clone()
        .filter(|p| pods.contains(p))
        .or_else(|| pods.first().cloned());
    let mut view = ExplainView {
        services,
        pods,
        ..ExplainView::default()
    };
    if let (Some(svc), Some(p)) = (&service, &pod) {
        match world.explain(svc, p) {
            Ok(x) => {
                view.is_endpoint = Some(x.is_endpoint());
                view.headline = match &x.endpoint {
                    Some(e) => format!(
                        "pod {} is an endpoint of service {}: {} in slice {} (ready {}, serving {}, terminating {})",
                        x.pod,
                        x.service,
                        e.address,
                        e.slice,
                        e.conditions.ready,
                        e.conditions.serving,
                        e.conditions.terminating
                    ),
                    None => format!("pod {} is not an endpoint of service {}", x.pod, x.service),
                };
                view.reasons = x.reasons.iter().map(ToString::to_string).collect();
            }
            Err(e) => view.headline = e.to_string(),
        }
        let field = Field::PodLabels(p.clone());
        view.pod_labels = world
            .pods()
            .get(p)
            .map(|p| selectors::labels_text(&p.metadata.labels))
            .unwrap_or_default();
        view.labels_draft = edits.draft(&field).cloned();
        view.labels_error = edits.error(&field).cloned();
    }
    view.service = service;
    view.pod = pod;
    view
}

/// The requests in flight now, for the canvas (none without motion).
pub fn flights(
    world: &World,
    log: &RequestLog,
    scene: &SceneModel,
    motion: bool,
) -> Rc<Vec<crate::model::FlightView>> {
    Rc::new(if motion {
        traffic::flights(log, &scene.services, world.now())
    } else {
        Vec::new()
    })
}

/// Colours for every `app` value a Service selects or a pod carries.
pub fn palette(world: &World) -> Palette {
    let from_services = world.services().values().filter_map(|s| selector_app(s));
    let from_pods = world
        .pods()
        .values()
        .filter_map(|p| p.metadata.labels.get("app"));
    Palette::new(from_services.chain(from_pods).map(String::as_str))
}

fn selector_app(s: &Service) -> Option<&String> {
    s.spec.selector.as_ref().and_then(|m| m.get("app"))
}

/// The cluster picture.
pub fn scene(world: &World, log: &RequestLog, palette: &Palette, motion: bool) -> SceneModel {
    let now = world.now();
    // Pods flash only without motion (the flying requests show arrivals otherwise);
    // a Service shows "refusing" when a refused request reaches it.
    let delay = if motion { FLIGHT_MILLIS / 2 } else { 0 };
    let mut hit: BTreeSet<&str> = BTreeSet::new();
    let mut refusing: BTreeSet<&str> = BTreeSet::new();
    for f in log.within(now, delay + FLASH_MILLIS) {
        let age = now.millis_since(f.sent);
        match &f.pod {
            Some(pod) if !motion => {
                hit.insert(pod);
            }
            None if age >= delay && f.fate == Fate::Refused => {
                refusing.insert(&f.service);
            }
            _ => {}
        }
    }
    let client_pods: BTreeSet<&str> = world
        .clients()
        .iter()
        .filter_map(|c| match &c.kind {
            ClientKind::InCluster { pod } => Some(pod.as_str()),
            ClientKind::External { .. } => None,
        })
        .collect();
    let nodes = world
        .nodes()
        .values()
        .map(|n| NodeView {
            name: n.metadata.name.clone(),
            ip: n.status.node_ip.clone(),
            zone: n.zone().map(str::to_owned),
            ready: n.status.ready,
            pods: {
                let mut pods: Vec<&Pod> = world
                    .pods()
                    .values()
                    .filter(|p| p.spec.node_name == n.metadata.name)
                    .collect();
                // Client pods last, so a Service's line to a pod on the same node does
                // not cross the client's card (the order never changes with state).
                pods.sort_by_key(|p| client_pods.contains(p.metadata.name.as_str()));
                pods.into_iter()
                    .map(|p| pod_view(world, p, palette, hit.contains(p.metadata.name.as_str())))
                    .collect()
            },
        })
        .collect();
    // The API server's own `default/kubernetes` Service is left out of the picture: the
    // simulation has no API server pod behind it (a Simplification in the core), and it
    // is not part of the story. Its rules still show in the kube-proxy panel.
    let services = world
        .services()
        .values()
        .filter(|s| !world.is_built_in_service(&s.metadata.name))
        .map(|s| ServiceView {
            name: s.metadata.name.clone(),
            type_name: if s.spec.type_.is_empty() {
                "ClusterIP".to_owned()
            } else {
                s.spec.type_.clone()
            },
            layers: layers(s),
            selector: s
                .spec
                .selector
                .as_ref()
                .map(format::selector)
                .unwrap_or_default(),
            colour: palette.colour(selector_app(s).map(String::as_str)),
            endpoints: world
                .ready_endpoints(&s.metadata.name)
                .into_iter()
                .map(|p| p.metadata.name.clone())
                .collect(),
            refused: world.requests_refused(&s.metadata.name),
            refusing: refusing.contains(s.metadata.name.as_str()),
            selector_draft: None,
            selector_error: None,
            external_policy: s.spec.external_traffic_policy.clone(),
            internal_policy: s
                .spec
                .internal_traffic_policy
                .clone()
                .unwrap_or_else(|| "Cluster".to_owned()),
            affinity: if s.spec.session_affinity.is_empty() {
                "None".to_owned()
            } else {
                s.spec.session_affinity.clone()
            },
            dropped: world.requests_dropped(&s.metadata.name),
            // Shown while the outside still cannot get in: once the Service has a node
            // port or a load balancer, the count of the past no longer describes it.
            unreachable: if world.outside_entry(&s.metadata.name).is_err() {
                world.requests_unreachable(&s.metadata.name)
            } else {
                0
            },
            spec_error: None,
        })
        .collect();
    SceneModel {
        now,
        nodes,
        services,
        clients: clients(world, palette),
    }
}

fn pod_view(world: &World, p: &Pod, palette: &Palette, hit: bool) -> PodView {
    let serving = World::is_serving(p);
    let state = if p.metadata.is_terminating() {
        PodState::Terminating
    } else if p.status.phase == PodPhase::Pending {
        PodState::Pending
    } else if serving {
        PodState::Ready
    } else {
        PodState::NotReady
    };
    PodView {
        name: p.metadata.name.clone(),
        ip: p.status.pod_ip.clone(),
        labels: p
            .metadata
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect(),
        state,
        serving,
        requests: world.requests_served(&p.metadata.name),
        colour: palette.colour(p.metadata.labels.get("app").map(String::as_str)),
        hit,
        can_kill: !p.metadata.is_terminating(),
        probe: match world.is_app_healthy(&p.metadata.name) {
            _ if p.metadata.is_terminating() => ProbeControl::Unavailable,
            Some(true) => ProbeControl::CanBreak,
            Some(false) => ProbeControl::CanHeal,
            None => ProbeControl::Unavailable,
        },
        highlight: None,
    }
}

/// A Service's layers from its spec and status, innermost first.
fn layers(s: &Service) -> Vec<ServiceLayer> {
    let ip = Some(s.spec.cluster_ip.clone()).filter(|ip| !ip.is_empty() && ip != "None");
    let mut layers = vec![ServiceLayer::ClusterIp(ip)];
    let outer = matches!(s.spec.type_.as_str(), "NodePort" | "LoadBalancer");
    if outer {
        let port = s.spec.ports.iter().map(|p| p.node_port).find(|&p| p > 0);
        if let Some(port) = port.and_then(|p| u16::try_from(p).ok()) {
            layers.push(ServiceLayer::NodePort(port));
        }
    }
    if s.spec.type_ == "LoadBalancer" {
        let ingress = s.status.load_balancer.ingress.first();
        let addr = ingress.map(|i| {
            if i.ip.is_empty() {
                i.hostname.clone()
            } else {
                i.ip.clone()
            }
        });
        layers.push(ServiceLayer::LoadBalancer(addr.filter(|a| !a.is_empty())));
    }
    layers
}

/// Client pods inside the cluster (one card per client name), then the users outside
/// (an idle placeholder user when the world has none).
fn clients(world: &World, palette: &Palette) -> Vec<ClientView> {
    let mut out: Vec<ClientView> = Vec::new();
    for c in world.clients() {
        let colour = world
            .services()
            .get(&c.service)
            .map_or(Default::default(), |s| {
                palette.colour(selector_app(s).map(String::as_str))
            });
        let inside = matches!(c.kind, ClientKind::InCluster { .. });
        let entry = match world.outside_entry(&c.service) {
            _ if inside => Entry::ClusterIp,
            Ok(OutsideEntry::LoadBalancer { ip, port }) => {
                Entry::LoadBalancer(format!("{ip}:{port}"))
            }
            Ok(OutsideEntry::NodePort { node_port }) => Entry::NodePort(node_port),
            Err(why) => Entry::Unreachable(why.describe()),
        };
        let target = ClientTarget {
            service: c.service.clone(),
            rate_per_sec: c.rate_per_sec,
            colour,
            rate_draft: None,
            rate_error: None,
            entry,
        };
        match out.iter_mut().find(|v| v.name == c.name) {
            Some(v) => v.targets.push(target),
            None => out.push(ClientView {
                name: c.name.clone(),
                inside,
                targets: vec![target],
            }),
        }
    }
    if out.iter().all(|c| c.inside) {
        out.push(ClientView {
            name: OUTSIDE_USER.to_owned(),
            inside: false,
            targets: Vec::new(),
        });
    }
    out.sort_by_key(|c| c.inside);
    out
}

/// A hash of everything whose presence moves things on the map: node, pod, Service and
/// client names in order, and which client rate boxes show an error (the card grows).
/// Card sizes are otherwise fixed, so other state changes do not move anything.
pub fn layout_key(scene: &SceneModel) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    for n in &scene.nodes {
        n.name.hash(&mut h);
        n.pods.iter().for_each(|p| p.name.hash(&mut h));
    }
    scene.services.iter().for_each(|s| s.name.hash(&mut h));
    for c in &scene.clients {
        c.name.hash(&mut h);
        c.targets
            .iter()
            .for_each(|t| t.rate_error.is_some().hash(&mut h));
    }
    h.finish()
}

/// Client → Service lines, then Service → ready endpoint lines.
pub fn routes(scene: &SceneModel) -> Vec<Route> {
    let mut out = Vec::new();
    for c in &scene.clients {
        for t in &c.targets {
            out.push(Route {
                from: Anchor::Client(c.name.as_str().into()),
                to: Anchor::Service(t.service.as_str().into()),
                colour: t.colour,
                blocked: !t.entry.reaches(),
            });
        }
    }
    for s in &scene.services {
        let service: Rc<str> = s.name.as_str().into();
        for e in &s.endpoints {
            out.push(Route {
                from: Anchor::Service(service.clone()),
                to: Anchor::Pod(e.as_str().into()),
                colour: s.colour,
                blocked: false,
            });
        }
    }
    out
}

/// Endpoints per Service, read from its EndpointSlices exactly as they are.
pub fn endpoints(world: &World, palette: &Palette) -> Vec<EndpointsView> {
    world
        .services()
        .values()
        .filter(|s| !world.is_built_in_service(&s.metadata.name))
        .map(|s| EndpointsView {
            service: s.metadata.name.clone(),
            colour: palette.colour(selector_app(s).map(String::as_str)),
            selector: s
                .spec
                .selector
                .as_ref()
                .map(format::selector)
                .unwrap_or_default(),
            slices: world
                .endpoint_slices_for(&s.metadata.name)
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
                            pod: e.pod_name().unwrap_or_default().to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use svcplay_core::scenario::{DEFAULT_SEED, default_world};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn default_scenario_scene() {
        let mut w = default_world(DEFAULT_SEED);
        w.step(2_500);
        let f = frame(&w, &RequestLog::default(), true, &Edits::default());
        let pods: usize = f.scene.nodes.iter().map(|n| n.pods.len()).sum();
        assert_eq!(
            (f.scene.nodes.len(), pods, f.scene.services.len()),
            (2, 4, 2),
            "three app pods and the client pod; dev and prod (not default/kubernetes)"
        );
        let prod = &f.scene.services[1];
        assert_eq!(
            (prod.name.as_str(), prod.selector.as_str()),
            ("prod", "app=prod")
        );
        assert_eq!(prod.endpoints.len(), 2);
        assert!(
            matches!(&prod.layers[..], [ServiceLayer::ClusterIp(Some(ip))] if ip.starts_with("10.")),
            "the API server allocated a ClusterIP: {:?}",
            prod.layers
        );
        assert!(
            f.scene
                .nodes
                .iter()
                .flat_map(|n| &n.pods)
                .all(|p| p.state == PodState::Ready)
        );
        let inside: Vec<(&str, usize)> = f
            .scene
            .clients
            .iter()
            .map(|c| (c.name.as_str(), c.targets.len()))
            .collect();
        assert_eq!(
            inside,
            [("user", 1), ("client", 2)],
            "the user outside first"
        );
        assert_eq!(
            f.traffic.routes.len(),
            3 + 3,
            "three client lines (the user's too), three endpoint lines"
        );
    }

    #[test]
    fn killed_pod_is_terminating_and_leaves_the_endpoints() {
        let mut w = default_world(DEFAULT_SEED);
        w.step(2_500);
        let victim = w
            .pods()
            .keys()
            .find(|n| n.starts_with("prod"))
            .cloned()
            .unwrap_or_default();
        assert!(w.kill_pod(&victim).is_ok());
        let f = frame(&w, &RequestLog::default(), false, &Edits::default());
        let pod = f
            .scene
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .find(|p| p.name == victim);
        let pod = pod.map(|p| (p.state, p.serving, p.can_kill));
        assert_eq!(pod, Some((PodState::Terminating, false, false)));
        let replacement = f
            .scene
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .filter(|p| p.state == PodState::Pending);
        assert_eq!(replacement.count(), 1);
        assert_eq!(
            f.endpoints
                .iter()
                .find(|e| e.service == "prod")
                .into_iter()
                .flat_map(|e| &e.slices)
                .flat_map(|s| &s.rows)
                .map(|r| (r.pod == victim, r.ready, r.serving, r.terminating))
                .filter(|r| r.1 || r.0)
                .collect::<BTreeSet<_>>(),
            BTreeSet::from([(true, false, true, true), (false, true, true, false)]),
            "the killed pod stays in the slice, terminating and not ready; the survivor is ready"
        );
        assert!(
            flights(&w, &RequestLog::default(), &f.scene, false).is_empty(),
            "no flights without motion"
        );
    }

    #[test]
    fn unreachable_requests_are_counted_but_not_drawn_as_refusals() {
        let mut w = default_world(DEFAULT_SEED);
        let mut log = RequestLog::default();
        w.step(3_000);
        log.record(w.drain_requests(), w.now());
        w.step(1_000);
        log.record(w.drain_requests(), w.now());
        let s = scene(&w, &log, &palette(&w), true);
        let prod = s.services.iter().find(|s| s.name == "prod");
        let prod = prod.map(|p| (p.unreachable > 0, p.refusing, p.dropped));
        assert_eq!(
            prod,
            Some((true, false, 0)),
            "the user outside cannot address a ClusterIP; nothing was refused"
        );
        w.set_service_type("prod", "NodePort").unwrap();
        let s = scene(&w, &log, &palette(&w), true);
        let prod = s.services.iter().find(|s| s.name == "prod");
        assert_eq!(
            prod.map(|p| p.unreachable),
            Some(0),
            "with a node port the outside gets in: the old count is not shown"
        );
    }

    #[test]
    fn the_outside_users_route_follows_the_cores_entry() {
        let mut w = default_world(DEFAULT_SEED);
        w.step(3_000);
        let user_route = |w: &World| {
            let s = scene(w, &RequestLog::default(), &palette(w), true);
            let entry = s
                .clients
                .iter()
                .find(|c| c.name == "user")
                .and_then(|c| c.targets.first())
                .map(|t| t.entry.clone());
            let blocked = routes(&s)
                .iter()
                .find(|r| r.from == Anchor::Client("user".into()))
                .map(|r| r.blocked);
            (entry, blocked)
        };
        let (entry, blocked) = user_route(&w);
        assert_eq!(
            entry,
            Some(Entry::Unreachable(
                svcplay_core::world::Unreachable::ClusterIpOnly.describe()
            ))
        );
        assert_eq!(
            blocked,
            Some(true),
            "a ClusterIP is not reachable from outside"
        );
        w.set_service_type("prod", "NodePort").unwrap();
        let np = u16::try_from(w.services()["prod"].spec.ports[0].node_port).unwrap();
        assert_eq!(user_route(&w), (Some(Entry::NodePort(np)), Some(false)));
        w.set_service_type("prod", "LoadBalancer").unwrap();
        assert_eq!(
            user_route(&w),
            (
                Some(Entry::LoadBalancer("203.0.113.10:80".to_owned())),
                Some(false)
            )
        );
        let s = scene(&w, &RequestLog::default(), &palette(&w), true);
        let client = s.clients.iter().find(|c| c.inside).unwrap();
        assert!(client.targets.iter().all(|t| t.entry == Entry::ClusterIp));
    }

    #[test]
    fn pods_flash_when_requests_arrive() {
        let mut w = default_world(DEFAULT_SEED);
        let mut log = RequestLog::default();
        w.step(3_000);
        log.record(w.drain_requests(), w.now());
        w.step(1_000);
        log.record(w.drain_requests(), w.now());
        let palette = palette(&w);
        let still = scene(&w, &log, &palette, false);
        assert!(still.nodes.iter().flat_map(|n| &n.pods).any(|p| p.hit));
        let moving = scene(&w, &log, &palette, true);
        assert!(
            moving.nodes.iter().flat_map(|n| &n.pods).all(|p| !p.hit),
            "dots show arrivals"
        );
    }
}
