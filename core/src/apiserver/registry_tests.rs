//! Tests of the Service registry: create, update, delete, and what they allocate.

#![allow(clippy::unwrap_used)]

use std::net::IpAddr;

use super::service_registry::{
    RegistryConfig, ServiceRegistry, external_name_record, invalid_message,
};
use crate::objects::service::ServicePort;
use crate::objects::{ObjectMeta, Service};

use crate::objects::{ServiceType, TrafficPolicy};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn registry() -> ServiceRegistry {
    ServiceRegistry::new(RegistryConfig::default(), 42).unwrap()
}

fn svc(name: &str, ty: &str, ports: &[(&str, &str, i32, i32)]) -> Service {
    let mut s = Service {
        metadata: ObjectMeta::named("default", name),
        ..Service::default()
    };
    s.spec.type_ = ty.into();
    s.spec.selector = Some([("app".to_owned(), name.to_owned())].into());
    s.spec.ports = ports
        .iter()
        .map(|(n, proto, port, np)| ServicePort {
            name: (*n).into(),
            protocol: (*proto).into(),
            port: *port,
            node_port: *np,
            ..ServicePort::default()
        })
        .collect();
    s
}

fn ip_num(s: &str) -> u32 {
    u32::from(s.parse::<std::net::Ipv4Addr>().unwrap())
}

#[test]
fn create_defaults_and_allocates_from_the_dynamic_band() {
    let mut r = registry();
    assert_eq!(r.kubernetes_service().spec.cluster_ip, "10.96.0.1");
    let s = r.create(svc("web", "", &[("", "", 80, 0)])).unwrap();
    assert_eq!(s.spec.type_, ServiceType::ClusterIp);
    assert!(
        ip_num(&s.spec.cluster_ip) >= ip_num("10.96.1.1"),
        "{}",
        s.spec.cluster_ip
    );
    assert_eq!(s.spec.cluster_ips, vec![s.spec.cluster_ip.clone()]);
    assert_eq!(s.spec.ip_families, vec!["IPv4".to_owned()]);
    assert_eq!(s.spec.ip_family_policy.as_deref(), Some("SingleStack"));
    assert_eq!(r.cluster_ips().used(), 2);
}

#[test]
fn a_taken_cluster_ip_is_refused_in_upstream_words_and_nothing_changes() {
    let mut r = registry();
    let mut s = svc("web", "NodePort", &[("", "TCP", 80, 0)]);
    s.spec.cluster_ip = "10.96.0.1".into();
    let (ips, ports) = (r.cluster_ips().free(), r.node_ports().free());
    let errs = r.create(s).unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "spec.clusterIPs: Invalid value: [\"10.96.0.1\"]: failed to allocate IP 10.96.0.1: provided IP is already allocated"
    );
    assert_eq!(
        (r.cluster_ips().free(), r.node_ports().free()),
        (ips, ports)
    );
}

#[test]
fn node_ports_are_shared_by_port_number_and_requests_are_checked() {
    let mut r = registry();
    let s = r
        .create(svc(
            "dns",
            "NodePort",
            &[
                ("dns", "UDP", 53, 0),
                ("dns-tcp", "TCP", 53, 0),
                ("m", "TCP", 9153, 0),
            ],
        ))
        .unwrap();
    let nps: Vec<i32> = s.spec.ports.iter().map(|p| p.node_port).collect();
    assert_eq!(nps[0], nps[1], "53/UDP and 53/TCP share a node port");
    assert_ne!(nps[0], nps[2]);
    assert!(nps.iter().all(|p| (30086..=32767).contains(p)), "{nps:?}");
    assert_eq!(s.spec.external_traffic_policy, TrafficPolicy::Cluster);

    let taken = svc("b", "NodePort", &[("", "TCP", 80, nps[2])]);
    let errs = r.create(taken).unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        format!(
            "spec.ports[0].nodePort: Invalid value: {}: provided port is already allocated",
            nps[2]
        )
    );
    let out = svc("c", "NodePort", &[("", "TCP", 80, 8080)]);
    let errs = r.create(out).unwrap_err();
    assert_eq!(
        invalid_message("c", &errs),
        "Service \"c\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767"
    );
    // A requested port in the static band is fine.
    let ok = r
        .create(svc("d", "NodePort", &[("", "TCP", 80, 30007)]))
        .unwrap();
    assert_eq!(ok.spec.ports[0].node_port, 30007);
}

#[test]
fn load_balancer_local_gets_a_health_check_port_and_an_ingress_ip() {
    let mut r = registry();
    let mut s = svc("lb", "LoadBalancer", &[("", "TCP", 80, 0)]);
    s.spec.external_traffic_policy = TrafficPolicy::Local;
    let s = r.create(s).unwrap();
    assert_ne!(s.spec.health_check_node_port, 0);
    assert_ne!(s.spec.ports[0].node_port, 0);
    assert_eq!(s.status.load_balancer.ingress[0].ip, "203.0.113.10");
    assert_eq!(
        s.status.load_balancer.ingress[0].ip_mode.as_deref(),
        Some("VIP")
    );

    let mut no_np = svc("lb2", "LoadBalancer", &[("", "TCP", 80, 0)]);
    no_np.spec.allocate_load_balancer_node_ports = Some(false);
    let no_np = r.create(no_np).unwrap();
    assert_eq!(no_np.spec.ports[0].node_port, 0);
    assert_eq!(no_np.status.load_balancer.ingress[0].ip, "203.0.113.11");

    let mut foreign = svc("lb3", "LoadBalancer", &[("", "TCP", 80, 0)]);
    foreign.spec.load_balancer_class = Some("example.com/other".into());
    let foreign = r.create(foreign).unwrap();
    assert!(
        foreign.status.load_balancer.ingress.is_empty(),
        "another class: stays <pending>"
    );
}

#[test]
fn empty_pool_leaves_the_load_balancer_pending() {
    let cfg = RegistryConfig {
        load_balancer_pool: vec![],
        ..RegistryConfig::default()
    };
    let mut r = ServiceRegistry::new(cfg, 1).unwrap();
    let s = r
        .create(svc("lb", "LoadBalancer", &[("", "TCP", 80, 0)]))
        .unwrap();
    assert!(s.status.load_balancer.ingress.is_empty());
}

#[test]
fn type_transitions_allocate_and_release_each_layer() {
    let mut r = registry();
    let (ip0, np0) = (r.cluster_ips().free(), r.node_ports().free());
    let c = r
        .create(svc("web", "ClusterIP", &[("", "TCP", 80, 0)]))
        .unwrap();
    let mut want = c.clone();
    want.spec.type_ = ServiceType::LoadBalancer;
    let lb = r.update(&c, want).unwrap();
    assert_eq!(
        lb.spec.cluster_ip, c.spec.cluster_ip,
        "the ClusterIP is kept"
    );
    assert_ne!(lb.spec.ports[0].node_port, 0);
    assert_eq!(lb.status.load_balancer.ingress.len(), 1);
    assert_eq!(r.node_ports().free(), np0 - 1);

    // Back to ClusterIP with the stored object as given: node ports and LB IP go.
    let mut back = lb.clone();
    back.spec.type_ = ServiceType::ClusterIp;
    let back = r.update(&lb, back).unwrap();
    assert_eq!(back.spec.ports[0].node_port, 0);
    assert_eq!(back.spec.external_traffic_policy, TrafficPolicy::Unset);
    assert!(back.status.load_balancer.ingress.is_empty());
    assert_eq!(r.node_ports().free(), np0);
    assert_eq!(r.load_balancers().free(), 10);

    // To ExternalName: the IP is released; and back: a new one is allocated.
    let mut en = back.clone();
    en.spec.type_ = ServiceType::ExternalName;
    en.spec.external_name = "db.example.com".into();
    let en = r.update(&back, en).unwrap();
    assert_eq!(en.spec.cluster_ip, "");
    assert_eq!(r.cluster_ips().free(), ip0);
    assert_eq!(
        external_name_record(&en, "cluster.local").unwrap(),
        "web.default.svc.cluster.local. CNAME db.example.com."
    );
    let mut again = en.clone();
    again.spec.type_ = ServiceType::ClusterIp;
    again.spec.external_name.clear();
    let again = r.update(&en, again).unwrap();
    assert!(!again.spec.cluster_ip.is_empty());
    assert_eq!(r.cluster_ips().free(), ip0 - 1);

    r.delete(&again);
    assert_eq!((r.cluster_ips().free(), r.node_ports().free()), (ip0, np0));
}

#[test]
fn refused_updates_change_nothing() {
    let mut r = registry();
    let c = r
        .create(svc("web", "ClusterIP", &[("", "TCP", 80, 0)]))
        .unwrap();
    let (ips, ports) = (r.cluster_ips().free(), r.node_ports().free());
    let mut moved = c.clone();
    moved.spec.cluster_ip = "10.96.5.5".into();
    moved.spec.cluster_ips = vec!["10.96.5.5".into()];
    let errs = r.update(&c, moved).unwrap_err();
    assert!(
        errs[0].to_string().starts_with(
            "spec.clusterIPs[0]: Invalid value: [\"10.96.5.5\"]: may not change once set"
        ),
        "{errs:?}"
    );
    let mut bad = c.clone();
    bad.spec.type_ = ServiceType::NodePort;
    bad.spec.ports[0].port = 70000;
    assert!(r.update(&c, bad).is_err());
    assert_eq!(
        (r.cluster_ips().free(), r.node_ports().free()),
        (ips, ports)
    );
    assert!(
        !r.cluster_ips()
            .is_allocated("10.96.5.5".parse::<IpAddr>().unwrap())
    );
}

#[test]
fn invalid_create_allocates_nothing() {
    let mut r = registry();
    let before = r.cluster_ips().free();
    let errs = r
        .create(svc("Bad_Name", "ClusterIP", &[("", "TCP", 0, 0)]))
        .unwrap_err();
    let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("metadata.name: Invalid value: \"Bad_Name\": a DNS-1035 label")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t
                == "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
        "{text:?}"
    );
    assert_eq!(r.cluster_ips().free(), before);
}
