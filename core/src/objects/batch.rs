//! Jobs and CronJobs: `batch/v1` owners of pods that run to completion.
//!
//! Upstream: kubernetes/api@10b39a39 `batch/v1/types.go` (`JobSpec`, `JobStatus`,
//! `CronJobSpec`, `CronJobStatus`).
//! Simplification: pod failure and success policies, `activeDeadlineSeconds`,
//! `backoffLimitPerIndex`, `podReplacementPolicy` and `managedBy` are not modelled (an
//! import lists them as not modelled).

use serde::{Deserialize, Serialize};

use super::{LabelSelector, ObjectMeta, PodTemplate};
use crate::sim::SimTime;

/// `completionMode: Indexed`: each pod gets an index `0..completions`.
pub const INDEXED: &str = "Indexed";
/// `completionMode: NonIndexed` (the default).
pub const NON_INDEXED: &str = "NonIndexed";

/// The label (and annotation) holding an Indexed Job pod's index.
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// The label a Job's generated selector selects: the Job's uid.
pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
/// The label holding the Job's name.
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
/// The legacy (unprefixed) uid label, still set.
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
/// The legacy (unprefixed) name label, still set.
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";

/// A `batch/v1` Job.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: JobSpec,
    /// `status`, written by the Job controller.
    #[serde(default)]
    pub status: JobStatus,
}

/// `spec` of a Job (also a CronJob's `jobTemplate.spec`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSpec {
    /// Pods running at once at most (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i32>,
    /// Successful pods needed (default 1; unset with `parallelism` set: any one success
    /// finishes the Job once the others stop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completions: Option<i32>,
    /// Failed pods tolerated before the Job fails (default 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_limit: Option<i32>,
    /// `NonIndexed` (default) or `Indexed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_mode: Option<String>,
    /// A suspended Job runs no pods (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    /// Seconds after the Job finishes until it is deleted with its pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds_after_finished: Option<i32>,
    /// The user writes the selector (`true`) instead of the API server generating it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_selector: Option<bool>,
    /// Which pods the Job owns (generated from the Job's uid unless `manualSelector`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pod template (`restartPolicy` `OnFailure` or `Never`).
    #[serde(default)]
    pub template: PodTemplate,
}

impl JobSpec {
    /// Whether pods carry completion indexes.
    pub fn is_indexed(&self) -> bool {
        self.completion_mode.as_deref() == Some(INDEXED)
    }
}

/// `status` of a Job.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobStatus {
    /// Pods running (not finished, not being deleted).
    #[serde(default)]
    pub active: i32,
    /// Pods that finished with success.
    #[serde(default)]
    pub succeeded: i32,
    /// Pods that failed (or were deleted before they finished).
    #[serde(default)]
    pub failed: i32,
    /// When the controller first started pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<SimTime>,
    /// When the Job completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<SimTime>,
    /// `Complete` or `Failed` once the Job finished.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<JobCondition>,
}

/// One of a Job's `status.conditions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCondition {
    /// `Complete` or `Failed`.
    #[serde(rename = "type")]
    pub type_: String,
    /// `True`.
    pub status: String,
    /// A CamelCase reason (`BackoffLimitExceeded`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

impl Job {
    /// Whether the Job has a `Complete` or `Failed` condition.
    pub fn is_finished(&self) -> bool {
        self.status
            .conditions
            .iter()
            .any(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")
    }

    /// Whether the Job completed successfully.
    pub fn is_complete(&self) -> bool {
        self.status
            .conditions
            .iter()
            .any(|c| c.type_ == "Complete" && c.status == "True")
    }
}

/// A `batch/v1` CronJob.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJob {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: CronJobSpec,
    /// `status`, written by the CronJob controller.
    #[serde(default)]
    pub status: CronJobStatus,
}

/// `concurrencyPolicy: Allow` (the default).
pub const ALLOW_CONCURRENT: &str = "Allow";
/// `concurrencyPolicy: Forbid`: skip a run while the previous one is active.
pub const FORBID_CONCURRENT: &str = "Forbid";
/// `concurrencyPolicy: Replace`: delete the active run and start the new one.
pub const REPLACE_CONCURRENT: &str = "Replace";

/// `spec` of a CronJob.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobSpec {
    /// The cron schedule (`*/5 * * * *`, `@hourly`).
    #[serde(default)]
    pub schedule: String,
    /// The IANA time zone the schedule is read in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Seconds after a missed schedule within which it may still start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_deadline_seconds: Option<u32>,
    /// [`ALLOW_CONCURRENT`] (default), [`FORBID_CONCURRENT`] or [`REPLACE_CONCURRENT`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub concurrency_policy: String,
    /// A suspended CronJob starts no runs (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    /// What each run creates (boxed: a CronJob holds a whole Job template).
    #[serde(default)]
    pub job_template: Box<JobTemplate>,
    /// Finished successful Jobs kept (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_jobs_history_limit: Option<i32>,
    /// Failed Jobs kept (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_jobs_history_limit: Option<i32>,
}

/// `spec.jobTemplate` of a CronJob.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobTemplate {
    /// Labels and annotations each Job gets.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The Job's spec.
    #[serde(default)]
    pub spec: JobSpec,
}

/// `status` of a CronJob.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobStatus {
    /// The Jobs it started that are still running.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub active: Vec<String>,
    /// When it last started a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_schedule_time: Option<SimTime>,
    /// When a run last completed successfully.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_successful_time: Option<SimTime>,
}
