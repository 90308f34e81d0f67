//! Connections: the slots a client (or an app calling its upstream) keeps, what closes
//! them, and what the page reads of them.
//!
//! A connection closes when its client closes it (no keep-alive, the run is over, the
//! generator restarted or exited) or when the pod at the other end goes: its app exits
//! after SIGTERM, its grace period ends, its containers crash, or the pod is deleted.
//! Then the process's sockets close and the client's side learns it at its next
//! request, when it opens a new connection through the rules (a reconnect, counted in
//! its report, without an error: see the parent module).
//!
//! Simplification: a node's deletion closes nothing until its pods are collected (a
//! real client would time out against the vanished node).

use std::net::IpAddr;
use std::sync::Arc;

use super::super::World;
use super::Traffic;
use crate::objects::NamespacedName;
use crate::proxy::{Close, ConnId, Trace};
use crate::sim::SimTime;

/// One open connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conn {
    /// Its id, unique in the run.
    pub id: u64,
    /// Its conntrack entry, when kube-proxy translated it.
    pub(crate) tracked: Option<ConnId>,
    /// The pod at the other end.
    pub pod: Option<Arc<NamespacedName>>,
    /// The container of that pod that accepted it.
    pub(crate) container: usize,
    /// The pod's address and port.
    pub endpoint: (IpAddr, u16),
    /// The address and port the client connected to.
    pub dst: (IpAddr, u16),
    /// The Service it was addressed through, when its target named one.
    pub service: Option<NamespacedName>,
    /// The path its first packet took.
    pub trace: Arc<Trace>,
    /// When it was opened.
    pub opened: SimTime,
    /// Requests it has carried.
    pub requests: u64,
}

/// A connection slot of a client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Slot {
    /// No connection: the next request opens one.
    #[default]
    Idle,
    /// An established connection.
    Open(Conn),
    /// The pod closed it; the client notices at its next request and reconnects.
    Closed,
}

/// An open connection as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionView {
    /// The client holding it (a client's name, or the pod of an app calling upstream).
    pub client: String,
    /// The Service it was addressed through, when its target named one.
    pub service: Option<NamespacedName>,
    /// The pod at the other end.
    pub pod: Option<NamespacedName>,
    /// When it was opened.
    pub opened: SimTime,
    /// Requests it has carried.
    pub requests: u64,
}

impl Traffic {
    pub(super) fn next_conn_id(&mut self) -> u64 {
        let id = self.next_conn;
        self.next_conn += 1;
        id
    }
}

impl World {
    /// Every open connection of the clients and of the apps calling their upstreams, in
    /// client order.
    pub fn connections(&self) -> Vec<ConnectionView> {
        let view = |client: &str, c: &Conn| ConnectionView {
            client: client.to_owned(),
            service: c.service.clone(),
            pod: c.pod.as_deref().cloned(),
            opened: c.opened,
            requests: c.requests,
        };
        let mut out: Vec<ConnectionView> = Vec::new();
        for cl in self.traffic.clients() {
            out.extend(cl.connections().map(|c| view(&cl.name, c)));
        }
        for ((pod, _, _), slot) in &self.traffic.upstreams {
            if let Slot::Open(c) = slot {
                out.push(view(&pod.name, c));
            }
        }
        out
    }

    /// How many open connections each pod holds from clients addressing `service`.
    pub fn connections_per_pod(
        &self,
        service: &NamespacedName,
    ) -> std::collections::BTreeMap<NamespacedName, usize> {
        let mut out = std::collections::BTreeMap::new();
        for c in self.connections() {
            if c.service.as_ref() == Some(service)
                && let Some(p) = c.pod
            {
                *out.entry(p).or_insert(0) += 1;
            }
        }
        out
    }

    /// Closes connection `conn` from the client's side.
    pub(super) fn close_conn(&mut self, conn: &Conn, how: Close) {
        if let Some(id) = conn.tracked {
            self.dataplane.disconnect(id, self.now, how);
        }
    }

    /// Closes every connection of client `i` (its run ended or it restarted).
    pub(super) fn close_client(&mut self, i: usize, how: Close) {
        let slots = match self.traffic.clients.get_mut(i) {
            Some(c) => std::mem::take(&mut c.slots),
            None => return,
        };
        let n = slots.len();
        for s in &slots {
            if let Slot::Open(conn) = s {
                self.close_conn(conn, how);
            }
        }
        if let Some(c) = self.traffic.clients.get_mut(i) {
            c.slots = vec![Slot::Idle; n];
        }
    }

    /// The pod's processes stopped (its containers crashed): its generators' and apps'
    /// connections close, and every connection to it is closed by its side. A
    /// generator starts a new run when its container runs again.
    pub(crate) fn processes_stopped(&mut self, pod: &NamespacedName) {
        self.close_connections_to(pod);
        for i in self.client_indexes_of(pod) {
            self.close_client(i, Close::Fin);
            if let Some(c) = self.traffic.clients.get_mut(i) {
                c.started = None;
                c.sent = 0;
                c.done = false;
            }
        }
        self.close_upstreams_of(pod);
    }

    /// SIGTERM reached the pod: fortio and hey exit at once, closing their connections;
    /// a shell loop (PID 1 ignores SIGTERM) keeps sending until the pod is killed.
    pub(crate) fn sigterm_clients(&mut self, pod: &NamespacedName) {
        for i in self.client_indexes_of(pod) {
            let go = self.traffic.clients.get(i).is_some_and(|c| {
                matches!(
                    c.load.tool,
                    crate::apps::Tool::Fortio | crate::apps::Tool::Hey
                )
            });
            if go {
                self.close_client(i, Close::Fin);
                if let Some(c) = self.traffic.clients.get_mut(i) {
                    c.done = true;
                }
            }
        }
    }

    /// The pod is gone: connections to it close, its clients and its apps' upstream
    /// connections go with it.
    pub(crate) fn pod_gone(&mut self, pod: &NamespacedName) {
        self.close_connections_to(pod);
        for i in self.client_indexes_of(pod).into_iter().rev() {
            self.close_client(i, Close::Fin);
            self.traffic.clients.remove(i);
        }
        self.close_upstreams_of(pod);
    }

    fn client_indexes_of(&self, pod: &NamespacedName) -> Vec<usize> {
        self.traffic
            .clients()
            .iter()
            .enumerate()
            .filter(|(_, c)| c.pod() == Some(pod))
            .map(|(i, _)| i)
            .collect()
    }

    /// Every connection whose other end is `pod` is closed by the pod's side.
    fn close_connections_to(&mut self, pod: &NamespacedName) {
        let now = self.now;
        let at_pod = |c: &Conn| c.pod.as_deref() == Some(pod);
        let mut closed: Vec<ConnId> = Vec::new();
        let mark = |slot: &mut Slot, closed: &mut Vec<ConnId>| {
            if let Slot::Open(c) = slot
                && at_pod(c)
            {
                closed.extend(c.tracked);
                *slot = Slot::Closed;
            }
        };
        for client in &mut self.traffic.clients {
            for slot in &mut client.slots {
                mark(slot, &mut closed);
            }
        }
        for slot in self.traffic.upstreams.values_mut() {
            mark(slot, &mut closed);
        }
        for id in closed {
            self.dataplane.disconnect(id, now, Close::Fin);
        }
    }

    /// The upstream connections `pod`'s apps hold are closed and forgotten.
    fn close_upstreams_of(&mut self, pod: &NamespacedName) {
        let keys: Vec<(NamespacedName, usize, usize)> = self
            .traffic
            .upstreams
            .range((pod.clone(), 0, 0)..)
            .take_while(|((p, _, _), _)| p == pod)
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            if let Some(Slot::Open(c)) = self.traffic.upstreams.remove(&k) {
                self.close_conn(&c, Close::Fin);
            }
        }
    }
}
