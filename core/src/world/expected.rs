//! The share of a Service's requests each pod is expected to serve in the long run,
//! given the data plane, the clients and their connections as they are now.
//!
//! A client spreads its rate evenly over its connection slots (round robin, as fortio's
//! threads and hey's workers each take their share). A slot holding an established
//! connection sends everything to that connection's pod: requests on it never pass
//! kube-proxy's rules again (conntrack). A slot without one — every request of a client
//! without keep-alive, a connection not yet opened, one its pod closed — goes where a
//! new connection goes: the client's target resolved as its pod's resolver does, then
//! to the pod holding a pod address, or through the data plane
//! ([`crate::proxy::Dataplane::expected_split`], which mirrors kube-proxy's
//! `CategorizeEndpoints` and the proxy mode's choice, IPVS `lc` reading the active and
//! inactive connections it counts). An outside client addresses the LB's ingress IP
//! (the cloud LB then picks a node), else every node's IP at the nodePort in turn
//! (each node an equal part). The Service's expectation is the mix of its clients'
//! splits, each weighted by the client's rate.
//!
//! So a gRPC client with one connection is expected to stay 100 % on its pod after a
//! scale-up until it reconnects, while a client opening a connection per request is
//! expected to spread over every ready pod.
//!
//! The shares sum to at most 1: the rest is what is expected to be refused, dropped or
//! unreachable (e.g. nodePort traffic entering a node with no local endpoint under
//! `externalTrafficPolicy: Local`).
//!
//! Simplification: the expectation is of the current state, not a forecast: a client
//! pod that cannot send yet weighs nothing, and readiness, pins and connections that
//! will change later are taken as they are. The calls apps make to their upstreams are
//! not part of any expectation. Under ClientIP affinity it is the split of the clients'
//! next new connections (their pins once made; see the data plane's docs).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::World;
use super::traffic::address::Address;
use super::traffic::{Client, ClientKind};
use crate::objects::{NamespacedName, Protocol};
use crate::proxy::{self, Split};

/// Pod → probability.
type PodSplit = BTreeMap<NamespacedName, f64>;

impl World {
    /// Pod name → the share of `service`'s requests that pod is expected to serve in
    /// the long run (only pods with a share above 0). Empty when no client sends to the
    /// Service. Costs the Service's clients × their connections and eligible endpoints,
    /// whatever the number of pods and Services.
    pub fn expected_share(&self, service: &NamespacedName) -> PodSplit {
        self.mix(
            self.traffic
                .clients()
                .iter()
                .filter(|c| c.service.as_ref() == Some(service)),
        )
    }

    /// [`World::expected_share`] of every Service some client sends to, in one pass over
    /// the clients.
    pub fn expected_shares(&self) -> BTreeMap<NamespacedName, PodSplit> {
        let mut by_service: BTreeMap<&NamespacedName, Vec<&Client>> = BTreeMap::new();
        for c in self.traffic.clients() {
            if let Some(s) = &c.service {
                by_service.entry(s).or_default().push(c);
            }
        }
        by_service
            .into_iter()
            .map(|(s, clients)| (s.clone(), self.mix(clients.into_iter())))
            .collect()
    }

    /// The rate-weighted mix of the clients' splits, by pod.
    fn mix<'a>(&self, clients: impl Iterator<Item = &'a Client>) -> PodSplit {
        let mut total = 0.0;
        let mut out = PodSplit::new();
        for c in clients.filter(|c| c.load.millirate() > 0 && !c.done) {
            let Some(split) = self.client_split(c) else {
                continue;
            };
            let rate = c.load.millirate() as f64;
            total += rate;
            for (pod, p) in split {
                *out.entry(pod).or_insert(0.0) += rate * p;
            }
        }
        if total <= 0.0 {
            return PodSplit::new();
        }
        for share in out.values_mut() {
            *share /= total;
        }
        out.retain(|_, share| *share > 0.0);
        out
    }

    /// Where one client's requests go; `None` while it cannot send at all.
    fn client_split(&self, c: &Client) -> Option<PodSplit> {
        let src = self.client_sender(c)?;
        let slots = c.slots.len().max(1);
        let open: Vec<&NamespacedName> = c
            .connections()
            .filter_map(|conn| conn.pod.as_deref())
            .collect();
        let part = 1.0 / slots as f64;
        let mut out = PodSplit::new();
        for pod in &open {
            *out.entry((*pod).clone()).or_insert(0.0) += part;
        }
        let unpinned = slots.saturating_sub(open.len());
        if unpinned > 0 {
            let weight = unpinned as f64 * part;
            for (pod, p) in self.new_connection_split(c, &src) {
                *out.entry(pod).or_insert(0.0) += weight * p;
            }
        }
        Some(out)
    }

    /// Where a new connection of the client goes, by pod.
    fn new_connection_split(&self, c: &Client, src: &proxy::Client) -> PodSplit {
        let split = |dst: IpAddr, port: u16| {
            let req = proxy::Request {
                client: src.clone(),
                dst,
                port,
                protocol: Protocol::Tcp,
            };
            self.dataplane.expected_split(&req, self.now)
        };
        let by_endpoint: Split = match &c.kind {
            ClientKind::InCluster { pod, .. } => {
                let ip = match c.load.target.ip() {
                    Some(ip) => ip,
                    None => match self.resolve(&pod.namespace, &c.load.target.host).address {
                        Some(ip) => ip,
                        None => return PodSplit::new(),
                    },
                };
                let pod_network = self
                    .dataplane
                    .config()
                    .cluster_cidr
                    .is_some_and(|cidr| cidr.contains(ip));
                if pod_network {
                    Split::from([((ip, c.load.target.port), 1.0)])
                } else {
                    split(ip, c.load.target.port)
                }
            }
            ClientKind::External { .. } => {
                let Some(service) = &c.service else {
                    return PodSplit::new();
                };
                let Ok((addr, _)) = self.address(service, true) else {
                    return PodSplit::new();
                };
                match addr {
                    Address::Fixed((dst, port)) => split(dst, port),
                    Address::NodePort(node_port) => {
                        // The client cycles over every node in name order: each 1/n.
                        let part = 1.0 / self.nodes.len().max(1) as f64;
                        let mut out = Split::new();
                        for node in self.nodes.all().values() {
                            let Ok(ip) = node.status.node_ip.parse::<IpAddr>() else {
                                continue;
                            };
                            for (ep, p) in split(ip, node_port) {
                                *out.entry(ep).or_insert(0.0) += part * p;
                            }
                        }
                        out
                    }
                }
            }
        };
        let mut out = PodSplit::new();
        for ((ip, _), p) in by_endpoint {
            // An endpoint whose pod is gone answers nothing: the request is dropped.
            let IpAddr::V4(v4) = ip else { continue };
            if let Some(pod) = self.pods.by_ip(v4) {
                *out.entry(pod.clone()).or_insert(0.0) += p;
            }
        }
        out
    }
}

#[cfg(test)]
#[path = "expected_tests.rs"]
mod tests;
