//! Scenario tests: what a user of the playground does, and what Kubernetes would show.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use svcplay_core::controllers::endpointslice::rules::Exclusion;
use svcplay_core::objects::NamespacedName;
use svcplay_core::objects::build::{node_in_zone, web_container};
use svcplay_core::objects::{
    Container, ContainerPort, EndpointConditions, Labels, ObjectMeta, Pod, PodPhase, Protocol,
};
use svcplay_core::objects::{Namespace, Object};
use svcplay_core::scenario::default_world;
use svcplay_core::world::Command;
use svcplay_core::{CommandError, Reason, World};

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn prod_pods(w: &World) -> Vec<String> {
    w.pods()
        .keys()
        .filter(|n| n.name.starts_with("prod-"))
        .map(|n| n.name.clone())
        .collect()
}

fn ready_names(w: &World, svc: &str) -> Vec<String> {
    w.ready_endpoints(&NamespacedName::default_ns(svc))
        .iter()
        .map(|p| p.metadata.name.clone())
        .collect()
}

/// The endpoint of `pod` in `svc`'s slices, if any.
fn conditions(w: &World, svc: &str, pod: &str) -> Option<EndpointConditions> {
    w.endpoint_slices_for(&NamespacedName::default_ns(svc))
        .into_iter()
        .flat_map(|s| s.endpoints.iter())
        .find(|e| e.pod_name() == Some(pod))
        .map(|e| e.conditions)
}

fn cond(ready: bool, serving: bool, terminating: bool) -> Option<EndpointConditions> {
    Some(EndpointConditions {
        ready,
        serving,
        terminating,
    })
}

fn events(w: &mut World) -> Vec<String> {
    w.drain_events().into_iter().map(|e| e.message).collect()
}

/// A world whose pods have started and passed their first probe (at 2 s).
fn started() -> World {
    let mut w = default_world(42);
    w.step(2_000);
    w
}

#[test]
fn broken_app_is_not_ready_after_30s_and_leaves_the_ready_endpoints() {
    let mut w = started();
    let pod = prod_pods(&w)[0].clone();
    assert!(ready_names(&w, "prod").contains(&pod));
    // Probes ran at 2 s; the next ones run at 12, 22 and 32 s.
    w.apply(Command::BreakPod {
        pod: NamespacedName::default_ns(&pod),
    })
    .unwrap();
    w.step(29_999);
    assert!(
        ready_names(&w, "prod").contains(&pod),
        "still Ready before the third failure"
    );
    assert_eq!(conditions(&w, "prod", &pod), cond(true, true, false));
    w.drain_events();
    w.step(1);
    assert_eq!(w.now().as_millis(), 32_000);
    assert!(!w.pods()[&NamespacedName::default_ns(&pod)].status.ready);
    assert!(
        !ready_names(&w, "prod").contains(&pod),
        "left the ready endpoints"
    );
    assert_eq!(ready_names(&w, "prod").len(), 1);
    assert_eq!(
        conditions(&w, "prod", &pod),
        cond(false, false, false),
        "still listed, not ready"
    );
    let log = events(&mut w);
    assert!(
        log.contains(&format!(
            "pod {pod} is NotReady: readiness probe failed 3 times"
        )),
        "{log:#?}"
    );
    assert!(
        log.iter().any(|m| m.starts_with(&format!(
            "endpoint {} (pod {pod}) in slice prod-",
            w.pods()[&NamespacedName::default_ns(&pod)].status.pod_ip
        )) && m.contains("is now ready=false serving=false terminating=false")),
        "{log:#?}"
    );
    let why = w
        .explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&pod),
        )
        .unwrap();
    assert!(why.is_endpoint() && !why.is_ready_endpoint());
    assert_eq!(
        why.reasons,
        vec![Reason::NotReady(
            "readiness probe failed 3 time(s) in a row".into()
        )]
    );
    // Healing: the next probe (42 s) succeeds, and one success is enough.
    w.apply(Command::HealPod {
        pod: NamespacedName::default_ns(&pod),
    })
    .unwrap();
    w.step(9_999);
    assert!(!w.pods()[&NamespacedName::default_ns(&pod)].status.ready);
    w.step(1);
    assert!(ready_names(&w, "prod").contains(&pod));
    assert_eq!(
        w.pods()[&NamespacedName::default_ns(&pod)]
            .status
            .restart_count,
        0,
        "a readiness failure never restarts"
    );
}

#[test]
fn killed_pod_terminates_for_30s_while_its_replacement_becomes_ready() {
    let mut w = started();
    let before = prod_pods(&w);
    let victim = before[0].clone();
    let victim_ip = w.pods()[&NamespacedName::default_ns(&victim)]
        .status
        .pod_ip
        .clone();
    w.drain_events();
    w.apply(Command::DeletePod {
        pod: NamespacedName::default_ns(&victim),
    })
    .unwrap();
    assert_eq!(
        conditions(&w, "prod", &victim),
        cond(false, true, true),
        "terminating, still serving"
    );
    assert!(!ready_names(&w, "prod").contains(&victim));
    let now = prod_pods(&w);
    assert_eq!(now.len(), 3, "the replacement exists at once");
    let fresh: Vec<&String> = now.iter().filter(|n| !before.contains(n)).collect();
    assert_eq!(fresh.len(), 1);
    let fresh = fresh[0].clone();
    assert!(
        fresh.starts_with("prod-") && fresh.len() == before[0].len(),
        "<rs>-<5 chars>: {fresh}"
    );
    let suffix = &fresh[fresh.len() - 5..];
    assert!(
        suffix
            .bytes()
            .all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b)),
        "{suffix}"
    );
    assert_eq!(
        w.pods()[&NamespacedName::default_ns(&fresh)]
            .metadata
            .labels
            .get("pod-template-hash"),
        w.pods()[&NamespacedName::default_ns(&victim)]
            .metadata
            .labels
            .get("pod-template-hash")
    );
    let why = w
        .explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&fresh),
        )
        .unwrap();
    assert_eq!(why.reasons, vec![Reason::Excluded(Exclusion::NoIp)]);
    w.step(2_000);
    assert!(
        ready_names(&w, "prod").contains(&fresh),
        "replacement Ready after start + first probe"
    );
    assert_ne!(
        w.pods()[&NamespacedName::default_ns(&fresh)].status.pod_ip,
        victim_ip,
        "a new pod IP"
    );
    w.step(27_999);
    assert_eq!(
        conditions(&w, "prod", &victim),
        cond(false, true, true),
        "terminating for the whole grace period"
    );
    let why = w
        .explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&victim),
        )
        .unwrap();
    assert!(
        why.reasons.contains(&Reason::Terminating {
            until: svcplay_core::SimTime(32_000)
        }),
        "{why}"
    );
    w.step(1);
    assert!(!w.pods().contains_key(&NamespacedName::default_ns(&victim)));
    assert_eq!(conditions(&w, "prod", &victim), None);
    assert_eq!(ready_names(&w, "prod").len(), 2);
    let log = events(&mut w);
    assert!(log.iter().any(|m| m == &format!("endpoint {victim_ip} (pod {victim}) removed from slice {} of service prod: pod deleted",
        w.endpoint_slices_for(&NamespacedName::default_ns("prod"))[0].metadata.name)), "{log:#?}");
    assert_eq!(
        w.apply(Command::DeletePod {
            pod: NamespacedName::default_ns(&victim)
        }),
        Err(CommandError::PodNotFound {
            name: victim.clone()
        })
    );
}

#[test]
fn scale_two_to_ten_to_one() {
    let mut w = started();
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 10,
    })
    .unwrap();
    assert_eq!(prod_pods(&w).len(), 10);
    w.step(2_000);
    assert_eq!(ready_names(&w, "prod").len(), 10);
    assert_eq!(
        w.endpoint_slices_for(&NamespacedName::default_ns("prod"))
            .len(),
        1
    );
    let per_node: Vec<usize> = w
        .nodes()
        .keys()
        .map(|n| {
            w.pods()
                .values()
                .filter(|p| &p.spec.node_name == n && p.metadata.name.starts_with("prod"))
                .count()
        })
        .collect();
    assert_eq!(
        per_node,
        vec![5, 5],
        "least-loaded scheduling spreads evenly"
    );
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 1,
    })
    .unwrap();
    let terminating = w
        .pods()
        .values()
        .filter(|p| p.metadata.name.starts_with("prod") && p.metadata.is_terminating())
        .count();
    assert_eq!(terminating, 9);
    assert_eq!(ready_names(&w, "prod").len(), 1);
    w.step(30_000);
    assert_eq!(prod_pods(&w).len(), 1);
    assert_eq!(
        w.endpoint_slices_for(&NamespacedName::default_ns("prod"))
            .iter()
            .map(|s| s.endpoints.len())
            .sum::<usize>(),
        1
    );
    assert_eq!(
        w.apply(Command::ScaleDeployment {
            deployment: NamespacedName::default_ns("prod"),
            replicas: 1001
        }),
        Err(CommandError::ReplicasOutOfRange {
            deployment: "prod".into(),
            replicas: 1001,
            max: 1000
        })
    );
    assert!(
        w.apply(Command::ScaleDeployment {
            deployment: NamespacedName::default_ns("prod"),
            replicas: -1
        })
        .is_err()
    );
    assert_eq!(
        w.apply(Command::ScaleDeployment {
            deployment: NamespacedName::default_ns("nope"),
            replicas: 1
        }),
        Err(CommandError::DeploymentNotFound {
            name: "nope".into()
        })
    );
    assert_eq!(prod_pods(&w).len(), 1, "refused commands change nothing");
}

#[test]
fn scale_down_prefers_not_ready_pods() {
    let mut w = started();
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 3,
    })
    .unwrap();
    w.step(2_000);
    let broken = prod_pods(&w)[1].clone();
    w.apply(Command::BreakPod {
        pod: NamespacedName::default_ns(&broken),
    })
    .unwrap();
    w.step(30_000);
    assert!(!w.pods()[&NamespacedName::default_ns(&broken)].status.ready);
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 2,
    })
    .unwrap();
    assert!(
        w.pods()[&NamespacedName::default_ns(&broken)]
            .metadata
            .is_terminating(),
        "the not-ready pod goes first"
    );
}

#[test]
fn many_endpoints_are_packed_at_most_100_per_slice() {
    let mut w = started();
    w.apply(Command::Create {
        objects: vec![node_in_zone("node-c", "zone-c").into()],
    })
    .unwrap();
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 250,
    })
    .unwrap();
    w.step(2_000);
    let sizes: Vec<usize> = w
        .endpoint_slices_for(&NamespacedName::default_ns("prod"))
        .iter()
        .map(|s| s.endpoints.len())
        .collect();
    assert_eq!(sizes.iter().sum::<usize>(), 250);
    assert!(sizes.iter().all(|&n| n <= 100), "{sizes:?}");
    // The two endpoints already there keep their slice (no rebalancing); the 248 new
    // ones fill new slices: 100, 100, 48.
    let mut sorted = sizes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![2, 48, 100, 100]);
    for s in w.endpoint_slices_for(&NamespacedName::default_ns("prod")) {
        assert_eq!(
            s.metadata
                .labels
                .get("kubernetes.io/service-name")
                .map(String::as_str),
            Some("prod")
        );
        assert_eq!(
            s.metadata
                .labels
                .get("endpointslice.kubernetes.io/managed-by")
                .map(String::as_str),
            Some("endpointslice-controller.k8s.io")
        );
        assert!(s.metadata.name.starts_with("prod-") && s.metadata.name.len() == 10);
        assert_eq!(s.address_type, "IPv4");
    }
    w.apply(Command::Create {
        objects: vec![node_in_zone("node-d", "zone-d").into()],
    })
    .unwrap();
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 500,
    })
    .unwrap();
    let pending = w
        .pods()
        .values()
        .filter(|p| p.spec.node_name.is_empty())
        .count();
    assert_eq!(
        pending,
        500 + 1 + 1 - 4 * 110,
        "four nodes hold 440 pods; dev has one, and so does the client pod"
    );
    // Scaling down removes the unscheduled pods first, and they go at once: no kubelet
    // has to stop them (grace period 0).
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 438,
    })
    .unwrap();
    assert_eq!(
        w.pods()
            .values()
            .filter(|p| p.spec.node_name.is_empty())
            .count(),
        0
    );
    assert_eq!(prod_pods(&w).len(), 438);
    assert!(w.pods().values().all(|p| !p.metadata.is_terminating()));
}

#[test]
fn explain_names_every_reason() {
    let mut w = started();
    let pod = prod_pods(&w)[0].clone();
    let ok = w
        .explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&pod),
        )
        .unwrap();
    assert!(ok.is_ready_endpoint());
    assert_eq!(ok.reasons, vec![Reason::Ready]);
    // Selector mismatch, for another Service.
    let why = w
        .explain(
            &NamespacedName::default_ns("dev"),
            &NamespacedName::default_ns(&pod),
        )
        .unwrap();
    assert!(!why.is_endpoint());
    assert_eq!(
        why.reasons,
        vec![Reason::Excluded(Exclusion::SelectorMismatch {
            key: "app".into(),
            wanted: "dev".into(),
            has: Some("prod".into())
        })]
    );
    assert_eq!(
        why.to_string(),
        format!(
            "pod {pod} is not an endpoint of service dev; selector wants app=dev, the pod has app=prod"
        )
    );
    // A pod in another namespace.
    let mut other = Pod {
        metadata: ObjectMeta::named("staging", "stray"),
        ..Default::default()
    };
    other.metadata.labels = labels(&[("app", "prod")]);
    other.spec.containers = vec![web_container()];
    let staging = Namespace {
        metadata: ObjectMeta::named("", "staging"),
        ..Default::default()
    };
    w.apply(Command::Create {
        objects: vec![Object::Namespace(staging), other.into()],
    })
    .unwrap();
    w.step(2_000);
    let why = w
        .explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::new("staging", "stray"),
        )
        .unwrap();
    assert_eq!(
        why.reasons,
        vec![Reason::Excluded(Exclusion::OtherNamespace {
            pod: "staging".into(),
            service: "default".into()
        })]
    );
    // A named port the pod does not declare: an endpoint without that port, in its own slice.
    let mut odd = Pod {
        metadata: ObjectMeta::named("default", "odd"),
        ..Default::default()
    };
    odd.metadata.labels = labels(&[("app", "prod")]);
    odd.spec.containers = vec![Container {
        name: "web".into(),
        image: "agnhost".into(),
        ports: vec![ContainerPort {
            name: "web".into(),
            container_port: 9090,
            protocol: Protocol::Tcp,
        }],
        ..Default::default()
    }];
    w.apply(Command::Create {
        objects: vec![odd.into()],
    })
    .unwrap();
    w.step(2_000);
    let why = w
        .explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns("odd"),
        )
        .unwrap();
    assert!(why.is_ready_endpoint());
    assert_eq!(
        why.reasons,
        vec![
            Reason::Ready,
            Reason::NamedPortNotFound {
                port: "http".into()
            }
        ]
    );
    assert!(
        !ready_names(&w, "prod").contains(&"odd".to_owned()),
        "no traffic without the port"
    );
    assert_eq!(
        w.endpoint_slices_for(&NamespacedName::default_ns("prod"))
            .len(),
        2,
        "grouped by port list"
    );
    // A terminal pod (restartPolicy Never, then a crash).
    let mut once = Pod {
        metadata: ObjectMeta::named("default", "once"),
        ..Default::default()
    };
    once.metadata.labels = labels(&[("app", "prod")]);
    once.spec.restart_policy = "Never".into();
    once.spec.containers = vec![Container {
        name: "job".into(),
        image: "agnhost".into(),
        ..Default::default()
    }];
    w.apply(Command::Create {
        objects: vec![once.into()],
    })
    .unwrap();
    w.step(2_000);
    assert!(
        w.explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns("once")
        )
        .unwrap()
        .is_ready_endpoint(),
        "no probe: ready once running"
    );
    w.apply(Command::CrashPod {
        pod: NamespacedName::default_ns("once"),
    })
    .unwrap();
    assert_eq!(
        w.pods()[&NamespacedName::default_ns("once")].status.phase,
        PodPhase::Failed
    );
    assert_eq!(
        w.explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns("once")
        )
        .unwrap()
        .reasons,
        vec![Reason::Excluded(Exclusion::TerminalPhase(PodPhase::Failed))]
    );
    assert_eq!(
        conditions(&w, "prod", "once"),
        None,
        "a terminal pod leaves at once"
    );
    // Not ready after a crash, until the probe passes again.
    w.apply(Command::CrashPod {
        pod: NamespacedName::default_ns(&pod),
    })
    .unwrap();
    let why = w
        .explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&pod),
        )
        .unwrap();
    assert_eq!(
        why.reasons,
        vec![Reason::NotReady(
            "a container is not running (starting or restarting after a crash)".into()
        )]
    );
    w.step(1_000);
    assert_eq!(
        w.pods()[&NamespacedName::default_ns(&pod)]
            .status
            .restart_count,
        1
    );
    assert!(
        w.explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&pod)
        )
        .unwrap()
        .is_ready_endpoint(),
        "probe at restart + initialDelay 0"
    );
    // publishNotReadyAddresses: a not-ready pod is a ready endpoint.
    w.apply(Command::BreakPod {
        pod: NamespacedName::default_ns(&pod),
    })
    .unwrap();
    w.step(30_000);
    assert!(
        !w.explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&pod)
        )
        .unwrap()
        .is_ready_endpoint()
    );
    w.apply(Command::SetPublishNotReadyAddresses {
        service: NamespacedName::default_ns("prod"),
        publish: true,
    })
    .unwrap();
    let why = w
        .explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&pod),
        )
        .unwrap();
    assert!(why.is_ready_endpoint());
    assert_eq!(conditions(&w, "prod", &pod), cond(true, false, false));
    assert!(why.reasons.contains(&Reason::PublishNotReadyAddresses));
    w.apply(Command::SetPublishNotReadyAddresses {
        service: NamespacedName::default_ns("prod"),
        publish: false,
    })
    .unwrap();
    // Node missing.
    let node = w.pods()[&NamespacedName::default_ns(&pod)]
        .spec
        .node_name
        .clone();
    w.apply(Command::DeleteNode { node: node.clone() }).unwrap();
    assert_eq!(
        w.explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&pod)
        )
        .unwrap()
        .reasons,
        vec![Reason::Excluded(Exclusion::NodeMissing(node.clone()))]
    );
    assert_eq!(conditions(&w, "prod", &pod), None);
    w.step(40_000);
    assert!(
        !w.pods().contains_key(&NamespacedName::default_ns(&pod)),
        "the pod garbage collector removed the orphan"
    );
    // No selector: {} and None both select nothing; the slices are left as they were.
    let slices_before = w
        .endpoint_slices_for(&NamespacedName::default_ns("prod"))
        .len();
    let other = prod_pods(&w)[0].clone();
    w.apply(Command::SetServiceSelector {
        service: NamespacedName::default_ns("prod"),
        selector: Some(Labels::new()),
    })
    .unwrap();
    assert_eq!(
        w.explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns(&other)
        )
        .unwrap()
        .reasons,
        vec![Reason::NoSelector {
            stale_slices: slices_before
        }]
    );
    w.apply(Command::SetServiceSelector {
        service: NamespacedName::default_ns("prod"),
        selector: None,
    })
    .unwrap();
    assert_eq!(
        w.endpoint_slices_for(&NamespacedName::default_ns("prod"))
            .len(),
        slices_before,
        "the controller leaves them alone"
    );
    // Unknown names.
    assert_eq!(
        w.explain(
            &NamespacedName::default_ns("nope"),
            &NamespacedName::default_ns(&other)
        ),
        Err(CommandError::ServiceNotFound {
            name: "nope".into()
        })
    );
    assert_eq!(
        w.explain(
            &NamespacedName::default_ns("prod"),
            &NamespacedName::default_ns("nope")
        ),
        Err(CommandError::PodNotFound {
            name: "nope".into()
        })
    );
}

#[test]
fn relabelled_pod_leaves_its_service_and_is_replaced() {
    let mut w = started();
    let pod = prod_pods(&w)[0].clone();
    w.apply(Command::SetPodLabels {
        pod: NamespacedName::default_ns(&pod),
        labels: labels(&[("app", "debug")]),
    })
    .unwrap();
    assert_eq!(conditions(&w, "prod", &pod), None);
    assert!(
        w.pods()[&NamespacedName::default_ns(&pod)]
            .metadata
            .owner_references
            .is_empty(),
        "released by its ReplicaSet"
    );
    assert_eq!(
        prod_pods(&w).len(),
        3,
        "the ReplicaSet replaced it (the released pod keeps its name)"
    );
    let log = events(&mut w);
    assert!(
        log.iter()
            .any(|m| m.contains(&format!("(pod {pod}) removed from slice"))
                && m.ends_with("selector wants app=prod, the pod has app=debug")),
        "{log:#?}"
    );
    // A bad label is refused and changes nothing.
    let err = w
        .apply(Command::SetPodLabels {
            pod: NamespacedName::default_ns(&pod),
            labels: labels(&[("app", "no spaces allowed")]),
        })
        .unwrap_err();
    assert!(matches!(err, CommandError::InvalidLabel { .. }), "{err}");
    assert!(
        err.to_string().starts_with(&format!("pod \"{pod}\": metadata.labels: Invalid value: \"no spaces allowed\": a valid label must be")),
        "{err}"
    );
    assert_eq!(
        w.pods()[&NamespacedName::default_ns(&pod)].metadata.labels,
        labels(&[("app", "debug")])
    );
    // Pointing a Service at the new label picks it up.
    w.apply(Command::SetServiceSelector {
        service: NamespacedName::default_ns("dev"),
        selector: Some(labels(&[("app", "debug")])),
    })
    .unwrap();
    assert_eq!(conditions(&w, "dev", &pod), cond(true, true, false));
    assert_eq!(ready_names(&w, "dev"), vec![pod.clone()]);
}

#[test]
fn template_labels_apply_to_new_pods_only() {
    let mut w = started();
    let err = w
        .apply(Command::SetTemplateLabels {
            deployment: NamespacedName::default_ns("prod"),
            labels: labels(&[("app", "other")]),
        })
        .unwrap_err();
    assert!(
        matches!(err, CommandError::SelectorDoesNotMatchTemplate { .. }),
        "{err}"
    );
    w.apply(Command::SetTemplateLabels {
        deployment: NamespacedName::default_ns("prod"),
        labels: labels(&[("app", "prod"), ("track", "canary")]),
    })
    .unwrap();
    let old = prod_pods(&w);
    w.apply(Command::ScaleDeployment {
        deployment: NamespacedName::default_ns("prod"),
        replicas: 3,
    })
    .unwrap();
    let new: Vec<String> = prod_pods(&w)
        .into_iter()
        .filter(|n| !old.contains(n))
        .collect();
    assert_eq!(new.len(), 1);
    assert_eq!(
        w.pods()[&NamespacedName::default_ns(&new[0])]
            .metadata
            .labels
            .get("track")
            .map(String::as_str),
        Some("canary")
    );
    assert!(
        w.pods()[&NamespacedName::default_ns(&new[0])]
            .metadata
            .labels
            .contains_key("pod-template-hash")
    );
    assert!(old.iter().all(|n| {
        !w.pods()[&NamespacedName::default_ns(n)]
            .metadata
            .labels
            .contains_key("track")
    }));
}

#[test]
fn deployment_selector_with_match_expressions() {
    use svcplay_core::objects::{Deployment, LabelSelector, LabelSelectorRequirement};
    let mut w = started();
    let mut d = Deployment {
        metadata: ObjectMeta::named("default", "multi"),
        ..Default::default()
    };
    d.spec.replicas = Some(2);
    d.spec.selector = Some(LabelSelector {
        match_labels: Labels::new(),
        match_expressions: vec![LabelSelectorRequirement {
            key: "team".into(),
            operator: "In".into(),
            values: vec!["a".into(), "b".into()],
        }],
    });
    d.spec.template.metadata.labels = labels(&[("team", "a")]);
    d.spec.template.spec.containers = vec![web_container()];
    w.apply(Command::Create {
        objects: vec![d.clone().into()],
    })
    .unwrap();
    let multi: Vec<String> = w
        .pods()
        .keys()
        .filter(|n| n.name.starts_with("multi-"))
        .map(|n| n.name.clone())
        .collect();
    assert_eq!(multi.len(), 2);
    let hash = w.pods()[&NamespacedName::default_ns(&multi[0])]
        .metadata
        .labels["pod-template-hash"]
        .clone();
    w.apply(Command::SetPodLabels {
        pod: NamespacedName::default_ns(&multi[0]),
        labels: labels(&[("team", "b"), ("pod-template-hash", &hash)]),
    })
    .unwrap();
    assert_eq!(
        w.pods()[&NamespacedName::default_ns(&multi[0])]
            .metadata
            .owner_references
            .len(),
        1,
        "team=b is still In (a, b)"
    );
    w.apply(Command::SetPodLabels {
        pod: NamespacedName::default_ns(&multi[0]),
        labels: labels(&[("team", "c"), ("pod-template-hash", &hash)]),
    })
    .unwrap();
    assert!(
        w.pods()[&NamespacedName::default_ns(&multi[0])]
            .metadata
            .owner_references
            .is_empty(),
        "team=c is released"
    );
    assert_eq!(
        w.pods()
            .keys()
            .filter(|n| n.name.starts_with("multi-"))
            .count(),
        3
    );
    // A bad operator is refused with Kubernetes' field error; nothing is created.
    let mut bad = d;
    bad.metadata.name = "bad".into();
    bad.spec.selector.as_mut().unwrap().match_expressions[0].operator = "Near".into();
    let err = w
        .apply(Command::Create {
            objects: vec![bad.into()],
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("spec.selector.matchExpressions[0].operator: Invalid value: \"Near\""),
        "{err}"
    );
    assert!(
        !w.deployments()
            .contains_key(&NamespacedName::default_ns("bad"))
    );
}

#[test]
fn removing_a_deployment_deletes_its_pods_gracefully() {
    let mut w = started();
    let pods = prod_pods(&w);
    w.apply(Command::DeleteDeployment {
        deployment: NamespacedName::default_ns("prod"),
    })
    .unwrap();
    assert!(
        w.deployments()
            .get(&NamespacedName::default_ns("prod"))
            .is_none()
    );
    assert!(
        w.replica_sets()
            .keys()
            .all(|n| !n.name.starts_with("prod-"))
    );
    assert!(
        pods.iter().all(|p| w.pods()[&NamespacedName::default_ns(p)]
            .metadata
            .is_terminating()),
        "graceful, not instant"
    );
    assert_eq!(prod_pods(&w).len(), 2, "nothing replaces them");
    assert!(ready_names(&w, "prod").is_empty());
    w.step(30_000);
    assert!(prod_pods(&w).is_empty());
    let slices = w.endpoint_slices_for(&NamespacedName::default_ns("prod"));
    assert_eq!(slices.len(), 1);
    assert!(
        slices[0].is_placeholder(),
        "an empty Service keeps one placeholder slice"
    );
    assert_eq!(
        w.apply(Command::DeleteDeployment {
            deployment: NamespacedName::default_ns("prod")
        }),
        Err(CommandError::DeploymentNotFound {
            name: "prod".into()
        })
    );
}
