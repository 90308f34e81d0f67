//! The Job controller: its rules (`rules`: how many pods, when done) and its driver, and
//! the TTL-after-finished controller that deletes a finished Job.
//!
//! A sync counts the Job's newly finished pods once each (succeeded, or failed or
//! deleted before finishing), then completes or fails the Job, or creates and deletes
//! pods as [`rules::decide`] says. Pods are `<job>-<5 chars>` (Indexed:
//! `<job>-<index>-<5 chars>`, with the index label and hostname `<job>-<index>`). A
//! Job's pods run to completion (see the kubelet's `JOB_RUN_MILLIS`): once Succeeded
//! they are never endpoints, and they stay until the Job is deleted.
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/controller/job/job_controller.go`
//! (`syncJob`, `manageJob`), `pkg/controller/job/indexed_job_utils.go`
//! (`firstPendingIndexes`, `addCompletionIndexEnvVariable`),
//! `pkg/controller/ttlafterfinished/ttlafterfinished_controller.go`.

pub mod rules;

use std::collections::BTreeSet;

use crate::controllers::kubelet::Timed;
use crate::objects::batch::COMPLETION_INDEX;
use crate::objects::{JobCondition, NamespacedName, ObjectMeta, OwnerReference, Pod, PodPhase};
use crate::world::{WorkloadKind, World};
use rules::{Counts, Decision, decide};

/// One of the Job's pods, as a sync sees it.
struct Seen {
    key: NamespacedName,
    uid: u64,
    phase: PodPhase,
    terminating: bool,
    index: Option<i32>,
    created: crate::sim::SimTime,
}

impl World {
    /// Counts the Job's pods, then finishes it or runs the pods it wants.
    pub(crate) fn sync_job(&mut self, key: &NamespacedName) {
        let Some(job) = self.workloads.job(key) else {
            return;
        };
        if job.is_finished() {
            return;
        }
        let spec = job.spec.clone();
        let seen: Vec<Seen> = self
            .pods
            .owned_by_kind(WorkloadKind::Job, key)
            .map(|p| Seen {
                key: p.metadata.key(),
                uid: p.metadata.uid,
                phase: p.status.phase.clone(),
                terminating: p.metadata.is_terminating(),
                index: p
                    .metadata
                    .labels
                    .get(COMPLETION_INDEX)
                    .and_then(|i| i.parse().ok()),
                created: p.metadata.creation_timestamp.unwrap_or_default(),
            })
            .collect();
        let tracking = self.workloads.job_tracking.entry(key.clone()).or_default();
        let (mut new_ok, mut new_failed) = (0, 0);
        for p in &seen {
            if tracking.counted.contains(&p.uid) {
                continue;
            }
            if p.phase == PodPhase::Succeeded {
                tracking.counted.insert(p.uid);
                new_ok += 1;
                if let Some(i) = p.index {
                    tracking.done_indexes.insert(i);
                }
            } else if p.phase == PodPhase::Failed || p.terminating {
                tracking.counted.insert(p.uid);
                new_failed += 1;
            }
        }
        let done_indexes = tracking.done_indexes.clone();
        let active: Vec<&Seen> = seen
            .iter()
            .filter(|p| !p.phase.is_terminal() && !p.terminating)
            .collect();
        let now = self.now;
        let Some(job) = self.workloads.job_mut(key) else {
            return;
        };
        job.status.succeeded += new_ok;
        job.status.failed += new_failed;
        if job.status.start_time.is_none() && spec.suspend != Some(true) {
            job.status.start_time = Some(now);
        }
        let counts = Counts {
            active: active.len(),
            succeeded: job.status.succeeded,
            failed: job.status.failed,
        };
        let name = &key.name;
        match decide(&spec, counts) {
            Decision::Complete => {
                let ok = counts.succeeded;
                self.finish_job(
                    key,
                    "Complete",
                    "",
                    format!("job {name} completed: {ok} pod(s) succeeded"),
                );
            }
            Decision::BackoffLimitExceeded => {
                let (failed, limit) = (counts.failed, spec.backoff_limit.unwrap_or(6));
                self.finish_job(
                    key,
                    "Failed",
                    "BackoffLimitExceeded",
                    format!("job {name} failed: {failed} pod(s) failed, more than its backoffLimit of {limit}"),
                );
            }
            Decision::Run { create, delete } => {
                let mut newest: Vec<&&Seen> = active.iter().collect();
                crate::sort::sort_by(&mut newest, |a, b| {
                    b.created.cmp(&a.created).then(b.key.cmp(&a.key))
                });
                let victims: Vec<NamespacedName> =
                    newest.iter().take(delete).map(|p| p.key.clone()).collect();
                let busy: BTreeSet<i32> = active.iter().filter_map(|p| p.index).collect();
                let indexes = free_indexes(&spec, &done_indexes, &busy, create);
                for v in victims {
                    self.begin_delete(&v, None, &format!("job {name} wants fewer pods running"));
                }
                for i in 0..create {
                    self.create_job_pod(key, indexes.get(i).copied());
                }
                let running = self
                    .pods
                    .owned_by_kind(WorkloadKind::Job, key)
                    .filter(|p| p.is_active())
                    .count();
                if let Some(job) = self.workloads.job_mut(key) {
                    job.status.active = i32::try_from(running).unwrap_or(i32::MAX);
                }
            }
        }
    }

    /// Marks a Job finished (`Complete` or `Failed`), deletes its running pods, queues
    /// its CronJob, and starts its TTL.
    fn finish_job(&mut self, key: &NamespacedName, condition: &str, reason: &str, message: String) {
        let now = self.now;
        let Some(job) = self.workloads.job_mut(key) else {
            return;
        };
        job.status.conditions.push(JobCondition {
            type_: condition.to_owned(),
            status: "True".to_owned(),
            reason: reason.to_owned(),
        });
        if condition == "Complete" {
            job.status.completion_time = Some(now);
        }
        job.status.active = 0;
        let (uid, ttl) = (job.metadata.uid, job.spec.ttl_seconds_after_finished);
        let cron = job
            .metadata
            .controller_of_kind("CronJob")
            .map(str::to_owned);
        self.event("Job", key, message);
        let running: Vec<NamespacedName> = self
            .pods
            .owned_by_kind(WorkloadKind::Job, key)
            .filter(|p| p.is_active())
            .map(|p| p.metadata.key())
            .collect();
        let name = &key.name;
        for p in running {
            self.begin_delete(&p, None, &format!("job {name} finished"));
        }
        if let Some(c) = cron {
            self.queue.owner(
                WorkloadKind::CronJob,
                NamespacedName::new(&key.namespace, &c),
            );
        }
        if let Some(ttl) = ttl {
            let at = now.plus_millis(u64::try_from(ttl.max(0)).unwrap_or(0) * 1000);
            self.queue.timed.push(
                at,
                Timed::JobTtl {
                    job: key.clone(),
                    uid,
                },
            );
        }
    }

    /// The TTL-after-finished controller: the finished Job goes, with its pods.
    pub(crate) fn job_ttl_expired(&mut self, key: &NamespacedName, uid: u64) {
        let live = self
            .workloads
            .job(key)
            .is_some_and(|j| j.metadata.uid == uid && j.is_finished());
        if live {
            let name = &key.name;
            self.event(
                "Job",
                key,
                format!("job {name} deleted: its ttlSecondsAfterFinished passed"),
            );
            self.remove_job(key, "its Job's ttlSecondsAfterFinished passed");
        }
    }

    /// Removes a Job; its pods are deleted (background cascading deletion).
    pub(crate) fn remove_job(&mut self, key: &NamespacedName, why: &str) {
        let Some(job) = self.workloads.remove_job(key) else {
            return;
        };
        self.release_pods(WorkloadKind::Job, key, why);
        if let Some(c) = job.metadata.controller_of_kind("CronJob") {
            self.queue.owner(
                WorkloadKind::CronJob,
                NamespacedName::new(&key.namespace, c),
            );
        }
    }

    fn create_job_pod(&mut self, key: &NamespacedName, index: Option<i32>) {
        let Some(job) = self.workloads.job(key) else {
            return;
        };
        let template = job.spec.template.clone();
        let job_uid = job.metadata.uid;
        let prefix = match index {
            Some(i) => format!("{}-{i}", key.name),
            None => key.name.clone(),
        };
        let pod_key = self.generate_pod_key(&key.namespace, &prefix);
        let mut meta = ObjectMeta::named(&key.namespace, &pod_key.name);
        meta.uid = self.uid();
        meta.creation_timestamp = Some(self.now);
        meta.labels = template.metadata.labels.clone();
        meta.annotations = template.metadata.annotations.clone();
        let mut spec = template.spec;
        if let Some(i) = index {
            meta.labels.insert(COMPLETION_INDEX.into(), i.to_string());
            meta.annotations
                .insert(COMPLETION_INDEX.into(), i.to_string());
            if spec.hostname.is_empty() {
                spec.hostname = prefix.clone();
            }
        }
        meta.owner_references = vec![OwnerReference {
            kind: "Job".into(),
            name: key.name.clone(),
            uid: job_uid,
            controller: true,
        }];
        self.insert_pod(Pod {
            metadata: meta,
            spec,
            ..Default::default()
        });
        let (job, pod) = (&key.name, &pod_key.name);
        self.event("Job", key, format!("job {job} created pod {pod}"));
    }

    /// Deletes every pod a workload owns (background cascading deletion), releasing them.
    pub(crate) fn release_pods(&mut self, kind: WorkloadKind, owner: &NamespacedName, why: &str) {
        let pods: Vec<NamespacedName> = self
            .pods
            .owned_by_kind(kind, owner)
            .map(|p| p.metadata.key())
            .collect();
        let key = (kind, owner.clone());
        for p in pods {
            self.pods.release_owner(&p, &key);
            self.begin_delete(&p, None, why);
        }
    }
}

/// The lowest indexes an Indexed Job still needs that no running pod holds, `n` at most;
/// empty for a NonIndexed Job.
fn free_indexes(
    spec: &crate::objects::JobSpec,
    done: &BTreeSet<i32>,
    busy: &BTreeSet<i32>,
    n: usize,
) -> Vec<i32> {
    if !spec.is_indexed() {
        return Vec::new();
    }
    let completions = spec.completions.unwrap_or(0).max(0);
    (0..completions)
        .filter(|i| !done.contains(i) && !busy.contains(i))
        .take(n)
        .collect()
}
