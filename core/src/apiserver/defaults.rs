//! Defaults the API server applies to a Service before validating it.
//!
//! Upstream: kubernetes/kubernetes@v1.31.0 `pkg/apis/core/v1/defaults.go` `SetDefaults_Service`
//! and `SetDefaults_LoadBalancerIngress`; `pkg/registry/core/service/strategy.go`
//! `PrepareForCreate` (`clusterIPs` follows `clusterIP`); `pkg/api/service/util.go`
//! `ExternallyAccessible`, `NeedsHealthCheck`.
//! Simplification: `ipFamilies`/`ipFamilyPolicy` are filled at allocation time for a
//! single-stack cluster (see `service_registry`), not here.

use crate::objects::service::{
    ClientIpConfig, DEFAULT_CLIENT_IP_AFFINITY_SECONDS, IntOrString, Service, SessionAffinityConfig,
};
use crate::objects::{Protocol, ServiceType, SessionAffinity, TrafficPolicy};

/// Type NodePort or LoadBalancer, or ClusterIP with external IPs.
pub fn externally_accessible(svc: &Service) -> bool {
    match svc.spec.type_ {
        ServiceType::LoadBalancer | ServiceType::NodePort => true,
        ServiceType::ClusterIp => !svc.spec.external_ips.is_empty(),
        _ => false,
    }
}

/// Type LoadBalancer with `externalTrafficPolicy: Local` (a health-check port is needed).
pub fn needs_health_check(svc: &Service) -> bool {
    svc.spec.type_ == ServiceType::LoadBalancer
        && svc.spec.external_traffic_policy == TrafficPolicy::Local
}

/// Applies `SetDefaults_Service` in place.
pub fn set_defaults(svc: &mut Service) {
    let spec = &mut svc.spec;
    if spec.type_.is_unset() {
        spec.type_ = ServiceType::ClusterIp;
    }
    if spec.session_affinity.is_unset() {
        spec.session_affinity = SessionAffinity::None;
    }
    if spec.session_affinity == SessionAffinity::None {
        spec.session_affinity_config = None;
    }
    if spec.session_affinity == SessionAffinity::ClientIp {
        let cfg = spec
            .session_affinity_config
            .get_or_insert_with(SessionAffinityConfig::default);
        let ip = cfg.client_ip.get_or_insert_with(ClientIpConfig::default);
        if ip.timeout_seconds.is_none() {
            ip.timeout_seconds = Some(DEFAULT_CLIENT_IP_AFFINITY_SECONDS);
        }
    }
    for p in &mut spec.ports {
        if p.protocol.is_unset() {
            p.protocol = Protocol::Tcp;
        }
        if p.target_port.is_unset() {
            p.target_port = IntOrString::Int(p.port);
        }
    }
    let ty = spec.type_.clone();
    if matches!(
        ty,
        ServiceType::ClusterIp | ServiceType::NodePort | ServiceType::LoadBalancer
    ) && spec.internal_traffic_policy.is_unset()
    {
        spec.internal_traffic_policy = TrafficPolicy::Cluster;
    }
    if ty == ServiceType::LoadBalancer && spec.allocate_load_balancer_node_ports.is_none() {
        spec.allocate_load_balancer_node_ports = Some(true);
    }
    for ing in &mut svc.status.load_balancer.ingress {
        if !ing.ip.is_empty() && ing.ip_mode.is_none() {
            ing.ip_mode = Some("VIP".to_owned());
        }
    }
    if externally_accessible(svc) && svc.spec.external_traffic_policy.is_unset() {
        svc.spec.external_traffic_policy = TrafficPolicy::Cluster;
    }
    // PrepareForCreate/Update: a lone clusterIP becomes clusterIPs[0].
    let spec = &mut svc.spec;
    if !spec.cluster_ip.is_empty() && spec.cluster_ips.is_empty() {
        spec.cluster_ips = vec![spec.cluster_ip.clone()];
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::objects::service::ServicePort;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn defaults_fill_what_kubectl_get_o_yaml_shows() {
        let mut s = Service::default();
        s.spec.ports = vec![ServicePort {
            port: 80,
            ..ServicePort::default()
        }];
        s.spec.session_affinity = SessionAffinity::ClientIp;
        set_defaults(&mut s);
        assert_eq!(s.spec.type_, ServiceType::ClusterIp);
        assert_eq!(s.spec.ports[0].protocol, Protocol::Tcp);
        assert_eq!(s.spec.ports[0].target_port, IntOrString::Int(80));
        assert_eq!(s.spec.internal_traffic_policy, TrafficPolicy::Cluster);
        assert_eq!(s.spec.external_traffic_policy, TrafficPolicy::Unset);
        let t = s
            .spec
            .session_affinity_config
            .as_ref()
            .unwrap()
            .client_ip
            .as_ref()
            .unwrap()
            .timeout_seconds;
        assert_eq!(t, Some(10800));

        let mut lb = Service::default();
        lb.spec.type_ = ServiceType::LoadBalancer;
        lb.spec.session_affinity_config = Some(SessionAffinityConfig::default());
        set_defaults(&mut lb);
        assert_eq!(lb.spec.external_traffic_policy, TrafficPolicy::Cluster);
        assert_eq!(lb.spec.allocate_load_balancer_node_ports, Some(true));
        assert_eq!(lb.spec.session_affinity, SessionAffinity::None);
        assert_eq!(
            lb.spec.session_affinity_config, None,
            "None clears the config"
        );
    }
}
