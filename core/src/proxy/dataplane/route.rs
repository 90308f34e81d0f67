//! Routing one new connection through the programmed data plane (see the parent
//! module for the rules followed).

use std::net::IpAddr;
use std::sync::Arc;

use super::{ConnRef, Dataplane, Plan, Port, Stop};

/// Where [`Dataplane::entry`] leaves a new connection.
pub(super) enum Entry {
    /// Captured on a node, with the list to use.
    Plan(Plan),
    /// Sent to the LB IP from outside: the cloud LB picks a node first.
    LoadBalancer(usize),
}

use crate::proxy::balance::{IpvsScheduler, ProxyMode, pick};
use crate::proxy::trace::{
    Capture, Client, DropReason, Hop, Outcome, RefuseReason, Request, Trace,
};
use crate::sim::{SimRng, SimTime};

impl Dataplane {
    /// Follows one new connection. `now` drives affinity timeouts; `rng` every random
    /// choice. Returns the path, the outcome, and (when served) the connection's slot.
    pub fn route(
        &mut self,
        req: &Request,
        now: SimTime,
        rng: &mut SimRng,
    ) -> (Trace, Option<ConnRef>) {
        let (src, client_node) = self.source(&req.client);
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
        let plan = self.plan(req, src, client_idx, from_pod, &mut hops, rng);
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

    /// The sender's source address and, for a pod or a node, the node it sends from.
    pub(super) fn source<'a>(&self, client: &'a Client) -> (IpAddr, Option<&'a str>) {
        match client {
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
        }
    }

    /// Finds the capturing node and the list to use, or the verdict.
    fn plan(
        &self,
        req: &Request,
        src: IpAddr,
        client_idx: Option<usize>,
        from_pod: bool,
        hops: &mut Vec<Hop>,
        rng: &mut SimRng,
    ) -> Result<Plan, Stop> {
        match self.entry(req, src, client_idx, from_pod, hops)? {
            Entry::Plan(plan) => Ok(plan),
            Entry::LoadBalancer(pi) => {
                let port = self
                    .ports
                    .get(pi)
                    .ok_or(Stop::Dropped(DropReason::NoSuchService))?;
                let n = self.lb_pick_node(port, rng)?;
                self.through_lb(req, pi, n, hops)
            }
        }
    }

    /// Where a new connection is captured: a plan, or the cloud LB in front of the
    /// nodes (which then picks one, see [`Dataplane::lb_nodes`]).
    pub(super) fn entry(
        &self,
        req: &Request,
        src: IpAddr,
        client_idx: Option<usize>,
        from_pod: bool,
        hops: &mut Vec<Hop>,
    ) -> Result<Entry, Stop> {
        if let Some(&(pi, via)) = self.by_vip.get(&(req.dst, req.protocol.clone(), req.port)) {
            let port = self
                .ports
                .get(pi)
                .ok_or(Stop::Dropped(DropReason::NoSuchService))?;
            return match (via, client_idx) {
                (Capture::ClusterIp, None) => Err(Stop::Dropped(DropReason::ClusterIpFromOutside)),
                (Capture::ClusterIp, Some(n)) => {
                    self.capture(hops, n, req.dst, req.port, via, port);
                    self.internal(n, pi, port, from_pod).map(Entry::Plan)
                }
                (_, Some(n)) => {
                    // In-cluster client to an external destination: captured on its own node.
                    self.capture(hops, n, req.dst, req.port, via, port);
                    let has_any = self.view(port, n).is_some_and(|v| v.has_any);
                    if via == Capture::LoadBalancerIp && has_any && !port.source_allowed(src) {
                        // KUBE-FW-… lets only the source ranges through; the rest is
                        // dropped by KUBE-PROXY-FIREWALL.
                        return Err(Stop::Dropped(DropReason::SourceRangeBlocked));
                    }
                    self.external(n, pi, port, true).map(Entry::Plan)
                }
                (Capture::LoadBalancerIp, None) => {
                    if !port.source_allowed(src) {
                        return Err(Stop::Dropped(DropReason::SourceRangeBlocked));
                    }
                    Ok(Entry::LoadBalancer(pi))
                }
                (_, None) => {
                    // The first node by name.
                    let n = self.ranked(0).unwrap_or(0);
                    self.capture(hops, n, req.dst, req.port, via, port);
                    self.external(n, pi, port, false).map(Entry::Plan)
                }
            };
        }
        if let Some(&n) = self.node_by_ip.get(&req.dst)
            && let Some(&pi) = self.by_node_port.get(&(req.protocol.clone(), req.port))
            && let Some(port) = self.ports.get(pi)
        {
            self.capture(hops, n, req.dst, req.port, Capture::NodePort, port);
            let short_circuit = from_pod || client_idx == Some(n);
            return self.external(n, pi, port, short_circuit).map(Entry::Plan);
        }
        let is_vip = self.cluster_ips.contains_key(&req.dst)
            || self
                .config
                .service_cidr
                .is_some_and(|c| c.contains(req.dst));
        if self.cluster_ips.contains_key(&req.dst)
            && client_idx.is_some()
            && self.config.mode == ProxyMode::Nftables
        {
            return Err(Stop::Refused(RefuseReason::PortNotExposed));
        }
        Err(Stop::Dropped(if is_vip && client_idx.is_none() {
            DropReason::ClusterIpFromOutside
        } else {
            DropReason::NoSuchService
        }))
    }

    pub(super) fn capture(
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
        let view = self
            .view(port, n)
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
    pub(super) fn external(
        &self,
        n: usize,
        pi: usize,
        port: &Port,
        short_circuit: bool,
    ) -> Result<Plan, Stop> {
        let view = self
            .view(port, n)
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
        let list = port.plan_list(&plan, node.zone);
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
                let pos = pick(mode, list.len(), ep_at, state, rng, src, now);
                list.get(pos).copied().unwrap_or(0)
            }
        };
        let Some(e) = eps.get(idx) else {
            let outcome = Outcome::Refused(RefuseReason::NoEndpoints);
            return (Trace { hops, outcome }, None);
        };
        let ep = (e.ip, e.port);
        if mode == ProxyMode::Ipvs(IpvsScheduler::Lc) {
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
            service: Some(port.name.clone()),
            pod: e.pod.clone(),
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
