//! [`Dataplane::expected_split`] against hand-computed splits and against routing.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::proxy::types::{Endpoint, NodeInfo, Protocol, ServicePortInfo, ServicePortName};
use crate::proxy::{Outcome, ProxyConfig};
use crate::sim::SimRng;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const LB: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 10));
const OUTSIDE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

/// Nodes n0..n2 at 192.168.0.10..12.
fn node_ip(i: u8) -> IpAddr {
    IpAddr::from([192, 168, 0, 10 + i])
}

fn port(external_local: bool, internal_local: bool) -> ServicePortInfo {
    ServicePortInfo {
        name: ServicePortName {
            namespace: "default".into(),
            name: "web".into(),
            port: String::new(),
        },
        protocol: Protocol::Tcp,
        cluster_ip: IpAddr::from([10, 96, 0, 1]),
        port: 80,
        node_port: 30080,
        load_balancer_ips: vec![LB],
        external_ips: Vec::new(),
        load_balancer_source_ranges: Vec::new(),
        external_policy_local: external_local,
        internal_policy_local: internal_local,
        affinity_timeout_secs: None,
        health_check_node_port: 0,
    }
}

/// Endpoint `10.244.0.<last>:8080` on node `n<node>`.
fn ep(last: u8, node: u8) -> Endpoint {
    Endpoint::ready(IpAddr::from([10, 244, 0, last]), 8080, &format!("n{node}"))
}

fn plane(mode: ProxyMode, info: ServicePortInfo, eps: Vec<Endpoint>) -> Dataplane {
    let mut dp = Dataplane::new(ProxyConfig {
        mode,
        ..ProxyConfig::default()
    });
    let nodes = (0..3u8)
        .map(|i| NodeInfo {
            name: format!("n{i}"),
            ip: node_ip(i),
            zone: None,
        })
        .collect();
    dp.sync(nodes, vec![(info, eps)]);
    dp
}

/// One endpoint on n0, two on n1, none on n2.
fn three() -> Vec<Endpoint> {
    vec![ep(1, 0), ep(2, 1), ep(3, 1)]
}

fn outside(dst: IpAddr, port: u16) -> Request {
    Request {
        client: Client::External { ip: OUTSIDE },
        dst,
        port,
        protocol: Protocol::Tcp,
    }
}

fn pod_on(node: u8) -> Request {
    Request {
        client: Client::Pod {
            node: format!("n{node}"),
            ip: IpAddr::from([10, 244, 9, 9]),
        },
        dst: IpAddr::from([10, 96, 0, 1]),
        port: 80,
        protocol: Protocol::Tcp,
    }
}

/// The split as `(last octet, probability)`, rounded to 1e-9.
fn shares(split: &Split) -> Vec<(u8, f64)> {
    split
        .iter()
        .map(|((ip, _), p)| {
            let IpAddr::V4(v4) = ip else { unreachable!() };
            (v4.octets()[3], (p * 1e9).round() / 1e9)
        })
        .collect()
}

const THIRD: f64 = 0.333_333_333;

#[test]
fn cluster_policy_splits_equally_among_every_ready_endpoint() {
    let dp = plane(ProxyMode::Iptables, port(false, false), three());
    let s = dp.expected_split(&pod_on(2), SimTime::ZERO);
    assert_eq!(shares(&s), [(1, THIRD), (2, THIRD), (3, THIRD)]);
    let s = dp.expected_split(&outside(LB, 80), SimTime::ZERO);
    assert_eq!(shares(&s), [(1, THIRD), (2, THIRD), (3, THIRD)]);
}

#[test]
fn external_local_keeps_traffic_on_the_entry_node() {
    let dp = plane(ProxyMode::Iptables, port(true, false), three());
    let at = |n: u8| shares(&dp.expected_split(&outside(node_ip(n), 30080), SimTime::ZERO));
    assert_eq!(
        at(0),
        [(1, 1.0)],
        "node n0's one local endpoint gets it all"
    );
    assert_eq!(at(1), [(2, 0.5), (3, 0.5)]);
    assert_eq!(at(2), [], "no local endpoint on n2: dropped");
    // The LB sends only to nodes passing the health check (n0, n1), half each.
    let s = dp.expected_split(&outside(LB, 80), SimTime::ZERO);
    assert_eq!(shares(&s), [(1, 0.5), (2, 0.25), (3, 0.25)]);
    // A pod's traffic to the nodePort is short-circuited to the cluster-wide list.
    let mut from_pod = pod_on(2);
    (from_pod.dst, from_pod.port) = (node_ip(2), 30080);
    let s = dp.expected_split(&from_pod, SimTime::ZERO);
    assert_eq!(shares(&s), [(1, THIRD), (2, THIRD), (3, THIRD)]);
}

#[test]
fn internal_local_uses_the_client_node_s_endpoints() {
    let dp = plane(ProxyMode::Nftables, port(false, true), three());
    let at = |n: u8| shares(&dp.expected_split(&pod_on(n), SimTime::ZERO));
    assert_eq!(at(0), [(1, 1.0)]);
    assert_eq!(at(1), [(2, 0.5), (3, 0.5)]);
    assert_eq!(at(2), [], "no local endpoint: dropped");
}

#[test]
fn serving_terminating_endpoints_only_when_none_is_ready() {
    let mut eps = three();
    for e in &mut eps {
        e.ready = false;
        e.serving = false;
    }
    eps[1].serving = true;
    eps[1].terminating = true;
    let dp = plane(ProxyMode::Iptables, port(false, false), eps.clone());
    let s = dp.expected_split(&pod_on(0), SimTime::ZERO);
    assert_eq!(shares(&s), [(2, 1.0)]);
    eps[0].ready = true;
    eps[0].serving = true;
    let dp = plane(ProxyMode::Iptables, port(false, false), eps);
    let s = dp.expected_split(&pod_on(0), SimTime::ZERO);
    assert_eq!(
        shares(&s),
        [(1, 1.0)],
        "a ready endpoint wins over terminating"
    );
}

#[test]
fn ipvs_schedulers() {
    let rr = plane(
        ProxyMode::Ipvs(IpvsScheduler::Rr),
        port(false, false),
        three(),
    );
    let s = rr.expected_split(&pod_on(0), SimTime::ZERO);
    assert_eq!(shares(&s), [(1, THIRD), (2, THIRD), (3, THIRD)]);
    let lc = plane(
        ProxyMode::Ipvs(IpvsScheduler::Lc),
        port(false, false),
        three(),
    );
    let s = lc.expected_split(&pod_on(0), SimTime::ZERO);
    assert_eq!(
        shares(&s),
        [(1, 1.0)],
        "connections close at once: lc keeps the first"
    );
    let mut sh = plane(
        ProxyMode::Ipvs(IpvsScheduler::Sh),
        port(false, false),
        three(),
    );
    let s = sh.expected_split(&pod_on(0), SimTime::ZERO);
    let bucket = source_hash_bucket(IpAddr::from([10, 244, 9, 9])) as usize % 3;
    let want = [1u8, 2, 3][bucket];
    assert_eq!(shares(&s), [(want, 1.0)]);
    let mut rng = SimRng::new(1);
    for _ in 0..5 {
        let (t, _) = sh.route(&pod_on(0), SimTime::ZERO, &mut rng);
        let Outcome::Served { ip, .. } = t.outcome else {
            unreachable!()
        };
        assert_eq!(ip, IpAddr::from([10, 244, 0, want]));
    }
}

#[test]
fn client_ip_affinity_expects_the_pin_once_made() {
    let mut info = port(false, false);
    info.affinity_timeout_secs = Some(10);
    let mut dp = plane(ProxyMode::Iptables, info, three());
    let req = pod_on(0);
    let before = dp.expected_split(&req, SimTime::ZERO);
    assert_eq!(
        shares(&before),
        [(1, THIRD), (2, THIRD), (3, THIRD)],
        "no pin yet: the chance of each endpoint becoming the pin"
    );
    let mut rng = SimRng::new(4);
    let (t, conn) = dp.route(&req, SimTime::ZERO, &mut rng);
    let Outcome::Served { ip, .. } = t.outcome else {
        unreachable!()
    };
    dp.close(conn.unwrap(), SimTime::ZERO, crate::proxy::Close::Fin);
    let pinned = dp.expected_split(&req, SimTime::from_secs(10));
    assert_eq!(pinned.keys().map(|k| k.0).collect::<Vec<_>>(), [ip]);
    assert_eq!(pinned.values().copied().collect::<Vec<_>>(), [1.0]);
    let expired = dp.expected_split(&req, SimTime(10_001));
    assert_eq!(expired, before, "the pin has expired");
    let other_node = dp.expected_split(&pod_on(1), SimTime::ZERO);
    assert_eq!(other_node, before, "pins are per node");
}

/// The expectation is what routing does: the frequencies of many routed
/// connections fall within 3 percentage points of it.
#[test]
fn routed_frequencies_match_the_expectation() {
    let cases = [
        (port(true, false), outside(LB, 80)),
        (port(false, false), outside(LB, 80)),
        (port(true, false), outside(node_ip(1), 30080)),
        (port(false, true), pod_on(1)),
    ];
    for (info, req) in cases {
        let mut dp = plane(ProxyMode::Iptables, info, three());
        let expected = dp.expected_split(&req, SimTime::ZERO);
        let mut rng = SimRng::new(9);
        let n = 6_000;
        let mut seen = Split::new();
        for _ in 0..n {
            let (t, _) = dp.route(&req, SimTime::ZERO, &mut rng);
            if let Outcome::Served { ip, port, .. } = t.outcome {
                *seen.entry((ip, port)).or_insert(0.0) += 1.0 / f64::from(n);
            }
        }
        assert_eq!(
            seen.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>()
        );
        for (k, p) in &expected {
            assert!(
                (seen[k] - p).abs() < 0.03,
                "{req:?}: {k:?} {} vs {p}",
                seen[k]
            );
        }
    }
}
