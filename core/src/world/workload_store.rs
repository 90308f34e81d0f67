//! The workloads that own pods: Deployments and their ReplicaSets, with the index from a
//! Deployment to the ReplicaSets it controls (by owner reference, never by name).

use std::collections::{BTreeMap, BTreeSet};

use crate::objects::{Deployment, NamespacedName, ReplicaSet};

/// Deployments and ReplicaSets.
#[derive(Debug, Clone, Default)]
pub(crate) struct WorkloadStore {
    pub(crate) deployments: BTreeMap<NamespacedName, Deployment>,
    replica_sets: BTreeMap<NamespacedName, ReplicaSet>,
    by_deployment: BTreeMap<NamespacedName, BTreeSet<NamespacedName>>,
}

impl WorkloadStore {
    /// Every ReplicaSet by key.
    pub(crate) fn replica_sets(&self) -> &BTreeMap<NamespacedName, ReplicaSet> {
        &self.replica_sets
    }

    /// One ReplicaSet.
    pub(crate) fn replica_set(&self, key: &NamespacedName) -> Option<&ReplicaSet> {
        self.replica_sets.get(key)
    }

    /// One ReplicaSet, to change its spec (its owner does not change).
    pub(crate) fn replica_set_mut(&mut self, key: &NamespacedName) -> Option<&mut ReplicaSet> {
        self.replica_sets.get_mut(key)
    }

    /// Stores a ReplicaSet and files it under its controlling Deployment.
    pub(crate) fn put_replica_set(&mut self, rs: ReplicaSet) {
        let key = rs.metadata.key();
        if let Some(d) = rs.metadata.controller_of_kind("Deployment") {
            let owner = NamespacedName::new(&key.namespace, d);
            self.by_deployment
                .entry(owner)
                .or_default()
                .insert(key.clone());
        }
        self.replica_sets.insert(key, rs);
    }

    /// Removes a ReplicaSet.
    pub(crate) fn remove_replica_set(&mut self, key: &NamespacedName) -> Option<ReplicaSet> {
        let rs = self.replica_sets.remove(key)?;
        if let Some(d) = rs.metadata.controller_of_kind("Deployment") {
            let owner = NamespacedName::new(&key.namespace, d);
            if let Some(set) = self.by_deployment.get_mut(&owner) {
                set.remove(key);
                if set.is_empty() {
                    self.by_deployment.remove(&owner);
                }
            }
        }
        Some(rs)
    }

    /// The ReplicaSets a Deployment controls.
    pub(crate) fn of_deployment(&self, deployment: &NamespacedName) -> Vec<NamespacedName> {
        self.by_deployment
            .get(deployment)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}
