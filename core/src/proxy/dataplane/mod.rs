//! Every node's programmed kube-proxy state, and the routing of new connections.
//!
//! [`Dataplane::sync`] is `syncProxyRules` for every node at once: it categorizes each
//! service port's endpoints per node and indexes destinations by `(IP, protocol, port)`
//! and `(protocol, nodePort)`. [`Dataplane::route`] then costs a few hash lookups and one
//! pick, whatever the number of Services — kube-proxy's nftables verdict maps have the
//! same shape (iptables walks `KUBE-SERVICES` linearly; we do not model that cost).
//!
//! Upstream: kubernetes/kubernetes@531be812 `pkg/proxy/iptables/proxier.go` `syncProxyRules`
//! (§e.2 of kubernetes-behaviour.md: REJECT without endpoints, DROP under Local without
//! local endpoints, masquerade under Cluster, short-circuit of pod traffic to external
//! destinations, hairpin masquerade).
//! Simplification: local-traffic detection is `--detect-local-mode=ClusterCIDR` (any
//! pod IP counts as local); `--masquerade-all` is off; traffic to `externalIPs` from
//! outside the cluster arrives at the first node (by name); the simulated cloud LB
//! enforces `loadBalancerSourceRanges` for outside clients (kube-proxy's KUBE-FW chain
//! does for in-cluster ones).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

mod compare;
mod conntrack;
mod expect;
mod lb;
mod nodes;
mod patch;
mod route;
#[cfg(test)]
mod test_fixtures;
mod update;

pub use conntrack::{ConnId, Conntrack, Tracked};
pub use expect::Split;
pub use patch::PortPatch;

use super::affinity::AffinityTable;
use super::balance::{BalanceState, ProxyMode};
use super::categorize::Categorized;
use super::trace::{Capture, DropReason, Outcome, RefuseReason};
use super::types::{Endpoint, NodeInfo, Protocol, ServicePortInfo, ServicePortName};
use crate::apiserver::cluster_ip::Cidr;

/// How kube-proxy runs on every node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyConfig {
    /// `--proxy-mode` (and IPVS scheduler).
    pub mode: ProxyMode,
    /// The pod CIDR (`--cluster-cidr`): sources inside it are pods.
    pub cluster_cidr: Option<Cidr>,
    /// The Service CIDR, to tell unallocated ClusterIPs from other addresses.
    pub service_cidr: Option<Cidr>,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        ProxyConfig {
            mode: ProxyMode::Iptables,
            cluster_cidr: None,
            service_cidr: None,
        }
    }
}

/// A service port as programmed: its endpoints and each node's lists.
#[derive(Debug, Clone)]
pub(crate) struct Port {
    pub(crate) info: ServicePortInfo,
    pub(crate) name: Arc<ServicePortName>,
    /// The node index of each endpoint (`u32::MAX`: a node we do not know).
    pub(crate) ep_node: Vec<u32>,
    pub(crate) key: u64,
    pub(crate) endpoints: Vec<Endpoint>,
    /// The lists of a node hosting none of the endpoints, per zone (same order as
    /// `Dataplane::zones`): such nodes differ only by zone (topology hints).
    pub(crate) zone_views: Vec<Categorized>,
    /// The lists of each node (by index) that hosts at least one endpoint.
    pub(crate) node_views: HashMap<usize, Categorized>,
    /// Nodes whose health check answers 200 (≥ 1 ready local endpoint).
    pub(crate) healthy_nodes: Vec<usize>,
    /// `loadBalancerSourceRanges`, parsed (unparseable entries are skipped).
    pub(crate) source_ranges: Vec<Cidr>,
    /// Endpoint index by address (filled only for ClientIP affinity).
    pub(crate) index: HashMap<(IpAddr, u16), usize>,
    /// Counts that decide which lists an endpoint is in (see `patch`).
    pub(crate) tally: patch::Tally,
}

#[derive(Debug, Clone)]
struct NodeState {
    info: NodeInfo,
    /// Index of the node's zone in `Dataplane::zones`.
    zone: usize,
    name: Arc<str>,
    affinity: AffinityTable,
    balance: HashMap<(u64, bool), BalanceState>,
}

/// An open connection's balancing slot, to release with [`Dataplane::close`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnRef {
    node: usize,
    key: u64,
    local: bool,
    ep: (IpAddr, u16),
}

/// The whole cluster's kube-proxy state.
///
/// A node's index into `nodes` is fixed when it joins ([`Dataplane::add_node`] appends);
/// `by_rank` lists the indexes in name order, for everything that picks "the first node"
/// or draws a node at random, so the order in which nodes joined never shows.
#[derive(Debug, Clone, Default)]
pub struct Dataplane {
    config: ProxyConfig,
    nodes: Vec<NodeState>,
    /// Node indexes in name order.
    by_rank: Vec<usize>,
    /// Services with an endpoint on a node not (yet) known, by that node's name: they are
    /// reprogrammed when it joins.
    waiting: HashMap<String, std::collections::BTreeSet<(String, String)>>,
    node_by_name: HashMap<String, usize>,
    node_by_ip: HashMap<IpAddr, usize>,
    pub(crate) ports: Vec<Port>,
    by_vip: HashMap<(IpAddr, Protocol, u16), (usize, Capture)>,
    cluster_ips: HashMap<IpAddr, usize>,
    by_node_port: HashMap<(Protocol, u16), usize>,
    /// The distinct node zones (`""` for none), in order of first appearance.
    zones: Vec<String>,
    /// `(namespace, name)` → the indexes of that Service's ports in `ports`.
    by_service: HashMap<(String, String), Vec<usize>>,
    /// The connections it translated that are still open.
    conntrack: Conntrack,
}

impl Port {
    /// Node `n`'s lists, given the index of its zone.
    pub(crate) fn view(&self, n: usize, zone: usize) -> Option<&Categorized> {
        self.node_views
            .get(&n)
            .or_else(|| self.zone_views.get(zone))
    }

    /// The endpoints a plan chooses among on its node: the node-local list under a
    /// `Local` policy, the cluster-wide one otherwise; empty when there is none.
    fn plan_list(&self, plan: &Plan, zone: usize) -> &[usize] {
        self.view(plan.node, zone)
            .and_then(|v| {
                if plan.local {
                    v.local.as_deref()
                } else {
                    v.cluster.as_deref()
                }
            })
            .unwrap_or(&[])
    }

    /// Whether `src` may reach the LB IP (no source ranges: everyone).
    pub(crate) fn source_allowed(&self, src: IpAddr) -> bool {
        self.source_ranges.is_empty() || self.source_ranges.iter().any(|c| c.contains(src))
    }
}

/// A verdict before any endpoint is chosen.
#[derive(Debug, Clone, Copy)]
enum Stop {
    Refused(RefuseReason),
    Dropped(DropReason),
}

impl From<Stop> for Outcome {
    fn from(s: Stop) -> Outcome {
        match s {
            Stop::Refused(r) => Outcome::Refused(r),
            Stop::Dropped(d) => Outcome::Dropped(d),
        }
    }
}

/// One node's programmed service ports: `(port, endpoints, this node's lists)`.
pub type NodePorts<'a> = Vec<(&'a ServicePortInfo, &'a [Endpoint], &'a Categorized)>;

/// Which list and which node an accepted connection uses.
struct Plan {
    node: usize,
    port: usize,
    local: bool,
    masquerade: bool,
}

impl Dataplane {
    /// An empty data plane.
    pub fn new(config: ProxyConfig) -> Self {
        Dataplane {
            config,
            ..Dataplane::default()
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ProxyConfig {
        &self.config
    }

    /// Switches the proxy mode; balancing state starts afresh.
    pub fn set_mode(&mut self, mode: ProxyMode) {
        self.config.mode = mode;
        for n in &mut self.nodes {
            n.balance.clear();
        }
    }

    /// The nodes, by name.
    pub fn nodes(&self) -> impl Iterator<Item = &NodeInfo> {
        self.by_rank
            .iter()
            .filter_map(|&i| self.nodes.get(i))
            .map(|n| &n.info)
    }

    /// Reprograms every node from the current Services and endpoints. Affinity pins and
    /// balancing state of nodes and ports that still exist are kept.
    pub fn sync(
        &mut self,
        mut nodes: Vec<NodeInfo>,
        mut ports: Vec<(ServicePortInfo, Vec<Endpoint>)>,
    ) {
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        nodes.dedup_by(|a, b| a.name == b.name);
        let mut old: HashMap<String, NodeState> = self
            .nodes
            .drain(..)
            .map(|n| (n.info.name.clone(), n))
            .collect();
        self.nodes = nodes
            .into_iter()
            .map(|info| match old.remove(&info.name) {
                Some(mut st) => {
                    st.info = info;
                    st
                }
                None => NodeState {
                    name: Arc::from(info.name.as_str()),
                    zone: 0,
                    info,
                    affinity: AffinityTable::default(),
                    balance: HashMap::new(),
                },
            })
            .collect();
        let zone_of = |n: &NodeInfo| n.zone.clone().unwrap_or_default();
        self.zones = self.nodes.iter().map(|n| zone_of(&n.info)).collect();
        self.zones.sort();
        self.zones.dedup();
        for n in &mut self.nodes {
            let z = zone_of(&n.info);
            n.zone = self.zones.binary_search(&z).unwrap_or(0);
        }
        self.node_by_name = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.info.name.clone(), i))
            .collect();
        self.node_by_ip = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.info.ip, i))
            .collect();
        self.by_rank = (0..self.nodes.len()).collect();
        self.waiting.clear();

        ports.sort_by(|a, b| {
            (&a.0.name, a.0.protocol.clone()).cmp(&(&b.0.name, b.0.protocol.clone()))
        });
        self.by_vip.clear();
        self.cluster_ips.clear();
        self.by_node_port.clear();
        self.by_service.clear();
        self.ports = Vec::with_capacity(ports.len());
        for (info, endpoints) in ports {
            let port = self.build_port(info, endpoints);
            self.push_port(port);
        }
    }

    /// The programmed service ports, sorted by name, with one node's lists.
    pub fn node_ports(&self, node: &str) -> Option<(&NodeInfo, NodePorts<'_>)> {
        let &n = self.node_by_name.get(node)?;
        let mut list: NodePorts<'_> = self
            .ports
            .iter()
            .filter_map(|p| Some((&p.info, p.endpoints.as_slice(), self.view(p, n)?)))
            .collect();
        // Incremental updates leave `ports` unordered; the rules are written in name order.
        list.sort_by(|a, b| {
            (&a.0.name, a.0.protocol.clone()).cmp(&(&b.0.name, b.0.protocol.clone()))
        });
        Some((&self.nodes.get(n)?.info, list))
    }

    /// Node `n`'s lists for a port.
    pub(crate) fn view<'a>(&self, port: &'a Port, n: usize) -> Option<&'a Categorized> {
        port.view(n, self.nodes.get(n)?.zone)
    }

    /// The health-check answer of `node` for a service port (the HTTP server on its
    /// `healthCheckNodePort`): `(200 or 503, localEndpoints)`. `None` for an unknown
    /// node or port.
    /// Upstream: kubernetes/kubernetes@124526cf `pkg/proxy/healthcheck/service_health.go`
    /// (kube-proxy's own health is
    /// assumed good).
    pub fn health_check(&self, node: &str, service: &ServicePortName) -> Option<(u16, usize)> {
        let &n = self.node_by_name.get(node)?;
        let p = self.ports.iter().find(|p| &p.info.name == service)?;
        let n = u32::try_from(n).ok()?;
        let ready_local = p
            .endpoints
            .iter()
            .zip(&p.ep_node)
            .filter(|(e, en)| e.ready && **en == n)
            .count();
        Some((if ready_local > 0 { 200 } else { 503 }, ready_local))
    }
}
