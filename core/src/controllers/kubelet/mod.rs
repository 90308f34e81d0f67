//! The simulated kubelet: starting pods, running readiness probes, restarting crashed
//! containers, and removing pods whose grace period is over; plus the pod garbage
//! collector for pods whose node is gone. Its rules (the probe state machine) are in
//! `probe`, its per-pod state in `runtime`.
//!
//! Every timed thing is a `Timed` item in the world's queue. Items carry the pod's uid
//! (and a container epoch) so that an item for a pod that has since been replaced or
//! restarted is ignored.

pub mod probe;
pub(crate) mod runtime;

pub use runtime::{CRASH_RESTART_MILLIS, ORPHAN_GC_MILLIS, POD_START_MILLIS};
pub(crate) use runtime::{PodRuntime, Timed};

use std::net::Ipv4Addr;

use crate::objects::{NamespacedName, PodPhase};
use crate::sim::SimTime;
use crate::world::{WorkloadKind, World, owner_of};
use probe::{ProbeState, ProbeTransition};

/// How long the containers of a Job's pod run before they exit 0 and the pod is
/// Succeeded.
///
/// Simplification: a Job's work is not simulated; every run takes this long and
/// succeeds (a crash, by the user, is the only failure).
pub const JOB_RUN_MILLIS: u64 = 10_000;

impl World {
    /// Handles one timed item. Every item but a probe tick counts as a change of the
    /// objects ([`World::revision`]); a probe tick does when it records something new.
    pub(crate) fn handle_timed(&mut self, item: Timed) {
        if !matches!(item, Timed::Probe { .. }) {
            self.touch();
        }
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
                    format!(
                        "pod {} deleted: its grace period of {grace}s ended",
                        pod.name
                    ),
                );
            }
            Timed::Complete { pod, uid, epoch } if self.uid_is(&pod, uid) => {
                self.complete_pod(&pod, epoch);
            }
            Timed::Cron { cron_job, uid } => self.cron_job_fired(&cron_job, uid),
            Timed::JobTtl { job, uid } => self.job_ttl_expired(&job, uid),
            Timed::Exited { pod, uid } if self.uid_is(&pod, uid) => {
                self.remove_pod(&pod);
                self.event(
                    "Pod",
                    &pod,
                    format!(
                        "pod {} deleted: its containers exited after SIGTERM",
                        pod.name
                    ),
                );
            }
            Timed::OrphanGc { pod, uid } if self.uid_is(&pod, uid) => {
                let node = self
                    .pods
                    .get(&pod)
                    .map(|p| p.spec.node_name.clone())
                    .unwrap_or_default();
                if !self.nodes.contains(&node) {
                    self.remove_pod(&pod);
                    self.event(
                        "Pod",
                        &pod,
                        format!(
                            "pod {} deleted by the pod garbage collector: node {node} is gone",
                            pod.name
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    fn uid_is(&self, pod: &NamespacedName, uid: u64) -> bool {
        self.pods.get(pod).is_some_and(|p| p.metadata.uid == uid)
    }

    fn start_pod(&mut self, key: &NamespacedName) {
        let name = &key.name;
        let Some(node) = self.pods.get(key).map(|p| p.spec.node_name.clone()) else {
            return;
        };
        if !self.nodes.contains(&node) {
            return; // The node went away before the pod started; the pod GC removes it.
        }
        let Some(ip) = self.assign_ip(key) else {
            self.event(
                "Pod",
                key,
                format!("pod {name} cannot start: node {node} has no free pod IP"),
            );
            return;
        };
        let now = self.now;
        if let Some(p) = self.pods.get_mut(key) {
            p.status.phase = PodPhase::Running;
            p.status.start_time = Some(now);
        }
        self.event(
            "Pod",
            key,
            format!("pod {name} is Running on {node} with IP {ip}"),
        );
        let count = self.kubelet.get(key).map_or(0, |r| r.containers.len());
        for i in 0..count {
            self.run_container(key, i);
        }
        self.update_ready(key, "no container has a readiness probe");
        self.start_job_run(key);
    }

    /// A Job's pod: its run ends [`JOB_RUN_MILLIS`] from now.
    fn start_job_run(&mut self, key: &NamespacedName) {
        let Some(pod) = self.pods.get(key) else {
            return;
        };
        if !matches!(owner_of(&pod.metadata), Some((WorkloadKind::Job, _))) {
            return;
        }
        let uid = pod.metadata.uid;
        let epoch = self
            .kubelet
            .get(key)
            .and_then(|r| r.containers.first())
            .map_or(0, |c| c.epoch);
        self.queue.timed.push(
            self.now.plus_millis(JOB_RUN_MILLIS),
            Timed::Complete {
                pod: key.clone(),
                uid,
                epoch,
            },
        );
    }

    /// A Job's pod's containers exit 0: the pod is Succeeded (terminal: never an
    /// endpoint again) and its Job counts it.
    fn complete_pod(&mut self, key: &NamespacedName, epoch: u32) {
        let running = self
            .kubelet
            .get(key)
            .and_then(|r| r.containers.first())
            .is_none_or(|c| c.epoch == epoch && c.running);
        let phase_ok = self
            .pods
            .get(key)
            .is_some_and(|p| p.status.phase == PodPhase::Running);
        if !running || !phase_ok {
            return;
        }
        if let Some(rt) = self.kubelet.get_mut(key) {
            for c in &mut rt.containers {
                c.running = false;
                c.epoch = c.epoch.wrapping_add(1);
            }
        }
        let owner = self.pods.get_mut(key).and_then(|p| {
            p.status.phase = PodPhase::Succeeded;
            owner_of(&p.metadata)
        });
        let name = &key.name;
        self.update_ready(key, "its containers exited 0");
        self.event(
            "Pod",
            key,
            format!(
                "pod {name} is Succeeded: its containers exited 0 (a Job's pod runs to completion)"
            ),
        );
        self.mark_services_for_pod(key);
        if let Some((kind, owner)) = owner {
            self.queue.owner(kind, owner);
        }
    }

    /// Gives a bound pod an IP from its node's pod CIDR.
    fn assign_ip(&mut self, key: &NamespacedName) -> Option<Ipv4Addr> {
        let node = self.pods.get(key)?.spec.node_name.clone();
        let ip = self.nodes.allocate_ip(&node)?;
        self.pods.set_ip(key, ip);
        self.mark_services_for_pod(key);
        Some(ip)
    }

    /// Marks a container running and queues its first probe.
    fn run_container(&mut self, key: &NamespacedName, index: usize) {
        let Some(pod) = self.pods.get(key) else {
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
            .get_mut(key)
            .and_then(|r| r.containers.get_mut(index))
        else {
            return;
        };
        c.running = true;
        let epoch = c.epoch;
        if let Some(probe) = probe {
            c.probe = Some(ProbeState::new());
            let at = SimTime(probe::first_probe_at(self.now.as_millis(), &probe));
            self.queue.timed.push(
                at,
                Timed::Probe {
                    pod: key.clone(),
                    uid,
                    container: index,
                    epoch,
                },
            );
        }
    }

    fn probe_tick(&mut self, key: &NamespacedName, index: usize, epoch: u32) {
        let Some(pod) = self.pods.get(key) else {
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
        let Some(rt) = self.kubelet.get_mut(key) else {
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
        let before = state.shown();
        let transition = state.record(healthy, &probe);
        let recorded = state.shown() != before;
        let next = self.now.plus_millis(probe::period_ms(&probe));
        self.queue.timed.push(
            next,
            Timed::Probe {
                pod: key.clone(),
                uid,
                container: index,
                epoch,
            },
        );
        if recorded || transition != ProbeTransition::Unchanged {
            self.touch();
        }
        match transition {
            ProbeTransition::Unchanged => {}
            ProbeTransition::BecameReady => {
                let n = probe.success_threshold.max(1);
                let why = if n == 1 {
                    "readiness probe succeeded".to_owned()
                } else {
                    format!("readiness probe succeeded {n} times")
                };
                self.update_ready(key, &why);
            }
            ProbeTransition::BecameNotReady { failures } => {
                self.update_ready(key, &format!("readiness probe failed {failures} times"));
            }
        }
    }

    /// Recomputes the pod's Ready condition; on a flip, logs it with `why` and marks the
    /// pod's Services for sync.
    pub(crate) fn update_ready(&mut self, key: &NamespacedName, why: &str) {
        let name = &key.name;
        let ready = self.kubelet.get(key).is_some_and(PodRuntime::all_ready);
        let now = self.now;
        let Some(pod) = self.pods.get_mut(key) else {
            return;
        };
        let ready = ready && pod.status.phase == PodPhase::Running;
        if pod.status.ready == ready {
            return;
        }
        pod.status.ready = ready;
        pod.status.ready_since = ready.then_some(now);
        // A StatefulSet in OrderedReady mode waits for this (its informer sees the
        // pod's update).
        if let Some((WorkloadKind::StatefulSet, set)) = owner_of(&pod.metadata) {
            self.queue.owner(WorkloadKind::StatefulSet, set);
        }
        let word = if ready { "Ready" } else { "NotReady" };
        self.event("Pod", key, format!("pod {name} is {word}: {why}"));
        self.mark_services_for_pod(key);
    }

    /// The container exits; the kubelet restarts it after [`CRASH_RESTART_MILLIS`].
    ///
    /// With `restartPolicy: Never` nothing restarts: the pod's phase becomes `Failed`
    /// (terminal), it leaves every EndpointSlice at once, and its ReplicaSet, which
    /// counts only active pods, replaces it.
    pub(crate) fn crash_containers(&mut self, key: &NamespacedName) {
        let name = &key.name;
        let Some(uid) = self.pods.get(key).map(|p| p.metadata.uid) else {
            return;
        };
        let never = self
            .pods
            .get(key)
            .is_some_and(|p| p.spec.restart_policy == "Never");
        self.processes_stopped(key);
        let mut restarts = Vec::new();
        if let Some(rt) = self.kubelet.get_mut(key) {
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
            let owner = self.pods.get_mut(key).and_then(|p| {
                p.status.phase = PodPhase::Failed;
                owner_of(&p.metadata)
            });
            if let Some((kind, owner)) = owner {
                self.queue.owner(kind, owner);
            }
            self.update_ready(key, "its container exited");
            self.event(
                "Pod",
                key,
                format!("pod {name} is Failed: its container exited and restartPolicy is Never"),
            );
            self.mark_services_for_pod(key);
            return;
        }
        let at = self.now.plus_millis(CRASH_RESTART_MILLIS);
        for (container, epoch) in restarts {
            self.queue.timed.push(
                at,
                Timed::Restart {
                    pod: key.clone(),
                    uid,
                    container,
                    epoch,
                },
            );
        }
        self.update_ready(key, "its container exited");
    }

    fn restart_container(&mut self, key: &NamespacedName, index: usize, epoch: u32) {
        let name = &key.name;
        let current = self
            .kubelet
            .get(key)
            .and_then(|r| r.containers.get(index))
            .map(|c| c.epoch);
        if current != Some(epoch) {
            return;
        }
        let restarts = match self.pods.get_mut(key) {
            Some(p) => {
                p.status.restart_count += 1;
                p.status.restart_count
            }
            None => return,
        };
        let container = self
            .pods
            .get(key)
            .and_then(|p| p.spec.containers.get(index))
            .map(|c| c.name.clone())
            .unwrap_or_default();
        self.event("Pod", key, format!("pod {name}: container {container} restarted (restartCount {restarts}); not ready until its probe passes"));
        self.run_container(key, index);
        self.update_ready(key, "its container restarted without a readiness probe");
        if index == 0 {
            self.start_job_run(key);
        }
    }
}
