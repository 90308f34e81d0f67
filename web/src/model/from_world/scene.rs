//! The cluster map's view: nodes with their pods and Services with their layers, read
//! from the objects alone ([`SceneObjects`], kept while the world's revision holds, see
//! `cache`), then the traffic filled in at every refresh (counters, flashes, the
//! clients from `clients`); and the routes between them.

use std::collections::BTreeSet;
use std::rc::Rc;

use svcplay_core::labels::selector_text;
use svcplay_core::objects::{Labels, NamespacedName, Pod, PodPhase, Service};
use svcplay_core::proxy::Outcome;
use svcplay_core::world::ClientKind;
use svcplay_core::{SimTime, World};

use crate::model::names::{natural_cmp, ref_of};

use crate::model::traffic::{Anchor, FLASH_MILLIS, FLIGHT_MILLIS};
use crate::model::{NodeView, PodState, PodView, ProbeControl, Route, SceneModel, ServiceView};
use crate::palette::Palette;
use crate::state::RequestLog;

use super::clients::clients;

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
    let objects = scene_objects(world, palette, namespace);
    let mut scene = objects.scene.clone();
    scene_traffic(&mut scene, &objects, world, log, palette, motion, namespace);
    scene
}

/// The part of the scene read from the objects alone (see [`super::cache`]): nodes with
/// their pods and Services, in order, with every traffic counter at zero and no
/// clients; and the key of each pod and Service drawn, in the same order.
#[derive(Debug, Clone, Default)]
pub(super) struct SceneObjects {
    pub(super) scene: SceneModel,
    /// Per node, the keys of its pods as drawn.
    pods: Vec<Vec<NamespacedName>>,
    /// The keys of the Services as drawn.
    services: Vec<NamespacedName>,
}

/// Builds [`SceneObjects`]: reads no traffic, no counter and not the time.
pub(super) fn scene_objects(
    world: &World,
    palette: &Palette,
    namespace: Option<&str>,
) -> SceneObjects {
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
    let mut pod_keys = Vec::new();
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
                pods.sort_by(|a, b| {
                    let (ka, kb) = (a.metadata.key(), b.metadata.key());
                    client_pods
                        .contains(&ka)
                        .cmp(&client_pods.contains(&kb))
                        .then_with(|| natural_cmp(&ka.namespace, &kb.namespace))
                        .then_with(|| natural_cmp(&ka.name, &kb.name))
                });
                pod_keys.push(pods.iter().map(|p| p.metadata.key()).collect());
                pods.into_iter()
                    .map(|p| pod_view(world, p, palette, false))
                    .collect()
            },
        })
        .collect();
    // The API server's own `default/kubernetes` Service is left out of the picture: the
    // simulation has no API server pod behind it (a Simplification in the core), and it
    // is not part of the story. Its rules still show in the kube-proxy panel.
    let mut services: Vec<(NamespacedName, ServiceView)> = world
        .services()
        .values()
        .filter(|s| !world.is_built_in_service(&s.metadata.key()))
        .filter(|s| shown(namespace, &s.metadata.namespace))
        .map(|s| {
            let key = s.metadata.key();
            let view = ServiceView {
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
                refused: 0,
                refusing: false,
                selector_draft: None,
                selector_error: None,
                external_policy: s.spec.external_traffic_policy.to_string(),
                internal_policy: s.spec.internal_traffic_policy.to_string(),
                affinity: s.spec.session_affinity.to_string(),
                dropped: 0,
                unreachable: 0,
                spec_error: None,
            };
            (key, view)
        })
        .collect();
    services.sort_by(|(_, a), (_, b)| {
        natural_cmp(&a.namespace, &b.namespace)
            .then_with(|| natural_cmp(&a.app, &b.app))
            .then_with(|| natural_cmp(&a.name, &b.name))
    });
    let (service_keys, services) = services.into_iter().unzip();
    let mut service_names: Vec<(String, String)> = world
        .services()
        .keys()
        .filter(|k| !world.is_built_in_service(k))
        .map(|k| (k.namespace.clone(), ref_of(k)))
        .collect();
    service_names.sort_by(|a, b| natural_cmp(&a.0, &b.0).then_with(|| natural_cmp(&a.1, &b.1)));
    SceneObjects {
        scene: SceneModel {
            now: SimTime::ZERO,
            nodes,
            services,
            clients: Vec::new(),
            service_names: Rc::new(service_names.into_iter().map(|(_, n)| n).collect()),
        },
        pods: pod_keys,
        services: service_keys,
    }
}

/// Fills what traffic and time change into `scene` (a copy of `objects.scene`): the
/// time, the pods' request counters and flashes, the Services' counters and "refusing",
/// and the clients.
pub(super) fn scene_traffic(
    scene: &mut SceneModel,
    objects: &SceneObjects,
    world: &World,
    log: &RequestLog,
    palette: &Palette,
    motion: bool,
    namespace: Option<&str>,
) {
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
    scene.now = now;
    for (node, keys) in scene.nodes.iter_mut().zip(&objects.pods) {
        for (pod, key) in node.pods.iter_mut().zip(keys) {
            pod.requests = world.requests_served(key);
            pod.hit = hit.contains(pod.name.as_str());
        }
    }
    for (s, key) in scene.services.iter_mut().zip(&objects.services) {
        s.refused = world.requests_refused(key);
        s.refusing = refusing.contains(s.name.as_str());
        s.dropped = world.requests_dropped(key);
        // Shown while the outside still cannot get in: once the Service has a node
        // port or a load balancer, the count of the past no longer describes it.
        s.unreachable = if world.outside_entry(key).is_err() {
            world.requests_unreachable(key)
        } else {
            0
        };
    }
    let visible: BTreeSet<&str> = scene.services.iter().map(|s| s.name.as_str()).collect();
    let mut clients = clients(world, palette);
    if namespace.is_some() {
        for c in &mut clients {
            c.targets.retain(|t| visible.contains(t.service.as_str()));
        }
        clients.retain(|c| !c.inside || !c.targets.is_empty());
    }
    scene.clients = clients;
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
