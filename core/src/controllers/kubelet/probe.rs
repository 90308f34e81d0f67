//! The kubelet's readiness-probe state machine for one container.
//!
//! States: `NotReady` (the start: the result starts as Failure) and `Ready`. Each probe
//! result extends a run of equal results; the published state flips only when a run
//! reaches its threshold: `successThreshold` successes make it Ready,
//! `failureThreshold` failures make it NotReady.
//! Upstream: kubernetes/kubernetes@61ecc560 `pkg/kubelet/prober/worker.go`
//! `doProbe` (resultRun and the
//! threshold checks); defaults from `pkg/apis/core/v1/defaults.go` `SetDefaults_Probe`.

use crate::objects::Probe;

/// What one probe result did to the published state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeTransition {
    /// No change.
    Unchanged,
    /// The container became Ready.
    BecameReady,
    /// The container became NotReady after `failures` failures in a row.
    BecameNotReady {
        /// The failures in the run.
        failures: u32,
    },
}

/// The readiness state of one container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeState {
    ready: bool,
    last_success: Option<bool>,
    run: u32,
}

impl ProbeState {
    /// A new container: not ready until its probe succeeds.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the published result is Success.
    pub fn is_ready(&self) -> bool {
        self.ready
    }

    /// Consecutive failures in the current run (0 when the last result was a success).
    pub fn failures(&self) -> u32 {
        if self.last_success == Some(false) {
            self.run
        } else {
            0
        }
    }

    /// Consecutive successes in the current run.
    pub fn successes(&self) -> u32 {
        if self.last_success == Some(true) {
            self.run
        } else {
            0
        }
    }

    /// What the world shows of it (readiness, the last result, the failures in a row);
    /// the length of a run of successes is never shown, so a probe that keeps
    /// succeeding changes nothing anyone sees.
    pub fn shown(&self) -> (bool, Option<bool>, u32) {
        (self.ready, self.last_success, self.failures())
    }

    /// Records one probe result and says whether the published state changed.
    ///
    /// Thresholds below 1 count as 1 (the API's minimum).
    pub fn record(&mut self, success: bool, probe: &Probe) -> ProbeTransition {
        if self.last_success == Some(success) {
            self.run = self.run.saturating_add(1);
        } else {
            self.last_success = Some(success);
            self.run = 1;
        }
        if success && !self.ready && self.run >= probe.success_threshold.max(1) {
            self.ready = true;
            ProbeTransition::BecameReady
        } else if !success && self.ready && self.run >= probe.failure_threshold.max(1) {
            self.ready = false;
            ProbeTransition::BecameNotReady { failures: self.run }
        } else {
            ProbeTransition::Unchanged
        }
    }
}

/// When the probe first runs after a container starts at `started_ms`: after
/// `initialDelaySeconds`.
pub fn first_probe_at(started_ms: u64, probe: &Probe) -> u64 {
    started_ms.saturating_add(u64::from(probe.initial_delay_seconds) * 1000)
}

/// The period between probes, in milliseconds (at least one second).
pub fn period_ms(probe: &Probe) -> u64 {
    u64::from(probe.period_seconds.max(1)) * 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn default_probe_needs_one_success_and_three_failures() {
        let probe = Probe::default();
        let mut s = ProbeState::new();
        assert!(!s.is_ready(), "starts as Failure");
        assert_eq!(
            s.record(false, &probe),
            ProbeTransition::Unchanged,
            "already not ready"
        );
        assert_eq!(s.record(true, &probe), ProbeTransition::BecameReady);
        assert_eq!(s.record(false, &probe), ProbeTransition::Unchanged);
        assert_eq!(s.record(false, &probe), ProbeTransition::Unchanged);
        assert_eq!(s.failures(), 2);
        assert_eq!(
            s.record(false, &probe),
            ProbeTransition::BecameNotReady { failures: 3 }
        );
        assert!(!s.is_ready());
    }

    #[test]
    fn a_success_resets_the_failure_run() {
        let probe = Probe {
            success_threshold: 2,
            ..Probe::default()
        };
        let mut s = ProbeState::new();
        assert_eq!(s.record(true, &probe), ProbeTransition::Unchanged);
        assert_eq!(s.record(true, &probe), ProbeTransition::BecameReady);
        s.record(false, &probe);
        s.record(false, &probe);
        s.record(true, &probe);
        assert_eq!(s.failures(), 0);
        assert_eq!(
            s.record(false, &probe),
            ProbeTransition::Unchanged,
            "run restarted"
        );
        assert!(s.is_ready());
        assert_eq!(
            first_probe_at(
                2_000,
                &Probe {
                    initial_delay_seconds: 5,
                    ..probe
                }
            ),
            7_000
        );
    }
}
