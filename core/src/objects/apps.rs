//! StatefulSets and DaemonSets: the `apps/v1` owners of pods with an identity (an
//! ordinal, or a node) rather than a count of interchangeable replicas.
//!
//! Upstream: kubernetes/api@10b39a39 `apps/v1/types.go` (`StatefulSetSpec`,
//! `DaemonSetSpec`).
//! Simplification: only the fields the controllers act on are modelled; update
//! strategies, revision history, `minReadySeconds`, volume claim templates and their
//! retention policy are not (an import lists them as not modelled), and there are no
//! rollouts: a template is what new pods get.

use serde::{Deserialize, Serialize};

use super::{LabelSelector, ObjectMeta, PodTemplate};

/// `podManagementPolicy: OrderedReady`: one pod at a time, in ordinal order, each after
/// the previous is Running and Ready (the default).
pub const ORDERED_READY: &str = "OrderedReady";
/// `podManagementPolicy: Parallel`: every missing pod at once.
pub const PARALLEL: &str = "Parallel";

/// An `apps/v1` StatefulSet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSet {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: StatefulSetSpec,
}

/// `spec` of a StatefulSet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetSpec {
    /// Desired pods (API default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Which pods the set owns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pod template.
    #[serde(default)]
    pub template: PodTemplate,
    /// `serviceName`: the headless Service that gives each pod its DNS name
    /// `<pod>.<serviceName>.<namespace>.svc` (the pods' `subdomain`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub service_name: String,
    /// `podManagementPolicy`: [`ORDERED_READY`] (the default) or [`PARALLEL`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pod_management_policy: String,
    /// `ordinals`: the first ordinal (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordinals: Option<StatefulSetOrdinals>,
}

/// `spec.ordinals` of a StatefulSet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetOrdinals {
    /// The ordinal of the first pod; pods are `<name>-<start>` … `<name>-<start+replicas-1>`.
    #[serde(default)]
    pub start: i32,
}

impl StatefulSetSpec {
    /// The first ordinal.
    pub fn start_ordinal(&self) -> i32 {
        self.ordinals.as_ref().map_or(0, |o| o.start)
    }

    /// Whether pods start one at a time (`OrderedReady`, also when unset).
    pub fn is_ordered(&self) -> bool {
        self.pod_management_policy != PARALLEL
    }
}

/// An `apps/v1` DaemonSet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSet {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: DaemonSetSpec,
}

/// `spec` of a DaemonSet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetSpec {
    /// Which pods the set owns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pod template; its `nodeSelector` picks the nodes.
    #[serde(default)]
    pub template: PodTemplate,
}
