//! Where a client's new connections go in the long run: the probability of each
//! endpoint serving one, read off the programmed data plane without routing anything.
//!
//! [`Dataplane::expected_split`] follows the same path as [`Dataplane::route`] (the
//! same capture, the same per-node lists from `CategorizeEndpoints`, the same verdicts)
//! but where `route` draws, it weighs every branch:
//! - the cloud LB in front of the nodes picks a node uniformly (every node under
//!   `externalTrafficPolicy: Cluster`, the nodes passing the health check under
//!   `Local`), so each such node carries an equal part;
//! - on the node, the list is the cluster-wide one, or the node-local one under a Local
//!   policy (for external traffic that is not short-circuited, or for internal traffic
//!   under `internalTrafficPolicy: Local`); the terminating fallback is already in the
//!   lists (serving-terminating endpoints only when no ready one is usable);
//! - iptables and nftables pick uniformly per connection, and IPVS `rr` cycles through
//!   the list, so each endpoint of the list gets `1/len`;
//! - IPVS `sh` hashes the source address: the one endpoint of its bucket gets it all;
//! - IPVS `lc` picks the endpoint with the least overhead (`active × 256 + inactive`
//!   connections, as the node's IPVS table holds them now), first in list order on a
//!   tie: the next new connection goes there.
//!
//! This is the split of *new* connections. Requests on an established connection do not
//! pass the rules (see `conntrack`); the world weighs a client's established
//! connections by the requests they carry (`world::expected`).
//!
//! Session affinity (ClientIP): each node keeps its own pins, keyed by the client's
//! source address. The expectation is that of the client's next new connection: where
//! the entry node holds a live pin for the client to an endpoint still in the list,
//! that endpoint gets it all (every new connection refreshes the pin, so a client that
//! keeps sending stays there); where it holds none yet, the algorithm above picks the
//! endpoint that becomes the pin, so its probabilities are the chance of each endpoint
//! being the one the client sticks to. Once a client has sent, the expectation is
//! therefore the all-to-one split it will keep.
//!
//! Upstream: the same rules as [`Dataplane::route`] (kubernetes/kubernetes@531be812
//! `pkg/proxy/iptables/proxier.go` `syncProxyRules`, `pkg/proxy/topology.go`
//! `CategorizeEndpoints`; Linux `ip_vs_rr.c`, `ip_vs_lc.c`, `ip_vs_sh.c`).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::lb::LbNodes;
use super::route::Entry;
use super::{Dataplane, Plan};
use crate::proxy::balance::{IpvsScheduler, ProxyMode, source_hash_bucket};
use crate::proxy::trace::{Client, Request};
use crate::sim::SimTime;

/// Endpoint `(IP, port)` → probability that it serves a connection. The probabilities
/// sum to at most 1; the rest is refused or dropped.
pub type Split = BTreeMap<(IpAddr, u16), f64>;

impl Dataplane {
    /// The long-run probability of each endpoint serving a new connection `req` at
    /// `now` (see the module docs for the rules weighed). Nothing is routed and no
    /// state changes. An empty split means every such connection is refused or dropped.
    pub fn expected_split(&self, req: &Request, now: SimTime) -> Split {
        let mut out = Split::new();
        let (src, client_node) = self.source(&req.client);
        let client_idx = match client_node {
            Some(name) => match self.node_by_name.get(name) {
                Some(&i) => Some(i),
                None => return out,
            },
            None => None,
        };
        let from_pod = matches!(req.client, Client::Pod { .. });
        // Hops are not wanted here; the vector only receives what `entry` writes.
        let mut hops = Vec::new();
        match self.entry(req, src, client_idx, from_pod, &mut hops) {
            Err(_) => {}
            Ok(Entry::Plan(plan)) => self.weigh(&plan, src, now, 1.0, &mut out),
            Ok(Entry::LoadBalancer(pi)) => {
                let Some(port) = self.ports.get(pi) else {
                    return out;
                };
                let nodes: Vec<usize> = match self.lb_nodes(port) {
                    Err(_) => return out,
                    Ok(LbNodes::All(n)) => (0..n).filter_map(|r| self.ranked(r)).collect(),
                    Ok(LbNodes::Healthy(h)) => h.to_vec(),
                };
                let w = 1.0 / nodes.len().max(1) as f64;
                for n in nodes {
                    hops.clear();
                    if let Ok(plan) = self.through_lb(req, pi, n, &mut hops) {
                        self.weigh(&plan, src, now, w, &mut out);
                    }
                }
            }
        }
        out
    }

    /// Adds `weight` × the endpoint choice of `plan` for a client at `src` to `out`.
    fn weigh(&self, plan: &Plan, src: IpAddr, now: SimTime, weight: f64, out: &mut Split) {
        let (Some(port), Some(node)) = (self.ports.get(plan.port), self.nodes.get(plan.node))
        else {
            return;
        };
        let list = port.plan_list(plan, node.zone);
        if list.is_empty() {
            return;
        }
        let eps = &port.endpoints;
        let mut add = |pos: usize, w: f64| {
            if let Some(e) = list.get(pos).and_then(|&i| eps.get(i)) {
                *out.entry((e.ip, e.port)).or_insert(0.0) += w;
            }
        };
        if let Some(t) = port.info.affinity_timeout_secs
            && let Some(pin) = node.affinity.get(port.key, src)
            && now.millis_since(pin.last_seen) <= u64::from(t) * 1000
            && let Some(i) = port.index.get(&pin.endpoint)
            && let Ok(pos) = list.binary_search(i)
        {
            add(pos, weight);
            return;
        }
        match self.config.mode {
            ProxyMode::Iptables | ProxyMode::Nftables | ProxyMode::Ipvs(IpvsScheduler::Rr) => {
                let each = weight / list.len() as f64;
                for pos in 0..list.len() {
                    add(pos, each);
                }
            }
            ProxyMode::Ipvs(IpvsScheduler::Lc) => {
                let state = node.balance.get(&(port.key, plan.local));
                let overhead = |pos: usize| {
                    let ep = list.get(pos).and_then(|&i| eps.get(i));
                    match (state, ep) {
                        (Some(st), Some(e)) => st.overhead((e.ip, e.port), now),
                        _ => 0,
                    }
                };
                let best = (0..list.len())
                    .min_by_key(|&p| (overhead(p), p))
                    .unwrap_or(0);
                add(best, weight);
            }
            ProxyMode::Ipvs(IpvsScheduler::Sh) => {
                let bucket = usize::try_from(source_hash_bucket(src)).unwrap_or(0);
                add(bucket % list.len(), weight);
            }
        }
    }
}

#[cfg(test)]
#[path = "expect_tests.rs"]
mod tests;
