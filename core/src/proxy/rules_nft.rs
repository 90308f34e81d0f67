//! The rules kube-proxy's nftables mode programs on one node, in `nft list table` form.
//!
//! Destinations are looked up in verdict maps (`service-ips`, `service-nodeports`,
//! `no-endpoint-services`, `no-endpoint-nodeports`), so matching costs the same at any
//! number of Services; a service chain then picks an endpoint with
//! `numgen random mod N vmap { … }`.
//!
//! Upstream: kubernetes/kubernetes `pkg/proxy/nftables/proxier.go` `syncProxyRules`,
//! `writeServiceToEndpointRules`, `servicePortChainNameBase`.
//! Simplification: only the service-related chains, maps and sets are shown (no
//! `filter-*` hook chains, no cluster-IP and firewall sets); IPv4 table only.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::chain_names::{nft_endpoint_base, nft_service_base};
use super::dataplane::Dataplane;
use super::rules_iptables::PortPlan;
use super::types::Endpoint;

/// `nft list table ip kube-proxy` output for `node`, or `None` for an unknown node.
pub fn render(dp: &Dataplane, node: &str) -> Option<String> {
    let (_, ports) = dp.node_ports(node)?;
    let cidr = dp.config().cluster_cidr.map(|c| c.to_string());
    let mut service_ips = BTreeMap::new();
    let mut service_nodeports = BTreeMap::new();
    let mut no_ep_services = BTreeMap::new();
    let mut no_ep_nodeports = BTreeMap::new();
    let mut chains: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut affinity_sets: BTreeMap<String, u32> = BTreeMap::new();
    for (info, eps, cat) in &ports {
        let p = PortPlan::new(info, eps, cat);
        let proto = info.protocol.lower();
        let base = nft_service_base(&info.name, &info.protocol);
        let (svc, local, ext) = (
            format!("service-{base}"),
            format!("local-{base}"),
            format!("external-{base}"),
        );
        let internal = if info.internal_policy_local {
            &local
        } else {
            &svc
        };
        let ext_policy = if info.external_local() { &local } else { &svc };
        let (int_verdict, ext_verdict) = if !p.has_endpoints {
            (
                "goto reject-chain".to_owned(),
                "goto reject-chain".to_owned(),
            )
        } else {
            ("drop".to_owned(), "drop".to_owned())
        };
        let key = |ip: &dyn std::fmt::Display, port: u16| format!("{ip} . {proto} . {port}");
        let comment = format!(" comment \"{}\"", info.name);
        if p.has_internal {
            service_ips.insert(key(&info.cluster_ip, info.port), format!("goto {internal}"));
        } else {
            no_ep_services.insert(
                key(&info.cluster_ip, info.port),
                format!("{int_verdict}{comment}"),
            );
        }
        for ip in info.external_ips.iter().chain(&info.load_balancer_ips) {
            if p.has_endpoints {
                service_ips.insert(key(ip, info.port), format!("goto {ext}"));
            }
            if !p.has_external {
                no_ep_services.insert(key(ip, info.port), format!("{ext_verdict}{comment}"));
            }
        }
        if info.node_port != 0 {
            let k = format!("{proto} . {}", info.node_port);
            if p.has_endpoints {
                service_nodeports.insert(k.clone(), format!("goto {ext}"));
            }
            if !p.has_external {
                no_ep_nodeports.insert(k, format!("{ext_verdict}{comment}"));
            }
        }
        if p.has_internal
            && let Some(c) = &cidr
        {
            chains.entry(internal.clone()).or_default().push(format!(
                "ip daddr {} {proto} dport {} ip saddr != {c} jump mark-for-masquerade",
                info.cluster_ip, info.port
            ));
        }
        if p.uses_external_chain {
            let rules = chains.entry(ext.clone()).or_default();
            if !info.external_local() {
                rules.push("jump mark-for-masquerade".to_owned());
            } else {
                if let Some(c) = &cidr {
                    rules.push(format!("ip saddr {c} goto {svc}"));
                }
                rules.push("fib saddr type local jump mark-for-masquerade".to_owned());
                rules.push(format!("fib saddr type local goto {svc}"));
            }
            if p.has_external {
                rules.push(format!("goto {ext_policy}"));
            }
        }
        let timeout = info.affinity_timeout_secs;
        for (chain, list, used) in [
            (&svc, &p.cluster, p.uses_cluster_chain),
            (&local, &p.local, p.uses_local_chain),
        ] {
            if used {
                let rules = chains.entry(chain.clone()).or_default();
                endpoint_rules(rules, &info.name, info.protocol.clone(), list, timeout);
            }
        }
        for ep in &p.reachable {
            let base = nft_endpoint_base(&info.name, &info.protocol, ep);
            let rules = chains.entry(format!("endpoint-{base}")).or_default();
            rules.push(format!("ip saddr {} jump mark-for-masquerade", ep.ip));
            if let Some(t) = timeout {
                affinity_sets.insert(format!("affinity-{base}"), t);
                rules.push(format!("update @affinity-{base} {{ ip saddr }}"));
            }
            rules.push(format!("meta l4proto {proto} dnat to {}", ep.addr()));
        }
    }
    let mut out = String::from("table ip kube-proxy {\n\tcomment \"rules for kube-proxy\"\n");
    write_map(
        &mut out,
        "service-ips",
        "ipv4_addr . inet_proto . inet_service : verdict",
        &service_ips,
    );
    write_map(
        &mut out,
        "service-nodeports",
        "inet_proto . inet_service : verdict",
        &service_nodeports,
    );
    write_map(
        &mut out,
        "no-endpoint-services",
        "ipv4_addr . inet_proto . inet_service : verdict",
        &no_ep_services,
    );
    write_map(
        &mut out,
        "no-endpoint-nodeports",
        "inet_proto . inet_service : verdict",
        &no_ep_nodeports,
    );
    for (name, t) in &affinity_sets {
        let _ = writeln!(
            out,
            "\n\tset {name} {{\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t\ttimeout {t}s\n\t}}"
        );
    }
    out.push_str("\n\tchain mark-for-masquerade {\n\t\tmark set mark or 0x4000\n\t}\n");
    out.push_str("\n\tchain masquerading {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tmark and 0x4000 == 0 return\n\t\tmark set mark xor 0x4000\n\t\tmasquerade fully-random\n\t}\n");
    out.push_str("\n\tchain reject-chain {\n\t\tcomment \"helper for @no-endpoint-services / @no-endpoint-nodeports\"\n\t\treject\n\t}\n");
    out.push_str("\n\tchain services {\n\t\tip daddr . meta l4proto . th dport vmap @service-ips\n\t\tfib daddr type local meta l4proto . th dport vmap @service-nodeports\n\t}\n");
    for (name, rules) in &chains {
        let _ = writeln!(out, "\n\tchain {name} {{");
        for r in rules {
            let _ = writeln!(out, "\t\t{r}");
        }
        out.push_str("\t}\n");
    }
    out.push_str("}\n");
    Some(out)
}

fn write_map(out: &mut String, name: &str, ty: &str, elements: &BTreeMap<String, String>) {
    let _ = write!(out, "\n\tmap {name} {{\n\t\ttype {ty}\n");
    if !elements.is_empty() {
        out.push_str("\t\telements = {");
        let mut first = true;
        for (k, v) in elements {
            let _ = write!(out, "{}\n\t\t\t{k} : {v}", if first { "" } else { "," });
            first = false;
        }
        out.push_str(" }\n");
    }
    out.push_str("\t}\n");
}

/// Affinity checks, then `numgen random mod N vmap`.
fn endpoint_rules(
    rules: &mut Vec<String>,
    name: &super::types::ServicePortName,
    protocol: super::types::Protocol,
    eps: &[&Endpoint],
    timeout: Option<u32>,
) {
    let chains: Vec<String> = eps
        .iter()
        .map(|ep| format!("endpoint-{}", nft_endpoint_base(name, &protocol, ep)))
        .collect();
    if timeout.is_some() {
        for c in &chains {
            let set = c.replacen("endpoint-", "affinity-", 1);
            rules.push(format!("ip saddr @{set} goto {c}"));
        }
    }
    let arms: Vec<String> = chains
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{i} : goto {c}"))
        .collect();
    rules.push(format!(
        "numgen random mod {} vmap {{ {} }}",
        chains.len(),
        arms.join(" , ")
    ));
}
