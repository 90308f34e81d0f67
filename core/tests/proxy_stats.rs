//! Statistical and scenario tests of kube-proxy's data path, over ≥ 100,000 requests
//! at fixed seeds.

#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "proxy_support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::net::IpAddr;

use support::*;
use svcplay_core::proxy::trace::Capture;
use svcplay_core::proxy::{
    Client, Dataplane, DropReason, Hop, IpvsScheduler, Outcome, Protocol, ProxyMode, RefuseReason,
    Request,
};
use svcplay_core::{SimRng, SimTime};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const N: usize = 100_000;

fn pod_client(node: &str, last: u8) -> Client {
    let n: u8 = node.trim_start_matches('n').parse().unwrap();
    Client::Pod {
        node: node.into(),
        ip: IpAddr::from([10, 244, n, last]),
    }
}

fn req(client: Client, dst: &str, port: u16) -> Request {
    Request {
        client,
        dst: ip(dst),
        port,
        protocol: Protocol::Tcp,
    }
}

/// Routes `n` requests and counts the serving endpoints.
fn histogram(dp: &mut Dataplane, r: &Request, n: usize, seed: u64) -> BTreeMap<IpAddr, usize> {
    let mut rng = SimRng::new(seed);
    let mut h = BTreeMap::new();
    for i in 0..n {
        let (t, _) = dp.route(r, SimTime(i as u64), &mut rng);
        *h.entry(t.endpoint().unwrap().0).or_insert(0) += 1;
    }
    h
}

/// Pearson's chi-square statistic against the uniform distribution.
fn chi_square(h: &BTreeMap<IpAddr, usize>, k: usize, n: usize) -> f64 {
    assert_eq!(h.len(), k, "every endpoint must be chosen");
    let e = n as f64 / k as f64;
    h.values().map(|&o| (o as f64 - e).powi(2) / e).sum()
}

#[test]
fn iptables_and_nftables_are_uniform_by_chi_square() {
    // Critical value of chi-square with 9 degrees of freedom at alpha = 0.001.
    const CRIT_DF9: f64 = 27.877;
    for mode in [ProxyMode::Iptables, ProxyMode::Nftables] {
        let endpoints = eps(&["n1", "n1", "n1", "n2", "n2", "n2", "n3", "n3", "n3", "n3"]);
        let mut dp = dataplane(mode, vec![(port("web", "10.96.0.20"), endpoints)]);
        let h = histogram(
            &mut dp,
            &req(pod_client("n1", 5), "10.96.0.20", 80),
            N,
            2024,
        );
        let chi = chi_square(&h, 10, N);
        assert!(
            chi < CRIT_DF9,
            "{mode:?}: chi-square {chi:.2} ≥ {CRIT_DF9}; {h:?}"
        );
        // And it is not a degenerate "perfect" split either (that would be rr).
        assert!(chi > 0.0);
    }
}

#[test]
fn ipvs_rr_is_exact_round_robin() {
    let mut dp = dataplane(
        ProxyMode::Ipvs(IpvsScheduler::Rr),
        vec![(port("web", "10.96.0.20"), eps(&["n1", "n2", "n3", "n3"]))],
    );
    let r = req(pod_client("n2", 9), "10.96.0.20", 80);
    let mut rng = SimRng::new(1);
    let order: Vec<IpAddr> = (0..8)
        .map(|_| {
            dp.route(&r, SimTime::ZERO, &mut rng)
                .0
                .endpoint()
                .unwrap()
                .0
        })
        .collect();
    assert_eq!(order[..4], order[4..], "rr repeats the same cycle");
    let h = histogram(&mut dp, &r, N, 7);
    assert!(h.values().all(|&c| c == N / 4), "{h:?}");
}

#[test]
fn ipvs_lc_fills_the_least_loaded_and_sh_pins_sources() {
    let mut dp = dataplane(
        ProxyMode::Ipvs(IpvsScheduler::Lc),
        vec![(port("web", "10.96.0.20"), eps(&["n1", "n2", "n3"]))],
    );
    let r = req(pod_client("n1", 9), "10.96.0.20", 80);
    let mut rng = SimRng::new(1);
    let mut open = Vec::new();
    for _ in 0..30 {
        let (t, c) = dp.route(&r, SimTime::ZERO, &mut rng);
        open.push((t.endpoint().unwrap().0, c.unwrap()));
    }
    let mut per: BTreeMap<IpAddr, usize> = BTreeMap::new();
    for (e, _) in &open {
        *per.entry(*e).or_default() += 1;
    }
    assert!(per.values().all(|&c| c == 10), "{per:?}");
    // Close every connection to the first endpoint: the next three go there.
    let first = open[0].0;
    for (e, c) in &open {
        if *e == first {
            dp.close(*c, SimTime::ZERO, svcplay_core::proxy::Close::Fin);
        }
    }
    for _ in 0..3 {
        assert_eq!(
            dp.route(&r, SimTime::ZERO, &mut rng)
                .0
                .endpoint()
                .unwrap()
                .0,
            first
        );
    }

    let mut dp = dataplane(
        ProxyMode::Ipvs(IpvsScheduler::Sh),
        vec![(port("web", "10.96.0.20"), eps(&["n1", "n2", "n3"]))],
    );
    let mut seen = BTreeMap::new();
    for last in 1..=200u8 {
        let r = req(pod_client("n1", last), "10.96.0.20", 80);
        let h = histogram(&mut dp, &r, 20, u64::from(last));
        assert_eq!(h.len(), 1, "one source, one endpoint");
        *seen.entry(*h.keys().next().unwrap()).or_insert(0) += 1;
    }
    assert_eq!(
        seen.len(),
        3,
        "sources spread over every endpoint: {seen:?}"
    );
}

#[test]
fn client_ip_affinity_sticks_until_timeout_and_repicks_when_endpoint_leaves() {
    let mut web = port("web", "10.96.0.20");
    web.affinity_timeout_secs = Some(10800);
    let endpoints = eps(&["n1", "n2", "n3", "n3"]);
    let mut dp = dataplane(ProxyMode::Iptables, vec![(web.clone(), endpoints.clone())]);
    let mut rng = SimRng::new(99);
    // 1000 clients × 100 requests, 60 s apart: each client sees one endpoint.
    let mut pinned = BTreeMap::new();
    for step in 0..100u64 {
        for c in 0..1000u32 {
            let src = Client::Pod {
                node: "n1".into(),
                ip: IpAddr::from((0x0af4_0000u32 + c).to_be_bytes()),
            };
            let (t, _) = dp.route(
                &req(src, "10.96.0.20", 80),
                SimTime::from_secs(step * 60),
                &mut rng,
            );
            let ep = t.endpoint().unwrap().0;
            assert_eq!(
                *pinned.entry(c).or_insert(ep),
                ep,
                "client {c} moved at step {step}"
            );
        }
    }
    let used: std::collections::BTreeSet<_> = pinned.values().collect();
    assert_eq!(
        used.len(),
        4,
        "different clients land on different endpoints"
    );

    // After more than 10800 s of silence a pin expires: about 3/4 of clients move.
    let after = SimTime::from_secs(99 * 60 + 10801);
    let mut moved = 0;
    for c in 0..1000u32 {
        let src = Client::Pod {
            node: "n1".into(),
            ip: IpAddr::from((0x0af4_0000u32 + c).to_be_bytes()),
        };
        let (t, _) = dp.route(&req(src, "10.96.0.20", 80), after, &mut rng);
        if t.endpoint().unwrap().0 != pinned[&c] {
            moved += 1;
        }
    }
    assert!(
        (650..=850).contains(&moved),
        "{moved} of 1000 clients re-picked after the timeout"
    );

    // The pinned endpoint of client 0 goes away: it re-picks, then sticks again.
    let c0 = Client::Pod {
        node: "n1".into(),
        ip: IpAddr::from(0x0af4_0000u32.to_be_bytes()),
    };
    let now = after.plus_millis(1000);
    let gone = dp
        .route(&req(c0.clone(), "10.96.0.20", 80), now, &mut rng)
        .0
        .endpoint()
        .unwrap()
        .0;
    let remaining: Vec<_> = endpoints.iter().filter(|e| e.ip != gone).cloned().collect();
    dp.sync(nodes(), vec![(web, remaining)]);
    let next = dp
        .route(&req(c0.clone(), "10.96.0.20", 80), now, &mut rng)
        .0
        .endpoint()
        .unwrap()
        .0;
    assert_ne!(next, gone);
    for i in 0..1000 {
        let again = dp
            .route(
                &req(c0.clone(), "10.96.0.20", 80),
                now.plus_millis(i),
                &mut rng,
            )
            .0
            .endpoint()
            .unwrap()
            .0;
        assert_eq!(again, next);
    }
}

fn local_lb_cluster(mode: ProxyMode) -> Dataplane {
    let mut web = port("web", "10.96.0.20");
    web.node_port = 30080;
    web.load_balancer_ips = vec![ip("203.0.113.7")];
    web.external_policy_local = true;
    web.health_check_node_port = 31999;
    // Endpoints on n1 and n2 only.
    dataplane(mode, vec![(web, eps(&["n1", "n2", "n2"]))])
}

#[test]
fn local_policy_never_crosses_nodes_and_keeps_the_client_ip() {
    let mut dp = local_lb_cluster(ProxyMode::Iptables);
    let mut rng = SimRng::new(5);
    let (mut served, mut dropped) = (0, 0);
    for i in 0..N {
        let node_ip = ["192.168.0.11", "192.168.0.12", "192.168.0.13"][i % 3];
        let client = Client::External {
            ip: ip("198.51.100.9"),
        };
        let (t, _) = dp.route(&req(client, node_ip, 30080), SimTime(i as u64), &mut rng);
        match t.outcome {
            Outcome::Served {
                crossed_nodes,
                source_seen,
                ref node,
                ..
            } => {
                assert!(!crossed_nodes, "{t:?}");
                assert_eq!(
                    source_seen,
                    ip("198.51.100.9"),
                    "Local preserves the client IP"
                );
                assert_ne!(&**node, "n3");
                served += 1;
            }
            Outcome::Dropped(DropReason::NoLocalEndpoints) => {
                assert_eq!(node_ip, "192.168.0.13");
                dropped += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(dropped, N / 3 + usize::from(N % 3 > 2));
    assert_eq!(served + dropped, N);

    // Through the LB, only nodes passing the health check get traffic: nothing drops.
    let mut per_node: BTreeMap<String, usize> = BTreeMap::new();
    for i in 0..N {
        let (t, _) = dp.route(
            &req(
                Client::External {
                    ip: ip("198.51.100.9"),
                },
                "203.0.113.7",
                80,
            ),
            SimTime(i as u64),
            &mut rng,
        );
        let Outcome::Served {
            node,
            crossed_nodes,
            ..
        } = t.outcome
        else {
            panic!("{t:?}")
        };
        assert!(!crossed_nodes);
        *per_node.entry(node.to_string()).or_default() += 1;
    }
    assert_eq!(per_node.keys().collect::<Vec<_>>(), ["n1", "n2"]);
    assert!(
        per_node["n1"].abs_diff(N / 2) < 1000,
        "the LB splits nodes evenly: {per_node:?}"
    );
}

#[test]
fn health_check_answers_by_ready_local_endpoints() {
    let dp = local_lb_cluster(ProxyMode::Iptables);
    let web = port("web", "10.96.0.20").name;
    assert_eq!(dp.health_check("n1", &web), Some((200, 1)));
    assert_eq!(dp.health_check("n2", &web), Some((200, 2)));
    assert_eq!(dp.health_check("n3", &web), Some((503, 0)));
    assert_eq!(dp.health_check("n9", &web), None);
}

#[test]
fn cluster_ip_is_reachable_only_in_cluster() {
    let mut dp = dataplane(
        ProxyMode::Iptables,
        vec![(port("web", "10.96.0.20"), eps(&["n2"]))],
    );
    let mut rng = SimRng::new(1);
    let (t, _) = dp.route(
        &req(pod_client("n1", 4), "10.96.0.20", 80),
        SimTime::ZERO,
        &mut rng,
    );
    let Outcome::Served {
        source_seen,
        crossed_nodes,
        ..
    } = t.outcome
    else {
        panic!("{t:?}")
    };
    assert_eq!(
        source_seen,
        ip("10.244.1.4"),
        "pod-to-ClusterIP keeps the pod IP"
    );
    assert!(crossed_nodes);
    assert!(
        matches!(t.hops[1], Hop::Capture { via: Capture::ClusterIp, ref node, .. } if &**node == "n1")
    );
    let (t, _) = dp.route(
        &req(
            Client::External {
                ip: ip("198.51.100.1"),
            },
            "10.96.0.20",
            80,
        ),
        SimTime::ZERO,
        &mut rng,
    );
    assert_eq!(
        t.outcome,
        Outcome::Dropped(DropReason::ClusterIpFromOutside)
    );
    // A host-network client is masqueraded to its node IP.
    let (t, _) = dp.route(
        &req(Client::Node { node: "n3".into() }, "10.96.0.20", 80),
        SimTime::ZERO,
        &mut rng,
    );
    let Outcome::Served { source_seen, .. } = t.outcome else {
        panic!("{t:?}")
    };
    assert_eq!(source_seen, ip("192.168.0.13"));
}

#[test]
fn node_port_answers_on_every_node_ip_with_snat_under_cluster() {
    let mut web = port("web", "10.96.0.20");
    web.node_port = 30080;
    let mut dp = dataplane(ProxyMode::Nftables, vec![(web, eps(&["n2"]))]);
    let mut rng = SimRng::new(1);
    for (n, node_ip) in [
        ("n1", "192.168.0.11"),
        ("n2", "192.168.0.12"),
        ("n3", "192.168.0.13"),
    ] {
        let (t, _) = dp.route(
            &req(
                Client::External {
                    ip: ip("198.51.100.1"),
                },
                node_ip,
                30080,
            ),
            SimTime::ZERO,
            &mut rng,
        );
        let Outcome::Served {
            source_seen,
            crossed_nodes,
            ref node,
            ..
        } = t.outcome
        else {
            panic!("{t:?}")
        };
        assert_eq!(&**node, "n2");
        assert_eq!(
            source_seen,
            ip(node_ip),
            "Cluster policy masquerades to the receiving node"
        );
        assert_eq!(crossed_nodes, n != "n2");
    }
    let (t, _) = dp.route(
        &req(
            Client::External {
                ip: ip("198.51.100.1"),
            },
            "192.168.0.11",
            30081,
        ),
        SimTime::ZERO,
        &mut rng,
    );
    assert_eq!(t.outcome, Outcome::Dropped(DropReason::NoSuchService));
}

#[test]
fn load_balancer_ip_reaches_pods_through_a_node_port() {
    let mut dp = local_lb_cluster(ProxyMode::Iptables);
    let mut rng = SimRng::new(3);
    let (t, _) = dp.route(
        &req(
            Client::External {
                ip: ip("198.51.100.1"),
            },
            "203.0.113.7",
            80,
        ),
        SimTime::ZERO,
        &mut rng,
    );
    assert!(
        matches!(t.hops[1], Hop::LoadBalancer { .. }),
        "{:?}",
        t.hops
    );
    assert!(
        matches!(
            t.hops[2],
            Hop::Capture {
                via: Capture::NodePort,
                port: 30080,
                ..
            }
        ),
        "{:?}",
        t.hops
    );
    assert!(matches!(t.hops[3], Hop::Dnat { snat_to: None, .. }));
    assert!(matches!(t.hops[4], Hop::Endpoint { port: 8080, .. }));
    // A pod on n3 (no local endpoint) reaching the LB IP is short-circuited to the
    // cluster-wide list on its own node and keeps its IP.
    for _ in 0..100 {
        let (t, _) = dp.route(
            &req(pod_client("n3", 7), "203.0.113.7", 80),
            SimTime::ZERO,
            &mut rng,
        );
        let Outcome::Served {
            source_seen,
            crossed_nodes,
            ..
        } = t.outcome
        else {
            panic!("{t:?}")
        };
        assert_eq!(source_seen, ip("10.244.3.7"));
        assert!(crossed_nodes);
    }
}

#[test]
fn no_endpoints_refuse_and_internal_local_drops() {
    let mut dp = dataplane(
        ProxyMode::Iptables,
        vec![(port("empty", "10.96.0.40"), vec![])],
    );
    let mut rng = SimRng::new(1);
    let (t, _) = dp.route(
        &req(pod_client("n1", 2), "10.96.0.40", 80),
        SimTime::ZERO,
        &mut rng,
    );
    assert_eq!(t.outcome, Outcome::Refused(RefuseReason::NoEndpoints));
    // A port the ClusterIP does not expose: iptables has no rule (timeout), nftables rejects.
    let (t, _) = dp.route(
        &req(pod_client("n1", 2), "10.96.0.40", 81),
        SimTime::ZERO,
        &mut rng,
    );
    assert_eq!(t.outcome, Outcome::Dropped(DropReason::NoSuchService));
    dp.set_mode(ProxyMode::Nftables);
    let (t, _) = dp.route(
        &req(pod_client("n1", 2), "10.96.0.40", 81),
        SimTime::ZERO,
        &mut rng,
    );
    assert_eq!(t.outcome, Outcome::Refused(RefuseReason::PortNotExposed));

    let mut web = port("web", "10.96.0.20");
    web.internal_policy_local = true;
    let mut dp = dataplane(ProxyMode::Iptables, vec![(web, eps(&["n2"]))]);
    let (t, _) = dp.route(
        &req(pod_client("n1", 2), "10.96.0.20", 80),
        SimTime::ZERO,
        &mut rng,
    );
    assert_eq!(t.outcome, Outcome::Dropped(DropReason::NoLocalEndpoints));
    let (t, _) = dp.route(
        &req(pod_client("n2", 2), "10.96.0.20", 80),
        SimTime::ZERO,
        &mut rng,
    );
    assert!(matches!(
        t.outcome,
        Outcome::Served {
            crossed_nodes: false,
            ..
        }
    ));
}

#[test]
fn terminating_endpoints_serve_only_when_nothing_is_ready_and_hairpin_is_masqueraded() {
    let mut endpoints = eps(&["n1", "n2"]);
    endpoints[0].ready = false;
    endpoints[0].terminating = true;
    let mut dp = dataplane(
        ProxyMode::Iptables,
        vec![(port("web", "10.96.0.20"), endpoints.clone())],
    );
    let r = req(pod_client("n3", 1), "10.96.0.20", 80);
    let h = histogram(&mut dp, &r, 1000, 1);
    assert_eq!(
        h.keys().collect::<Vec<_>>(),
        [&endpoints[1].ip],
        "ready beats terminating"
    );
    endpoints[1].ready = false;
    endpoints[1].serving = false;
    dp.sync(
        nodes(),
        vec![(port("web", "10.96.0.20"), endpoints.clone())],
    );
    let h = histogram(&mut dp, &r, 1000, 1);
    assert_eq!(
        h.keys().collect::<Vec<_>>(),
        [&endpoints[0].ip],
        "serving+terminating fallback"
    );

    // The endpoint pod calls its own Service and lands on itself: SNAT to the node.
    let me = Client::Pod {
        node: "n1".into(),
        ip: endpoints[0].ip,
    };
    let (t, _) = dp.route(
        &req(me, "10.96.0.20", 80),
        SimTime::ZERO,
        &mut SimRng::new(1),
    );
    let Outcome::Served { source_seen, .. } = t.outcome else {
        panic!("{t:?}")
    };
    assert_eq!(source_seen, ip("192.168.0.11"));
}

#[test]
fn load_balancer_source_ranges_admit_only_listed_sources() {
    let mut web = port("web", "10.96.0.20");
    web.node_port = 30080;
    web.load_balancer_ips = vec![ip("203.0.113.7")];
    web.load_balancer_source_ranges =
        vec![svcplay_core::apiserver::cluster_ip::Cidr::parse("198.51.100.0/24").unwrap()];
    let mut dp = dataplane(ProxyMode::Iptables, vec![(web, eps(&["n1"]))]);
    let mut rng = SimRng::new(2);
    let lb = |c| req(c, "203.0.113.7", 80);
    let (t, _) = dp.route(
        &lb(Client::External {
            ip: ip("198.51.100.77"),
        }),
        SimTime::ZERO,
        &mut rng,
    );
    assert!(matches!(t.outcome, Outcome::Served { .. }), "{t:?}");
    let (t, _) = dp.route(
        &lb(Client::External {
            ip: ip("192.0.2.1"),
        }),
        SimTime::ZERO,
        &mut rng,
    );
    assert_eq!(t.outcome, Outcome::Dropped(DropReason::SourceRangeBlocked));
    // A pod is outside the ranges too: KUBE-PROXY-FIREWALL drops it on its own node.
    let (t, _) = dp.route(&lb(pod_client("n2", 3)), SimTime::ZERO, &mut rng);
    assert_eq!(t.outcome, Outcome::Dropped(DropReason::SourceRangeBlocked));
    // Node ports are not subject to source ranges.
    let (t, _) = dp.route(
        &req(
            Client::External {
                ip: ip("192.0.2.1"),
            },
            "192.168.0.12",
            30080,
        ),
        SimTime::ZERO,
        &mut rng,
    );
    assert!(matches!(t.outcome, Outcome::Served { .. }), "{t:?}");
    // Outside clients cannot reach anything in the Service CIDR.
    let (t, _) = dp.route(
        &req(
            Client::External {
                ip: ip("192.0.2.1"),
            },
            "10.96.9.9",
            80,
        ),
        SimTime::ZERO,
        &mut rng,
    );
    assert_eq!(
        t.outcome,
        Outcome::Dropped(DropReason::ClusterIpFromOutside)
    );
    assert_eq!(
        ProxyMode::parse("ipvs"),
        Some(ProxyMode::Ipvs(IpvsScheduler::Rr))
    );
    assert_eq!(
        ProxyMode::parse(ProxyMode::Nftables.as_str()),
        Some(ProxyMode::Nftables)
    );
    assert_eq!(ProxyMode::parse("userspace"), None);
}
