//! The defaults the API server gives the workload kinds and their pod templates, and
//! the Job's generated selector (`PrepareForCreate`).
//!
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/apis/core/v1/defaults.go`
//! (`SetDefaults_PodSpec`, `SetDefaults_ReplicationController`),
//! `pkg/apis/apps/v1/defaults.go` (`SetDefaults_Deployment`, `SetDefaults_ReplicaSet`,
//! `SetDefaults_StatefulSet`), `pkg/apis/batch/v1/defaults.go` (`SetDefaults_Job`,
//! `SetDefaults_CronJob`), `pkg/registry/batch/job/strategy.go` (`generateSelector`).
//! Simplification: only the fields the model carries are defaulted (no update
//! strategies, revision history limits or retention policies).

use crate::objects::apps::ORDERED_READY;
use crate::objects::batch::{
    ALLOW_CONCURRENT, CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL,
    LEGACY_JOB_NAME_LABEL, NON_INDEXED,
};
use crate::objects::pod::DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
use crate::objects::{
    CronJob, DaemonSet, Job, LabelSelector, PodSpec, ReplicationController, StatefulSet,
    WorkloadSpec,
};

/// `SetDefaults_PodSpec`: `restartPolicy: Always`, a 30 s grace period.
pub fn pod_spec(spec: &mut PodSpec) {
    if spec.restart_policy.is_empty() {
        spec.restart_policy = "Always".to_owned();
    }
    spec.termination_grace_period_seconds
        .get_or_insert(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
}

/// `SetDefaults_Deployment` / `SetDefaults_ReplicaSet`: one replica.
pub fn workload(spec: &mut WorkloadSpec) {
    spec.replicas.get_or_insert(1);
    pod_spec(&mut spec.template.spec);
}

/// `SetDefaults_StatefulSet`: `podManagementPolicy: OrderedReady`, one replica.
pub fn stateful_set(s: &mut StatefulSet) {
    if s.spec.pod_management_policy.is_empty() {
        s.spec.pod_management_policy = ORDERED_READY.to_owned();
    }
    s.spec.replicas.get_or_insert(1);
    pod_spec(&mut s.spec.template.spec);
}

/// The DaemonSet's pod template.
pub fn daemon_set(d: &mut DaemonSet) {
    pod_spec(&mut d.spec.template.spec);
}

/// `SetDefaults_ReplicationController`: with a template, an empty selector and empty
/// labels become the template's labels; one replica.
pub fn replication_controller(rc: &mut ReplicationController) {
    if let Some(t) = &mut rc.spec.template {
        let labels = t.metadata.labels.clone();
        if !labels.is_empty() {
            if rc.spec.selector.is_empty() {
                rc.spec.selector = labels.clone();
            }
            if rc.metadata.labels.is_empty() {
                rc.metadata.labels = labels;
            }
        }
        pod_spec(&mut t.spec);
    }
    rc.spec.replicas.get_or_insert(1);
}

/// `SetDefaults_Job`: `completions` and `parallelism` 1 when both are unset,
/// `parallelism` 1, `backoffLimit` 6, the template's labels as the Job's when it has
/// none, `completionMode: NonIndexed`, `suspend: false`.
pub fn job(j: &mut Job) {
    let s = &mut j.spec;
    if s.completions.is_none() && s.parallelism.is_none() {
        s.completions = Some(1);
        s.parallelism = Some(1);
    }
    s.parallelism.get_or_insert(1);
    s.backoff_limit.get_or_insert(6);
    if !s.template.metadata.labels.is_empty() && j.metadata.labels.is_empty() {
        j.metadata.labels = s.template.metadata.labels.clone();
    }
    s.completion_mode
        .get_or_insert_with(|| NON_INDEXED.to_owned());
    s.suspend.get_or_insert(false);
    pod_spec(&mut s.template.spec);
}

/// `SetDefaults_CronJob`: `concurrencyPolicy: Allow`, `suspend: false`, history limits
/// 3 and 1; the job template's pod spec as any pod spec.
pub fn cron_job(c: &mut CronJob) {
    let s = &mut c.spec;
    if s.concurrency_policy.is_empty() {
        s.concurrency_policy = ALLOW_CONCURRENT.to_owned();
    }
    s.suspend.get_or_insert(false);
    s.successful_jobs_history_limit.get_or_insert(3);
    s.failed_jobs_history_limit.get_or_insert(1);
    pod_spec(&mut s.job_template.spec.template.spec);
}

/// `generateSelector` (unless `manualSelector: true`): the template gets the Job's name
/// and uid labels (those the user set are kept, and then fail validation if wrong), and
/// the selector selects `batch.kubernetes.io/controller-uid=<uid>`.
pub fn generate_job_selector(j: &mut Job) {
    if j.spec.manual_selector == Some(true) {
        return;
    }
    let (name, uid) = (j.metadata.name.clone(), j.metadata.uid.to_string());
    let labels = &mut j.spec.template.metadata.labels;
    for key in [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL] {
        labels.entry(key.to_owned()).or_insert_with(|| name.clone());
    }
    for key in [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL] {
        labels.entry(key.to_owned()).or_insert_with(|| uid.clone());
    }
    let sel = j.spec.selector.get_or_insert_with(LabelSelector::default);
    sel.match_labels
        .entry(CONTROLLER_UID_LABEL.to_owned())
        .or_insert(uid);
}
