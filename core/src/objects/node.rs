//! Nodes: the machines pods run on.

use serde::{Deserialize, Serialize};

use super::ObjectMeta;

/// The well-known zone label.
pub const ZONE_LABEL: &str = "topology.kubernetes.io/zone";

/// A `v1` Node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// `metadata`; the zone is the `topology.kubernetes.io/zone` label.
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: NodeSpec,
    /// `status`.
    #[serde(default)]
    pub status: NodeStatus,
}

/// `spec` of a Node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSpec {
    /// The range pod IPs on this node come from, e.g. `10.244.1.0/24`.
    #[serde(default, rename = "podCIDR", skip_serializing_if = "String::is_empty")]
    pub pod_cidr: String,
    /// Cordoned: no new pods are scheduled here.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unschedulable: bool,
}

/// `status` of a Node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    /// The node's InternalIP, where node ports listen.
    #[serde(default, rename = "nodeIP", skip_serializing_if = "String::is_empty")]
    pub node_ip: String,
    /// The `Ready` condition.
    #[serde(default)]
    pub ready: bool,
}

impl Node {
    /// The node's zone label, if any.
    pub fn zone(&self) -> Option<&str> {
        self.metadata.labels.get(ZONE_LABEL).map(String::as_str)
    }
}
