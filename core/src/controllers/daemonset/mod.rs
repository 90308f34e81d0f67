//! The DaemonSet controller: its rules (`rules`: which nodes, which pods) and its driver.
//!
//! A sync visits every node in name order: it creates the set's pod on each node that
//! should run one and has none, and deletes pods on nodes that should not run one (and
//! extra ones). Nodes joining, leaving or being cordoned queue every DaemonSet. Pods on a
//! node that is gone are left to the pod garbage collector, as upstream.
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/controller/daemon/daemon_controller.go`
//! (`manage`, `podsShouldBeOnNode`, `syncNodes`).
//! Simplification: the controller binds each pod to its node itself (as before
//! Kubernetes 1.12, when it set `spec.nodeName`) rather than through the scheduler with a
//! node-affinity term, so the scheduler's pods-per-node limit does not apply to it.

pub mod rules;

use std::collections::BTreeMap;

use crate::controllers::statefulset::REVISION_LABEL;
use crate::controllers::template_hash::template_hash;
use crate::objects::{NamespacedName, ObjectMeta, OwnerReference, Pod, PodPhase};
use crate::world::{WorkloadKind, World};
use rules::{OnNode, on_node, should_run};

/// The label holding the template generation a DaemonSet pod was made from.
pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";

impl World {
    /// One pod of the set on every node that should run it.
    pub(crate) fn sync_daemon_set(&mut self, key: &NamespacedName) {
        let Some(ds) = self.workloads.daemon_sets.get(key) else {
            return;
        };
        let template = ds.spec.template.clone();
        let mut by_node: BTreeMap<String, Vec<OnNode<'_>>> = BTreeMap::new();
        for p in self.pods.owned_by_kind(WorkloadKind::DaemonSet, key) {
            by_node
                .entry(p.spec.node_name.clone())
                .or_default()
                .push(OnNode {
                    name: &p.metadata.name,
                    created: p.metadata.creation_timestamp.unwrap_or_default(),
                    terminating: p.metadata.is_terminating(),
                    failed: p.status.phase == PodPhase::Failed,
                });
        }
        let mut create = Vec::new();
        let mut delete = Vec::new();
        for (node, n) in self.nodes.all() {
            let pods = by_node.get(node).map(Vec::as_slice).unwrap_or_default();
            let (make, gone) = on_node(should_run(&template, n), pods);
            if make {
                create.push(node.clone());
            }
            delete.extend(gone.into_iter().map(|p| (p.to_owned(), node.clone())));
        }
        let name = &key.name;
        for (pod, node) in delete {
            let pod = NamespacedName::new(&key.namespace, &pod);
            let why = format!("daemonset {name} runs one pod on node {node}, where it should");
            self.begin_delete(&pod, None, &why);
        }
        for node in create {
            self.create_daemon_pod(key, &node);
        }
    }

    /// Queues every DaemonSet (a node joined, left or changed).
    pub(crate) fn queue_daemon_sets(&mut self) {
        let keys: Vec<NamespacedName> = self.workloads.daemon_sets.keys().cloned().collect();
        for k in keys {
            self.queue.owner(WorkloadKind::DaemonSet, k);
        }
    }

    fn create_daemon_pod(&mut self, key: &NamespacedName, node: &str) {
        let Some(ds) = self.workloads.daemon_sets.get(key) else {
            return;
        };
        let template = ds.spec.template.clone();
        let ds_uid = ds.metadata.uid;
        let pod_key = self.generate_pod_key(&key.namespace, &key.name);
        let mut meta = ObjectMeta::named(&key.namespace, &pod_key.name);
        meta.uid = self.uid();
        meta.creation_timestamp = Some(self.now);
        meta.labels = template.metadata.labels.clone();
        meta.labels
            .insert(REVISION_LABEL.into(), template_hash(&template));
        meta.labels
            .insert(TEMPLATE_GENERATION_LABEL.into(), "1".into());
        meta.annotations = template.metadata.annotations.clone();
        meta.owner_references = vec![OwnerReference {
            kind: "DaemonSet".into(),
            name: key.name.clone(),
            uid: ds_uid,
            controller: true,
        }];
        self.insert_pod(Pod {
            metadata: meta,
            spec: template.spec,
            ..Default::default()
        });
        let load = self.pods.count_on_node(node);
        self.bind_pod(&pod_key, node, load);
        let (ds_name, pod) = (&key.name, &pod_key.name);
        self.event(
            "DaemonSet",
            key,
            format!("daemonset {ds_name} created pod {pod} on node {node}"),
        );
    }
}
