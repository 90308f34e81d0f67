//! The nodes and what is kept per node: the pod-IP allocator of its pod CIDR, the
//! scheduler's load index, and indexes of node IPs and pod CIDRs so that a new node is
//! checked against the others in O(log n), not by scanning them.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use crate::objects::Node;

/// Host-local IPAM for one node's pod CIDR: hosts `.2` up to the last but one (`.254`
/// in a /24), handed out round-robin from after the last one given, so a replacement
/// pod gets a new IP.
#[derive(Debug, Clone)]
pub(crate) struct NodeIpam {
    base: u32,
    /// The highest host number handed out (254 in a /24).
    last: u32,
    cursor: u32,
    used: BTreeSet<u32>,
}

impl NodeIpam {
    /// The IPAM of the range `base/prefix` (`base` is the network address).
    pub(crate) fn new(base: u32, prefix: u8) -> Self {
        let size = 1u32.checked_shl(32 - u32::from(prefix)).unwrap_or(u32::MAX);
        NodeIpam {
            base,
            last: size.saturating_sub(2).max(2),
            cursor: 2,
            used: BTreeSet::new(),
        }
    }

    pub(crate) fn allocate(&mut self) -> Option<Ipv4Addr> {
        for _ in 2..=self.last {
            let host = self.cursor;
            self.cursor = if host >= self.last { 2 } else { host + 1 };
            if self.used.insert(host) {
                return Some(Ipv4Addr::from(self.base + host));
            }
        }
        None
    }

    pub(crate) fn release(&mut self, ip: Ipv4Addr) {
        if let Some(host) = u32::from(ip).checked_sub(self.base) {
            self.used.remove(&host);
        }
    }
}

/// Every node, with its IPAM and the indexes the scheduler and node checks use.
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeStore {
    nodes: BTreeMap<String, Node>,
    /// How many nodes were ever added: node `i` gets the `i`-th default IP and CIDR.
    pub(crate) added: u32,
    ipam: BTreeMap<String, NodeIpam>,
    /// (bound pods, node) for every ready, schedulable node: the scheduler's index.
    load: BTreeSet<(usize, String)>,
    by_ip: BTreeMap<Ipv4Addr, String>,
    /// Pod CIDRs by first address: (last address, node).
    cidrs: BTreeMap<u32, (u32, String)>,
    /// Nodes that joined as the cluster's own machines (not objects a user applied).
    pub(crate) provisioned: BTreeSet<String>,
}

impl NodeStore {
    /// Every node by name.
    pub(crate) fn all(&self) -> &BTreeMap<String, Node> {
        &self.nodes
    }

    /// One node.
    pub(crate) fn get(&self, name: &str) -> Option<&Node> {
        self.nodes.get(name)
    }

    /// Whether the node exists.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.nodes.contains_key(name)
    }

    /// How many nodes there are.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The node holding `ip`, if any.
    pub(crate) fn with_ip(&self, ip: Ipv4Addr) -> Option<&str> {
        self.by_ip.get(&ip).map(String::as_str)
    }

    /// The node whose pod CIDR overlaps `[first, last]` at the lowest address, if any.
    pub(crate) fn cidr_overlap(&self, first: u32, last: u32) -> Option<&str> {
        // Ranges never overlap each other, so at most one starts below `first` and
        // reaches into it: the one starting just below. Otherwise the first range
        // starting inside [first, last] is the answer.
        if let Some((_, (end, node))) = self.cidrs.range(..first).next_back()
            && *end >= first
        {
            return Some(node);
        }
        self.cidrs
            .range(first..=last)
            .next()
            .map(|(_, (_, node))| node.as_str())
    }

    /// Inserts a node (checked by the caller) with its pod CIDR `base/prefix`, and
    /// `pods` already bound to it.
    pub(crate) fn insert(&mut self, node: Node, ip: Ipv4Addr, base: u32, prefix: u8, pods: usize) {
        let name = node.metadata.name.clone();
        let size = 1u32.checked_shl(32 - u32::from(prefix)).unwrap_or(u32::MAX);
        self.ipam.insert(name.clone(), NodeIpam::new(base, prefix));
        self.by_ip.insert(ip, name.clone());
        self.cidrs.insert(
            base,
            (base.saturating_add(size.saturating_sub(1)), name.clone()),
        );
        if !node.spec.unschedulable {
            self.load.insert((pods, name.clone()));
        }
        self.added += 1;
        self.nodes.insert(name, node);
    }

    /// Removes a node and everything kept for it.
    pub(crate) fn remove(&mut self, name: &str) -> Option<Node> {
        let node = self.nodes.remove(name)?;
        self.provisioned.remove(name);
        self.ipam.remove(name);
        self.load.retain(|(_, n)| n != name);
        if let Ok(ip) = node.status.node_ip.parse::<Ipv4Addr>() {
            self.by_ip.remove(&ip);
        }
        self.cidrs.retain(|_, (_, n)| n != name);
        Some(node)
    }

    /// Cordons or uncordons a node (`spec.unschedulable`); `pods` bound to it now.
    pub(crate) fn set_unschedulable(&mut self, name: &str, unschedulable: bool, pods: usize) {
        let Some(node) = self.nodes.get_mut(name) else {
            return;
        };
        node.spec.unschedulable = unschedulable;
        self.load.retain(|(_, n)| n != name);
        if !unschedulable {
            self.load.insert((pods, name.to_owned()));
        }
    }

    /// A new IP from the node's pod CIDR.
    pub(crate) fn allocate_ip(&mut self, node: &str) -> Option<Ipv4Addr> {
        self.ipam.get_mut(node)?.allocate()
    }

    /// Returns a pod IP to its node's pool.
    pub(crate) fn release_ip(&mut self, node: &str, ip: Ipv4Addr) {
        if let Some(ipam) = self.ipam.get_mut(node) {
            ipam.release(ip);
        }
    }

    /// The schedulable node with the fewest pods (ties by name), and its count.
    pub(crate) fn least_loaded(&self) -> Option<&(usize, String)> {
        self.load.first()
    }

    /// The schedulable node with the fewest pods (ties by name) that `pred` accepts.
    pub(crate) fn least_loaded_where(
        &self,
        pred: impl Fn(&Node) -> bool,
    ) -> Option<&(usize, String)> {
        self.load
            .iter()
            .find(|(_, n)| self.nodes.get(n).is_some_and(&pred))
    }

    /// Moves a node's count in the load index from `before` to `after` pods.
    pub(crate) fn adjust_load(&mut self, node: &str, before: usize, after: usize) {
        if self.load.remove(&(before, node.to_owned())) {
            self.load.insert((after, node.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn ipam_hands_out_new_addresses_round_robin() {
        let base = u32::from(Ipv4Addr::new(10, 244, 1, 0));
        let mut ipam = NodeIpam::new(base, 24);
        let a = ipam.allocate();
        let b = ipam.allocate();
        assert_eq!(
            (a, b),
            (
                Some(Ipv4Addr::new(10, 244, 1, 2)),
                Some(Ipv4Addr::new(10, 244, 1, 3))
            )
        );
        ipam.release(Ipv4Addr::new(10, 244, 1, 2));
        assert_eq!(
            ipam.allocate(),
            Some(Ipv4Addr::new(10, 244, 1, 4)),
            "a freed address is not reused at once"
        );
        for _ in 0..251 {
            ipam.allocate();
        }
        assert_eq!(ipam.allocate(), None, "a /24 holds 253 pods");
    }

    #[test]
    fn cidr_overlap_finds_ranges_on_either_side() {
        let mut s = NodeStore::default();
        let mut n = Node::default();
        n.metadata.name = "a".into();
        let base = u32::from(Ipv4Addr::new(10, 244, 1, 0));
        s.insert(n, Ipv4Addr::new(192, 168, 0, 10), base, 24, 0);
        let within = u32::from(Ipv4Addr::new(10, 244, 1, 128));
        assert_eq!(s.cidr_overlap(within, within + 63), Some("a"));
        let wider = u32::from(Ipv4Addr::new(10, 244, 0, 0));
        assert_eq!(s.cidr_overlap(wider, wider + 65_535), Some("a"));
        let next = u32::from(Ipv4Addr::new(10, 244, 2, 0));
        assert_eq!(s.cidr_overlap(next, next + 255), None);
        let before = u32::from(Ipv4Addr::new(10, 243, 255, 0));
        assert_eq!(s.cidr_overlap(before, before + 255), None);
    }
}
