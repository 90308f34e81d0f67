//! The kubelet's view of each pod (app health, container states), the timed things it
//! waits for, and its timings.

use std::sync::Arc;

use super::probe::ProbeState;
use crate::apps::App;
use crate::objects::{NamespacedName, Pod};

/// How long a new pod takes from being scheduled to running (sandbox, IP, image pull).
///
/// Simplification: a fixed delay; a real kubelet's start time varies.
pub const POD_START_MILLIS: u64 = 2_000;

/// How long after a crash a container runs again.
///
/// Simplification: the kubelet restarts with an exponential back-off (10 s doubling to
/// 5 min, `CrashLoopBackOff`); the playground restarts after a fixed second.
pub const CRASH_RESTART_MILLIS: u64 = 1_000;

/// How long a pod whose node is gone lives before the pod garbage collector deletes it.
/// Upstream: kubernetes/kubernetes@v1.31.0
/// `pkg/controller/podgc/gc_controller.go` `quarantineTime` (40 s).
pub const ORPHAN_GC_MILLIS: u64 = 40_000;

/// A timed thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Timed {
    /// The pod's sandbox is up: it gets its IP and its containers start.
    Start { pod: NamespacedName, uid: u64 },
    /// A readiness probe runs.
    Probe {
        pod: NamespacedName,
        uid: u64,
        container: usize,
        epoch: u32,
    },
    /// A crashed container runs again.
    Restart {
        pod: NamespacedName,
        uid: u64,
        container: usize,
        epoch: u32,
    },
    /// The grace period of a delete ended: the pod object goes.
    GraceOver { pod: NamespacedName, uid: u64 },
    /// Every container of a deleted pod exited after SIGTERM before the grace period
    /// ended: the pod object goes.
    Exited { pod: NamespacedName, uid: u64 },
    /// The pod's node is gone and the quarantine ended: the pod object goes.
    OrphanGc { pod: NamespacedName, uid: u64 },
    /// A Job's pod ran to completion: its containers exit 0 (if container 0 is still in
    /// the run `epoch`).
    Complete {
        pod: NamespacedName,
        uid: u64,
        epoch: u32,
    },
    /// A CronJob's schedule fires.
    Cron { cron_job: NamespacedName, uid: u64 },
    /// A finished Job's `ttlSecondsAfterFinished` passed.
    JobTtl { job: NamespacedName, uid: u64 },
}

/// The kubelet's view of one pod: whether its app is healthy and its containers' states.
#[derive(Debug, Clone)]
pub(crate) struct PodRuntime {
    /// Whether the app answers its probe (the user breaks and heals it).
    pub(crate) healthy: bool,
    pub(crate) containers: Vec<ContainerRuntime>,
}

/// One container's state.
#[derive(Debug, Clone)]
pub(crate) struct ContainerRuntime {
    pub(crate) running: bool,
    /// What it runs, read from its image, command, args and env.
    pub(crate) app: Arc<App>,
    /// `None`: the container has no readiness probe.
    pub(crate) probe: Option<ProbeState>,
    /// Bumped on every crash, so queued items of the old run are ignored.
    pub(crate) epoch: u32,
}

impl PodRuntime {
    pub(crate) fn new(pod: &Pod) -> Self {
        PodRuntime {
            healthy: true,
            containers: pod
                .spec
                .containers
                .iter()
                .map(|c| ContainerRuntime {
                    running: false,
                    app: Arc::new(crate::apps::app_of(c)),
                    probe: c.readiness_probe.as_ref().map(|_| ProbeState::new()),
                    epoch: 0,
                })
                .collect(),
        }
    }

    /// Pod Ready: every container running and passing its probe (if it has one).
    pub(crate) fn all_ready(&self) -> bool {
        self.containers
            .iter()
            .all(|c| c.running && c.probe.as_ref().is_none_or(ProbeState::is_ready))
    }
}
