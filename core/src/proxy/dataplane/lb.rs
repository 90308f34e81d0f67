//! The simulated cloud load balancer in front of the nodes: which nodes it may send
//! a connection to, and the node's capture of what it hands over.
//!
//! Simplification: the LB picks a node uniformly (real LBs hash or balance by load);
//! with no healthy node it drops (real LBs differ).

use super::{Dataplane, Plan, Port, Stop};
use crate::proxy::trace::{Capture, DropReason, Hop, RefuseReason, Request};
use crate::sim::SimRng;

/// The nodes the cloud LB picks among, uniformly.
pub(super) enum LbNodes<'a> {
    /// Every node (indexes `0..n`).
    All(usize),
    /// These node indexes (non-empty).
    Healthy(&'a [usize]),
}

impl Dataplane {
    /// The cloud LB (at `req.dst`) hands the connection to node `n`, which captures it
    /// on its node port (or on the LB IP when the Service has none).
    pub(super) fn through_lb(
        &self,
        req: &Request,
        pi: usize,
        n: usize,
        hops: &mut Vec<Hop>,
    ) -> Result<Plan, Stop> {
        let port = self
            .ports
            .get(pi)
            .ok_or(Stop::Dropped(DropReason::NoSuchService))?;
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
            let via = Capture::LoadBalancerIp;
            self.capture(hops, n, req.dst, req.port, via, port);
        }
        self.external(n, pi, port, false)
    }

    /// The simulated external LB: any node under Cluster, only nodes passing the
    /// health check under Local.
    /// Simplification: with no healthy node the LB drops (real LBs differ).
    pub(super) fn lb_pick_node(&self, port: &Port, rng: &mut SimRng) -> Result<usize, Stop> {
        match self.lb_nodes(port)? {
            LbNodes::All(n) => self
                .ranked(rng.index(n))
                .ok_or(Stop::Dropped(DropReason::NoHealthyNodes)),
            LbNodes::Healthy(healthy) => healthy
                .get(rng.index(healthy.len()))
                .copied()
                .ok_or(Stop::Dropped(DropReason::NoHealthyNodes)),
        }
    }

    /// The nodes the simulated LB chooses among (uniformly): every node under
    /// Cluster, the nodes passing the health check under Local (never empty).
    pub(super) fn lb_nodes<'a>(&self, port: &'a Port) -> Result<LbNodes<'a>, Stop> {
        if self.nodes.is_empty() {
            return Err(Stop::Dropped(DropReason::NoHealthyNodes));
        }
        if !port.info.external_local() {
            return Ok(LbNodes::All(self.nodes.len()));
        }
        let healthy = &port.healthy_nodes;
        if healthy.is_empty() {
            let any = port.zone_views.first().is_some_and(|v| v.has_any);
            return Err(if any {
                Stop::Dropped(DropReason::NoHealthyNodes)
            } else {
                Stop::Refused(RefuseReason::NoEndpoints)
            });
        }
        Ok(LbNodes::Healthy(healthy))
    }
}
