//! Pod commands (delete, crash, break and heal the app, relabel, create) and the pod
//! bookkeeping every path shares: inserting and removing a pod with everything that
//! refers to it, and marking the Services a pod's labels can match.

use std::net::Ipv4Addr;
use std::sync::Arc;

use super::command::{Change, Verb};
use super::{World, owner_of};
use crate::apiserver::validate::invalid;
use crate::apiserver::validate_pod::validate_pod;
use crate::controllers::kubelet::runtime::{PodRuntime, Timed};
use crate::error::CommandError;
use crate::labels::selector_text;
use crate::objects::pod::DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
use crate::objects::{Labels, NamespacedName, Pod, PodPhase, PodStatus};

impl World {
    /// The pod, or kubectl's `pods "x" not found`.
    pub(crate) fn pod_or_not_found(&self, key: &NamespacedName) -> Result<&Pod, CommandError> {
        self.pods.get(key).ok_or_else(|| CommandError::PodNotFound {
            name: key.name.clone(),
        })
    }

    /// Deletes a pod gracefully (`kubectl delete pod`): `deletionTimestamp` = now +
    /// grace (the pod's `terminationGracePeriodSeconds`, default 30 s). Its endpoint
    /// turns terminating and not ready at once (serving follows readiness, as probes
    /// keep running), its ReplicaSet creates a replacement at once, and the pod object
    /// goes when the grace period ends.
    ///
    /// A pod that was never scheduled, or whose phase is Succeeded or Failed, is deleted
    /// at once (grace period 0), as the API server does.
    ///
    /// SIGTERM reaches the containers at once: the programs the playground knows to exit
    /// on it (fortio and hey, agnhost netexec after its `--delay-shutdown`) stop then, and
    /// a pod whose containers have all exited goes before its grace period ends.
    ///
    /// Simplification: any other program keeps running until the grace period ends (as
    /// an app ignoring SIGTERM would); there is no preStop hook; the connections to a
    /// pod close when the pod goes, not when one of several containers exits.
    pub(super) fn delete_pod(&mut self, key: &NamespacedName) -> Result<Change, CommandError> {
        let pod = self.pod_or_not_found(key)?;
        if pod.metadata.is_terminating() {
            return Err(CommandError::PodTerminating {
                name: key.name.clone(),
            });
        }
        self.begin_delete(key, None, "deleted by the user");
        Ok(Change::new("pod", key.clone(), Verb::Deleted))
    }

    /// Starts a graceful delete with `grace` seconds (the pod's own by default).
    pub(crate) fn begin_delete(&mut self, key: &NamespacedName, grace: Option<u32>, why: &str) {
        let now = self.now;
        let Some(pod) = self.pods.get_mut(key) else {
            return;
        };
        if pod.metadata.is_terminating() {
            return;
        }
        let name = &key.name;
        let unbound = pod.spec.node_name.is_empty();
        if unbound || pod.status.phase.is_terminal() {
            // Upstream: kubernetes/kubernetes@03e06024
            // `pkg/registry/core/pod/strategy.go` `CheckGracefulDelete`:
            // an unscheduled or terminated pod is deleted with grace period 0.
            let cause = if unbound {
                "it was never scheduled, so no kubelet has to stop it".to_owned()
            } else {
                format!(
                    "its phase is {:?}, so nothing is left running",
                    pod.status.phase
                )
            };
            self.remove_pod(key);
            self.event(
                "Pod",
                key,
                format!("pod {name} deleted at once ({why}): {cause}"),
            );
            return;
        }
        let grace = grace
            .or(pod.spec.termination_grace_period_seconds)
            .unwrap_or(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
        let until = now.plus_millis(u64::from(grace) * 1000);
        pod.metadata.deletion_timestamp = Some(until);
        pod.metadata.deletion_grace_period_seconds = Some(grace);
        let uid = pod.metadata.uid;
        if let Some((kind, owner)) = owner_of(&pod.metadata) {
            self.queue.owner(kind, owner);
        }
        // SIGTERM: a container whose program exits on it ends the pod early (the kubelet
        // deletes a pod once all its containers have exited).
        let exit = self.sigterm_exit_ms(key);
        let grace_ms = u64::from(grace) * 1000;
        if exit == Some(0) {
            // Every program exits on SIGTERM at once: the kubelet sees no container left
            // and the pod goes now (not at a queued moment, so no slicing of time can
            // put a command before or after it).
            self.sigterm_clients(key);
            self.remove_pod(key);
            self.event(
                "Pod",
                key,
                format!("pod {name} deleted ({why}): its containers exited on SIGTERM"),
            );
            return;
        }
        let pod = key.clone();
        let (at, item, gone) = match exit {
            Some(ms) if ms < grace_ms => {
                let at = now.plus_millis(ms);
                (
                    at,
                    Timed::Exited { pod, uid },
                    format!("its containers exit after SIGTERM, gone at {at}"),
                )
            }
            _ => (
                until,
                Timed::GraceOver { pod, uid },
                format!("gone at {until}"),
            ),
        };
        self.queue.timed.push(at, item);
        self.event(
            "Pod",
            key,
            format!("pod {name} is Terminating ({why}): grace period {grace}s, {gone}"),
        );
        self.sigterm_clients(key);
        self.mark_services_for_pod(key);
    }

    /// How long after SIGTERM every container of the pod has exited (`None`: one keeps
    /// running until it is killed at the end of the grace period).
    fn sigterm_exit_ms(&self, key: &NamespacedName) -> Option<u64> {
        let rt = self.kubelet.get(key)?;
        let mut latest = 0;
        for c in &rt.containers {
            let ms = match &*c.app {
                crate::apps::App::Load(l) => match l.tool {
                    // Go programs exit on SIGTERM; a shell as PID 1 ignores it.
                    crate::apps::Tool::Fortio | crate::apps::Tool::Hey => Some(0),
                    _ => None,
                },
                crate::apps::App::Server(s) => s.sigterm_exit_ms,
                crate::apps::App::Refused { .. } => Some(0),
            };
            latest = latest.max(ms?);
        }
        Some(latest)
    }

    /// Makes the pod's containers exit (a crash, not a delete): the pod is NotReady at
    /// once, the kubelet restarts the containers after
    /// [`CRASH_RESTART_MILLIS`](crate::controllers::kubelet::CRASH_RESTART_MILLIS) (`restartCount` + 1), and the pod is Ready again
    /// only when its readiness probe passes. The pod keeps its name and IP.
    pub(super) fn crash_pod(&mut self, key: &NamespacedName) -> Result<Change, CommandError> {
        let pod = self.pod_or_not_found(key)?;
        if pod.status.phase != PodPhase::Running {
            return Err(CommandError::PodNotRunning {
                name: key.name.clone(),
                phase: format!("{:?}", pod.status.phase),
            });
        }
        let name = &key.name;
        self.event(
            "Pod",
            key,
            format!("pod {name}: containers crashed (exited); the kubelet restarts them"),
        );
        self.crash_containers(key);
        Ok(Change::new("pod", key.clone(), Verb::Configured))
    }

    /// Breaks (`healthy: false`) or heals the app in a pod: its readiness probe fails
    /// (passes) from now on, so after `failureThreshold` × `periodSeconds` the pod is
    /// NotReady (after `successThreshold` probes, Ready). A pod without a readiness
    /// probe stays Ready: nothing checks.
    pub(super) fn set_health(
        &mut self,
        key: &NamespacedName,
        healthy: bool,
    ) -> Result<Change, CommandError> {
        let rt = self
            .kubelet
            .get_mut(key)
            .ok_or_else(|| CommandError::PodNotFound {
                name: key.name.clone(),
            })?;
        if rt.healthy == healthy {
            return Ok(Change::new("pod", key.clone(), Verb::Unchanged));
        }
        rt.healthy = healthy;
        let probed = rt.containers.iter().any(|c| c.probe.is_some());
        let name = &key.name;
        let msg = match (healthy, probed) {
            (false, true) => {
                format!("pod {name}: app broken; its readiness probe fails from now on")
            }
            (false, false) => {
                format!("pod {name}: app broken, but it has no readiness probe, so it stays Ready")
            }
            (true, _) => format!("pod {name}: app healed; its readiness probe passes from now on"),
        };
        self.event("Pod", key, msg);
        Ok(Change::new("pod", key.clone(), Verb::Configured))
    }

    /// Replaces a pod's labels (`kubectl label --overwrite`). Services whose selectors
    /// matched the old or match the new labels re-sync. A pod that no longer matches
    /// its ReplicaSet's selector is released (orphaned), and the ReplicaSet replaces it.
    pub(super) fn set_pod_labels(
        &mut self,
        key: &NamespacedName,
        labels: Labels,
    ) -> Result<Change, CommandError> {
        let old = self.pod_or_not_found(key)?.metadata.labels.clone();
        crate::apiserver::validate_meta::check_labels(
            &format!("pod \"{}\"", key.name),
            "metadata.labels",
            &labels,
        )?;
        self.mark_services_for(key, &old);
        self.pods.relabel(key, labels.clone());
        self.mark_services_for(key, &labels);
        let name = &key.name;
        self.event(
            "Pod",
            key,
            format!("pod {name} relabelled: {}", selector_text(&labels)),
        );
        let owner = self.pods.get(key).and_then(|p| owner_of(&p.metadata));
        if let Some((kind, owner)) = owner {
            let still = self.owner_selects(kind, &owner, &labels);
            if !still {
                if let Some(p) = self.pods.get_mut(key) {
                    p.metadata.owner_references.retain(|o| !o.controller);
                }
                let (owner_name, word) = (owner.name.clone(), kind.kind().to_lowercase());
                self.pods.release_owner(key, &(kind, owner.clone()));
                self.queue.owner(kind, owner);
                self.event(
                    "Pod",
                    key,
                    format!("pod {name} released by {word} {owner_name}: its labels no longer match the selector"),
                );
            }
        }
        Ok(Change::new("pod", key.clone(), Verb::Labeled))
    }

    /// Creates a bare pod (no owner: nothing replaces it) as given, validated as the
    /// API server validates it; it is scheduled and started like any other. Namespace
    /// defaults to `default`; status is reset.
    pub(crate) fn create_pod(&mut self, mut pod: Pod) -> Result<Change, CommandError> {
        if pod.metadata.namespace.is_empty() {
            pod.metadata.namespace = crate::objects::DEFAULT_NAMESPACE.to_owned();
        }
        let errs = validate_pod(&pod);
        if !errs.is_empty() {
            return Err(invalid("Pod", &pod.metadata.name, errs));
        }
        let key = pod.metadata.key();
        self.check_namespace(&key.namespace)?;
        if self.pods.contains(&key) {
            return Err(CommandError::AlreadyExists {
                kind: "pods",
                name: key.name,
            });
        }
        pod.metadata.uid = self.uid();
        pod.metadata.creation_timestamp = Some(self.now);
        pod.metadata.deletion_timestamp = None;
        pod.metadata.owner_references.clear();
        pod.spec.node_name.clear();
        pod.status = PodStatus::default();
        self.insert_pod(pod);
        let name = &key.name;
        self.event("Pod", &key, format!("pod {name} created"));
        Ok(Change::new("pod", key, Verb::Created))
    }

    /// Inserts a new pod (Pending, unscheduled) and indexes it. The caller has checked
    /// the key is free.
    pub(crate) fn insert_pod(&mut self, pod: Pod) {
        let runtime = PodRuntime::new(&pod);
        self.register_clients(&pod, &runtime);
        let key = self.pods.insert(pod);
        self.kubelet.insert(Arc::clone(&key), runtime);
        self.mark_services_for_pod(&key);
        self.queue.scheduling = true;
    }

    /// Removes a pod and everything that refers to it.
    pub(crate) fn remove_pod(&mut self, key: &NamespacedName) -> Option<Pod> {
        let node = self.pods.get(key)?.spec.node_name.clone();
        let before = self.pods.count_on_node(&node);
        let pod = self.pods.remove(key)?;
        self.kubelet.remove(key);
        self.mark_services_for(key, &pod.metadata.labels);
        if let Some((kind, owner)) = owner_of(&pod.metadata) {
            self.queue.owner(kind, owner);
        }
        if !node.is_empty() {
            if let Ok(ip) = pod.status.pod_ip.parse::<Ipv4Addr>() {
                self.nodes.release_ip(&node, ip);
            }
            self.nodes
                .adjust_load(&node, before, before.saturating_sub(1));
            self.queue.scheduling = true;
        }
        self.traffic.stats.forget_pod(key);
        self.pod_gone(key);
        Some(pod)
    }

    /// Marks for sync, for the pod `pod`, the Services in its namespace whose selectors
    /// match `labels`: only Services filed under one of the pod's own pairs are looked
    /// at, never every one, and each syncs only that pod's endpoint.
    pub(crate) fn mark_services_for(&mut self, pod: &NamespacedName, labels: &Labels) {
        for key in self.services.matching(&pod.namespace, labels) {
            self.queue.service_pod(key, &pod.name);
        }
    }

    /// Marks for sync the Services of a pod's current labels.
    pub(crate) fn mark_services_for_pod(&mut self, key: &NamespacedName) {
        let Some(pod) = self.pods.get(key) else {
            return;
        };
        for service in self.services.matching(&key.namespace, &pod.metadata.labels) {
            self.queue.service_pod(service, &key.name);
        }
    }
}
