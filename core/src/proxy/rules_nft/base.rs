//! The fixed part of the `kube-proxy` table: base chains hooked into netfilter, the
//! jump rules into the check and dispatch chains, masquerading, and the sets and maps
//! every Service fills.
//!
//! Upstream: kubernetes/kubernetes@b0f823e6 `pkg/proxy/nftables/proxier.go` `setupNFTables`
//! (read @b0f823e6), with the base chains and jump rules as `baseRules` in
//! `pkg/proxy/nftables/proxier_test.go`@81810de635aa13aa0a32992f6def3aa9d6025ebc has
//! them (`filter-prerouting-pre-dnat`, `filter-output-pre-dnat` at -110, the filter
//! chains at 0).
//! Simplification: with `--nodeport-addresses` unset (match all) the NodePort rules
//! use `fib daddr type local` and exclude 127.0.0.0/8 as `setupNFTables`@b0f823e6
//! writes them; no whole-table expectation upstream covers that case.

use std::net::IpAddr;

use super::table::Table;
use super::{Family, key};
use crate::proxy::rules_plan::RulesConfig;

/// `setupNFTables`: base chains, jump rules, masquerading, the fixed sets and maps.
pub(super) fn setup(t: &mut Table, fam: &Family, cfg: &RulesConfig, node_ip: IpAddr) {
    let (ip, addr) = (fam.ip, fam.addr);
    for (name, ty, hook, prio) in [
        ("filter-prerouting-pre-dnat", "filter", "prerouting", "-110"),
        ("filter-output-pre-dnat", "filter", "output", "-110"),
        ("filter-forward", "filter", "forward", "0"),
        ("filter-input", "filter", "input", "0"),
        ("filter-output", "filter", "output", "0"),
        ("nat-output", "nat", "output", "-100"),
        ("nat-postrouting", "nat", "postrouting", "100"),
        ("nat-prerouting", "nat", "prerouting", "-100"),
    ] {
        t.chain_with(
            name,
            &format!(" {{ type {ty} hook {hook} priority {prio} ; }}"),
        );
    }
    for name in [
        "cluster-ips-check",
        "firewall-check",
        "mark-for-masquerade",
        "masquerading",
        "nodeport-endpoints-check",
        "services",
        "service-endpoints-check",
    ] {
        t.chain(name);
    }
    t.chain_with(
        "reject-chain",
        " { comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\" ; }",
    );
    let new = "ct state new jump";
    for (from, to) in [
        ("filter-prerouting-pre-dnat", "firewall-check"),
        ("filter-output-pre-dnat", "firewall-check"),
        ("filter-forward", "service-endpoints-check"),
        ("filter-forward", "cluster-ips-check"),
        ("filter-input", "nodeport-endpoints-check"),
        ("filter-input", "service-endpoints-check"),
        ("filter-output", "service-endpoints-check"),
        ("filter-output", "cluster-ips-check"),
    ] {
        t.rule(from, format!("{new} {to}"));
    }
    t.rule("nat-output", "jump services".into());
    t.rule("nat-postrouting", "jump masquerading".into());
    t.rule("nat-prerouting", "jump services".into());
    let mark = &cfg.masquerade_mark;
    t.rule("mark-for-masquerade", format!("mark set mark or {mark}"));
    t.rule("masquerading", format!("mark and {mark} == 0 return"));
    t.rule("masquerading", format!("mark set mark xor {mark}"));
    t.rule("masquerading", "masquerade fully-random".into());
    t.sets.entry("cluster-ips".into()).or_default().0 =
        format!("{{ type {addr} ; comment \"Active ClusterIPs\" ; }}");
    t.rule(
        "cluster-ips-check",
        format!("{ip} daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\""),
    );
    let cidrs: Vec<String> = cfg
        .service_cidrs
        .iter()
        .filter(|c| c.network.is_ipv4() == node_ip.is_ipv4())
        .map(ToString::to_string)
        .collect();
    if !cidrs.is_empty() {
        t.rule(
            "cluster-ips-check",
            format!(
                "{ip} daddr {{ {} }} drop comment \"Drop traffic to unallocated ClusterIPs\"",
                cidrs.join(",")
            ),
        );
    }
    let npa = cfg.node_port_addresses(node_ip);
    let no_localhost = if node_ip.is_ipv4() {
        "ip daddr != 127.0.0.0/8"
    } else {
        "ip6 daddr != ::1"
    };
    if !npa.match_all {
        t.sets.entry("nodeport-ips".into()).or_default().0 =
            format!("{{ type {addr} ; comment \"IPs that accept NodePort traffic\" ; }}");
        for a in npa.node_ips.iter().filter(|a| !a.is_loopback()) {
            t.element(false, "nodeport-ips", key(a.to_string()));
        }
    }
    for (name, ty, comment) in [
        (
            "no-endpoint-services",
            format!("{addr} . inet_proto . inet_service : verdict"),
            "vmap to drop or reject packets to services with no endpoints",
        ),
        (
            "no-endpoint-nodeports",
            "inet_proto . inet_service : verdict".to_owned(),
            "vmap to drop or reject packets to service nodeports with no endpoints",
        ),
        (
            "firewall-ips",
            format!("{addr} . inet_proto . inet_service : verdict"),
            "destinations that are subject to LoadBalancerSourceRanges",
        ),
        (
            "service-ips",
            format!("{addr} . inet_proto . inet_service : verdict"),
            "ClusterIP, ExternalIP and LoadBalancer IP traffic",
        ),
        (
            "service-nodeports",
            "inet_proto . inet_service : verdict".to_owned(),
            "NodePort traffic",
        ),
    ] {
        t.maps.entry(name.into()).or_default().0 =
            format!("{{ type {ty} ; comment \"{comment}\" ; }}");
    }
    t.rule("reject-chain", "reject".into());
    let dispatch = format!("{ip} daddr . meta l4proto . th dport vmap");
    t.rule(
        "service-endpoints-check",
        format!("{dispatch} @no-endpoint-services"),
    );
    let (nodeport_check, nodeport_dispatch) = if npa.match_all {
        (
            format!("{no_localhost} meta l4proto . th dport vmap @no-endpoint-nodeports"),
            format!(
                "fib daddr type local {no_localhost} meta l4proto . th dport vmap @service-nodeports"
            ),
        )
    } else {
        (
            format!("{ip} daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports"),
            format!("{ip} daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports"),
        )
    };
    t.rule("nodeport-endpoints-check", nodeport_check);
    t.rule("firewall-check", format!("{dispatch} @firewall-ips"));
    t.rule("services", format!("{dispatch} @service-ips"));
    t.rule("services", nodeport_dispatch);
}
