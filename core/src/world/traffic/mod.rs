//! Traffic as a cluster carries it: clients open connections, kube-proxy chooses a
//! backend per connection, and every request on a connection goes where its first
//! packet went.
//!
//! A client is a load generator running in a pod (fortio, hey, or a shell loop of curl
//! or wget, read from the container's command line by [`crate::apps`]), or the
//! playground's user outside the cluster. A generator keeps `-c` connections, sends its
//! rate round-robin over them, and with keep-alive (or HTTP/2, or gRPC) reuses each
//! connection for every request it carries; without, it opens one per request. A new
//! connection first resolves the target's host through the pod's resolv.conf and the
//! cluster DNS (a hop of the trace, see `cluster_dns`), then goes through kube-proxy
//! ([`crate::proxy::Dataplane::connect`], recorded in conntrack) or, for a pod address,
//! straight to the pod. So a scale-up moves no established connection, a pod that turns
//! not ready or terminating keeps serving the connections it has, and a pod that goes
//! (or whose app exits) closes its connections: their clients reconnect, through the
//! rules, at their next request.
//!
//! At the pod the app answers as it would (`crate::apps::ServerSpec`): nothing
//! listening is a reset, a gRPC client at an HTTP server a protocol error, and an app
//! with upstreams (fake-service's `UPSTREAM_URIS`) calls each one, from its own pod, for
//! every request it serves — those calls are requests of their own, nested in the one
//! that caused them (at most [`MAX_CHAIN_DEPTH`] deep).
//!
//! A stream earns its rate in millionths of a request per simulated millisecond and
//! sends at the very millisecond its credit reaches a whole request, so the requests of
//! a run do not depend on how time was stepped.
//!
//! Submodules: `clients` (the clients, registering a pod's generators, the card
//! commands), `address` (how the outside user reaches a Service), `send` (one request:
//! connect, answer, upstream calls), `conns` (connections: closing them when their pod
//! goes, reading them), `report` (each client's results as its tool reports them), `retarget` (a stream
//! pointed at another Service).
//!
//! Simplification: requests take no time (a connection is never busy, so nothing is
//! in flight when a pod goes, and a keep-alive client notices a closed connection only
//! at its next request, when it reconnects without an error, as fortio's and Go's
//! clients do for an idle connection); the outside user opens one connection per
//! request to the Service's first port.

pub(crate) mod address;
mod clients;
mod conns;
mod report;
mod retarget;
mod send;

use std::collections::{BTreeMap, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;

pub use address::OutsideEntry;
pub use clients::{CLIENT_LABEL, Client, ClientKind, ClientSpec};
pub(crate) use conns::Slot;
pub use conns::{Conn, ConnectionView};
pub use report::ClientReport;

use crate::objects::NamespacedName;
use crate::proxy::{Outcome, Trace};
use crate::sim::SimTime;

/// How far back the requests kept for [`World::drain_requests`](super::World::drain_requests)
/// reach, in simulated ms: a request sent longer than this before the newest one is
/// dropped from the queue (it is still counted) when nobody drained it in time.
///
/// The page drains every frame and draws only the last 10 s (its share window), and the
/// console's `sleep` drains in slices of this length, so neither loses a request; a
/// program that steps the world for an hour without draining keeps 10 s of requests, not
/// an hour's. So the queue is bounded by time, whatever the number of requests sent.
pub const PENDING_REQUESTS_WINDOW_MILLIS: u64 = 10_000;

/// A backstop under the window: the most requests the queue holds, for a world whose
/// clients together send more than 10,000 a second (imported client pods are not held
/// to a share link's `MAX_TOTAL_RATE`); the oldest go first.
pub const MAX_PENDING_REQUESTS: usize = 100_000;

/// How deep a chain of upstream calls goes before a call is given up (a loop of apps
/// calling each other would otherwise never end; a real one ends in timeouts).
pub const MAX_CHAIN_DEPTH: usize = 8;

/// What the app at the other end answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// An HTTP status (gRPC's OK is 200).
    Status(u16),
    /// The server does not speak the client's protocol (gRPC to an HTTP server, or
    /// HTTP to a gRPC port): the exchange fails and the connection closes.
    ProtocolError,
}

/// Which connection carried a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnUse {
    /// The connection (unique in the world's run).
    pub id: u64,
    /// Whether it was opened for this request (DNS and kube-proxy's rules ran).
    pub opened: bool,
}

/// One request a client (or an app calling its upstream) sent, for counters and the
/// animation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// When it was sent.
    pub at: SimTime,
    /// The client that sent it (a pod's name for a client pod or an app's upstream
    /// call, the user's name outside).
    pub client: String,
    /// The Service its target names, when it names one.
    pub service: Option<NamespacedName>,
    /// The address and port connected to; `None` when there was nothing to address.
    pub dst: Option<(IpAddr, u16)>,
    /// The path of its connection's first packet (DNS, kube-proxy, NAT, the pod);
    /// shared by every request on the connection. `None` when nothing was sent.
    pub trace: Option<Arc<Trace>>,
    /// What happened to the connection (the pod, IP and node that served it).
    pub outcome: Outcome,
    /// What the app answered, when the connection reached one.
    pub answer: Option<Answer>,
    /// The connection that carried it, when one was open.
    pub connection: Option<ConnUse>,
    /// The calls the serving app made to its upstreams for this request, in order.
    pub upstream: Vec<Request>,
}

impl Request {
    /// The pod that served it, if one did.
    pub fn pod(&self) -> Option<&NamespacedName> {
        self.outcome.pod()
    }

    /// The name of the Service its target names (`""` when it names none).
    pub fn service_name(&self) -> &str {
        self.service.as_ref().map_or("", |s| s.name.as_str())
    }

    /// Whether it succeeded as the client counts success: a 2xx answer.
    pub fn ok(&self) -> bool {
        matches!(self.answer, Some(Answer::Status(s)) if (200..300).contains(&s))
    }

    /// The code fortio reports for it: the HTTP status, or -1 for a socket error (a
    /// refused, reset, timed-out or unresolved connection, or a protocol error).
    pub fn code(&self) -> i32 {
        match self.answer {
            Some(Answer::Status(s)) => i32::from(s),
            _ => -1,
        }
    }
}

/// Counters per pod and per Service.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stats {
    served: BTreeMap<NamespacedName, u64>,
    refused: BTreeMap<NamespacedName, u64>,
    dropped: BTreeMap<NamespacedName, u64>,
    unreachable: BTreeMap<NamespacedName, u64>,
    unresolved: BTreeMap<NamespacedName, u64>,
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
    pub(crate) fn unresolved(&self, svc: &NamespacedName) -> u64 {
        self.unresolved.get(svc).copied().unwrap_or(0)
    }

    /// A pod is gone: its counter goes with it.
    pub(crate) fn forget_pod(&mut self, pod: &NamespacedName) {
        self.served.remove(pod);
    }

    /// Counts a request and the upstream calls made for it.
    fn count(&mut self, req: &Request) {
        for up in &req.upstream {
            self.count(up);
        }
        let map = match &req.outcome {
            Outcome::Served { pod: Some(p), .. } => {
                if let Some(n) = self.served.get_mut(&**p) {
                    *n += 1;
                } else {
                    self.served.insert((**p).clone(), 1);
                }
                return;
            }
            Outcome::Refused(_) => &mut self.refused,
            // A host the sender's resolver could not find is a DNS failure, not a
            // Service the outside cannot get into.
            Outcome::Unreachable(_) if req.unresolved().is_some() => &mut self.unresolved,
            Outcome::Unreachable(_) => &mut self.unreachable,
            Outcome::Served { pod: None, .. } | Outcome::Dropped(_) => &mut self.dropped,
        };
        if let Some(s) = &req.service {
            *map.entry(s.clone()).or_default() += 1;
        }
    }
}

/// The clients, the apps' upstream connections, the counters, and the requests not
/// yet drained.
#[derive(Debug, Clone, Default)]
pub(crate) struct Traffic {
    clients: Vec<Client>,
    /// Each app's connection to each of its upstreams: `(pod, container, upstream)`.
    pub(crate) upstreams: BTreeMap<(NamespacedName, usize, usize), conns::Slot>,
    /// The next connection id.
    next_conn: u64,
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
        let sent = req.at.as_millis();
        while self
            .outbox
            .front()
            .is_some_and(|old| old.at.as_millis() + PENDING_REQUESTS_WINDOW_MILLIS < sent)
        {
            self.outbox.pop_front();
        }
        if self.outbox.len() >= MAX_PENDING_REQUESTS {
            self.outbox.pop_front();
        }
        self.outbox.push_back(req);
    }
}

#[cfg(test)]
mod tests;
