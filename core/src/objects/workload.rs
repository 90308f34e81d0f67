//! Deployments and ReplicaSets: the owners that keep a number of pods alive.

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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: WorkloadSpec,
}

/// An `apps/v1` ReplicaSet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSet {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: WorkloadSpec,
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
