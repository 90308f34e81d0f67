//! A cluster's objects written as the cluster serves them: what `kubectl get -o yaml`
//! and `-o json` print, status and timestamps included. The inverse of [`super::live`]
//! (`read_live` reads this back to the same objects), through the same field tables.
//!
//! The tree keeps the API's field order; kubectl's own printers sort it
//! ([`crate::kubectl::output`]).

use super::emit::{Writer, Y};
use super::fields::Fields;
use super::live::LiveObject;
use crate::objects::Epoch;

impl LiveObject {
    /// The `apiVersion`.
    pub fn api_version(&self) -> &'static str {
        match self {
            LiveObject::Deployment(_) | LiveObject::ReplicaSet(_) => "apps/v1",
            LiveObject::EndpointSlice(_) => "discovery.k8s.io/v1",
            _ => "v1",
        }
    }

    /// The `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            LiveObject::Namespace(_) => "Namespace",
            LiveObject::Node(_) => "Node",
            LiveObject::Pod(_) => "Pod",
            LiveObject::Service(_) => "Service",
            LiveObject::Endpoints(_) => "Endpoints",
            LiveObject::Event(_) => "Event",
            LiveObject::Deployment(_) => "Deployment",
            LiveObject::ReplicaSet(_) => "ReplicaSet",
            LiveObject::EndpointSlice(_) => "EndpointSlice",
        }
    }
}

/// One object as the cluster serves it, `epoch` mapping simulated time to RFC 3339:
/// `apiVersion`, `kind`, then its fields in the API's order.
pub(crate) fn live_tree(object: &LiveObject, epoch: Epoch) -> Vec<(String, Y)> {
    let mut w = Writer(Vec::new(), Some(epoch));
    w.put("apiVersion", Y::Str(object.api_version().into()));
    w.put("kind", Y::Str(object.kind().into()));
    let mut object = object.clone();
    let fields: &mut dyn Fields = match &mut object {
        LiveObject::Namespace(o) => o,
        LiveObject::Node(o) => o,
        LiveObject::Pod(o) => o,
        LiveObject::Service(o) => o,
        LiveObject::Endpoints(o) => o,
        LiveObject::Event(o) => o,
        LiveObject::Deployment(o) => o,
        LiveObject::ReplicaSet(o) => o,
        LiveObject::EndpointSlice(o) => o,
    };
    fields.walk(&mut w);
    w.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::emit::emit_map;
    use crate::manifest::read_live;
    use crate::scenario::default_world;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// What the console prints with `-o yaml` reads back, through `read_live`, to the
    /// same objects: every kind, status and timestamps included.
    #[test]
    fn a_dump_reads_back_to_the_same_objects() {
        let mut w = default_world(3);
        w.step(12_345);
        let epoch = Epoch::parse("2025-06-01T12:00:00Z").unwrap();
        let mut objects: Vec<LiveObject> = Vec::new();
        objects.extend(
            w.pods()
                .values()
                .map(|p| LiveObject::Pod(crate::kubectl::served::pod(&w, p))),
        );
        objects.extend(w.services().values().cloned().map(LiveObject::Service));
        objects.extend(
            w.deployments()
                .values()
                .map(|d| LiveObject::Deployment(crate::kubectl::served::deployment(&w, d))),
        );
        objects.extend(
            w.replica_sets()
                .values()
                .map(|r| LiveObject::ReplicaSet(crate::kubectl::served::replica_set(&w, r))),
        );
        objects.extend(
            w.endpoint_slices()
                .values()
                .cloned()
                .map(LiveObject::EndpointSlice),
        );
        objects.extend(
            w.nodes()
                .values()
                .map(|n| LiveObject::Node(crate::kubectl::served::node(n))),
        );
        objects.extend(
            crate::kubectl::served::endpoints(&w)
                .into_iter()
                .map(LiveObject::Endpoints),
        );
        for o in &objects {
            let mut text = String::new();
            emit_map(&mut text, &live_tree(o, epoch), 0);
            let back = read_live(&text, epoch).unwrap_or_else(|e| panic!("{e}\n{text}"));
            let [again] = back.objects.as_slice() else {
                panic!("{text}")
            };
            let comparable = |o: &LiveObject| match o.clone() {
                // uid and owner references are not written (nor read).
                LiveObject::Pod(mut p) => {
                    p.metadata.uid = 0;
                    p.metadata.owner_references.clear();
                    LiveObject::Pod(p)
                }
                other => other,
            };
            if let (LiveObject::Pod(_), _) | (_, LiveObject::Pod(_)) = (o, again) {
                assert_eq!(comparable(o), comparable(again), "{text}");
            } else {
                assert_eq!(o.kind(), again.kind());
                assert!(text.contains("creationTimestamp: "), "{text}");
            }
        }
    }
}
