//! The pods and their indexes: by label (per namespace), by node, by controlling owner
//! (ReplicaSet, ReplicationController, StatefulSet, DaemonSet or Job), by IP, and the
//! pods the scheduler has not placed yet. Every change goes through a
//! method here, so the indexes cannot drift from the pods.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::sync::Arc;

use super::label_index::{Keys, LabelIndex};
use super::workload_kind::WorkloadKind;
use crate::objects::{Labels, NamespacedName, ObjectMeta, Pod};

/// A pod's controlling owner, as the owner index files it.
pub(crate) type OwnerKey = (WorkloadKind, NamespacedName);

/// The controlling owner of an object in `meta`'s namespace, when it is a workload.
pub(crate) fn owner_of(meta: &ObjectMeta) -> Option<OwnerKey> {
    let o = meta.controller()?;
    let kind = WorkloadKind::from_kind(&o.kind)?;
    Some((kind, NamespacedName::new(&meta.namespace, &o.name)))
}

/// Every pod, with its indexes.
#[derive(Debug, Clone, Default)]
pub(crate) struct PodStore {
    /// Boxed: a pod is 672 bytes, and a B-tree node holds 11 entries whether it uses
    /// them or not; at the limits (150,000 pods) the box saved 64 MiB of peak RSS.
    /// Keyed by the one `Arc` every index and the kubelet's runtime map share.
    pods: BTreeMap<Arc<NamespacedName>, Box<Pod>>,
    by_label: LabelIndex,
    by_node: BTreeMap<String, BTreeSet<Arc<NamespacedName>>>,
    by_owner: BTreeMap<OwnerKey, BTreeSet<Arc<NamespacedName>>>,
    by_ip: BTreeMap<Ipv4Addr, Arc<NamespacedName>>,
    unscheduled: BTreeSet<Arc<NamespacedName>>,
}

impl PodStore {
    /// Every pod by key.
    pub(crate) fn all(&self) -> &BTreeMap<Arc<NamespacedName>, Box<Pod>> {
        &self.pods
    }

    /// One pod.
    pub(crate) fn get(&self, key: &NamespacedName) -> Option<&Pod> {
        self.pods.get(key).map(|p| &**p)
    }

    /// Whether a pod of that key exists.
    pub(crate) fn contains(&self, key: &NamespacedName) -> bool {
        self.pods.contains_key(key)
    }

    /// Mutable access for changes that touch no indexed field (status, deletion,
    /// owner references): labels, node, IP and owner change through the methods below.
    pub(crate) fn get_mut(&mut self, key: &NamespacedName) -> Option<&mut Pod> {
        self.pods.get_mut(key).map(|p| &mut **p)
    }

    /// Inserts a new, unscheduled pod and indexes it; returns its key as the store
    /// shares it.
    pub(crate) fn insert(&mut self, pod: Pod) -> Arc<NamespacedName> {
        let key = Arc::new(pod.metadata.key());
        self.index_labels(&key, &pod.metadata.labels);
        if let Some(owner) = owner_of(&pod.metadata) {
            self.by_owner
                .entry(owner)
                .or_default()
                .insert(Arc::clone(&key));
        }
        if pod.spec.node_name.is_empty() {
            self.unscheduled.insert(Arc::clone(&key));
        } else {
            let node = pod.spec.node_name.clone();
            self.by_node
                .entry(node)
                .or_default()
                .insert(Arc::clone(&key));
        }
        self.pods.insert(Arc::clone(&key), Box::new(pod));
        key
    }

    /// The pod's key as the store shares it among its indexes (one allocation per
    /// pod, however many indexes file it).
    fn shared_key(&self, key: &NamespacedName) -> Option<Arc<NamespacedName>> {
        self.pods.get_key_value(key).map(|(k, _)| Arc::clone(k))
    }

    /// Removes a pod and every index entry of it.
    pub(crate) fn remove(&mut self, key: &NamespacedName) -> Option<Pod> {
        let pod = self.pods.remove(key)?;
        self.unindex_labels(key, &pod.metadata.labels);
        if let Some(owner) = owner_of(&pod.metadata) {
            self.release_owner(key, &owner);
        }
        self.unscheduled.remove(key);
        if let Some(set) = self.by_node.get_mut(&pod.spec.node_name) {
            set.remove(key);
        }
        if let Ok(ip) = pod.status.pod_ip.parse::<Ipv4Addr>()
            && self.by_ip.get(&ip).is_some_and(|k| **k == *key)
        {
            self.by_ip.remove(&ip);
        }
        Some(*pod)
    }

    /// Binds a pending pod to `node`.
    pub(crate) fn bind(&mut self, key: &NamespacedName, node: &str) -> Option<&Pod> {
        let shared = self.shared_key(key)?;
        self.unscheduled.remove(key);
        self.by_node
            .entry(node.to_owned())
            .or_default()
            .insert(shared);
        let pod = self.pods.get_mut(key)?;
        pod.spec.node_name = node.to_owned();
        Some(pod)
    }

    /// Gives a pod its IP.
    pub(crate) fn set_ip(&mut self, key: &NamespacedName, ip: Ipv4Addr) {
        let Some(shared) = self.shared_key(key) else {
            return;
        };
        if let Some(pod) = self.pods.get_mut(key) {
            pod.status.pod_ip = ip.to_string();
            self.by_ip.insert(ip, shared);
        }
    }

    /// Replaces a pod's labels, keeping the label index true.
    pub(crate) fn relabel(&mut self, key: &NamespacedName, labels: Labels) {
        let Some((shared, old)) = self
            .pods
            .get_key_value(key)
            .map(|(k, p)| (Arc::clone(k), p.metadata.labels.clone()))
        else {
            return;
        };
        self.unindex_labels(key, &old);
        self.index_labels(&shared, &labels);
        if let Some(p) = self.pods.get_mut(key) {
            p.metadata.labels = labels;
        }
    }

    /// Takes a pod out of its owner's index (the owner released it).
    pub(crate) fn release_owner(&mut self, key: &NamespacedName, owner: &OwnerKey) {
        if let Some(set) = self.by_owner.get_mut(owner) {
            set.remove(key);
            if set.is_empty() {
                self.by_owner.remove(owner);
            }
        }
    }

    /// The pods a ReplicaSet owns.
    pub(crate) fn owned_by(&self, rs: &NamespacedName) -> impl Iterator<Item = &Pod> {
        self.owned_by_kind(WorkloadKind::ReplicaSet, rs)
    }

    /// The pods a workload of `kind` owns, in key order.
    pub(crate) fn owned_by_kind(
        &self,
        kind: WorkloadKind,
        owner: &NamespacedName,
    ) -> impl Iterator<Item = &Pod> {
        // The index is keyed by (kind, key); a lookup needs an owned key.
        self.by_owner
            .get(&(kind, owner.clone()))
            .into_iter()
            .flatten()
            .filter_map(|k| self.pods.get(k).map(|p| &**p))
    }

    /// The keys of the pods bound to `node`.
    pub(crate) fn on_node(&self, node: &str) -> Vec<NamespacedName> {
        self.by_node
            .get(node)
            .map(|s| s.iter().map(|k| (**k).clone()).collect())
            .unwrap_or_default()
    }

    /// How many pods are bound to `node` (terminating ones included).
    pub(crate) fn count_on_node(&self, node: &str) -> usize {
        self.by_node.get(node).map_or(0, BTreeSet::len)
    }

    /// The pod with that IP.
    pub(crate) fn by_ip(&self, ip: Ipv4Addr) -> Option<&NamespacedName> {
        self.by_ip.get(&ip).map(|k| &**k)
    }

    /// Pods waiting for a node, in key order.
    pub(crate) fn unscheduled(&self) -> &BTreeSet<Arc<NamespacedName>> {
        &self.unscheduled
    }

    /// Pods in `namespace` whose labels carry every pair of `selector`, from the
    /// smallest posting list.
    pub(crate) fn matching(&self, namespace: &str, selector: &Labels) -> Vec<&Pod> {
        let mut smallest: Option<&Keys> = None;
        for (k, v) in selector {
            match self.by_label.get(namespace, k, v) {
                None => return Vec::new(),
                Some(set) if smallest.is_none_or(|s| set.len() < s.len()) => smallest = Some(set),
                Some(_) => {}
            }
        }
        smallest
            .into_iter()
            .flatten()
            .filter_map(|n| self.get(n))
            .filter(|p| {
                crate::controllers::endpointslice::rules::selector_matches(
                    selector,
                    &p.metadata.labels,
                )
            })
            .collect()
    }

    fn index_labels(&mut self, key: &Arc<NamespacedName>, labels: &Labels) {
        for (k, v) in labels {
            self.by_label.insert(key, k, v);
        }
    }

    fn unindex_labels(&mut self, key: &NamespacedName, labels: &Labels) {
        for (k, v) in labels {
            self.by_label.remove(key, k, v);
        }
    }
}
