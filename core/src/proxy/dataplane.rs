//! Every node's programmed kube-proxy state, and the routing of new connections.
//!
//! [`Dataplane::sync`] is `syncProxyRules` for every node at once: it categorizes each
//! service port's endpoints per node and indexes destinations by `(IP, protocol, port)`
//! and `(protocol, nodePort)`. [`Dataplane::route`] then costs a few hash lookups and one
//! pick, whatever the number of Services — kube-proxy's nftables verdict maps have the
//! same shape (iptables walks `KUBE-SERVICES` linearly; we do not model that cost).
//!
//! Upstream: kubernetes/kubernetes `pkg/proxy/iptables/proxier.go` `syncProxyRules`
//! (§e.2 of kubernetes-behaviour.md: REJECT without endpoints, DROP under Local without
//! local endpoints, masquerade under Cluster, short-circuit of pod traffic to external
//! destinations, hairpin masquerade).
//! Simplification: local-traffic detection is `--detect-local-mode=ClusterCIDR` (any
//! pod IP counts as local); `--masquerade-all` is off; traffic to `externalIPs` from
//! outside the cluster arrives at the first node (by name); LB source ranges are not
//! enforced on routing.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use super::affinity::AffinityTable;
use super::balance::{BalanceState, ProxyMode, pick};
use super::categorize::{Categorized, categorize};
use super::chain_names::port_key;
use super::trace::{Capture, Client, DropReason, Hop, Outcome, RefuseReason, Request, Trace};
use super::types::{Endpoint, NodeInfo, Protocol, ServicePortInfo, ServicePortName};
use crate::apiserver::cluster_ip::Cidr;
use crate::sim::{SimRng, SimTime};

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
    /// Per node (same order as `Dataplane::nodes`).
    pub(crate) views: Vec<Categorized>,
    /// Nodes whose health check answers 200 (≥ 1 ready local endpoint).
    pub(crate) healthy_nodes: Vec<usize>,
    /// Endpoint index by address (filled only for ClientIP affinity).
    pub(crate) index: HashMap<(IpAddr, u16), usize>,
}

#[derive(Debug, Clone)]
struct NodeState {
    info: NodeInfo,
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
#[derive(Debug, Clone, Default)]
pub struct Dataplane {
    config: ProxyConfig,
    nodes: Vec<NodeState>,
    node_by_name: HashMap<String, usize>,
    node_by_ip: HashMap<IpAddr, usize>,
    pub(crate) ports: Vec<Port>,
    by_vip: HashMap<(IpAddr, Protocol, u16), (usize, Capture)>,
    cluster_ips: HashMap<IpAddr, usize>,
    by_node_port: HashMap<(Protocol, u16), usize>,
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
        self.nodes.iter().map(|n| &n.info)
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
                    info,
                    affinity: AffinityTable::default(),
                    balance: HashMap::new(),
                },
            })
            .collect();
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

        ports.sort_by(|a, b| (&a.0.name, a.0.protocol).cmp(&(&b.0.name, b.0.protocol)));
        self.by_vip.clear();
        self.cluster_ips.clear();
        self.by_node_port.clear();
        self.ports = Vec::with_capacity(ports.len());
        for (pi, (info, endpoints)) in ports.into_iter().enumerate() {
            let views: Vec<Categorized> = self
                .nodes
                .iter()
                .map(|n| categorize(&endpoints, &info, &n.info))
                .collect();
            let ep_node: Vec<u32> = endpoints
                .iter()
                .map(|e| {
                    self.node_by_name
                        .get(&e.node)
                        .and_then(|&n| u32::try_from(n).ok())
                        .unwrap_or(u32::MAX)
                })
                .collect();
            let mut healthy_nodes: Vec<usize> = endpoints
                .iter()
                .zip(&ep_node)
                .filter(|(e, n)| e.ready && **n != u32::MAX)
                .filter_map(|(_, n)| usize::try_from(*n).ok())
                .collect();
            healthy_nodes.sort_unstable();
            healthy_nodes.dedup();
            self.by_vip.insert(
                (info.cluster_ip, info.protocol, info.port),
                (pi, Capture::ClusterIp),
            );
            self.cluster_ips.insert(info.cluster_ip, pi);
            for ip in &info.external_ips {
                self.by_vip
                    .insert((*ip, info.protocol, info.port), (pi, Capture::ExternalIp));
            }
            for ip in &info.load_balancer_ips {
                self.by_vip.insert(
                    (*ip, info.protocol, info.port),
                    (pi, Capture::LoadBalancerIp),
                );
            }
            if info.node_port != 0 {
                self.by_node_port
                    .insert((info.protocol, info.node_port), pi);
            }
            let key = port_key(&info.name, info.protocol);
            let index = if info.affinity_timeout_secs.is_some() {
                endpoints
                    .iter()
                    .enumerate()
                    .map(|(i, e)| ((e.ip, e.port), i))
                    .collect()
            } else {
                HashMap::new()
            };
            self.ports.push(Port {
                name: Arc::new(info.name.clone()),
                ep_node,
                info,
                key,
                endpoints,
                views,
                healthy_nodes,
                index,
            });
        }
    }

    /// The programmed service ports, sorted by name, with one node's lists.
    pub fn node_ports(&self, node: &str) -> Option<(&NodeInfo, NodePorts<'_>)> {
        let &n = self.node_by_name.get(node)?;
        let list = self
            .ports
            .iter()
            .filter_map(|p| Some((&p.info, p.endpoints.as_slice(), p.views.get(n)?)))
            .collect();
        Some((&self.nodes.get(n)?.info, list))
    }

    /// The health-check answer of `node` for a service port with a
    /// `healthCheckNodePort`: `(200 or 503, localEndpoints)`.
    /// Upstream: `pkg/proxy/healthcheck/service_health.go`.
    pub fn health_check(&self, node: &str, port_index: usize) -> Option<(u16, usize)> {
        let &n = self.node_by_name.get(node)?;
        let p = self.ports.get(port_index)?;
        let name = &self.nodes.get(n)?.info.name;
        let ready_local = p
            .endpoints
            .iter()
            .filter(|e| e.ready && &e.node == name)
            .count();
        Some((if ready_local > 0 { 200 } else { 503 }, ready_local))
    }

    /// Releases an lc connection slot (no-op for other modes).
    pub fn close(&mut self, conn: ConnRef) {
        if let Some(n) = self.nodes.get_mut(conn.node)
            && let Some(st) = n.balance.get_mut(&(conn.key, conn.local))
        {
            st.closed(conn.ep);
        }
    }

    /// Follows one new connection. `now` drives affinity timeouts; `rng` every random
    /// choice. Returns the path, the outcome, and (when served) the connection's slot.
    pub fn route(
        &mut self,
        req: &Request,
        now: SimTime,
        rng: &mut SimRng,
    ) -> (Trace, Option<ConnRef>) {
        let (src, client_node) = match &req.client {
            Client::Pod { node, ip } => (*ip, Some(node.as_str())),
            Client::Node { node } => {
                let ip = self
                    .node_by_name
                    .get(node)
                    .and_then(|&n| self.nodes.get(n))
                    .map(|n| n.info.ip);
                (
                    ip.unwrap_or(IpAddr::from([0, 0, 0, 0])),
                    Some(node.as_str()),
                )
            }
            Client::External { ip } => (*ip, None),
        };
        let client_idx = match client_node {
            Some(name) => match self.node_by_name.get(name) {
                Some(&i) => Some(i),
                None => {
                    let hops = vec![Hop::Client {
                        ip: src,
                        node: Some(Arc::from(name)),
                    }];
                    let outcome = Outcome::Dropped(DropReason::UnknownNode);
                    return (Trace { hops, outcome }, None);
                }
            },
            None => None,
        };
        let client_name = client_idx
            .and_then(|i| self.nodes.get(i))
            .map(|n| n.name.clone());
        let mut hops = Vec::with_capacity(6);
        hops.push(Hop::Client {
            ip: src,
            node: client_name,
        });
        let from_pod = matches!(req.client, Client::Pod { .. });
        let plan = self.plan(req, client_idx, from_pod, &mut hops, rng);
        match plan {
            Err(stop) => (
                Trace {
                    hops,
                    outcome: stop.into(),
                },
                None,
            ),
            Ok(plan) => self.finish(plan, src, from_pod, hops, now, rng),
        }
    }

    /// Finds the capturing node and the list to use, or the verdict.
    fn plan(
        &self,
        req: &Request,
        client_idx: Option<usize>,
        from_pod: bool,
        hops: &mut Vec<Hop>,
        rng: &mut SimRng,
    ) -> Result<Plan, Stop> {
        if let Some(&(pi, via)) = self.by_vip.get(&(req.dst, req.protocol, req.port)) {
            let port = self
                .ports
                .get(pi)
                .ok_or(Stop::Dropped(DropReason::NoSuchService))?;
            return match (via, client_idx) {
                (Capture::ClusterIp, None) => Err(Stop::Dropped(DropReason::ClusterIpFromOutside)),
                (Capture::ClusterIp, Some(n)) => {
                    self.capture(hops, n, req.dst, req.port, via, port);
                    self.internal(n, pi, port, from_pod)
                }
                (_, Some(n)) => {
                    // In-cluster client to an external destination: captured on its own node.
                    self.capture(hops, n, req.dst, req.port, via, port);
                    self.external(n, pi, port, true)
                }
                (Capture::LoadBalancerIp, None) => {
                    let n = self.lb_pick_node(port, rng)?;
                    let node = self
                        .nodes
                        .get(n)
                        .ok_or(Stop::Dropped(DropReason::UnknownNode))?;
                    hops.push(Hop::LoadBalancer {
                        ip: req.dst,
                        to_node: node.name.clone(),
                    });
                    if port.info.node_port != 0 {
                        self.capture(
                            hops,
                            n,
                            node.info.ip,
                            port.info.node_port,
                            Capture::NodePort,
                            port,
                        );
                    } else {
                        self.capture(hops, n, req.dst, req.port, via, port);
                    }
                    self.external(n, pi, port, false)
                }
                (_, None) => {
                    let n = 0;
                    self.capture(hops, n, req.dst, req.port, via, port);
                    self.external(n, pi, port, false)
                }
            };
        }
        if let Some(&n) = self.node_by_ip.get(&req.dst)
            && let Some(&pi) = self.by_node_port.get(&(req.protocol, req.port))
            && let Some(port) = self.ports.get(pi)
        {
            self.capture(hops, n, req.dst, req.port, Capture::NodePort, port);
            let short_circuit = from_pod || client_idx == Some(n);
            return self.external(n, pi, port, short_circuit);
        }
        let is_vip = self.cluster_ips.contains_key(&req.dst);
        if is_vip && client_idx.is_some() && self.config.mode == ProxyMode::Nftables {
            return Err(Stop::Refused(RefuseReason::PortNotExposed));
        }
        Err(Stop::Dropped(if is_vip && client_idx.is_none() {
            DropReason::ClusterIpFromOutside
        } else {
            DropReason::NoSuchService
        }))
    }

    fn capture(
        &self,
        hops: &mut Vec<Hop>,
        n: usize,
        dst: IpAddr,
        port: u16,
        via: Capture,
        p: &Port,
    ) {
        if let Some(node) = self.nodes.get(n) {
            hops.push(Hop::Capture {
                node: node.name.clone(),
                dst,
                port,
                via,
                service: p.name.clone(),
            });
        }
    }

    fn internal(&self, n: usize, pi: usize, port: &Port, from_pod: bool) -> Result<Plan, Stop> {
        let view = port
            .views
            .get(n)
            .ok_or(Stop::Dropped(DropReason::UnknownNode))?;
        if !view.has_any {
            return Err(Stop::Refused(RefuseReason::NoEndpoints));
        }
        let local = port.info.internal_policy_local;
        let list = if local { &view.local } else { &view.cluster };
        if list.as_ref().is_none_or(Vec::is_empty) {
            return Err(Stop::Dropped(DropReason::NoLocalEndpoints));
        }
        Ok(Plan {
            node: n,
            port: pi,
            local,
            masquerade: !from_pod,
        })
    }

    /// External-destination traffic at node `n`. `short_circuit`: the source is a pod
    /// (cluster CIDR) or this node itself, so Local policy does not apply.
    fn external(
        &self,
        n: usize,
        pi: usize,
        port: &Port,
        short_circuit: bool,
    ) -> Result<Plan, Stop> {
        let view = port
            .views
            .get(n)
            .ok_or(Stop::Dropped(DropReason::UnknownNode))?;
        if !view.has_any {
            return Err(Stop::Refused(RefuseReason::NoEndpoints));
        }
        if !port.info.external_local() {
            return Ok(Plan {
                node: n,
                port: pi,
                local: false,
                masquerade: true,
            });
        }
        if short_circuit {
            return Ok(Plan {
                node: n,
                port: pi,
                local: false,
                masquerade: false,
            });
        }
        if view.local.as_ref().is_none_or(Vec::is_empty) {
            return Err(Stop::Dropped(DropReason::NoLocalEndpoints));
        }
        Ok(Plan {
            node: n,
            port: pi,
            local: true,
            masquerade: false,
        })
    }

    /// The simulated external LB: any node under Cluster, only nodes passing the
    /// health check under Local.
    /// Simplification: with no healthy node the LB drops (real LBs differ).
    fn lb_pick_node(&self, port: &Port, rng: &mut SimRng) -> Result<usize, Stop> {
        if self.nodes.is_empty() {
            return Err(Stop::Dropped(DropReason::NoHealthyNodes));
        }
        if !port.info.external_local() {
            return Ok(rng.index(self.nodes.len()));
        }
        let healthy = &port.healthy_nodes;
        if healthy.is_empty() {
            let any = port.views.first().is_some_and(|v| v.has_any);
            return Err(if any {
                Stop::Dropped(DropReason::NoHealthyNodes)
            } else {
                Stop::Refused(RefuseReason::NoEndpoints)
            });
        }
        healthy
            .get(rng.index(healthy.len()))
            .copied()
            .ok_or(Stop::Dropped(DropReason::NoHealthyNodes))
    }

    fn finish(
        &mut self,
        plan: Plan,
        src: IpAddr,
        from_pod: bool,
        mut hops: Vec<Hop>,
        now: SimTime,
        rng: &mut SimRng,
    ) -> (Trace, Option<ConnRef>) {
        let mode = self.config.mode;
        let nodes = &mut self.nodes;
        let (Some(port), Some(node)) = (self.ports.get(plan.port), nodes.get_mut(plan.node)) else {
            return (
                Trace {
                    hops,
                    outcome: Outcome::Dropped(DropReason::NoSuchService),
                },
                None,
            );
        };
        let view = port.views.get(plan.node);
        let list: &[usize] = view
            .and_then(|v| {
                if plan.local {
                    v.local.as_deref()
                } else {
                    v.cluster.as_deref()
                }
            })
            .unwrap_or(&[]);
        let eps = &port.endpoints;
        let addr = |i: usize| eps.get(i).map_or((src, 0), |e| (e.ip, e.port));
        let mut chosen = None;
        if let Some(t) = port.info.affinity_timeout_secs {
            // Lists are in ascending endpoint order, so membership is a binary search.
            let usable = |ep| {
                port.index
                    .get(&ep)
                    .is_some_and(|i| list.binary_search(i).is_ok())
            };
            chosen = node
                .affinity
                .lookup(port.key, src, now, t, usable)
                .and_then(|ep| port.index.get(&ep).copied());
        }
        let stateful = matches!(mode, ProxyMode::Ipvs(_));
        let idx = match chosen {
            Some(i) => i,
            // iptables and nftables keep no per-service state: one uniform draw.
            None if !stateful => list.get(rng.index(list.len())).copied().unwrap_or(0),
            None => {
                let state = node.balance.entry((port.key, plan.local)).or_default();
                let ep_at = |pos: usize| list.get(pos).map_or((src, 0), |&i| addr(i));
                let pos = pick(mode, list.len(), ep_at, state, rng, src);
                list.get(pos).copied().unwrap_or(0)
            }
        };
        let Some(e) = eps.get(idx) else {
            let outcome = Outcome::Refused(RefuseReason::NoEndpoints);
            return (Trace { hops, outcome }, None);
        };
        let ep = (e.ip, e.port);
        if mode == ProxyMode::Ipvs(super::balance::IpvsScheduler::Lc) {
            node.balance
                .entry((port.key, plan.local))
                .or_default()
                .opened(ep);
        }
        if port.info.affinity_timeout_secs.is_some() {
            node.affinity.record(port.key, src, ep, now);
        }
        let (here_ip, here_name) = (node.info.ip, node.name.clone());
        let ep_node = port
            .ep_node
            .get(idx)
            .and_then(|&n| usize::try_from(n).ok())
            .and_then(|n| nodes.get(n));
        let ep_name: Arc<str> =
            ep_node.map_or_else(|| Arc::from(e.node.as_str()), |n| n.name.clone());
        let hairpin = from_pod && e.ip == src;
        let snat = (plan.masquerade || hairpin).then_some(here_ip);
        hops.push(Hop::Dnat {
            node: here_name.clone(),
            to: e.ip,
            to_port: e.port,
            snat_to: snat,
        });
        hops.push(Hop::Endpoint {
            ip: e.ip,
            port: e.port,
            node: ep_name.clone(),
        });
        let outcome = Outcome::Served {
            service: port.name.clone(),
            ip: e.ip,
            port: e.port,
            crossed_nodes: ep_name != here_name,
            node: ep_name,
            source_seen: snat.unwrap_or(src),
        };
        (
            Trace { hops, outcome },
            Some(ConnRef {
                node: plan.node,
                key: port.key,
                local: plan.local,
                ep,
            }),
        )
    }
}
