//! Tests of the table text: upstream's own expected strings
//! (kubernetes/cli-runtime@69e8693b `pkg/printers/tableprinter_test.go`), then whole
//! `kubectl get` tables printed from objects.

use super::*;
use crate::kubectl::print::{Cell, Column, pod, service};
use crate::objects::service::ServicePort;
use crate::objects::{ContainerState, ContainerStateRunning, ContainerStatus, Pod, Service};
use crate::sim::SimTime;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The columns of upstream's tests.
const TEST_COLUMNS: &[Column] = &[
    Column::NAME,
    Column::text("Ready", 0),
    Column::text("Status", 0),
    Column::integer("Retries"),
    Column::text("Age", 0),
];

/// The same with `Retries` and `Age` wide-only.
const PRIORITY_COLUMNS: &[Column] = &[
    Column::NAME,
    Column::text("Ready", 0),
    Column::text("Status", 0),
    Column {
        priority: 1,
        ..Column::integer("Retries")
    },
    Column::text("Age", 1),
];

/// Upstream's `testPod`: namespace `test-namespace`, two labels.
fn test_pod_meta() -> ObjectMeta {
    let mut m = ObjectMeta::named("test-namespace", "test-pod-name");
    m.labels.insert("first-label".into(), "12".into());
    m.labels.insert("second-label".into(), "label-value".into());
    m
}

fn upstream_table(columns: &'static [Column], rows: &[(&str, &str, i64, &str)]) -> Table {
    let mut t = Table::new("Pod", true, columns);
    for (i, (ready, _, retries, age)) in rows.iter().enumerate() {
        let cells = vec![
            Cell::from(format!("test{}", i + 1)),
            (*ready).into(),
            "podPhase".into(),
            (*retries).into(),
            (*age).into(),
        ];
        t.push(Row::new(cells), &test_pod_meta());
    }
    t
}

const THREE: &[(&str, &str, i64, &str)] = &[
    ("1/1", "", 5, "20h"),
    ("1/2", "", 30, "21h"),
    ("4/4", "", 1, "22h"),
];

#[test]
fn upstream_column_priority_and_headers() {
    let narrow = PrintOptions::default();
    let wide = PrintOptions {
        wide: true,
        ..PrintOptions::default()
    };
    let t = upstream_table(PRIORITY_COLUMNS, THREE);
    assert_eq!(
        render(&t, &narrow, false),
        "NAME    READY   STATUS\ntest1   1/1     podPhase\ntest2   1/2     podPhase\ntest3   4/4     podPhase\n"
    );
    assert_eq!(
        render(&t, &wide, false),
        "NAME    READY   STATUS     RETRIES   AGE\n\
         test1   1/1     podPhase   5         20h\n\
         test2   1/2     podPhase   30        21h\n\
         test3   4/4     podPhase   1         22h\n"
    );
    let t = upstream_table(TEST_COLUMNS, THREE);
    let no_headers = PrintOptions {
        no_headers: true,
        ..PrintOptions::default()
    };
    assert_eq!(
        render(&t, &no_headers, false),
        "test1   1/1   podPhase   5     20h\ntest2   1/2   podPhase   30    21h\ntest3   4/4   podPhase   1     22h\n"
    );
}

#[test]
fn upstream_namespace_kind_and_labels() {
    let one = &THREE[..1];
    let t = upstream_table(TEST_COLUMNS, one);
    assert_eq!(
        render(&t, &PrintOptions::default(), true),
        "NAMESPACE        NAME    READY   STATUS     RETRIES   AGE\n\
         test-namespace   test1   1/1     podPhase   5         20h\n"
    );
    let kind = PrintOptions {
        show_kind: true,
        ..PrintOptions::default()
    };
    assert_eq!(
        render(&t, &kind, false),
        "NAME        READY   STATUS     RETRIES   AGE\npod/test1   1/1     podPhase   5         20h\n"
    );
    let labels = PrintOptions {
        show_labels: true,
        ..PrintOptions::default()
    };
    assert_eq!(
        render(&t, &labels, false),
        "NAME    READY   STATUS     RETRIES   AGE   LABELS\n\
         test1   1/1     podPhase   5         20h   first-label=12,second-label=label-value\n"
    );
    let columns = PrintOptions {
        column_labels: vec!["first-label".into(), "example.com/second-label".into()],
        ..PrintOptions::default()
    };
    // `-L` heads a column by the key's last segment and looks up the whole key.
    assert_eq!(
        render(&t, &columns, false),
        "NAME    READY   STATUS     RETRIES   AGE   FIRST-LABEL   SECOND-LABEL\n\
         test1   1/1     podPhase   5         20h   12            \n"
    );
}

/// Upstream `TestPrintTable_ConsistentAlignmentAcrossFlushes`: the widest name in the
/// last of three flushes still sets every row's width.
#[test]
fn alignment_holds_across_flushes() {
    const COLS: &[Column] = &[Column::NAME, Column::text("Status", 0), Column::AGE];
    let mut t = Table::new("Pod", true, COLS);
    for i in 0..250 {
        let name = if i == 249 {
            "a-name-that-is-significantly-wider"
        } else {
            "a"
        };
        t.push(
            Row::new(vec![name.into(), "Running".into(), "5d".into()]),
            &ObjectMeta::default(),
        );
    }
    for opts in [
        PrintOptions::default(),
        PrintOptions {
            no_headers: true,
            ..PrintOptions::default()
        },
    ] {
        let out = render(&t, &opts, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 250 + usize::from(!opts.no_headers));
        for line in &lines {
            assert_eq!(
                line.find("Running").or_else(|| line.find("STATUS")),
                Some(37),
                "{line:?}"
            );
        }
    }
}

#[test]
fn cells_are_cut_at_a_line_break_and_escapes_are_shown() {
    const COLS: &[Column] = &[Column::NAME, Column::text("Message", 0)];
    let mut t = Table::new("Event", true, COLS);
    let rows = [
        ("a", "two\nlines"),
        ("b", "bell\u{1b}[31m"),
        ("c", "tab\there"),
    ];
    for (n, m) in rows {
        t.push(Row::new(vec![n.into(), m.into()]), &ObjectMeta::default());
    }
    // A tab inside a cell makes a cell of its own, as the tabwriter sees it.
    assert_eq!(
        render(&t, &PrintOptions::default(), false),
        "NAME   MESSAGE\na      two...\nb      bell^[[31m\nc      tab   here\n"
    );
}

fn running(ready: bool, restarts: i32) -> ContainerStatus {
    ContainerStatus {
        ready,
        restart_count: restarts,
        state: ContainerState {
            running: Some(ContainerStateRunning::default()),
            ..ContainerState::default()
        },
        ..ContainerStatus::default()
    }
}

fn pod_of(ns: &str, name: &str, ip: &str, node: &str, statuses: Vec<ContainerStatus>) -> Pod {
    let mut p = Pod {
        metadata: ObjectMeta::named(ns, name),
        ..Pod::default()
    };
    p.metadata.creation_timestamp = Some(SimTime::from_secs(10));
    p.metadata.labels.insert("app".into(), "web".into());
    p.spec.node_name = node.into();
    p.spec.containers = vec![Default::default(); statuses.len()];
    p.status.phase = crate::objects::PodPhase::Running;
    p.status.pod_ip = ip.into();
    p.status.container_statuses = statuses;
    p
}

fn pod_table(pods: &[Pod], now: SimTime) -> Table {
    let mut t = Table::new(pod::KIND, pod::NAMESPACED, pod::COLUMNS);
    for p in pods {
        t.push(pod::print(p, now, true), &p.metadata);
    }
    t
}

#[test]
fn get_pods_narrow_wide_and_across_namespaces() {
    let now = SimTime::from_secs(10 + 3 * 60 + 25);
    let mut pending = pod_of(
        "default",
        "web-7d4b9c-x2x8q",
        "",
        "",
        vec![ContainerStatus::default()],
    );
    pending.status.phase = crate::objects::PodPhase::Pending;
    let pods = [
        pod_of(
            "default",
            "web-7d4b9c-abcde",
            "10.244.1.5",
            "node-a",
            vec![running(true, 0)],
        ),
        pod_of(
            "default",
            "web-7d4b9c-fghij",
            "10.244.2.17",
            "node-b",
            vec![running(true, 2), running(false, 0)],
        ),
        pending,
    ];
    let here = Scope::Namespace("default".into());
    let out = get(&[pod_table(&pods, now)], &here, &PrintOptions::default());
    assert_eq!(
        out.stdout,
        "NAME               READY   STATUS    RESTARTS   AGE\n\
         web-7d4b9c-abcde   1/1     Running   0          3m25s\n\
         web-7d4b9c-fghij   1/2     Running   2          3m25s\n\
         web-7d4b9c-x2x8q   0/1     Pending   0          3m25s\n"
    );
    assert_eq!(out.stderr, "");
    let wide = PrintOptions {
        wide: true,
        ..PrintOptions::default()
    };
    assert_eq!(
        get(&[pod_table(&pods[..2], now)], &here, &wide).stdout,
        "NAME               READY   STATUS    RESTARTS   AGE     IP            NODE     NOMINATED NODE   READINESS GATES\n\
         web-7d4b9c-abcde   1/1     Running   0          3m25s   10.244.1.5    node-a   <none>           <none>\n\
         web-7d4b9c-fghij   1/2     Running   2          3m25s   10.244.2.17   node-b   <none>           <none>\n"
    );
    let labels = PrintOptions {
        show_labels: true,
        ..PrintOptions::default()
    };
    let across = [
        pod_of("default", "web-1", "", "", vec![running(true, 0)]),
        pod_of(
            "kube-system",
            "coredns-5d78c9869d-4xk2p",
            "",
            "",
            vec![running(true, 1)],
        ),
    ];
    assert_eq!(
        get(&[pod_table(&across, now)], &Scope::AllNamespaces, &labels).stdout,
        "NAMESPACE     NAME                       READY   STATUS    RESTARTS   AGE     LABELS\n\
         default       web-1                      1/1     Running   0          3m25s   app=web\n\
         kube-system   coredns-5d78c9869d-4xk2p   1/1     Running   1          3m25s   app=web\n"
    );
}

fn service_of(name: &str, type_: &str, ip: &str, ports: &[(i32, i32)]) -> Service {
    let mut s = Service {
        metadata: ObjectMeta::named("default", name),
        ..Service::default()
    };
    s.metadata.creation_timestamp = Some(SimTime::ZERO);
    s.spec.type_ = type_.into();
    s.spec.cluster_ips = vec![ip.into()];
    s.spec.ports = ports
        .iter()
        .map(|(port, node_port)| ServicePort {
            port: *port,
            node_port: *node_port,
            protocol: "TCP".into(),
            ..ServicePort::default()
        })
        .collect();
    s
}

fn service_table(services: &[Service], now: SimTime) -> Table {
    let mut t = Table::new(service::KIND, service::NAMESPACED, service::COLUMNS);
    for s in services {
        t.push(service::print(s, now, true), &s.metadata);
    }
    t
}

#[test]
fn get_services_and_several_kinds_at_once() {
    let now = SimTime::from_secs(2 * 3600 + 5 * 60);
    let mut lb = service_of(
        "shop",
        "LoadBalancer",
        "10.96.200.9",
        &[(80, 30080), (443, 30443)],
    );
    lb.status.load_balancer.ingress = ["203.0.113.10", "203.0.113.11"]
        .iter()
        .map(|ip| crate::objects::LoadBalancerIngress {
            ip: (*ip).into(),
            ..Default::default()
        })
        .collect();
    let services = [
        service_of("kubernetes", "ClusterIP", "10.96.0.1", &[(443, 0)]),
        service_of("prod", "NodePort", "10.96.14.2", &[(80, 30080)]),
        lb,
        service_of("queue", "LoadBalancer", "10.96.7.7", &[(5672, 31672)]),
    ];
    let here = Scope::Namespace("default".into());
    // The server fills the wide cells, so the two addresses are not clipped.
    assert_eq!(
        get(
            &[service_table(&services, now)],
            &here,
            &PrintOptions::default()
        )
        .stdout,
        "NAME         TYPE           CLUSTER-IP    EXTERNAL-IP                 PORT(S)                      AGE\n\
         kubernetes   ClusterIP      10.96.0.1     <none>                      443/TCP                      125m\n\
         prod         NodePort       10.96.14.2    <none>                      80:30080/TCP                 125m\n\
         shop         LoadBalancer   10.96.200.9   203.0.113.10,203.0.113.11   80:30080/TCP,443:30443/TCP   125m\n\
         queue        LoadBalancer   10.96.7.7     <pending>                   5672:31672/TCP               125m\n"
    );
    let pods = [pod_of("default", "web-1", "", "", vec![running(true, 0)])];
    let both = get(
        &[service_table(&services[..1], now), pod_table(&pods, now)],
        &here,
        &PrintOptions::default(),
    );
    assert_eq!(
        both.stdout,
        "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n\
         service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   125m\n\
         \n\
         NAME        READY   STATUS    RESTARTS   AGE\n\
         pod/web-1   1/1     Running   0          124m\n"
    );
}

#[test]
fn nothing_to_print_says_so_on_stderr() {
    let empty = pod_table(&[], SimTime::ZERO);
    let here = Scope::Namespace("default".into());
    let out = get(
        std::slice::from_ref(&empty),
        &here,
        &PrintOptions::default(),
    );
    assert_eq!(
        out,
        GetOutput {
            stdout: String::new(),
            stderr: "No resources found in default namespace.\n".into(),
        }
    );
    let out = get(
        std::slice::from_ref(&empty),
        &Scope::AllNamespaces,
        &PrintOptions::default(),
    );
    assert_eq!(out.stderr, "No resources found\n");
    // With rows, no note.
    let pods = [pod_of("default", "web-1", "", "", vec![running(true, 0)])];
    assert_eq!(
        get(
            &[pod_table(&pods, SimTime::ZERO)],
            &here,
            &PrintOptions::default()
        )
        .stderr,
        ""
    );
}
