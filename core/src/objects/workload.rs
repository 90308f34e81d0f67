//! Deployments and ReplicaSets: the owners that keep a number of pods alive.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Labels, ObjectMeta, PodSpec};

/// An API `LabelSelector` (`matchLabels` + `matchExpressions`), as Deployments and
/// ReplicaSets carry it. `None` where it is held as `Option` means nil: it matches nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// `matchLabels`: each entry is `key=value`.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub match_labels: Labels,
    /// `matchExpressions`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelectorRequirement {
    /// The label key.
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`, kept as written so that validation can
    /// name a wrong one.
    pub operator: String,
    /// The values (`In`/`NotIn` need at least one; `Exists`/`DoesNotExist` none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// A pod template: the labels and spec every pod of the owner starts with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodTemplate {
    /// The template's metadata (labels, annotations).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The pod spec.
    #[serde(default)]
    pub spec: PodSpec,
}

/// An `apps/v1` Deployment.
///
/// Simplification: one ReplicaSet per Deployment; a template change is applied to the
/// existing ReplicaSet instead of rolling out a new one.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: WorkloadSpec,
    /// `status`, written by the Deployment controller.
    #[serde(default, skip_serializing_if = "DeploymentStatus::is_empty")]
    pub status: DeploymentStatus,
}

/// An `apps/v1` ReplicaSet.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSet {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: WorkloadSpec,
    /// `status`, written by the ReplicaSet controller.
    #[serde(default, skip_serializing_if = "ReplicaSetStatus::is_empty")]
    pub status: ReplicaSetStatus,
}

/// Like the derived `Debug`, but `status` appears only when set, so that world dumps
/// (and their recorded fingerprints) read as before it was carried.
impl fmt::Debug for Deployment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Deployment");
        d.field("metadata", &self.metadata)
            .field("spec", &self.spec);
        if !self.status.is_empty() {
            d.field("status", &self.status);
        }
        d.finish()
    }
}

/// Like the derived `Debug`, but `status` appears only when set.
impl fmt::Debug for ReplicaSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ReplicaSet");
        d.field("metadata", &self.metadata)
            .field("spec", &self.spec);
        if !self.status.is_empty() {
            d.field("status", &self.status);
        }
        d.finish()
    }
}

/// `status` of a Deployment: counts of its pods, across all its ReplicaSets.
/// Upstream: kubernetes/api@10b39a39 `apps/v1/types.go` `DeploymentStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStatus {
    /// `replicas`: pods targeted by the Deployment (not terminating).
    #[serde(default)]
    pub replicas: i32,
    /// `updatedReplicas`: pods with the current template.
    #[serde(default)]
    pub updated_replicas: i32,
    /// `readyReplicas`: pods with a `Ready` condition.
    #[serde(default)]
    pub ready_replicas: i32,
    /// `availableReplicas`: pods ready for at least `minReadySeconds`.
    #[serde(default)]
    pub available_replicas: i32,
    /// `unavailableReplicas`: pods still needed for the desired count.
    #[serde(default)]
    pub unavailable_replicas: i32,
}

impl DeploymentStatus {
    /// Whether every count is zero (nothing written yet).
    pub fn is_empty(&self) -> bool {
        *self == DeploymentStatus::default()
    }
}

/// `status` of a ReplicaSet.
/// Upstream: kubernetes/api@10b39a39 `apps/v1/types.go` `ReplicaSetStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetStatus {
    /// `replicas`: the most recently observed number of pods.
    #[serde(default)]
    pub replicas: i32,
    /// `fullyLabeledReplicas`: pods whose labels match the template's.
    #[serde(default)]
    pub fully_labeled_replicas: i32,
    /// `readyReplicas`: pods with a `Ready` condition.
    #[serde(default)]
    pub ready_replicas: i32,
    /// `availableReplicas`: pods ready for at least `minReadySeconds`.
    #[serde(default)]
    pub available_replicas: i32,
}

impl ReplicaSetStatus {
    /// Whether every count is zero (nothing written yet).
    pub fn is_empty(&self) -> bool {
        *self == ReplicaSetStatus::default()
    }
}

/// The `spec` shared by Deployment and ReplicaSet in this model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadSpec {
    /// Desired pods (API default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Which pods the owner counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pod template.
    #[serde(default)]
    pub template: PodTemplate,
}
