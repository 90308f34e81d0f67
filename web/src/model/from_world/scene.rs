//! The cluster map's view: nodes with their pods, Services with their layers,
//! clients with their streams, and the routes between them.

use std::collections::BTreeSet;
use std::rc::Rc;

use svcplay_core::World;
use svcplay_core::apps::Tool;
use svcplay_core::labels::selector_text;
use svcplay_core::objects::{Labels, NamespacedName, Pod, PodPhase, Service};
use svcplay_core::proxy::{Outcome, Unreachable};
use svcplay_core::world::{ClientKind, OutsideEntry};

use crate::model::names::{natural_cmp, ref_of};

use crate::model::traffic::{Anchor, FLASH_MILLIS, FLIGHT_MILLIS};
use crate::model::{
    ClientTarget, ClientView, Entry, NodeView, Pinned, PodState, PodView, ProbeControl, Route,
    SceneModel, ServiceView,
};
use crate::palette::Palette;
use crate::state::RequestLog;

use super::OUTSIDE_USER;

pub(super) fn selector_app(s: &Service) -> Option<&String> {
    s.spec.selector.as_ref().and_then(|m| m.get("app"))
}

/// The label keys that name the app a Service belongs to, most specific first; a
/// Service whose selector has none of them is its own group.
pub const APP_KEYS: [&str; 5] = [
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/name",
    "app",
    "k8s-app",
    "name",
];

/// The app a Service's selector names (see [`APP_KEYS`]), or the Service's name.
pub fn app_of(s: &Service) -> String {
    let sel: Option<&Labels> = s.spec.selector.as_ref();
    APP_KEYS
        .iter()
        .find_map(|k| sel.and_then(|m| m.get(*k)))
        .cloned()
        .unwrap_or_else(|| s.metadata.name.clone())
}

/// Whether an object of `namespace` is on screen under the namespace filter.
fn shown(filter: Option<&str>, namespace: &str) -> bool {
    filter.is_none_or(|f| f == namespace)
}

/// The cluster picture: every namespace, or only `namespace` when the filter is set.
/// Services come by namespace, then app, then name, in natural order (`carts-2` before
/// `carts-10`); pods by namespace and name, in natural order.
pub fn scene(
    world: &World,
    log: &RequestLog,
    palette: &Palette,
    motion: bool,
    namespace: Option<&str>,
) -> SceneModel {
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
            None if age >= delay && matches!(f.outcome, Outcome::Refused(_)) => {
                refusing.insert(&f.service);
            }
            _ => {}
        }
    }
    let client_pods: BTreeSet<&NamespacedName> = world
        .clients()
        .iter()
        .filter_map(|c| match &c.kind {
            ClientKind::InCluster { pod, .. } => Some(pod),
            ClientKind::External { .. } => None,
        })
        .collect();
    let mut by_node: std::collections::BTreeMap<&str, Vec<&Pod>> = Default::default();
    for p in world.pods().values() {
        if shown(namespace, &p.metadata.namespace) || client_pods.contains(&p.metadata.key()) {
            by_node
                .entry(p.spec.node_name.as_str())
                .or_default()
                .push(p);
        }
    }
    let nodes = world
        .nodes()
        .values()
        .map(|n| NodeView {
            name: n.metadata.name.clone(),
            ip: n.status.node_ip.clone(),
            zone: n.zone().map(str::to_owned),
            ready: n.status.ready,
            pods: {
                let mut pods = by_node.remove(n.metadata.name.as_str()).unwrap_or_default();
                // Client pods last, so a Service's line to a pod on the same node does
                // not cross the client's card (the order never changes with state).
                svcplay_core::sort::sort_by(&mut pods, |a, b| {
                    let (ka, kb) = (a.metadata.key(), b.metadata.key());
                    client_pods
                        .contains(&ka)
                        .cmp(&client_pods.contains(&kb))
                        .then_with(|| ka.namespace.cmp(&kb.namespace))
                        .then_with(|| natural_cmp(&ka.name, &kb.name))
                });
                pods.into_iter()
                    .map(|p| {
                        let hit = hit.contains(ref_of(&p.metadata.key()).as_str());
                        pod_view(world, p, palette, hit)
                    })
                    .collect()
            },
        })
        .collect();
    // The API server's own `default/kubernetes` Service is left out of the picture: the
    // simulation has no API server pod behind it (a Simplification in the core), and it
    // is not part of the story. Its rules still show in the kube-proxy panel.
    let mut services: Vec<ServiceView> = world
        .services()
        .values()
        .filter(|s| !world.is_built_in_service(&s.metadata.key()))
        .filter(|s| shown(namespace, &s.metadata.namespace))
        .map(|s| {
            let key = s.metadata.key();
            ServiceView {
                name: ref_of(&key),
                namespace: key.namespace.clone(),
                app: app_of(s),
                type_name: s.spec.type_.to_string(),
                layers: s.layers(),
                selector: s
                    .spec
                    .selector
                    .as_ref()
                    .map(selector_text)
                    .unwrap_or_default(),
                colour: palette.colour(selector_app(s).map(String::as_str)),
                endpoints: world
                    .ready_endpoints(&key)
                    .into_iter()
                    .map(|p| ref_of(&p.metadata.key()))
                    .collect(),
                refused: world.requests_refused(&key),
                refusing: refusing.contains(ref_of(&key).as_str()),
                selector_draft: None,
                selector_error: None,
                external_policy: s.spec.external_traffic_policy.to_string(),
                internal_policy: s.spec.internal_traffic_policy.to_string(),
                affinity: s.spec.session_affinity.to_string(),
                dropped: world.requests_dropped(&key),
                // Shown while the outside still cannot get in: once the Service has a node
                // port or a load balancer, the count of the past no longer describes it.
                unreachable: if world.outside_entry(&key).is_err() {
                    world.requests_unreachable(&key)
                } else {
                    0
                },
                spec_error: None,
            }
        })
        .collect();
    svcplay_core::sort::sort_by(&mut services, |a, b| {
        a.namespace
            .cmp(&b.namespace)
            .then_with(|| natural_cmp(&a.app, &b.app))
            .then_with(|| natural_cmp(&a.name, &b.name))
    });
    let visible: BTreeSet<&str> = services.iter().map(|s| s.name.as_str()).collect();
    let mut clients = clients(world, palette);
    if namespace.is_some() {
        for c in &mut clients {
            c.targets.retain(|t| visible.contains(t.service.as_str()));
        }
        clients.retain(|c| !c.inside || !c.targets.is_empty());
    }
    SceneModel {
        now,
        nodes,
        services,
        clients,
    }
}

pub(super) fn pod_view(world: &World, p: &Pod, palette: &Palette, hit: bool) -> PodView {
    let serving = World::is_serving(p);
    let state = if p.metadata.is_terminating() {
        PodState::Terminating
    } else if p.status.phase == PodPhase::Succeeded {
        PodState::Completed
    } else if p.status.phase == PodPhase::Pending {
        PodState::Pending
    } else if serving {
        PodState::Ready
    } else {
        PodState::NotReady
    };
    let (workload, generated) = readable_name(world, p);
    PodView {
        name: ref_of(&p.metadata.key()),
        workload,
        generated,
        ip: p.status.pod_ip.clone(),
        labels: p
            .metadata
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect(),
        state,
        serving,
        requests: world.requests_served(&p.metadata.key()),
        succeeded: p.status.phase == PodPhase::Succeeded,
        colour: palette.colour(p.metadata.labels.get("app").map(String::as_str)),
        hit,
        can_kill: !p.metadata.is_terminating(),
        probe: match world.is_app_healthy(&p.metadata.key()) {
            _ if p.metadata.is_terminating() => ProbeControl::Unavailable,
            Some(true) => ProbeControl::CanBreak,
            Some(false) => ProbeControl::CanHeal,
            None => ProbeControl::Unavailable,
        },
        probe_failing: match world.is_app_healthy(&p.metadata.key()) {
            Some(false) if !p.metadata.is_terminating() => {
                world.readiness_failures(&p.metadata.key())
            }
            _ => None,
        },
        highlight: None,
    }
}

/// A pod's name in two readable parts: its workload (the Deployment of its ReplicaSet,
/// or its StatefulSet, DaemonSet, Job…) and what the controller added (the template
/// hash and random suffix, the ordinal); a pod of no workload is split at its last dash.
pub fn readable_name(world: &World, p: &Pod) -> (String, String) {
    let name = p.metadata.name.as_str();
    if let Some(w) = world.workload_of_pod(p)
        && let Some(rest) = name.strip_prefix(&format!("{}-", w.key.name))
    {
        return (w.key.name, rest.to_owned());
    }
    let (prefix, suffix) = crate::format::split_pod_name(name);
    (prefix.trim_end_matches('-').to_owned(), suffix.to_owned())
}

/// Client pods inside the cluster (one card per client name, a stream per load
/// generator), then the users outside (an idle placeholder user when the world has
/// none).
pub(super) fn clients(world: &World, palette: &Palette) -> Vec<ClientView> {
    let mut out: Vec<ClientView> = Vec::new();
    for c in world.clients() {
        let colour = c
            .service
            .as_ref()
            .and_then(|s| world.services().get(s))
            .map_or(Default::default(), |s| {
                palette.colour(selector_app(s).map(String::as_str))
            });
        let inside = matches!(c.kind, ClientKind::InCluster { .. });
        let entry = match c.service.as_ref().map(|s| world.outside_entry(s)) {
            _ if inside => Entry::ClusterIp,
            Some(Ok(OutsideEntry::LoadBalancer { ip, port })) => {
                Entry::LoadBalancer(format!("{ip}:{port}"))
            }
            Some(Ok(OutsideEntry::NodePort { node_port })) => Entry::NodePort(node_port),
            Some(Err(why)) => Entry::Unreachable(why.describe()),
            None => Entry::Unreachable(Unreachable::NoSuchService.describe()),
        };
        let l = &c.load;
        let target = ClientTarget {
            service: c.service.as_ref().map(ref_of).unwrap_or_default(),
            url: if inside {
                l.target.to_string()
            } else {
                String::new()
            },
            tool: l.tool.as_str(),
            rate_flag: l.tool.rate_flag(),
            rate_per_sec: c.rate_per_sec(),
            connections: l.connections,
            keepalive: l.keepalive,
            protocol: l.protocol.as_str(),
            editable: matches!(l.tool, Tool::Fortio | Tool::Hey),
            open: c.connections().count(),
            sockets: c.report.sockets,
            reconnects: c.report.reconnects,
            errors: c.report.errors(),
            colour,
            entry,
            ..ClientTarget::default()
        };
        match out.iter_mut().find(|v| v.name == c.name) {
            Some(v) => v.targets.push(target),
            None => out.push(ClientView {
                name: c.name.clone(),
                inside,
                targets: vec![target],
                add_error: None,
            }),
        }
    }
    if out.iter().all(|c| c.inside) {
        out.push(ClientView {
            name: OUTSIDE_USER.to_owned(),
            inside: false,
            targets: Vec::new(),
            add_error: None,
        });
    }
    svcplay_core::sort::sort_by_key(&mut out, |c| c.inside);
    out
}

/// The open connections of the clients drawn on the map, counted per (client, pod), in
/// the colour of the Service they were addressed through.
pub fn pinned(world: &World, scene: &SceneModel) -> Vec<Pinned> {
    let colours: std::collections::BTreeMap<&str, crate::palette::Colour> = scene
        .services
        .iter()
        .map(|s| (s.name.as_str(), s.colour))
        .collect();
    let mut out: Vec<Pinned> = Vec::new();
    for c in world.clients() {
        if c.pod().is_none() {
            continue;
        }
        for conn in c.connections() {
            let Some(pod) = conn.pod.as_deref() else {
                continue;
            };
            let colour = conn
                .service
                .as_ref()
                .and_then(|s| colours.get(s.name.as_str()).copied())
                .unwrap_or_default();
            match out
                .iter_mut()
                .find(|p| &*p.client == c.name.as_str() && &*p.pod == pod.name.as_str())
            {
                Some(p) => p.count += 1,
                None => out.push(Pinned {
                    client: c.name.as_str().into(),
                    pod: pod.name.as_str().into(),
                    colour,
                    count: 1,
                }),
            }
        }
    }
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
        c.targets.iter().for_each(|t| {
            (
                t.rate_error.is_some(),
                t.client_error.is_some(),
                t.service.as_str(),
            )
                .hash(&mut h)
        });
    }
    h.finish()
}

/// Client → Service lines, then Service → ready endpoint lines.
pub fn routes(scene: &SceneModel) -> Vec<Route> {
    let mut out = Vec::new();
    for c in &scene.clients {
        for t in c.targets.iter().filter(|t| !t.service.is_empty()) {
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
