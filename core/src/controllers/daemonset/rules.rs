//! DaemonSet rules: which nodes should run the set's pod, and which of a node's pods go.
//!
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/controller/daemon/daemon_controller.go`
//! (`NodeShouldRunDaemonPod`, `podsShouldBeOnNode`: one pod on each node that should run
//! one, the oldest kept when there are more, none on the others),
//! `pkg/controller/daemon/util/daemonset_util.go` (`AddOrUpdateDaemonPodTolerations`:
//! DaemonSet pods tolerate `node.kubernetes.io/unschedulable`, so a cordoned node keeps
//! and gets them).
//! Simplification: a node is eligible when its labels match the template's
//! `nodeSelector` (node affinity and taints are not modelled).

use crate::controllers::scheduler::node_labels;
use crate::objects::{Labels, Node, PodTemplate};
use crate::sim::SimTime;

/// Whether `node` should run the DaemonSet's pod: its labels (with the ones every
/// kubelet registers) carry every pair of the template's `nodeSelector`. Cordoning does
/// not matter.
pub fn should_run(template: &PodTemplate, node: &Node) -> bool {
    let labels: Labels = node_labels(node);
    template
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
}

/// One of the set's pods on a node, as the sync sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnNode<'a> {
    /// The pod's name.
    pub name: &'a str,
    /// When it was created.
    pub created: SimTime,
    /// Being deleted already.
    pub terminating: bool,
    /// Its phase is Failed.
    pub failed: bool,
}

/// What a sync does on one node: `(create, delete)` — whether to create a pod, and which
/// pods to delete. Pods being deleted do not count. A node that should run the pod keeps
/// its oldest live pod (a failed one is deleted and replaced, as is one being deleted);
/// a node that should not keeps none.
///
/// Simplification: upstream backs off before replacing a pod that failed on a node; here
/// it is replaced at once.
pub fn on_node<'a>(should_run: bool, pods: &[OnNode<'a>]) -> (bool, Vec<&'a str>) {
    let mut live: Vec<&OnNode<'a>> = pods.iter().filter(|p| !p.terminating).collect();
    let mut delete: Vec<&'a str> = live.iter().filter(|p| p.failed).map(|p| p.name).collect();
    live.retain(|p| !p.failed);
    if !should_run {
        delete.extend(live.iter().map(|p| p.name));
        return (false, delete);
    }
    crate::sort::sort_by(&mut live, |a, b| {
        a.created.cmp(&b.created).then(a.name.cmp(b.name))
    });
    delete.extend(live.iter().skip(1).map(|p| p.name));
    (live.is_empty(), delete)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::ObjectMeta;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn pod(name: &str, created: u64) -> OnNode<'_> {
        OnNode {
            name,
            created: SimTime(created),
            terminating: false,
            failed: false,
        }
    }

    #[test]
    fn node_selector_picks_nodes_with_the_kubelet_labels_too() {
        let mut node = Node {
            metadata: ObjectMeta::named("", "n1"),
            ..Default::default()
        };
        node.metadata.labels.insert("disk".into(), "ssd".into());
        node.spec.unschedulable = true;
        let mut t = PodTemplate::default();
        assert!(
            should_run(&t, &node),
            "no selector: every node, cordoned too"
        );
        t.spec
            .node_selector
            .insert("kubernetes.io/os".into(), "linux".into());
        assert!(should_run(&t, &node));
        t.spec.node_selector.insert("disk".into(), "hdd".into());
        assert!(!should_run(&t, &node));
    }

    #[test]
    fn one_pod_per_node_the_oldest_kept() {
        assert_eq!(on_node(true, &[]), (true, vec![]));
        assert_eq!(
            on_node(true, &[pod("a", 5), pod("b", 1)]),
            (false, vec!["a"])
        );
        assert_eq!(on_node(false, &[pod("a", 5)]), (false, vec!["a"]));
        let failed = OnNode {
            failed: true,
            ..pod("a", 1)
        };
        assert_eq!(on_node(true, &[failed]), (true, vec!["a"]));
        let going = OnNode {
            terminating: true,
            ..pod("a", 1)
        };
        assert_eq!(
            on_node(true, &[going]),
            (true, vec![]),
            "a pod being deleted is replaced at once"
        );
    }
}
