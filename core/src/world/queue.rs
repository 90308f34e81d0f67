//! The controllers' work queue: what must be synced, and the timed things waiting.
//!
//! As an informer's event handlers enqueue keys, every change marks the workloads and
//! Services it affects as dirty (a set, so a key is queued once however often it is
//! marked); [`super::World::settle`] then syncs them until nothing is left. Timed things
//! (pod starts, probe ticks, restarts, grace expiries) wait in one [`EventQueue`].

use std::collections::{BTreeMap, BTreeSet};

use super::workload_kind::WorkloadKind;
use crate::controllers::kubelet::runtime::Timed;
use crate::objects::NamespacedName;
use crate::sim::EventQueue;

/// Keys waiting for a controller, and the timed things waiting for their time.
#[derive(Debug, Clone, Default)]
pub(crate) struct WorkQueue {
    /// Services whose EndpointSlices must be synced (then kube-proxy reprogrammed).
    pub(crate) services: BTreeSet<NamespacedName>,
    /// Of those, the ones whose Service itself changed: every pod is looked at again.
    pub(crate) full: BTreeSet<NamespacedName>,
    /// Of the others, the pods (by name, in the Service's namespace) whose endpoints
    /// may have changed: only they are looked at.
    pub(crate) pods: BTreeMap<NamespacedName, BTreeSet<String>>,
    /// Workloads whose pods (or Jobs) must be counted against what they want, by kind
    /// and key (ReplicaSets first, as they sort first).
    pub(crate) owners: BTreeSet<(WorkloadKind, NamespacedName)>,
    /// Whether pending pods wait for the scheduler.
    pub(crate) scheduling: bool,
    /// Timed things, in order of time and then of insertion.
    pub(crate) timed: EventQueue<Timed>,
    /// Service syncs run so far (for tests and benchmarks of incrementality).
    pub(crate) service_syncs: u64,
    /// Every sync looks at every pod (the oracle tests compare this with pod-scoped
    /// syncs).
    pub(crate) always_full: bool,
}

impl WorkQueue {
    /// Queues a Service for a full EndpointSlice sync (the Service changed).
    pub(crate) fn service(&mut self, key: NamespacedName) {
        self.pods.remove(&key);
        self.full.insert(key.clone());
        self.services.insert(key);
    }

    /// Queues a Service for a sync of one pod's endpoint (the pod changed).
    pub(crate) fn service_pod(&mut self, key: NamespacedName, pod: &str) {
        if !self.full.contains(&key) {
            self.pods
                .entry(key.clone())
                .or_default()
                .insert(pod.to_owned());
        }
        self.services.insert(key);
    }

    /// Takes the next Service to sync, with the pods to look at (`None`: all).
    pub(crate) fn next_service(&mut self) -> Option<(NamespacedName, Option<BTreeSet<String>>)> {
        let key = self.services.pop_first()?;
        let pods = self.pods.remove(&key);
        if self.full.remove(&key) || self.always_full {
            return Some((key, None));
        }
        Some((key, pods))
    }

    /// Queues a ReplicaSet for a sync.
    pub(crate) fn replica_set(&mut self, key: NamespacedName) {
        self.owner(WorkloadKind::ReplicaSet, key);
    }

    /// Queues a workload of any kind for a sync.
    pub(crate) fn owner(&mut self, kind: WorkloadKind, key: NamespacedName) {
        self.owners.insert((kind, key));
    }
}
