//! The controllers' work queue: what must be synced, and the timed things waiting.
//!
//! As an informer's event handlers enqueue keys, every change marks the ReplicaSets and
//! Services it affects as dirty (a set, so a key is queued once however often it is
//! marked); [`super::World::settle`] then syncs them until nothing is left. Timed things
//! (pod starts, probe ticks, restarts, grace expiries) wait in one [`EventQueue`].

use std::collections::BTreeSet;

use crate::controllers::kubelet::runtime::Timed;
use crate::objects::NamespacedName;
use crate::sim::EventQueue;

/// Keys waiting for a controller, and the timed things waiting for their time.
#[derive(Debug, Clone, Default)]
pub(crate) struct WorkQueue {
    /// Services whose EndpointSlices must be synced (then kube-proxy reprogrammed).
    pub(crate) services: BTreeSet<NamespacedName>,
    /// ReplicaSets whose pods must be counted against their replicas.
    pub(crate) replica_sets: BTreeSet<NamespacedName>,
    /// Whether pending pods wait for the scheduler.
    pub(crate) scheduling: bool,
    /// Timed things, in order of time and then of insertion.
    pub(crate) timed: EventQueue<Timed>,
    /// Service syncs run so far (for tests and benchmarks of incrementality).
    pub(crate) service_syncs: u64,
}

impl WorkQueue {
    /// Queues a Service for an EndpointSlice sync.
    pub(crate) fn service(&mut self, key: NamespacedName) {
        self.services.insert(key);
    }

    /// Queues a ReplicaSet for a sync.
    pub(crate) fn replica_set(&mut self, key: NamespacedName) {
        self.replica_sets.insert(key);
    }
}
