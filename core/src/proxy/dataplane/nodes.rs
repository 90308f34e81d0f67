//! A node joining every node's kube-proxy, at the cost of that node alone.
//!
//! kube-proxy's `NodeManager` watches Node objects; a new node changes no other node's
//! rules except through the Services with endpoints on it (their per-node lists) and,
//! for a zone never seen before, the zone's endpoint lists. [`Dataplane::add_node`] does
//! exactly that: the node gets the next index, its place in name order, and the lists of
//! its zone; only the Services waiting for it (an endpoint already named it) are
//! rebuilt. A whole rebuild ([`Dataplane::sync`]) is left for a node that changes or
//! leaves.
//!
//! Upstream: kubernetes/kubernetes@6f137b77 `pkg/proxy/node.go` (the node handlers'
//! `OnNodeAdd`: kube-proxy reacts to one node at a time), and
//! kubernetes/kubernetes@803d40a5 `pkg/proxy/topology.go` (the per-zone lists).

use std::sync::Arc;

use super::{Dataplane, NodeState};
use crate::proxy::affinity::AffinityTable;
use crate::proxy::categorize::categorize_with;
use crate::proxy::types::NodeInfo;

impl Dataplane {
    /// A node joins (or, if one of that name is known, is replaced). Returns whether
    /// it was new.
    pub fn add_node(&mut self, info: NodeInfo) -> bool {
        if self.node_by_name.contains_key(&info.name) {
            let mut nodes: Vec<NodeInfo> = self
                .nodes
                .iter()
                .filter(|n| n.info.name != info.name)
                .map(|n| n.info.clone())
                .collect();
            nodes.push(info);
            self.resync_nodes(nodes);
            return false;
        }
        let zone_name = info.zone.clone().unwrap_or_default();
        let zone = match self.zones.iter().position(|z| *z == zone_name) {
            Some(z) => z,
            None => {
                // A new zone: every port gets that zone's lists (once per zone).
                for p in &mut self.ports {
                    let (c, l) = (
                        p.info.uses_cluster_endpoints(),
                        p.info.uses_local_endpoints(),
                    );
                    p.zone_views
                        .push(categorize_with(&p.endpoints, c, l, &zone_name, |_| false));
                }
                self.zones.push(zone_name);
                self.zones.len() - 1
            }
        };
        let id = self.nodes.len();
        let rank = self
            .by_rank
            .partition_point(|&i| self.nodes.get(i).is_some_and(|n| n.info.name < info.name));
        self.by_rank.insert(rank, id);
        self.node_by_name.insert(info.name.clone(), id);
        self.node_by_ip.insert(info.ip, id);
        let waiting = self.waiting.remove(&info.name);
        self.nodes.push(NodeState {
            name: Arc::from(info.name.as_str()),
            zone,
            info,
            affinity: AffinityTable::default(),
            balance: std::collections::HashMap::new(),
        });
        for (namespace, name) in waiting.into_iter().flatten() {
            self.rebuild_service(&namespace, &name);
        }
        true
    }

    /// Reprograms every node and port from `nodes` and the ports as they are.
    pub fn resync_nodes(&mut self, nodes: Vec<NodeInfo>) {
        let ports = std::mem::take(&mut self.ports)
            .into_iter()
            .map(|p| (p.info, p.endpoints))
            .collect();
        self.sync(nodes, ports);
    }

    /// Rebuilds a Service's ports from their own endpoints (the nodes changed).
    fn rebuild_service(&mut self, namespace: &str, name: &str) {
        let ports: Vec<_> = self
            .by_service
            .get(&(namespace.to_owned(), name.to_owned()))
            .into_iter()
            .flatten()
            .filter_map(|&slot| self.ports.get(slot))
            .map(|p| (p.info.clone(), p.endpoints.clone()))
            .collect();
        self.update_service(namespace, name, ports);
    }

    /// The node index of rank `r` in name order.
    pub(super) fn ranked(&self, r: usize) -> Option<usize> {
        self.by_rank.get(r).copied()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::net::IpAddr;

    use super::*;
    use crate::proxy::rules_iptables;
    use crate::proxy::types::{Endpoint, ServicePortInfo};
    use crate::proxy::{ProxyConfig, rules_nft};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn node(name: &str, last: u8, zone: &str) -> NodeInfo {
        NodeInfo {
            name: name.into(),
            ip: IpAddr::from([192, 168, 0, last]),
            zone: Some(zone.into()),
        }
    }

    fn port(name: &str, last: u8, local: bool) -> ServicePortInfo {
        super::super::test_fixtures::service_port(name, last, 30000 + u16::from(last), local, None)
    }

    #[test]
    fn nodes_joining_one_by_one_end_where_a_full_sync_does() {
        let eps = vec![
            Endpoint::ready(IpAddr::from([10, 244, 0, 2]), 8080, "c"),
            Endpoint::ready(IpAddr::from([10, 244, 1, 2]), 8080, "a"),
            Endpoint::ready(IpAddr::from([10, 244, 2, 2]), 8080, "zz"),
        ];
        let ports = vec![
            (port("web", 1, false), eps.clone()),
            (port("loc", 2, true), eps),
        ];
        // Out of name order, a zone appearing late, and "zz" never joining.
        let joined = [
            node("c", 12, "z1"),
            node("a", 10, "z1"),
            node("b", 11, "z2"),
        ];
        let mut inc = Dataplane::new(ProxyConfig::default());
        inc.sync(Vec::new(), ports.clone());
        for n in &joined {
            assert!(inc.add_node(n.clone()));
        }
        let mut full = Dataplane::new(ProxyConfig::default());
        full.sync(joined.to_vec(), ports);
        let names: Vec<&str> = inc.nodes().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        for n in ["a", "b", "c"] {
            assert_eq!(
                rules_iptables::render(&inc, n),
                rules_iptables::render(&full, n)
            );
            assert_eq!(rules_nft::render(&inc, n), rules_nft::render(&full, n));
        }
        // Re-adding a known node rebuilds and keeps the order.
        assert!(!inc.add_node(node("b", 20, "z3")));
        assert_eq!(
            inc.nodes().nth(1).map(|n| n.ip),
            Some(IpAddr::from([192, 168, 0, 20]))
        );
    }
}
