//! The Node status as the API writes it (the world keeps a narrower one).

use serde::{Deserialize, Serialize};

pub use crate::objects::node::{NodeAddress, NodeCondition};
pub use crate::objects::{Namespace, Object};

/// `status` of a Node as the API has it; read into [`crate::objects::NodeStatus`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiNodeStatus {
    /// `addresses`: the `InternalIP` one is the node's IP.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<NodeAddress>,
    /// `conditions`: the `Ready` one is read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<NodeCondition>,
}
