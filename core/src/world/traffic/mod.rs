//! Clients and the requests they send, each routed through kube-proxy's data path.
//!
//! A client is a stream of requests to one Service at a steady rate. An in-cluster
//! client is a pod: it addresses the Service's ClusterIP and port, and its node's
//! kube-proxy captures the packet. An outside client addresses what the outside can
//! reach (see `address`): the load balancer's ingress IP, else a node IP and the
//! nodePort, else nothing, recorded as [`Unreachable`](crate::proxy::Unreachable).
//!
//! A stream earns `rate` thousandths of a request per simulated millisecond and sends a
//! request at the very millisecond its credit reaches a whole one, so the requests of a
//! run do not depend on how time was stepped.
//!
//! Simplification: clients address the Service's first port; a connection is opened
//! and closed at once (IPVS `lc` sees no long-lived connections); DNS always resolves.

pub(crate) mod address;
mod clients;
mod streams;

use std::collections::{BTreeMap, VecDeque};
use std::net::IpAddr;

pub use address::OutsideEntry;
pub use clients::{CLIENT_LABEL, ClientSpec, MAX_CLIENT_RATE};

use super::World;
use crate::objects::NamespacedName;
use crate::proxy::{self, DropReason, Outcome, Trace, Unreachable};
use crate::sim::SimTime;

/// The most requests kept for [`World::drain_requests`]; older ones are dropped from
/// the queue (they are still counted) when nobody drains it, e.g. a long CLI run.
pub const MAX_PENDING_REQUESTS: usize = 100_000;

/// One request a client sent, for counters and the animation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// When it was sent.
    pub at: SimTime,
    /// The client that sent it.
    pub client: String,
    /// The Service it was addressed to.
    pub service: NamespacedName,
    /// The address and port the client sent to (ClusterIP, LB IP or node IP); `None`
    /// when it had nothing to address.
    pub dst: Option<(IpAddr, u16)>,
    /// The path through kube-proxy (hops, NAT, the source the pod sees); `None` when
    /// the request was not routed.
    pub trace: Option<Trace>,
    /// What happened (the pod, IP and node that served it, when one did).
    pub outcome: Outcome,
}

impl Request {
    /// The pod that served it, if one did.
    pub fn pod(&self) -> Option<&NamespacedName> {
        self.outcome.pod()
    }
}

/// Where a client sends from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientKind {
    /// A pod in the cluster; it sends from its pod IP on its node.
    InCluster {
        /// The client pod.
        pod: NamespacedName,
    },
    /// A machine outside the cluster.
    External {
        /// Its address.
        ip: IpAddr,
    },
}

/// A client sending requests to a Service at a steady rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The client's name.
    pub name: String,
    /// The Service it talks to.
    pub service: NamespacedName,
    /// Requests per simulated second.
    pub rate_per_sec: u32,
    /// Where it sends from.
    pub kind: ClientKind,
    /// Sub-request credit at `since`, in requests × 1000 (always under 1000).
    credit: u64,
    /// When `credit` was last brought up to date.
    since: SimTime,
    /// The next node (index in name order) an outside client sends to via nodePort.
    pub(super) next_node: usize,
}

impl Client {
    /// The credit earned by `now` (under one request, in thousandths): what carries
    /// over to the next request.
    pub fn credit_at(&self, now: SimTime) -> u64 {
        let ms = now.as_millis().saturating_sub(self.since.as_millis());
        self.credit + u64::from(self.rate_per_sec) * ms
    }

    /// When the next request is due, if the stream is not paused.
    fn due(&self) -> Option<SimTime> {
        let rate = u64::from(self.rate_per_sec);
        if rate == 0 {
            return None;
        }
        let missing = 1000u64.saturating_sub(self.credit);
        Some(self.since.plus_millis(missing.div_ceil(rate)))
    }

    /// Brings the credit up to `now`; returns how many whole requests it holds.
    fn settle(&mut self, now: SimTime) -> u64 {
        let total = self.credit_at(now);
        self.since = now;
        self.credit = total % 1000;
        total / 1000
    }
}

/// Counters per pod and per Service.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stats {
    served: BTreeMap<NamespacedName, u64>,
    refused: BTreeMap<NamespacedName, u64>,
    dropped: BTreeMap<NamespacedName, u64>,
    unreachable: BTreeMap<NamespacedName, u64>,
}

impl Stats {
    pub(crate) fn served(&self, pod: &NamespacedName) -> u64 {
        self.served.get(pod).copied().unwrap_or(0)
    }
    pub(crate) fn refused(&self, svc: &NamespacedName) -> u64 {
        self.refused.get(svc).copied().unwrap_or(0)
    }
    pub(crate) fn dropped(&self, svc: &NamespacedName) -> u64 {
        self.dropped.get(svc).copied().unwrap_or(0)
    }
    pub(crate) fn unreachable(&self, svc: &NamespacedName) -> u64 {
        self.unreachable.get(svc).copied().unwrap_or(0)
    }

    /// A pod is gone: its counter goes with it.
    pub(crate) fn forget_pod(&mut self, pod: &NamespacedName) {
        self.served.remove(pod);
    }

    fn count(&mut self, req: &Request) {
        let map = match &req.outcome {
            Outcome::Served { pod: Some(p), .. } => {
                *self.served.entry((**p).clone()).or_default() += 1;
                return;
            }
            Outcome::Refused(_) => &mut self.refused,
            Outcome::Unreachable(_) => &mut self.unreachable,
            Outcome::Served { pod: None, .. } | Outcome::Dropped(_) => &mut self.dropped,
        };
        *map.entry(req.service.clone()).or_default() += 1;
    }
}

/// The clients, their counters, and the requests not yet drained.
#[derive(Debug, Clone, Default)]
pub(crate) struct Traffic {
    clients: Vec<Client>,
    pub(crate) stats: Stats,
    outbox: VecDeque<Request>,
}

impl Traffic {
    pub(crate) fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// When the next request of any client is due.
    pub(crate) fn next_due(&self) -> Option<SimTime> {
        self.clients.iter().filter_map(Client::due).min()
    }

    pub(crate) fn drain(&mut self) -> Vec<Request> {
        self.outbox.drain(..).collect()
    }

    fn push(&mut self, req: Request) {
        self.stats.count(&req);
        if self.outbox.len() >= MAX_PENDING_REQUESTS {
            self.outbox.pop_front();
        }
        self.outbox.push_back(req);
    }
}

impl World {
    /// Sends every request due at `at`, client by client.
    pub(super) fn send_due(&mut self, at: SimTime) {
        for i in 0..self.traffic.clients.len() {
            let count = match self.traffic.clients.get_mut(i) {
                Some(c) => c.settle(at),
                None => continue,
            };
            for _ in 0..count {
                if let Some(req) = self.send_one(i) {
                    self.traffic.push(req);
                }
            }
        }
    }

    /// One request from client `i`; `None` when the client pod cannot send (not
    /// Running, no IP).
    fn send_one(&mut self, i: usize) -> Option<Request> {
        let c = self.traffic.clients.get(i)?;
        let (client, service) = (c.name.clone(), c.service.clone());
        let src = self.sender(&c.kind)?;
        let mut req = Request {
            at: self.now,
            client,
            service: service.clone(),
            dst: None,
            trace: None,
            outcome: Outcome::Unreachable(Unreachable::NoSuchService),
        };
        let (dst, protocol) = match self.destination(i, &service) {
            Ok(d) => d,
            Err(u) => {
                req.outcome = Outcome::Unreachable(u);
                return Some(req);
            }
        };
        req.dst = Some(dst);
        let preq = proxy::Request {
            client: src,
            dst: dst.0,
            port: dst.1,
            protocol,
        };
        let (mut trace, conn) = self.dataplane.route(&preq, self.now, &mut self.rng);
        if let Some(conn) = conn {
            self.dataplane.close(conn);
        }
        if let Outcome::Served { pod, ip, .. } = &mut trace.outcome {
            // The pod behind the endpoint answers: its targetRef, or else whichever pod
            // holds the IP. When none does (it is gone), nothing answers.
            if !pod.as_deref().is_some_and(|p| self.pods.contains(p)) {
                let holder = match ip {
                    IpAddr::V4(v4) => self.pods.by_ip(*v4).cloned(),
                    IpAddr::V6(_) => None,
                };
                match holder {
                    Some(p) => *pod = Some(std::sync::Arc::new(p)),
                    None => trace.outcome = Outcome::Dropped(DropReason::NoSuchService),
                }
            }
        }
        req.outcome = trace.outcome.clone();
        req.trace = Some(trace);
        Some(req)
    }
}

#[cfg(test)]
mod tests;
