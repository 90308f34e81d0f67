//! Goals about membership: which pods are a Service's endpoints, and in which
//! condition (ready, not ready, terminating), read from its EndpointSlices as
//! kube-proxy reads them.

use std::collections::BTreeSet;

use super::{Baseline, key};
use crate::World;
use crate::objects::NamespacedName;

/// Every endpoint of a Service's slices, with the pod it names.
pub(super) fn endpoints(world: &World, service: &str) -> Vec<crate::objects::Endpoint> {
    world
        .endpoint_slices_for(&key(service))
        .into_iter()
        .flat_map(|s| s.endpoints.iter().cloned())
        .collect()
}

/// The pods behind the Service's ready endpoints.
pub(super) fn ready_pods(world: &World, service: &str) -> BTreeSet<NamespacedName> {
    world
        .ready_endpoints(&key(service))
        .into_iter()
        .map(|p| NamespacedName::new(&p.metadata.namespace, &p.metadata.name))
        .collect()
}

/// `ready_endpoints`.
pub(super) fn ready_endpoints(world: &World, service: &str, at_least: usize) -> bool {
    world.ready_endpoints(&key(service)).len() >= at_least
}

/// `not_ready_endpoints`.
pub(super) fn not_ready_endpoints(world: &World, service: &str, at_least: usize) -> bool {
    endpoints(world, service)
        .iter()
        .filter(|e| !e.conditions.ready)
        .count()
        >= at_least
}

/// `terminating_endpoints`.
pub(super) fn terminating_endpoints(world: &World, service: &str, at_least: usize) -> bool {
    endpoints(world, service)
        .iter()
        .filter(|e| e.conditions.terminating && e.conditions.serving)
        .count()
        >= at_least
}

/// `pod_replaced`.
pub(super) fn pod_replaced(world: &World, deployment: &str, baseline: &Baseline) -> bool {
    let pods = world.pods_of_deployment(&key(deployment));
    let live: BTreeSet<NamespacedName> = pods
        .iter()
        .filter(|p| !p.metadata.is_terminating())
        .map(|p| NamespacedName::new(&p.metadata.namespace, &p.metadata.name))
        .collect();
    let lost = baseline
        .deployment_pods
        .get(&key(deployment))
        .is_some_and(|before| before.iter().any(|p| !live.contains(p)));
    let fresh = pods.iter().any(|p| {
        let k = NamespacedName::new(&p.metadata.namespace, &p.metadata.name);
        !baseline.pods.contains(&k) && World::is_serving(p)
    });
    lost && fresh
}

/// `endpoints_replaced`.
pub(super) fn endpoints_replaced(world: &World, service: &str, baseline: &Baseline) -> bool {
    let ready = ready_pods(world, service);
    !ready.is_empty() && ready.iter().all(|p| !baseline.pods.contains(p))
}

/// `selector_matches`.
pub(super) fn selector_matches(world: &World, service: &str, deployment: &str) -> bool {
    let ready = ready_pods(world, service);
    let want: Vec<NamespacedName> = world
        .pods_of_deployment(&key(deployment))
        .into_iter()
        .filter(|p| World::is_serving(p))
        .map(|p| NamespacedName::new(&p.metadata.namespace, &p.metadata.name))
        .collect();
    !want.is_empty() && want.iter().all(|p| ready.contains(p))
}
