//! The scheduler: binds each pending pod to the least-loaded ready, schedulable node
//! with room.
//!
//! Simplification: real nodes advertise `status.allocatable.pods` (kubelet `maxPods`,
//! default 110) and the scheduler also weighs CPU, memory, spreading and affinity; here
//! the pod count is the only resource, and the node with the fewest pods wins (ties by
//! node name).
//! Upstream: kubernetes/website@ca510574 `content/en/docs/setup/best-practices/cluster-large.md`
//! "Considerations for large clusters" (≤ 110 pods per node).

use crate::controllers::kubelet::runtime::{POD_START_MILLIS, Timed};
use crate::objects::NamespacedName;
use crate::world::World;

/// The most pods the scheduler binds to one node (terminating pods included).
pub const MAX_PODS_PER_NODE: usize = 110;

impl World {
    /// Binds every pending pod it can, in key order.
    pub(crate) fn schedule_pending(&mut self) {
        let pending: Vec<NamespacedName> = self.pods.unscheduled().iter().cloned().collect();
        for key in pending {
            let Some((load, node)) = self.nodes.least_loaded().cloned() else {
                break;
            };
            if load >= MAX_PODS_PER_NODE {
                break;
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
    fn bind_pod(&mut self, key: &NamespacedName, node: &str, load: usize) {
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
