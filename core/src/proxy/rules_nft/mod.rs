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
//! Upstream: kubernetes/kubernetes@b0f823e6 `pkg/proxy/nftables/proxier.go` `setupNFTables`,
//! `syncProxyRules`, `writeServiceToEndpointRules` (read @b0f823e6), with the base
//! chains, jump rules and ClusterIP masquerade rule as the whole-table expectations of
//! `pkg/proxy/nftables/proxier_test.go`@81810de635aa13aa0a32992f6def3aa9d6025ebc
//! (`baseRules`, `TestOverallNFTablesRules`) have them.
//! Simplification: a full sync on a fresh node (no stale chains or sets).
//!
//! Module map: `base` (the fixed chains, sets and maps of `setupNFTables`), `table`
//! (the table being filled and its printing).

mod base;
mod table;

use std::net::IpAddr;

use super::chain_names::{nft_endpoint_base, nft_service_base};
use super::dataplane::Dataplane;
use super::rules_plan::{PortPlan, RulesConfig};
use super::types::Endpoint;
use table::{Element, Table};

/// The transaction for `node` with the defaults of [`RulesConfig::for_cluster`], or
/// `None` for an unknown node.
pub fn render(dp: &Dataplane, node: &str) -> Option<String> {
    render_with(dp, node, &RulesConfig::for_cluster(dp.config()))
}

/// The address words of one family.
pub(crate) struct Family {
    /// `ip` / `ip6`.
    pub(crate) ip: &'static str,
    /// `ipv4_addr` / `ipv6_addr`.
    pub(crate) addr: &'static str,
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
    base::setup(&mut t, &fam, cfg, info.ip);
    for (port, eps, cat) in &ports {
        if port.cluster_ip.is_ipv4() != info.ip.is_ipv4() {
            continue;
        }
        let plan = PortPlan::new(port, eps, cat);
        write_port(&mut t, &fam, cfg, info.ip, &plan);
    }
    Some(t.write(fam.ip))
}

pub(crate) fn key(k: String) -> Element {
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
    let base = nft_service_base(&info.name, &info.protocol);
    let (svc, local, ext, fw) = (
        format!("service-{base}"),
        format!("local-{base}"),
        format!("external-{base}"),
        format!("firewall-{base}"),
    );
    let ep_chain = |e: &Endpoint| {
        format!(
            "endpoint-{}",
            nft_endpoint_base(&info.name, &info.protocol, e)
        )
    };
    let affinity_set = |e: &Endpoint| {
        format!(
            "affinity-{}",
            nft_endpoint_base(&info.name, &info.protocol, e)
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
