//! What the API server checks of a Job and a CronJob.
//!
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/apis/batch/validation/validation.go`
//! (`ValidateJob`, `validateGeneratedSelector`, `ValidateJobSpec`, `validateJobSpec`,
//! `ValidateCronJobCreate`, `validateCronJobSpec`, `validateScheduleFormat`,
//! `validateTimeZone`, `validateConcurrencyPolicy`, `ValidateJobTemplateSpec`);
//! `pkg/apis/core/validation/validation.go` (`ValidateHasLabel`).
//! Simplification: a `timeZone` is checked for its form only (the model has no time-zone
//! database; schedules run in UTC, see `controllers::cronjob::schedule`); the Job fields
//! the model does not carry are not checked.

use super::validate_apps::{non_negative, selects, template_mismatch};
use super::validate_meta::validate_meta;
use super::validate_pod::validate_pod_template;
use super::validate_workload::go_map;
use crate::controllers::cronjob::schedule::parse_standard;
use crate::objects::batch::{
    ALLOW_CONCURRENT, CONTROLLER_UID_LABEL, FORBID_CONCURRENT, INDEXED, JOB_NAME_LABEL,
    LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL, NON_INDEXED, REPLACE_CONCURRENT,
};
use crate::objects::{CronJob, Job, JobSpec, Labels};
use crate::selector::api::validate_label_selector;
use crate::validation::content::{is_dns1123_label, is_dns1123_subdomain};
use crate::validation::field::{Error, ErrorList, Path, Rendered};

/// The most pods an Indexed Job may run at once.
const MAX_PARALLELISM_INDEXED: i32 = 100_000;

/// `ValidateJob` on create, after the selector was generated
/// ([`super::defaults_workload::generate_job_selector`]).
pub fn validate_job(job: &Job) -> ErrorList {
    let mut errs = validate_meta(&job.metadata, true, is_dns1123_subdomain);
    errs.extend(validate_generated_selector(job));
    let spec = Path::new("spec");
    errs.extend(validate_job_spec(&job.spec, &spec));
    let selector = spec.child("selector");
    match &job.spec.selector {
        None => errs.push(Error::required(&selector, "")),
        Some(sel) => {
            let bad = validate_label_selector(sel, &selector);
            let converts = bad.is_empty();
            errs.extend(bad);
            if converts && !selects(job.spec.selector.as_ref(), &job.spec.template) {
                errs.push(template_mismatch(
                    &spec.child("template"),
                    &job.spec.template,
                ));
            }
        }
    }
    if job.spec.is_indexed()
        && let Some(c) = job.spec.completions.filter(|c| *c > 0)
    {
        let host = format!("{}-{}", job.metadata.name, c - 1);
        if !is_dns1123_label(&host).is_empty() {
            errs.push(Error::invalid(
                &Path::new("metadata").child("name"),
                job.metadata.name.as_str(),
                format!("will not able to create pod with invalid DNS label: {host}"),
            ));
        }
    }
    errs
}

/// `validateGeneratedSelector`: unless `manualSelector`, the template carries the Job's
/// uid and name labels and the selector selects them.
fn validate_generated_selector(job: &Job) -> ErrorList {
    let mut errs = ErrorList::new();
    if job.spec.manual_selector == Some(true) || job.spec.selector.is_none() {
        return errs;
    }
    if job.metadata.uid == 0 {
        errs.push(Error::required(&Path::new("metadata").child("uid"), ""));
    }
    let (uid, name) = (job.metadata.uid.to_string(), job.metadata.name.clone());
    let meta = Path::new("spec").child("template").child("metadata");
    let labels = &job.spec.template.metadata.labels;
    for (key, want) in [
        (LEGACY_CONTROLLER_UID_LABEL, &uid),
        (LEGACY_JOB_NAME_LABEL, &name),
        (CONTROLLER_UID_LABEL, &uid),
        (JOB_NAME_LABEL, &name),
    ] {
        errs.extend(has_label(labels, &meta, key, want));
    }
    let expected: Labels = [
        (CONTROLLER_UID_LABEL, &uid),
        (JOB_NAME_LABEL, &name),
        (LEGACY_CONTROLLER_UID_LABEL, &uid),
        (LEGACY_JOB_NAME_LABEL, &name),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    if let Some(sel) = &job.spec.selector
        && sel.to_selector().is_ok()
        && !sel.matches(&expected)
    {
        errs.push(Error::invalid(
            &Path::new("spec").child("selector"),
            Rendered(go_map(&sel.match_labels)),
            "`selector` not auto-generated",
        ));
    }
    errs
}

/// `ValidateHasLabel`.
fn has_label(labels: &Labels, meta: &Path, key: &str, want: &str) -> Option<Error> {
    let path = meta.child("labels").key(key);
    match labels.get(key) {
        None => Some(Error::required(&path, want)),
        Some(v) if v != want => Some(Error::invalid(
            &path,
            Rendered(go_map(labels)),
            format!("must be '{want}'"),
        )),
        Some(_) => None,
    }
}

/// `validateJobSpec`: counts, completion mode, the pod template and its restart policy.
fn validate_job_spec(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errs = ErrorList::new();
    for (field, v) in [
        ("parallelism", spec.parallelism),
        ("completions", spec.completions),
        ("backoffLimit", spec.backoff_limit),
        ("ttlSecondsAfterFinished", spec.ttl_seconds_after_finished),
    ] {
        if let Some(v) = v {
            errs.extend(non_negative(&path.child(field), v.into()));
        }
    }
    if let Some(mode) = &spec.completion_mode {
        if mode != NON_INDEXED && mode != INDEXED {
            errs.push(Error::not_supported(
                &path.child("completionMode"),
                mode.as_str(),
                &[NON_INDEXED, INDEXED],
            ));
        }
        if mode == INDEXED {
            if spec.completions.is_none() {
                errs.push(Error::required(
                    &path.child("completions"),
                    format!("when completion mode is {INDEXED}"),
                ));
            }
            if let Some(p) = spec.parallelism.filter(|p| *p > MAX_PARALLELISM_INDEXED) {
                errs.push(Error::invalid(
                    &path.child("parallelism"),
                    p,
                    format!(
                        "must be less than or equal to {MAX_PARALLELISM_INDEXED} when completion mode is {INDEXED}"
                    ),
                ));
            }
        }
    }
    let template = path.child("template");
    errs.extend(validate_pod_template(&spec.template, &template));
    let policy_path = template.child("spec").child("restartPolicy");
    match spec.template.spec.restart_policy.as_str() {
        "" | "Always" => errs.push(Error::required(
            &policy_path,
            "valid values: \"OnFailure\", \"Never\"",
        )),
        "OnFailure" | "Never" => {}
        other => errs.push(Error::not_supported(
            &policy_path,
            other,
            &["OnFailure", "Never"],
        )),
    }
    errs
}

/// `ValidateCronJobCreate`: the name (at most 52 characters, room for the run's
/// suffix), the schedule, the time zone, the concurrency policy and the job template.
pub fn validate_cron_job(c: &CronJob) -> ErrorList {
    let mut errs = validate_meta(&c.metadata, true, is_dns1123_subdomain);
    let spec = Path::new("spec");
    let s = &c.spec;
    let schedule = spec.child("schedule");
    if s.schedule.is_empty() {
        errs.push(Error::required(&schedule, ""));
    } else {
        if let Err(e) = parse_standard(&s.schedule) {
            errs.push(Error::invalid(&schedule, s.schedule.as_str(), e));
        }
        if s.schedule.contains("TZ") {
            errs.push(Error::invalid(
                &schedule,
                s.schedule.as_str(),
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ));
        }
    }
    if let Some(tz) = &s.time_zone {
        errs.extend(validate_time_zone(tz, &spec.child("timeZone")));
    }
    let policy = spec.child("concurrencyPolicy");
    match s.concurrency_policy.as_str() {
        ALLOW_CONCURRENT | FORBID_CONCURRENT | REPLACE_CONCURRENT => {}
        "" => errs.push(Error::required(&policy, "")),
        other => errs.push(Error::not_supported(
            &policy,
            other,
            &[ALLOW_CONCURRENT, FORBID_CONCURRENT, REPLACE_CONCURRENT],
        )),
    }
    let template = spec.child("jobTemplate");
    let job_spec = template.child("spec");
    errs.extend(validate_job_spec(&s.job_template.spec, &job_spec));
    if s.job_template.spec.selector.is_some() {
        errs.push(Error::invalid(
            &job_spec.child("selector"),
            Rendered("{}".into()),
            "`selector` will be auto-generated",
        ));
    }
    if s.job_template.spec.manual_selector == Some(true) {
        errs.push(Error::not_supported(
            &job_spec.child("manualSelector"),
            true,
            &["nil", "false"],
        ));
    }
    for (field, v) in [
        (
            "successfulJobsHistoryLimit",
            s.successful_jobs_history_limit,
        ),
        ("failedJobsHistoryLimit", s.failed_jobs_history_limit),
    ] {
        if let Some(v) = v {
            errs.extend(non_negative(&spec.child(field), v.into()));
        }
    }
    if c.metadata.name.len() > 52 {
        errs.push(Error::invalid(
            &Path::new("metadata").child("name"),
            c.metadata.name.as_str(),
            "must be no more than 52 characters",
        ));
    }
    errs
}

/// `validateTimeZone`, for the form of the name.
fn validate_time_zone(tz: &str, path: &Path) -> Option<Error> {
    if tz.is_empty() {
        return Some(Error::invalid(
            path,
            tz,
            "timeZone must be nil or non-empty string",
        ));
    }
    let part_ok = |p: &str| {
        p != "."
            && p != ".."
            && !p.starts_with('-')
            && (1..=14).contains(&p.len())
            && p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b".-_+".contains(&c))
    };
    if !tz.split('/').all(part_ok) {
        return Some(Error::invalid(path, tz, format!("unknown time zone {tz}")));
    }
    tz.eq_ignore_ascii_case("Local").then(|| {
        Error::invalid(
            path,
            tz,
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        )
    })
}
