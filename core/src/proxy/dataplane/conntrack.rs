//! Connection tracking: kube-proxy's rules run for the first packet of a connection
//! only; the kernel's conntrack table remembers the translation it chose, and every
//! later packet of the connection follows it to the same endpoint without passing the
//! rules again. So an established connection stays on its pod when the Service scales
//! up, when its endpoint turns not ready or terminating, or when the rules change; it
//! ends when either side closes it (FIN) or resets it (RST).
//!
//! [`Dataplane::connect`] routes a new connection ([`Dataplane::route`]) and records it;
//! [`Dataplane::disconnect`] removes it (and, under IPVS `lc`, moves its count from
//! active to inactive). The table holds only connections kube-proxy translated: a
//! connection straight to a pod's address is not NATed and leaves nothing here.
//!
//! Upstream: torvalds/linux@48f4e7f7 `net/netfilter/nf_conntrack_core.c`, the kernel's
//! `nf_conntrack` (iptables and nftables modes) and IPVS's own
//! connection table (`ip_vs_conn.c`); kube-proxy's rules match `ctstate NEW` only
//! through the `nat` table (kubernetes/kubernetes `pkg/proxy/iptables/proxier.go`).
//! Simplification: entries do not time out (`nf_conntrack_tcp_timeout_established` is
//! 5 days, IPVS's established timeout 15 min of silence; the playground's connections
//! carry traffic or are closed); kube-proxy's clearing of stale UDP entries is not
//! modelled, as the playground's clients speak TCP.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::Arc;

use super::{ConnRef, Dataplane};
use crate::objects::NamespacedName;
use crate::proxy::balance::{Close, IpvsScheduler, ProxyMode};
use crate::proxy::trace::{Outcome, Request, Trace};
use crate::sim::{SimRng, SimTime};

/// A tracked connection's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConnId(pub u64);

/// One tracked connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracked {
    /// Where its balancing slot is (node, virtual server, endpoint).
    pub conn: ConnRef,
    /// The pod behind the endpoint, when the endpoint names one.
    pub pod: Option<Arc<NamespacedName>>,
    /// The original source address.
    pub src: IpAddr,
    /// When it was opened.
    pub opened: SimTime,
    /// Whether IPVS `lc` counts it (it was opened under `lc`).
    pub counted: bool,
}

/// The connections kube-proxy has translated and that are still open.
#[derive(Debug, Clone, Default)]
pub struct Conntrack {
    next: u64,
    entries: HashMap<ConnId, Tracked>,
}

impl Conntrack {
    /// How many connections are open.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// One connection.
    pub fn get(&self, id: ConnId) -> Option<&Tracked> {
        self.entries.get(&id)
    }

    /// Open connections per endpoint `(IP, port)`.
    pub fn per_endpoint(&self) -> BTreeMap<(IpAddr, u16), usize> {
        let mut out = BTreeMap::new();
        for t in self.entries.values() {
            *out.entry(t.conn.ep).or_insert(0) += 1;
        }
        out
    }
}

impl ConnRef {
    /// The endpoint `(IP, port)` the connection was translated to.
    pub fn endpoint(&self) -> (IpAddr, u16) {
        self.ep
    }
}

impl Dataplane {
    /// Opens a connection: routes its first packet through the rules and, when an
    /// endpoint serves it, records the translation. Returns the path and the id to
    /// [`Dataplane::disconnect`] it with.
    pub fn connect(
        &mut self,
        req: &Request,
        now: SimTime,
        rng: &mut SimRng,
    ) -> (Trace, Option<ConnId>) {
        let (trace, conn) = self.route(req, now, rng);
        let Some(conn) = conn else {
            return (trace, None);
        };
        let pod = match &trace.outcome {
            Outcome::Served { pod, .. } => pod.clone(),
            _ => None,
        };
        let src = match &req.client {
            crate::proxy::Client::Pod { ip, .. } | crate::proxy::Client::External { ip } => *ip,
            crate::proxy::Client::Node { .. } => self.source(&req.client).0,
        };
        let counted = self.config.mode == ProxyMode::Ipvs(IpvsScheduler::Lc);
        let ct = &mut self.conntrack;
        let id = ConnId(ct.next);
        ct.next += 1;
        ct.entries.insert(
            id,
            Tracked {
                conn,
                pod,
                src,
                opened: now,
                counted,
            },
        );
        (trace, Some(id))
    }

    /// Closes a tracked connection at `now` (no-op for an unknown id).
    pub fn disconnect(&mut self, id: ConnId, now: SimTime, how: Close) {
        if let Some(t) = self.conntrack.entries.remove(&id)
            && t.counted
        {
            self.close(t.conn, now, how);
        }
    }

    /// The open connections.
    pub fn conntrack(&self) -> &Conntrack {
        &self.conntrack
    }

    /// Releases a connection's balancing slot (counted only under IPVS `lc`).
    pub fn close(&mut self, conn: ConnRef, now: SimTime, how: Close) {
        if self.config.mode != ProxyMode::Ipvs(IpvsScheduler::Lc) {
            return;
        }
        if let Some(n) = self.nodes.get_mut(conn.node)
            && let Some(st) = n.balance.get_mut(&(conn.key, conn.local))
        {
            st.closed(conn.ep, now, how);
        }
    }
}
