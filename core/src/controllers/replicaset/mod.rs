//! The ReplicaSet controller: its scale-down order (`victims`) and its driver, which
//! also drives ReplicationControllers (see `controllers::replicationcontroller`).
//!
//! A sync counts the owner's active pods (not terminal, not being deleted), creates the
//! missing ones at once and deletes the surplus in the scale-down order of
//! [`victims::victim_order`].
//! Upstream: kubernetes/kubernetes@3e4a7900
//! `pkg/controller/replicaset/replica_set.go` `manageReplicas`.

pub mod victims;

use std::collections::BTreeMap;

use crate::objects::{NamespacedName, ObjectMeta, OwnerReference, Pod, PodTemplate};
use crate::world::{WorkloadKind, World};
use victims::{VictimKey, victim_order};

/// The most pods one ReplicaSet sync creates.
/// Upstream: kubernetes/kubernetes@3e4a7900
/// `pkg/controller/replicaset/replica_set.go` `burstReplicas`.
///
/// Simplification: upstream creates them in slow-start batches 1, 2, 4, … so that a
/// failing API stops early; creation never fails here, so all are created in one go.
const BURST_REPLICAS: usize = 500;

impl World {
    /// Makes a ReplicaSet's active pods number its replicas.
    pub(crate) fn sync_replica_set(&mut self, key: &NamespacedName) {
        self.sync_replicated(WorkloadKind::ReplicaSet, key);
    }

    /// The replicas, pod template and uid of a ReplicaSet or a ReplicationController.
    fn replicated(
        &self,
        kind: WorkloadKind,
        key: &NamespacedName,
    ) -> Option<(i32, &PodTemplate, u64)> {
        match kind {
            WorkloadKind::ReplicaSet => self.workloads.replica_set(key).map(|rs| {
                (
                    rs.spec.replicas.unwrap_or(1),
                    &rs.spec.template,
                    rs.metadata.uid,
                )
            }),
            WorkloadKind::ReplicationController => {
                let rc = self.workloads.replication_controllers.get(key)?;
                let t = rc.spec.template.as_ref()?;
                Some((rc.spec.replicas.unwrap_or(1), t, rc.metadata.uid))
            }
            _ => None,
        }
    }

    /// Makes the active pods of a ReplicaSet or ReplicationController number its
    /// replicas.
    pub(crate) fn sync_replicated(&mut self, kind: WorkloadKind, key: &NamespacedName) {
        let Some((replicas, _, _)) = self.replicated(kind, key) else {
            return;
        };
        let want = usize::try_from(replicas.max(0)).unwrap_or(0);
        let active: Vec<&Pod> = self
            .pods
            .owned_by_kind(kind, key)
            .filter(|p| p.is_active())
            .collect();
        let have = active.len();
        if have < want {
            let missing = (want - have).min(BURST_REPLICAS);
            for i in 0..missing {
                self.create_owned_pod(kind, key, have + i, want);
            }
            if want - have > missing {
                self.queue.owner(kind, key.clone());
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
            crate::sort::sort_by(&mut keys, victim_order);
            let victims: Vec<NamespacedName> = keys
                .iter()
                .take(have - want)
                .map(|k| NamespacedName::new(&key.namespace, k.name))
                .collect();
            let (word, rs_name) = (kind.kind().to_lowercase(), &key.name);
            for v in victims {
                let why = format!("{word} {rs_name} scaled down from {have} to {want} active pods");
                self.begin_delete(&v, None, &why);
            }
        }
    }

    /// Creates one pod from the owner's template, named `<owner>-<5 chars>`.
    fn create_owned_pod(
        &mut self,
        kind: WorkloadKind,
        rs_key: &NamespacedName,
        have: usize,
        want: usize,
    ) {
        let Some((_, template, rs_uid)) = self.replicated(kind, rs_key) else {
            return;
        };
        let template = template.clone();
        let key = self.generate_pod_key(&rs_key.namespace, &rs_key.name);
        let mut meta = ObjectMeta::named(&key.namespace, &key.name);
        meta.uid = self.uid();
        meta.labels = template.metadata.labels.clone();
        // Upstream: kubernetes/kubernetes@1f8996f8
        // `pkg/controller/controller_utils.go` `GetPodFromTemplate`
        // copies the template's labels and annotations.
        meta.annotations = template.metadata.annotations.clone();
        meta.creation_timestamp = Some(self.now);
        meta.owner_references = vec![OwnerReference {
            kind: kind.kind().into(),
            name: rs_key.name.clone(),
            uid: rs_uid,
            controller: true,
        }];
        let pod = Pod {
            metadata: meta,
            spec: template.spec,
            ..Default::default()
        };
        self.insert_pod(pod);
        let (rs, name, word) = (&rs_key.name, &key.name, kind.kind().to_lowercase());
        self.event(
            kind.kind(),
            rs_key,
            format!("{word} {rs} created pod {name}: {have} active, {want} wanted"),
        );
    }
}
