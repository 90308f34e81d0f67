//! Goals about how a Service is exposed: its own fields (ClusterIP, type, node ports
//! and load balancers through `Service::layers`, traffic policy, session affinity).

use super::{Baseline, key};
use crate::World;
use crate::objects::{Layer, Service, ServiceType, TrafficPolicy};

fn svc<'w>(world: &'w World, name: &str) -> Option<&'w Service> {
    world.service(&key(name))
}

/// `cluster_ip_unchanged`.
pub(super) fn cluster_ip_unchanged(world: &World, service: &str, baseline: &Baseline) -> bool {
    match (svc(world, service), baseline.cluster_ips.get(&key(service))) {
        (Some(s), Some(ip)) => &s.spec.cluster_ip == ip,
        _ => false,
    }
}

/// `service_type`.
pub(super) fn service_type(world: &World, service: &str, type_: &str) -> bool {
    svc(world, service).is_some_and(|s| s.spec.effective_type() == ServiceType::parse(type_))
}

/// `reachable_from_outside`.
pub(super) fn reachable_from_outside(
    world: &World,
    service: &str,
    without_load_balancer: bool,
) -> bool {
    svc(world, service).is_some_and(|s| {
        let layers = s.layers();
        let node_port = layers.iter().any(|l| matches!(l, Layer::NodePort(_)));
        let lb = layers
            .iter()
            .any(|l| matches!(l, Layer::LoadBalancer(Some(_))));
        let ready = !world.ready_endpoints(&key(service)).is_empty();
        let outside = if without_load_balancer {
            node_port && s.spec.effective_type() == ServiceType::NodePort
        } else {
            node_port || lb
        };
        ready && outside
    })
}

/// `load_balancer_pending`.
pub(super) fn load_balancer_pending(world: &World, service: &str) -> bool {
    svc(world, service).is_some_and(|s| s.layers().contains(&Layer::LoadBalancer(None)))
}

/// `load_balancer_address`.
pub(super) fn load_balancer_address(world: &World, service: &str) -> bool {
    svc(world, service).is_some_and(|s| {
        s.layers()
            .iter()
            .any(|l| matches!(l, Layer::LoadBalancer(Some(_))))
    })
}

/// `external_traffic_policy`.
pub(super) fn external_traffic_policy(world: &World, service: &str, policy: &str) -> bool {
    svc(world, service).is_some_and(|s| {
        let want = TrafficPolicy::parse(policy);
        let have = match &s.spec.external_traffic_policy {
            TrafficPolicy::Unset => TrafficPolicy::Cluster,
            p => p.clone(),
        };
        have == want
    })
}

/// `session_affinity`.
pub(super) fn session_affinity(world: &World, service: &str, client_ip: bool) -> bool {
    svc(world, service).is_some_and(|s| s.spec.client_ip_affinity() == client_ip)
}
