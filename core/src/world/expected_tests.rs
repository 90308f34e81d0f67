//! The expected share against hand-computed values, and against the traffic the
//! world actually sends.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::*;
use crate::objects::build::app;
use crate::proxy::{IpvsScheduler, ProxyMode};
use crate::scenario::{self, EXTERNAL_USER_IP};

use crate::objects::build::{http_service, node_in_zone, web_deployment};
use crate::objects::{ServiceType, TrafficPolicy};
use crate::world::{ClientSpec, Command};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A client pod `name` sending `rate` requests per second to `web`, a new connection
/// per request (fortio `-keepalive=false`).
fn client(w: &mut World, name: &str, rate: u32) {
    w.apply(Command::AddClient {
        client: ClientSpec::in_cluster(name, NamespacedName::default_ns("web"), rate),
    })
    .unwrap();
}

/// Nodes node-a and node-b; Deployment and Service `web` with three pods, which the
/// scheduler places two on node-a and one on node-b; every pod Ready.
fn world() -> World {
    let mut w = World::new(3);
    w.apply(Command::Create {
        objects: vec![node_in_zone("node-a", "zone-a").into()],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![node_in_zone("node-b", "zone-b").into()],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![web_deployment(&NamespacedName::default_ns("web"), app("web"), 3).into()],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![http_service(&NamespacedName::default_ns("web"), app("web")).into()],
    })
    .unwrap();
    w.step(3_000);
    assert_eq!(on("node-a", &w).len(), 2);
    assert_eq!(on("node-b", &w).len(), 1);
    w
}

/// The `web` pods on a node, by name.
fn on(node: &str, w: &World) -> Vec<String> {
    w.pods()
        .values()
        .filter(|p| p.spec.node_name == node && p.metadata.name.starts_with("web"))
        .map(|p| p.metadata.name.clone())
        .collect()
}

/// Shares by pod name (every pod here is in `default`), rounded.
fn round(m: &BTreeMap<NamespacedName, f64>) -> BTreeMap<String, f64> {
    m.iter()
        .map(|(k, v)| (k.name.clone(), (v * 1e9).round() / 1e9))
        .collect()
}

fn want(rows: &[(&str, f64)]) -> BTreeMap<String, f64> {
    rows.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

const THIRD: f64 = 0.333_333_333;
const SIXTH: f64 = 0.166_666_667;

#[test]
fn three_ready_pods_under_cluster_policy_get_a_third_each() {
    let mut w = world();
    assert!(
        w.expected_share(&NamespacedName::default_ns("web"))
            .is_empty(),
        "no client, no expectation"
    );
    w.apply(Command::AddClient {
        client: ClientSpec::in_cluster("client", NamespacedName::default_ns("web"), 4),
    })
    .unwrap();
    assert!(
        w.expected_share(&NamespacedName::default_ns("web"))
            .is_empty(),
        "the client pod is not running yet"
    );
    w.step(3_000);
    let pods: Vec<String> = [on("node-a", &w), on("node-b", &w)].concat();
    let rows: Vec<(&str, f64)> = pods.iter().map(|p| (p.as_str(), THIRD)).collect();
    assert_eq!(
        round(&w.expected_share(&NamespacedName::default_ns("web"))),
        want(&rows)
    );
}

#[test]
fn a_pod_that_is_not_ready_expects_nothing() {
    let mut w = world();
    w.apply(Command::AddClient {
        client: ClientSpec::in_cluster("client", NamespacedName::default_ns("web"), 4),
    })
    .unwrap();
    let a = on("node-a", &w);
    let b = on("node-b", &w);
    w.apply(Command::BreakPod {
        pod: NamespacedName::default_ns(&a[0]),
    })
    .ok();
    w.step(40_000);
    assert_eq!(
        round(&w.expected_share(&NamespacedName::default_ns("web"))),
        want(&[(&a[1], 0.5), (&b[0], 0.5)])
    );
}

#[test]
fn external_local_load_balancer_splits_by_healthy_node_then_locally() {
    let mut w = world();
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("web"),
        service_type: ServiceType::parse("LoadBalancer"),
    })
    .ok();
    w.apply(Command::SetExternalTrafficPolicy {
        service: NamespacedName::default_ns("web"),
        policy: TrafficPolicy::parse("Local"),
    })
    .ok();
    w.apply(Command::AddClient {
        client: ClientSpec::external(
            "user",
            NamespacedName::default_ns("web"),
            EXTERNAL_USER_IP,
            2,
        ),
    })
    .unwrap();
    let (a, b) = (on("node-a", &w), on("node-b", &w));
    // The LB sends half to each healthy node; node-a splits its half over two pods.
    assert_eq!(
        round(&w.expected_share(&NamespacedName::default_ns("web"))),
        want(&[(&a[0], 0.25), (&a[1], 0.25), (&b[0], 0.5)])
    );
}

#[test]
fn external_local_node_port_drops_what_enters_a_node_without_endpoints() {
    let mut w = world();
    w.apply(Command::Create {
        objects: vec![node_in_zone("node-c", "zone-c").into()],
    })
    .unwrap();
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("web"),
        service_type: ServiceType::parse("NodePort"),
    })
    .ok();
    w.apply(Command::SetExternalTrafficPolicy {
        service: NamespacedName::default_ns("web"),
        policy: TrafficPolicy::parse("Local"),
    })
    .ok();
    w.apply(Command::AddClient {
        client: ClientSpec::external(
            "user",
            NamespacedName::default_ns("web"),
            EXTERNAL_USER_IP,
            3,
        ),
    })
    .unwrap();
    let (a, b) = (on("node-a", &w), on("node-b", &w));
    // One third enters each node; node-c's third is dropped.
    let got = w.expected_share(&NamespacedName::default_ns("web"));
    assert_eq!(
        round(&got),
        want(&[(&a[0], SIXTH), (&a[1], SIXTH), (&b[0], THIRD)])
    );
    let lost = 1.0 - got.values().sum::<f64>();
    assert!((lost - 1.0 / 3.0).abs() < 1e-9, "{lost}");
}

#[test]
fn two_clients_mix_by_rate_under_internal_local() {
    let mut w = world();
    w.apply(Command::SetInternalTrafficPolicy {
        service: NamespacedName::default_ns("web"),
        policy: TrafficPolicy::parse("Local"),
    })
    .ok();
    client(&mut w, "c-b", 8);
    client(&mut w, "c-a", 4);
    w.step(3_000);
    assert_eq!(
        w.pods()[&NamespacedName::default_ns("c-b")].spec.node_name,
        "node-b"
    );
    assert_eq!(
        w.pods()[&NamespacedName::default_ns("c-a")].spec.node_name,
        "node-a"
    );
    let (a, b) = (on("node-a", &w), on("node-b", &w));
    // c-b (8/s) reaches only node-b's pod; c-a (4/s) node-a's two, half each.
    assert_eq!(
        round(&w.expected_share(&NamespacedName::default_ns("web"))),
        want(&[(&a[0], SIXTH), (&a[1], SIXTH), (&b[0], 0.666_666_667)])
    );
}

#[test]
fn the_last_serving_terminating_pod_gets_everything() {
    let mut w = World::new(5);
    w.apply(Command::Create {
        objects: vec![node_in_zone("node-a", "zone-a").into()],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![web_deployment(&NamespacedName::default_ns("web"), app("web"), 1).into()],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![http_service(&NamespacedName::default_ns("web"), app("web")).into()],
    })
    .unwrap();
    client(&mut w, "client", 10);
    w.step(3_000);
    let old = on("node-a", &w).remove(0);
    w.apply(Command::DeletePod {
        pod: NamespacedName::default_ns(&old),
    })
    .ok();
    assert_eq!(on("node-a", &w).len(), 2, "the replacement is starting");
    assert_eq!(
        round(&w.expected_share(&NamespacedName::default_ns("web"))),
        want(&[(&old, 1.0)])
    );
    w.drain_requests();
    w.step(1_000);
    let served: Vec<Option<String>> = w
        .drain_requests()
        .into_iter()
        .map(|r| r.pod().map(|p| p.name.clone()))
        .collect();
    assert_eq!(served, vec![Some(old); 10], "and it does serve them all");
}

#[test]
fn client_ip_affinity_expects_the_pin_after_the_first_request() {
    let mut w = world();
    client(&mut w, "client", 5);
    w.step(3_000);
    w.apply(Command::SetSessionAffinity {
        service: NamespacedName::default_ns("web"),
        timeout_seconds: Some(60),
    })
    .ok();
    assert!(
        w.expected_share(&NamespacedName::default_ns("web"))
            .values()
            .all(|p| (p - 1.0 / 3.0).abs() < 1e-9),
        "before the first request: each pod's chance of becoming the pin"
    );
    w.drain_requests();
    w.step(2_000);
    let pods: Vec<String> = w
        .drain_requests()
        .into_iter()
        .filter_map(|r| r.pod().map(|p| p.name.clone()))
        .collect();
    assert_eq!(pods.len(), 10);
    assert!(pods.iter().all(|p| *p == pods[0]), "sticky: {pods:?}");
    assert_eq!(
        round(&w.expected_share(&NamespacedName::default_ns("web"))),
        want(&[(&pods[0], 1.0)])
    );
}

#[test]
fn ipvs_lc_sends_the_next_connection_to_the_least_overhead() {
    let mut w = world();
    w.apply(Command::SetProxyMode {
        mode: ProxyMode::Ipvs(IpvsScheduler::Lc),
    })
    .unwrap();
    client(&mut w, "client", 5);
    w.step(3_000);
    let node = w.pods()[&NamespacedName::default_ns("client")]
        .spec
        .node_name
        .clone();
    let list: Vec<String> = w
        .dataplane()
        .node_ports(&node)
        .and_then(|(_, ports)| {
            let (_, eps, view) = ports.into_iter().find(|p| p.0.name.name == "web")?;
            let names = view.cluster.as_ref()?.iter().filter_map(|&i| {
                let IpAddr::V4(ip) = eps.get(i)?.ip else {
                    return None;
                };
                w.pod_by_ip(ip).map(|k| k.name.clone())
            });
            Some(names.collect())
        })
        .unwrap_or_default();
    assert_eq!(list.len(), 3);
    assert_eq!(
        round(&w.expected_share(&NamespacedName::default_ns("web"))),
        want(&[(&list[0], 1.0)]),
        "no connection yet: the first in list order"
    );
    w.drain_requests();
    w.step(1_200);
    // Each connection closes after its request and stays inactive for TIME_WAIT's
    // 120 s: the least overhead moves on, endpoint by endpoint.
    let served: Vec<String> = w
        .drain_requests()
        .iter()
        .filter_map(|r| r.pod().map(|p| p.name.clone()))
        .collect();
    let cycle: Vec<String> = list.iter().cycle().take(6).cloned().collect();
    assert_eq!(served, cycle);
    assert_eq!(
        round(&w.expected_share(&NamespacedName::default_ns("web"))),
        want(&[(&list[0], 1.0)]),
        "each has two inactive: the next goes to the first again"
    );
}

/// In the default picture with `prod` a Local LoadBalancer, the shares served over a
/// minute land within 4 points of the expectation.
#[test]
fn served_shares_match_the_expectation() {
    let mut w = scenario::default_world(21);
    w.step(3_000);
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("LoadBalancer"),
    })
    .ok();
    w.apply(Command::SetExternalTrafficPolicy {
        service: NamespacedName::default_ns("prod"),
        policy: TrafficPolicy::parse("Local"),
    })
    .ok();
    w.drain_requests();
    w.step(60_000);
    let reqs = w.drain_requests();
    for svc in ["dev", "prod"] {
        let svc = NamespacedName::default_ns(svc);
        let mine: Vec<_> = reqs
            .iter()
            .filter(|r| r.service.as_ref() == Some(&svc))
            .collect();
        let expected = w.expected_share(&svc);
        assert!(!expected.is_empty());
        for (pod, p) in &expected {
            let n = mine.iter().filter(|r| r.pod() == Some(pod)).count();
            let seen = n as f64 / mine.len() as f64;
            assert!(
                (seen - p).abs() < 0.04,
                "{svc}/{pod}: served {seen}, expected {p}"
            );
        }
    }
    assert_eq!(
        w.expected_shares(),
        ["dev", "prod"]
            .into_iter()
            .map(|s| {
                let s = NamespacedName::default_ns(s);
                let share = w.expected_share(&s);
                (s, share)
            })
            .collect(),
        "one pass gives the same as Service by Service"
    );
}
