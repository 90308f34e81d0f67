//! StatefulSet rules: pod names by ordinal, and what one sync does to the set's pods.
//!
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/controller/statefulset/stateful_set_utils.go`
//! (`getPodName`, `getOrdinal`, `isRunningAndReady`), `stateful_set_control.go`
//! (`updateStatefulSet`, `processReplica`, `processCondemned`: in `OrderedReady` mode one
//! pod at a time, each after the ones before it are Running and Ready, and scale-down
//! from the highest ordinal, waiting for each to be gone; in `Parallel` mode all at
//! once).
//! Simplification: no rolling update (a template change applies to new pods), no
//! `minReadySeconds`, no volume claims.

/// The name of the pod with ordinal `ordinal`: `<set>-<ordinal>`.
pub fn pod_name(set: &str, ordinal: i32) -> String {
    format!("{set}-{ordinal}")
}

/// The ordinal of a pod of `set`, from its name; `None` for a name that is not
/// `<set>-<non-negative integer>`.
pub fn ordinal_of(set: &str, pod: &str) -> Option<i32> {
    let rest = pod.strip_prefix(set)?.strip_prefix('-')?;
    if rest.is_empty() || !rest.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

/// What the controller sees of one of the set's pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// Its ordinal.
    pub ordinal: i32,
    /// Being deleted.
    pub terminating: bool,
    /// Its phase is Failed.
    pub failed: bool,
    /// Running and Ready (`isRunningAndReady`).
    pub ready: bool,
}

/// One thing a sync does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Create the pod with this ordinal.
    Create(i32),
    /// Delete the pod with this ordinal.
    Delete(i32),
}

/// Remembers `m` as the first unhealthy pod when it is the first one seen.
fn note_unhealthy(m: &Member, first: &mut Option<i32>) {
    if first.is_none() && (!m.ready || m.terminating) {
        *first = Some(m.ordinal);
    }
}

/// What one sync does, given the first ordinal, the replicas wanted, whether pods are
/// managed one at a time (`OrderedReady`), and the pods that exist.
///
/// Replicas are the ordinals `start..start+replicas`; the others are condemned. Each
/// replica in order: a failed pod is deleted and made again; a missing one is created;
/// in ordered mode the sync stops at the first pod it created, or that is terminating or
/// not Running and Ready. Then the condemned, from the highest ordinal: a terminating one
/// is waited for (ordered) or passed (parallel); in ordered mode only the first unhealthy
/// pod may go while others are unhealthy, and one pod goes per sync.
pub fn plan(start: i32, replicas: i32, ordered: bool, members: &[Member]) -> Vec<Action> {
    let mut out = Vec::new();
    let end = start.saturating_add(replicas.max(0));
    let find = |o: i32| members.iter().find(|m| m.ordinal == o);
    let mut unhealthy_first: Option<i32> = None;
    for o in start..end {
        match find(o) {
            Some(m) if m.failed && !m.terminating => {
                out.push(Action::Delete(o));
                out.push(Action::Create(o));
                if ordered {
                    return out;
                }
            }
            Some(m) => {
                note_unhealthy(m, &mut unhealthy_first);
                if ordered && (m.terminating || !m.ready) {
                    return out;
                }
            }
            None => {
                out.push(Action::Create(o));
                if ordered {
                    return out;
                }
            }
        }
    }
    let mut condemned: Vec<&Member> = members
        .iter()
        .filter(|m| m.ordinal < start || m.ordinal >= end)
        .collect();
    crate::sort::sort_by_key(&mut condemned, |m| m.ordinal);
    for m in &condemned {
        note_unhealthy(m, &mut unhealthy_first);
    }
    for m in condemned.iter().rev() {
        if m.terminating {
            if ordered {
                return out;
            }
            continue;
        }
        if ordered && !m.ready && unhealthy_first != Some(m.ordinal) {
            return out;
        }
        out.push(Action::Delete(m.ordinal));
        if ordered {
            return out;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ready(ordinal: i32) -> Member {
        Member {
            ordinal,
            terminating: false,
            failed: false,
            ready: true,
        }
    }

    fn starting(ordinal: i32) -> Member {
        Member {
            ready: false,
            ..ready(ordinal)
        }
    }

    #[test]
    fn names_and_ordinals() {
        assert_eq!(pod_name("web", 3), "web-3");
        assert_eq!(ordinal_of("web", "web-3"), Some(3));
        assert_eq!(ordinal_of("web", "web-03"), Some(3));
        assert_eq!(ordinal_of("web", "web-x"), None);
        assert_eq!(ordinal_of("web", "webs-1"), None);
        assert_eq!(ordinal_of("web", "web-"), None);
        assert_eq!(ordinal_of("web", "web--1"), None);
    }

    #[test]
    fn ordered_ready_starts_one_pod_at_a_time() {
        assert_eq!(plan(0, 3, true, &[]), vec![Action::Create(0)]);
        assert_eq!(plan(0, 3, true, &[starting(0)]), vec![], "waits for web-0");
        assert_eq!(plan(0, 3, true, &[ready(0)]), vec![Action::Create(1)]);
        assert_eq!(
            plan(0, 3, false, &[]),
            vec![Action::Create(0), Action::Create(1), Action::Create(2)],
            "Parallel starts them all"
        );
        assert_eq!(
            plan(2, 2, true, &[]),
            vec![Action::Create(2)],
            "ordinals.start"
        );
    }

    #[test]
    fn scale_down_goes_from_the_highest_ordinal_and_waits() {
        let all = [ready(0), ready(1), ready(2)];
        assert_eq!(plan(0, 1, true, &all), vec![Action::Delete(2)]);
        let going = [
            ready(0),
            ready(1),
            Member {
                terminating: true,
                ..ready(2)
            },
        ];
        assert_eq!(plan(0, 1, true, &going), vec![], "waits for web-2 to go");
        assert_eq!(
            plan(0, 1, false, &all),
            vec![Action::Delete(2), Action::Delete(1)]
        );
        assert_eq!(
            plan(0, 2, true, &[starting(0), ready(1), ready(2)]),
            vec![],
            "an unready replica blocks the scale-down"
        );
    }

    #[test]
    fn a_failed_pod_is_replaced_under_the_same_name() {
        let failed = Member {
            failed: true,
            ready: false,
            ..ready(1)
        };
        assert_eq!(
            plan(0, 3, true, &[ready(0), failed, ready(2)]),
            vec![Action::Delete(1), Action::Create(1)]
        );
    }
}
