//! Any object a user can create: the kinds a manifest, a console line or a scenario
//! hands the world, as one enum.

use serde::{Deserialize, Serialize};

use super::{
    CronJob, DaemonSet, Deployment, Job, Node, ObjectMeta, Pod, ReplicaSet, ReplicationController,
    Service, StatefulSet,
};

/// A `v1` Namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `status`, written by the cluster.
    #[serde(default, skip_serializing_if = "NamespaceStatus::is_empty")]
    pub status: NamespaceStatus,
}

/// `status` of a Namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamespaceStatus {
    /// `Active` or `Terminating` (a string in the API: kubectl prints any value).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
}

impl NamespaceStatus {
    /// Whether no phase is set.
    pub fn is_empty(&self) -> bool {
        self.phase.is_empty()
    }
}

/// One imported object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    /// `v1` Namespace.
    Namespace(Namespace),
    /// `v1` Node.
    Node(Node),
    /// `v1` Pod.
    Pod(Pod),
    /// `v1` Service.
    Service(Service),
    /// `apps/v1` Deployment.
    Deployment(Deployment),
    /// `apps/v1` ReplicaSet.
    ReplicaSet(ReplicaSet),
    /// `apps/v1` StatefulSet.
    StatefulSet(StatefulSet),
    /// `apps/v1` DaemonSet.
    DaemonSet(DaemonSet),
    /// `v1` ReplicationController.
    ReplicationController(ReplicationController),
    /// `batch/v1` Job.
    Job(Job),
    /// `batch/v1` CronJob.
    CronJob(CronJob),
}

impl Object {
    /// The `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Object::Namespace(_) => "Namespace",
            Object::Node(_) => "Node",
            Object::Pod(_) => "Pod",
            Object::Service(_) => "Service",
            Object::Deployment(_) => "Deployment",
            Object::ReplicaSet(_) => "ReplicaSet",
            Object::StatefulSet(_) => "StatefulSet",
            Object::DaemonSet(_) => "DaemonSet",
            Object::ReplicationController(_) => "ReplicationController",
            Object::Job(_) => "Job",
            Object::CronJob(_) => "CronJob",
        }
    }

    /// The `apiVersion`.
    pub fn api_version(&self) -> &'static str {
        match self {
            Object::Deployment(_)
            | Object::ReplicaSet(_)
            | Object::StatefulSet(_)
            | Object::DaemonSet(_) => "apps/v1",
            Object::Job(_) | Object::CronJob(_) => "batch/v1",
            _ => "v1",
        }
    }

    /// The `metadata`.
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::Namespace(o) => &o.metadata,
            Object::Node(o) => &o.metadata,
            Object::Pod(o) => &o.metadata,
            Object::Service(o) => &o.metadata,
            Object::Deployment(o) => &o.metadata,
            Object::ReplicaSet(o) => &o.metadata,
            Object::StatefulSet(o) => &o.metadata,
            Object::DaemonSet(o) => &o.metadata,
            Object::ReplicationController(o) => &o.metadata,
            Object::Job(o) => &o.metadata,
            Object::CronJob(o) => &o.metadata,
        }
    }

    /// `Kind/name`, as kubectl prints it.
    pub fn describe(&self) -> String {
        format!("{}/{}", self.kind(), self.meta().name)
    }

    /// Whether the kind lives in a namespace.
    pub fn is_namespaced(&self) -> bool {
        !matches!(self, Object::Namespace(_) | Object::Node(_))
    }
}
