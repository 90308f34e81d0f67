//! The ReplicaSet controller and the scheduler.
//!
//! The ReplicaSet controller counts its active pods (not terminal, not being deleted),
//! creates the missing ones at once and deletes the surplus in the scale-down order of
//! [`victim_order`]. The scheduler binds each pending pod to the least-loaded ready,
//! schedulable node with room.
//! Upstream: kubernetes `pkg/controller/replicaset/replica_set.go` `manageReplicas`.

use std::collections::BTreeMap;

use super::World;
use crate::controllers::replica_set::{VictimKey, victim_order};
use crate::objects::{ObjectMeta, OwnerReference, Pod};

/// The most pods the scheduler binds to one node (terminating pods included).
///
/// Simplification: real nodes advertise `status.allocatable.pods` (kubelet `maxPods`,
/// default 110) and the scheduler also weighs CPU, memory, spreading and affinity; here
/// the pod count is the only resource, and the node with the fewest pods wins (ties by
/// node name).
/// Upstream: kubernetes.io "Considerations for large clusters" (≤ 110 pods per node).
pub const MAX_PODS_PER_NODE: usize = 110;

/// The most pods one ReplicaSet sync creates. Upstream: `burstReplicas`.
///
/// Simplification: upstream creates them in slow-start batches 1, 2, 4, … so that a
/// failing API stops early; creation never fails here, so all are created in one go.
const BURST_REPLICAS: usize = 500;

impl World {
    /// Binds every pending pod it can, in name order.
    pub(super) fn schedule_pending(&mut self) {
        let pending: Vec<String> = self.unscheduled.iter().cloned().collect();
        for name in pending {
            let Some((load, node)) = self.node_load.first().cloned() else {
                break;
            };
            if load >= MAX_PODS_PER_NODE {
                break;
            }
            self.bind_pod(&name, &node);
        }
        if !self.unscheduled.is_empty() {
            let (n, pods) = (self.nodes.len(), self.unscheduled.len());
            let name = self.unscheduled.first().cloned().unwrap_or_default();
            self.event(
                "Pod",
                &name,
                format!("{pods} pod(s) Pending, first {name}: 0/{n} nodes are available (too many pods, not ready or cordoned)"),
            );
        }
    }

    /// Makes a ReplicaSet's active pods number its replicas.
    pub(super) fn sync_replica_set(&mut self, rs_name: &str) {
        let Some(rs) = self.replica_sets.get(rs_name) else {
            return;
        };
        let want = usize::try_from(rs.spec.replicas.unwrap_or(1).max(0)).unwrap_or(0);
        let active: Vec<&Pod> = self
            .pods_by_rs
            .get(rs_name)
            .into_iter()
            .flatten()
            .filter_map(|n| self.pods.get(n))
            .filter(|p| p.is_active())
            .collect();
        let have = active.len();
        if have < want {
            let missing = (want - have).min(BURST_REPLICAS);
            for i in 0..missing {
                self.create_pod(rs_name, have + i, want);
            }
            if want - have > missing {
                self.dirty_replica_sets.insert(rs_name.to_owned());
            }
        } else if have > want {
            let mut per_node: BTreeMap<&str, usize> = BTreeMap::new();
            for p in &active {
                *per_node.entry(p.spec.node_name.as_str()).or_default() += 1;
            }
            let mut keys: Vec<VictimKey<'_>> = active
                .iter()
                .map(|p| {
                    let colocated = if p.spec.node_name.is_empty() {
                        0
                    } else {
                        per_node
                            .get(p.spec.node_name.as_str())
                            .copied()
                            .unwrap_or(0)
                    };
                    VictimKey::of(p, colocated)
                })
                .collect();
            keys.sort_by(victim_order);
            let victims: Vec<String> = keys
                .iter()
                .take(have - want)
                .map(|k| k.name.to_owned())
                .collect();
            for v in victims {
                let why =
                    format!("replicaset {rs_name} scaled down from {have} to {want} active pods");
                self.begin_delete(&v, None, &why);
            }
        }
    }

    /// Creates one pod from the ReplicaSet's template, named `<rs>-<5 chars>`.
    fn create_pod(&mut self, rs_name: &str, have: usize, want: usize) {
        let Some(rs) = self.replica_sets.get(rs_name) else {
            return;
        };
        let (template, rs_uid, namespace) = (
            rs.spec.template.clone(),
            rs.metadata.uid,
            rs.metadata.namespace.clone(),
        );
        let base: String = rs_name.chars().take(58).collect();
        let name = loop {
            let candidate = format!("{base}-{}", self.name_suffix());
            if !self.pods.contains_key(&candidate) {
                break candidate;
            }
        };
        let mut meta = ObjectMeta::named(&namespace, &name);
        meta.uid = self.uid();
        meta.labels = template.metadata.labels.clone();
        meta.creation_timestamp = Some(self.now);
        meta.owner_references = vec![OwnerReference {
            kind: "ReplicaSet".into(),
            name: rs_name.to_owned(),
            uid: rs_uid,
            controller: true,
        }];
        let pod = Pod {
            metadata: meta,
            spec: template.spec,
            ..Default::default()
        };
        self.insert_pod(pod);
        self.event(
            "ReplicaSet",
            rs_name,
            format!("replicaset {rs_name} created pod {name}: {have} active, {want} wanted"),
        );
    }
}
