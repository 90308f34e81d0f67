//! ReplicationControllers: the `v1` ancestor of the ReplicaSet, with an equality-only
//! selector map.
//!
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go` (`ReplicationControllerSpec`).
//! Simplification: `minReadySeconds` is not modelled.

use serde::{Deserialize, Serialize};

use super::{Labels, ObjectMeta, PodTemplate};

/// A `v1` ReplicationController.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicationController {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: ReplicationControllerSpec,
}

/// `spec` of a ReplicationController.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicationControllerSpec {
    /// Desired pods (API default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// `selector`: a map of labels every pod carries (defaulted from the template's
    /// labels when empty).
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub selector: Labels,
    /// `template` (a pointer in the API: required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<PodTemplate>,
}
