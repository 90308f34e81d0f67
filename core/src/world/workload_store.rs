//! The workloads that own pods: Deployments and their ReplicaSets (with the index from a
//! Deployment to the ReplicaSets it controls, by owner reference, never by name),
//! StatefulSets, DaemonSets, ReplicationControllers, Jobs (with what their controller
//! has counted) and CronJobs (with the index from a CronJob to its Jobs).

use std::collections::{BTreeMap, BTreeSet};

use crate::objects::{
    CronJob, DaemonSet, Deployment, Job, NamespacedName, ReplicaSet, ReplicationController,
    StatefulSet,
};

/// What the Job controller has already counted of a Job's pods (upstream keeps this
/// with a finalizer on each pod and `status.uncountedTerminatedPods`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct JobTracking {
    /// The uids of finished pods already counted in `status.succeeded` / `failed`.
    pub(crate) counted: BTreeSet<u64>,
    /// Indexes that succeeded (Indexed Jobs).
    pub(crate) done_indexes: BTreeSet<i32>,
}

/// Every workload object.
#[derive(Debug, Clone, Default)]
pub(crate) struct WorkloadStore {
    pub(crate) deployments: BTreeMap<NamespacedName, Deployment>,
    replica_sets: BTreeMap<NamespacedName, ReplicaSet>,
    by_deployment: BTreeMap<NamespacedName, BTreeSet<NamespacedName>>,
    pub(crate) stateful_sets: BTreeMap<NamespacedName, StatefulSet>,
    pub(crate) daemon_sets: BTreeMap<NamespacedName, DaemonSet>,
    pub(crate) replication_controllers: BTreeMap<NamespacedName, ReplicationController>,
    jobs: BTreeMap<NamespacedName, Job>,
    pub(crate) job_tracking: BTreeMap<NamespacedName, JobTracking>,
    pub(crate) cron_jobs: BTreeMap<NamespacedName, CronJob>,
    by_cron_job: BTreeMap<NamespacedName, BTreeSet<NamespacedName>>,
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

impl WorkloadStore {
    /// Every Job by key.
    pub(crate) fn jobs(&self) -> &BTreeMap<NamespacedName, Job> {
        &self.jobs
    }

    /// One Job.
    pub(crate) fn job(&self, key: &NamespacedName) -> Option<&Job> {
        self.jobs.get(key)
    }

    /// One Job, to change its status (its owner does not change).
    pub(crate) fn job_mut(&mut self, key: &NamespacedName) -> Option<&mut Job> {
        self.jobs.get_mut(key)
    }

    /// Stores a Job and files it under its controlling CronJob.
    pub(crate) fn put_job(&mut self, job: Job) {
        let key = job.metadata.key();
        if let Some(c) = job.metadata.controller_of_kind("CronJob") {
            let owner = NamespacedName::new(&key.namespace, c);
            self.by_cron_job
                .entry(owner)
                .or_default()
                .insert(key.clone());
        }
        self.jobs.insert(key, job);
    }

    /// Removes a Job and what its controller counted.
    pub(crate) fn remove_job(&mut self, key: &NamespacedName) -> Option<Job> {
        let job = self.jobs.remove(key)?;
        self.job_tracking.remove(key);
        if let Some(c) = job.metadata.controller_of_kind("CronJob") {
            let owner = NamespacedName::new(&key.namespace, c);
            if let Some(set) = self.by_cron_job.get_mut(&owner) {
                set.remove(key);
                if set.is_empty() {
                    self.by_cron_job.remove(&owner);
                }
            }
        }
        Some(job)
    }

    /// The Jobs a CronJob controls.
    pub(crate) fn of_cron_job(&self, cron_job: &NamespacedName) -> Vec<NamespacedName> {
        self.by_cron_job
            .get(cron_job)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Whether nothing but Deployments and ReplicaSets exists (world dumps then read as
    /// they did before the other kinds were modelled).
    pub(crate) fn only_replica_sets(&self) -> bool {
        self.stateful_sets.is_empty()
            && self.daemon_sets.is_empty()
            && self.replication_controllers.is_empty()
            && self.jobs.is_empty()
            && self.cron_jobs.is_empty()
    }
}
