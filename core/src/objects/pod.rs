//! Pods: containers with named ports, a readiness probe, an IP, a phase and conditions.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use super::pod_status::{PodPhase, PodStatus};
use super::{ObjectMeta, Protocol};

/// A `v1` Pod.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: PodSpec,
    /// `status`, written by the simulated kubelet.
    #[serde(default)]
    pub status: PodStatus,
}

/// `spec` of a Pod.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    /// The node the scheduler bound the pod to; empty while unscheduled.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub node_name: String,
    /// The app containers.
    #[serde(default)]
    pub containers: Vec<Container>,
    /// Init containers; only those with `restartPolicy: Always` (sidecars) expose ports
    /// to Services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<Container>,
    /// `terminationGracePeriodSeconds`; the API default is 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<u32>,
    /// `hostname`, used for an endpoint's hostname with a matching `subdomain`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// `subdomain`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subdomain: String,
    /// `restartPolicy`: `Always` (the default when empty), `OnFailure` or `Never`. With
    /// `Never`, a crashed container is not restarted and the pod ends `Failed`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub restart_policy: String,
    /// `readinessGates`: extra conditions that must be `True` for the pod to be ready.
    ///
    /// Simplification: carried for kubectl's `READINESS GATES` column from a cluster's
    /// dump; the simulated kubelet does not wait for them, so an import of manifests
    /// skips them with a notice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readiness_gates: Vec<PodReadinessGate>,
    /// `nodeSelector`: the labels a node must carry for the pod to run there (the
    /// scheduler's `NodeAffinity` filter, and a DaemonSet's choice of nodes).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
}

/// Like the derived `Debug`, but `readiness_gates` and `node_selector` appear only when set, so that world
/// dumps (and their recorded fingerprints) read as before the field was carried.
impl fmt::Debug for PodSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("PodSpec");
        d.field("node_name", &self.node_name)
            .field("containers", &self.containers)
            .field("init_containers", &self.init_containers)
            .field(
                "termination_grace_period_seconds",
                &self.termination_grace_period_seconds,
            )
            .field("hostname", &self.hostname)
            .field("subdomain", &self.subdomain)
            .field("restart_policy", &self.restart_policy);
        if !self.readiness_gates.is_empty() {
            d.field("readiness_gates", &self.readiness_gates);
        }
        if !self.node_selector.is_empty() {
            d.field("node_selector", &self.node_selector);
        }
        d.finish()
    }
}

/// One of `spec.readinessGates`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodReadinessGate {
    /// The pod condition type that must be `True`.
    pub condition_type: String,
}

/// The default grace period of a delete.
/// Upstream: kubernetes/api@10b39a39 `core/v1/types.go` `DefaultTerminationGracePeriodSeconds`.
pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: u32 = 30;

/// A container.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// The container's name (a DNS-1123 label).
    pub name: String,
    /// The image; with `command`/`args` it tells which app runs (see `crate::apps`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// `command`: the entrypoint, replacing the image's; empty keeps the image's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// `args`: the arguments, replacing the image's default ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// `env`: environment variables with literal values.
    ///
    /// Simplification: `valueFrom` (ConfigMaps, Secrets, the downward API) and
    /// `envFrom` are not modelled; `$(VAR)` references are not expanded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// The ports it declares; a named `targetPort` is looked up here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ContainerPort>,
    /// The readiness probe; without one the container is ready once running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// `restartPolicy` on an init container: `Always` makes it a sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
}

/// Like the derived `Debug`, but `command`, `args` and `env` appear only when set, so
/// that world dumps (and their recorded fingerprints) read as before they were carried.
impl fmt::Debug for Container {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Container");
        d.field("name", &self.name).field("image", &self.image);
        if !self.command.is_empty() {
            d.field("command", &self.command);
        }
        if !self.args.is_empty() {
            d.field("args", &self.args);
        }
        if !self.env.is_empty() {
            d.field("env", &self.env);
        }
        d.field("ports", &self.ports)
            .field("readiness_probe", &self.readiness_probe)
            .field("restart_policy", &self.restart_policy)
            .finish()
    }
}

/// One of a container's `env`: a name and a literal value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    /// The variable's name.
    pub name: String,
    /// Its value (empty when unset).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
}

impl Container {
    /// The value of the environment variable `name`, if the container sets it (the last
    /// entry wins, as the container runtime applies them in order).
    pub fn env_value(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|e| e.name == name)
            .map(|e| e.value.as_str())
    }
}

/// A container port.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    /// The port's IANA name, if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The port number.
    pub container_port: i32,
    /// TCP, UDP or SCTP; defaulted to TCP.
    #[serde(default, skip_serializing_if = "Protocol::is_unset")]
    pub protocol: Protocol,
}

/// A readiness probe's timing; what it checks is modelled as "the app is healthy".
///
/// Simplification: the probe's handler (httpGet, tcpSocket, exec) is not executed; the
/// simulated app is either healthy or broken, as the user sets it.
/// Upstream defaults: kubernetes `pkg/apis/core/v1/defaults.go` `SetDefaults_Probe`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    /// Seconds after the container starts before the first probe (default 0).
    #[serde(default)]
    pub initial_delay_seconds: u32,
    /// Seconds between probes (default 10).
    #[serde(default = "default_period")]
    pub period_seconds: u32,
    /// Seconds after which a probe times out (default 1).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u32,
    /// Consecutive successes to become ready (default 1).
    #[serde(default = "default_one")]
    pub success_threshold: u32,
    /// Consecutive failures to become not ready (default 3).
    #[serde(default = "default_failure")]
    pub failure_threshold: u32,
    /// `httpGet`, kept for export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_get: Option<super::probe_handler::HttpGetAction>,
    /// `tcpSocket`, kept for export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<super::probe_handler::TcpSocketAction>,
    /// `exec`, kept for export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<super::probe_handler::ExecAction>,
    /// `grpc`, kept for export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc: Option<super::probe_handler::GrpcAction>,
}

fn default_period() -> u32 {
    10
}
fn default_timeout() -> u32 {
    1
}
fn default_one() -> u32 {
    1
}
fn default_failure() -> u32 {
    3
}

/// Like the derived `Debug`, but handlers appear only when set, so that world dumps (and
/// their recorded fingerprints) read as before the handlers were carried.
impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Probe");
        d.field("initial_delay_seconds", &self.initial_delay_seconds)
            .field("period_seconds", &self.period_seconds)
            .field("timeout_seconds", &self.timeout_seconds)
            .field("success_threshold", &self.success_threshold)
            .field("failure_threshold", &self.failure_threshold);
        if let Some(h) = &self.http_get {
            d.field("http_get", h);
        }
        if let Some(h) = &self.tcp_socket {
            d.field("tcp_socket", h);
        }
        if let Some(h) = &self.exec {
            d.field("exec", h);
        }
        if let Some(h) = &self.grpc {
            d.field("grpc", h);
        }
        d.finish()
    }
}

impl Default for Probe {
    fn default() -> Self {
        Probe {
            initial_delay_seconds: 0,
            period_seconds: default_period(),
            timeout_seconds: default_timeout(),
            success_threshold: default_one(),
            failure_threshold: default_failure(),
            http_get: None,
            tcp_socket: None,
            exec: None,
            grpc: None,
        }
    }
}

impl Pod {
    /// `IsPodActive`: not terminal and not being deleted.
    /// Upstream: kubernetes/kubernetes@1f8996f8 `pkg/controller/controller_utils.go` `IsPodActive`.
    pub fn is_active(&self) -> bool {
        !self.status.phase.is_terminal() && !self.metadata.is_terminating()
    }
}
