//! What a probe checks: `httpGet`, `tcpSocket`, `exec` or `grpc`, kept so that an
//! imported manifest exports again as one kubectl accepts.
//!
//! Simplification: the handler is carried, not executed; the simulated app is healthy or
//! broken as the user sets it.
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go` `ProbeHandler`.

use serde::{Deserialize, Serialize};

use super::IntOrString;

/// `httpGet`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpGetAction {
    /// The request path.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// The container port, by number or name.
    pub port: IntOrString,
    /// `HTTP` or `HTTPS`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scheme: String,
}

/// `tcpSocket`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TcpSocketAction {
    /// The container port, by number or name.
    pub port: IntOrString,
}

/// `exec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecAction {
    /// The command line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
}

/// `grpc`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrpcAction {
    /// The container port number.
    pub port: i32,
    /// The gRPC health service name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}
