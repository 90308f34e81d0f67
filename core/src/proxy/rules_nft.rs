//! The `kube-proxy` table kube-proxy's nftables mode programs on one node, as the
//! `add …` lines of an nft transaction (the form knftables' `Fake.Dump` prints: the
//! table, each chain with its rules, each set and map with its elements; chains, sets
//! and maps by name).
//!
//! Destinations are looked up in verdict maps (`service-ips`, `service-nodeports`,
//! `no-endpoint-services`, `no-endpoint-nodeports`, `firewall-ips`), so matching costs
//! the same at any number of Services; a service chain then picks an endpoint with
//! `numgen random mod N vmap { … }`.
//!
//! Upstream: kubernetes/kubernetes `pkg/proxy/nftables/proxier.go` `setupNFTables`,
//! `syncProxyRules`, `writeServiceToEndpointRules` (read @b0f823e6), with the base
//! chains, jump rules and ClusterIP masquerade rule as the whole-table expectations of
//! `pkg/proxy/nftables/proxier_test.go`@81810de635aa13aa0a32992f6def3aa9d6025ebc
//! (`baseRules`, `TestOverallNFTablesRules`) have them.
//! Simplification: a full sync on a fresh node (no stale chains or sets).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::chain_names::{nft_endpoint_base, nft_service_base};
use super::dataplane::Dataplane;
use super::rules_plan::{PortPlan, RulesConfig};
use super::types::Endpoint;

/// The table's contents, as knftables' fake holds them.
#[derive(Default)]
struct Table {
    /// Chain name → (`{ … }` spec or empty, rules).
    chains: BTreeMap<String, (String, Vec<String>)>,
    /// Set name → (spec, elements as (key, comment, value)).
    sets: BTreeMap<String, (String, Vec<Element>)>,
    maps: BTreeMap<String, (String, Vec<Element>)>,
}

#[derive(Clone, PartialEq)]
struct Element {
    key: String,
    comment: Option<String>,
    value: Option<String>,
}

impl Table {
    fn chain(&mut self, name: &str) -> &mut Vec<String> {
        &mut self.chains.entry(name.to_owned()).or_default().1
    }

    fn chain_with(&mut self, name: &str, spec: &str) {
        self.chains.entry(name.to_owned()).or_default().0 = spec.to_owned();
    }

    fn rule(&mut self, chain: &str, rule: String) {
        self.chain(chain).push(rule);
    }

    /// `nftElementStorage.ensureElem`: a key already present keeps its place unless
    /// its value changes (then it is deleted and added again).
    fn element(&mut self, map: bool, name: &str, e: Element) {
        let list = if map { &mut self.maps } else { &mut self.sets };
        let elements = &mut list.entry(name.to_owned()).or_default().1;
        if let Some(i) = elements.iter().position(|x| x.key == e.key) {
            if elements.get(i).is_some_and(|x| x.value == e.value) {
                return;
            }
            elements.remove(i);
        }
        elements.push(e);
    }

    fn write(&self, family: &str) -> String {
        let head = |kind: &str| format!("add {kind} {family} kube-proxy");
        let mut out = format!(
            "{} {{ comment \"rules for kube-proxy\" ; }}\n",
            head("table")
        );
        for (name, (spec, rules)) in &self.chains {
            out.push_str(&format!("{} {name}{spec}\n", head("chain")));
            for r in rules {
                out.push_str(&format!("{} {name} {r}\n", head("rule")));
            }
        }
        for (kind, list) in [("set", &self.sets), ("map", &self.maps)] {
            for (name, (spec, elements)) in list {
                out.push_str(&format!("{} {name} {spec}\n", head(kind)));
                for e in elements {
                    let comment = e
                        .comment
                        .as_ref()
                        .map(|c| format!(" comment \"{c}\""))
                        .unwrap_or_default();
                    let value = e
                        .value
                        .as_ref()
                        .map(|v| format!(" : {v}"))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "{} {name} {{ {}{comment}{value} }}\n",
                        head("element"),
                        e.key
                    ));
                }
            }
        }
        out
    }
}

/// The transaction for `node` with the defaults of [`RulesConfig::for_cluster`], or
/// `None` for an unknown node.
pub fn render(dp: &Dataplane, node: &str) -> Option<String> {
    render_with(dp, node, &RulesConfig::for_cluster(dp.config()))
}

/// The address words of one family.
struct Family {
    /// `ip` / `ip6`.
    ip: &'static str,
    /// `ipv4_addr` / `ipv6_addr`.
    addr: &'static str,
}

/// The transaction for `node` under `cfg`, or `None` for an unknown node.
pub fn render_with(dp: &Dataplane, node: &str, cfg: &RulesConfig) -> Option<String> {
    let (info, ports) = dp.node_ports(node)?;
    let fam = if info.ip.is_ipv4() {
        Family {
            ip: "ip",
            addr: "ipv4_addr",
        }
    } else {
        Family {
            ip: "ip6",
            addr: "ipv6_addr",
        }
    };
    let mut t = Table::default();
    setup(&mut t, &fam, cfg, info.ip);
    for (port, eps, cat) in &ports {
        if port.cluster_ip.is_ipv4() != info.ip.is_ipv4() {
            continue;
        }
        let plan = PortPlan::new(port, eps, cat);
        write_port(&mut t, &fam, cfg, info.ip, &plan);
    }
    Some(t.write(fam.ip))
}

/// `setupNFTables`: base chains, jump rules, masquerading, the fixed sets and maps.
fn setup(t: &mut Table, fam: &Family, cfg: &RulesConfig, node_ip: IpAddr) {
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

fn key(k: String) -> Element {
    Element {
        key: k,
        comment: None,
        value: None,
    }
}

fn verdict(k: String, v: String, comment: Option<&str>) -> Element {
    Element {
        key: k,
        comment: comment.map(str::to_owned),
        value: Some(v),
    }
}

/// Everything `syncProxyRules` writes for one service port.
fn write_port(t: &mut Table, fam: &Family, cfg: &RulesConfig, node_ip: IpAddr, p: &PortPlan<'_>) {
    let info = p.info;
    let ip = fam.ip;
    let proto = info.protocol.lower();
    let name = info.name.to_string();
    let base = nft_service_base(&info.name, info.protocol);
    let (svc, local, ext, fw) = (
        format!("service-{base}"),
        format!("local-{base}"),
        format!("external-{base}"),
        format!("firewall-{base}"),
    );
    let ep_chain = |e: &Endpoint| {
        format!(
            "endpoint-{}",
            nft_endpoint_base(&info.name, info.protocol, e)
        )
    };
    let affinity_set = |e: &Endpoint| {
        format!(
            "affinity-{}",
            nft_endpoint_base(&info.name, info.protocol, e)
        )
    };
    for e in &p.reachable {
        t.chain(&ep_chain(e));
    }
    if p.uses_cluster_chain {
        t.chain(&svc);
    }
    if p.uses_local_chain {
        t.chain(&local);
    }
    if p.uses_external_chain {
        t.chain(&ext);
    }
    let internal = if info.internal_policy_local {
        &local
    } else {
        &svc
    };
    let ext_policy = if info.external_local() { &local } else { &svc };
    let (int_verdict, ext_verdict) = if p.has_endpoints {
        ("drop", "drop")
    } else {
        ("goto reject-chain", "goto reject-chain")
    };
    let dest = |a: &dyn std::fmt::Display, port: u16| format!("{a} . {proto} . {port}");
    let vip = info.cluster_ip;
    t.element(false, "cluster-ips", key(vip.to_string()));
    if p.has_internal {
        t.element(
            true,
            "service-ips",
            verdict(dest(&vip, info.port), format!("goto {internal}"), None),
        );
    } else {
        t.element(
            true,
            "no-endpoint-services",
            verdict(dest(&vip, info.port), int_verdict.into(), Some(&name)),
        );
    }
    for a in &info.external_ips {
        if p.has_endpoints {
            t.element(
                true,
                "service-ips",
                verdict(dest(a, info.port), format!("goto {ext}"), None),
            );
        }
        if !p.has_external {
            t.element(
                true,
                "no-endpoint-services",
                verdict(dest(a, info.port), ext_verdict.into(), Some(&name)),
            );
        }
    }
    let uses_fw =
        !info.load_balancer_ips.is_empty() && !info.load_balancer_source_ranges.is_empty();
    if uses_fw {
        t.chain(&fw);
    }
    for a in &info.load_balancer_ips {
        if p.has_endpoints {
            t.element(
                true,
                "service-ips",
                verdict(dest(a, info.port), format!("goto {ext}"), None),
            );
        }
        if uses_fw {
            t.element(
                true,
                "firewall-ips",
                verdict(dest(a, info.port), format!("goto {fw}"), None),
            );
        }
    }
    if !p.has_external {
        for a in &info.load_balancer_ips {
            t.element(
                true,
                "no-endpoint-services",
                verdict(dest(a, info.port), ext_verdict.into(), Some(&name)),
            );
        }
    }
    if info.node_port != 0 {
        let k = format!("{proto} . {}", info.node_port);
        if p.has_endpoints {
            t.element(
                true,
                "service-nodeports",
                verdict(k.clone(), format!("goto {ext}"), None),
            );
        }
        if !p.has_external {
            t.element(
                true,
                "no-endpoint-nodeports",
                verdict(k, ext_verdict.into(), Some(&name)),
            );
        }
    }
    if p.has_internal {
        if cfg.masquerade_all {
            t.rule(
                internal,
                format!("{ip} daddr {vip} jump mark-for-masquerade"),
            );
        } else if let Some(c) = cfg.local_detector {
            t.rule(
                internal,
                format!("{ip} daddr {vip} {ip} saddr != {c} jump mark-for-masquerade"),
            );
        }
    }
    if p.uses_external_chain {
        if !info.external_local() {
            t.rule(&ext, "jump mark-for-masquerade".into());
        } else {
            if let Some(c) = cfg.local_detector {
                t.rule(
                    &ext,
                    format!("{ip} saddr {c} goto {svc} comment \"short-circuit pod traffic\""),
                );
            }
            t.rule(&ext, "fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"".into());
            t.rule(
                &ext,
                format!("fib saddr type local goto {svc} comment \"short-circuit local traffic\""),
            );
        }
        if p.has_external {
            t.rule(&ext, format!("goto {ext_policy}"));
        }
    }
    if uses_fw {
        let mut sources: Vec<String> = info
            .load_balancer_source_ranges
            .iter()
            .map(ToString::to_string)
            .collect();
        if info
            .load_balancer_source_ranges
            .iter()
            .any(|c| c.contains(node_ip))
        {
            sources.extend(info.load_balancer_ips.iter().map(ToString::to_string));
        }
        t.rule(
            &fw,
            format!("{ip} saddr != {{ {} }} drop", sources.join(" , ")),
        );
    }
    if let Some(timeout) = info.affinity_timeout_secs {
        for e in &p.reachable {
            t.sets.entry(affinity_set(e)).or_default().0 = format!(
                "{{ type {} ; flags dynamic,timeout ; timeout {timeout}s ; }}",
                fam.addr
            );
        }
    }
    for (chain, list, used) in [
        (&svc, &p.cluster, p.uses_cluster_chain),
        (&local, &p.local, p.uses_local_chain),
    ] {
        if !used {
            continue;
        }
        if info.affinity_timeout_secs.is_some() {
            for e in list {
                t.rule(
                    chain,
                    format!("{ip} saddr @{} goto {}", affinity_set(e), ep_chain(e)),
                );
            }
        }
        let arms: Vec<String> = list
            .iter()
            .enumerate()
            .map(|(i, e)| format!("{i} : goto {}", ep_chain(e)))
            .collect();
        t.rule(
            chain,
            format!(
                "numgen random mod {} vmap {{ {} }}",
                list.len(),
                arms.join(" , ")
            ),
        );
    }
    for e in &p.reachable {
        let chain = ep_chain(e);
        t.rule(
            &chain,
            format!("{ip} saddr {} jump mark-for-masquerade", e.ip),
        );
        if info.affinity_timeout_secs.is_some() {
            t.rule(
                &chain,
                format!("update @{} {{ {ip} saddr }}", affinity_set(e)),
            );
        }
        t.rule(&chain, format!("meta l4proto {proto} dnat to {}", e.addr()));
    }
}
