//! Deployment commands (create with its ReplicaSet, delete, scale, relabel the
//! template) and the counts a panel shows, read over owner references.

use super::World;
use super::command::{Change, Verb};
use crate::apiserver::validate::invalid;
use crate::apiserver::validate_meta::check_labels;
use crate::apiserver::validate_workload::validate_deployment;
use crate::controllers::template_hash::template_hash;
use crate::error::{CommandError, MAX_REPLICAS};
use crate::labels::selector_text;
use crate::objects::{
    Deployment, Labels, NamespacedName, ObjectMeta, OwnerReference, Pod, ReplicaSet,
};

/// The label a Deployment adds to its ReplicaSet's selector, template and pods.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// How many of a workload's pods there are, counted over owner references (Deployment →
/// ReplicaSets → pods, CronJob → Jobs → pods, the others → pods), never by name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkloadCounts {
    /// `spec.replicas`.
    pub desired: i32,
    /// Pods that are neither terminating nor finished.
    pub current: usize,
    /// Of those, the Ready ones.
    pub ready: usize,
    /// Pods being deleted (still running out their grace period).
    pub terminating: usize,
    /// Pods that ran to completion (a Job's).
    pub succeeded: usize,
}

impl World {
    /// The pods a Deployment owns through its ReplicaSets, in key order.
    pub fn pods_of_deployment(&self, deployment: &NamespacedName) -> Vec<&Pod> {
        let mut out: Vec<&Pod> = self
            .workloads
            .of_deployment(deployment)
            .iter()
            .flat_map(|rs| self.pods.owned_by(rs))
            .collect();
        crate::sort::sort_by(&mut out, |a, b| a.metadata.name.cmp(&b.metadata.name));
        out
    }

    /// A Deployment's desired, current and ready pods; `None` when it does not exist.
    pub fn deployment_counts(&self, deployment: &NamespacedName) -> Option<WorkloadCounts> {
        let d = self.workloads.deployments.get(deployment)?;
        let mut c = WorkloadCounts {
            desired: d.spec.replicas.unwrap_or(1),
            ..WorkloadCounts::default()
        };
        for p in self.pods_of_deployment(deployment) {
            if p.metadata.is_terminating() {
                c.terminating += 1;
            } else if p.is_active() {
                c.current += 1;
                c.ready += usize::from(p.status.ready);
            }
        }
        Some(c)
    }

    /// Creates a Deployment as the API server would (validated; namespace defaults to
    /// `default`), with its ReplicaSet `<name>-<pod-template-hash>`, whose controller
    /// creates the pods.
    ///
    /// Simplification: one ReplicaSet per Deployment; no rollouts.
    pub(super) fn create_deployment(&mut self, mut d: Deployment) -> Result<Change, CommandError> {
        if d.metadata.namespace.is_empty() {
            d.metadata.namespace = crate::objects::DEFAULT_NAMESPACE.to_owned();
        }
        let errs = validate_deployment(&d);
        if !errs.is_empty() {
            return Err(invalid("Deployment.apps", &d.metadata.name, errs));
        }
        let key = d.metadata.key();
        self.check_namespace(&key.namespace)?;
        if self.workloads.deployments.contains_key(&key) {
            return Err(CommandError::AlreadyExists {
                kind: "deployments.apps",
                name: key.name,
            });
        }
        let replicas = d.spec.replicas.unwrap_or(1);
        if replicas > MAX_REPLICAS {
            return Err(CommandError::ReplicasOutOfRange {
                deployment: key.name,
                replicas: replicas.into(),
                max: MAX_REPLICAS,
            });
        }
        if self.pod_limit_applies() {
            let now = self.requested_pods();
            self.check_pods(&key.name, now, now + replica_count(Some(replicas)))?;
        }
        d.metadata.uid = self.uid();
        d.metadata.creation_timestamp = Some(self.now);
        d.spec.replicas = Some(replicas);
        let rs = self.replica_set_for(&d);
        let name = &key.name;
        let rs_name = rs.metadata.name.clone();
        self.event(
            "Deployment",
            &key,
            format!("deployment {name} created replicaset {rs_name} with {replicas} replica(s)"),
        );
        self.queue.replica_set(rs.metadata.key());
        self.workloads.put_replica_set(rs);
        self.workloads.deployments.insert(key.clone(), d);
        Ok(Change::new("deployment.apps", key, Verb::Created))
    }

    /// The ReplicaSet a new Deployment creates: its spec, with the
    /// `pod-template-hash` label added to the selector, the template and its labels.
    fn replica_set_for(&mut self, d: &Deployment) -> ReplicaSet {
        let hash = template_hash(&d.spec.template);
        let rs_name = format!("{}-{hash}", d.metadata.name);
        let mut rs = ReplicaSet {
            metadata: ObjectMeta::named(&d.metadata.namespace, &rs_name),
            spec: d.spec.clone(),
            status: Default::default(),
        };
        rs.metadata.uid = self.uid();
        rs.metadata.creation_timestamp = Some(self.now);
        rs.metadata.labels = d.spec.template.metadata.labels.clone();
        rs.metadata
            .labels
            .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), hash.clone());
        rs.metadata.owner_references = vec![OwnerReference {
            kind: "Deployment".into(),
            name: d.metadata.name.clone(),
            uid: d.metadata.uid,
            controller: true,
        }];
        let mut sel = d.spec.selector.clone().unwrap_or_default();
        sel.match_labels
            .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), hash.clone());
        rs.spec.selector = Some(sel);
        rs.spec
            .template
            .metadata
            .labels
            .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), hash);
        rs
    }

    /// Deletes a Deployment. The garbage collector then deletes its ReplicaSet, and the
    /// ReplicaSet's pods are deleted gracefully (background cascading deletion).
    pub(super) fn delete_deployment(
        &mut self,
        key: &NamespacedName,
    ) -> Result<Change, CommandError> {
        if self.workloads.deployments.remove(key).is_none() {
            return Err(CommandError::DeploymentNotFound {
                name: key.name.clone(),
            });
        }
        let name = &key.name;
        self.event("Deployment", key, format!("deployment {name} deleted"));
        for rs in self.workloads.of_deployment(key) {
            let pods: Vec<NamespacedName> =
                self.pods.owned_by(&rs).map(|p| p.metadata.key()).collect();
            self.workloads.remove_replica_set(&rs);
            let why = format!("its owner replicaset {} was deleted", rs.name);
            let owner = (super::WorkloadKind::ReplicaSet, rs.clone());
            for pod in pods {
                self.pods.release_owner(&pod, &owner);
                self.begin_delete(&pod, None, &why);
            }
        }
        Ok(Change::new("deployment.apps", key.clone(), Verb::Deleted))
    }

    /// Sets a Deployment's replicas (`0..=MAX_REPLICAS`); its ReplicaSet creates or
    /// deletes pods (victims in the scale-down order).
    pub(super) fn scale_deployment(
        &mut self,
        key: &NamespacedName,
        replicas: i64,
    ) -> Result<Change, CommandError> {
        if !self.workloads.deployments.contains_key(key) {
            return Err(CommandError::DeploymentNotFound {
                name: key.name.clone(),
            });
        }
        let Some(r) = i32::try_from(replicas)
            .ok()
            .filter(|r| (0..=MAX_REPLICAS).contains(r))
        else {
            return Err(CommandError::ReplicasOutOfRange {
                deployment: key.name.clone(),
                replicas,
                max: MAX_REPLICAS,
            });
        };
        let now = if self.pod_limit_applies() {
            self.requested_pods()
        } else {
            0
        };
        let current = self
            .workloads
            .deployments
            .get(key)
            .and_then(|d| d.spec.replicas);
        let after = now.saturating_sub(replica_count(current)) + replica_count(Some(r));
        self.check_pods(&key.name, now, after)?;
        if let Some(d) = self.workloads.deployments.get_mut(key) {
            d.spec.replicas = Some(r);
        }
        for rs in self.workloads.of_deployment(key) {
            if let Some(x) = self.workloads.replica_set_mut(&rs) {
                x.spec.replicas = Some(r);
            }
            self.queue.replica_set(rs);
        }
        let name = &key.name;
        self.event(
            "Deployment",
            key,
            format!("deployment {name} scaled to {r} replica(s)"),
        );
        Ok(Change::new("deployment.apps", key.clone(), Verb::Scaled))
    }

    /// Replaces a Deployment's pod-template labels (the `pod-template-hash` label is
    /// kept). Existing pods keep their labels; new pods get the new ones. The labels
    /// must still satisfy the Deployment's selector.
    ///
    /// Simplification: a real template change rolls out a new ReplicaSet; here the
    /// existing ReplicaSet's template is edited in place (its name keeps the old hash).
    pub(super) fn set_template_labels(
        &mut self,
        key: &NamespacedName,
        labels: Labels,
    ) -> Result<Change, CommandError> {
        let d = self.workloads.deployments.get(key).ok_or_else(|| {
            CommandError::DeploymentNotFound {
                name: key.name.clone(),
            }
        })?;
        check_labels(
            &format!("deployment \"{}\"", key.name),
            "spec.template.metadata.labels",
            &labels,
        )?;
        let selector = d.spec.selector.clone().unwrap_or_default();
        if !selector.matches(&labels) {
            return Err(CommandError::SelectorDoesNotMatchTemplate {
                deployment: key.name.clone(),
                labels: selector_text(&labels),
            });
        }
        if let Some(d) = self.workloads.deployments.get_mut(key) {
            d.spec.template.metadata.labels = labels.clone();
        }
        for rs in self.workloads.of_deployment(key) {
            if let Some(x) = self.workloads.replica_set_mut(&rs) {
                let hash = x
                    .spec
                    .template
                    .metadata
                    .labels
                    .get(POD_TEMPLATE_HASH_LABEL)
                    .cloned();
                x.spec.template.metadata.labels = labels.clone();
                if let Some(h) = hash {
                    x.spec
                        .template
                        .metadata
                        .labels
                        .insert(POD_TEMPLATE_HASH_LABEL.to_owned(), h);
                }
            }
        }
        let name = &key.name;
        self.event(
            "Deployment",
            key,
            format!(
                "deployment {name} template labels set to {}: new pods get them",
                selector_text(&labels)
            ),
        );
        Ok(Change::new(
            "deployment.apps",
            key.clone(),
            Verb::Configured,
        ))
    }
}

impl World {
    /// The pods the world asks for: every Deployment's, bare ReplicaSet's, StatefulSet's
    /// and ReplicationController's replicas (1 when unset), a pod per node for each
    /// DaemonSet, each Job's and CronJob's parallelism, and the pods no controller owns;
    /// at most [`ClusterConfig::max_pods`](super::ClusterConfig).
    ///
    /// Simplification: a DaemonSet counts every node (at least one) whatever its
    /// `nodeSelector`, and a Job its parallelism even once finished: an upper bound.
    pub fn requested_pods(&self) -> u64 {
        let w = &self.workloads;
        let nodes = (self.nodes().len() as u64).max(1);
        let deployments: u64 = (w.deployments.values())
            .map(|d| replica_count(d.spec.replicas))
            .chain(
                w.stateful_sets
                    .values()
                    .map(|s| replica_count(s.spec.replicas)),
            )
            .chain((w.replication_controllers.values()).map(|r| replica_count(r.spec.replicas)))
            .chain(w.daemon_sets.values().map(|_| nodes))
            .chain(
                (w.jobs().values())
                    // A CronJob's Jobs are counted with the CronJob.
                    .filter(|j| j.metadata.controller().is_none())
                    .map(|j| replica_count(j.spec.parallelism)),
            )
            .chain(
                (w.cron_jobs.values()).map(|c| replica_count(c.spec.job_template.spec.parallelism)),
            )
            .sum();
        let bare_sets: u64 = self
            .workloads
            .replica_sets()
            .values()
            .filter(|r| r.metadata.owner_references.is_empty())
            .map(|r| replica_count(r.spec.replicas))
            .sum();
        let bare_pods = self
            .pods
            .all()
            .values()
            .filter(|p| p.metadata.controller().is_none())
            .count() as u64;
        deployments + bare_sets + bare_pods
    }

    /// Whether [`ClusterConfig::max_pods`](super::ClusterConfig) limits anything:
    /// `u32::MAX` means no limit (the benchmarks' worlds at Kubernetes' limits), and
    /// counting what is asked for — every Deployment, ReplicaSet and pod — is then
    /// skipped, so a create does not cost the size of the world.
    pub(super) fn pod_limit_applies(&self) -> bool {
        self.config.max_pods < u32::MAX
    }

    /// Refuses a change to workload `name` that takes the pods the world asks for from
    /// `now` to `after`, over the limit (a change that does not add pods passes).
    pub(super) fn check_pods(&self, name: &str, now: u64, after: u64) -> Result<(), CommandError> {
        if after <= now {
            return Ok(());
        }
        crate::limits::check_pods("spec.replicas", after, self.config.max_pods).map_err(|error| {
            CommandError::OverLimit {
                object: format!("deployment \"{name}\""),
                error,
            }
        })
    }
}

/// A workload's `replicas` as a count of pods (1 when unset, as the API defaults it).
pub(super) fn replica_count(replicas: Option<i32>) -> u64 {
    u64::from(replicas.unwrap_or(1).max(0).unsigned_abs())
}
