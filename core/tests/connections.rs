//! Load balancing as kube-proxy really does it: per connection. Statistical checks per
//! connection mode (chi-square at p = 0.001, fixed seeds), conntrack pinning through a
//! scale-up, closing on a crash and at the end of a grace period, IPVS `lc` by active
//! connections, ClientIP affinity's timeout, and the answers of the apps.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod connections_support;

use std::collections::{BTreeMap, BTreeSet};

use connections_support::*;
use svcplay_core::objects::NamespacedName;
use svcplay_core::proxy::{Hop, IpvsScheduler, Outcome, ProxyMode, RefuseReason, Unreachable};
use svcplay_core::world::{Answer, Command};

fn web() -> NamespacedName {
    NamespacedName::default_ns("web")
}

#[test]
fn a_connection_per_request_spreads_requests_uniformly() {
    let mut w = cluster(11, 3);
    client(
        &mut w,
        "c",
        "fortio load -qps 200 -c 1 -t 0 -keepalive=false http://web/",
    );
    w.step(3_000);
    w.drain_requests();
    let reqs = run(&mut w, 30_000);
    assert_eq!(reqs.len(), 6_000);
    assert!(
        reqs.iter()
            .all(|r| r.connection.is_some_and(|c| c.opened) && r.ok())
    );
    assert_eq!(
        w.dataplane().conntrack().len(),
        0,
        "each connection closed after its request"
    );
    assert_uniform("requests", &web_pods(&w), &per_pod(&reqs));
}

#[test]
fn keep_alive_connections_spread_and_carry_their_requests() {
    let mut w = cluster(12, 3);
    for i in 0..5 {
        client(
            &mut w,
            &format!("c{i}"),
            "fortio load -qps 60 -c 60 -t 0 http://web/",
        );
    }
    w.step(3_000);
    w.drain_requests();
    w.step(10_000);
    let reqs = w.drain_requests();
    let open = conns(&w, "web");
    assert_eq!(open.values().sum::<usize>(), 300);
    assert_eq!(
        w.dataplane().conntrack().len(),
        300,
        "every one is a conntrack entry"
    );
    let as_u64: BTreeMap<String, u64> = open.iter().map(|(k, v)| (k.clone(), *v as u64)).collect();
    assert_uniform("connections", &web_pods(&w), &as_u64);
    // 60 requests a second over 60 connections: each carries one a second, so a pod
    // serves exactly 10 requests per connection it holds in 10 s.
    let served = per_pod(&reqs);
    for (pod, n) in &open {
        assert_eq!(served.get(pod).copied(), Some(*n as u64 * 10), "{pod}");
    }
    assert!(
        reqs.iter().all(|r| r.connection.is_some_and(|c| !c.opened)),
        "no new connection"
    );
}

#[test]
fn http2_shares_one_connection_per_client_and_those_spread_uniformly() {
    let mut w = cluster(13, 3);
    for i in 0..45 {
        client(
            &mut w,
            &format!("h{i}"),
            "hey -h2 -c 4 -q 1 -z 10m http://web/",
        );
    }
    w.step(3_000);
    w.drain_requests();
    w.step(5_000);
    let reqs = w.drain_requests();
    assert_eq!(
        reqs.len(),
        45 * 4 * 5,
        "hey -q is per worker: 4 workers × 1/s"
    );
    let by_client: BTreeMap<&str, BTreeSet<u64>> = reqs.iter().fold(BTreeMap::new(), |mut m, r| {
        m.entry(r.client.as_str())
            .or_default()
            .insert(r.connection.unwrap().id);
        m
    });
    assert!(
        by_client.values().all(|ids| ids.len() == 1),
        "one HTTP/2 connection each"
    );
    let open: BTreeMap<String, u64> = conns(&w, "web")
        .into_iter()
        .map(|(k, v)| (k, v as u64))
        .collect();
    assert_eq!(open.values().sum::<u64>(), 45);
    assert_uniform("HTTP/2 connections", &web_pods(&w), &open);
}

/// The scale-up under a gRPC client, as a traffic table before and after.
#[test]
fn a_grpc_client_stays_on_its_pod_through_a_scale_up_until_it_reconnects() {
    use svcplay_core::scenario::BuiltIn;
    let mut w = BuiltIn::GrpcScaleUp.world(2026);
    w.step(5_000);
    w.drain_requests();
    w.step(10_000);
    let before = w.drain_requests();
    print_table(&w, "before: backend at 2 replicas (10 s)", &before);
    let pinned = per_pod(before.iter().filter(|r| r.client == "grpc-client"));
    assert_eq!(pinned.len(), 1, "one gRPC connection, one pod: {pinned:?}");
    let grpc_pod = pinned.keys().next().unwrap().clone();
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("backend"),
        replicas: 6,
    })
    .unwrap();
    w.step(3_000);
    w.drain_requests();
    let after = run(&mut w, 30_000);
    print_table(&w, "after: scaled to 6 (30 s)", &after);
    let grpc = per_pod(after.iter().filter(|r| r.client == "grpc-client"));
    assert_eq!(
        grpc,
        BTreeMap::from([(grpc_pod.clone(), 600)]),
        "still 100 % on its pod"
    );
    let http: Vec<_> = after.iter().filter(|r| r.client == "http-client").collect();
    let pods: Vec<String> = w
        .pods()
        .keys()
        .filter(|p| p.name.starts_with("backend-"))
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(pods.len(), 6);
    assert_uniform(
        "connection-per-request over 6",
        &pods,
        &per_pod(http.iter().copied()),
    );
    // The expectation agrees: the gRPC slot is pinned, the HTTP client spreads.
    let expected = w.expected_share(&NamespacedName::default_ns("backend"));
    let pinned_share = expected[&NamespacedName::default_ns(&grpc_pod)];
    assert!(
        (pinned_share - (0.5 + 0.5 / 6.0)).abs() < 1e-9,
        "{expected:?}"
    );
    // Until it reconnects: its pod is deleted; fortio's server keeps serving until the
    // grace period ends, then the connection closes and the client reconnects.
    w.apply(Command::DeletePod {
        pod: NamespacedName::default_ns(&grpc_pod),
    })
    .unwrap();
    let during = per_pod(
        run(&mut w, 29_000)
            .iter()
            .filter(|r| r.client == "grpc-client"),
    );
    assert_eq!(
        during,
        BTreeMap::from([(grpc_pod.clone(), 580)]),
        "served to the end of its grace"
    );
    w.step(2_000);
    w.drain_requests();
    w.step(10_000);
    let moved = per_pod(
        w.drain_requests()
            .iter()
            .filter(|r| r.client == "grpc-client"),
    );
    assert_eq!(moved.len(), 1);
    assert_ne!(
        moved.keys().next(),
        Some(&grpc_pod),
        "reconnected to another pod"
    );
    let c = w
        .clients()
        .iter()
        .find(|c| c.name == "grpc-client")
        .unwrap();
    assert_eq!(
        (c.report.sockets, c.report.reconnects, c.report.errors()),
        (2, 1, 0)
    );
    print!("{}", c.report.fortio_summary(1));
}

/// Prints the `traffic` table: requests per pod and client, open connections per pod.
fn print_table(w: &svcplay_core::World, title: &str, reqs: &[svcplay_core::world::Request]) {
    println!("== {title}");
    println!(
        "{:<28} {:>12} {:>12} {:>12}",
        "POD", "grpc-client", "http-client", "CONNECTIONS"
    );
    let conns = conns(w, "backend");
    let grpc = per_pod(reqs.iter().filter(|r| r.client == "grpc-client"));
    let http = per_pod(reqs.iter().filter(|r| r.client == "http-client"));
    for pod in w.pods().keys().filter(|p| p.name.starts_with("backend-")) {
        let n = &pod.name;
        println!(
            "{n:<28} {:>12} {:>12} {:>12}",
            grpc.get(n).copied().unwrap_or(0),
            http.get(n).copied().unwrap_or(0),
            conns.get(n).copied().unwrap_or(0)
        );
    }
}

#[test]
fn a_crashed_pod_closes_its_connections_and_its_clients_reconnect_elsewhere() {
    let mut w = cluster(14, 3);
    client(&mut w, "c", "fortio load -qps 30 -c 6 -t 0 http://web/");
    w.step(5_000);
    w.drain_requests();
    let open = conns(&w, "web");
    let (victim, lost) = open
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(p, n)| (p.clone(), *n))
        .unwrap();
    w.apply(Command::CrashPod {
        pod: NamespacedName::default_ns(&victim),
    })
    .unwrap();
    let tracked = w.dataplane().conntrack().per_endpoint();
    let victim_ip: std::net::IpAddr = w.pods()[&NamespacedName::default_ns(&victim)]
        .status
        .pod_ip
        .parse()
        .unwrap();
    assert!(
        tracked.keys().all(|(ip, _)| *ip != victim_ip),
        "its conntrack entries are gone"
    );
    w.step(900);
    let reqs = w.drain_requests();
    assert!(
        !per_pod(&reqs).contains_key(&victim),
        "nothing reaches it while it is down"
    );
    assert!(
        reqs.iter().all(|r| r.ok()),
        "fortio reconnects a closed idle socket without an error"
    );
    let c = &w.clients()[0];
    assert_eq!(c.report.reconnects, lost as u64);
    assert_eq!(c.report.sockets, 6 + lost as u64);
    assert_eq!(conns(&w, "web").values().sum::<usize>(), 6);
}

#[test]
fn a_terminating_pod_finishes_its_established_connections() {
    let mut w = cluster(15, 3);
    client(&mut w, "c", "fortio load -qps 60 -c 6 -t 0 http://web/");
    w.step(5_000);
    w.drain_requests();
    let open = conns(&w, "web");
    let (victim, held) = open
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(p, n)| (p.clone(), *n))
        .unwrap();
    w.apply(Command::DeletePod {
        pod: NamespacedName::default_ns(&victim),
    })
    .unwrap();
    w.step(29_999);
    let during = w.drain_requests();
    let to_victim: Vec<_> = during
        .iter()
        .filter(|r| r.pod().is_some_and(|p| p.name == victim))
        .collect();
    // netexec --delay-shutdown=30 serves on for the grace period: its share of the
    // round robin over the client's six connections, none of them new.
    let fair = held * during.len() / 6;
    assert!(
        to_victim.len().abs_diff(fair) <= held,
        "{} of {} on {held} connections",
        to_victim.len(),
        during.len()
    );
    assert!(to_victim.iter().all(|r| !r.connection.unwrap().opened));
    w.step(1);
    w.drain_requests();
    w.step(1_000);
    let after = w.drain_requests();
    assert!(
        after
            .iter()
            .all(|r| r.pod().is_some_and(|p| p.name != victim))
    );
    assert_eq!(w.clients()[0].report.reconnects, held as u64);
    assert!(after.iter().all(|r| r.ok()));
}

#[test]
fn ipvs_lc_balances_by_active_connections() {
    let mut w = cluster(16, 3);
    w.apply(Command::SetProxyMode {
        mode: ProxyMode::Ipvs(IpvsScheduler::Lc),
    })
    .unwrap();
    // Every client on node-a, so one IPVS table counts them all.
    w.apply(Command::SetNodeUnschedulable {
        node: "node-b".into(),
        unschedulable: true,
    })
    .unwrap();
    for i in 0..9 {
        client(
            &mut w,
            &format!("c{i}"),
            "fortio load -qps 5 -c 1 -t 0 http://web/",
        );
    }
    w.step(3_000);
    let open = conns(&w, "web");
    assert_eq!(
        open.values().copied().collect::<Vec<_>>(),
        [3, 3, 3],
        "{open:?}"
    );
    // Three clients go (their connections close); three new ones fill the gap.
    let target = open.keys().next().unwrap().clone();
    let leaving: Vec<String> = w
        .connections()
        .into_iter()
        .filter(|c| c.pod.as_ref().is_some_and(|p| p.name == target))
        .map(|c| c.client)
        .collect();
    for name in &leaving {
        w.apply(Command::DeletePod {
            pod: NamespacedName::default_ns(name),
        })
        .unwrap();
    }
    assert_eq!(conns(&w, "web").get(&target), None);
    for i in 0..3 {
        client(
            &mut w,
            &format!("n{i}"),
            "fortio load -qps 5 -c 1 -t 0 http://web/",
        );
    }
    w.step(3_000);
    let open = conns(&w, "web");
    assert_eq!(
        open.get(&target),
        Some(&3),
        "least connections: all three there {open:?}"
    );
}

#[test]
fn client_ip_affinity_keeps_its_timeout() {
    let mut w = cluster(17, 3);
    w.apply(Command::SetSessionAffinity {
        service: web(),
        timeout_seconds: Some(10),
    })
    .unwrap();
    // A new connection every 5 s stays pinned; every 15 s the pin has expired each time.
    for (name, sleep) in [("often", 5), ("rarely", 15)] {
        let pod = svcplay_core::objects::build::client_pod(
            &NamespacedName::default_ns(name),
            vec![svcplay_core::objects::Container {
                name: "loop".into(),
                image: "curlimages/curl".into(),
                command: vec![
                    "sh".into(),
                    "-c".into(),
                    format!("while sleep {sleep}; do curl -s http://web/; done"),
                ],
                ..Default::default()
            }],
        );
        w.apply(Command::Create {
            objects: vec![pod.into()],
        })
        .unwrap();
    }
    w.step(3_000);
    w.drain_requests();
    let reqs = run(&mut w, 900_000);
    let often = per_pod(reqs.iter().filter(|r| r.client == "often"));
    let rarely = per_pod(reqs.iter().filter(|r| r.client == "rarely"));
    assert_eq!(
        (often.len(), often.values().sum::<u64>()),
        (1, 180),
        "{often:?}"
    );
    // 1/15 s in whole thousandths of a request per second: 0.066/s, 59 in 900 s.
    assert_eq!(rarely.values().sum::<u64>(), 59);
    assert_uniform("expired pins", &web_pods(&w), &rarely);
}

#[test]
fn apps_answer_as_they_would() {
    let mut w = cluster(18, 2);
    // A Service whose targetPort nothing listens on, a headless Service, and a gRPC
    // client at an HTTP server.
    let mut wrong = svcplay_core::objects::build::http_service(
        &NamespacedName::default_ns("wrong"),
        svcplay_core::objects::build::app("web"),
    );
    wrong.spec.ports[0].target_port = svcplay_core::objects::IntOrString::Int(9999);
    let mut headless = svcplay_core::objects::build::http_service(
        &NamespacedName::default_ns("direct"),
        svcplay_core::objects::build::app("web"),
    );
    headless.spec.cluster_ip = "None".into();
    headless.spec.ports[0].port = 8080;
    w.apply(Command::Create {
        objects: vec![wrong.into(), headless.into()],
    })
    .unwrap();
    client(
        &mut w,
        "refused",
        "fortio load -qps 1 -c 1 -t 0 http://wrong/",
    );
    client(
        &mut w,
        "headless",
        "fortio load -qps 1 -c 1 -t 0 -keepalive=false http://direct:8080/hostname",
    );
    client(&mut w, "typo", "fortio load -qps 1 -c 1 -t 0 http://wbe/");
    client(
        &mut w,
        "grpc",
        "fortio load -grpc -ping -qps 1 -c 1 -t 0 web:80",
    );
    w.step(3_000);
    w.drain_requests();
    w.step(2_000);
    let reqs = w.drain_requests();
    let first = |c: &str| reqs.iter().find(|r| r.client == c).unwrap();
    assert_eq!(
        first("refused").outcome,
        Outcome::Refused(RefuseReason::NotListening)
    );
    assert_eq!(first("refused").code(), -1);
    let h = first("headless");
    let hops = &h.trace.as_ref().unwrap().hops;
    assert!(
        hops.iter().all(|x| !matches!(x, Hop::Capture { .. })),
        "no kube-proxy for a pod address: {hops:?}"
    );
    assert!(matches!(&h.outcome, Outcome::Served { service: None, .. }));
    assert_eq!(h.answer, Some(Answer::Status(200)));
    let t = first("typo");
    assert_eq!(t.outcome, Outcome::Unreachable(Unreachable::NoSuchService));
    let dns = &t.trace.as_ref().unwrap().hops[1];
    assert!(
        matches!(
            dns,
            Hop::Dns {
                queries: 8,
                address: None,
                ..
            }
        ),
        "A and AAAA for three search domains and the name itself: {dns:?}"
    );
    assert_eq!(first("grpc").answer, Some(Answer::ProtocolError));
}

#[test]
fn a_frontend_calling_a_pod_ip_breaks_when_the_pod_is_replaced() {
    use svcplay_core::scenario::BuiltIn;
    let mut w = BuiltIn::PodIpVsServiceName.world(7);
    w.step(5_000);
    w.drain_requests();
    w.step(5_000);
    let before = w.drain_requests();
    let codes = |reqs: &[svcplay_core::world::Request], c: &str| -> BTreeMap<i32, usize> {
        reqs.iter()
            .filter(|r| r.service_name() == c)
            .fold(BTreeMap::new(), |mut m, r| {
                *m.entry(r.code()).or_insert(0) += 1;
                m
            })
    };
    assert_eq!(codes(&before, "frontend-ip"), BTreeMap::from([(200, 20)]));
    assert_eq!(codes(&before, "frontend-dns"), BTreeMap::from([(200, 20)]));
    // Each request is traced hop by hop: client → frontend → backend.
    let r = before
        .iter()
        .find(|r| r.service_name() == "frontend-dns")
        .unwrap();
    assert_eq!(r.upstream.len(), 1);
    let up = &r.upstream[0];
    assert_eq!(up.client, r.pod().unwrap().name, "the frontend pod calls");
    assert!(up.pod().unwrap().name.starts_with("backend-"));
    assert!(
        matches!(&up.trace.as_ref().unwrap().hops[1], Hop::Dns { name, .. } if &**name == "backend")
    );
    let backend = up.pod().unwrap().clone();
    w.apply(Command::DeletePod {
        pod: backend.clone(),
    })
    .unwrap();
    assert!(
        w.pod(&backend).is_none(),
        "netexec exits on SIGTERM: the pod goes at once"
    );
    // One replica: until its replacement runs (2 s) the Service has no endpoint and
    // both frontends fail; then only the one holding the old address does.
    w.step(2_000);
    let gap = w.drain_requests();
    assert_eq!(
        codes(&gap, "frontend-dns").get(&500),
        Some(&7),
        "the 8th, at 2 s, finds it Ready"
    );
    w.step(5_000);
    let after = w.drain_requests();
    assert_eq!(
        codes(&after, "frontend-ip"),
        BTreeMap::from([(500, 20)]),
        "its upstream timed out"
    );
    assert_eq!(
        codes(&after, "frontend-dns"),
        BTreeMap::from([(200, 20)]),
        "the name still resolves"
    );
    let failed = after
        .iter()
        .find(|r| r.service_name() == "frontend-ip")
        .unwrap();
    assert_eq!(
        failed.upstream[0].outcome,
        Outcome::Dropped(svcplay_core::proxy::DropReason::NoPodAtAddress)
    );
}

#[test]
fn replays_and_time_slicing_keep_connections_identical() {
    use svcplay_core::scenario::BuiltIn;
    use svcplay_core::world::ClusterConfig;
    for seed in [1u64, 2, 3] {
        let mut w = BuiltIn::GrpcScaleUp.world(seed);
        w.step(4_000);
        for (i, replicas) in [5i64, 1, 3].into_iter().enumerate() {
            w.apply(Command::ScaleDeployment {
                deployment: NamespacedName::default_ns("backend"),
                replicas,
            })
            .unwrap();
            w.step(1_500 + 700 * i as u64);
            let victim = w
                .pods()
                .keys()
                .find(|p| p.name.starts_with("backend-"))
                .map(|k| (**k).clone());
            if let Some(v) = victim {
                let _ = w.apply(Command::CrashPod { pod: v });
            }
            w.step(2_345);
        }
        let history = w.history().unwrap().to_vec();
        let replayed =
            svcplay_core::World::replay(seed, ClusterConfig::default(), &history, w.now()).unwrap();
        assert_eq!(replayed.dump(), w.dump(), "seed {seed}");
        assert_eq!(replayed.connections(), w.connections());
    }
    let mut a = BuiltIn::GrpcScaleUp.world(9);
    let mut b = BuiltIn::GrpcScaleUp.world(9);
    a.step(12_345);
    for ms in [1, 16, 17, 250, 3_000, 9_061] {
        b.step(ms);
    }
    assert_eq!(a.drain_requests(), b.drain_requests());
    assert_eq!(a.connections(), b.connections());
}
