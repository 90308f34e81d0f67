//! Oracle property test: after any sequence of commands and steps, the incrementally
//! maintained EndpointSlices equal a brute-force recomputation from scratch.
//!
//! The brute force below is written independently of the controller code: it reads
//! only the public objects and applies c.2–c.4 directly. A second world runs the same
//! commands with every sync looking at every pod (`set_full_endpoint_syncs`): the
//! pod-scoped syncs must leave exactly its slices (names, packing, order) and events,
//! and kube-proxy's data plane, patched one endpoint at a time, must program what the
//! reference's whole reprograms and a rebuild from scratch program.
//! The small world has a handful of pods; in the large one a Service selects 2,000.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use svcplay_core::World;
use svcplay_core::objects::build::{http_service, node_in_zone, web_deployment};
use svcplay_core::objects::{
    Container, ContainerPort, IntOrString, Labels, ObjectMeta, Pod, PodPhase, Protocol, Service,
    ServicePort, ServiceType, SessionAffinity, TrafficPolicy,
};
use svcplay_core::objects::{Namespace, NamespacedName, Object};
use svcplay_core::world::Command;

/// One endpoint as the oracle sees it: address, pod, (ready, serving, terminating), ports.
type Row = (String, String, (bool, bool, bool), Vec<(String, i32)>);

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

const LABEL_SETS: &[&[(&str, &str)]] = &[
    &[("app", "a")],
    &[("app", "a"), ("tier", "x")],
    &[("app", "a"), ("tier", "y")],
    &[("app", "b")],
    &[("tier", "y")],
    &[],
];

#[derive(Debug, Clone)]
enum Op {
    Step(u64),
    Kill(usize),
    Crash(usize),
    Break(usize),
    Heal(usize),
    Scale(usize, i64),
    PodLabels(usize, usize),
    TemplateLabels(usize, usize),
    Selector(usize, Option<usize>),
    Publish(usize, bool),
    BarePod(usize, bool, bool),
    RemoveNode(usize),
    AddNode(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1u64..15_000).prop_map(Op::Step),
        2 => any::<usize>().prop_map(Op::Kill),
        1 => any::<usize>().prop_map(Op::Crash),
        2 => any::<usize>().prop_map(Op::Break),
        1 => any::<usize>().prop_map(Op::Heal),
        2 => (0usize..2, 0i64..8).prop_map(|(d, n)| Op::Scale(d, n)),
        2 => (any::<usize>(), 0..LABEL_SETS.len()).prop_map(|(p, l)| Op::PodLabels(p, l)),
        1 => (0usize..2, 0..LABEL_SETS.len()).prop_map(|(d, l)| Op::TemplateLabels(d, l)),
        2 => (0usize..4, proptest::option::of(0..LABEL_SETS.len())).prop_map(|(s, l)| Op::Selector(s, l)),
        1 => (0usize..4, any::<bool>()).prop_map(|(s, b)| Op::Publish(s, b)),
        1 => (0..LABEL_SETS.len(), any::<bool>(), any::<bool>()).prop_map(|(l, ns, port)| Op::BarePod(l, ns, port)),
        1 => (0usize..3).prop_map(Op::RemoveNode),
        1 => (0usize..3).prop_map(Op::AddNode),
    ]
}

const DEPLOYMENTS: [&str; 2] = ["da", "db"];
const SERVICES: [&str; 4] = ["s1", "s2", "s3", "s4"];

/// The world the ops run on; `big`: 40 more nodes and Deployments of 1,000 replicas.
fn world(seed: u64, big: bool) -> World {
    let config = svcplay_core::world::ClusterConfig {
        max_pods: 5_000,
        ..Default::default()
    };
    let mut w = World::with_config(seed, config).unwrap();
    let replicas = if big { 1_000 } else { 1 };
    if big {
        // A third Deployment, so `s1` (app=a) selects 2,000 pods.
        w.apply(Command::Create {
            objects: vec![
                web_deployment(
                    &NamespacedName::default_ns("dc"),
                    labels(&[("app", "a"), ("tier", "y")]),
                    replicas,
                )
                .into(),
            ],
        })
        .unwrap();
    }
    let other = Namespace {
        metadata: ObjectMeta::named("", "other"),
        ..Default::default()
    };
    w.apply(Command::Create {
        objects: vec![Object::Namespace(other)],
    })
    .unwrap();
    for n in ["n0", "n1", "n2"] {
        w.apply(Command::Create {
            objects: vec![node_in_zone(n, "z").into()],
        })
        .unwrap();
    }
    for n in 0..if big { 40 } else { 0 } {
        w.apply(Command::Create {
            objects: vec![node_in_zone(&format!("m{n:02}"), &format!("z{}", n % 3)).into()],
        })
        .unwrap();
    }
    w.apply(Command::Create {
        objects: vec![
            web_deployment(
                &NamespacedName::default_ns("da"),
                labels(&[("app", "a"), ("tier", "x")]),
                if big { replicas } else { 2 },
            )
            .into(),
        ],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![
            web_deployment(
                &NamespacedName::default_ns("db"),
                labels(&[("app", "b")]),
                replicas,
            )
            .into(),
        ],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![
            http_service(&NamespacedName::default_ns("s1"), labels(&[("app", "a")])).into(),
        ],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![
            http_service(
                &NamespacedName::default_ns("s2"),
                labels(&[("app", "a"), ("tier", "x")]),
            )
            .into(),
        ],
    })
    .unwrap();
    w.apply(Command::Create {
        objects: vec![
            http_service(&NamespacedName::default_ns("s3"), labels(&[("tier", "y")])).into(),
        ],
    })
    .unwrap();
    // s4 targets port 8080 by number, and a second named port some pods lack.
    let mut s4 = Service {
        metadata: ObjectMeta::named("default", "s4"),
        ..Default::default()
    };
    s4.spec.selector = Some(labels(&[("app", "b")]));
    s4.spec.ports = vec![
        ServicePort {
            name: "num".into(),
            port: 80,
            target_port: IntOrString::Int(8080),
            ..Default::default()
        },
        ServicePort {
            name: "metrics".into(),
            port: 9090,
            target_port: IntOrString::String("metrics".into()),
            ..Default::default()
        },
    ];
    w.apply(Command::Create {
        objects: vec![s4.into()],
    })
    .unwrap();
    // s5: node-local lists (externalTrafficPolicy Local on a NodePort) and the ClientIP
    // affinity index, both patched per endpoint in kube-proxy's data plane.
    let mut s5 = http_service(&NamespacedName::default_ns("s5"), labels(&[("app", "a")]));
    s5.spec.type_ = ServiceType::NodePort;
    s5.spec.external_traffic_policy = TrafficPolicy::Local;
    s5.spec.session_affinity = SessionAffinity::ClientIp;
    w.apply(Command::Create {
        objects: vec![s5.into()],
    })
    .unwrap();
    w
}

fn nth_pod(w: &World, i: usize) -> Option<NamespacedName> {
    let n = w.pods().len();
    (n > 0)
        .then(|| w.pods().keys().nth(i % n).map(|k| (**k).clone()))
        .flatten()
}

/// Applies `op`; `unit` multiplies the replicas of a scale (1, or 125 in the big world).
fn apply(w: &mut World, op: &Op, serial: &mut u32, unit: i64) {
    match op {
        Op::Step(ms) => w.step(*ms),
        Op::Kill(i) => drop(nth_pod(w, *i).map(|p| w.apply(Command::DeletePod { pod: p }))),
        Op::Crash(i) => drop(nth_pod(w, *i).map(|p| w.apply(Command::CrashPod { pod: p }))),
        Op::Break(i) => drop(nth_pod(w, *i).map(|p| w.apply(Command::BreakPod { pod: p }))),
        Op::Heal(i) => drop(nth_pod(w, *i).map(|p| w.apply(Command::HealPod { pod: p }))),
        Op::Scale(d, n) => drop(w.apply(Command::ScaleDeployment {
            deployment: NamespacedName::default_ns(DEPLOYMENTS[*d]),
            replicas: *n * unit,
        })),
        Op::PodLabels(i, l) => drop(nth_pod(w, *i).map(|p| {
            w.apply(Command::SetPodLabels {
                pod: p,
                labels: labels(LABEL_SETS[*l]),
            })
        })),
        Op::TemplateLabels(d, l) => drop(w.apply(Command::SetTemplateLabels {
            deployment: NamespacedName::default_ns(DEPLOYMENTS[*d]),
            labels: labels(LABEL_SETS[*l]),
        })),
        Op::Selector(s, l) => drop(w.apply(Command::SetServiceSelector {
            service: NamespacedName::default_ns(SERVICES[*s]),
            selector: l.map(|l| labels(LABEL_SETS[l])),
        })),
        Op::Publish(s, b) => drop(w.apply(Command::SetPublishNotReadyAddresses {
            service: NamespacedName::default_ns(SERVICES[*s]),
            publish: *b,
        })),
        Op::BarePod(l, other_ns, metrics) => {
            *serial += 1;
            let ns = if *other_ns { "other" } else { "default" };
            let mut p = Pod {
                metadata: ObjectMeta::named(ns, &format!("bare-{serial}")),
                ..Default::default()
            };
            p.metadata.labels = labels(LABEL_SETS[*l]);
            let mut ports = vec![ContainerPort {
                name: "http".into(),
                container_port: 8080,
                protocol: Protocol::Tcp,
            }];
            if *metrics {
                ports.push(ContainerPort {
                    name: "metrics".into(),
                    container_port: 9100,
                    protocol: Protocol::Tcp,
                });
            }
            p.spec.containers = vec![Container {
                name: "c".into(),
                image: "agnhost".into(),
                ports,
                ..Default::default()
            }];
            w.apply(Command::Create {
                objects: vec![p.into()],
            })
            .unwrap();
        }
        Op::RemoveNode(n) => drop(w.apply(Command::DeleteNode {
            node: format!("n{n}"),
        })),
        Op::AddNode(n) => drop(w.apply(Command::Create {
            objects: vec![node_in_zone(&format!("n{n}"), "z").into()],
        })),
    }
}

/// c.4 by hand: numeric target as is; a name looked up in containers then sidecars,
/// name and protocol both matching.
fn resolve(pod: &Pod, sp: &ServicePort) -> Option<i32> {
    match &sp.target_port {
        IntOrString::Int(0) => Some(sp.port),
        IntOrString::Int(n) => Some(*n),
        IntOrString::String(name) => {
            let proto = match sp.protocol.as_str() {
                "" | "TCP" => Protocol::Tcp,
                "UDP" => Protocol::Udp,
                "SCTP" => Protocol::Sctp,
                _ => return None,
            };
            let sidecars = pod
                .spec
                .init_containers
                .iter()
                .filter(|c| c.restart_policy.as_deref() == Some("Always"));
            pod.spec
                .containers
                .iter()
                .chain(sidecars)
                .flat_map(|c| &c.ports)
                .find(|p| &p.name == name && p.protocol == proto)
                .map(|p| p.container_port)
        }
    }
}

fn brute_force(w: &World, svc: &Service) -> BTreeSet<Row> {
    let sel = svc.spec.selector.clone().unwrap_or_default();
    let mut out = BTreeSet::new();
    for pod in w.pods().values() {
        let matches = !sel.is_empty()
            && sel
                .iter()
                .all(|(k, v)| pod.metadata.labels.get(k) == Some(v));
        if !matches || pod.metadata.namespace != svc.metadata.namespace {
            continue;
        }
        if matches!(pod.status.phase, PodPhase::Succeeded | PodPhase::Failed)
            || pod.status.pod_ip.is_empty()
        {
            continue;
        }
        if !w.nodes().contains_key(&pod.spec.node_name) && !svc.spec.publish_not_ready_addresses {
            continue;
        }
        let serving = pod.status.ready;
        let terminating = pod.metadata.deletion_timestamp.is_some();
        let ready = svc.spec.publish_not_ready_addresses || (serving && !terminating);
        let ports = svc
            .spec
            .ports
            .iter()
            .filter_map(|sp| resolve(pod, sp).map(|n| (sp.name.clone(), n)))
            .collect();
        out.insert((
            pod.status.pod_ip.clone(),
            pod.metadata.name.clone(),
            (ready, serving, terminating),
            ports,
        ));
    }
    out
}

fn incremental(w: &World, svc: &NamespacedName) -> BTreeSet<Row> {
    let mut out = BTreeSet::new();
    for s in w.endpoint_slices_for(svc) {
        let ports: Vec<(String, i32)> = s.ports.iter().map(|p| (p.name.clone(), p.port)).collect();
        for e in &s.endpoints {
            let c = e.conditions;
            let row = (
                e.address().to_owned(),
                e.pod_name().unwrap_or("").to_owned(),
                (c.ready, c.serving, c.terminating),
                ports.clone(),
            );
            assert!(
                out.insert(row),
                "address {} listed twice for {svc}",
                e.address()
            );
        }
    }
    out
}

fn check(w: &World) -> Result<(), TestCaseError> {
    for (name, svc) in w.services() {
        if svc.spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
            continue; // the controller leaves such a Service's slices alone (b.6)
        }
        let want = brute_force(w, svc);
        let got = incremental(w, name);
        prop_assert_eq!(&got, &want, "service {} at {}", name, w.now());
        let slices = w.endpoint_slices_for(name);
        prop_assert!(slices.iter().all(|s| s.endpoints.len() <= 100));
        if want.is_empty() {
            prop_assert_eq!(slices.len(), 1, "one placeholder for {}", name);
            prop_assert!(slices[0].endpoints.is_empty() && slices[0].ports.is_empty());
        } else {
            prop_assert!(
                slices.iter().all(|s| !s.endpoints.is_empty()),
                "no placeholder beside real slices"
            );
        }
    }
    Ok(())
}

/// The pod-scoped world `w` equals the reference world `r` (every sync full).
fn same(w: &World, r: &World) -> Result<(), TestCaseError> {
    prop_assert!(
        w.endpoint_slices() == r.endpoint_slices(),
        "slices differ at {}",
        w.now()
    );
    let events = |w: &World| {
        w.event_history()
            .map(|e| format!("{e:?}"))
            .collect::<Vec<_>>()
    };
    prop_assert_eq!(events(w), events(r));
    // kube-proxy: entries patched one by one program what a whole reprogram per sync
    // (the reference world) and a rebuild from scratch program.
    let patched = w.dataplane();
    prop_assert_eq!(
        patched.programming_diff(r.dataplane()),
        None,
        "vs full syncs at {}",
        w.now()
    );
    let scratch = w.dataplane_from_scratch();
    prop_assert_eq!(
        patched.programming_diff(&scratch),
        None,
        "vs a rebuild at {}",
        w.now()
    );
    Ok(())
}

fn run(seed: u64, ops: &[Op], big: bool) -> Result<(), TestCaseError> {
    let unit = if big { 125 } else { 1 };
    let mut w = world(seed, big);
    let mut r = world(seed, big);
    r.set_full_endpoint_syncs(true);
    let (mut serial, mut serial_r) = (0, 0);
    check(&w)?;
    for op in ops {
        apply(&mut w, op, &mut serial, unit);
        apply(&mut r, op, &mut serial_r, unit);
        check(&w)?;
        same(&w, &r)?;
    }
    w.resync_all_services();
    check(&w)?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn incremental_slices_equal_a_recomputation(seed in any::<u64>(), ops in proptest::collection::vec(op(), 1..40)) {
        run(seed, &ops, false)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Services of thousands of pods: `s1` selects 2,000 at the start.
    #[test]
    fn incremental_slices_equal_a_recomputation_in_large_services(seed in any::<u64>(), ops in proptest::collection::vec(op(), 1..12)) {
        run(seed, &ops, true)?;
    }
}
