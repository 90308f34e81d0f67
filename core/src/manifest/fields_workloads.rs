//! The fields of the workload kinds besides Deployment and ReplicaSet: StatefulSet,
//! DaemonSet, ReplicationController, Job and CronJob, listed once for import and
//! export (see [`super::fields`]).
//! Upstream: kubernetes/api@10b39a39 `apps/v1/types.go`, `core/v1/types.go`,
//! `batch/v1/types.go`.

use super::fields::{Fields, Keep, Walker};
use crate::objects::{
    CronJob, CronJobSpec, CronJobStatus, DaemonSet, DaemonSetSpec, Job, JobCondition, JobSpec,
    JobStatus, JobTemplate, ReplicationController, ReplicationControllerSpec, StatefulSet,
    StatefulSetOrdinals, StatefulSetSpec,
};

impl Fields for StatefulSet {
    fn go_name(&self) -> &'static str {
        "StatefulSet"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Always);
    }
}

impl Fields for StatefulSetSpec {
    fn go_name(&self) -> &'static str {
        "StatefulSetSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.opt_int32("replicas", &mut self.replicas);
        w.opt_object("selector", &mut self.selector);
        w.object("template", &mut self.template, Keep::Always);
        w.string("serviceName", &mut self.service_name, Keep::Set);
        let policy = &mut self.pod_management_policy;
        w.string("podManagementPolicy", policy, Keep::Set);
        w.opt_object("ordinals", &mut self.ordinals);
    }
}

impl Fields for StatefulSetOrdinals {
    fn go_name(&self) -> &'static str {
        "StatefulSetOrdinals"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.int32("start", &mut self.start, Keep::Set);
    }
}

impl Fields for DaemonSet {
    fn go_name(&self) -> &'static str {
        "DaemonSet"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Always);
    }
}

impl Fields for DaemonSetSpec {
    fn go_name(&self) -> &'static str {
        "DaemonSetSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.opt_object("selector", &mut self.selector);
        w.object("template", &mut self.template, Keep::Always);
    }
}

impl Fields for ReplicationController {
    fn go_name(&self) -> &'static str {
        "ReplicationController"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Always);
    }
}

impl Fields for ReplicationControllerSpec {
    fn go_name(&self) -> &'static str {
        "ReplicationControllerSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.opt_int32("replicas", &mut self.replicas);
        w.string_map("selector", &mut self.selector);
        w.opt_object("template", &mut self.template);
    }
}

impl Fields for Job {
    fn go_name(&self) -> &'static str {
        "Job"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Always);
        w.server("status", &mut self.status);
    }
}

impl Fields for JobSpec {
    fn go_name(&self) -> &'static str {
        "JobSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.opt_int32("parallelism", &mut self.parallelism);
        w.opt_int32("completions", &mut self.completions);
        w.opt_int32("backoffLimit", &mut self.backoff_limit);
        w.opt_string("completionMode", &mut self.completion_mode);
        w.opt_bool("suspend", &mut self.suspend);
        let ttl = &mut self.ttl_seconds_after_finished;
        w.opt_int32("ttlSecondsAfterFinished", ttl);
        w.opt_bool("manualSelector", &mut self.manual_selector);
        w.opt_object("selector", &mut self.selector);
        w.object("template", &mut self.template, Keep::Always);
    }
}

impl Fields for JobStatus {
    fn go_name(&self) -> &'static str {
        "JobStatus"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.int32("active", &mut self.active, Keep::Set);
        w.int32("succeeded", &mut self.succeeded, Keep::Set);
        w.int32("failed", &mut self.failed, Keep::Set);
        w.timestamp("startTime", &mut self.start_time);
        w.timestamp("completionTime", &mut self.completion_time);
        w.list("conditions", &mut self.conditions, Keep::Set);
    }
}

impl Fields for JobCondition {
    fn go_name(&self) -> &'static str {
        "JobCondition"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("type", &mut self.type_, Keep::Always);
        w.string("status", &mut self.status, Keep::Always);
        w.string("reason", &mut self.reason, Keep::Set);
    }
}

impl Fields for CronJob {
    fn go_name(&self) -> &'static str {
        "CronJob"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Always);
        w.object("spec", &mut self.spec, Keep::Always);
        w.server("status", &mut self.status);
    }
}

impl Fields for CronJobSpec {
    fn go_name(&self) -> &'static str {
        "CronJobSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.string("schedule", &mut self.schedule, Keep::Always);
        w.opt_string("timeZone", &mut self.time_zone);
        let deadline = &mut self.starting_deadline_seconds;
        w.opt_count("startingDeadlineSeconds", "int64", deadline);
        let policy = &mut self.concurrency_policy;
        w.string("concurrencyPolicy", policy, Keep::Set);
        w.opt_bool("suspend", &mut self.suspend);
        w.object("jobTemplate", &mut *self.job_template, Keep::Always);
        let ok = &mut self.successful_jobs_history_limit;
        w.opt_int32("successfulJobsHistoryLimit", ok);
        let failed = &mut self.failed_jobs_history_limit;
        w.opt_int32("failedJobsHistoryLimit", failed);
    }
}

impl Fields for JobTemplate {
    fn go_name(&self) -> &'static str {
        "JobTemplateSpec"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.object("metadata", &mut self.metadata, Keep::Set);
        w.object("spec", &mut self.spec, Keep::Always);
    }
}

impl Fields for CronJobStatus {
    fn go_name(&self) -> &'static str {
        "CronJobStatus"
    }
    fn walk(&mut self, w: &mut dyn Walker) {
        w.timestamp("lastScheduleTime", &mut self.last_schedule_time);
        w.timestamp("lastSuccessfulTime", &mut self.last_successful_time);
    }
}
