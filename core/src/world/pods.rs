//! Pod bookkeeping: creating, binding, starting, relabelling and removing pods, with the
//! indexes (by node, by label, by owner) and the per-node IP allocator kept in step.

use std::collections::BTreeSet;

use super::World;
use super::kubelet::PodRuntime;
use crate::error::CommandError;
use crate::objects::{Labels, Pod};

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

    fn allocate(&mut self) -> Option<String> {
        for _ in 2..=self.last {
            let host = self.cursor;
            self.cursor = if host >= self.last { 2 } else { host + 1 };
            if self.used.insert(host) {
                return Some(ipv4(self.base + host));
            }
        }
        None
    }

    fn release(&mut self, ip: &str) {
        if let Some(host) = parse_ipv4(ip).and_then(|a| a.checked_sub(self.base)) {
            self.used.remove(&host);
        }
    }
}

/// Dotted-quad text of an address.
pub(crate) fn ipv4(a: u32) -> String {
    let [x, y, z, w] = a.to_be_bytes();
    format!("{x}.{y}.{z}.{w}")
}

pub(crate) fn parse_ipv4(s: &str) -> Option<u32> {
    let mut parts = s.split('.').map(|p| p.parse::<u8>().ok());
    let mut a = [0u8; 4];
    for b in &mut a {
        *b = parts.next()??;
    }
    Some(u32::from_be_bytes(a))
}

impl World {
    /// The pod named `name`, or kubectl's `pods "x" not found`: the lookup every pod
    /// command starts with.
    pub(super) fn pod_or_not_found(&self, name: &str) -> Result<&Pod, CommandError> {
        self.pods
            .get(name)
            .ok_or_else(|| CommandError::PodNotFound {
                name: name.to_owned(),
            })
    }

    /// Inserts a new pod (Pending, unscheduled) and indexes it. The caller has checked
    /// the name is free.
    pub(super) fn insert_pod(&mut self, pod: Pod) {
        let name = pod.metadata.name.clone();
        self.index_labels(&name, &pod.metadata.labels);
        if let Some(rs) = pod.metadata.controller_of_kind("ReplicaSet") {
            self.pods_by_rs
                .entry(rs.to_owned())
                .or_default()
                .insert(name.clone());
        }
        self.kubelet.insert(name.clone(), PodRuntime::new(&pod));
        self.mark_services_for(&pod.metadata.labels);
        self.pods.insert(name.clone(), pod);
        self.unscheduled.insert(name);
        self.scheduling_dirty = true;
    }

    /// Binds a pending pod to a node and queues its start.
    pub(super) fn bind_pod(&mut self, name: &str, node: &str) {
        let Some(pod) = self.pods.get_mut(name) else {
            return;
        };
        pod.spec.node_name = node.to_owned();
        let uid = pod.metadata.uid;
        self.unscheduled.remove(name);
        self.adjust_load(node, |set| {
            set.insert(name.to_owned());
        });
        self.event("Pod", name, format!("pod {name} scheduled to node {node}"));
        self.queue.push(
            self.now.plus_millis(super::POD_START_MILLIS),
            super::kubelet::Timed::Start {
                pod: name.to_owned(),
                uid,
            },
        );
    }

    /// Gives a bound pod its IP and marks it Running.
    pub(super) fn assign_ip(&mut self, name: &str) -> Option<String> {
        let node = self.pods.get(name)?.spec.node_name.clone();
        let ip = self.ipam.get_mut(&node)?.allocate()?;
        let pod = self.pods.get_mut(name)?;
        pod.status.pod_ip = ip.clone();
        self.pods_by_ip.insert(ip.clone(), name.to_owned());
        self.mark_services_for_pod(name);
        Some(ip)
    }

    /// Removes a pod and everything that refers to it.
    pub(super) fn remove_pod(&mut self, name: &str) -> Option<Pod> {
        let pod = self.pods.remove(name)?;
        self.kubelet.remove(name);
        self.unindex_labels(name, &pod.metadata.labels);
        self.mark_services_for(&pod.metadata.labels);
        if let Some(rs) = pod.metadata.controller_of_kind("ReplicaSet") {
            if let Some(set) = self.pods_by_rs.get_mut(rs) {
                set.remove(name);
            }
            self.dirty_replica_sets.insert(rs.to_owned());
        }
        self.unscheduled.remove(name);
        let node = pod.spec.node_name.clone();
        if !node.is_empty() {
            if let Some(ipam) = self.ipam.get_mut(&node) {
                ipam.release(&pod.status.pod_ip);
            }
            self.adjust_load(&node, |set| {
                set.remove(name);
            });
            self.scheduling_dirty = true;
        }
        self.served.remove(name);
        if self
            .pods_by_ip
            .get(&pod.status.pod_ip)
            .is_some_and(|p| p == name)
        {
            self.pods_by_ip.remove(&pod.status.pod_ip);
        }
        Some(pod)
    }

    /// Replaces a pod's labels, keeping the label index and the affected Services true.
    pub(super) fn relabel_pod(&mut self, name: &str, labels: Labels) {
        let Some(old) = self.pods.get(name).map(|p| p.metadata.labels.clone()) else {
            return;
        };
        self.unindex_labels(name, &old);
        self.mark_services_for(&old);
        self.index_labels(name, &labels);
        self.mark_services_for(&labels);
        if let Some(p) = self.pods.get_mut(name) {
            p.metadata.labels = labels;
        }
    }

    /// Changes the pod's bound-pod set on its node and the scheduler's load index.
    fn adjust_load(&mut self, node: &str, change: impl FnOnce(&mut BTreeSet<String>)) {
        let set = self.pods_by_node.entry(node.to_owned()).or_default();
        let before = set.len();
        change(set);
        let after = set.len();
        if self.node_load.remove(&(before, node.to_owned())) {
            self.node_load.insert((after, node.to_owned()));
        }
    }

    fn index_labels(&mut self, name: &str, labels: &Labels) {
        for (k, v) in labels {
            self.pods_by_label
                .entry((k.clone(), v.clone()))
                .or_default()
                .insert(name.to_owned());
        }
    }

    fn unindex_labels(&mut self, name: &str, labels: &Labels) {
        for (k, v) in labels {
            let key = (k.clone(), v.clone());
            if let Some(set) = self.pods_by_label.get_mut(&key) {
                set.remove(name);
                if set.is_empty() {
                    self.pods_by_label.remove(&key);
                }
            }
        }
    }

    /// Marks for sync the Services whose selectors match `labels`: only Services filed
    /// under one of the pod's own (key, value) pairs are looked at, never every Service.
    pub(super) fn mark_services_for(&mut self, labels: &Labels) {
        let found = self.services_matching(labels);
        self.dirty_services.extend(found);
    }

    /// Marks for sync the Services of a pod's current labels.
    pub(super) fn mark_services_for_pod(&mut self, name: &str) {
        if let Some(labels) = self.pods.get(name).map(|p| p.metadata.labels.clone()) {
            self.mark_services_for(&labels);
        }
    }

    /// Services whose selector matches `labels` (namespace is checked by the sync).
    pub(super) fn services_matching(&self, labels: &Labels) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in labels {
            let Some(names) = self.services_by_label.get(&(k.clone(), v.clone())) else {
                continue;
            };
            for name in names {
                let matches = self
                    .services
                    .get(name)
                    .and_then(|s| s.spec.effective_selector())
                    .is_some_and(|sel| {
                        crate::controllers::endpoints::selector_matches(sel, labels)
                    });
                if matches {
                    out.push(name.clone());
                }
            }
        }
        out
    }

    /// Pods whose labels carry every pair of `selector`, from the smallest posting list.
    pub(super) fn pods_matching(&self, selector: &Labels) -> Vec<&Pod> {
        let mut smallest: Option<&BTreeSet<String>> = None;
        for (k, v) in selector {
            match self.pods_by_label.get(&(k.clone(), v.clone())) {
                None => return Vec::new(),
                Some(set) if smallest.is_none_or(|s| set.len() < s.len()) => smallest = Some(set),
                Some(_) => {}
            }
        }
        smallest
            .into_iter()
            .flatten()
            .filter_map(|n| self.pods.get(n))
            .filter(|p| {
                crate::controllers::endpoints::selector_matches(selector, &p.metadata.labels)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn ipam_hands_out_new_addresses_round_robin() {
        let base = parse_ipv4("10.244.1.0").unwrap_or_default();
        let mut ipam = NodeIpam::new(base, 24);
        let a = ipam.allocate();
        let b = ipam.allocate();
        assert_eq!(
            (a.as_deref(), b.as_deref()),
            (Some("10.244.1.2"), Some("10.244.1.3"))
        );
        ipam.release("10.244.1.2");
        assert_eq!(
            ipam.allocate().as_deref(),
            Some("10.244.1.4"),
            "a freed address is not reused at once"
        );
        for _ in 0..251 {
            ipam.allocate();
        }
        assert_eq!(ipam.allocate(), None, "a /24 holds 253 pods");
    }
}
