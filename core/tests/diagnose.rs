//! The diagnosis corpus, run as data: every file in `tests/diagnose/broken/` (manifests)
//! and `tests/diagnose/live/` (a cluster's `kubectl get -o yaml` dump) names the findings
//! it must produce in `# expect: RULE: message substring` lines (and the cluster's
//! load-balancer provider in `# lb-provider: none|cloud|metallb`); the healthy demos (the
//! vendored applications and `tests/diagnose/healthy/`) must produce no warning or error.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use svcplay_core::diagnose::{LbProvider, Options, Report, Settings, Severity, check_text};

fn files(dir: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn check(text: &str) -> Report {
    let mut settings = Settings::default();
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("# lb-provider: ") {
            settings.lb_provider = Some(LbProvider::parse(p.trim()).unwrap());
        }
    }
    let options = Options {
        settings,
        ..Options::default()
    };
    check_text(text, &options).unwrap_or_else(|e| panic!("{e:?}"))
}

fn run_expectations(dir: &str, live: bool) -> usize {
    let cases = files(dir);
    for (name, text) in &cases {
        let report = check(text);
        assert_eq!(report.world.is_none(), live, "{name}: read as a dump?");
        let expects: Vec<(&str, &str)> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(|l| l.split_once(": ").unwrap_or((l, "")))
            .collect();
        assert!(!expects.is_empty(), "{name} expects nothing");
        for (rule, want) in expects {
            let found = report
                .findings
                .iter()
                .any(|f| f.rule.id == rule && f.message.contains(want.trim()));
            assert!(
                found,
                "{name}: no {rule} finding containing {want:?}; found:\n{}",
                report
                    .findings
                    .iter()
                    .map(|f| format!("  {f}\n"))
                    .collect::<String>()
            );
        }
        for f in &report.findings {
            assert!(f.at.is_some(), "{name}: {f} has no position");
            assert!(!f.fix.is_empty() && !f.message.is_empty(), "{name}: {f}");
        }
    }
    cases.len()
}

#[test]
fn every_broken_manifest_produces_its_finding() {
    let n = run_expectations("tests/diagnose/broken", false);
    assert!(n >= 20, "{n} broken manifests");
}

#[test]
fn every_live_dump_is_explained_as_it_is() {
    let n = run_expectations("tests/diagnose/live", true);
    assert!(n >= 3, "{n} dumps");
}

#[test]
fn healthy_apps_have_no_problem() {
    let mut all = files("tests/diagnose/healthy");
    for demo in ["bookinfo", "guestbook", "online-boutique"] {
        all.extend(files(&format!("tests/manifests/{demo}")));
    }
    assert!(all.len() >= 7, "{}", all.len());
    for (name, text) in all {
        let report = check(&text);
        let problems: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .map(ToString::to_string)
            .collect();
        assert!(problems.is_empty(), "{name}: {problems:#?}");
    }
}

#[test]
fn a_selectorless_service_with_its_own_slice_is_fine_and_without_is_not() {
    let with = check(
        &files("tests/diagnose/healthy")
            .into_iter()
            .find(|(n, _)| n.ends_with("selectorless-with-slice.yaml"))
            .unwrap()
            .1,
    );
    assert!(with.findings.is_empty(), "{:?}", with.findings);
    let without = check(
        "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  ports: [{port: 5432}]\n",
    );
    assert_eq!(without.findings.len(), 1);
    assert_eq!(without.findings[0].rule.id, "selectorless-no-endpoints");
}

#[test]
fn unknown_kinds_are_noted_once_per_kind() {
    let text = "# Source: chart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# Source: chart/templates/cm2.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec: {group: example.com}\n";
    let report = check(text);
    assert_eq!(
        report.notices,
        [
            "skipped 1 apiextensions.k8s.io/v1 CustomResourceDefinition object(s): kind not modelled by the playground",
            "skipped 1 rbac.authorization.k8s.io/v1 Role object(s): kind not modelled by the playground",
            "skipped 2 v1 ConfigMap object(s): kind not modelled by the playground",
        ]
    );
    assert!(report.findings.is_empty());
}

#[test]
fn metallb_pools_hand_out_addresses_and_bare_metal_leaves_pending() {
    let svc = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80}]\n";
    let pool = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: lan, namespace: metallb-system}\nspec:\n  addresses: [192.168.1.240-192.168.1.250]\n---\n";
    let r = check(&format!("{pool}{svc}"));
    let world = r.world.unwrap();
    let s = world
        .services()
        .values()
        .find(|s| s.metadata.name == "web")
        .unwrap();
    assert_eq!(s.status.load_balancer.ingress[0].ip, "192.168.1.240");
    let r = check(&format!("# lb-provider: none\n{svc}"));
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule.id == "load-balancer-pending")
    );
}

#[test]
fn the_playgrounds_own_default_scenario_has_no_problem_once_started() {
    use svcplay_core::diagnose::{RawScan, check_world};
    let mut world = svcplay_core::scenario::default_world(svcplay_core::scenario::DEFAULT_SEED);
    world.step(60_000);
    let findings = check_world(
        &world,
        std::sync::Arc::new(RawScan::default()),
        Settings::default(),
    );
    let problems: Vec<String> = findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    // dev runs one replica: a note, not a problem.
    assert!(
        findings
            .iter()
            .any(|f| f.rule.id == "single-endpoint" && f.object.name == "dev")
    );
}

fn rebalance_findings(findings: &[svcplay_core::diagnose::Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.rule.id == "connections-not-rebalanced")
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_grpc_clients_one_connection_misses_the_pods_a_scale_up_adds() {
    use svcplay_core::Command;
    use svcplay_core::diagnose::{RawScan, check_world};
    use svcplay_core::objects::NamespacedName;
    use svcplay_core::scenario::BuiltIn;
    let mut world = BuiltIn::GrpcScaleUp.world(svcplay_core::scenario::DEFAULT_SEED);
    world.step(30_000);
    world
        .apply(Command::ScaleDeployment {
            deployment: NamespacedName::default_ns("backend"),
            replicas: 6,
        })
        .unwrap();
    world.step(30_000);
    let per_pod = world.connections_per_pod(&NamespacedName::default_ns("backend"));
    let findings = check_world(
        &world,
        std::sync::Arc::new(RawScan::default()),
        Settings::default(),
    );
    let found: Vec<_> = findings
        .iter()
        .filter(|f| f.rule.id == "connections-not-rebalanced")
        .collect();
    assert_eq!(found.len(), 1, "{findings:#?}");
    let f = found[0];
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.object.name, "backend");
    // The gRPC client's one connection is on one pod; five of six get none of its calls.
    let pinned: Vec<_> = world
        .connections()
        .into_iter()
        .filter(|c| c.client == "grpc-client")
        .filter_map(|c| c.pod)
        .collect();
    assert_eq!(pinned.len(), 1, "{per_pod:?}");
    assert!(
        f.message.starts_with("5 of backend's 6 ready pods (")
            && f.message.contains(&format!(
                "get no requests from client grpc-client: its 1 long-lived connection (grpc) is pinned to {} and kube-proxy only balances new connections",
                pinned[0].name
            ))
            && !f.message.contains(&format!("({}", pinned[0].name)),
        "{}",
        f.message
    );
    assert!(f.fix.contains("headless Service") && f.fix.contains("MaxConnectionAge"));
    // The HTTP client opens a connection per request: kube-proxy spreads it, no finding.
    assert!(!f.message.contains("http-client"));
}

#[test]
fn clients_without_keep_alive_or_with_enough_connections_raise_nothing() {
    let backend = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: backend}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: backend}}\n  template:\n    metadata: {labels: {app: backend}}\n    spec:\n      containers:\n      - name: fortio\n        image: fortio/fortio\n        args: [server]\n        ports: [{containerPort: 8080}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: backend}\nspec:\n  selector: {app: backend}\n  ports: [{port: 80, targetPort: 8080}]\n---\n";
    let client = |args: &str| {
        format!(
            "{backend}apiVersion: v1\nkind: Pod\nmetadata: {{name: load}}\nspec:\n  containers:\n  - name: fortio\n    image: fortio/fortio\n    args: [{args}]\n"
        )
    };
    // HTTP/1.1 without keep-alive: a new connection (and a new pick) per request.
    let r = check(&client(
        "load, -qps, '10', -c, '1', -t, '0', -keepalive=false, http://backend/",
    ));
    assert!(r.world.as_ref().unwrap().clients().len() == 1);
    assert_eq!(rebalance_findings(&r.findings), Vec::<String>::new());
    // Keep-alive with more connections than replicas: every pod is reached.
    let r = check(&client(
        "load, -qps, '10', -c, '8', -t, '0', http://backend/",
    ));
    assert_eq!(rebalance_findings(&r.findings), Vec::<String>::new());
    // The same client with one kept-alive connection: the note.
    let r = check(&client(
        "load, -qps, '10', -c, '1', -t, '0', http://backend/",
    ));
    assert_eq!(
        rebalance_findings(&r.findings),
        [
            "note connections-not-rebalanced default/Service/backend spec.selector: client load keeps 1 connection open to backend (fortio, http/1.1), which runs 3 replicas: each connection stays on the pod it first reached, so pods added by a scale-up get no requests from it until it reconnects"
        ]
    );
}

#[test]
fn a_kubectl_json_dump_is_read_like_the_yaml_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnose/live");
    let yaml = std::fs::read_to_string(dir.join("03-port-and-selector.yaml")).unwrap();
    let json = std::fs::read_to_string(dir.join("05-kubectl-json.json")).unwrap();
    assert!(json.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"items\": ["));
    let (y, j) = (check(&yaml), check(&json));
    assert!(j.world.is_none(), "the JSON List is read as a dump");
    let strip = |r: &Report| -> Vec<(String, String)> {
        r.findings
            .iter()
            .map(|f| (f.to_string(), f.fix.clone()))
            .collect()
    };
    assert_eq!(strip(&j), strip(&y));
    assert!(
        j.findings
            .iter()
            .any(|f| f.rule.id == "target-port-not-listening"
                && f.message
                    .contains("listens on 5678 (http-echo's default -listen=:5678)")),
        "{:#?}",
        j.findings
    );
    assert!(j.findings.iter().all(|f| f.at.is_some()));
}
