//! Public manifests nobody on the project wrote (guestbook-go, Cassandra, Sock Shop,
//! podinfo, ingress-nginx, MetalLB, Argo CD; see each folder's NOTICE) load into an
//! empty cluster without a refusal and give every Service the endpoints its workload's
//! pods give it; and the workload controllers behave as Kubernetes' do: StatefulSet
//! names and order, DaemonSet pods following nodes, ReplicationControllers, Jobs that
//! run to completion, CronJobs on their schedule.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use svcplay_core::World;
use svcplay_core::dns::{ClusterDns, DnsConfig, Question, RData, RrType, Upstream};
use svcplay_core::manifest::{ImportJob, NoticeKind, ProgressStage, apply_import, import};
use svcplay_core::objects::build::node_in_zone;
use svcplay_core::objects::{NamespacedName, PodPhase, ServiceType, TrafficPolicy};
use svcplay_core::scenario::empty_cluster;
use svcplay_core::world::{Command, WorkloadKind, WorkloadRef};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const GUESTBOOK_GO: &str = include_str!("manifests/guestbook-go/guestbook-go.yaml");
const CASSANDRA: &str = include_str!("manifests/cassandra/cassandra.yaml");
const SOCK_SHOP: &str = include_str!("manifests/sock-shop/complete-demo.yaml");
const PODINFO: &str = include_str!("manifests/podinfo/kustomize.yaml");
const PODINFO_DB: &str = include_str!("manifests/podinfo/database.yaml");
const INGRESS_NGINX: &str = include_str!("manifests/ingress-nginx/deploy.yaml");
const METALLB: &str = include_str!("manifests/metallb/metallb-native.yaml");
const ARGO_CD: &str = include_str!("manifests/argo-cd/install.yaml");

/// An empty cluster with `text` imported, run for `secs` simulated seconds.
fn cluster_with(text: &str, secs: u64) -> World {
    let mut w = empty_cluster(7);
    apply_import(&mut w, text).unwrap_or_else(|e| panic!("{e}"));
    w.step(secs * 1000);
    w
}

/// Ready endpoints per Service, `namespace/name` → count.
fn ready(w: &World) -> BTreeMap<String, usize> {
    w.services()
        .keys()
        .filter(|s| !w.is_built_in_service(s))
        .map(|s| (s.to_string(), w.ready_endpoints(s).len()))
        .collect()
}

fn expect(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

fn key(ns: &str, name: &str) -> NamespacedName {
    NamespacedName::new(ns, name)
}

fn pods_of(w: &World, kind: WorkloadKind, ns: &str, name: &str) -> Vec<(String, String)> {
    w.pods_of(&WorkloadRef::new(kind, key(ns, name)))
        .iter()
        .map(|p| (p.metadata.name.clone(), p.spec.node_name.clone()))
        .collect()
}

#[test]
fn guestbook_go_replication_controllers_back_their_services() {
    let w = cluster_with(GUESTBOOK_GO, 30);
    assert_eq!(
        ready(&w),
        expect(&[
            ("default/guestbook", 3),
            ("default/redis-master", 1),
            ("default/redis-replica", 2),
        ])
    );
    let rc = WorkloadRef::new(
        WorkloadKind::ReplicationController,
        key("default", "guestbook"),
    );
    let counts = w.workload_counts(&rc).unwrap();
    assert_eq!((counts.desired, counts.current, counts.ready), (3, 3, 3));
    assert!(
        w.pods_of(&rc)
            .iter()
            .all(|p| p.metadata.name.starts_with("guestbook-") && p.metadata.name.len() == 15),
        "named <rc>-<5 characters>"
    );
}

#[test]
fn a_replication_controller_replaces_a_killed_pod_and_scales() {
    let mut w = cluster_with(GUESTBOOK_GO, 30);
    let rc = WorkloadRef::new(
        WorkloadKind::ReplicationController,
        key("default", "redis-replica"),
    );
    let victim = w.pods_of(&rc)[0].metadata.key();
    w.apply(Command::DeletePod {
        pod: victim.clone(),
    })
    .unwrap();
    let names: Vec<String> = w
        .pods_of(&rc)
        .iter()
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "the replacement starts while the old one terminates"
    );
    w.step(31_000);
    let c = w.workload_counts(&rc).unwrap();
    assert_eq!((c.current, c.ready, c.terminating), (2, 2, 0));
    assert!(w.pod(&victim).is_none());
    w.apply(Command::ScaleWorkload {
        workload: rc.clone(),
        replicas: 4,
    })
    .unwrap();
    w.step(5_000);
    assert_eq!(w.ready_endpoints(&key("default", "redis-replica")).len(), 4);
    let ds = WorkloadRef::new(WorkloadKind::DaemonSet, key("default", "redis-replica"));
    assert_eq!(
        w.apply(Command::ScaleWorkload {
            workload: ds,
            replicas: 1
        })
        .unwrap_err()
        .to_string(),
        "daemonsets.apps \"redis-replica\" not found"
    );
}

#[test]
fn cassandra_starts_its_pods_one_at_a_time_with_stable_names_and_dns() {
    let mut w = empty_cluster(3);
    let report = apply_import(&mut w, CASSANDRA).unwrap_or_else(|e| panic!("{e}"));
    let skipped: Vec<String> = report
        .notices
        .iter()
        .filter(|n| matches!(n.kind, NoticeKind::UnknownKind { .. }))
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        skipped,
        [
            "document 3, line 122, column 1: skipped storage.k8s.io/v1 StorageClass: kind not modelled by the playground"
        ]
    );
    let names = |w: &World| -> Vec<String> {
        pods_of(w, WorkloadKind::StatefulSet, "default", "cassandra")
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    };
    assert_eq!(names(&w), ["cassandra-0"], "OrderedReady: one pod first");
    // Pods run 2 s after they are made and pass their first probe at 15 s.
    w.step(16_000);
    assert_eq!(
        names(&w),
        ["cassandra-0"],
        "cassandra-1 waits for cassandra-0"
    );
    w.step(2_000);
    assert_eq!(names(&w), ["cassandra-0", "cassandra-1"]);
    w.step(60_000);
    assert_eq!(names(&w), ["cassandra-0", "cassandra-1", "cassandra-2"]);
    assert_eq!(ready(&w), expect(&[("default/cassandra", 3)]));
    let pod = w.pod(&key("default", "cassandra-1")).unwrap().clone();
    assert_eq!(
        (pod.spec.hostname.as_str(), pod.spec.subdomain.as_str()),
        ("cassandra-1", "cassandra")
    );
    assert_eq!(
        pod.metadata
            .labels
            .get("statefulset.kubernetes.io/pod-name")
            .map(String::as_str),
        Some("cassandra-1")
    );
    // The headless Service gives each pod its own name.
    let services: Vec<_> = w.services().values().cloned().collect();
    let slices: Vec<_> = w.endpoint_slices().values().cloned().collect();
    let pods: Vec<_> = w.pods().values().map(|p| (**p).clone()).collect();
    let dns = ClusterDns::new(
        &DnsConfig::default(),
        &services,
        &slices,
        &pods,
        w.namespaces().iter().cloned(),
        Upstream::default(),
    )
    .unwrap();
    let q = Question::new("cassandra-1.cassandra.default.svc.cluster.local", RrType::A).unwrap();
    let answer: Vec<String> = dns
        .serve(&q)
        .answer
        .iter()
        .filter_map(|rr| match &rr.data {
            RData::A(ip) => Some(ip.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(answer, vec![pod.status.pod_ip.as_str()]);
    // Killed, the pod comes back under the same name once the old one is gone
    // (terminationGracePeriodSeconds: 1800).
    w.apply(Command::DeletePod {
        pod: key("default", "cassandra-1"),
    })
    .unwrap();
    let uid = pod.metadata.uid;
    w.step(1_800_000);
    let back = w.pod(&key("default", "cassandra-1")).unwrap();
    assert_ne!(back.metadata.uid, uid);
    w.step(30_000);
    assert_eq!(ready(&w), expect(&[("default/cassandra", 3)]));
    // Scaled down: the highest ordinal goes first.
    let sts = WorkloadRef::new(WorkloadKind::StatefulSet, key("default", "cassandra"));
    w.apply(Command::ScaleWorkload {
        workload: sts,
        replicas: 1,
    })
    .unwrap();
    let terminating: Vec<String> = w
        .pods()
        .values()
        .filter(|p| p.metadata.is_terminating())
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(terminating, ["cassandra-2"], "one at a time, highest first");
}

#[test]
fn parallel_statefulsets_start_every_pod_at_once_from_ordinals_start() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: web\n  replicas: 3\n  podManagementPolicy: Parallel\n  ordinals: {start: 5}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n";
    let w = cluster_with(text, 0);
    let names: Vec<String> = pods_of(&w, WorkloadKind::StatefulSet, "default", "web")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["web-5", "web-6", "web-7"]);
}

#[test]
fn metallb_s_speaker_daemonset_follows_nodes_and_cordons() {
    let mut w = cluster_with(METALLB, 30);
    assert_eq!(
        ready(&w),
        expect(&[("metallb-system/metallb-webhook-service", 1)])
    );
    let speaker = |w: &World| {
        let mut nodes: Vec<String> =
            pods_of(w, WorkloadKind::DaemonSet, "metallb-system", "speaker")
                .into_iter()
                .map(|(_, node)| node)
                .collect();
        nodes.sort();
        nodes
    };
    assert_eq!(speaker(&w), ["node-1", "node-2", "node-3"]);
    let mut n4 = node_in_zone("node-4", "zone-a");
    n4.spec.unschedulable = true;
    w.apply(Command::Create {
        objects: vec![n4.into()],
    })
    .unwrap();
    assert_eq!(
        speaker(&w),
        ["node-1", "node-2", "node-3", "node-4"],
        "a cordoned node still gets the DaemonSet's pod"
    );
    w.apply(Command::SetNodeUnschedulable {
        node: "node-2".into(),
        unschedulable: true,
    })
    .unwrap();
    assert_eq!(speaker(&w).len(), 4, "cordoning keeps it");
    w.apply(Command::DeleteNode {
        node: "node-3".into(),
    })
    .unwrap();
    w.step(41_000);
    assert_eq!(
        speaker(&w),
        ["node-1", "node-2", "node-4"],
        "the pod garbage collector removes the pod of a node that is gone"
    );
    let ds = WorkloadRef::new(WorkloadKind::DaemonSet, key("metallb-system", "speaker"));
    let c = w.workload_counts(&ds).unwrap();
    assert_eq!((c.desired, c.current), (3, 3));
    assert_eq!(
        w.apply(Command::ScaleWorkload {
            workload: ds,
            replicas: 1
        })
        .unwrap_err()
        .to_string(),
        "could not find scale subresource for apps/v1, Resource=daemonsets in discovery information"
    );
}

#[test]
fn a_daemonset_node_selector_picks_its_nodes() {
    let text = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      nodeSelector: {topology.kubernetes.io/zone: zone-b, kubernetes.io/os: linux}\n      containers: [{name: agent, image: busybox}]\n";
    let w = cluster_with(text, 5);
    assert_eq!(
        pods_of(&w, WorkloadKind::DaemonSet, "default", "agent")
            .into_iter()
            .map(|(_, n)| n)
            .collect::<Vec<_>>(),
        ["node-2"]
    );
}

#[test]
fn ingress_nginx_imports_its_local_load_balancer_and_runs_its_jobs_to_completion() {
    let mut w = empty_cluster(7);
    apply_import(&mut w, INGRESS_NGINX).unwrap_or_else(|e| panic!("{e}"));
    let svc = w
        .service(&key("ingress-nginx", "ingress-nginx-controller"))
        .unwrap();
    assert_eq!(
        (&svc.spec.type_, &svc.spec.external_traffic_policy),
        (&ServiceType::LoadBalancer, &TrafficPolicy::Local)
    );
    let hc = svc.spec.health_check_node_port;
    assert!((30000..=32767).contains(&hc), "allocated: {hc}");
    let node_ports: Vec<i32> = svc.spec.ports.iter().map(|p| p.node_port).collect();
    assert!(!node_ports.contains(&hc), "{hc} apart from {node_ports:?}");
    let jobs = |w: &World| -> Vec<(String, PodPhase)> {
        [
            "ingress-nginx-admission-create",
            "ingress-nginx-admission-patch",
        ]
        .iter()
        .flat_map(|j| {
            w.pods_of(&WorkloadRef::new(
                WorkloadKind::Job,
                key("ingress-nginx", j),
            ))
        })
        .map(|p| (p.metadata.name.clone(), p.status.phase.clone()))
        .collect()
    };
    w.step(5_000);
    let running = jobs(&w);
    assert_eq!(running.len(), 2);
    assert!(
        running.iter().all(|(_, ph)| *ph == PodPhase::Running),
        "{running:?}"
    );
    // They run to completion at 12 s; `ttlSecondsAfterFinished: 0` then deletes each Job
    // with its pods at once.
    w.step(30_000);
    assert!(jobs(&w).is_empty() && w.jobs().is_empty());
    let said: Vec<String> = w
        .event_history()
        .filter(|e| e.kind == "Job" && e.name == "ingress-nginx-admission-create")
        .map(|e| e.message.clone())
        .collect();
    assert_eq!(
        said[said.len() - 2..],
        [
            "job ingress-nginx-admission-create completed: 1 pod(s) succeeded",
            "job ingress-nginx-admission-create deleted: its ttlSecondsAfterFinished passed",
        ]
    );
    assert_eq!(
        ready(&w),
        expect(&[
            ("ingress-nginx/ingress-nginx-controller", 1),
            ("ingress-nginx/ingress-nginx-controller-admission", 1),
        ])
    );
}

#[test]
fn succeeded_pods_are_not_endpoints() {
    let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: work}\nspec:\n  completions: 3\n  parallelism: 2\n  template:\n    metadata: {labels: {app: work}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: w, image: busybox, ports: [{containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: work}\nspec:\n  selector: {app: work}\n  ports: [{port: 80}]\n";
    let mut w = cluster_with(text, 3);
    let svc = key("default", "work");
    assert_eq!(
        w.ready_endpoints(&svc).len(),
        2,
        "parallelism 2 while running"
    );
    w.step(12_000);
    assert_eq!(
        w.ready_endpoints(&svc).len(),
        1,
        "two done, the third running"
    );
    w.step(10_000);
    assert_eq!(w.ready_endpoints(&svc).len(), 0);
    let job = &w.jobs()[&svc];
    assert!(job.is_complete());
    assert_eq!((job.status.succeeded, job.status.failed), (3, 0));
    let c = w
        .workload_counts(&WorkloadRef::new(WorkloadKind::Job, svc))
        .unwrap();
    assert_eq!((c.desired, c.current, c.succeeded), (3, 0, 3));
}

#[test]
fn podinfo_s_database_statefulset_cronjobs_and_autoscalers() {
    let mut w = empty_cluster(7);
    let text = format!("{PODINFO}---\n{PODINFO_DB}");
    let report = apply_import(&mut w, &text).unwrap_or_else(|e| panic!("{e}"));
    let hpas: Vec<String> = report
        .notices
        .iter()
        .filter(|n| matches!(n.kind, NoticeKind::NotSimulated { .. }))
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        hpas,
        [
            "document 1, line 1, column 1: read HorizontalPodAutoscaler/podinfo (Deployment/podinfo, 2 to 4 replicas): autoscaling is not simulated; the replicas stay as set",
            "document 10, line 304, column 1: read HorizontalPodAutoscaler/database-replica (Deployment/database-replica, 2 to 3 replicas): autoscaling is not simulated; the replicas stay as set",
        ]
    );
    w.step(30_000);
    assert_eq!(
        ready(&w),
        expect(&[
            ("default/database-primary", 1),
            ("default/database-replica", 1),
            ("default/podinfo", 1),
        ])
    );
    assert_eq!(
        w.cron_jobs()
            .keys()
            .map(|k| k.name.as_str())
            .collect::<Vec<_>>(),
        ["backup-daily", "rollup-daily", "rollup-weekly"]
    );
    // "0 0 * * *": the first run is at midnight of the simulated day (UTC), minute 1440;
    // the rollups run every 10 and every 30 minutes and keep their last runs.
    w.step(86_400_000 - 30_000);
    let runs = |prefix: &str| -> Vec<String> {
        w.jobs()
            .keys()
            .map(|k| k.name.clone())
            .filter(|n| n.rsplit_once('-').is_some_and(|(p, _)| p == prefix))
            .collect()
    };
    assert_eq!(runs("backup-daily"), ["backup-daily-1440"]);
    assert_eq!(
        runs("rollup-daily"),
        ["rollup-daily-1430", "rollup-daily-1440"]
    );
    assert_eq!(
        runs("rollup-weekly"),
        ["rollup-weekly-1410", "rollup-weekly-1440"]
    );
}

#[test]
fn a_cron_job_runs_on_its_schedule_and_keeps_its_history() {
    let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: tick}\nspec:\n  schedule: '*/1 * * * *'\n  successfulJobsHistoryLimit: 2\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: t, image: busybox}]\n";
    let mut w = cluster_with(text, 0);
    w.step(5 * 60_000);
    let jobs: Vec<&str> = w.jobs().keys().map(|k| k.name.as_str()).collect();
    assert_eq!(
        jobs,
        ["tick-3", "tick-4", "tick-5"],
        "two finished runs kept (the older ones deleted) and the one just started"
    );
    let cj = &w.cron_jobs()[&key("default", "tick")];
    assert_eq!(cj.status.active, ["tick-5"]);
    let export = svcplay_core::manifest::export_world(&w);
    assert!(
        !export.contains("kind: Job\n"),
        "a CronJob's runs are not exported:\n{export}"
    );
}

#[test]
fn an_invalid_cron_schedule_is_refused_in_robfig_cron_s_words() {
    let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: tick}\nspec:\n  schedule: '*/1 * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Always\n          containers: [{name: t, image: busybox}]\n";
    let errs: Vec<String> = import(text)
        .unwrap_err()
        .0
        .iter()
        .map(|e| e.problem.to_string())
        .collect();
    assert_eq!(
        errs,
        [
            "spec.schedule: Invalid value: \"*/1 * *\": expected exactly 5 fields, found 3: [*/1 * *]",
            "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
        ]
    );
}

#[test]
fn sock_shop_podinfo_and_argo_cd_give_every_service_its_pods() {
    let w = cluster_with(SOCK_SHOP, 200);
    let counts = ready(&w);
    assert_eq!(counts.len(), 14);
    assert!(
        counts
            .iter()
            .all(|(s, n)| s.starts_with("sock-shop/") && *n == 1),
        "{counts:?}"
    );
    let w = cluster_with(PODINFO, 30);
    assert_eq!(ready(&w), expect(&[("default/podinfo", 1)]));
    // Argo CD's install names no namespace (`kubectl apply -n argocd` gives it one).
    let w = cluster_with(ARGO_CD, 60);
    assert_eq!(
        ready(&w),
        expect(&[
            ("default/argocd-applicationset-controller", 1),
            ("default/argocd-dex-server", 1),
            ("default/argocd-metrics", 1),
            ("default/argocd-notifications-controller-metrics", 1),
            ("default/argocd-redis", 1),
            ("default/argocd-repo-server", 1),
            ("default/argocd-server", 1),
            ("default/argocd-server-metrics", 1),
        ])
    );
    let metrics_pod = &w.ready_endpoints(&key("default", "argocd-metrics"))[0];
    assert_eq!(
        metrics_pod.metadata.name, "argocd-application-controller-0",
        "argocd-metrics is backed by the application controller's StatefulSet"
    );
}

#[test]
fn the_same_name_in_two_namespaces_is_two_objects() {
    let app = |ns: &str, replicas: u32| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web, namespace: {ns}}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers: [{{name: web, image: nginx}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: {ns}}}\nspec:\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n---\n"
        )
    };
    let w = cluster_with(&format!("{}{}", app("blue", 1), app("green", 3)), 5);
    assert_eq!(
        ready(&w),
        expect(&[("blue/web", 1), ("green/web", 3)]),
        "each Service selects the pods of its own namespace"
    );
}

#[test]
fn an_import_in_slices_gives_the_world_one_import_gives() {
    let text = format!("{SOCK_SHOP}---\n{GUESTBOOK_GO}---\n{CASSANDRA}");
    let mut whole = empty_cluster(11);
    let want = apply_import(&mut whole, &text).unwrap_or_else(|e| panic!("{e}"));
    let mut sliced = empty_cluster(11);
    let mut job = ImportJob::new(text.clone());
    let mut steps = 0;
    let mut stages = Vec::new();
    while !job.step(&sliced, 4096, 3) {
        steps += 1;
        let p = job.progress();
        if stages.last() != Some(&p.stage) {
            stages.push(p.stage);
        }
        assert!(p.done <= p.total);
    }
    assert!(steps > 20, "{steps} slices");
    assert_eq!(stages, [ProgressStage::Reading, ProgressStage::Creating]);
    let got = job.finish(&mut sliced).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, want);
    assert_eq!(sliced.dump(), whole.dump());
    assert_eq!(sliced.history(), whole.history());
    // All or nothing, here too.
    let mut w = empty_cluster(11);
    let before = w.dump();
    let bad = format!(
        "{GUESTBOOK_GO}---\napiVersion: v1\nkind: Service\nmetadata: {{name: guestbook}}\nspec: {{ports: [{{port: 1}}]}}\n"
    );
    let mut job = ImportJob::new(bad);
    while !job.step(&w, 512, 1) {}
    assert!(job.finish(&mut w).is_err());
    assert_eq!(w.dump(), before);
}
