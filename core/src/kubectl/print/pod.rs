//! `kubectl get pods`: `NAME READY STATUS RESTARTS AGE [IP NODE NOMINATED NODE
//! READINESS GATES]`.
//!
//! `READY` counts app containers that are ready and running (and started sidecars that
//! are ready) out of the app containers plus the sidecars. `STATUS` starts from the
//! phase (or `status.reason`), then the init containers have their say (`Init:1/2`,
//! `Init:CrashLoopBackOff`), then the app containers walked from last to first (so the
//! first wins): a waiting reason, a termination reason, `Completed` turned back into
//! `Running` or `NotReady`; a pod being deleted is `Terminating` (or `Unknown` when its
//! node is lost). `RESTARTS` sums the restarts, with ` (5m ago)` since the newest
//! termination.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4
//! `pkg/printers/internalversion/printers.go` (`podColumnDefinitions`, `printPod`,
//! `hasPodReadyCondition`, `isPodInitializedConditionTrue`), `pkg/api/pod/util.go`
//! (`IsRestartableInitContainer`), `pkg/apis/core/v1/conversion.go`
//! (`Convert_v1_PodStatus_To_core_PodStatus`: `podIP` wins over `podIPs`).

use super::{Cell, Column, Row, RowCondition};
use crate::kubectl::duration::translate_timestamp_since;
use crate::objects::{Container, ContainerStatus, Pod, PodCondition, PodStatus};
use crate::sim::SimTime;

/// The kind with its group, as `--show-kind` prints it (`GroupKind.String()`).
pub const KIND: &str = "Pod";

/// Whether the kind lives in namespaces.
pub const NAMESPACED: bool = true;

/// The columns, in order.
pub const COLUMNS: &[Column] = &[
    Column::NAME,
    Column::text("Ready", 0),
    Column::text("Status", 0),
    Column::text("Restarts", 0),
    Column::AGE,
    Column::text("IP", 1),
    Column::text("Node", 1),
    Column::text("Nominated Node", 1),
    Column::text("Readiness Gates", 1),
];

/// The row condition of a Succeeded pod.
pub const SUCCEEDED: RowCondition = RowCondition {
    type_: "Completed",
    status: "True",
    reason: "Succeeded",
    message: "The pod has completed successfully.",
};

/// The row condition of a Failed pod.
pub const FAILED: RowCondition = RowCondition {
    type_: "Completed",
    status: "True",
    reason: "Failed",
    message: "The pod failed.",
};

/// `status.reason` of a pod whose node stopped answering (`NodeUnreachablePodReason`).
const NODE_LOST: &str = "NodeLost";

/// What the walk over the containers adds up.
struct Tally {
    restarts: i64,
    ready: usize,
    last_restart: Option<SimTime>,
}

impl Tally {
    /// Counts a container's restarts and its newest termination (Go's zero time, `None`,
    /// is before every time).
    fn restarted(&mut self, c: &ContainerStatus) {
        self.restarts += i64::from(c.restart_count);
        if let Some(t) = &c.last_state.terminated
            && self.last_restart < t.finished_at
        {
            self.last_restart = t.finished_at;
        }
    }
}

/// `IsRestartableInitContainer`: an init container with `restartPolicy: Always` (a
/// sidecar).
fn is_restartable(c: Option<&Container>) -> bool {
    c.and_then(|c| c.restart_policy.as_deref()) == Some("Always")
}

/// `printPod`: one row, with the `Completed` condition for a terminal phase.
pub fn print(pod: &Pod, now: SimTime, wide: bool) -> Row {
    let status = &pod.status;
    let phase = status.phase.as_str();
    let mut reason = if status.reason.is_empty() {
        phase.to_owned()
    } else {
        status.reason.clone()
    };
    if status
        .conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason == "SchedulingGated")
    {
        reason = "SchedulingGated".to_owned();
    }
    let conditions = match phase {
        "Succeeded" => vec![SUCCEEDED],
        "Failed" => vec![FAILED],
        _ => Vec::new(),
    };

    let init = &pod.spec.init_containers;
    let total = pod.spec.containers.len() + init.iter().filter(|c| is_restartable(Some(c))).count();
    // Go keys the init containers by name in a map: a later one of the same name wins.
    let init_named = |name: &str| init.iter().rev().find(|c| c.name == name);
    let mut all = Tally {
        restarts: 0,
        ready: 0,
        last_restart: None,
    };
    let mut sidecars = Tally {
        restarts: 0,
        ready: 0,
        last_restart: None,
    };
    let mut initializing = false;
    for (i, c) in status.init_container_statuses.iter().enumerate() {
        all.restarted(c);
        let restartable = is_restartable(init_named(&c.name));
        if restartable {
            sidecars.restarted(c);
        }
        let waiting = c.state.waiting.as_ref();
        match &c.state.terminated {
            Some(t) if t.exit_code == 0 => continue,
            _ if restartable && c.started == Some(true) => {
                if c.ready {
                    all.ready += 1;
                }
                continue;
            }
            Some(t) => {
                reason = if !t.reason.is_empty() {
                    format!("Init:{}", t.reason)
                } else if t.signal != 0 {
                    format!("Init:Signal:{}", t.signal)
                } else {
                    format!("Init:ExitCode:{}", t.exit_code)
                };
            }
            None => match waiting.map(|w| w.reason.as_str()) {
                Some(r) if !r.is_empty() && r != "PodInitializing" => reason = format!("Init:{r}"),
                // Kubelets that still say PodInitializing for an init container read as
                // the newer ContainerCreating.
                Some("PodInitializing") => reason = "Init:ContainerCreating".to_owned(),
                _ => reason = format!("Init:{i}/{}", init.len()),
            },
        }
        initializing = true;
        break;
    }

    let mut ready = all.ready;
    let mut restarts = all.restarts;
    let mut last_restart = all.last_restart;
    if !initializing || is_initialized(status) {
        let mut tally = Tally {
            restarts: sidecars.restarts,
            ready,
            last_restart: sidecars.last_restart,
        };
        let mut has_running = false;
        let mut error_reason = String::new();
        for c in status.container_statuses.iter().rev() {
            tally.restarted(c);
            if let Some(w) = c.state.waiting.as_ref().filter(|w| !w.reason.is_empty()) {
                reason = w.reason.clone();
            } else if let Some(t) = &c.state.terminated {
                reason = if !t.reason.is_empty() {
                    t.reason.clone()
                } else if t.signal != 0 {
                    format!("Signal:{}", t.signal)
                } else {
                    format!("ExitCode:{}", t.exit_code)
                };
                if t.exit_code != 0 {
                    error_reason = reason.clone();
                }
            } else if c.ready && c.state.running.is_some() {
                has_running = true;
                tally.ready += 1;
            }
        }
        // Back to Running if a container still runs and the pod is Ready.
        if reason == "Completed" {
            if has_running && has_ready_condition(&status.conditions) {
                reason = "Running".to_owned();
            } else if !error_reason.is_empty() {
                reason = error_reason;
            } else if has_running {
                reason = "NotReady".to_owned();
            }
        }
        (ready, restarts, last_restart) = (tally.ready, tally.restarts, tally.last_restart);
    }

    if pod.metadata.is_terminating() && status.reason == NODE_LOST {
        reason = "Unknown".to_owned();
    } else if pod.metadata.is_terminating() && !matches!(phase, "Succeeded" | "Failed") {
        reason = "Terminating".to_owned();
    }

    let restarts_text = match last_restart {
        Some(t) if restarts != 0 => {
            format!(
                "{restarts} ({} ago)",
                translate_timestamp_since(Some(t), now)
            )
        }
        _ => restarts.to_string(),
    };
    let mut cells: Vec<Cell> = vec![
        pod.metadata.name.as_str().into(),
        format!("{ready}/{total}").into(),
        reason.into(),
        restarts_text.into(),
        translate_timestamp_since(pod.metadata.creation_timestamp, now).into(),
    ];
    if wide {
        cells.extend(wide_cells(pod).into_iter().map(Cell::from));
    }
    Row { cells, conditions }
}

/// `IP`, `NODE`, `NOMINATED NODE`, `READINESS GATES`; `<none>` for each one unset.
fn wide_cells(pod: &Pod) -> [String; 4] {
    let status = &pod.status;
    let none = |s: &str| {
        if s.is_empty() {
            "<none>".to_owned()
        } else {
            s.to_owned()
        }
    };
    // The internal API keeps only `podIPs`; converting a v1 pod puts `podIP` first.
    let ip = if status.pod_ip.is_empty() {
        status.pod_ips.first().map_or("", |p| p.ip.as_str())
    } else {
        status.pod_ip.as_str()
    };
    let gates = &pod.spec.readiness_gates;
    let readiness = if gates.is_empty() {
        "<none>".to_owned()
    } else {
        let true_count = gates
            .iter()
            .filter(|g| {
                status
                    .conditions
                    .iter()
                    .find(|c| c.type_ == g.condition_type)
                    .is_some_and(|c| c.status == "True")
            })
            .count();
        format!("{true_count}/{}", gates.len())
    };
    [
        none(ip),
        none(&pod.spec.node_name),
        none(&status.nominated_node_name),
        readiness,
    ]
}

/// `hasPodReadyCondition`: some `Ready` condition is `True`.
fn has_ready_condition(conditions: &[PodCondition]) -> bool {
    conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

/// `isPodInitializedConditionTrue`: the first `Initialized` condition is `True`.
fn is_initialized(status: &PodStatus) -> bool {
    status
        .conditions
        .iter()
        .find(|c| c.type_ == "Initialized")
        .is_some_and(|c| c.status == "True")
}
