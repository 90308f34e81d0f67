//! The workload kinds besides Deployments: creating a StatefulSet, DaemonSet,
//! ReplicationController, bare ReplicaSet, Job or CronJob as the API server does
//! (defaulted, validated, in a namespace that exists), and the read side every panel
//! uses: a workload's pods and counts over owner references, never by name.

use super::command::{Change, Verb};
use super::deployments::WorkloadCounts;
use super::{WorkloadKind, WorkloadRef, World};
use crate::apiserver::defaults_workload as defaults;
use crate::apiserver::validate::invalid;
use crate::apiserver::validate_apps::{validate_daemon_set, validate_stateful_set};
use crate::apiserver::validate_batch::{validate_cron_job, validate_job};
use crate::apiserver::validate_workload::validate_replication_controller;
use crate::controllers::daemonset::rules::should_run;
use crate::error::{CommandError, MAX_REPLICAS};
use crate::objects::{
    CronJob, DEFAULT_NAMESPACE, DaemonSet, Job, Labels, NamespacedName, ObjectMeta, Pod,
    ReplicationController, StatefulSet,
};

/// Defaults the namespace, then checks it exists and that the name is free.
fn place(
    world: &World,
    meta: &mut ObjectMeta,
    kind: WorkloadKind,
) -> Result<NamespacedName, CommandError> {
    if meta.namespace.is_empty() {
        DEFAULT_NAMESPACE.clone_into(&mut meta.namespace);
    }
    let key = meta.key();
    world.check_namespace(&key.namespace)?;
    if world.workload_exists(&WorkloadRef::new(kind, key.clone())) {
        return Err(CommandError::AlreadyExists {
            kind: kind.resource(),
            name: key.name,
        });
    }
    Ok(key)
}

/// Refuses more than [`MAX_REPLICAS`].
fn cap(kind: WorkloadKind, name: &str, field: &'static str, n: i32) -> Result<(), CommandError> {
    if n > MAX_REPLICAS {
        return Err(CommandError::WorkloadReplicasOutOfRange {
            kind: lower(kind),
            name: name.to_owned(),
            field,
            replicas: n.into(),
            max: MAX_REPLICAS,
        });
    }
    Ok(())
}

fn lower(kind: WorkloadKind) -> &'static str {
    match kind {
        WorkloadKind::Deployment => "deployment",
        WorkloadKind::ReplicaSet => "replicaset",
        WorkloadKind::StatefulSet => "statefulset",
        WorkloadKind::DaemonSet => "daemonset",
        WorkloadKind::ReplicationController => "replicationcontroller",
        WorkloadKind::Job => "job",
        WorkloadKind::CronJob => "cronjob",
    }
}

impl World {
    /// Creates a StatefulSet; its controller creates `<name>-0` (and the others, in
    /// order or at once as its `podManagementPolicy` says).
    pub(super) fn create_stateful_set(
        &mut self,
        mut s: StatefulSet,
    ) -> Result<Change, CommandError> {
        let kind = WorkloadKind::StatefulSet;
        defaults::stateful_set(&mut s);
        if s.metadata.namespace.is_empty() {
            DEFAULT_NAMESPACE.clone_into(&mut s.metadata.namespace);
        }
        let errs = validate_stateful_set(&s);
        if !errs.is_empty() {
            return Err(invalid("StatefulSet.apps", &s.metadata.name, errs));
        }
        let key = place(self, &mut s.metadata, kind)?;
        let replicas = s.spec.replicas.unwrap_or(1);
        cap(kind, &key.name, "spec.replicas", replicas)?;
        self.stamp(&mut s.metadata);
        let (name, policy) = (&key.name, &s.spec.pod_management_policy);
        self.event(
            "StatefulSet",
            &key,
            format!("statefulset {name} created with {replicas} replica(s), podManagementPolicy {policy}"),
        );
        self.workloads.stateful_sets.insert(key.clone(), s);
        self.queue.owner(kind, key.clone());
        Ok(Change::new(kind.singular(), key, Verb::Created))
    }

    /// Creates a DaemonSet; its controller puts a pod on every node that should run one.
    pub(super) fn create_daemon_set(&mut self, mut d: DaemonSet) -> Result<Change, CommandError> {
        let kind = WorkloadKind::DaemonSet;
        defaults::daemon_set(&mut d);
        if d.metadata.namespace.is_empty() {
            DEFAULT_NAMESPACE.clone_into(&mut d.metadata.namespace);
        }
        let errs = validate_daemon_set(&d);
        if !errs.is_empty() {
            return Err(invalid("DaemonSet.apps", &d.metadata.name, errs));
        }
        let key = place(self, &mut d.metadata, kind)?;
        self.stamp(&mut d.metadata);
        let name = &key.name;
        self.event("DaemonSet", &key, format!("daemonset {name} created"));
        self.workloads.daemon_sets.insert(key.clone(), d);
        self.queue.owner(kind, key.clone());
        Ok(Change::new(kind.singular(), key, Verb::Created))
    }

    /// Creates a ReplicationController; its controller creates the pods.
    pub(super) fn create_replication_controller(
        &mut self,
        mut rc: ReplicationController,
    ) -> Result<Change, CommandError> {
        let kind = WorkloadKind::ReplicationController;
        defaults::replication_controller(&mut rc);
        if rc.metadata.namespace.is_empty() {
            DEFAULT_NAMESPACE.clone_into(&mut rc.metadata.namespace);
        }
        let errs = validate_replication_controller(&rc);
        if !errs.is_empty() {
            return Err(invalid("ReplicationController", &rc.metadata.name, errs));
        }
        let key = place(self, &mut rc.metadata, kind)?;
        let replicas = rc.spec.replicas.unwrap_or(1);
        cap(kind, &key.name, "spec.replicas", replicas)?;
        self.stamp(&mut rc.metadata);
        let name = &key.name;
        self.event(
            "ReplicationController",
            &key,
            format!("replicationcontroller {name} created with {replicas} replica(s)"),
        );
        self.workloads
            .replication_controllers
            .insert(key.clone(), rc);
        self.queue.owner(kind, key.clone());
        Ok(Change::new(kind.singular(), key, Verb::Created))
    }

    /// Creates a Job as a user does: defaulted, then admitted ([`World::admit_job`]).
    pub(super) fn create_job(&mut self, mut job: Job) -> Result<Change, CommandError> {
        defaults::job(&mut job);
        job.metadata.owner_references.clear();
        self.admit_job(job)
    }

    /// The API server's create of a Job (a user's, or a CronJob's run): its uid, the
    /// generated selector, validation; then its controller starts pods.
    pub(crate) fn admit_job(&mut self, mut job: Job) -> Result<Change, CommandError> {
        let kind = WorkloadKind::Job;
        if job.metadata.namespace.is_empty() {
            DEFAULT_NAMESPACE.clone_into(&mut job.metadata.namespace);
        }
        job.metadata.uid = self.uid();
        defaults::generate_job_selector(&mut job);
        let errs = validate_job(&job);
        if !errs.is_empty() {
            return Err(invalid("Job.batch", &job.metadata.name, errs));
        }
        let uid = job.metadata.uid;
        let key = place(self, &mut job.metadata, kind)?;
        cap(
            kind,
            &key.name,
            "spec.parallelism",
            job.spec.parallelism.unwrap_or(1),
        )?;
        job.metadata.uid = uid;
        job.metadata.creation_timestamp = Some(self.now);
        job.status = Default::default();
        let name = &key.name;
        let what = match job.spec.completions {
            Some(c) => format!("{c} completion(s)"),
            None => "one success".to_owned(),
        };
        let p = job.spec.parallelism.unwrap_or(1);
        self.event(
            "Job",
            &key,
            format!("job {name} created: {what}, parallelism {p}"),
        );
        self.workloads.put_job(job);
        self.queue.owner(kind, key.clone());
        Ok(Change::new(kind.singular(), key, Verb::Created))
    }

    /// Creates a CronJob and waits for its schedule.
    pub(super) fn create_cron_job(&mut self, mut c: CronJob) -> Result<Change, CommandError> {
        let kind = WorkloadKind::CronJob;
        defaults::cron_job(&mut c);
        if c.metadata.namespace.is_empty() {
            DEFAULT_NAMESPACE.clone_into(&mut c.metadata.namespace);
        }
        let errs = validate_cron_job(&c);
        if !errs.is_empty() {
            return Err(invalid("CronJob.batch", &c.metadata.name, errs));
        }
        let key = place(self, &mut c.metadata, kind)?;
        self.stamp(&mut c.metadata);
        c.status = Default::default();
        let (name, schedule) = (&key.name, &c.spec.schedule);
        self.event(
            "CronJob",
            &key,
            format!("cronjob {name} created: schedule {schedule:?} (UTC)"),
        );
        self.workloads.cron_jobs.insert(key.clone(), c);
        self.schedule_cron_job(&key);
        Ok(Change::new(kind.singular(), key, Verb::Created))
    }

    /// A new uid and the creation time; no owner (a user's object).
    fn stamp(&mut self, meta: &mut ObjectMeta) {
        meta.uid = self.uid();
        meta.creation_timestamp = Some(self.now);
        meta.owner_references.clear();
    }

    // ----- read side -----

    /// Whether the workload exists.
    pub fn workload_exists(&self, w: &WorkloadRef) -> bool {
        let k = &w.key;
        match w.kind {
            WorkloadKind::Deployment => self.workloads.deployments.contains_key(k),
            WorkloadKind::ReplicaSet => self.workloads.replica_set(k).is_some(),
            WorkloadKind::StatefulSet => self.workloads.stateful_sets.contains_key(k),
            WorkloadKind::DaemonSet => self.workloads.daemon_sets.contains_key(k),
            WorkloadKind::ReplicationController => {
                self.workloads.replication_controllers.contains_key(k)
            }
            WorkloadKind::Job => self.workloads.job(k).is_some(),
            WorkloadKind::CronJob => self.workloads.cron_jobs.contains_key(k),
        }
    }

    /// Every workload a user made (not a Deployment's ReplicaSets, not a CronJob's Jobs),
    /// by kind in [`WorkloadKind::ALL`] order, then by namespace and name.
    pub fn workload_refs(&self) -> Vec<WorkloadRef> {
        let w = &self.workloads;
        let mut out = Vec::new();
        for kind in WorkloadKind::ALL {
            let keys: Vec<NamespacedName> = match kind {
                WorkloadKind::Deployment => w.deployments.keys().cloned().collect(),
                WorkloadKind::StatefulSet => w.stateful_sets.keys().cloned().collect(),
                WorkloadKind::DaemonSet => w.daemon_sets.keys().cloned().collect(),
                WorkloadKind::ReplicaSet => w
                    .replica_sets()
                    .iter()
                    .filter(|(_, r)| r.metadata.controller().is_none())
                    .map(|(k, _)| k.clone())
                    .collect(),
                WorkloadKind::ReplicationController => {
                    w.replication_controllers.keys().cloned().collect()
                }
                WorkloadKind::Job => w
                    .jobs()
                    .iter()
                    .filter(|(_, j)| j.metadata.controller().is_none())
                    .map(|(k, _)| k.clone())
                    .collect(),
                WorkloadKind::CronJob => w.cron_jobs.keys().cloned().collect(),
            };
            out.extend(keys.into_iter().map(|k| WorkloadRef::new(kind, k)));
        }
        out
    }

    /// The pods a workload owns, over owner references (a Deployment's through its
    /// ReplicaSets, a CronJob's through its Jobs), by name.
    pub fn pods_of(&self, w: &WorkloadRef) -> Vec<&Pod> {
        let mut out: Vec<&Pod> = match w.kind {
            WorkloadKind::Deployment => return self.pods_of_deployment(&w.key),
            WorkloadKind::CronJob => self
                .workloads
                .of_cron_job(&w.key)
                .iter()
                .flat_map(|j| self.pods.owned_by_kind(WorkloadKind::Job, j))
                .collect(),
            kind => self.pods.owned_by_kind(kind, &w.key).collect(),
        };
        crate::sort::sort_by(&mut out, |a, b| a.metadata.name.cmp(&b.metadata.name));
        out
    }

    /// A workload's wanted, current, ready, terminating and finished pods; `None` when
    /// it does not exist. `desired` is the replicas (a StatefulSet, ReplicaSet or
    /// ReplicationController), the nodes that should run a pod (a DaemonSet), the
    /// completions (a Job; its parallelism when it has none), or the running Jobs (a
    /// CronJob).
    pub fn workload_counts(&self, w: &WorkloadRef) -> Option<WorkloadCounts> {
        let w_ = &self.workloads;
        let k = &w.key;
        let desired = match w.kind {
            WorkloadKind::Deployment => return self.deployment_counts(k),
            WorkloadKind::ReplicaSet => w_.replica_set(k)?.spec.replicas.unwrap_or(1),
            WorkloadKind::StatefulSet => w_.stateful_sets.get(k)?.spec.replicas.unwrap_or(1),
            WorkloadKind::ReplicationController => w_
                .replication_controllers
                .get(k)?
                .spec
                .replicas
                .unwrap_or(1),
            WorkloadKind::DaemonSet => {
                let t = &w_.daemon_sets.get(k)?.spec.template;
                let n = self
                    .nodes
                    .all()
                    .values()
                    .filter(|n| should_run(t, n))
                    .count();
                i32::try_from(n).unwrap_or(i32::MAX)
            }
            WorkloadKind::Job => {
                let s = &w_.job(k)?.spec;
                s.completions.or(s.parallelism).unwrap_or(1)
            }
            WorkloadKind::CronJob => {
                let running = w_.cron_jobs.get(k)?.status.active.len();
                i32::try_from(running).unwrap_or(i32::MAX)
            }
        };
        let mut c = WorkloadCounts {
            desired,
            ..WorkloadCounts::default()
        };
        for p in self.pods_of(w) {
            if p.metadata.is_terminating() {
                c.terminating += 1;
            } else if p.is_active() {
                c.current += 1;
                c.ready += usize::from(p.status.ready);
            } else if p.status.phase == crate::objects::PodPhase::Succeeded {
                c.succeeded += 1;
            }
        }
        Some(c)
    }

    /// The workload a pod belongs to: its controlling owner, or for a pod of a
    /// Deployment's ReplicaSet, the Deployment (over owner references).
    pub fn workload_of_pod(&self, pod: &Pod) -> Option<WorkloadRef> {
        let (kind, key) = super::owner_of(&pod.metadata)?;
        if kind == WorkloadKind::ReplicaSet
            && let Some(rs) = self.workloads.replica_set(&key)
            && let Some(d) = rs.metadata.controller_of_kind("Deployment")
        {
            return Some(WorkloadRef::new(
                WorkloadKind::Deployment,
                NamespacedName::new(&key.namespace, d),
            ));
        }
        Some(WorkloadRef::new(kind, key))
    }

    /// Whether a workload's selector still selects `labels` (a pod relabelled); false
    /// when the workload is gone.
    pub(crate) fn owner_selects(
        &self,
        kind: WorkloadKind,
        key: &NamespacedName,
        labels: &Labels,
    ) -> bool {
        let w = &self.workloads;
        let sel = match kind {
            WorkloadKind::ReplicaSet => w.replica_set(key).and_then(|r| r.spec.selector.as_ref()),
            WorkloadKind::StatefulSet => w
                .stateful_sets
                .get(key)
                .and_then(|s| s.spec.selector.as_ref()),
            WorkloadKind::DaemonSet => w
                .daemon_sets
                .get(key)
                .and_then(|d| d.spec.selector.as_ref()),
            WorkloadKind::Job => w.job(key).and_then(|j| j.spec.selector.as_ref()),
            WorkloadKind::ReplicationController => {
                return w.replication_controllers.get(key).is_some_and(|rc| {
                    rc.spec
                        .selector
                        .iter()
                        .all(|(k, v)| labels.get(k) == Some(v))
                });
            }
            WorkloadKind::Deployment | WorkloadKind::CronJob => return false,
        };
        sel.is_some_and(|s| s.matches(labels))
    }
}
