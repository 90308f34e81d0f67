//! Goals about traffic: requests served, dropped or refused since the step began (from
//! the world's counters against the step's [`Baseline`]), the connections a client
//! holds open, and what a pod's resolver answers for a name.

use std::collections::{BTreeMap, BTreeSet};

use super::membership::{endpoints, ready_pods};
use super::{Baseline, key};
use crate::World;
use crate::objects::NamespacedName;

/// Requests each of the Service's endpoints (by pod) served since the last change.
fn served_since(
    world: &World,
    service: &str,
    baseline: &Baseline,
) -> BTreeMap<NamespacedName, u64> {
    endpoints(world, service)
        .iter()
        .filter_map(|e| e.target_ref.as_ref())
        .map(|r| {
            let p = NamespacedName::new(&r.namespace, &r.name);
            let before = baseline.served.get(&p).copied().unwrap_or(0);
            let n = world.requests_served(&p).saturating_sub(before);
            (p, n)
        })
        .collect()
}

/// `requests_dropped`.
pub(super) fn requests_dropped(
    world: &World,
    service: &str,
    at_least: u64,
    baseline: &Baseline,
) -> bool {
    let before = baseline.dropped.get(&key(service)).copied().unwrap_or(0);
    world.requests_dropped(&key(service)).saturating_sub(before) >= at_least
}

/// `served_by_one_pod`.
pub(super) fn served_by_one_pod(
    world: &World,
    service: &str,
    at_least: u64,
    baseline: &Baseline,
) -> bool {
    let members: BTreeSet<NamespacedName> = endpoints(world, service)
        .iter()
        .filter_map(|e| e.target_ref.as_ref())
        .map(|r| NamespacedName::new(&r.namespace, &r.name))
        .collect();
    let grew: Vec<u64> = members
        .iter()
        .map(|p| {
            let before = baseline.served.get(p).copied().unwrap_or(0);
            world.requests_served(p).saturating_sub(before)
        })
        .filter(|n| *n > 0)
        .collect();
    grew.len() == 1 && grew[0] >= at_least
}

/// `connected_pods`.
pub(super) fn connected_pods(
    world: &World,
    client: &str,
    service: &str,
    at_least: usize,
    at_most: Option<usize>,
) -> bool {
    let pods: BTreeSet<NamespacedName> = world
        .connections()
        .into_iter()
        .filter(|c| c.client == client && c.service.as_ref() == Some(&key(service)))
        .filter_map(|c| c.pod)
        .collect();
    !pods.is_empty() && pods.len() >= at_least && at_most.is_none_or(|most| pods.len() <= most)
}

/// `new_endpoints_idle`.
pub(super) fn new_endpoints_idle(
    world: &World,
    service: &str,
    at_least: u64,
    baseline: &Baseline,
) -> bool {
    let ready = ready_pods(world, service);
    let new: Vec<&NamespacedName> = ready
        .iter()
        .filter(|p| !baseline.pods.contains(p))
        .collect();
    let served: u64 = served_since(world, service, baseline).values().sum();
    !new.is_empty() && new.iter().all(|p| world.requests_served(p) == 0) && served >= at_least
}

/// `requests_spread`.
pub(super) fn requests_spread(
    world: &World,
    service: &str,
    pods_at_least: usize,
    baseline: &Baseline,
) -> bool {
    served_since(world, service, baseline)
        .values()
        .filter(|n| **n > 0)
        .count()
        >= pods_at_least
}

/// `requests_served`.
pub(super) fn requests_served(
    world: &World,
    service: &str,
    at_least: u64,
    baseline: &Baseline,
) -> bool {
    served_since(world, service, baseline).values().sum::<u64>() >= at_least
}

/// `requests_refused`.
pub(super) fn requests_refused(
    world: &World,
    service: &str,
    at_least: u64,
    baseline: &Baseline,
) -> bool {
    let before = baseline.refused.get(&key(service)).copied().unwrap_or(0);
    world.requests_refused(&key(service)).saturating_sub(before) >= at_least
}

/// `name_resolves`.
pub(super) fn name_resolves(world: &World, pod: &str, name: &str, service: &str) -> bool {
    let pod = key(pod);
    world.pod(&pod).is_some()
        && world.service(&key(service)).is_some_and(|s| {
            let resolved = world.resolve(&pod.namespace, name);
            resolved.address.map(|a| a.to_string()).as_deref() == Some(s.spec.cluster_ip.as_str())
        })
}
