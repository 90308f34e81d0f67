//! What both rule renderers start from: kube-proxy's per-node settings
//! ([`RulesConfig`]) and the per-port decisions of `syncProxyRules` (`PortPlan`).
//!
//! [`RulesConfig::default`] is kube-proxy's default configuration (masquerade bit 14,
//! localhost NodePorts on, NodePorts on every local address, nfacct counters and
//! `--random-fully` available); the world uses it for its simulated nodes with the
//! cluster's pod CIDR as the local-traffic detector. Tests set the fields of their
//! own fixture node.
//!
//! Upstream: kubernetes/kubernetes@531be812 `pkg/proxy/iptables/proxier.go` `NewProxier` and
//! `syncProxyRules`, `pkg/proxy/nftables/proxier.go` `syncProxyRules`,
//! `pkg/proxy/util/nodeport_addresses.go` `NewNodePortAddresses`, `GetNodeIPs`,
//! `pkg/proxy/apis/config/v1alpha1/defaults.go` (masqueradeBit 14, localhostNodePorts).

use std::net::IpAddr;

use super::categorize::Categorized;
use super::dataplane::ProxyConfig;
use super::sloppy::parse_cidr_sloppy;
use super::types::{Endpoint, ServicePortInfo};
use crate::apiserver::cluster_ip::Cidr;

/// kube-proxy's settings and node facts that shape the rules, beyond the Services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesConfig {
    /// `--detect-local-mode=ClusterCIDR`: the pod CIDR; `None` is the no-op detector.
    pub local_detector: Option<Cidr>,
    /// The masquerade mark as kube-proxy writes it (`fmt.Sprintf("%#08x", 1<<bit)`).
    pub masquerade_mark: String,
    /// `--masquerade-all`.
    pub masquerade_all: bool,
    /// `--iptables-localhost-nodeports` (iptables mode, IPv4 only).
    pub localhost_node_ports: bool,
    /// `--nodeport-addresses`: CIDRs; empty means every local address.
    pub node_port_addresses: Vec<String>,
    /// The node's interface addresses besides its node IP (the node IP and 127.0.0.1
    /// always count), for `--nodeport-addresses`.
    pub interface_addresses: Vec<IpAddr>,
    /// The nfacct counters kube-proxy ensured (`ct_state_invalid_dropped_pkts`,
    /// `localhost_nps_accepted_pkts`).
    pub nfacct_counters: Vec<String>,
    /// Whether `iptables` supports `--random-fully`.
    pub random_fully: bool,
    /// `net.netfilter.nf_conntrack_tcp_be_liberal` is set (no INVALID drop rule).
    pub conntrack_tcp_liberal: bool,
    /// The Service CIDRs (nftables drops traffic to unallocated ClusterIPs in them).
    pub service_cidrs: Vec<Cidr>,
}

/// The nfacct counter of INVALID packets dropped.
pub const CT_STATE_INVALID_DROPPED: &str = "ct_state_invalid_dropped_pkts";
/// The nfacct counter of packets accepted on localhost NodePorts.
pub const LOCALHOST_NPS_ACCEPTED: &str = "localhost_nps_accepted_pkts";

/// Go's `fmt.Sprintf("%#08x", v)`: the zero padding counts digits, not the `0x`.
pub fn masquerade_mark(bit: u32) -> String {
    format!("0x{:08x}", 1u64 << bit.min(31))
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            local_detector: None,
            masquerade_mark: masquerade_mark(14),
            masquerade_all: false,
            localhost_node_ports: true,
            node_port_addresses: Vec::new(),
            interface_addresses: Vec::new(),
            nfacct_counters: vec![
                CT_STATE_INVALID_DROPPED.to_owned(),
                LOCALHOST_NPS_ACCEPTED.to_owned(),
            ],
            random_fully: true,
            conntrack_tcp_liberal: false,
            service_cidrs: Vec::new(),
        }
    }
}

impl RulesConfig {
    /// The defaults, with the data plane's pod CIDR as local detector and its Service
    /// CIDR.
    pub fn for_cluster(config: &ProxyConfig) -> Self {
        RulesConfig {
            local_detector: config.cluster_cidr,
            service_cidrs: config.service_cidr.into_iter().collect(),
            ..RulesConfig::default()
        }
    }

    /// Whether the counter `name` was ensured.
    pub(crate) fn nfacct(&self, name: &str) -> bool {
        self.nfacct_counters.iter().any(|c| c == name)
    }

    /// `NewNodePortAddresses` for the family of `node_ip`.
    pub(crate) fn node_port_addresses(&self, node_ip: IpAddr) -> NodePortAddresses {
        let v4 = node_ip.is_ipv4();
        let mut cidrs: Vec<Cidr> = self
            .node_port_addresses
            .iter()
            .filter_map(|s| parse_cidr_sloppy(s.trim()))
            .filter(|c| c.network.is_ipv4() == v4)
            .collect();
        let match_all = cidrs.is_empty() || cidrs.iter().any(|c| c.prefix == 0);
        if match_all {
            cidrs.clear();
        }
        let loopback = IpAddr::from([127, 0, 0, 0]);
        let contains_ipv4_loopback = v4
            && (match_all
                || cidrs
                    .iter()
                    .any(|c| c.network.is_loopback() || c.contains(loopback)));
        let mut local: Vec<IpAddr> = vec![IpAddr::from([127, 0, 0, 1]), node_ip];
        local.extend(self.interface_addresses.iter().copied());
        let mut node_ips: Vec<IpAddr> = local
            .into_iter()
            .filter(|ip| cidrs.iter().any(|c| c.contains(*ip)))
            .collect();
        crate::sort::sort(&mut node_ips);
        node_ips.dedup();
        NodePortAddresses {
            match_all,
            contains_ipv4_loopback,
            node_ips,
        }
    }
}

/// `--nodeport-addresses` resolved for one node.
/// Simplification: `GetNodeIPs` returns a Go map's keys (any order); they are sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NodePortAddresses {
    /// No CIDR (or a zero CIDR) of this family: NodePorts on every local address.
    pub(crate) match_all: bool,
    /// Some CIDR covers 127.0.0.0 (always when `match_all` on IPv4).
    pub(crate) contains_ipv4_loopback: bool,
    /// The node's addresses inside the CIDRs (empty when `match_all`).
    pub(crate) node_ips: Vec<IpAddr>,
}

/// Above this many endpoints kube-proxy drops per-endpoint comments.
pub const LARGE_CLUSTER_ENDPOINTS_THRESHOLD: usize = 1000;

/// The per-port decisions both renderers share (`syncProxyRules`' local variables).
#[derive(Debug, Clone)]
pub(crate) struct PortPlan<'a> {
    pub(crate) info: &'a ServicePortInfo,
    /// `clusterEndpoints`, in kube-proxy's order (by `ip:port` text).
    pub(crate) cluster: Vec<&'a Endpoint>,
    /// `localEndpoints`, likewise.
    pub(crate) local: Vec<&'a Endpoint>,
    /// `allLocallyReachableEndpoints`, likewise.
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
        let sorted = |idx: &mut dyn Iterator<Item = &usize>| -> Vec<&'a Endpoint> {
            let mut v: Vec<(String, &'a Endpoint)> = idx
                .filter_map(|&i| eps.get(i))
                .map(|e| (e.addr(), e))
                .collect();
            crate::sort::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
            v.into_iter().map(|(_, e)| e).collect()
        };
        let cluster = sorted(&mut cat.cluster.iter().flatten());
        let local = sorted(&mut cat.local.iter().flatten());
        let reachable = sorted(&mut cat.all_reachable.iter());
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn masquerade_mark_is_gos_sharp_08x() {
        assert_eq!(masquerade_mark(14), "0x00004000");
        assert_eq!(masquerade_mark(0), "0x00000001");
    }

    #[test]
    fn nodeport_addresses_follow_new_node_port_addresses() {
        let node = IpAddr::from([192, 168, 0, 2]);
        let all = RulesConfig::default().node_port_addresses(node);
        assert!(all.match_all && all.contains_ipv4_loopback && all.node_ips.is_empty());
        let cfg = RulesConfig {
            node_port_addresses: vec!["192.168.0.2/32".into(), "2001:db8::1/128".into()],
            interface_addresses: vec![IpAddr::from([192, 168, 1, 2])],
            ..RulesConfig::default()
        };
        let some = cfg.node_port_addresses(node);
        assert!(!some.match_all && !some.contains_ipv4_loopback);
        assert_eq!(some.node_ips, vec![node]);
        let lo = RulesConfig {
            node_port_addresses: vec!["127.0.0.1/32".into()],
            ..RulesConfig::default()
        }
        .node_port_addresses(node);
        assert!(lo.contains_ipv4_loopback);
        assert_eq!(lo.node_ips, vec![IpAddr::from([127, 0, 0, 1])]);
    }
}
