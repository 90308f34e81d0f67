//! Shared fixtures for the proxy tests: a three-node cluster and Service builders.

#![allow(dead_code, clippy::unwrap_used)]

use std::net::IpAddr;

use svcplay_core::apiserver::cluster_ip::Cidr;
use svcplay_core::proxy::{
    Dataplane, Endpoint, NodeInfo, Protocol, ProxyConfig, ProxyMode, ServicePortInfo,
    ServicePortName,
};

pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Nodes n1..n3 at 192.168.0.11..13, zones a, b, c.
pub fn nodes() -> Vec<NodeInfo> {
    (1..=3)
        .map(|i| NodeInfo {
            name: format!("n{i}"),
            ip: ip(&format!("192.168.0.{}", 10 + i)),
            zone: Some(["a", "b", "c"][i - 1].to_owned()),
        })
        .collect()
}

/// A ClusterIP service port `default/<name>:http` on `vip:80`.
pub fn port(name: &str, vip: &str) -> ServicePortInfo {
    ServicePortInfo {
        name: ServicePortName {
            namespace: "default".into(),
            name: name.into(),
            port: "http".into(),
        },
        protocol: Protocol::Tcp,
        cluster_ip: ip(vip),
        port: 80,
        node_port: 0,
        load_balancer_ips: vec![],
        external_ips: vec![],
        load_balancer_source_ranges: vec![],
        external_policy_local: false,
        internal_policy_local: false,
        affinity_timeout_secs: None,
        health_check_node_port: 0,
    }
}

/// Ready endpoints 10.244.<node>.<k>:8080 on the given nodes.
pub fn eps(on: &[&str]) -> Vec<Endpoint> {
    on.iter()
        .enumerate()
        .map(|(k, n)| {
            let node_no: u8 = n.trim_start_matches('n').parse().unwrap();
            Endpoint::ready(
                IpAddr::from([10, 244, node_no, 10 + u8::try_from(k).unwrap()]),
                8080,
                n,
            )
        })
        .collect()
}

pub fn dataplane(mode: ProxyMode, ports: Vec<(ServicePortInfo, Vec<Endpoint>)>) -> Dataplane {
    let mut dp = Dataplane::new(ProxyConfig {
        mode,
        cluster_cidr: Some(Cidr::parse("10.244.0.0/16").unwrap()),
        service_cidr: Some(Cidr::parse("10.96.0.0/12").unwrap()),
    });
    dp.sync(nodes(), ports);
    dp
}
