//! The `iptables-restore` input kube-proxy's iptables mode writes for one node, line for
//! line: the `filter` table (chain lines, then rules), then `nat`.
//!
//! The fixed chains and rules come first (KUBE-POSTROUTING, KUBE-MARK-MASQ, the
//! KUBE-FIREWALL martian rule with localhost NodePorts), then per service port the
//! capture rules in KUBE-SERVICES / KUBE-EXTERNAL-SERVICES / KUBE-NODEPORTS /
//! KUBE-PROXY-FIREWALL, the `KUBE-SVC`/`KUBE-SVL`/`KUBE-EXT`/`KUBE-FW` chains and one
//! `KUBE-SEP` chain per reachable endpoint, and last the KUBE-SERVICES → KUBE-NODEPORTS
//! jump and the KUBE-FORWARD rules. Service ports are written in name order; kube-proxy
//! walks a Go map, so its order between Services varies from sync to sync (its tests
//! sort it away with `sortIPTablesRules`).
//!
//! Upstream: kubernetes/kubernetes@531be81208e2274ef42e72525a26610a9622bcdf
//! `pkg/proxy/iptables/proxier.go` `syncProxyRules`, `writeServiceToEndpointRules`,
//! `computeProbability` (`%0.10f`), `appendServiceCommentLocked`.
//! Simplification: a full sync on a fresh node: no `-X` lines for stale chains (the
//! simulated node has none), no partial syncs.

use std::net::IpAddr;

use super::balance::probability;
use super::chain_names::{ext_chain, fw_chain, sep_chain, svc_chain, svl_chain};
use super::dataplane::Dataplane;
use super::rules_plan::{
    CT_STATE_INVALID_DROPPED, LOCALHOST_NPS_ACCEPTED, NodePortAddresses, PortPlan, RulesConfig,
};
use super::types::Endpoint;

pub use super::rules_plan::LARGE_CLUSTER_ENDPOINTS_THRESHOLD;

/// `iptables-restore` input for `node` with the defaults of [`RulesConfig::for_cluster`],
/// or `None` for an unknown node.
pub fn render(dp: &Dataplane, node: &str) -> Option<String> {
    render_with(dp, node, &RulesConfig::for_cluster(dp.config()))
}

/// The four line buffers of `syncProxyRules`.
#[derive(Default)]
struct Buffers {
    filter_chains: Vec<String>,
    filter_rules: Vec<String>,
    nat_chains: Vec<String>,
    nat_rules: Vec<String>,
}

fn chain_line(name: &str) -> String {
    format!(":{name} - [0:0]")
}

/// The node-wide settings one sync works with.
struct Sync<'c> {
    cfg: &'c RulesConfig,
    node_ip: IpAddr,
    npa: NodePortAddresses,
    /// `localhostNodePorts` after `NewProxier` turned it off when the NodePort
    /// addresses exclude 127.0.0.0.
    localhost_node_ports: bool,
    large_cluster: bool,
}

/// `iptables-restore` input for `node` under `cfg`, or `None` for an unknown node.
pub fn render_with(dp: &Dataplane, node: &str, cfg: &RulesConfig) -> Option<String> {
    let (info, ports) = dp.node_ports(node)?;
    let node_ip = info.ip;
    let npa = cfg.node_port_addresses(node_ip);
    let total: usize = ports.iter().map(|(_, eps, _)| eps.len()).sum();
    let s = Sync {
        cfg,
        node_ip,
        localhost_node_ports: cfg.localhost_node_ports && npa.contains_ipv4_loopback,
        npa,
        large_cluster: total > LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
    };
    let mark = &cfg.masquerade_mark;
    let mut b = Buffers::default();
    for c in [
        "KUBE-SERVICES",
        "KUBE-EXTERNAL-SERVICES",
        "KUBE-FORWARD",
        "KUBE-NODEPORTS",
        "KUBE-PROXY-FIREWALL",
    ] {
        b.filter_chains.push(chain_line(c));
    }
    for c in [
        "KUBE-SERVICES",
        "KUBE-NODEPORTS",
        "KUBE-POSTROUTING",
        "KUBE-MARK-MASQ",
    ] {
        b.nat_chains.push(chain_line(c));
    }
    b.nat_rules.push(format!(
        "-A KUBE-POSTROUTING -m mark ! --mark {mark}/{mark} -j RETURN"
    ));
    b.nat_rules
        .push(format!("-A KUBE-POSTROUTING -j MARK --xor-mark {mark}"));
    let fully = if cfg.random_fully {
        " --random-fully"
    } else {
        ""
    };
    b.nat_rules.push(format!("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE{fully}"));
    b.nat_rules
        .push(format!("-A KUBE-MARK-MASQ -j MARK --or-mark {mark}"));
    if node_ip.is_ipv4() && s.localhost_node_ports {
        b.filter_chains.push(chain_line("KUBE-FIREWALL"));
        b.filter_rules.push("-A KUBE-FIREWALL -m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP".to_owned());
    }
    for (info, eps, cat) in &ports {
        if info.cluster_ip.is_ipv4() != node_ip.is_ipv4() {
            continue;
        }
        let plan = PortPlan::new(info, eps, cat);
        s.write_port(&plan, &mut b);
    }
    s.write_tail(&mut b);
    let mut out = String::from("*filter\n");
    for line in b.filter_chains.iter().chain(&b.filter_rules) {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("COMMIT\n*nat\n");
    for line in b.nat_chains.iter().chain(&b.nat_rules) {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("COMMIT\n");
    Some(out)
}

impl Sync<'_> {
    /// The nodeports tail-call and the KUBE-FORWARD rules.
    fn write_tail(&self, b: &mut Buffers) {
        let v6 = self.node_ip.is_ipv6();
        let last = "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";
        if self.npa.match_all {
            let mut dest = String::from(" -m addrtype --dst-type LOCAL");
            if v6 {
                dest.push_str(" ! -d ::1/128");
            } else if !self.localhost_node_ports {
                dest.push_str(" ! -d 127.0.0.0/8");
            }
            b.nat_rules.push(format!("{last}{dest} -j KUBE-NODEPORTS"));
        } else {
            for ip in &self.npa.node_ips {
                if ip.is_loopback() && (v6 || !self.localhost_node_ports) {
                    continue;
                }
                b.nat_rules
                    .push(format!("{last} -d {ip} -j KUBE-NODEPORTS"));
            }
        }
        if !self.cfg.conntrack_tcp_liberal {
            let acct = if self.cfg.nfacct(CT_STATE_INVALID_DROPPED) {
                format!(" -m nfacct --nfacct-name {CT_STATE_INVALID_DROPPED}")
            } else {
                String::new()
            };
            b.filter_rules.push(format!(
                "-A KUBE-FORWARD -m conntrack --ctstate INVALID{acct} -j DROP"
            ));
        }
        let mark = &self.cfg.masquerade_mark;
        b.filter_rules.push(format!("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark {mark}/{mark} -j ACCEPT"));
        b.filter_rules.push("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT".to_owned());
    }

    /// ` -m comment --comment X`, left out in large-cluster mode.
    fn comment(&self, text: &str) -> String {
        if self.large_cluster {
            String::new()
        } else {
            format!(" -m comment --comment {text}")
        }
    }

    /// The capture rules of one service port (`syncProxyRules`' loop body up to the
    /// health-check rule).
    fn write_captures(&self, p: &PortPlan<'_>, b: &mut Buffers) {
        let info = p.info;
        let name = info.name.to_string();
        let proto = info.protocol.lower();
        let m = format!("-m {proto} -p {proto}");
        let port = info.port;
        let ext = ext_chain(&info.name, &info.protocol);
        let fw = fw_chain(&info.name, &info.protocol);
        let internal_chain = if info.internal_policy_local {
            svl_chain(&info.name, &info.protocol)
        } else {
            svc_chain(&info.name, &info.protocol)
        };
        let (int_target, int_comment, ext_target, ext_comment) = if !p.has_endpoints {
            let c = format!("\"{name} has no endpoints\"");
            ("REJECT", c.clone(), "REJECT", c)
        } else {
            let c = format!("\"{name} has no local endpoints\"");
            ("DROP", c.clone(), "DROP", c)
        };
        let vip = info.cluster_ip;
        if p.has_internal {
            b.nat_rules.push(format!("-A KUBE-SERVICES -m comment --comment \"{name} cluster IP\" {m} -d {vip} --dport {port} -j {internal_chain}"));
        } else {
            b.filter_rules.push(format!("-A KUBE-SERVICES -m comment --comment {int_comment} {m} -d {vip} --dport {port} -j {int_target}"));
        }
        for ip in &info.external_ips {
            if p.has_endpoints {
                b.nat_rules.push(format!("-A KUBE-SERVICES -m comment --comment \"{name} external IP\" {m} -d {ip} --dport {port} -j {ext}"));
            }
            if !p.has_external {
                b.filter_rules.push(format!("-A KUBE-EXTERNAL-SERVICES -m comment --comment {ext_comment} {m} -d {ip} --dport {port} -j {ext_target}"));
            }
        }
        let uses_fw = p.has_endpoints
            && !info.load_balancer_ips.is_empty()
            && !info.load_balancer_source_ranges.is_empty();
        let lb_chain = if uses_fw { &fw } else { &ext };
        for ip in &info.load_balancer_ips {
            if p.has_endpoints {
                b.nat_rules.push(format!("-A KUBE-SERVICES -m comment --comment \"{name} loadbalancer IP\" {m} -d {ip} --dport {port} -j {lb_chain}"));
            }
            if uses_fw {
                b.filter_rules.push(format!("-A KUBE-PROXY-FIREWALL -m comment --comment \"{name} traffic not accepted by {fw}\" {m} -d {ip} --dport {port} -j DROP"));
            }
        }
        if !p.has_external {
            for ip in &info.load_balancer_ips {
                b.filter_rules.push(format!("-A KUBE-EXTERNAL-SERVICES -m comment --comment {ext_comment} {m} -d {ip} --dport {port} -j {ext_target}"));
            }
        }
        if info.node_port != 0 {
            let np = info.node_port;
            if p.has_endpoints {
                if self.localhost_node_ports
                    && self.node_ip.is_ipv4()
                    && self.cfg.nfacct(LOCALHOST_NPS_ACCEPTED)
                {
                    b.nat_rules.push(format!("-A KUBE-NODEPORTS -m comment --comment {name} {m} -d 127.0.0.0/8 --dport {np} -m nfacct --nfacct-name {LOCALHOST_NPS_ACCEPTED} -j {ext}"));
                }
                b.nat_rules.push(format!(
                    "-A KUBE-NODEPORTS -m comment --comment {name} {m} --dport {np} -j {ext}"
                ));
            }
            if !p.has_external {
                b.filter_rules.push(format!("-A KUBE-EXTERNAL-SERVICES -m comment --comment {ext_comment} -m addrtype --dst-type LOCAL {m} --dport {np} -j {ext_target}"));
            }
        }
        if info.health_check_node_port != 0 {
            let hc = info.health_check_node_port;
            b.filter_rules.push(format!("-A KUBE-NODEPORTS -m comment --comment \"{name} health check node port\" -m tcp -p tcp --dport {hc} -j ACCEPT"));
        }
    }

    /// Everything kube-proxy writes for one service port.
    fn write_port(&self, p: &PortPlan<'_>, b: &mut Buffers) {
        self.write_captures(p, b);
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
        if p.has_internal {
            let args = format!(
                "-m comment --comment \"{name} cluster IP\" -m {proto} -p {proto} -d {} --dport {}",
                info.cluster_ip, info.port
            );
            if self.cfg.masquerade_all {
                b.nat_rules
                    .push(format!("-A {internal_chain} {args} -j KUBE-MARK-MASQ"));
            } else if let Some(cidr) = self.cfg.local_detector {
                b.nat_rules.push(format!(
                    "-A {internal_chain} {args} ! -s {cidr} -j KUBE-MARK-MASQ"
                ));
            }
        }
        if p.uses_external_chain {
            b.nat_chains.push(chain_line(&ext));
            if !info.external_local() {
                b.nat_rules.push(format!("-A {ext} -m comment --comment \"masquerade traffic for {name} external destinations\" -j KUBE-MARK-MASQ"));
            } else {
                if let Some(cidr) = self.cfg.local_detector {
                    b.nat_rules.push(format!("-A {ext} -m comment --comment \"pod traffic for {name} external destinations\" -s {cidr} -j {svc}"));
                }
                b.nat_rules.push(format!("-A {ext} -m comment --comment \"masquerade LOCAL traffic for {name} external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ"));
                b.nat_rules.push(format!("-A {ext} -m comment --comment \"route LOCAL traffic for {name} external destinations\" -m addrtype --src-type LOCAL -j {svc}"));
            }
            if p.has_external {
                b.nat_rules
                    .push(format!("-A {ext} -j {external_policy_chain}"));
            }
        }
        let uses_fw = p.has_endpoints
            && !info.load_balancer_ips.is_empty()
            && !info.load_balancer_source_ranges.is_empty();
        if uses_fw {
            b.nat_chains.push(chain_line(&fw));
            let args = format!("-A {fw} -m comment --comment \"{name} loadbalancer IP\"");
            let mut allow_from_node = false;
            for cidr in &info.load_balancer_source_ranges {
                b.nat_rules.push(format!("{args} -s {cidr} -j {ext}"));
                allow_from_node |= cidr.contains(self.node_ip);
            }
            if allow_from_node {
                for ip in &info.load_balancer_ips {
                    b.nat_rules.push(format!("{args} -s {ip} -j {ext}"));
                }
            }
            b.nat_rules.push(format!("-A {fw} -m comment --comment \"other traffic to {name} will be dropped by KUBE-PROXY-FIREWALL\""));
        }
        if p.uses_cluster_chain {
            b.nat_chains.push(chain_line(&svc));
            self.endpoint_rules(b, &name, p, &svc, &p.cluster);
        }
        if p.uses_local_chain {
            b.nat_chains.push(chain_line(&svl));
            self.endpoint_rules(b, &name, p, &svl, &p.local);
        }
        for ep in &p.reachable {
            let sep = sep_chain(&info.name, &info.protocol, ep);
            b.nat_chains.push(chain_line(&sep));
            let head = format!("-A {sep}{}", self.comment(&name));
            b.nat_rules
                .push(format!("{head} -s {} -j KUBE-MARK-MASQ", ep.ip));
            let recent = if info.affinity_timeout_secs.is_some() {
                format!(" -m recent --name {sep} --set")
            } else {
                String::new()
            };
            b.nat_rules.push(format!(
                "{head}{recent} -m {proto} -p {proto} -j DNAT --to-destination {}",
                ep.addr()
            ));
        }
    }

    /// `writeServiceToEndpointRules`: affinity checks, then the statistic cascade.
    fn endpoint_rules(
        &self,
        b: &mut Buffers,
        name: &str,
        p: &PortPlan<'_>,
        chain: &str,
        eps: &[&Endpoint],
    ) {
        let info = p.info;
        let comment = |ep: &Endpoint| self.comment(&format!("\"{name} -> {}\"", ep.addr()));
        if let Some(t) = info.affinity_timeout_secs {
            for ep in eps {
                let sep = sep_chain(&info.name, &info.protocol, ep);
                b.nat_rules.push(format!(
                    "-A {chain}{} -m recent --name {sep} --rcheck --seconds {t} --reap -j {sep}",
                    comment(ep)
                ));
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
            b.nat_rules
                .push(format!("-A {chain}{}{stat} -j {sep}", comment(ep)));
        }
    }
}
