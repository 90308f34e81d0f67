//! The CronJob controller: its schedule parser (`schedule`) and its driver.
//!
//! At each time its schedule fires, a CronJob that is not suspended starts a run: a Job
//! `<cronjob>-<scheduled time in Unix minutes>` from its job template, unless
//! `concurrencyPolicy: Forbid` and a run is still going (`Replace` deletes that run
//! first). When its Jobs finish it keeps the newest `successfulJobsHistoryLimit` and
//! `failedJobsHistoryLimit` finished ones and deletes the rest with their pods.
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/controller/cronjob/cronjob_controllerv2.go`
//! (`syncCronJob`, `cleanupFinishedJobs`), `utils.go` (`getJobFromTemplate2`,
//! `getTimeHashInMinutes`, `mostRecentScheduleTime`).
//! Simplification: a run starts exactly at its scheduled time (the timer never misses
//! one), so `startingDeadlineSeconds` never applies; schedules run in UTC (see
//! `schedule`).

pub mod schedule;

use crate::apiserver::defaults_workload;
use crate::controllers::kubelet::Timed;
use crate::objects::batch::{FORBID_CONCURRENT, REPLACE_CONCURRENT};
use crate::objects::time::format_rfc3339;
use crate::objects::{Job, NamespacedName, ObjectMeta, OwnerReference};
use crate::world::World;

/// The annotation a CronJob's Job carries: its scheduled time.
pub const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

impl World {
    /// Queues the CronJob's next run at the first time its schedule fires after now.
    pub(crate) fn schedule_cron_job(&mut self, key: &NamespacedName) {
        let Some(cj) = self.workloads.cron_jobs.get(key) else {
            return;
        };
        let Ok(s) = schedule::parse_standard(&cj.spec.schedule) else {
            return;
        };
        let uid = cj.metadata.uid;
        let now = i64::try_from(self.now.as_millis() / 1000).unwrap_or(i64::MAX);
        let Some(next) = s.next_after(now) else {
            return;
        };
        let Ok(at) = u64::try_from(next) else { return };
        self.queue.timed.push(
            crate::sim::SimTime(at.saturating_mul(1000)),
            Timed::Cron {
                cron_job: key.clone(),
                uid,
            },
        );
    }

    /// The schedule fired: start a run as the concurrency policy allows, then wait for
    /// the next time.
    pub(crate) fn cron_job_fired(&mut self, key: &NamespacedName, uid: u64) {
        let Some(cj) = self.workloads.cron_jobs.get(key) else {
            return;
        };
        if cj.metadata.uid != uid {
            return;
        }
        let name = key.name.clone();
        let (suspended, policy) = (
            cj.spec.suspend == Some(true),
            cj.spec.concurrency_policy.clone(),
        );
        let running: Vec<NamespacedName> = self
            .workloads
            .of_cron_job(key)
            .into_iter()
            .filter(|j| self.workloads.job(j).is_some_and(|j| !j.is_finished()))
            .collect();
        if suspended {
            self.event(
                "CronJob",
                key,
                format!("cronjob {name} is suspended: no run"),
            );
        } else if policy == FORBID_CONCURRENT && !running.is_empty() {
            self.event(
                "CronJob",
                key,
                format!("cronjob {name} skipped a run: concurrencyPolicy Forbid and a run is still going"),
            );
        } else {
            if policy == REPLACE_CONCURRENT {
                for j in &running {
                    let job = &j.name;
                    self.event(
                        "CronJob",
                        key,
                        format!("cronjob {name} deleted its running job {job}: concurrencyPolicy Replace"),
                    );
                    self.remove_job(j, "its CronJob replaced the run");
                }
            }
            self.start_cron_run(key);
        }
        self.schedule_cron_job(key);
    }

    fn start_cron_run(&mut self, key: &NamespacedName) {
        let Some(cj) = self.workloads.cron_jobs.get(key) else {
            return;
        };
        let minutes = self.now.as_millis() / 60_000;
        let job_name = format!("{}-{minutes}", key.name);
        let job_key = NamespacedName::new(&key.namespace, &job_name);
        let name = &key.name;
        if self.workloads.job(&job_key).is_some() {
            self.event(
                "CronJob",
                key,
                format!("cronjob {name} already ran at this time (job {job_name})"),
            );
            return;
        }
        let template = cj.spec.job_template.clone();
        let cj_uid = cj.metadata.uid;
        let mut meta = ObjectMeta::named(&key.namespace, &job_name);
        meta.labels = template.metadata.labels;
        meta.annotations = template.metadata.annotations;
        let at = i64::try_from(self.now.as_millis()).unwrap_or(i64::MAX);
        meta.annotations
            .insert(SCHEDULED_TIMESTAMP.into(), format_rfc3339(at));
        meta.owner_references = vec![OwnerReference {
            kind: "CronJob".into(),
            name: key.name.clone(),
            uid: cj_uid,
            controller: true,
        }];
        let mut job = Job {
            metadata: meta,
            spec: template.spec,
            status: Default::default(),
        };
        defaults_workload::job(&mut job);
        match self.admit_job(job) {
            Ok(_) => {
                if let Some(cj) = self.workloads.cron_jobs.get_mut(key) {
                    cj.status.last_schedule_time = Some(self.now);
                    cj.status.active.push(job_name.clone());
                }
                self.event(
                    "CronJob",
                    key,
                    format!("cronjob {name} created job {job_name}"),
                );
            }
            Err(e) => self.event(
                "CronJob",
                key,
                format!("cronjob {name} could not create job {job_name}: {e}"),
            ),
        }
    }

    /// A run finished or went: update the status and keep only the history wanted.
    pub(crate) fn sync_cron_job(&mut self, key: &NamespacedName) {
        let Some(cj) = self.workloads.cron_jobs.get(key) else {
            return;
        };
        let keep_ok =
            usize::try_from(cj.spec.successful_jobs_history_limit.unwrap_or(3).max(0)).unwrap_or(0);
        let keep_failed =
            usize::try_from(cj.spec.failed_jobs_history_limit.unwrap_or(1).max(0)).unwrap_or(0);
        let mut active = Vec::new();
        let mut ok = Vec::new();
        let mut failed = Vec::new();
        let mut last_ok = cj.status.last_successful_time;
        for j in self.workloads.of_cron_job(key) {
            let Some(job) = self.workloads.job(&j) else {
                continue;
            };
            let started = job.metadata.creation_timestamp.unwrap_or_default();
            if !job.is_finished() {
                active.push(j.name.clone());
            } else if job.is_complete() {
                last_ok = last_ok.max(job.status.completion_time);
                ok.push((started, j));
            } else {
                failed.push((started, j));
            }
        }
        if let Some(cj) = self.workloads.cron_jobs.get_mut(key) {
            cj.status.active = active;
            cj.status.last_successful_time = last_ok;
        }
        let name = key.name.clone();
        for (list, keep) in [(ok, keep_ok), (failed, keep_failed)] {
            let mut list = list;
            crate::sort::sort(&mut list);
            let extra = list.len().saturating_sub(keep);
            for (_, j) in list.into_iter().take(extra) {
                let job = &j.name;
                self.event(
                    "CronJob",
                    key,
                    format!("cronjob {name} deleted finished job {job}: past its history limit"),
                );
                self.remove_job(&j, "its CronJob keeps a limited history");
            }
        }
    }
}
