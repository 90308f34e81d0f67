//! Nodes: the machines pods run on.

use std::fmt;

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
///
/// `node_ip` and `ready` are the simulation's own view; `addresses`, `conditions` and
/// `node_info` are the `v1` fields kubectl prints (`STATUS`, `INTERNAL-IP`, `VERSION`,
/// …), empty until something fills them. An empty one is left out of `Debug`, so that
/// world dumps (and their recorded fingerprints) read as before they were carried.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    /// The node's InternalIP, where node ports listen.
    #[serde(default, rename = "nodeIP", skip_serializing_if = "String::is_empty")]
    pub node_ip: String,
    /// The `Ready` condition.
    #[serde(default)]
    pub ready: bool,
    /// `addresses`: `InternalIP`, `ExternalIP`, `Hostname`, …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<NodeAddress>,
    /// `conditions`: `Ready`, `MemoryPressure`, …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<NodeCondition>,
    /// `nodeInfo`: versions and platform.
    #[serde(default, skip_serializing_if = "NodeSystemInfo::is_empty")]
    pub node_info: NodeSystemInfo,
}

/// Like the derived `Debug`, but the `v1` fields appear only when set.
impl fmt::Debug for NodeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("NodeStatus");
        d.field("node_ip", &self.node_ip)
            .field("ready", &self.ready);
        if !self.addresses.is_empty() {
            d.field("addresses", &self.addresses);
        }
        if !self.conditions.is_empty() {
            d.field("conditions", &self.conditions);
        }
        if !self.node_info.is_empty() {
            d.field("node_info", &self.node_info);
        }
        d.finish()
    }
}

/// One of a Node's addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeAddress {
    /// `InternalIP`, `ExternalIP`, `Hostname`, …
    #[serde(rename = "type")]
    pub type_: String,
    /// The address.
    pub address: String,
}

/// One of a Node's conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeCondition {
    /// `Ready`, `MemoryPressure`, …
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
}

/// `status.nodeInfo`: what the kubelet reports of its machine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSystemInfo {
    /// `kubeletVersion`, e.g. `v1.33.1`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kubelet_version: String,
    /// `osImage`, e.g. `Debian GNU/Linux 12 (bookworm)`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub os_image: String,
    /// `kernelVersion`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kernel_version: String,
    /// `containerRuntimeVersion`, e.g. `containerd://2.1.1`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub container_runtime_version: String,
    /// `operatingSystem`, e.g. `linux`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub operating_system: String,
    /// `architecture`, e.g. `amd64`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub architecture: String,
}

impl NodeSystemInfo {
    /// Whether nothing is reported.
    pub fn is_empty(&self) -> bool {
        *self == NodeSystemInfo::default()
    }
}

impl Node {
    /// The node's zone label, if any.
    pub fn zone(&self) -> Option<&str> {
        self.metadata.labels.get(ZONE_LABEL).map(String::as_str)
    }
}
