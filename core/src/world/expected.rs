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
//! splits, each weighted by the client's rate; an app that calls upstreams (fake-service)
//! sends each upstream the rate its own pod is expected to get.
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
//! will change later are taken as they are; an app's calls are expected at the rate its
//! pod is expected to be sent (its answers' failures and pauses are not foreseen). Under
//! ClientIP affinity it is the split of the clients' next new connections (their pins
//! once made; see the data plane's docs).

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
    /// the long run (only pods with a share above 0). Empty when nothing sends to the
    /// Service. Costs what [`World::expected_shares`] costs.
    pub fn expected_share(&self, service: &NamespacedName) -> PodSplit {
        self.expected_shares().remove(service).unwrap_or_default()
    }

    /// [`World::expected_share`] of every Service something sends to: the clients'
    /// splits mixed by rate, then the calls the apps of the pods they reach make to their
    /// upstreams, each at the rate its pod is expected to be sent (wave by wave, at most
    /// [`super::MAX_CHAIN_DEPTH`] deep). Costs the clients × their connections and
    /// eligible endpoints, plus the same for each app with upstreams, whatever the number
    /// of pods and Services.
    pub fn expected_shares(&self) -> BTreeMap<NamespacedName, PodSplit> {
        // Per Service: the total rate sent to it and the rate each pod is expected to get.
        let mut sums: BTreeMap<NamespacedName, (f64, PodSplit)> = BTreeMap::new();
        let mut wave: PodSplit = PodSplit::new();
        let add = |sums: &mut BTreeMap<NamespacedName, (f64, PodSplit)>,
                   wave: &mut PodSplit,
                   service: Option<&NamespacedName>,
                   rate: f64,
                   split: PodSplit| {
            if let Some(s) = service {
                sums.entry(s.clone()).or_default().0 += rate;
            }
            for (pod, p) in split {
                if let Some(s) = service {
                    *sums
                        .entry(s.clone())
                        .or_default()
                        .1
                        .entry(pod.clone())
                        .or_insert(0.0) += rate * p;
                }
                *wave.entry(pod).or_insert(0.0) += rate * p;
            }
        };
        for c in self.traffic.clients() {
            if c.load.millirate() == 0 || c.done || c.service.is_none() {
                continue;
            }
            if let Some(split) = self.client_split(c) {
                let rate = c.load.millirate() as f64;
                add(&mut sums, &mut wave, c.service.as_ref(), rate, split);
            }
        }
        for _ in 0..super::traffic::MAX_CHAIN_DEPTH {
            let mut next = PodSplit::new();
            for (pod, rate) in std::mem::take(&mut wave) {
                for (service, split) in self.upstream_splits(&pod) {
                    add(&mut sums, &mut next, service.as_ref(), rate, split);
                }
            }
            if next.is_empty() {
                break;
            }
            wave = next;
        }
        sums.into_iter()
            .filter(|(_, (total, _))| *total > 0.0)
            .map(|(s, (total, mut pods))| {
                for share in pods.values_mut() {
                    *share /= total;
                }
                pods.retain(|_, share| *share > 0.0);
                (s, pods)
            })
            .collect()
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
            let split = match &c.kind {
                ClientKind::InCluster { pod, .. } => {
                    self.new_connection_split(&src, &pod.namespace, &c.load.target)
                }
                ClientKind::External { .. } => self.outside_split(c, &src),
            };
            for (pod, p) in split {
                *out.entry(pod).or_insert(0.0) += weight * p;
            }
        }
        Some(out)
    }

    /// Where each upstream call of the apps in `pod` goes (the Service its target names,
    /// and the split by pod): its open connection's pod, or a new connection's split.
    fn upstream_splits(&self, pod: &NamespacedName) -> Vec<(Option<NamespacedName>, PodSplit)> {
        let Some(rt) = self.kubelet.get(pod) else {
            return Vec::new();
        };
        // Most pods call nothing: find that out before building the pod as a sender.
        let calls = rt.containers.iter().any(|c| {
            c.running
                && matches!(&*c.app, crate::apps::App::Server(spec) if !spec.upstreams.is_empty())
        });
        if !calls {
            return Vec::new();
        }
        let Some(src) = self.pod_sender(pod) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (ci, c) in rt.containers.iter().enumerate() {
            let crate::apps::App::Server(spec) = &*c.app else {
                continue;
            };
            if !c.running {
                continue;
            }
            for (u, target) in spec.upstreams.iter().enumerate() {
                let service = target.named_service(&pod.namespace, super::CLUSTER_DOMAIN);
                let key = (pod.clone(), ci, u);
                let split = match self.traffic.upstreams.get(&key) {
                    Some(super::traffic::Slot::Open(conn)) if conn.pod.is_some() => {
                        let p = conn.pod.as_deref().cloned().unwrap_or_default();
                        PodSplit::from([(p, 1.0)])
                    }
                    _ => self.new_connection_split(&src, &pod.namespace, target),
                };
                out.push((service, split));
            }
        }
        out
    }

    /// Where a new connection from `src` (a pod in `namespace`) to `target` goes, by pod.
    fn new_connection_split(
        &self,
        src: &proxy::Client,
        namespace: &str,
        target: &crate::apps::Target,
    ) -> PodSplit {
        let ip = match target.ip() {
            Some(ip) => ip,
            None => match self.resolve(namespace, &target.host).address {
                Some(ip) => ip,
                None => return PodSplit::new(),
            },
        };
        let pod_network = self
            .dataplane
            .config()
            .cluster_cidr
            .is_some_and(|cidr| cidr.contains(ip));
        let by_endpoint = if pod_network {
            Split::from([((ip, target.port), 1.0)])
        } else {
            self.endpoint_split(src, ip, target.port)
        };
        self.by_pod(by_endpoint)
    }

    /// The outside user's next request: the LB's ingress, else every node's nodePort.
    fn outside_split(&self, c: &Client, src: &proxy::Client) -> PodSplit {
        let Some(service) = &c.service else {
            return PodSplit::new();
        };
        let Ok((addr, _)) = self.address(service, true) else {
            return PodSplit::new();
        };
        let by_endpoint = match addr {
            Address::Fixed((dst, port)) => self.endpoint_split(src, dst, port),
            Address::NodePort(node_port) => {
                // The client cycles over every node in name order: each 1/n.
                let part = 1.0 / self.nodes.len().max(1) as f64;
                let mut out = Split::new();
                for node in self.nodes.all().values() {
                    let Ok(ip) = node.status.node_ip.parse::<IpAddr>() else {
                        continue;
                    };
                    for (ep, p) in self.endpoint_split(src, ip, node_port) {
                        *out.entry(ep).or_insert(0.0) += part * p;
                    }
                }
                out
            }
        };
        self.by_pod(by_endpoint)
    }

    fn endpoint_split(&self, src: &proxy::Client, dst: IpAddr, port: u16) -> Split {
        let req = proxy::Request {
            client: src.clone(),
            dst,
            port,
            protocol: Protocol::Tcp,
        };
        self.dataplane.expected_split(&req, self.now)
    }

    /// Endpoints to the pods holding their addresses (an endpoint whose pod is gone
    /// answers nothing: the request is dropped).
    fn by_pod(&self, by_endpoint: Split) -> PodSplit {
        let mut out = PodSplit::new();
        for ((ip, _), p) in by_endpoint {
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
