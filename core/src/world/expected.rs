//! The share of a Service's requests each pod is expected to serve in the long run,
//! given the data plane and the clients as they are now.
//!
//! Each client that can send is followed the way its requests are (see `traffic`): an
//! in-cluster client addresses the ClusterIP from its pod's node; an outside client
//! the LB's ingress IP (the cloud LB then picks a node), else every node's IP at the
//! nodePort in turn (each node an equal part), else nothing. On the node the data plane
//! decides which endpoints are eligible and how they are picked
//! ([`crate::proxy::Dataplane::expected_split`], which mirrors kube-proxy's
//! `CategorizeEndpoints` and the proxy mode's choice). The Service's expectation is the
//! mix of its clients' splits, each weighted by the client's rate.
//!
//! The shares sum to at most 1: the rest is what is expected to be refused, dropped or
//! unreachable (e.g. nodePort traffic entering a node with no local endpoint under
//! `externalTrafficPolicy: Local`).
//!
//! Simplification: the expectation is of the current state, not a forecast: a client
//! pod that cannot send yet weighs nothing, and readiness or pins that will change later
//! are taken as they are. Under ClientIP affinity it is the split of the clients' next
//! requests (their pins once made; see the data plane's docs).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::World;
use super::traffic::address::Address;
use super::traffic::{Client, ClientKind};
use crate::objects::NamespacedName;
use crate::proxy::{self, Split};

impl World {
    /// Pod name → the share of `service`'s requests that pod is expected to serve in
    /// the long run (only pods with a share above 0). Empty when no client sends to the
    /// Service. Costs the Service's clients × their eligible endpoints (× the nodes for
    /// an outside client on a nodePort), whatever the number of pods and Services.
    pub fn expected_share(&self, service: &NamespacedName) -> BTreeMap<NamespacedName, f64> {
        self.mix(
            self.traffic
                .clients()
                .iter()
                .filter(|c| c.service == *service),
        )
    }

    /// [`World::expected_share`] of every Service some client sends to, in one pass over
    /// the clients.
    pub fn expected_shares(&self) -> BTreeMap<NamespacedName, BTreeMap<NamespacedName, f64>> {
        let mut by_service: BTreeMap<&NamespacedName, Vec<&Client>> = BTreeMap::new();
        for c in self.traffic.clients() {
            by_service.entry(&c.service).or_default().push(c);
        }
        by_service
            .into_iter()
            .map(|(s, clients)| (s.clone(), self.mix(clients.into_iter())))
            .collect()
    }

    /// The rate-weighted mix of the clients' splits, by pod.
    fn mix<'a>(&self, clients: impl Iterator<Item = &'a Client>) -> BTreeMap<NamespacedName, f64> {
        let mut total = 0.0;
        let mut by_endpoint = Split::new();
        for c in clients.filter(|c| c.rate_per_sec > 0) {
            let Some(split) = self.client_split(c) else {
                continue;
            };
            let rate = f64::from(c.rate_per_sec);
            total += rate;
            for (ep, p) in split {
                *by_endpoint.entry(ep).or_insert(0.0) += rate * p;
            }
        }
        let mut out = BTreeMap::new();
        if total <= 0.0 {
            return out;
        }
        for ((ip, _), weight) in by_endpoint {
            // An endpoint whose pod is gone answers nothing: the request is dropped.
            let IpAddr::V4(v4) = ip else { continue };
            if let Some(pod) = self.pods.by_ip(v4) {
                *out.entry(pod.clone()).or_insert(0.0) += weight / total;
            }
        }
        out.retain(|_, share| *share > 0.0);
        out
    }

    /// Where one client's requests go; `None` while it cannot send at all.
    fn client_split(&self, c: &Client) -> Option<Split> {
        let src = self.sender(&c.kind)?;
        let external = matches!(c.kind, ClientKind::External { .. });
        let Ok((addr, protocol)) = self.address(&c.service, external) else {
            // Sent, but to nowhere: every request is unreachable.
            return Some(Split::new());
        };
        let split = |dst: IpAddr, port: u16| {
            let req = proxy::Request {
                client: src.clone(),
                dst,
                port,
                protocol: protocol.clone(),
            };
            self.dataplane.expected_split(&req, self.now)
        };
        Some(match addr {
            Address::Fixed((dst, port)) => split(dst, port),
            Address::NodePort(node_port) => {
                // The client cycles over every node in name order: each gets 1/n.
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
        })
    }
}

#[cfg(test)]
#[path = "expected_tests.rs"]
mod tests;
