//! The workload kinds, as one enum: what a command names ([`WorkloadRef`]), what owns a
//! pod (the pod store's owner index), and what the controllers' work queue holds.

use std::fmt;

use crate::objects::NamespacedName;

/// A kind of workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorkloadKind {
    /// `apps/v1` Deployment (owns ReplicaSets).
    Deployment,
    /// `apps/v1` ReplicaSet (owns pods).
    ReplicaSet,
    /// `apps/v1` StatefulSet (owns pods by ordinal).
    StatefulSet,
    /// `apps/v1` DaemonSet (owns a pod per node).
    DaemonSet,
    /// `v1` ReplicationController (owns pods).
    ReplicationController,
    /// `batch/v1` Job (owns pods that run to completion).
    Job,
    /// `batch/v1` CronJob (owns Jobs).
    CronJob,
}

impl WorkloadKind {
    /// Every kind, in the order panels list them.
    pub const ALL: [WorkloadKind; 7] = [
        WorkloadKind::Deployment,
        WorkloadKind::StatefulSet,
        WorkloadKind::DaemonSet,
        WorkloadKind::ReplicaSet,
        WorkloadKind::ReplicationController,
        WorkloadKind::Job,
        WorkloadKind::CronJob,
    ];

    /// The API kind (`StatefulSet`).
    pub fn kind(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::ReplicationController => "ReplicationController",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
        }
    }

    /// The kind of an API kind name.
    pub fn from_kind(kind: &str) -> Option<WorkloadKind> {
        WorkloadKind::ALL.into_iter().find(|k| k.kind() == kind)
    }

    /// The resource as kubectl names it in errors (`statefulsets.apps`).
    pub fn resource(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deployments.apps",
            WorkloadKind::ReplicaSet => "replicasets.apps",
            WorkloadKind::StatefulSet => "statefulsets.apps",
            WorkloadKind::DaemonSet => "daemonsets.apps",
            WorkloadKind::ReplicationController => "replicationcontrollers",
            WorkloadKind::Job => "jobs.batch",
            WorkloadKind::CronJob => "cronjobs.batch",
        }
    }

    /// kubectl's singular resource in `kind/name` lines (`statefulset.apps`).
    pub fn singular(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deployment.apps",
            WorkloadKind::ReplicaSet => "replicaset.apps",
            WorkloadKind::StatefulSet => "statefulset.apps",
            WorkloadKind::DaemonSet => "daemonset.apps",
            WorkloadKind::ReplicationController => "replicationcontroller",
            WorkloadKind::Job => "job.batch",
            WorkloadKind::CronJob => "cronjob.batch",
        }
    }

    /// kubectl's short form for listings (`sts`, `ds`, `rc`, …).
    pub fn short(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "deploy",
            WorkloadKind::ReplicaSet => "rs",
            WorkloadKind::StatefulSet => "sts",
            WorkloadKind::DaemonSet => "ds",
            WorkloadKind::ReplicationController => "rc",
            WorkloadKind::Job => "job",
            WorkloadKind::CronJob => "cronjob",
        }
    }

    /// The group/version/resource as client-go prints it
    /// (`apps/v1, Resource=daemonsets`).
    fn group_version_resource(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "apps/v1, Resource=deployments",
            WorkloadKind::ReplicaSet => "apps/v1, Resource=replicasets",
            WorkloadKind::StatefulSet => "apps/v1, Resource=statefulsets",
            WorkloadKind::DaemonSet => "apps/v1, Resource=daemonsets",
            WorkloadKind::ReplicationController => "/v1, Resource=replicationcontrollers",
            WorkloadKind::Job => "batch/v1, Resource=jobs",
            WorkloadKind::CronJob => "batch/v1, Resource=cronjobs",
        }
    }

    /// Whether the API serves a `scale` subresource for the kind (`kubectl scale`).
    pub fn scales(self) -> bool {
        matches!(
            self,
            WorkloadKind::Deployment
                | WorkloadKind::ReplicaSet
                | WorkloadKind::StatefulSet
                | WorkloadKind::ReplicationController
        )
    }

    /// client-go's refusal to scale a kind without a `scale` subresource.
    /// Upstream: kubernetes/client-go@32ce75a7 `scale/util.go`
    /// (`discoveryScaleResolver.ScaleForResource`).
    pub fn no_scale_message(self) -> String {
        format!(
            "could not find scale subresource for {} in discovery information",
            self.group_version_resource()
        )
    }
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind())
    }
}

/// A workload: its kind, namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkloadRef {
    /// The kind.
    pub kind: WorkloadKind,
    /// Its namespace and name.
    pub key: NamespacedName,
}

impl WorkloadRef {
    /// A workload of `kind` at `key`.
    pub fn new(kind: WorkloadKind, key: NamespacedName) -> Self {
        WorkloadRef { kind, key }
    }
}

impl fmt::Display for WorkloadRef {
    /// `sts/web` (with `ns/` in front outside `default`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.namespace == crate::objects::DEFAULT_NAMESPACE {
            write!(f, "{}/{}", self.kind.short(), self.key.name)
        } else {
            write!(
                f,
                "{}/{}/{}",
                self.key.namespace,
                self.kind.short(),
                self.key.name
            )
        }
    }
}
