//! User commands. Each validates first and changes nothing when it refuses; each ends
//! by letting the controllers settle, so the slices are true when it returns.

use super::World;
use super::validate::{check_labels, label_selector_matches};
use crate::error::{CommandError, MAX_REPLICAS};
use crate::labels::selector_text;
use crate::objects::pod::DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
use crate::objects::{Labels, PodPhase};

impl World {
    /// Deletes a pod gracefully (`kubectl delete pod`): `deletionTimestamp` = now +
    /// grace (the pod's `terminationGracePeriodSeconds`, default 30 s). Its endpoint
    /// turns terminating and not ready at once (serving follows readiness, as probes
    /// keep running), its ReplicaSet creates a replacement at once, and the pod object
    /// goes when the grace period ends.
    ///
    /// A pod that was never scheduled, or whose phase is Succeeded or Failed, is deleted
    /// at once (grace period 0), as the API server does.
    ///
    /// Simplification: the containers keep running until the grace period ends (as an
    /// app ignoring SIGTERM would); there is no preStop hook.
    pub fn kill_pod(&mut self, name: &str) -> Result<(), CommandError> {
        let pod = self.pod_or_not_found(name)?;
        if pod.metadata.is_terminating() {
            return Err(CommandError::PodTerminating {
                name: name.to_owned(),
            });
        }
        self.begin_delete(name, None, "deleted by the user");
        self.settle();
        Ok(())
    }

    /// Starts a graceful delete with `grace` seconds (the pod's own by default).
    pub(super) fn begin_delete(&mut self, name: &str, grace: Option<u32>, why: &str) {
        let now = self.now;
        let Some(pod) = self.pods.get_mut(name) else {
            return;
        };
        if pod.metadata.is_terminating() {
            return;
        }
        let unbound = pod.spec.node_name.is_empty();
        if unbound || pod.status.phase.is_terminal() {
            // Upstream: kubernetes `pkg/registry/core/pod/strategy.go` `CheckGracefulDelete`:
            // an unscheduled or terminated pod is deleted with grace period 0.
            let cause = if unbound {
                "it was never scheduled, so no kubelet has to stop it".to_owned()
            } else {
                format!(
                    "its phase is {:?}, so nothing is left running",
                    pod.status.phase
                )
            };
            self.remove_pod(name);
            self.event(
                "Pod",
                name,
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
        if let Some(rs) = pod.metadata.controller_of_kind("ReplicaSet") {
            self.dirty_replica_sets.insert(rs.to_owned());
        }
        self.queue.push(
            until,
            super::kubelet::Timed::GraceOver {
                pod: name.to_owned(),
                uid,
            },
        );
        self.event(
            "Pod",
            name,
            format!("pod {name} is Terminating ({why}): grace period {grace}s, gone at {until}"),
        );
        self.mark_services_for_pod(name);
    }

    /// Makes the pod's containers exit (a crash, not a delete): the pod is NotReady at
    /// once, the kubelet restarts the containers after
    /// [`super::CRASH_RESTART_MILLIS`] (`restartCount` + 1), and the pod is Ready again
    /// only when its readiness probe passes. The pod keeps its name and IP.
    pub fn crash_pod(&mut self, name: &str) -> Result<(), CommandError> {
        let pod = self.pod_or_not_found(name)?;
        if pod.status.phase != PodPhase::Running {
            return Err(CommandError::PodNotRunning {
                name: name.to_owned(),
                phase: format!("{:?}", pod.status.phase),
            });
        }
        self.event(
            "Pod",
            name,
            format!("pod {name}: containers crashed (exited); the kubelet restarts them"),
        );
        self.crash_containers(name);
        self.settle();
        Ok(())
    }

    /// Breaks the app in a pod: its readiness probe fails from now on, so after
    /// `failureThreshold` × `periodSeconds` (30 s by default) the pod is NotReady.
    /// A pod without a readiness probe stays Ready: nothing checks.
    pub fn break_pod(&mut self, name: &str) -> Result<(), CommandError> {
        self.set_health(name, false)
    }

    /// Heals the app in a pod: its readiness probe passes again, so the pod is Ready
    /// after `successThreshold` successful probes.
    pub fn heal_pod(&mut self, name: &str) -> Result<(), CommandError> {
        self.set_health(name, true)
    }

    fn set_health(&mut self, name: &str, healthy: bool) -> Result<(), CommandError> {
        let rt = self
            .kubelet
            .get_mut(name)
            .ok_or_else(|| CommandError::PodNotFound {
                name: name.to_owned(),
            })?;
        if rt.healthy == healthy {
            return Ok(());
        }
        rt.healthy = healthy;
        let probed = rt.containers.iter().any(|c| c.probe.is_some());
        let msg = match (healthy, probed) {
            (false, true) => {
                format!("pod {name}: app broken; its readiness probe fails from now on")
            }
            (false, false) => {
                format!("pod {name}: app broken, but it has no readiness probe, so it stays Ready")
            }
            (true, _) => format!("pod {name}: app healed; its readiness probe passes from now on"),
        };
        self.event("Pod", name, msg);
        Ok(())
    }

    /// Sets a Deployment's replicas (`0..=MAX_REPLICAS`); its ReplicaSet creates or
    /// deletes pods (victims in the scale-down order).
    pub fn scale_deployment(&mut self, name: &str, replicas: i64) -> Result<(), CommandError> {
        if !self.deployments.contains_key(name) {
            return Err(CommandError::DeploymentNotFound {
                name: name.to_owned(),
            });
        }
        let Some(r) = i32::try_from(replicas)
            .ok()
            .filter(|r| (0..=MAX_REPLICAS).contains(r))
        else {
            return Err(CommandError::ReplicasOutOfRange {
                deployment: name.to_owned(),
                replicas,
                max: MAX_REPLICAS,
            });
        };
        let now = self.requested_pods();
        let current = self.deployments.get(name).and_then(|d| d.spec.replicas);
        let after = now.saturating_sub(replica_count(current)) + replica_count(Some(r));
        self.check_pods(name, now, after)?;
        if let Some(d) = self.deployments.get_mut(name) {
            d.spec.replicas = Some(r);
        }
        for rs in self.replica_sets_of(name) {
            if let Some(x) = self.replica_sets.get_mut(&rs) {
                x.spec.replicas = Some(r);
            }
            self.dirty_replica_sets.insert(rs);
        }
        self.event(
            "Deployment",
            name,
            format!("deployment {name} scaled to {r} replica(s)"),
        );
        self.settle();
        Ok(())
    }

    /// The pods the world asks for: every Deployment's replicas (1 when unset) and the
    /// pods no ReplicaSet owns; at most [`ClusterConfig::max_pods`](super::ClusterConfig).
    pub fn requested_pods(&self) -> u64 {
        let replicas = self.deployments.values().map(|d| d.spec.replicas);
        let replicas: u64 = replicas.map(replica_count).sum();
        let owned: usize = self.pods_by_rs.values().map(|pods| pods.len()).sum();
        replicas + (self.pods.len().saturating_sub(owned)) as u64
    }

    /// Refuses a change to Deployment `name` that takes the pods the world asks for from
    /// `now` to `after`, over the limit (a change that does not add pods passes).
    pub(super) fn check_pods(&self, name: &str, now: u64, after: u64) -> Result<(), CommandError> {
        if after <= now {
            return Ok(());
        }
        let max = self.config.max_pods;
        crate::limits::check_pods("spec.replicas", after, max).map_err(|error| {
            CommandError::OverLimit {
                object: format!("deployment \"{name}\""),
                error,
            }
        })
    }

    fn replica_sets_of(&self, deployment: &str) -> Vec<String> {
        self.replica_sets
            .iter()
            .filter(|(_, rs)| rs.metadata.controller_of_kind("Deployment") == Some(deployment))
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// Replaces a pod's labels (`kubectl label --overwrite`). Services whose selectors
    /// matched the old or match the new labels re-sync. A pod that no longer matches
    /// its ReplicaSet's selector is released (orphaned), and the ReplicaSet replaces it.
    pub fn set_pod_labels(&mut self, name: &str, labels: Labels) -> Result<(), CommandError> {
        self.pod_or_not_found(name)?;
        check_labels(&format!("pod \"{name}\""), "metadata.labels", &labels)?;
        self.relabel_pod(name, labels.clone());
        self.event(
            "Pod",
            name,
            format!("pod {name} relabelled: {}", selector_text(&labels)),
        );
        let owner = self
            .pods
            .get(name)
            .and_then(|p| p.metadata.controller_of_kind("ReplicaSet"))
            .map(str::to_owned);
        if let Some(rs) = owner {
            let still = self
                .replica_sets
                .get(&rs)
                .and_then(|r| r.spec.selector.as_ref())
                .is_some_and(|s| label_selector_matches(s, &labels));
            if !still {
                if let Some(p) = self.pods.get_mut(name) {
                    p.metadata
                        .owner_references
                        .retain(|o| !(o.controller && o.kind == "ReplicaSet"));
                }
                if let Some(set) = self.pods_by_rs.get_mut(&rs) {
                    set.remove(name);
                }
                self.dirty_replica_sets.insert(rs.clone());
                self.event("Pod", name, format!("pod {name} released by replicaset {rs}: its labels no longer match the selector"));
            }
        }
        self.settle();
        Ok(())
    }

    /// Replaces a Deployment's pod-template labels (the `pod-template-hash` label is
    /// kept). Existing pods keep their labels; new pods get the new ones. The labels
    /// must still satisfy the Deployment's selector.
    ///
    /// Simplification: a real template change rolls out a new ReplicaSet; here the
    /// existing ReplicaSet's template is edited in place (its name keeps the old hash).
    pub fn set_template_labels(
        &mut self,
        deployment: &str,
        labels: Labels,
    ) -> Result<(), CommandError> {
        let d =
            self.deployments
                .get(deployment)
                .ok_or_else(|| CommandError::DeploymentNotFound {
                    name: deployment.to_owned(),
                })?;
        check_labels(
            &format!("deployment \"{deployment}\""),
            "spec.template.metadata.labels",
            &labels,
        )?;
        let selector = d.spec.selector.clone().unwrap_or_default();
        if !label_selector_matches(&selector, &labels) {
            return Err(CommandError::SelectorDoesNotMatchTemplate {
                deployment: deployment.to_owned(),
                labels: selector_text(&labels),
            });
        }
        if let Some(d) = self.deployments.get_mut(deployment) {
            d.spec.template.metadata.labels = labels.clone();
        }
        for rs in self.replica_sets_of(deployment) {
            if let Some(x) = self.replica_sets.get_mut(&rs) {
                let hash = x
                    .spec
                    .template
                    .metadata
                    .labels
                    .get(super::build::POD_TEMPLATE_HASH_LABEL)
                    .cloned();
                x.spec.template.metadata.labels = labels.clone();
                if let Some(h) = hash {
                    x.spec
                        .template
                        .metadata
                        .labels
                        .insert(super::build::POD_TEMPLATE_HASH_LABEL.to_owned(), h);
                }
            }
        }
        self.event(
            "Deployment",
            deployment,
            format!(
                "deployment {deployment} template labels set to {}: new pods get them",
                selector_text(&labels)
            ),
        );
        self.settle();
        Ok(())
    }

    /// Replaces a Service's selector. `None` or `{}` means no selector: the controller
    /// stops managing the Service's slices and leaves them as they are (b.6).
    pub fn set_service_selector(
        &mut self,
        service: &str,
        selector: Option<Labels>,
    ) -> Result<(), CommandError> {
        if !self.services.contains_key(service) {
            return Err(CommandError::ServiceNotFound {
                name: service.to_owned(),
            });
        }
        if let Some(sel) = &selector {
            check_labels(&format!("service \"{service}\""), "spec.selector", sel)?;
        }
        self.unindex_service(service);
        let words = match &selector {
            Some(s) if !s.is_empty() => {
                format!("service {service} selector set to {}", selector_text(s))
            }
            _ => format!(
                "service {service} has no selector now: the EndpointSlice controller leaves its slices as they are"
            ),
        };
        if let Some(s) = self.services.get_mut(service) {
            s.spec.selector = selector;
        }
        self.index_service(service);
        self.event("Service", service, words);
        self.dirty_services.insert(service.to_owned());
        self.settle();
        Ok(())
    }

    /// Sets `publishNotReadyAddresses`: when true, every endpoint is `ready`.
    pub fn set_publish_not_ready(
        &mut self,
        service: &str,
        publish: bool,
    ) -> Result<(), CommandError> {
        let s = self
            .services
            .get_mut(service)
            .ok_or_else(|| CommandError::ServiceNotFound {
                name: service.to_owned(),
            })?;
        s.spec.publish_not_ready_addresses = publish;
        self.event(
            "Service",
            service,
            format!("service {service} publishNotReadyAddresses={publish}"),
        );
        self.dirty_services.insert(service.to_owned());
        self.settle();
        Ok(())
    }
}

/// A Deployment's `replicas` as a count of pods (1 when unset, as the API defaults it).
pub(super) fn replica_count(replicas: Option<i32>) -> u64 {
    u64::from(replicas.unwrap_or(1).max(0).unsigned_abs())
}
