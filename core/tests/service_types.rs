//! Service types through the world: what each type makes reachable, from inside and
//! from outside, and how type changes allocate and release (kubernetes-behaviour.md
//! §d and §e).

#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;
use std::net::IpAddr;

use svcplay_core::proxy::Unreachable;
use svcplay_core::proxy::trace::Capture;
use svcplay_core::proxy::{DropReason, Hop, Outcome, ProxyMode, RefuseReason};
use svcplay_core::scenario::{EXTERNAL_USER_IP, default_world};
use svcplay_core::world::{ClusterConfig, OutsideEntry, RulesFormat};
use svcplay_core::{CommandError, Request, World};

use svcplay_core::objects::build::{http_service, node_in_zone, web_deployment};
use svcplay_core::objects::{NamespacedName, ServiceType, TrafficPolicy};
use svcplay_core::world::{ClientSpec, Command};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn started(seed: u64) -> World {
    let mut w = default_world(seed);
    w.step(5_000);
    w.drain_requests();
    w.drain_events();
    w
}

fn run(w: &mut World, millis: u64) -> Vec<Request> {
    for _ in 0..millis / 100 {
        w.step(100);
    }
    w.drain_requests()
}

fn from<'a>(reqs: &'a [Request], client: &str) -> Vec<&'a Request> {
    reqs.iter().filter(|r| r.client == client).collect()
}

fn node_ips(w: &World) -> BTreeSet<IpAddr> {
    w.nodes()
        .values()
        .map(|n| n.status.node_ip.parse().unwrap())
        .collect()
}

fn node_port(w: &World, svc: &str) -> u16 {
    u16::try_from(w.services()[&NamespacedName::default_ns(svc)].spec.ports[0].node_port).unwrap()
}

fn source_seen(r: &Request) -> IpAddr {
    match &r.trace.as_ref().unwrap().outcome {
        Outcome::Served { source_seen, .. } => *source_seen,
        other => panic!("not served: {other:?}"),
    }
}

fn events(w: &mut World) -> Vec<String> {
    w.drain_events().into_iter().map(|e| e.message).collect()
}

#[test]
fn a_cluster_ip_is_reachable_only_inside_the_cluster() {
    let mut w = started(1);
    let reqs = run(&mut w, 2_000);
    let inside = from(&reqs, "client");
    assert!(inside.len() >= 20, "{}", inside.len());
    let prod_ip: IpAddr = w.services()[&NamespacedName::default_ns("prod")]
        .spec
        .cluster_ip
        .parse()
        .unwrap();
    for r in inside.iter().filter(|r| r.service_name() == "prod") {
        assert!(r.outcome.is_served());
        assert_eq!(r.dst, Some((prod_ip, 80)));
        let hops = &r.trace.as_ref().unwrap().hops;
        // The client resolved `prod` through its resolv.conf first, then connected.
        assert!(
            matches!(&hops[1], Hop::Dns { name, address: Some(a), .. } if &**name == "prod" && *a == prod_ip),
            "{hops:?}"
        );
        assert!(matches!(
            hops[2],
            Hop::Capture {
                via: Capture::ClusterIp,
                ..
            }
        ));
        // Pod-to-Service traffic is not masqueraded: the pod sees the client pod's IP.
        let client_ip: IpAddr = w.pods()[&NamespacedName::default_ns("client")]
            .status
            .pod_ip
            .parse()
            .unwrap();
        assert_eq!(source_seen(r), client_ip);
    }
    let outside = from(&reqs, "user");
    assert_eq!(outside.len(), 4, "2 requests per second for 2 s");
    for r in &outside {
        assert_eq!(r.outcome, Outcome::Unreachable(Unreachable::ClusterIpOnly));
        assert!(r.trace.is_none() && r.dst.is_none() && r.pod().is_none());
    }
    assert!(w.requests_unreachable(&NamespacedName::default_ns("prod")) >= 4);
    assert_eq!(
        w.outside_entry(&NamespacedName::default_ns("prod")),
        Err(Unreachable::ClusterIpOnly)
    );
    assert_eq!(
        w.outside_entry(&NamespacedName::default_ns("nope")),
        Err(Unreachable::NoSuchService)
    );
    assert_eq!(
        w.requests_served(&NamespacedName::default_ns("client")),
        0,
        "no Service selects the client"
    );
}

#[test]
fn a_node_port_is_open_on_every_node() {
    let mut w = started(2);
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("NodePort"),
    })
    .unwrap();
    let np = node_port(&w, "prod");
    assert!((30000..=32767).contains(&np), "{np}");
    let ev = events(&mut w);
    let want = format!("service prod: type ClusterIP → NodePort, nodePort {np} allocated");
    assert!(ev.contains(&want), "{ev:?}");
    let reqs = run(&mut w, 3_000);
    let outside = from(&reqs, "user");
    assert_eq!(outside.len(), 6);
    let dsts: BTreeSet<(IpAddr, u16)> = outside.iter().filter_map(|r| r.dst).collect();
    let expected: BTreeSet<(IpAddr, u16)> = node_ips(&w).into_iter().map(|ip| (ip, np)).collect();
    assert_eq!(dsts, expected, "every node's port is used");
    assert_eq!(
        w.outside_entry(&NamespacedName::default_ns("prod")),
        Ok(OutsideEntry::NodePort { node_port: np })
    );
    for r in &outside {
        assert!(r.outcome.is_served(), "{r:?}");
        let hops = &r.trace.as_ref().unwrap().hops;
        assert!(matches!(hops[1], Hop::Capture { via: Capture::NodePort, port, .. } if port == np));
    }
}

#[test]
fn a_load_balancer_ip_reaches_the_pods_through_a_node_port() {
    let mut w = started(3);
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("LoadBalancer"),
    })
    .unwrap();
    let svc = &w.services()[&NamespacedName::default_ns("prod")];
    let lb: IpAddr = svc.status.load_balancer.ingress[0].ip.parse().unwrap();
    assert_eq!(
        lb,
        IpAddr::from([203, 0, 113, 10]),
        "the pool's first address"
    );
    let np = node_port(&w, "prod");
    assert_eq!(
        w.outside_entry(&NamespacedName::default_ns("prod")),
        Ok(OutsideEntry::LoadBalancer { ip: lb, port: 80 })
    );
    let reqs = run(&mut w, 2_000);
    for r in from(&reqs, "user") {
        assert_eq!(r.dst, Some((lb, 80)));
        assert!(r.outcome.is_served());
        let hops = &r.trace.as_ref().unwrap().hops;
        assert!(matches!(hops[1], Hop::LoadBalancer { ip, .. } if ip == lb));
        assert!(matches!(hops[2], Hop::Capture { via: Capture::NodePort, port, .. } if port == np));
    }
}

#[test]
fn external_traffic_policy_local_keeps_the_client_ip_and_drops_on_nodes_without_endpoints() {
    let mut w = started(4);
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("NodePort"),
    })
    .unwrap();
    // Cluster: any node forwards, and the pod sees the forwarding node's IP (SNAT).
    let reqs = run(&mut w, 2_000);
    let nodes = node_ips(&w);
    for r in from(&reqs, "user") {
        assert!(nodes.contains(&source_seen(r)), "masqueraded to a node IP");
        let (dst, _) = r.dst.unwrap();
        assert_eq!(source_seen(r), dst, "SNAT to the node that captured it");
    }
    // Local with one prod pod: only its node answers, with the client's own IP.
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 1,
    })
    .unwrap();
    w.apply(Command::SetExternalTrafficPolicy {
        service: NamespacedName::default_ns("prod"),
        policy: TrafficPolicy::parse("Local"),
    })
    .unwrap();
    assert_eq!(
        w.services()[&NamespacedName::default_ns("prod")]
            .spec
            .health_check_node_port,
        0,
        "a health-check port is only for LoadBalancer Services"
    );
    w.step(31_000);
    w.drain_requests();
    let pod_node_ip: IpAddr = {
        let pod = w.ready_endpoints(&NamespacedName::default_ns("prod"))[0];
        w.nodes()[&pod.spec.node_name]
            .status
            .node_ip
            .parse()
            .unwrap()
    };
    let dropped_before = w.requests_dropped(&NamespacedName::default_ns("prod"));
    let reqs = run(&mut w, 4_000);
    let outside = from(&reqs, "user");
    assert_eq!(outside.len(), 8);
    for r in outside {
        let (dst, _) = r.dst.unwrap();
        if dst == pod_node_ip {
            assert!(r.outcome.is_served());
            assert_eq!(source_seen(r), EXTERNAL_USER_IP, "client IP preserved");
        } else {
            assert_eq!(r.outcome, Outcome::Dropped(DropReason::NoLocalEndpoints));
        }
    }
    assert_eq!(
        w.requests_dropped(&NamespacedName::default_ns("prod")) - dropped_before,
        4
    );
}

#[test]
fn type_changes_allocate_and_release() {
    let mut w = started(5);
    let cluster_ip = w.services()[&NamespacedName::default_ns("prod")]
        .spec
        .cluster_ip
        .clone();
    let free = w.registry().node_ports().free();
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("NodePort"),
    })
    .unwrap();
    let np = node_port(&w, "prod");
    assert_eq!(w.registry().node_ports().free(), free - 1);
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("LoadBalancer"),
    })
    .unwrap();
    assert_eq!(node_port(&w, "prod"), np, "the nodePort is kept");
    assert_eq!(
        w.services()[&NamespacedName::default_ns("prod")]
            .status
            .load_balancer
            .ingress
            .len(),
        1
    );
    let ev = events(&mut w);
    assert!(ev.iter().any(|e| e == "service prod: type NodePort → LoadBalancer, load balancer IP 203.0.113.10 assigned"), "{ev:?}");
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("ClusterIP"),
    })
    .unwrap();
    let svc = &w.services()[&NamespacedName::default_ns("prod")];
    assert_eq!(svc.spec.ports[0].node_port, 0);
    assert!(
        svc.status.load_balancer.ingress.is_empty(),
        "ingress cleared"
    );
    assert_eq!(svc.spec.cluster_ip, cluster_ip, "clusterIP unchanged");
    assert_eq!(
        w.registry().node_ports().free(),
        free,
        "nodePort back in the pool"
    );
    assert!(!w.registry().node_ports().is_allocated(i32::from(np)));
    let ev = events(&mut w);
    assert!(ev.iter().any(|e| e == &format!("service prod: type LoadBalancer → ClusterIP, nodePort {np} released, load balancer IP 203.0.113.10 released")), "{ev:?}");
    let reqs = run(&mut w, 1_000);
    assert!(
        from(&reqs, "user")
            .iter()
            .all(|r| r.outcome == Outcome::Unreachable(Unreachable::ClusterIpOnly))
    );
}

#[test]
fn an_invalid_change_is_refused_with_kubernetes_words_and_changes_nothing() {
    let mut w = started(6);
    let before = w.dump();
    let err = w
        .apply(Command::SetServiceType {
            service: NamespacedName::default_ns("prod"),
            service_type: ServiceType::parse("Bogus"),
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Service \"prod\" is invalid: spec.type: Unsupported value: \"Bogus\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""
    );
    let CommandError::Invalid { errors, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(errors[0].field, "spec.type");
    assert_eq!(w.dump(), before);

    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("dev"),
        service_type: ServiceType::parse("NodePort"),
    })
    .unwrap();
    let taken = w.services()[&NamespacedName::default_ns("dev")].spec.ports[0].node_port;
    let before = w.dump();
    let mut prod = w.services()[&NamespacedName::default_ns("prod")].clone();
    prod.spec.type_ = ServiceType::NodePort;
    prod.spec.ports[0].node_port = taken;
    let err = w
        .apply(Command::UpdateService {
            service: Box::new(prod),
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Service \"prod\" is invalid: spec.ports[0].nodePort: Invalid value: {taken}: provided port is already allocated"
        )
    );
    assert_eq!(w.dump(), before, "nothing allocated, nothing logged");
    let err = w
        .apply(Command::SetExternalTrafficPolicy {
            service: NamespacedName::default_ns("prod"),
            policy: TrafficPolicy::parse("Local"),
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Service \"prod\" is invalid: spec.externalTrafficPolicy"),
        "{err}"
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn without_endpoints_requests_are_refused_at_once() {
    let mut w = started(7);
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 0,
    })
    .unwrap();
    // While they terminate, the pods' serving endpoints still take traffic (fallback).
    let reqs = run(&mut w, 1_000);
    assert!(
        from(&reqs, "client")
            .iter()
            .any(|r| r.service_name() == "prod" && r.outcome.is_served())
    );
    w.step(30_000);
    w.drain_requests();
    let reqs = run(&mut w, 1_000);
    let to_prod: Vec<_> = from(&reqs, "client")
        .into_iter()
        .filter(|r| r.service_name() == "prod")
        .collect();
    assert_eq!(to_prod.len(), 8);
    for r in to_prod {
        assert_eq!(r.outcome, Outcome::Refused(RefuseReason::NoEndpoints));
    }
    assert!(w.requests_refused(&NamespacedName::default_ns("prod")) >= 8);
}

#[test]
fn client_ip_affinity_pins_the_client_to_one_pod() {
    let mut w = started(8);
    w.apply(Command::SetSessionAffinity {
        service: NamespacedName::default_ns("prod"),
        timeout_seconds: Some(600),
    })
    .unwrap();
    let reqs = run(&mut w, 3_000);
    let pods: BTreeSet<_> = from(&reqs, "client")
        .iter()
        .filter(|r| r.service_name() == "prod")
        .map(|r| r.pod().cloned().unwrap())
        .collect();
    assert_eq!(pods.len(), 1, "{pods:?}");
    w.apply(Command::SetSessionAffinity {
        service: NamespacedName::default_ns("prod"),
        timeout_seconds: None,
    })
    .unwrap();
    let reqs = run(&mut w, 3_000);
    let pods: BTreeSet<_> = from(&reqs, "client")
        .iter()
        .filter(|r| r.service_name() == "prod")
        .map(|r| r.pod().cloned().unwrap())
        .collect();
    assert_eq!(pods.len(), 2, "spread again without affinity");
}

#[test]
fn an_empty_pool_leaves_the_load_balancer_pending_and_the_node_port_works() {
    let config = ClusterConfig {
        load_balancer_pool: Vec::new(),
        ..ClusterConfig::default()
    };
    let mut w = World::with_config(9, config).unwrap();
    w.apply(Command::Create {
        objects: vec![node_in_zone("n1", "z").into()],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![
            web_deployment(
                &NamespacedName::default_ns("web"),
                [("app".to_owned(), "web".to_owned())].into(),
                1,
            )
            .into(),
        ],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![
            http_service(
                &NamespacedName::default_ns("web"),
                [("app".to_owned(), "web".to_owned())].into(),
            )
            .into(),
        ],
    })
    .unwrap();
    w.apply(Command::AddClient {
        client: ClientSpec::external(
            "user",
            NamespacedName::default_ns("web"),
            EXTERNAL_USER_IP,
            2,
        ),
    })
    .unwrap();
    w.step(3_000);
    w.drain_events();
    w.drain_requests();
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("web"),
        service_type: ServiceType::parse("LoadBalancer"),
    })
    .unwrap();
    let ev = events(&mut w);
    assert!(
        ev.contains(&"load balancer for web is <pending>: the address pool is empty".to_owned()),
        "{ev:?}"
    );
    let np = node_port(&w, "web");
    let reqs = run(&mut w, 1_000);
    assert!(
        reqs.iter()
            .all(|r| r.dst == Some((IpAddr::from([192, 168, 0, 10]), np)) && r.outcome.is_served())
    );
    w.apply(Command::AddLoadBalancerAddresses {
        ips: [IpAddr::from([203, 0, 113, 50])].to_vec(),
    })
    .unwrap();
    assert_eq!(
        w.services()[&NamespacedName::default_ns("web")]
            .status
            .load_balancer
            .ingress[0]
            .ip,
        "203.0.113.50"
    );
    let bad = ClusterConfig {
        service_cidr: "10.96.0.0/30".into(),
        ..ClusterConfig::default()
    };
    assert!(matches!(
        World::with_config(1, bad),
        Err(CommandError::InvalidConfig { .. })
    ));
}

#[test]
fn rules_show_the_service_and_the_kubernetes_service() {
    let mut w = started(10);
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("NodePort"),
    })
    .unwrap();
    let np = node_port(&w, "prod");
    let ip = w.services()[&NamespacedName::default_ns("prod")]
        .spec
        .cluster_ip
        .clone();
    let rules = w.rules("node-a", RulesFormat::Iptables).unwrap();
    assert!(
        rules.contains(&format!("-d {ip} --dport 80 -j KUBE-SVC-")),
        "{rules}"
    );
    assert!(rules.contains(&format!("--dport {np} -j KUBE-EXT-")));
    // Simplification: the world runs no API server pods, so `kubernetes` has no endpoints.
    assert!(rules.contains("\"default/kubernetes:https has no endpoints\""));
    let nft = w.rules("node-b", RulesFormat::Nftables).unwrap();
    assert!(nft.contains(&ip), "{nft}");
    assert!(matches!(
        w.rules("nope", RulesFormat::Iptables),
        Err(CommandError::NoProxyState { .. })
    ));
    w.apply(Command::SetProxyMode {
        mode: ProxyMode::Nftables,
    })
    .unwrap();
    let reqs = run(&mut w, 1_000);
    assert!(from(&reqs, "client").iter().all(|r| r.outcome.is_served()));
}

fn scripted(seed: u64) -> String {
    let mut w = started(seed);
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("LoadBalancer"),
    })
    .unwrap();
    run(&mut w, 2_000);
    w.apply(Command::SetExternalTrafficPolicy {
        service: NamespacedName::default_ns("prod"),
        policy: TrafficPolicy::parse("Local"),
    })
    .unwrap();
    w.apply(Command::SetSessionAffinity {
        service: NamespacedName::default_ns("dev"),
        timeout_seconds: Some(30),
    })
    .unwrap();
    run(&mut w, 2_000);
    let _ = w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("dev"),
        service_type: ServiceType::parse("Bogus"),
    });
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("ClusterIP"),
    })
    .unwrap();
    run(&mut w, 2_000);
    w.dump()
}

#[test]
fn the_same_seed_and_commands_give_the_same_dump() {
    assert_eq!(scripted(11), scripted(11));
    assert_ne!(scripted(11), scripted(12));
}

#[test]
fn internal_traffic_policy_local_keeps_pod_traffic_on_its_node() {
    let mut w = started(13);
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 1,
    })
    .unwrap();
    w.apply(Command::SetInternalTrafficPolicy {
        service: NamespacedName::default_ns("prod"),
        policy: TrafficPolicy::parse("Local"),
    })
    .unwrap();
    w.step(31_000);
    w.drain_requests();
    let client_node = w.pods()[&NamespacedName::default_ns("client")]
        .spec
        .node_name
        .clone();
    let prod_node = w.ready_endpoints(&NamespacedName::default_ns("prod"))[0]
        .spec
        .node_name
        .clone();
    assert_ne!(client_node, prod_node, "this seed puts them apart");
    let reqs = run(&mut w, 1_000);
    let to_prod: Vec<_> = from(&reqs, "client")
        .into_iter()
        .filter(|r| r.service_name() == "prod")
        .collect();
    assert_eq!(to_prod.len(), 8);
    for r in to_prod {
        assert_eq!(r.outcome, Outcome::Dropped(DropReason::NoLocalEndpoints));
    }
    // Cluster again: the one pod on the other node serves.
    w.apply(Command::SetInternalTrafficPolicy {
        service: NamespacedName::default_ns("prod"),
        policy: TrafficPolicy::parse("Cluster"),
    })
    .unwrap();
    let reqs = run(&mut w, 1_000);
    assert!(from(&reqs, "client").iter().all(|r| r.outcome.is_served()));
}

#[test]
fn outside_requests_enter_by_a_node_and_inside_ones_do_not() {
    let mut w = svcplay_core::scenario::default_world(svcplay_core::scenario::DEFAULT_SEED);
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("LoadBalancer"),
    })
    .unwrap();
    w.step(20_000);
    let requests = w.drain_requests();
    let entry = |client: &str| -> Vec<Option<String>> {
        requests
            .iter()
            .filter(|r| r.client == client && r.service_name() == "prod")
            .map(|r| {
                r.trace
                    .as_ref()
                    .and_then(|t| t.entry_node().map(str::to_owned))
            })
            .collect()
    };
    let outside = entry("user");
    assert!(!outside.is_empty());
    assert!(
        outside
            .iter()
            .all(|n| matches!(n.as_deref(), Some("node-a" | "node-b"))),
        "{outside:?}"
    );
    // The load balancer spreads the user's connections over both nodes.
    assert!(outside.contains(&Some("node-a".into())) && outside.contains(&Some("node-b".into())));
    let inside = entry("client");
    assert!(
        !inside.is_empty() && inside.iter().all(Option::is_none),
        "{inside:?}"
    );
}
