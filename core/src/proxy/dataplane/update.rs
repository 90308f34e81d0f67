//! Reprogramming one Service at a time, as kube-proxy's change trackers do.
//!
//! kube-proxy accumulates Service and EndpointSlice changes per `ServicePortName`
//! (`ServiceChangeTracker`, `EndpointsChangeTracker`) and applies only those on the
//! next sync. [`Dataplane::update_service`] and [`Dataplane::remove_service`] do the
//! same here: the cost is that Service's ports × nodes, whatever the number of other
//! Services. Ports live in a dense vector; a removed port's slot is filled by the last
//! one (whose index entries are moved), so routing stays a few hash lookups.
//!
//! Upstream: kubernetes/kubernetes@008b3652 `pkg/proxy/servicechangetracker.go`,
//! `pkg/proxy/endpointschangetracker.go`.
//! Simplification: upstream still rewrites every rule on each sync (iptables-restore of
//! the whole table, minus unchanged chains in partial syncs); here only the changed
//! Service's state is rebuilt.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Dataplane, Port};
use crate::proxy::categorize::{Categorized, categorize, categorize_with};
use crate::proxy::chain_names::port_key;
use crate::proxy::trace::Capture;
use crate::proxy::types::{Endpoint, ServicePortInfo};

impl Dataplane {
    /// Replaces every programmed port of the Service `namespace/name` with `ports`
    /// (each with the endpoints its EndpointSlices list). Affinity pins and balancing
    /// state are kept (they are keyed by port name). An empty `ports` removes it.
    pub fn update_service(
        &mut self,
        namespace: &str,
        name: &str,
        ports: Vec<(ServicePortInfo, Vec<Endpoint>)>,
    ) {
        self.remove_service(namespace, name);
        for (info, endpoints) in ports {
            let port = self.build_port(info, endpoints);
            self.push_port(port);
        }
    }

    /// Removes every programmed port of the Service `namespace/name` (no-op when none).
    pub fn remove_service(&mut self, namespace: &str, name: &str) {
        let key = (namespace.to_owned(), name.to_owned());
        let Some(mut slots) = self.by_service.remove(&key) else {
            return;
        };
        slots.sort_unstable();
        // Highest first: the port moved into a freed slot is never one of these.
        for slot in slots.into_iter().rev() {
            self.remove_slot(slot);
        }
    }

    /// How many service ports are programmed.
    pub fn port_count(&self) -> usize {
        self.ports.len()
    }

    fn remove_slot(&mut self, slot: usize) {
        self.unindex_port(slot);
        let last = self.ports.len().saturating_sub(1);
        if slot == last {
            self.ports.pop();
            return;
        }
        self.unindex_port(last);
        self.ports.swap_remove(slot);
        self.index_port(slot);
        if let Some(p) = self.ports.get(slot) {
            let key = (p.info.name.namespace.clone(), p.info.name.name.clone());
            if let Some(v) = self.by_service.get_mut(&key) {
                v.iter_mut().filter(|i| **i == last).for_each(|i| *i = slot);
            }
        }
    }

    /// Appends a built port and indexes it.
    pub(super) fn push_port(&mut self, port: Port) {
        let slot = self.ports.len();
        let key = (
            port.info.name.namespace.clone(),
            port.info.name.name.clone(),
        );
        for (e, _) in port
            .endpoints
            .iter()
            .zip(&port.ep_node)
            .filter(|(_, n)| **n == u32::MAX)
        {
            self.waiting
                .entry(e.node.clone())
                .or_default()
                .insert(key.clone());
        }
        self.ports.push(port);
        self.index_port(slot);
        self.by_service.entry(key).or_default().push(slot);
    }

    /// Indexes the port at `slot` by its destinations.
    fn index_port(&mut self, slot: usize) {
        let Some(p) = self.ports.get(slot) else {
            return;
        };
        let info = &p.info;
        self.by_vip.insert(
            (info.cluster_ip, info.protocol.clone(), info.port),
            (slot, Capture::ClusterIp),
        );
        self.cluster_ips.insert(info.cluster_ip, slot);
        for ip in &info.external_ips {
            self.by_vip.insert(
                (*ip, info.protocol.clone(), info.port),
                (slot, Capture::ExternalIp),
            );
        }
        for ip in &info.load_balancer_ips {
            self.by_vip.insert(
                (*ip, info.protocol.clone(), info.port),
                (slot, Capture::LoadBalancerIp),
            );
        }
        if info.node_port != 0 {
            self.by_node_port
                .insert((info.protocol.clone(), info.node_port), slot);
        }
    }

    /// Removes the index entries that point at `slot`.
    fn unindex_port(&mut self, slot: usize) {
        let Some(p) = self.ports.get(slot) else {
            return;
        };
        let info = &p.info;
        let vips = std::iter::once(info.cluster_ip)
            .chain(info.external_ips.iter().copied())
            .chain(info.load_balancer_ips.iter().copied());
        for ip in vips {
            let k = (ip, info.protocol.clone(), info.port);
            if self.by_vip.get(&k).is_some_and(|(s, _)| *s == slot) {
                self.by_vip.remove(&k);
            }
        }
        // Ports of one Service share its ClusterIP; they are only ever removed together
        // (or moved, which re-indexes at once), so the entry may simply go.
        if self.cluster_ips.get(&info.cluster_ip) == Some(&slot) {
            self.cluster_ips.remove(&info.cluster_ip);
        }
        let np = (info.protocol.clone(), info.node_port);
        if info.node_port != 0 && self.by_node_port.get(&np) == Some(&slot) {
            self.by_node_port.remove(&np);
        }
    }

    /// Categorizes a port's endpoints for every node: `syncProxyRules` for one port.
    pub(super) fn build_port(&self, info: ServicePortInfo, endpoints: Vec<Endpoint>) -> Port {
        // Only nodes hosting an endpoint get lists of their own; every other node of a
        // zone shares that zone's, so a port costs (zones + its endpoints' nodes), not
        // every node of the cluster.
        let (uses_cluster, uses_local) =
            (info.uses_cluster_endpoints(), info.uses_local_endpoints());
        let zone_views: Vec<Categorized> = self
            .zones
            .iter()
            .map(|z| categorize_with(&endpoints, uses_cluster, uses_local, z, |_| false))
            .collect();
        let ep_node: Vec<u32> = endpoints
            .iter()
            .map(|e| {
                self.node_by_name
                    .get(&e.node)
                    .and_then(|&n| u32::try_from(n).ok())
                    .unwrap_or(u32::MAX)
            })
            .collect();
        let mut healthy_nodes: Vec<usize> = endpoints
            .iter()
            .zip(&ep_node)
            .filter(|(e, n)| e.ready && **n != u32::MAX)
            .filter_map(|(_, n)| usize::try_from(*n).ok())
            .collect();
        // In name order: the simulated LB draws from this list.
        healthy_nodes.sort_unstable();
        healthy_nodes.dedup();
        healthy_nodes.sort_by(|a, b| {
            let name = |i: &usize| self.nodes.get(*i).map(|n| &n.info.name);
            name(a).cmp(&name(b))
        });
        let mut node_views = HashMap::new();
        // Without a Local policy a node's lists depend only on its zone: the zone's
        // lists serve it, and a port costs its zones, not its endpoints' nodes.
        let hosts = if uses_local { ep_node.as_slice() } else { &[] };
        for &n in hosts {
            let Ok(i) = usize::try_from(n) else { continue };
            if node_views.contains_key(&i) {
                continue;
            }
            if let Some(node) = self.nodes.get(i) {
                node_views.insert(i, categorize(&endpoints, &info, &node.info));
            }
        }
        let key = port_key(&info.name, &info.protocol);
        let index = if info.affinity_timeout_secs.is_some() {
            endpoints
                .iter()
                .enumerate()
                .map(|(i, e)| ((e.ip, e.port), i))
                .collect()
        } else {
            HashMap::new()
        };
        let source_ranges = info.load_balancer_source_ranges.clone();
        let tally = super::patch::Tally::of(&endpoints, &ep_node);
        Port {
            tally,
            source_ranges,
            name: Arc::new(info.name.clone()),
            ep_node,
            info,
            key,
            endpoints,
            zone_views,
            node_views,
            healthy_nodes,
            index,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::net::IpAddr;

    use super::*;
    use crate::proxy::rules_iptables;
    use crate::proxy::trace::{Client, Request};
    use crate::proxy::types::{NodeInfo, Protocol};
    use crate::proxy::{ProxyConfig, Trace};
    use crate::sim::{SimRng, SimTime};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn nodes() -> Vec<NodeInfo> {
        super::super::test_fixtures::nodes(4)
    }

    fn port(name: &str, last: u8, node_port: u16, local: bool) -> ServicePortInfo {
        super::super::test_fixtures::service_port(name, last, node_port, local, None)
    }

    fn eps(hosts: &[(u8, &str)]) -> Vec<Endpoint> {
        hosts
            .iter()
            .map(|(h, n)| Endpoint::ready(IpAddr::from([10, 244, 0, *h]), 8080, n))
            .collect()
    }

    fn routes(dp: &mut Dataplane) -> Vec<Trace> {
        let mut rng = SimRng::new(3);
        let mut out = Vec::new();
        for last in 1..=3u8 {
            for n in nodes() {
                let pod = Request {
                    client: Client::Pod {
                        node: n.name.clone(),
                        ip: IpAddr::from([10, 244, 9, 9]),
                    },
                    dst: IpAddr::from([10, 96, 0, last]),
                    port: 80,
                    protocol: Protocol::Tcp,
                };
                out.push(dp.route(&pod, SimTime::ZERO, &mut rng).0);
                let outside = Request {
                    client: Client::External {
                        ip: IpAddr::from([198, 51, 100, 7]),
                    },
                    dst: n.ip,
                    port: 30000 + u16::from(last),
                    protocol: Protocol::Tcp,
                };
                out.push(dp.route(&outside, SimTime::ZERO, &mut rng).0);
            }
        }
        out
    }

    #[test]
    fn per_service_updates_end_where_a_full_sync_does() {
        let a = (port("a", 1, 30001, false), eps(&[(1, "n0"), (2, "n1")]));
        let b = (port("b", 2, 30002, true), eps(&[(3, "n2")]));
        let c = (port("c", 3, 30003, false), Vec::new());
        let mut full = Dataplane::new(ProxyConfig::default());
        full.sync(nodes(), vec![a.clone(), b.clone(), c.clone()]);

        let mut inc = Dataplane::new(ProxyConfig::default());
        inc.sync(nodes(), Vec::new());
        inc.update_service("default", "c", vec![(c.0.clone(), eps(&[(9, "n3")]))]);
        inc.update_service("default", "b", vec![b.clone()]);
        inc.update_service("default", "a", vec![(a.0.clone(), eps(&[(7, "n3")]))]);
        // Removing the first slot moves the last port into it.
        inc.remove_service("default", "c");
        inc.update_service("default", "a", vec![a.clone()]);
        inc.update_service("default", "c", vec![c.clone()]);
        assert_eq!(inc.port_count(), 3);
        for n in nodes() {
            assert_eq!(
                rules_iptables::render(&inc, &n.name),
                rules_iptables::render(&full, &n.name)
            );
        }
        assert_eq!(routes(&mut inc), routes(&mut full));
        inc.remove_service("default", "a");
        inc.remove_service("default", "b");
        inc.remove_service("default", "c");
        assert_eq!(inc.port_count(), 0);
        assert!(inc.by_vip.is_empty() && inc.by_node_port.is_empty());
        assert!(inc.cluster_ips.is_empty() && inc.by_service.is_empty());
    }
}
