//! Reprogramming one Service at a time, as kube-proxy's change trackers do.
//!
//! kube-proxy accumulates Service and EndpointSlice changes per `ServicePortName`
//! (`ServiceChangeTracker`, `EndpointsChangeTracker`) and applies only those on the
//! next sync. [`Dataplane::update_service`] and [`Dataplane::remove_service`] do the
//! same here: the cost is that Service's ports × nodes, whatever the number of other
//! Services. Ports live in a dense vector; a removed port's slot is filled by the last
//! one (whose index entries are moved), so routing stays a few hash lookups.
//!
//! Upstream: kubernetes/kubernetes `pkg/proxy/servicechangetracker.go`,
//! `pkg/proxy/endpointschangetracker.go`.
//! Simplification: upstream still rewrites every rule on each sync (iptables-restore of
//! the whole table, minus unchanged chains in partial syncs); here only the changed
//! Service's state is rebuilt.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Dataplane, Port};
use crate::apiserver::cluster_ip::Cidr;
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
            (info.cluster_ip, info.protocol, info.port),
            (slot, Capture::ClusterIp),
        );
        self.cluster_ips.insert(info.cluster_ip, slot);
        for ip in &info.external_ips {
            self.by_vip
                .insert((*ip, info.protocol, info.port), (slot, Capture::ExternalIp));
        }
        for ip in &info.load_balancer_ips {
            self.by_vip.insert(
                (*ip, info.protocol, info.port),
                (slot, Capture::LoadBalancerIp),
            );
        }
        if info.node_port != 0 {
            self.by_node_port
                .insert((info.protocol, info.node_port), slot);
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
            let k = (ip, info.protocol, info.port);
            if self.by_vip.get(&k).is_some_and(|(s, _)| *s == slot) {
                self.by_vip.remove(&k);
            }
        }
        // Ports of one Service share its ClusterIP; they are only ever removed together
        // (or moved, which re-indexes at once), so the entry may simply go.
        if self.cluster_ips.get(&info.cluster_ip) == Some(&slot) {
            self.cluster_ips.remove(&info.cluster_ip);
        }
        let np = (info.protocol, info.node_port);
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
        healthy_nodes.sort_unstable();
        healthy_nodes.dedup();
        let mut node_views = HashMap::new();
        for &n in &ep_node {
            let Ok(i) = usize::try_from(n) else { continue };
            if node_views.contains_key(&i) {
                continue;
            }
            if let Some(node) = self.nodes.get(i) {
                node_views.insert(i, categorize(&endpoints, &info, &node.info));
            }
        }
        let key = port_key(&info.name, info.protocol);
        let index = if info.affinity_timeout_secs.is_some() {
            endpoints
                .iter()
                .enumerate()
                .map(|(i, e)| ((e.ip, e.port), i))
                .collect()
        } else {
            HashMap::new()
        };
        let source_ranges = info
            .load_balancer_source_ranges
            .iter()
            .filter_map(|r| Cidr::parse(r.trim()).ok())
            .collect();
        Port {
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
