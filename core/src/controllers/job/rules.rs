//! Job rules: how many pods a Job wants running, and when it is done.
//!
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/controller/job/job_controller.go`
//! (`manageJob`: `wantActive` is `completions − succeeded` capped at `parallelism`, or
//! without `completions` `parallelism` until one pod succeeded and then whatever is
//! running; `syncJob`: the Job fails when its failures exceed `backoffLimit`, and
//! completes when `completions` pods succeeded, or without `completions` when one pod
//! succeeded and none is running).
//! Simplification: a failed pod is replaced at once (upstream backs off 10 s, doubling).

use crate::objects::JobSpec;

/// What the controller counted of a Job's pods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Pods running or starting (not finished, not being deleted).
    pub active: usize,
    /// Pods that succeeded, ever.
    pub succeeded: i32,
    /// Pods that failed or were deleted before they finished, ever.
    pub failed: i32,
}

/// What a sync decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// `Complete`: enough pods succeeded.
    Complete,
    /// `Failed`: more failures than `backoffLimit`.
    BackoffLimitExceeded,
    /// Still running: create or delete this many pods.
    Run {
        /// Pods to create.
        create: usize,
        /// Active pods to delete.
        delete: usize,
    },
}

/// The decision for a Job with `spec` (defaulted) and `counts`.
pub fn decide(spec: &JobSpec, counts: Counts) -> Decision {
    let backoff = spec.backoff_limit.unwrap_or(6);
    if counts.failed > backoff {
        return Decision::BackoffLimitExceeded;
    }
    let complete = match spec.completions {
        Some(c) => counts.succeeded >= c,
        None => counts.succeeded > 0 && counts.active == 0,
    };
    if complete {
        return Decision::Complete;
    }
    let active = counts.active;
    if spec.suspend == Some(true) {
        return Decision::Run {
            create: 0,
            delete: active,
        };
    }
    let parallelism = usize::try_from(spec.parallelism.unwrap_or(1).max(0)).unwrap_or(0);
    let want = match spec.completions {
        None if counts.succeeded > 0 => active,
        None => parallelism,
        Some(c) => {
            let left = usize::try_from((c - counts.succeeded).max(0)).unwrap_or(0);
            left.min(parallelism)
        }
    };
    Decision::Run {
        create: want.saturating_sub(active),
        delete: active.saturating_sub(want),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn spec(completions: Option<i32>, parallelism: i32) -> JobSpec {
        JobSpec {
            completions,
            parallelism: Some(parallelism),
            backoff_limit: Some(2),
            ..JobSpec::default()
        }
    }

    fn counts(active: usize, succeeded: i32, failed: i32) -> Counts {
        Counts {
            active,
            succeeded,
            failed,
        }
    }

    #[test]
    fn completions_and_parallelism_bound_the_active_pods() {
        let s = spec(Some(5), 2);
        assert_eq!(
            decide(&s, counts(0, 0, 0)),
            Decision::Run {
                create: 2,
                delete: 0
            }
        );
        assert_eq!(
            decide(&s, counts(2, 4, 0)),
            Decision::Run {
                create: 0,
                delete: 1
            },
            "one completion left: one pod"
        );
        assert_eq!(decide(&s, counts(0, 5, 0)), Decision::Complete);
    }

    #[test]
    fn without_completions_one_success_ends_it_once_the_rest_stop() {
        let s = spec(None, 3);
        assert_eq!(
            decide(&s, counts(0, 0, 0)),
            Decision::Run {
                create: 3,
                delete: 0
            }
        );
        assert_eq!(
            decide(&s, counts(2, 1, 0)),
            Decision::Run {
                create: 0,
                delete: 0
            },
            "the others keep running"
        );
        assert_eq!(decide(&s, counts(0, 1, 0)), Decision::Complete);
    }

    #[test]
    fn failures_past_the_backoff_limit_fail_it_and_suspend_stops_it() {
        assert_eq!(
            decide(&spec(Some(1), 1), counts(1, 0, 3)),
            Decision::BackoffLimitExceeded
        );
        assert_eq!(
            decide(&spec(Some(1), 1), counts(0, 0, 2)),
            Decision::Run {
                create: 1,
                delete: 0
            }
        );
        let suspended = JobSpec {
            suspend: Some(true),
            ..spec(Some(3), 3)
        };
        assert_eq!(
            decide(&suspended, counts(2, 0, 0)),
            Decision::Run {
                create: 0,
                delete: 2
            }
        );
    }
}
