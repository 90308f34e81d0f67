//! The StatefulSet controller: its rules (`rules`: ordinal names, what a sync does) and
//! its driver.
//!
//! Each pod is `<set>-<ordinal>` with the set's template, the labels
//! `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and
//! `controller-revision-hash`, `hostname` = its name and `subdomain` = the set's
//! `serviceName`, so that a headless Service of that name gives it the DNS name
//! `<pod>.<service>.<namespace>.svc`. A deleted or failed pod comes back under the same
//! name once the old one is gone.
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/controller/statefulset/stateful_set_utils.go`
//! (`newStatefulSetPod`, `updateIdentity`, `initIdentity`), `stateful_set_control.go`.

pub mod rules;

use crate::controllers::template_hash::template_hash;
use crate::objects::{NamespacedName, ObjectMeta, OwnerReference, Pod, PodPhase};
use crate::world::{WorkloadKind, World};
use rules::{Action, Member, ordinal_of, plan, pod_name};

/// The label naming a StatefulSet pod (a Service can select one pod by it).
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// The label holding a StatefulSet pod's ordinal.
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
/// The label holding the revision of the template a pod was made from.
pub const REVISION_LABEL: &str = "controller-revision-hash";

impl World {
    /// Creates and deletes the set's pods as [`rules::plan`] says.
    pub(crate) fn sync_stateful_set(&mut self, key: &NamespacedName) {
        let Some(set) = self.workloads.stateful_sets.get(key) else {
            return;
        };
        let (start, replicas, ordered) = (
            set.spec.start_ordinal(),
            set.spec.replicas.unwrap_or(1),
            set.spec.is_ordered(),
        );
        let members: Vec<Member> = self
            .pods
            .owned_by_kind(WorkloadKind::StatefulSet, key)
            .filter_map(|p| {
                Some(Member {
                    ordinal: ordinal_of(&key.name, &p.metadata.name)?,
                    terminating: p.metadata.is_terminating(),
                    failed: p.status.phase == PodPhase::Failed,
                    ready: p.status.phase == PodPhase::Running && p.status.ready,
                })
            })
            .collect();
        let name = &key.name;
        for action in plan(start, replicas, ordered, &members) {
            match action {
                Action::Create(o) => self.create_stateful_pod(key, o, replicas),
                Action::Delete(o) => {
                    let pod = NamespacedName::new(&key.namespace, &pod_name(name, o));
                    let why = format!("statefulset {name} wants {replicas} replica(s)");
                    self.begin_delete(&pod, None, &why);
                }
            }
        }
    }

    fn create_stateful_pod(&mut self, key: &NamespacedName, ordinal: i32, replicas: i32) {
        let Some(set) = self.workloads.stateful_sets.get(key) else {
            return;
        };
        let name = pod_name(&key.name, ordinal);
        let pod_key = NamespacedName::new(&key.namespace, &name);
        if self.pods.contains(&pod_key) {
            let set_name = &key.name;
            self.event(
                "StatefulSet",
                key,
                format!("statefulset {set_name} cannot create pod {name}: a pod of that name exists and is not the set's"),
            );
            return;
        }
        let template = set.spec.template.clone();
        let (service, set_uid) = (set.spec.service_name.clone(), set.metadata.uid);
        let revision = format!("{}-{}", key.name, template_hash(&template));
        let mut meta = ObjectMeta::named(&key.namespace, &name);
        meta.uid = self.uid();
        meta.creation_timestamp = Some(self.now);
        meta.labels = template.metadata.labels.clone();
        meta.labels.insert(POD_NAME_LABEL.into(), name.clone());
        meta.labels
            .insert(POD_INDEX_LABEL.into(), ordinal.to_string());
        meta.labels.insert(REVISION_LABEL.into(), revision);
        meta.annotations = template.metadata.annotations.clone();
        meta.owner_references = vec![OwnerReference {
            kind: "StatefulSet".into(),
            name: key.name.clone(),
            uid: set_uid,
            controller: true,
        }];
        let mut spec = template.spec;
        spec.hostname = name.clone();
        spec.subdomain = service;
        self.insert_pod(Pod {
            metadata: meta,
            spec,
            ..Default::default()
        });
        let set_name = &key.name;
        self.event(
            "StatefulSet",
            key,
            format!(
                "statefulset {set_name} created pod {name} (ordinal {ordinal}; {replicas} wanted)"
            ),
        );
    }
}
