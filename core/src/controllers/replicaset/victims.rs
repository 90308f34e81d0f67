//! ReplicaSet rules: which pods count, and which pods go first on scale-down.
//!
//! Upstream: kubernetes/kubernetes@3e4a7900
//! `pkg/controller/replicaset/replica_set.go` `manageReplicas`,
//! `getPodsToDelete`; `pkg/controller/controller_utils.go` `ActivePodsWithRanks`.

use std::cmp::Ordering;

use crate::objects::{Pod, PodPhase};
use crate::sim::SimTime;

/// The annotation that makes a pod cheaper (lower) or dearer (higher) to delete.
pub const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

/// The facts about one pod that decide its place in the scale-down order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimKey<'a> {
    /// The pod's name (the last tie-breaker, for a reproducible order).
    pub name: &'a str,
    /// Bound to a node.
    pub scheduled: bool,
    /// The phase.
    pub phase: PodPhase,
    /// The Ready condition.
    pub ready: bool,
    /// The deletion-cost annotation, 0 when absent or not an integer.
    pub deletion_cost: i64,
    /// Active pods of the same ReplicaSet on the same node.
    pub colocated: usize,
    /// When it became ready.
    pub ready_since: Option<SimTime>,
    /// Container restarts.
    pub restarts: u32,
    /// Creation time.
    pub created: SimTime,
}

impl<'a> VictimKey<'a> {
    /// The key of a pod with `colocated` replicas sharing its node.
    pub fn of(pod: &'a Pod, colocated: usize) -> Self {
        VictimKey {
            name: &pod.metadata.name,
            scheduled: !pod.spec.node_name.is_empty(),
            phase: pod.status.phase.clone(),
            ready: pod.status.ready,
            deletion_cost: pod
                .metadata
                .annotations
                .get(POD_DELETION_COST)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            colocated,
            ready_since: pod.status.ready_since,
            restarts: pod.status.restart_count,
            created: pod.metadata.creation_timestamp.unwrap_or_default(),
        }
    }
}

fn phase_rank(p: &PodPhase) -> u8 {
    match p {
        PodPhase::Pending => 0,
        PodPhase::Unknown => 1,
        _ => 2,
    }
}

/// The scale-down order: `Less` means `a` is deleted before `b`.
///
/// Unscheduled before scheduled; Pending before Unknown before Running; not ready
/// before ready; lower deletion cost first; more co-located replicas first; ready for
/// a shorter time first; more restarts first; newer first.
///
/// Upstream: kubernetes/kubernetes@v1.31.0 `pkg/controller/controller_utils.go`
/// `ActivePodsWithRanks.Less`.
/// Simplification: upstream compares ready times and restarts in log buckets; this
/// compares them exactly.
pub fn victim_order(a: &VictimKey<'_>, b: &VictimKey<'_>) -> Ordering {
    a.scheduled
        .cmp(&b.scheduled)
        .then_with(|| phase_rank(&a.phase).cmp(&phase_rank(&b.phase)))
        .then_with(|| a.ready.cmp(&b.ready))
        .then_with(|| a.deletion_cost.cmp(&b.deletion_cost))
        .then_with(|| b.colocated.cmp(&a.colocated))
        .then_with(
            || match (a.ready && b.ready, a.ready_since, b.ready_since) {
                (true, Some(x), Some(y)) => y.cmp(&x),
                _ => Ordering::Equal,
            },
        )
        .then_with(|| b.restarts.cmp(&a.restarts))
        .then_with(|| b.created.cmp(&a.created))
        .then_with(|| a.name.cmp(b.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn key(name: &str) -> VictimKey<'_> {
        VictimKey {
            name,
            scheduled: true,
            phase: PodPhase::Running,
            ready: true,
            deletion_cost: 0,
            colocated: 1,
            ready_since: Some(SimTime(1_000)),
            restarts: 0,
            created: SimTime(0),
        }
    }

    #[test]
    fn each_rule_in_order() {
        let base = key("b");
        let cases: Vec<(VictimKey<'_>, &str)> = vec![
            (
                VictimKey {
                    scheduled: false,
                    ..key("z")
                },
                "unscheduled first",
            ),
            (
                VictimKey {
                    phase: PodPhase::Pending,
                    ..key("z")
                },
                "pending first",
            ),
            (
                VictimKey {
                    ready: false,
                    ..key("z")
                },
                "not ready first",
            ),
            (
                VictimKey {
                    deletion_cost: -1,
                    ..key("z")
                },
                "lower cost first",
            ),
            (
                VictimKey {
                    colocated: 3,
                    ..key("z")
                },
                "more co-located first",
            ),
            (
                VictimKey {
                    ready_since: Some(SimTime(5_000)),
                    ..key("z")
                },
                "ready for less time first",
            ),
            (
                VictimKey {
                    restarts: 2,
                    ..key("z")
                },
                "more restarts first",
            ),
            (
                VictimKey {
                    created: SimTime(9),
                    ..key("z")
                },
                "newer first",
            ),
        ];
        for (first, why) in cases {
            assert_eq!(victim_order(&first, &base), Ordering::Less, "{why}");
            assert_eq!(victim_order(&base, &first), Ordering::Greater, "{why}");
        }
        assert_eq!(
            victim_order(&key("a"), &base),
            Ordering::Less,
            "name breaks ties"
        );
        let unknown = VictimKey {
            phase: PodPhase::Unknown,
            ..key("z")
        };
        assert_eq!(
            victim_order(
                &VictimKey {
                    phase: PodPhase::Pending,
                    ..key("z")
                },
                &unknown
            ),
            Ordering::Less
        );
    }
}
