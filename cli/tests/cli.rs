//! The `svcplay` binary on the real-world manifests and on broken ones: exit status,
//! stdout and stderr.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

use serde_json::Value;

const BOOKINFO: &str = "../core/tests/manifests/bookinfo/bookinfo.yaml";
const GUESTBOOK: &str = "../core/tests/manifests/guestbook/guestbook-all-in-one.yaml";
const BOUTIQUE: &str = "../core/tests/manifests/online-boutique/kubernetes-manifests.yaml";
const SOCK_SHOP: &str = "../core/tests/manifests/sock-shop/complete-demo.yaml";
const INGRESS_NGINX: &str = "../core/tests/manifests/ingress-nginx/deploy.yaml";
const METALLB: &str = "../core/tests/manifests/metallb/metallb-native.yaml";
const GUESTBOOK_GO: &str = "../core/tests/manifests/guestbook-go/guestbook-go.yaml";
const CASSANDRA: &str = "../core/tests/manifests/cassandra/cassandra.yaml";
const PODINFO: &str = "../core/tests/manifests/podinfo/kustomize.yaml";
const PODINFO_DB: &str = "../core/tests/manifests/podinfo/database.yaml";
const ARGO_CD: &str = "../core/tests/manifests/argo-cd/install.yaml";

fn svcplay(args: &[&str]) -> (i32, String, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_svcplay"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run svcplay");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> (i32, Value) {
    let (code, out, err) = svcplay(args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v)
}

#[test]
fn check_on_the_real_world_apps_finds_every_endpoint_and_no_problem() {
    for (file, services, endpoints) in [(BOOKINFO, 4, 6), (GUESTBOOK, 3, 6), (BOUTIQUE, 12, 12)] {
        let (code, v) = json(&["check", "-f", file, "--output", "json"]);
        assert_eq!(code, 0, "{file}: {v}");
        let rows = v["services"].as_array().unwrap();
        assert_eq!(rows.len(), services, "{file}");
        let ready: u64 = rows.iter().map(|r| r["ready"].as_u64().unwrap()).sum();
        let total: u64 = rows.iter().map(|r| r["total"].as_u64().unwrap()).sum();
        assert_eq!((ready, total), (endpoints, endpoints), "{file}");
        let problems: Vec<&Value> = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["severity"] != "note")
            .collect();
        assert!(problems.is_empty(), "{file}: {problems:?}");
    }
}

#[test]
fn check_on_public_manifests_with_every_workload_kind_finds_no_problem() {
    // The one warning expected: ingress-nginx's controller is a Local LoadBalancer with
    // one pod, so two of three nodes drop what reaches their node ports directly (the
    // debugger's `local-policy-drops`, true of the manifest as written).
    for (file, services, endpoints, expected) in [
        (SOCK_SHOP, 14, 14, &[][..]),
        (INGRESS_NGINX, 2, 2, &["local-policy-drops"][..]),
        (METALLB, 1, 1, &[][..]),
        (GUESTBOOK_GO, 3, 6, &[][..]),
        (CASSANDRA, 1, 3, &[][..]),
        (PODINFO, 1, 1, &[][..]),
        (PODINFO_DB, 2, 2, &[][..]),
        (ARGO_CD, 8, 8, &[][..]),
    ] {
        let (code, v) = json(&["check", "-f", file, "-o", "json", "--settle", "300"]);
        assert_eq!(code, i32::from(!expected.is_empty()), "{file}: {v}");
        let rows = v["services"].as_array().unwrap();
        assert_eq!(rows.len(), services, "{file}");
        let ready: u64 = rows.iter().map(|r| r["ready"].as_u64().unwrap()).sum();
        assert_eq!(ready, endpoints, "{file}: {v}");
        // Notes (one pod behind a Service, …) are advice, not problems.
        let problems: Vec<&str> = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["severity"] != "note")
            .filter_map(|p| p["rule"].as_str())
            .collect();
        assert_eq!(problems, expected, "{file}: {v}");
    }
}

#[test]
fn a_namespace_narrows_check_and_export() {
    let both = [
        "-f",
        SOCK_SHOP,
        "-f",
        GUESTBOOK_GO,
        "-o",
        "json",
        "--settle",
        "5",
    ];
    let (_, all) = json(&[&["check"][..], &both[..]].concat());
    assert_eq!(all["services"].as_array().unwrap().len(), 17);
    let (_, shop) = json(&[&["check", "-n", "sock-shop"][..], &both[..]].concat());
    let rows = shop["services"].as_array().unwrap();
    assert_eq!(rows.len(), 14);
    assert!(rows.iter().all(|r| r["namespace"] == "sock-shop"));
    let (code, out, _) = svcplay(&[
        "export",
        "-f",
        SOCK_SHOP,
        "-f",
        GUESTBOOK_GO,
        "-n",
        "default",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("name: guestbook\n") && !out.contains("sock-shop"),
        "{out}"
    );
}

#[test]
fn export_writes_what_kubectl_apply_takes_and_reads_back_the_same() {
    let (code, out, err) = svcplay(&["export", "-f", INGRESS_NGINX]);
    assert_eq!(code, 0, "{err}");
    for absent in [
        "kind: Node",
        "status:",
        "clusterIP:",
        "nodePort:",
        "healthCheckNodePort",
        "uid:",
    ] {
        assert!(!out.contains(absent), "{absent}:\n{out}");
    }
    assert!(out.contains("externalTrafficPolicy: Local"), "{out}");
    assert!(
        out.starts_with("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress-nginx\n"),
        "{out}"
    );
    let path = std::env::temp_dir().join(format!("svcplay-export-{}.yaml", std::process::id()));
    std::fs::write(&path, &out).unwrap();
    let again = svcplay(&["export", "-f", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert_eq!(
        again,
        (0, out, again.2.clone()),
        "an export imports to the same world"
    );
    // Node ports the input pinned stay pinned.
    let (_, shop, _) = svcplay(&["export", "-f", SOCK_SHOP]);
    assert!(shop.contains("nodePort: 30001\n"), "{shop}");
}

#[test]
fn check_text_shows_type_addresses_node_ports_and_endpoints() {
    let (code, out, err) = svcplay(&["check", "-f", GUESTBOOK]);
    assert_eq!(code, 0, "{err}");
    let frontend = out.lines().find(|l| l.contains(" frontend ")).unwrap();
    let cells: Vec<&str> = frontend.split_whitespace().collect();
    assert_eq!(cells[0..3], ["default", "frontend", "NodePort"]);
    assert!(cells[3].starts_with("10."), "{frontend}");
    assert!(
        cells[4].starts_with("80:3") && cells[4].ends_with("/TCP"),
        "{frontend}"
    );
    assert_eq!(cells[5..], ["<none>", "3/3"]);
    assert!(out.contains("\nno problems found\n"), "{out}");
    let (_, out, _) = svcplay(&["check", "-f", BOUTIQUE]);
    let ext = out
        .lines()
        .find(|l| l.contains("frontend-external"))
        .unwrap();
    assert!(
        ext.contains("LoadBalancer") && ext.contains(" 203.0.113.10 "),
        "{ext}"
    );
}

#[test]
fn a_selector_matching_no_pods_is_a_problem() {
    let (code, out, _) = svcplay(&["check", "-f", "tests/broken/selector-no-pods.yaml"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("  error selector-no-match default/Service/web spec.selector (tests/broken/selector-no-pods.yaml:"),
        "{out}"
    );
    assert!(
        out.contains("selector app=wbe matches no pod in namespace default"),
        "{out}"
    );
    assert!(out.contains("      fix: "), "{out}");
    assert!(out.contains("0/0"), "{out}");
}

#[test]
fn a_named_target_port_no_pod_has_is_a_problem() {
    let (code, v) = json(&["check", "-f", "tests/broken/named-port.yaml", "-o", "json"]);
    assert_eq!(code, 1);
    let p = &v["problems"][0];
    assert_eq!(p["rule"], "named-port-not-found");
    assert_eq!(p["cause"], 4);
    assert_eq!(p["severity"], "error");
    assert_eq!(p["object"]["name"], "api");
    assert_eq!(p["field"], "spec.ports[0].targetPort");
    assert_eq!(p["file"], "tests/broken/named-port.yaml");
    let m = p["message"].as_str().unwrap();
    assert!(m.starts_with("targetPort \"http\" of port "), "{m}");
}

#[test]
fn a_deployment_missing_its_template_and_a_node_port_conflict_are_problems_with_positions() {
    let (code, out, _) = svcplay(&[
        "check",
        "-f",
        "tests/broken/selector-mismatch-and-port-conflict.yaml",
    ]);
    assert_eq!(code, 1, "{out}");
    let problems: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.contains("problem(s)"))
        .skip(1)
        .collect();
    // A collection is where its first key is: column 16 is `app` in `{app: store}`.
    let f = "tests/broken/selector-mismatch-and-port-conflict.yaml";
    let starts: Vec<String> = problems
        .iter()
        .filter(|l| !l.trim_start().starts_with("fix:"))
        .map(|l| l.split(": ").next().unwrap().to_owned())
        .collect();
    assert_eq!(
        starts,
        vec![
            format!("  error selector-no-match default/Service/shop-a spec.selector ({f}:22)"),
            format!(
                "  error deployment-selector-mismatch Deployment/shop spec.template.metadata.labels ({f}:10)"
            ),
            format!("  error node-port-unreachable Service/shop-b spec.ports[0].nodePort ({f}:36)"),
        ]
    );
    assert!(out.contains("provided port is already allocated"), "{out}");
    // The valid Service still shows, with the port it asked for.
    assert!(
        out.lines()
            .any(|l| l.contains("shop-a") && l.contains("80:30080/TCP")),
        "{out}"
    );
}

#[test]
fn unreadable_input_exits_2_with_the_position() {
    let (code, out, err) = svcplay(&["check", "-f", "tests/broken/syntax-error.yaml"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("error: document 2, line 13, column 5: did not find expected ',' or '}'"),
        "{err}"
    );
    let (code, _, err) = svcplay(&["check", "-f", "tests/broken/type-error.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: document 1, line 7, column 11: Service/web: spec.ports[0].port: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32\n"
    );
    let (code, _, err) = svcplay(&["check", "-f", "tests/broken/no-such-file.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: reading tests/broken/no-such-file.yaml:"),
        "{err}"
    );
    let (code, _, err) = svcplay(&["check"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: no manifests given: use -f FILE"),
        "{err}"
    );
}

#[test]
fn explain_says_which_pods_are_endpoints_and_why_not() {
    let (code, out, _) = svcplay(&["explain", "-f", BOOKINFO, "svc/reviews"]);
    assert_eq!(code, 0);
    let endpoints = out
        .lines()
        .filter(|l| l.contains(" is an endpoint of service reviews"))
        .count();
    assert_eq!(endpoints, 3, "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("pod details-v1-")
            && l.ends_with("selector wants app=reviews, the pod has app=details")),
        "{out}"
    );
    let (_, v) = json(&["explain", "-f", BOOKINFO, "svc/details", "-o", "json"]);
    let ready: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["ready"] == true)
        .map(|x| x["pod"].as_str().unwrap())
        .collect();
    assert_eq!(ready.len(), 1);
    assert!(ready[0].starts_with("details-v1-"), "{ready:?}");
    let (code, _, err) = svcplay(&["explain", "-f", BOOKINFO, "svc/nope", "pod/x"]);
    assert_eq!(
        (code, err.as_str()),
        (2, "error: services \"nope\" not found\n")
    );
}

#[test]
fn rules_render_kube_proxy_s_tables_for_each_node() {
    let (code, out, _) = svcplay(&["rules", "-f", GUESTBOOK, "--mode", "iptables"]);
    assert_eq!(code, 0);
    assert_eq!(out.matches("# node node-").count(), 3);
    assert!(out.contains("-A KUBE-SERVICES"), "{out}");
    // kube-proxy's iptables-restore input: filter then nat, the mark from masqueradeBit 14.
    assert!(out.contains("*filter\n"), "{out}");
    assert!(
        out.contains("-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n"),
        "{out}"
    );
    assert!(out.contains("default/frontend"), "{out}");
    let (code, v) = json(&[
        "rules", "-f", GUESTBOOK, "--mode", "nftables", "--node", "node-2", "-o", "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v[0]["node"], "node-2");
    assert!(
        v[0]["rules"]
            .as_str()
            .unwrap()
            .starts_with("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n"),
        "{v}"
    );
    let (code, _, err) = svcplay(&[
        "rules", "-f", GUESTBOOK, "--mode", "iptables", "--node", "nope",
    ]);
    assert_eq!(
        (code, err.as_str()),
        (2, "error: nodes \"nope\" not found\n")
    );
}

const BROKEN: &str = "../core/tests/diagnose/broken";

#[test]
fn sarif_names_rules_levels_files_lines_and_field_paths() {
    let f = format!("{BROKEN}/08-target-port-not-listening.yaml");
    let (code, v) = json(&["check", "-f", &f, "--output", "sarif"]);
    assert_eq!(code, 1);
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "target-port-not-listening"));
    let r = &run["results"][0];
    assert_eq!(r["ruleId"], "target-port-not-listening");
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0];
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"]["uri"],
        f.as_str()
    );
    assert_eq!(loc["physicalLocation"]["region"]["startLine"], 32);
    assert_eq!(
        loc["logicalLocations"][0]["fullyQualifiedName"],
        "default/Service/web.spec.ports[0].targetPort"
    );
    assert_eq!(r["properties"]["fieldPath"], "spec.ports[0].targetPort");
    let idx = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "target-port-not-listening");
}

#[test]
fn exit_codes_follow_fail_on_and_notes_never_fail() {
    let warn = format!("{BROKEN}/11-container-port-fallback.yaml");
    assert_eq!(svcplay(&["check", "-f", &warn]).0, 1);
    assert_eq!(svcplay(&["check", "-f", &warn, "--fail-on", "error"]).0, 0);
    let err = format!("{BROKEN}/08-target-port-not-listening.yaml");
    assert_eq!(svcplay(&["check", "-f", &err, "--fail-on", "error"]).0, 1);
    let note = format!("{BROKEN}/24-single-endpoint.yaml");
    let (code, out, _) = svcplay(&["check", "-f", &note]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 note(s):"), "{out}");
    assert_eq!(
        svcplay(&[
            "check",
            "-f",
            "tests/broken/syntax-error.yaml",
            "-o",
            "sarif"
        ])
        .0,
        2
    );
    assert_eq!(
        svcplay(&["rules", "-f", &note, "--mode", "iptables", "-o", "sarif"]).0,
        2
    );
}

#[test]
fn a_live_dump_from_stdin_is_explained_as_it_is() {
    use std::io::Write;
    let dump = std::fs::read(format!(
        "{}/../core/tests/diagnose/live/02-lb-pending-and-local.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_svcplay"))
        .args(["check", "-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&dump).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}{err}");
    assert!(err.contains("read as a live cluster's state"), "{err}");
    assert!(
        text.contains(
            "store       shop   LoadBalancer   10.43.10.20   80:31080/TCP   <pending>     1/1"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "error load-balancer-pending store/Service/shop status.loadBalancer.ingress (stdin:"
        ),
        "{text}"
    );
}

#[test]
fn the_bare_metal_setting_leaves_a_load_balancer_pending() {
    let f = format!("{BROKEN}/25-lb-client-ip.yaml");
    let (code, out, _) = svcplay(&["check", "-f", &f, "--lb-provider", "none"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("the cluster has no load-balancer provider (bare metal without MetalLB)"),
        "{out}"
    );
    let (code, _, _) = svcplay(&["check", "-f", &f, "--lb-provider", "cloud"]);
    assert_eq!(code, 0);
}

#[test]
fn check_prints_cause_10_as_the_readmes_say() {
    let f = format!("{BROKEN}/29-grpc-one-connection.yaml");
    let (code, out, _) = svcplay(&["check", "-f", &f]);
    // A note: it never fails the check.
    assert_eq!(code, 0, "{out}");
    let note = out
        .lines()
        .skip_while(|l| *l != "1 note(s):")
        .collect::<Vec<_>>()
        .join("\n")
        .replace(&f, "29-grpc-one-connection.yaml");
    for readme in ["README.md", "../README.md"] {
        let text = std::fs::read_to_string(readme).unwrap();
        let block = note.lines().skip(1).collect::<Vec<_>>().join("\n");
        assert!(text.contains(&block), "{readme} lacks:\n{block}");
    }
    assert!(note.starts_with("1 note(s):\n  note connections-not-rebalanced default/Service/backend spec.selector (29-grpc-one-connection.yaml:32): client grpc-client keeps 1 connection open to backend (fortio, grpc), which runs 3 replicas"), "{note}");
}
