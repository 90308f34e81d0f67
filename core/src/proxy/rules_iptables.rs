//! The rules kube-proxy's iptables mode programs on one node, in `iptables-save` form.
//!
//! Services are written in name order (kube-proxy iterates a Go map, so its order
//! varies from sync to sync; ours is deterministic). Per service port, as upstream:
//! the `KUBE-SERVICES` capture rules (cluster IP, external IPs, LB IPs), the
//! `KUBE-NODEPORTS` rule, then the `KUBE-SVC`/`KUBE-SVL`/`KUBE-EXT`/`KUBE-FW` chains
//! and one `KUBE-SEP` chain per reachable endpoint. Without endpoints the filter table
//! REJECTs; under a Local policy without local endpoints it DROPs.
//!
//! Upstream: kubernetes/kubernetes `pkg/proxy/iptables/proxier.go` `syncProxyRules`,
//! `writeServiceToEndpointRules`; `largeClusterEndpointsThreshold = 1000` (above it,
//! per-endpoint comments are left out).
//! Simplification: no conntrack, no `--localhost-nodeports` rules, no metrics chains.

use std::fmt::Write;

use super::balance::probability;
use super::categorize::Categorized;
use super::chain_names::{ext_chain, fw_chain, sep_chain, svc_chain, svl_chain};
use super::dataplane::Dataplane;
use super::types::{Endpoint, ServicePortInfo};

/// Above this many endpoints kube-proxy drops per-endpoint comments.
pub const LARGE_CLUSTER_ENDPOINTS_THRESHOLD: usize = 1000;

/// The per-port decisions both renderers share (`syncProxyRules`' local variables).
#[derive(Debug, Clone)]
pub(crate) struct PortPlan<'a> {
    pub(crate) info: &'a ServicePortInfo,
    pub(crate) cluster: Vec<&'a Endpoint>,
    pub(crate) local: Vec<&'a Endpoint>,
    pub(crate) reachable: Vec<&'a Endpoint>,
    pub(crate) has_endpoints: bool,
    pub(crate) has_internal: bool,
    pub(crate) has_external: bool,
    pub(crate) uses_cluster_chain: bool,
    pub(crate) uses_local_chain: bool,
    pub(crate) uses_external_chain: bool,
}

impl<'a> PortPlan<'a> {
    pub(crate) fn new(info: &'a ServicePortInfo, eps: &'a [Endpoint], cat: &Categorized) -> Self {
        let pick = |l: &Option<Vec<usize>>| -> Vec<&'a Endpoint> {
            l.iter().flatten().filter_map(|&i| eps.get(i)).collect()
        };
        let (cluster, local) = (pick(&cat.cluster), pick(&cat.local));
        let reachable = cat
            .all_reachable
            .iter()
            .filter_map(|&i| eps.get(i))
            .collect();
        let has = cat.has_any;
        PortPlan {
            uses_cluster_chain: !cluster.is_empty() && info.uses_cluster_endpoints(),
            uses_local_chain: !local.is_empty() && info.uses_local_endpoints(),
            uses_external_chain: has && info.externally_accessible(),
            has_internal: has && !(info.internal_policy_local && local.is_empty()),
            has_external: has && !(info.external_local() && local.is_empty()),
            has_endpoints: has,
            info,
            cluster,
            local,
            reachable,
        }
    }
}

/// `iptables-save` output for `node`, or `None` for an unknown node.
pub fn render(dp: &Dataplane, node: &str) -> Option<String> {
    let (_, ports) = dp.node_ports(node)?;
    let cluster_cidr = dp.config().cluster_cidr.map(|c| c.to_string());
    let total: usize = ports.iter().map(|(_, eps, _)| eps.len()).sum();
    let comments = total <= LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
    let mut filter = String::new();
    let mut nat_chains = String::new();
    let mut nat = String::new();
    for (info, eps, cat) in &ports {
        let plan = PortPlan::new(info, eps, cat);
        write_port(
            &plan,
            cluster_cidr.as_deref(),
            comments,
            &mut filter,
            &mut nat_chains,
            &mut nat,
        );
    }
    let mut out = String::new();
    out.push_str("*filter\n");
    for c in [
        "KUBE-EXTERNAL-SERVICES",
        "KUBE-FORWARD",
        "KUBE-NODEPORTS",
        "KUBE-PROXY-FIREWALL",
        "KUBE-SERVICES",
    ] {
        let _ = writeln!(out, ":{c} - [0:0]");
    }
    out.push_str(&filter);
    out.push_str("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n");
    out.push_str("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT\n");
    out.push_str("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
    out.push_str("COMMIT\n*nat\n");
    for c in [
        "KUBE-MARK-MASQ",
        "KUBE-NODEPORTS",
        "KUBE-POSTROUTING",
        "KUBE-SERVICES",
    ] {
        let _ = writeln!(out, ":{c} - [0:0]");
    }
    out.push_str(&nat_chains);
    out.push_str("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\n");
    out.push_str("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n");
    out.push_str("-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000\n");
    out.push_str("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully\n");
    out.push_str(&nat);
    out.push_str("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS\n");
    out.push_str("COMMIT\n");
    Some(out)
}

fn write_port(
    p: &PortPlan<'_>,
    cluster_cidr: Option<&str>,
    comments: bool,
    filter: &mut String,
    chains: &mut String,
    nat: &mut String,
) {
    let info = p.info;
    let name = info.name.to_string();
    let proto = info.protocol.lower();
    let svc = svc_chain(&info.name, &info.protocol);
    let svl = svl_chain(&info.name, &info.protocol);
    let ext = ext_chain(&info.name, &info.protocol);
    let fw = fw_chain(&info.name, &info.protocol);
    let internal_chain = if info.internal_policy_local {
        &svl
    } else {
        &svc
    };
    let external_policy_chain = if info.external_local() { &svl } else { &svc };
    let (int_target, ext_target, why) = if !p.has_endpoints {
        ("REJECT", "REJECT", "has no endpoints")
    } else {
        ("DROP", "DROP", "has no local endpoints")
    };
    let m = format!("-m {proto} -p {proto}");
    let (vip, port) = (info.cluster_ip, info.port);
    if p.has_internal {
        let _ = writeln!(
            nat,
            "-A KUBE-SERVICES -m comment --comment \"{name} cluster IP\" {m} -d {vip} --dport {port} -j {internal_chain}"
        );
    } else {
        let _ = writeln!(
            filter,
            "-A KUBE-SERVICES -m comment --comment \"{name} {why}\" {m} -d {vip} --dport {port} -j {int_target}"
        );
    }
    for ip in &info.external_ips {
        if p.has_endpoints {
            let _ = writeln!(
                nat,
                "-A KUBE-SERVICES -m comment --comment \"{name} external IP\" {m} -d {ip} --dport {port} -j {ext}"
            );
        }
        if !p.has_external {
            let _ = writeln!(
                filter,
                "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"{name} {why}\" {m} -d {ip} --dport {port} -j {ext_target}"
            );
        }
    }
    let uses_fw = p.has_endpoints
        && !info.load_balancer_ips.is_empty()
        && !info.load_balancer_source_ranges.is_empty();
    let lb_chain = if uses_fw { &fw } else { &ext };
    for ip in &info.load_balancer_ips {
        if p.has_endpoints {
            let _ = writeln!(
                nat,
                "-A KUBE-SERVICES -m comment --comment \"{name} loadbalancer IP\" {m} -d {ip} --dport {port} -j {lb_chain}"
            );
        }
        if uses_fw {
            let _ = writeln!(
                filter,
                "-A KUBE-PROXY-FIREWALL -m comment --comment \"{name} traffic not accepted by {fw}\" {m} -d {ip} --dport {port} -j DROP"
            );
        }
    }
    if !p.has_external {
        for ip in &info.load_balancer_ips {
            let _ = writeln!(
                filter,
                "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"{name} {why}\" {m} -d {ip} --dport {port} -j {ext_target}"
            );
        }
    }
    if info.node_port != 0 {
        let np = info.node_port;
        if p.has_endpoints {
            let _ = writeln!(
                nat,
                "-A KUBE-NODEPORTS -m comment --comment {name} {m} --dport {np} -j {ext}"
            );
        }
        if !p.has_external {
            let _ = writeln!(
                filter,
                "-A KUBE-EXTERNAL-SERVICES -m comment --comment \"{name} {why}\" -m addrtype --dst-type LOCAL {m} --dport {np} -j {ext_target}"
            );
        }
    }
    if info.health_check_node_port != 0 {
        let hc = info.health_check_node_port;
        let _ = writeln!(
            filter,
            "-A KUBE-NODEPORTS -m comment --comment \"{name} health check node port\" -m tcp -p tcp --dport {hc} -j ACCEPT"
        );
    }
    if p.has_internal
        && let Some(cidr) = cluster_cidr
    {
        let _ = writeln!(
            nat,
            "-A {internal_chain} -m comment --comment \"{name} cluster IP\" {m} -d {vip} --dport {port} ! -s {cidr} -j KUBE-MARK-MASQ"
        );
    }
    if p.uses_external_chain {
        let _ = writeln!(chains, ":{ext} - [0:0]");
        if !info.external_local() {
            let _ = writeln!(
                nat,
                "-A {ext} -m comment --comment \"masquerade traffic for {name} external destinations\" -j KUBE-MARK-MASQ"
            );
        } else {
            if let Some(cidr) = cluster_cidr {
                let _ = writeln!(
                    nat,
                    "-A {ext} -m comment --comment \"pod traffic for {name} external destinations\" -s {cidr} -j {svc}"
                );
            }
            let _ = writeln!(
                nat,
                "-A {ext} -m comment --comment \"masquerade LOCAL traffic for {name} external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ"
            );
            let _ = writeln!(
                nat,
                "-A {ext} -m comment --comment \"route LOCAL traffic for {name} external destinations\" -m addrtype --src-type LOCAL -j {svc}"
            );
        }
        if p.has_external {
            let _ = writeln!(nat, "-A {ext} -j {external_policy_chain}");
        }
    }
    if uses_fw {
        let _ = writeln!(chains, ":{fw} - [0:0]");
        for cidr in &info.load_balancer_source_ranges {
            let _ = writeln!(
                nat,
                "-A {fw} -m comment --comment \"{name} loadbalancer IP\" -s {} -j {ext}",
                cidr.trim()
            );
        }
        let _ = writeln!(
            nat,
            "-A {fw} -m comment --comment \"other traffic to {name} will be dropped by KUBE-PROXY-FIREWALL\""
        );
    }
    if p.uses_cluster_chain {
        let _ = writeln!(chains, ":{svc} - [0:0]");
        endpoint_rules(nat, &name, info, &svc, &p.cluster, comments);
    }
    if p.uses_local_chain {
        let _ = writeln!(chains, ":{svl} - [0:0]");
        endpoint_rules(nat, &name, info, &svl, &p.local, comments);
    }
    for ep in &p.reachable {
        let sep = sep_chain(&info.name, &info.protocol, ep);
        let _ = writeln!(chains, ":{sep} - [0:0]");
        let c = if comments {
            format!(" -m comment --comment {name}")
        } else {
            String::new()
        };
        let _ = writeln!(nat, "-A {sep}{c} -s {} -j KUBE-MARK-MASQ", ep.ip);
        let recent = if info.affinity_timeout_secs.is_some() {
            format!(" -m recent --name {sep} --set")
        } else {
            String::new()
        };
        let _ = writeln!(
            nat,
            "-A {sep}{c}{recent} {m} -j DNAT --to-destination {}",
            ep.addr()
        );
    }
}

/// `writeServiceToEndpointRules`: affinity checks, then the statistic cascade.
fn endpoint_rules(
    nat: &mut String,
    name: &str,
    info: &ServicePortInfo,
    chain: &str,
    eps: &[&Endpoint],
    comments: bool,
) {
    let comment = |ep: &Endpoint| {
        if comments {
            format!(" -m comment --comment \"{name} -> {}\"", ep.addr())
        } else {
            String::new()
        }
    };
    if let Some(t) = info.affinity_timeout_secs {
        for ep in eps {
            let sep = sep_chain(&info.name, &info.protocol, ep);
            let _ = writeln!(
                nat,
                "-A {chain}{} -m recent --name {sep} --rcheck --seconds {t} --reap -j {sep}",
                comment(ep)
            );
        }
    }
    let n = eps.len();
    for (i, ep) in eps.iter().enumerate() {
        let sep = sep_chain(&info.name, &info.protocol, ep);
        let stat = if i + 1 < n {
            format!(
                " -m statistic --mode random --probability {}",
                probability(n - i)
            )
        } else {
            String::new()
        };
        let _ = writeln!(nat, "-A {chain}{}{stat} -j {sep}", comment(ep));
    }
}
