//! A Pod's `status`: its phase, conditions, IPs and the state of every container.
//!
//! The first six fields are the simulation's own (the kubelet model writes them); the
//! rest are the `v1` fields kubectl reads to print a pod (`READY`, `STATUS`, `RESTARTS`,
//! the wide columns). They default to empty, and an empty one is left out of `Debug` so
//! that world dumps (and their recorded fingerprints) read as before they were carried.
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go` (`PodStatus`, `ContainerStatus`,
//! `ContainerState`, `PodCondition`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::sim::SimTime;

/// `status` of a Pod.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    /// The lifecycle phase.
    #[serde(default)]
    pub phase: PodPhase,
    /// The pod's IP, empty until the network plugin assigns one.
    #[serde(default, rename = "podIP", skip_serializing_if = "String::is_empty")]
    pub pod_ip: String,
    /// The `Ready` condition.
    #[serde(default)]
    pub ready: bool,
    /// When the container started running, in simulated time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<SimTime>,
    /// When `Ready` last became true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_since: Option<SimTime>,
    /// Container restarts.
    #[serde(default)]
    pub restart_count: u32,
    /// `reason`: a CamelCase word for why the pod is in its state (`Evicted`, `NodeLost`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// `message`: a human-readable note on the pod's state.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// `nominatedNodeName`: where the scheduler means to place a preempting pod.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nominated_node_name: String,
    /// `hostIP`: the IP of the node the pod runs on.
    #[serde(default, rename = "hostIP", skip_serializing_if = "String::is_empty")]
    pub host_ip: String,
    /// `podIPs`: every IP of the pod, `podIPs[0]` equal to `podIP`.
    #[serde(default, rename = "podIPs", skip_serializing_if = "Vec::is_empty")]
    pub pod_ips: Vec<PodIp>,
    /// `conditions`: `PodScheduled`, `Initialized`, `ContainersReady`, `Ready`, and the
    /// readiness gates' own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PodCondition>,
    /// `initContainerStatuses`, one per init container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_container_statuses: Vec<ContainerStatus>,
    /// `containerStatuses`, one per app container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_statuses: Vec<ContainerStatus>,
}

/// Like the derived `Debug`, but the `v1` fields appear only when set.
impl fmt::Debug for PodStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("PodStatus");
        d.field("phase", &self.phase)
            .field("pod_ip", &self.pod_ip)
            .field("ready", &self.ready)
            .field("start_time", &self.start_time)
            .field("ready_since", &self.ready_since)
            .field("restart_count", &self.restart_count);
        let texts = [
            ("reason", &self.reason),
            ("message", &self.message),
            ("nominated_node_name", &self.nominated_node_name),
            ("host_ip", &self.host_ip),
        ];
        for (name, v) in texts {
            if !v.is_empty() {
                d.field(name, v);
            }
        }
        if !self.pod_ips.is_empty() {
            d.field("pod_ips", &self.pod_ips);
        }
        if !self.conditions.is_empty() {
            d.field("conditions", &self.conditions);
        }
        if !self.init_container_statuses.is_empty() {
            d.field("init_container_statuses", &self.init_container_statuses);
        }
        if !self.container_statuses.is_empty() {
            d.field("container_statuses", &self.container_statuses);
        }
        d.finish()
    }
}

/// A Pod's phase.
///
/// The API's `PodPhase` is a string: the five phases the kubelet writes, and whatever
/// else a stored object carries, which kubectl prints as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PodPhase {
    /// Accepted, not yet running.
    #[default]
    Pending,
    /// Bound to a node and running.
    Running,
    /// All containers exited successfully; terminal.
    Succeeded,
    /// A container failed; terminal.
    Failed,
    /// The node stopped reporting.
    Unknown,
    /// Any other value, kept verbatim (only a dump of a cluster carries one).
    #[serde(untagged)]
    Other(String),
}

impl PodPhase {
    /// Succeeded and Failed are terminal: such a pod is never an endpoint.
    /// Upstream: kubernetes/kubernetes@959795b4 `pkg/api/v1/pod/util.go` `IsPodPhaseTerminal`.
    pub fn is_terminal(&self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }

    /// The API spelling (`Running`), or the value kept verbatim.
    pub fn as_str(&self) -> &str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
            PodPhase::Other(s) => s,
        }
    }

    /// Reads the API spelling; anything else is [`PodPhase::Other`].
    pub fn parse(s: &str) -> PodPhase {
        match s {
            "Pending" => PodPhase::Pending,
            "Running" => PodPhase::Running,
            "Succeeded" => PodPhase::Succeeded,
            "Failed" => PodPhase::Failed,
            "Unknown" => PodPhase::Unknown,
            other => PodPhase::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for PodPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One of `status.podIPs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodIp {
    /// The address.
    pub ip: String,
}

/// One of `status.conditions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodCondition {
    /// `Ready`, `Initialized`, `PodScheduled`, `ContainersReady` or a readiness gate's.
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// Why the condition last changed (`SchedulingGated`, …).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// A human-readable note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// When the condition was last probed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_probe_time: Option<SimTime>,
    /// When the condition last changed status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<SimTime>,
}

/// One container's status (`containerStatuses[]`, `initContainerStatuses[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    /// The container's name, as in the spec.
    #[serde(default)]
    pub name: String,
    /// What the container is doing now.
    #[serde(default)]
    pub state: ContainerState,
    /// `lastState`: how the previous run ended (Go's `LastTerminationState`).
    #[serde(default)]
    pub last_state: ContainerState,
    /// Whether the container passes its readiness probe.
    #[serde(default)]
    pub ready: bool,
    /// Times the container was restarted.
    #[serde(default)]
    pub restart_count: i32,
    /// The image it runs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// `imageID`.
    #[serde(default, rename = "imageID", skip_serializing_if = "String::is_empty")]
    pub image_id: String,
    /// `containerID`.
    #[serde(
        default,
        rename = "containerID",
        skip_serializing_if = "String::is_empty"
    )]
    pub container_id: String,
    /// `started`: past its startup probe (`None` when the kubelet has not said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<bool>,
}

/// A container's state: at most one of the three is set; none is Go's zero value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerState {
    /// Not running yet, with why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<ContainerStateWaiting>,
    /// Running since a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<ContainerStateRunning>,
    /// Exited, with how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminated: Option<ContainerStateTerminated>,
}

/// `state.waiting`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerStateWaiting {
    /// `ContainerCreating`, `CrashLoopBackOff`, `ImagePullBackOff`, …
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// A human-readable note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// `state.running`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateRunning {
    /// When the container (last) started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<SimTime>,
}

/// `state.terminated`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateTerminated {
    /// The exit status.
    #[serde(default)]
    pub exit_code: i32,
    /// The signal that ended it, 0 for none.
    #[serde(default)]
    pub signal: i32,
    /// `Completed`, `Error`, `OOMKilled`, …
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// A human-readable note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// When the run started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<SimTime>,
    /// When it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<SimTime>,
    /// `containerID`.
    #[serde(
        default,
        rename = "containerID",
        skip_serializing_if = "String::is_empty"
    )]
    pub container_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn phases_read_their_api_spelling_and_keep_anything_else() {
        for p in [
            "Pending",
            "Running",
            "Succeeded",
            "Failed",
            "Unknown",
            "podPhase",
            "",
        ] {
            assert_eq!(PodPhase::parse(p).as_str(), p);
        }
        assert_eq!(PodPhase::parse("Running"), PodPhase::Running);
        assert!(PodPhase::parse("Failed").is_terminal());
        assert!(!PodPhase::parse("failed").is_terminal());
    }

    #[test]
    fn debug_shows_the_v1_fields_only_when_set() {
        let plain = PodStatus::default();
        assert_eq!(
            format!("{plain:?}"),
            "PodStatus { phase: Pending, pod_ip: \"\", ready: false, start_time: None, \
             ready_since: None, restart_count: 0 }"
        );
        let set = PodStatus {
            reason: "Evicted".into(),
            ..PodStatus::default()
        };
        assert!(format!("{set:?}").ends_with("restart_count: 0, reason: \"Evicted\" }"));
    }
}
