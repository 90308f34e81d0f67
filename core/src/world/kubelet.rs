//! The simulated kubelet: starting pods, running readiness probes, restarting crashed
//! containers, and removing pods whose grace period is over; plus the pod garbage
//! collector for pods whose node is gone.
//!
//! Every timed thing is a [`Timed`] item in the world's queue. Items carry the pod's uid
//! (and a container epoch) so that an item for a pod that has since been replaced or
//! restarted is ignored.

use super::World;
use crate::controllers::probe::{self, ProbeState, ProbeTransition};
use crate::objects::{Pod, PodPhase};
use crate::sim::SimTime;

/// How long after a crash a container runs again.
///
/// Simplification: the kubelet restarts with an exponential back-off (10 s doubling to
/// 5 min, `CrashLoopBackOff`); the playground restarts after a fixed second.
pub const CRASH_RESTART_MILLIS: u64 = 1_000;

/// How long a pod whose node is gone lives before the pod garbage collector deletes it.
/// Upstream: kubernetes `pkg/controller/podgc/gc_controller.go` `quarantineTime` (40 s).
pub const ORPHAN_GC_MILLIS: u64 = 40_000;

/// A timed thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Timed {
    /// The pod's sandbox is up: it gets its IP and its containers start.
    Start { pod: String, uid: u64 },
    /// A readiness probe runs.
    Probe {
        pod: String,
        uid: u64,
        container: usize,
        epoch: u32,
    },
    /// A crashed container runs again.
    Restart {
        pod: String,
        uid: u64,
        container: usize,
        epoch: u32,
    },
    /// The grace period of a delete ended: the pod object goes.
    GraceOver { pod: String, uid: u64 },
    /// The pod's node is gone and the quarantine ended: the pod object goes.
    OrphanGc { pod: String, uid: u64 },
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
    /// `None`: the container has no readiness probe.
    pub(crate) probe: Option<ProbeState>,
    /// Bumped on every crash, so queued items of the old run are ignored.
    epoch: u32,
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
                    probe: c.readiness_probe.as_ref().map(|_| ProbeState::new()),
                    epoch: 0,
                })
                .collect(),
        }
    }

    /// Pod Ready: every container running and passing its probe (if it has one).
    fn all_ready(&self) -> bool {
        self.containers
            .iter()
            .all(|c| c.running && c.probe.as_ref().is_none_or(ProbeState::is_ready))
    }
}

impl World {
    pub(super) fn handle_timed(&mut self, item: Timed) {
        match item {
            Timed::Start { pod, uid } if self.uid_is(&pod, uid) => self.start_pod(&pod),
            Timed::Probe {
                pod,
                uid,
                container,
                epoch,
            } if self.uid_is(&pod, uid) => {
                self.probe_tick(&pod, container, epoch);
            }
            Timed::Restart {
                pod,
                uid,
                container,
                epoch,
            } if self.uid_is(&pod, uid) => {
                self.restart_container(&pod, container, epoch);
            }
            Timed::GraceOver { pod, uid } if self.uid_is(&pod, uid) => {
                let grace = self
                    .pods
                    .get(&pod)
                    .and_then(|p| p.metadata.deletion_grace_period_seconds)
                    .unwrap_or(0);
                self.remove_pod(&pod);
                self.event(
                    "Pod",
                    &pod,
                    format!("pod {pod} deleted: its grace period of {grace}s ended"),
                );
            }
            Timed::OrphanGc { pod, uid } if self.uid_is(&pod, uid) => {
                let node = self
                    .pods
                    .get(&pod)
                    .map(|p| p.spec.node_name.clone())
                    .unwrap_or_default();
                if !self.nodes.contains_key(&node) {
                    self.remove_pod(&pod);
                    self.event(
                        "Pod",
                        &pod,
                        format!(
                            "pod {pod} deleted by the pod garbage collector: node {node} is gone"
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    fn uid_is(&self, pod: &str, uid: u64) -> bool {
        self.pods.get(pod).is_some_and(|p| p.metadata.uid == uid)
    }

    fn start_pod(&mut self, name: &str) {
        let Some(node) = self.pods.get(name).map(|p| p.spec.node_name.clone()) else {
            return;
        };
        if !self.nodes.contains_key(&node) {
            return; // The node went away before the pod started; the pod GC removes it.
        }
        let Some(ip) = self.assign_ip(name) else {
            self.event(
                "Pod",
                name,
                format!("pod {name} cannot start: node {node} has no free pod IP"),
            );
            return;
        };
        let now = self.now;
        if let Some(p) = self.pods.get_mut(name) {
            p.status.phase = PodPhase::Running;
            p.status.start_time = Some(now);
        }
        self.event(
            "Pod",
            name,
            format!("pod {name} is Running on {node} with IP {ip}"),
        );
        let count = self.kubelet.get(name).map_or(0, |r| r.containers.len());
        for i in 0..count {
            self.run_container(name, i);
        }
        self.update_ready(name, "no container has a readiness probe");
    }

    /// Marks a container running and queues its first probe.
    fn run_container(&mut self, name: &str, index: usize) {
        let Some(pod) = self.pods.get(name) else {
            return;
        };
        let uid = pod.metadata.uid;
        let probe = pod
            .spec
            .containers
            .get(index)
            .and_then(|c| c.readiness_probe.clone());
        let Some(c) = self
            .kubelet
            .get_mut(name)
            .and_then(|r| r.containers.get_mut(index))
        else {
            return;
        };
        c.running = true;
        let epoch = c.epoch;
        if let Some(probe) = probe {
            c.probe = Some(ProbeState::new());
            let at = SimTime(probe::first_probe_at(self.now.as_millis(), &probe));
            self.queue.push(
                at,
                Timed::Probe {
                    pod: name.to_owned(),
                    uid,
                    container: index,
                    epoch,
                },
            );
        }
    }

    fn probe_tick(&mut self, name: &str, index: usize, epoch: u32) {
        let Some(pod) = self.pods.get(name) else {
            return;
        };
        let uid = pod.metadata.uid;
        let Some(probe) = pod
            .spec
            .containers
            .get(index)
            .and_then(|c| c.readiness_probe.clone())
        else {
            return;
        };
        let Some(rt) = self.kubelet.get_mut(name) else {
            return;
        };
        let healthy = rt.healthy;
        let Some(c) = rt.containers.get_mut(index) else {
            return;
        };
        if c.epoch != epoch || !c.running {
            return;
        }
        let Some(state) = c.probe.as_mut() else {
            return;
        };
        let transition = state.record(healthy, &probe);
        let next = self.now.plus_millis(probe::period_ms(&probe));
        self.queue.push(
            next,
            Timed::Probe {
                pod: name.to_owned(),
                uid,
                container: index,
                epoch,
            },
        );
        match transition {
            ProbeTransition::Unchanged => {}
            ProbeTransition::BecameReady => {
                let n = probe.success_threshold.max(1);
                let why = if n == 1 {
                    "readiness probe succeeded".to_owned()
                } else {
                    format!("readiness probe succeeded {n} times")
                };
                self.update_ready(name, &why);
            }
            ProbeTransition::BecameNotReady { failures } => {
                self.update_ready(name, &format!("readiness probe failed {failures} times"));
            }
        }
    }

    /// Recomputes the pod's Ready condition; on a flip, logs it with `why` and marks the
    /// pod's Services for sync.
    pub(super) fn update_ready(&mut self, name: &str, why: &str) {
        let ready = self.kubelet.get(name).is_some_and(PodRuntime::all_ready);
        let now = self.now;
        let Some(pod) = self.pods.get_mut(name) else {
            return;
        };
        let ready = ready && pod.status.phase == PodPhase::Running;
        if pod.status.ready == ready {
            return;
        }
        pod.status.ready = ready;
        pod.status.ready_since = ready.then_some(now);
        let word = if ready { "Ready" } else { "NotReady" };
        self.event("Pod", name, format!("pod {name} is {word}: {why}"));
        self.mark_services_for_pod(name);
    }

    /// The container exits; the kubelet restarts it after [`CRASH_RESTART_MILLIS`].
    ///
    /// With `restartPolicy: Never` nothing restarts: the pod's phase becomes `Failed`
    /// (terminal), it leaves every EndpointSlice at once, and its ReplicaSet, which
    /// counts only active pods, replaces it.
    pub(super) fn crash_containers(&mut self, name: &str) {
        let Some(uid) = self.pods.get(name).map(|p| p.metadata.uid) else {
            return;
        };
        let never = self
            .pods
            .get(name)
            .is_some_and(|p| p.spec.restart_policy == "Never");
        let mut restarts = Vec::new();
        if let Some(rt) = self.kubelet.get_mut(name) {
            for (i, c) in rt.containers.iter_mut().enumerate() {
                c.running = false;
                c.epoch = c.epoch.wrapping_add(1);
                if let Some(p) = c.probe.as_mut() {
                    *p = ProbeState::new();
                }
                restarts.push((i, c.epoch));
            }
        }
        if never {
            let owner = self.pods.get_mut(name).and_then(|p| {
                p.status.phase = PodPhase::Failed;
                p.metadata
                    .controller_of_kind("ReplicaSet")
                    .map(str::to_owned)
            });
            if let Some(rs) = owner {
                self.dirty_replica_sets.insert(rs);
            }
            self.update_ready(name, "its container exited");
            self.event(
                "Pod",
                name,
                format!("pod {name} is Failed: its container exited and restartPolicy is Never"),
            );
            self.mark_services_for_pod(name);
            return;
        }
        let at = self.now.plus_millis(CRASH_RESTART_MILLIS);
        for (container, epoch) in restarts {
            self.queue.push(
                at,
                Timed::Restart {
                    pod: name.to_owned(),
                    uid,
                    container,
                    epoch,
                },
            );
        }
        self.update_ready(name, "its container exited");
    }

    fn restart_container(&mut self, name: &str, index: usize, epoch: u32) {
        let current = self
            .kubelet
            .get(name)
            .and_then(|r| r.containers.get(index))
            .map(|c| c.epoch);
        if current != Some(epoch) {
            return;
        }
        let restarts = match self.pods.get_mut(name) {
            Some(p) => {
                p.status.restart_count += 1;
                p.status.restart_count
            }
            None => return,
        };
        let container = self
            .pods
            .get(name)
            .and_then(|p| p.spec.containers.get(index))
            .map(|c| c.name.clone())
            .unwrap_or_default();
        self.event("Pod", name, format!("pod {name}: container {container} restarted (restartCount {restarts}); not ready until its probe passes"));
        self.run_container(name, index);
        self.update_ready(name, "its container restarted without a readiness probe");
    }
}
