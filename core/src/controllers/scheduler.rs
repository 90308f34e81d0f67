//! The scheduler: binds each pending pod to the least-loaded ready, schedulable node
//! with room whose labels match the pod's `nodeSelector`.
//!
//! Simplification: real nodes advertise `status.allocatable.pods` (kubelet `maxPods`,
//! default 110) and the scheduler also weighs CPU, memory, spreading and affinity; here
//! the pod count is the only resource, and the node with the fewest pods wins (ties by
//! node name).
//! Upstream: kubernetes/website@ca510574 `content/en/docs/setup/best-practices/cluster-large.md`
//! "Considerations for large clusters" (≤ 110 pods per node).

use crate::controllers::kubelet::runtime::{POD_START_MILLIS, Timed};
use crate::objects::{Labels, NamespacedName, Node};
use crate::world::World;

/// A node's labels as a `nodeSelector` sees them: its own, and the ones every real node
/// carries when the node does not: those its kubelet registers (`kubernetes.io/hostname`,
/// `kubernetes.io/os`, `kubernetes.io/arch`) and the beta ones the node lifecycle
/// controller keeps equal to them (`beta.kubernetes.io/os`, `beta.kubernetes.io/arch`,
/// which older manifests such as Sock Shop select on).
///
/// Simplification: the playground's nodes do not carry these labels themselves; matching
/// adds them as a Linux amd64 node has them.
/// Upstream: kubernetes/kubernetes@2dd1588c `pkg/kubelet/nodestatus` (`InitialNode`:
/// `LabelHostname`, `LabelOSStable`, `LabelArchStable`),
/// `pkg/controller/nodelifecycle/node_lifecycle_controller.go` (`labelReconcileInfo`).
pub fn node_labels(node: &Node) -> Labels {
    let mut labels = node.metadata.labels.clone();
    for (k, v) in [
        ("kubernetes.io/hostname", node.metadata.name.as_str()),
        ("kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("beta.kubernetes.io/arch", "amd64"),
    ] {
        labels.entry(k.to_owned()).or_insert_with(|| v.to_owned());
    }
    labels
}

/// Whether a node's labels satisfy a `nodeSelector`.
fn selects(selector: &Labels, node: &Node) -> bool {
    selector.is_empty() || {
        let labels = node_labels(node);
        selector.iter().all(|(k, v)| labels.get(k) == Some(v))
    }
}

/// The most pods the scheduler binds to one node (terminating pods included).
pub const MAX_PODS_PER_NODE: usize = 110;

impl World {
    /// Binds every pending pod it can, in key order.
    pub(crate) fn schedule_pending(&mut self) {
        let pending: Vec<NamespacedName> = self
            .pods
            .unscheduled()
            .iter()
            .map(|k| (**k).clone())
            .collect();
        for key in pending {
            let selector = self
                .pods
                .get(&key)
                .map(|p| p.spec.node_selector.clone())
                .unwrap_or_default();
            let choice = if selector.is_empty() {
                self.nodes.least_loaded().cloned()
            } else {
                self.nodes
                    .least_loaded_where(|n| selects(&selector, n))
                    .cloned()
            };
            let Some((load, node)) = choice else {
                if selector.is_empty() {
                    break;
                }
                continue;
            };
            if load >= MAX_PODS_PER_NODE {
                if selector.is_empty() {
                    break;
                }
                continue;
            }
            self.bind_pod(&key, &node, load);
        }
        let left = self.pods.unscheduled();
        if let Some(first) = left.first().cloned() {
            let (n, pods) = (self.nodes.len(), left.len());
            let name = &first.name;
            self.event(
                "Pod",
                &first,
                format!("{pods} pod(s) Pending, first {name}: 0/{n} nodes are available (too many pods, not ready or cordoned)"),
            );
        }
    }

    /// Binds a pending pod to a node holding `load` pods, and queues its start.
    pub(crate) fn bind_pod(&mut self, key: &NamespacedName, node: &str, load: usize) {
        let Some(uid) = self.pods.bind(key, node).map(|p| p.metadata.uid) else {
            return;
        };
        self.nodes.adjust_load(node, load, load + 1);
        let name = &key.name;
        self.event("Pod", key, format!("pod {name} scheduled to node {node}"));
        self.queue.timed.push(
            self.now.plus_millis(POD_START_MILLIS),
            Timed::Start {
                pod: key.clone(),
                uid,
            },
        );
    }
}
