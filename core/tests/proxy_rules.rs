//! The rendered iptables and nftables rules for a small, fixed cluster, compared with
//! reviewed snapshots in `tests/snapshots/`. Set `SVCPLAY_UPDATE_SNAPSHOTS=1` to
//! rewrite them after an intended change (and review the diff).

#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "proxy_support/mod.rs"]
mod support;

use std::path::PathBuf;

use support::*;
use svcplay_core::proxy::{Dataplane, ProxyMode, rules_iptables, rules_nft};

fn cluster() -> Dataplane {
    let mut web = port("web", "10.96.0.20");
    web.node_port = 30080;
    web.external_policy_local = true;
    web.load_balancer_ips = vec![ip("203.0.113.7")];
    web.health_check_node_port = 31999;
    let mut api = port("api", "10.96.0.30");
    api.affinity_timeout_secs = Some(10800);
    let empty = port("empty", "10.96.0.40");
    dataplane(
        ProxyMode::Iptables,
        vec![
            (web, eps(&["n1", "n2", "n2"])),
            (api, eps(&["n1", "n3"])),
            (empty, vec![]),
        ],
    )
}

fn check_snapshot(name: &str, got: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("SVCPLAY_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        got == want,
        "{name} differs from its snapshot:\n--- got ---\n{got}"
    );
}

#[test]
fn iptables_rules_match_the_snapshot() {
    let dp = cluster();
    let n2 = rules_iptables::render(&dp, "n2").unwrap();
    let n3 = rules_iptables::render(&dp, "n3").unwrap();
    // The statistic cascade 1/3, 1/2, then the catch-all.
    assert!(n3.contains("--probability 0.3333333333 -j KUBE-SEP-"));
    assert!(n3.contains("--probability 0.5000000000 -j KUBE-SEP-"));
    // No endpoints: REJECT in the filter table; Local without local endpoints: DROP.
    assert!(n3.contains(
        "\"default/empty:http has no endpoints\" -m tcp -p tcp -d 10.96.0.40 --dport 80 -j REJECT"
    ));
    assert!(n3.contains("\"default/web:http has no local endpoints\" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP"));
    // n2 has two local web endpoints, so its EXT chain ends in the SVL chain.
    assert!(n2.contains(":KUBE-SVL-CDGGSHYLG3RE2FKL - [0:0]"));
    assert!(n2.contains("-A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVL-CDGGSHYLG3RE2FKL"));
    assert!(!n3.contains("KUBE-SVL-"));
    assert_eq!(
        rules_iptables::render(&dp, "n3"),
        Some(n3.clone()),
        "rendering is deterministic"
    );
    check_snapshot("rules_n2.iptables", &n2);
    check_snapshot("rules_n3.iptables", &n3);
}

#[test]
fn nft_rules_match_the_snapshot() {
    let dp = cluster();
    let n2 = rules_nft::render(&dp, "n2").unwrap();
    let n3 = rules_nft::render(&dp, "n3").unwrap();
    assert!(n2.contains("numgen random mod 3 vmap { 0 : goto endpoint-"));
    assert!(n2.contains("numgen random mod 2 vmap { 0 : goto endpoint-"));
    assert!(n3.contains(
        "add element ip kube-proxy no-endpoint-services { 10.96.0.40 . tcp . 80 comment \"default/empty:http\" : goto reject-chain }"
    ));
    assert!(n3.contains(
        "add element ip kube-proxy no-endpoint-nodeports { tcp . 30080 comment \"default/web:http\" : drop }"
    ));
    // n3 has no local web endpoint: the external chain short-circuits pod and host
    // traffic but has no final jump to a local chain.
    assert!(!n3.contains("goto local-"));
    assert!(n2.contains("goto local-"));
    check_snapshot("rules_n2.nft", &n2);
    check_snapshot("rules_n3.nft", &n3);
}

#[test]
fn unknown_node_renders_nothing() {
    let dp = cluster();
    assert_eq!(rules_iptables::render(&dp, "nope"), None);
    assert_eq!(rules_nft::render(&dp, "nope"), None);
}
