//! `v1` Endpoints: the older, unsliced list of a Service's backends, which `kubectl get
//! endpoints` prints.
//!
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go` (`Endpoints`, `EndpointSubset`,
//! `EndpointAddress`, `EndpointPort`).

use serde::{Deserialize, Serialize};

use super::{ObjectMeta, ObjectReference};

/// A `v1` Endpoints object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    /// `metadata`: named after its Service.
    pub metadata: ObjectMeta,
    /// `subsets`: groups of addresses that share a set of ports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subsets: Vec<EndpointSubset>,
}

/// One of `subsets`: every address serves every port.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointSubset {
    /// Ready addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<EndpointAddress>,
    /// Addresses not ready (or not yet ready) to serve.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_ready_addresses: Vec<EndpointAddress>,
    /// The ports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<EndpointPort>,
}

/// One address of a subset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointAddress {
    /// The IP.
    pub ip: String,
    /// `hostname`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// `nodeName`: where the backend runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    /// `targetRef`: the pod behind the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<ObjectReference>,
}

/// One port of a subset (`v1` `EndpointPort`, not the EndpointSlice one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointPort {
    /// The Service port's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The port number.
    pub port: i32,
    /// `TCP`, `UDP` or `SCTP`, kept as written (kubectl does not print it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    /// `appProtocol`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
}
