//! `svcplay run` on the vendored real-world manifests (bookinfo, online-boutique): the
//! console's lines as a script, their exact output, `--output json`, stopping at the
//! first failed line, `--keep-going`, here-documents; and `svcplay completions`.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

const BOOKINFO: &str = "../core/tests/manifests/bookinfo/bookinfo.yaml";
const BOUTIQUE: &str = "../core/tests/manifests/online-boutique/kubernetes-manifests.yaml";

/// Runs `svcplay ARGS` with `stdin`: (exit status, stdout, stderr).
fn svcplay(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_svcplay"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run svcplay");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn bookinfo_services_deployments_and_a_scale_print_as_kubectl_does() {
    let script = "# bookinfo, a simulated minute in\n\
                  kubectl get deploy\n\
                  kubectl scale deploy reviews-v1 --replicas=3\n\
                  sleep 10s\n\
                  kubectl get deploy reviews-v1\n\
                  kubectl get pods -l app=reviews,version=v1 --no-headers\n";
    let (code, out, err) = svcplay(&["run", "-f", BOOKINFO], script);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let want_deploy = "NAME             READY   UP-TO-DATE   AVAILABLE   AGE\n\
                       details-v1       1/1     1            1           60s\n\
                       productpage-v1   1/1     1            1           60s\n\
                       ratings-v1       1/1     1            1           60s\n\
                       reviews-v1       1/1     1            1           60s\n\
                       reviews-v2       1/1     1            1           60s\n\
                       reviews-v3       1/1     1            1           60s\n\
                       deployment.apps/reviews-v1 scaled\n\
                       NAME         READY   UP-TO-DATE   AVAILABLE   AGE\n\
                       reviews-v1   3/3     3            3           70s\n";
    assert!(out.starts_with(want_deploy), "{out}");
    let pods: Vec<&str> = out[want_deploy.len()..].lines().collect();
    assert_eq!(pods.len(), 3, "{out}");
    let ages: Vec<&str> = pods.iter().map(|l| l.rsplit(' ').next().unwrap()).collect();
    let mut sorted = ages.clone();
    sorted.sort();
    assert_eq!(sorted, ["10s", "10s", "70s"], "{out}");
    assert!(
        pods.iter().all(|p| p.contains("   1/1   Running   0     ")),
        "{out}"
    );
}

#[test]
fn bookinfo_get_svc_has_kubectl_s_columns() {
    let (code, out, _) = svcplay(&["run", "-f", BOOKINFO], "kubectl get svc\n");
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        [
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE"
        ]
    );
    let names: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["details", "kubernetes", "productpage", "ratings", "reviews"]
    );
    let reviews: Vec<&str> = lines[5].split_whitespace().collect();
    assert_eq!(reviews[1], "ClusterIP");
    assert!(reviews[2].starts_with("10."), "{out}");
    assert_eq!(reviews[3..], ["<none>", "9080/TCP", "60s"]);
    // Every row aligned: EXTERNAL-IP starts at the same column.
    let col = lines[0].find("EXTERNAL-IP").unwrap();
    assert!(
        lines
            .iter()
            .all(|l| l[col..].starts_with("<none>") || l[col..].starts_with("EXTERNAL-IP"))
    );
}

#[test]
fn online_boutique_load_balancer_and_node_ports_as_kubectl_prints_them() {
    let script = "kubectl get svc frontend-external\n\
                  kubectl patch svc frontend --type=merge -p '{\"spec\":{\"type\":\"NodePort\"}}'\n\
                  kubectl get svc frontend -o wide\n\
                  kubectl describe svc frontend-external\n";
    let (code, out, err) = svcplay(&["run", "-f", BOUTIQUE], script);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        [
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)",
            "AGE"
        ]
    );
    let lb: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(lb[0..2], ["frontend-external", "LoadBalancer"]);
    assert_eq!(lb[3], "203.0.113.10");
    assert!(
        lb[4].starts_with("80:3") && lb[4].ends_with("/TCP"),
        "{out}"
    );
    assert_eq!(lines[2], "service/frontend patched");
    let np: Vec<&str> = lines[4].split_whitespace().collect();
    assert_eq!(np[0..2], ["frontend", "NodePort"]);
    assert!(np[4].starts_with("80:3"), "{out}");
    assert_eq!(np[6], "app=frontend");
    assert!(
        out.contains("\nLoadBalancer Ingress:     203.0.113.10 (VIP)\n"),
        "{out}"
    );
    assert!(
        out.contains("\nExternal Traffic Policy:  Cluster\n"),
        "{out}"
    );
}

#[test]
fn json_output_stops_at_the_first_failure_unless_keep_going() {
    let script = "kubectl get deploy ratings-v1 -o name\nkubectl get svc nope\nkubectl get svc ratings -o name\n";
    let (code, out, _) = svcplay(&["run", "-f", BOOKINFO, "--output", "json"], script);
    assert_eq!(code, 1);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2, "stops after the failed line: {out}");
    assert_eq!(lines[0]["line"], "kubectl get deploy ratings-v1 -o name");
    assert_eq!(lines[0]["number"], 1);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[0]["output"], "deployment.apps/ratings-v1\n");
    assert_eq!(lines[1]["ok"], false);
    assert_eq!(
        lines[1]["output"],
        "Error from server (NotFound): services \"nope\" not found\n"
    );
    let (code, out, _) = svcplay(
        &["run", "-f", BOOKINFO, "-o", "json", "--keep-going"],
        script,
    );
    assert_eq!(code, 1, "still fails");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["output"], "service/ratings\n");
    let (code, out, err) = svcplay(&["run", "-f", BOOKINFO], script);
    assert_eq!(code, 1);
    assert_eq!(out, "deployment.apps/ratings-v1\n");
    assert_eq!(
        err,
        "Error from server (NotFound): services \"nope\" not found\n"
    );
}

#[test]
fn here_documents_feed_apply_and_scripts_come_from_files() {
    let dir = std::env::temp_dir().join(format!("svcplay-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("apply.txt");
    std::fs::write(
        &script,
        "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: echo\nspec:\n  selector:\n    app: ratings\n  ports:\n  - port: 80\n    targetPort: 9080\nEOF\n\
         kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: Service\nmetadata:\n  name: echo\nspec:\n  selector:\n    app: ratings\n  ports:\n  - port: 80\n    targetPort: 9080\nEOF\n\
         kubectl get ep echo --no-headers\n\
         kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: 70000\nEOF\n",
    )
    .unwrap();
    let path = script.to_str().unwrap();
    let (code, out, err) = svcplay(&["run", "-f", BOOKINFO, path], "");
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0..2],
        ["service/echo created", "service/echo unchanged"]
    );
    assert!(lines[2].starts_with("echo   10.244."), "{out}");
    assert!(lines[2].ends_with(":9080   0s"), "{out}");
    assert_eq!(
        err,
        "The Service \"x\" is invalid: \n* spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n"
    );
    let (code, _, err) = svcplay(&["run", "-f", BOOKINFO, "no/such/script"], "");
    assert_eq!(code, 2);
    assert!(err.starts_with("error: reading no/such/script:"), "{err}");
    let (code, _, err) = svcplay(&["run", "-f", "-"], "");
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot both come from standard input"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn completions_and_help_follow_the_declared_arguments() {
    for (shell, mark) in [
        ("bash", "_svcplay()"),
        ("zsh", "#compdef svcplay"),
        ("fish", "complete -c svcplay"),
    ] {
        let (code, out, _) = svcplay(&["completions", shell], "");
        assert_eq!(code, 0, "{shell}");
        assert!(out.contains(mark), "{shell}: {out}");
        assert!(out.contains("keep-going"), "{shell}");
    }
    let (code, out, _) = svcplay(&["run", "--help"], "");
    assert_eq!(code, 0);
    assert!(out.starts_with("Runs the console's lines against the world the manifests describe"));
    assert!(out.contains("\nExamples:\n  # A script file\n"), "{out}");
    assert!(
        out.ends_with("Usage:\n  svcplay run [OPTIONS] [SCRIPT]\n"),
        "{out}"
    );
    let (code, _, err) = svcplay(&["completions", "tcsh"], "");
    assert_eq!(code, 2);
    assert!(err.starts_with("error: invalid value 'tcsh'"), "{err}");
}

/// One `traffic -o json` line: `(client, pod) -> (requests, connections)` for `service`.
fn traffic_rows(
    line: &str,
    service: &str,
) -> std::collections::BTreeMap<(String, String), (u64, u64)> {
    let rows: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["service"] == service)
        .map(|r| {
            (
                (
                    r["client"].as_str().unwrap().to_owned(),
                    r["pod"].as_str().unwrap_or("<none>").to_owned(),
                ),
                (
                    r["requests"].as_u64().unwrap(),
                    r["connections"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn a_grpc_client_stays_on_its_pod_when_backend_scales_under_it() {
    let script = "traffic -o json\n\
                  kubectl scale deploy backend --replicas=6\n\
                  sleep 5s\n\
                  kubectl get deploy backend --no-headers\n\
                  sleep 30s\n\
                  traffic -o json\n\
                  traffic\n";
    let (code, out, err) = svcplay(&["run", "-f", "tests/scenarios/grpc-scale-up.yaml"], script);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let (before, after) = (
        traffic_rows(lines[0], "backend"),
        traffic_rows(lines[3], "backend"),
    );
    assert_eq!(
        lines[2].split_whitespace().collect::<Vec<_>>(),
        ["backend", "6/6", "6", "6", "65s"],
        "{out}"
    );
    let pods = |rows: &std::collections::BTreeMap<(String, String), (u64, u64)>, client: &str| {
        rows.iter()
            .filter(|((c, _), _)| c == client)
            .map(|((_, p), n)| (p.clone(), *n))
            .collect::<Vec<_>>()
    };
    // Before: 20 calls a second for the last 30 s, all on the gRPC client's one
    // connection (opened during the settle, so none opened in the window).
    let grpc_before = pods(&before, "grpc-client");
    assert_eq!(grpc_before.len(), 1, "{out}");
    let (pinned, (calls, opened)) = grpc_before[0].clone();
    // (The window's seconds: 20/s over the 29 whole seconds before now.)
    assert!((570..=610).contains(&calls), "{out}");
    assert_eq!(opened, 0, "{out}");
    // After the scale-up: still that one pod, still no new connection.
    assert_eq!(
        pods(&after, "grpc-client")
            .iter()
            .map(|(p, (_, o))| (p.clone(), *o))
            .collect::<Vec<_>>(),
        [(pinned.clone(), 0)],
        "{out}"
    );
    // The connection-per-request client spreads over all six, a connection each.
    let http_after = pods(&after, "http-client");
    assert_eq!(http_after.len(), 6, "{out}");
    assert!(
        http_after.iter().all(|(_, (r, c))| r == c && *r > 0),
        "{out}"
    );
    assert_eq!(pods(&before, "http-client").len(), 2, "{out}");
    let table = lines[4..].join("\n");
    assert!(
        table.contains("SERVICE   POD") && table.contains("CLIENT        REQUESTS   CONNECTIONS"),
        "{table}"
    );
    assert_eq!(table.matches("grpc-client").count(), 1, "{table}");
    assert_eq!(table.matches("http-client").count(), 6, "{table}");
}
