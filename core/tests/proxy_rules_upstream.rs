//! kube-proxy's own whole-rule-set expectations, transcribed into
//! `tests/kube-proxy-upstream-cases.json` (same format as the conformance vectors'
//! `kube_proxy_iptables_rules` / `kube_proxy_nftables_rules`, each case naming its
//! upstream test and commit), run through the conformance checker's own functions; and
//! the chain-level expectations of the iptables tests that vary the proxier's settings.

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

#[path = "conformance/support.rs"]
mod support;

#[path = "conformance/kube_proxy_sort.rs"]
mod kube_proxy_sort;

#[path = "conformance/kube_proxy.rs"]
mod kube_proxy;

use serde_json::Value;
use svcplay_core::proxy::{RulesConfig, rules_iptables};

use kube_proxy_sort::{check_iptables_rule_jumps, parse_iptables_dump, sort_iptables_rules};

fn cases() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/kube-proxy-upstream-cases.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn category(name: &str) -> Vec<Value> {
    cases()[name].as_array().cloned().unwrap_or_default()
}

#[test]
fn every_transcribed_case_runs_through_the_conformance_checkers() {
    let doc = cases();
    let (mut ran, mut failures) = (0, Vec::new());
    for (name, check) in kube_proxy::CATEGORIES {
        for case in doc[name].as_array().into_iter().flatten() {
            ran += 1;
            if let Err(e) = check(case, &Value::Null) {
                failures.push(format!("{name} {}: {e}", case["source"]));
            }
        }
    }
    assert_eq!(ran, 5, "one iptables and four nftables cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nftables_cases_name_their_upstream_test_and_commit() {
    let nft = category("kube_proxy_nftables_rules");
    assert!(nft.len() >= 3);
    for case in &nft {
        assert!(
            case["source"]
                .as_str()
                .unwrap()
                .starts_with("pkg/proxy/nftables/proxier_test.go Test")
        );
        assert_eq!(
            case["upstream"],
            "kubernetes/kubernetes@81810de635aa13aa0a32992f6def3aa9d6025ebc"
        );
        // Every case is a whole table: the fixed part and at least one Service.
        let (want, got) = kube_proxy::nftables_case(case).unwrap();
        assert_eq!(want, got);
        assert!(got.starts_with("add table ip kube-proxy"));
        assert!(got.contains("add element ip kube-proxy cluster-ips {"));
    }
}

#[test]
fn a_wrong_expectation_fails_with_the_first_differing_line() {
    let mut case = category("kube_proxy_iptables_rules").remove(0);
    let text = case["expected_iptables_restore"]
        .as_str()
        .unwrap()
        .replace("--probability 0.5000000000", "--probability 0.5");
    case["expected_iptables_restore"] = Value::String(text);
    let (check_name, check) = kube_proxy::CATEGORIES[1];
    assert_eq!(check_name, "kube_proxy_iptables_rules");
    let err = check(&case, &Value::Null).unwrap_err();
    assert!(err.starts_with("line "), "{err}");
    assert!(
        err.contains("--probability 0.5 -j KUBE-SEP-UKSFD7AGPMPPLUHC"),
        "{err}"
    );
}

/// `TestSortIPTablesRules` "correctly match same service name in different styles of
/// comments": a stable sort by the name before the first space or colon.
#[test]
fn sort_matches_service_names_in_every_comment_style() {
    let input = "*filter\nCOMMIT\n*nat\n:KUBE-SERVICES - [0:0]\n\
-A KUBE-SERVICES -m comment --comment \"ns2/svc2:p80 cluster IP\" svc2 line 1\n\
-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2\n\
-A KUBE-SERVICES -m comment --comment \"ns2/svc2 blah\" svc2 line 3\n\
-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\" svc1 line 1\n\
-A KUBE-SERVICES -m comment --comment ns1/svc1 svc1 line 2\n\
-A KUBE-SERVICES -m comment --comment \"ns1/svc1 blah\" svc1 line 3\n\
-A KUBE-SERVICES -m comment --comment ns4/svc4 svc4 line 1\n\
-A KUBE-SERVICES -m comment --comment \"ns4/svc4:p80 cluster IP\" svc4 line 2\n\
-A KUBE-SERVICES -m comment --comment \"ns4/svc4 blah\" svc4 line 3\n\
-A KUBE-SERVICES -m comment --comment \"ns3/svc3:p80 cluster IP\" svc3 line 1\n\
-A KUBE-SERVICES -m comment --comment \"ns3/svc3 blah\" svc3 line 2\n\
-A KUBE-SERVICES -m comment --comment ns3/svc3 svc3 line 3\nCOMMIT\n";
    let want = "*filter\nCOMMIT\n*nat\n:KUBE-SERVICES - [0:0]\n\
-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\" svc1 line 1\n\
-A KUBE-SERVICES -m comment --comment ns1/svc1 svc1 line 2\n\
-A KUBE-SERVICES -m comment --comment \"ns1/svc1 blah\" svc1 line 3\n\
-A KUBE-SERVICES -m comment --comment \"ns2/svc2:p80 cluster IP\" svc2 line 1\n\
-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2\n\
-A KUBE-SERVICES -m comment --comment \"ns2/svc2 blah\" svc2 line 3\n\
-A KUBE-SERVICES -m comment --comment \"ns3/svc3:p80 cluster IP\" svc3 line 1\n\
-A KUBE-SERVICES -m comment --comment \"ns3/svc3 blah\" svc3 line 2\n\
-A KUBE-SERVICES -m comment --comment ns3/svc3 svc3 line 3\n\
-A KUBE-SERVICES -m comment --comment ns4/svc4 svc4 line 1\n\
-A KUBE-SERVICES -m comment --comment \"ns4/svc4:p80 cluster IP\" svc4 line 2\n\
-A KUBE-SERVICES -m comment --comment \"ns4/svc4 blah\" svc4 line 3\nCOMMIT\n";
    assert_eq!(sort_iptables_rules(input).unwrap(), want);
}

/// `TestSortIPTablesRules` "unexpected junk lines are preserved": chains sort
/// KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-*, then the rest.
#[test]
fn sort_orders_chains_and_keeps_unknown_ones() {
    let input = "*filter\nCOMMIT\n*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]\n\
:KUBE-AAAAA - [0:0]\n:KUBE-ZZZZZ - [0:0]\n:WHY-IS-THIS-CHAIN-HERE - [0:0]\n\
-A KUBE-SERVICES -m comment --comment \"ns2/svc2:p80 cluster IP\" svc2 line 1\n\
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80\n\
-A KUBE-ZZZZZ -m comment --comment \"mystery chain number 1\"\n\
-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2\n\
-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT\n\
-A KUBE-SERVICES -m comment --comment \"ns2/svc2 blah\" svc2 line 3\n\
-A KUBE-AAAAA -m comment --comment \"mystery chain number 2\"\nCOMMIT\n";
    let want = "*filter\nCOMMIT\n*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-AAAAA - [0:0]\n\
:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]\n:KUBE-ZZZZZ - [0:0]\n:WHY-IS-THIS-CHAIN-HERE - [0:0]\n\
-A KUBE-SERVICES -m comment --comment \"ns2/svc2:p80 cluster IP\" svc2 line 1\n\
-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2\n\
-A KUBE-SERVICES -m comment --comment \"ns2/svc2 blah\" svc2 line 3\n\
-A KUBE-AAAAA -m comment --comment \"mystery chain number 2\"\n\
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80\n\
-A KUBE-ZZZZZ -m comment --comment \"mystery chain number 1\"\n\
-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT\nCOMMIT\n";
    assert_eq!(sort_iptables_rules(input).unwrap(), want);
}

/// `TestCheckIPTablesRuleJumps`' error cases.
#[test]
fn rule_jump_check_finds_missing_empty_and_unused_chains() {
    let missing = "\n*filter\nCOMMIT\n*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O\nCOMMIT\n";
    assert!(
        check_iptables_rule_jumps(missing)
            .unwrap_err()
            .starts_with("some chains in nat are used but were not created")
    );
    let empty = missing.replace(
        ":KUBE-SERVICES - [0:0]\n",
        ":KUBE-SERVICES - [0:0]\n:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\n",
    );
    assert!(
        check_iptables_rule_jumps(&empty)
            .unwrap_err()
            .starts_with("some chains in nat are jumped to but have no rules")
    );
    let unused = "\n*filter\nCOMMIT\n*nat\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\n-A KUBE-SERVICES -m comment --comment \"ns1/svc1:p80 cluster IP\" ...\nCOMMIT\n";
    assert!(
        check_iptables_rule_jumps(unused)
            .unwrap_err()
            .starts_with("some chains in nat are created but not used")
    );
}

/// The overall case rendered under `cfg`: the rules of one chain, in order, as
/// `assertIPTablesChainEqual` extracts them.
fn chain_rules(cfg: impl Fn(&mut RulesConfig), table: &str, chain: &str) -> Vec<String> {
    let case = category("kube_proxy_iptables_rules").remove(0);
    let (dp, node, mut rules_cfg) = kube_proxy::program(&case).unwrap();
    cfg(&mut rules_cfg);
    let text = rules_iptables::render_with(&dp, &node.name, &rules_cfg).unwrap();
    let tables = parse_iptables_dump(&text).unwrap();
    let t = tables.iter().find(|t| t.name == table).unwrap();
    t.chains
        .iter()
        .find(|c| c.name == chain)
        .map(|c| c.rules.clone())
        .unwrap_or_default()
}

/// `TestMasqueradeRule` (kubernetes/kubernetes@531be812): `--random-fully` when
/// iptables has it.
#[test]
fn masquerade_rule_follows_random_fully() {
    for (random_fully, tail) in [(false, ""), (true, " --random-fully")] {
        let rules = chain_rules(|c| c.random_fully = random_fully, "nat", "KUBE-POSTROUTING");
        assert_eq!(
            rules,
            [
                "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN".to_owned(),
                "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000".to_owned(),
                format!(
                    "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE{tail}"
                ),
            ]
        );
    }
}

/// `TestDropInvalidRule` (kubernetes/kubernetes@531be812): the INVALID drop rule
/// counts with nfacct when the counter exists, and is gone under tcp_be_liberal.
#[test]
fn invalid_drop_rule_follows_nfacct_and_tcp_liberal() {
    let forward = [
        "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT",
        "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    ];
    let plain = chain_rules(|c| c.nfacct_counters.clear(), "filter", "KUBE-FORWARD");
    assert_eq!(
        plain[0],
        "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP"
    );
    assert_eq!(plain[1..], forward);
    let counted = chain_rules(|_| {}, "filter", "KUBE-FORWARD");
    assert_eq!(
        counted[0],
        "-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP"
    );
    let liberal = chain_rules(|c| c.conntrack_tcp_liberal = true, "filter", "KUBE-FORWARD");
    assert_eq!(liberal, forward);
}

/// `TestNodePorts` (kubernetes/kubernetes@531be812): the KUBE-FIREWALL martian rule
/// exists only with localhost NodePorts; without them localhost is excluded from the
/// nodeports jump, and specific `--nodeport-addresses` give one jump per node IP.
#[test]
fn localhost_nodeports_and_nodeport_addresses() {
    let martian = "-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP";
    assert_eq!(chain_rules(|_| {}, "filter", "KUBE-FIREWALL"), [martian]);
    assert!(
        chain_rules(
            |c| c.localhost_node_ports = false,
            "filter",
            "KUBE-FIREWALL"
        )
        .is_empty()
    );
    let last = "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";
    let services = chain_rules(|c| c.localhost_node_ports = false, "nat", "KUBE-SERVICES");
    assert_eq!(
        services.last().unwrap(),
        &format!("{last} -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS")
    );
    // Localhost NodePorts off: no `-d 127.0.0.0/8 … nfacct` NodePort rules either.
    let nodeports = chain_rules(|c| c.localhost_node_ports = false, "nat", "KUBE-NODEPORTS");
    assert!(
        nodeports.iter().all(|r| !r.contains("127.0.0.0/8")),
        "{nodeports:?}"
    );
    // "ipv4, localhost-nodeports disabled, localhost in nodeport-addresses": the
    // loopback address is skipped, the node IP in 192.168.0.0/24 gets a jump.
    let specific = chain_rules(
        |c| {
            c.localhost_node_ports = false;
            c.node_port_addresses = vec!["192.168.0.0/24".into(), "127.0.0.1/32".into()];
        },
        "nat",
        "KUBE-SERVICES",
    );
    assert_eq!(
        specific.last().unwrap(),
        &format!("{last} -d 192.168.0.2 -j KUBE-NODEPORTS")
    );
}
