//! Objects to kubectl-ready YAML: `apiVersion`, `kind`, `metadata`, `spec`; no status
//! but a Node's (its address and readiness are what the playground needs of it); no
//! field only the simulation writes (uid, timestamps, owner references). The fields
//! are the ones the importer reads ([`super::fields`]), so an export imports back to
//! the same objects.

use super::emit::{Writer, Y, emit_map};
use super::fields::{Fields, Keep, Walker};
use super::schema::{ApiNodeStatus, NodeAddress, NodeCondition, Object};
use crate::World;
use crate::objects::{Namespace, ObjectMeta, Pod};
use crate::world::SYSTEM_NAMESPACES;

/// The objects as one YAML stream, `---` between documents, in the order given.
pub fn export(objects: &[Object]) -> String {
    let docs: Vec<String> = objects.iter().map(document).collect();
    docs.join("---\n")
}

/// What the user made in a world, as YAML: namespaces, nodes, Services, Deployments,
/// bare ReplicaSets and bare pods (the client pods too: their load generators' command
/// lines carry the traffic, so a real cluster runs the same); never what a controller
/// made (ReplicaSets of Deployments, their pods, slices).
/// A bare pod's `nodeName` is left out: the scheduler chose it.
pub fn export_world(world: &World) -> String {
    let mut objects: Vec<Object> = Vec::new();
    let user_namespaces = world
        .namespaces()
        .iter()
        .filter(|n| !SYSTEM_NAMESPACES.contains(&n.as_str()));
    objects.extend(user_namespaces.map(|n| {
        Object::Namespace(Namespace {
            metadata: ObjectMeta::named("", n),
            ..Namespace::default()
        })
    }));
    objects.extend(world.nodes().values().cloned().map(Object::Node));
    let user_services = world
        .services()
        .values()
        .filter(|s| !world.is_built_in_service(&s.metadata.key()));
    objects.extend(user_services.cloned().map(Object::Service));
    objects.extend(
        world
            .deployments()
            .values()
            .cloned()
            .map(Object::Deployment),
    );
    let bare_replica_sets = world
        .replica_sets()
        .values()
        .filter(|r| r.metadata.owner_references.is_empty());
    objects.extend(bare_replica_sets.cloned().map(Object::ReplicaSet));
    let bare = world
        .pods()
        .values()
        .filter(|p| p.metadata.owner_references.is_empty());
    objects.extend(bare.cloned().map(|p| {
        Object::Pod(Pod {
            spec: crate::objects::PodSpec {
                node_name: String::new(),
                ..p.spec
            },
            ..p
        })
    }));
    export(&objects)
}

fn document(o: &Object) -> String {
    let mut w = Writer::default();
    w.put("apiVersion", Y::Str(o.api_version().into()));
    w.put("kind", Y::Str(o.kind().into()));
    match o.clone() {
        Object::Namespace(mut n) => n.walk(&mut w),
        Object::Node(mut n) => {
            n.walk(&mut w);
            let mut status = ApiNodeStatus::default();
            if !n.status.node_ip.is_empty() {
                status.addresses.push(NodeAddress {
                    type_: "InternalIP".into(),
                    address: n.status.node_ip.clone(),
                });
            }
            status.conditions.push(NodeCondition {
                type_: "Ready".into(),
                status: if n.status.ready { "True" } else { "False" }.into(),
            });
            w.object("status", &mut status, Keep::Always);
        }
        Object::Pod(mut p) => p.walk(&mut w),
        Object::Service(mut s) => s.walk(&mut w),
        Object::Deployment(mut d) => d.walk(&mut w),
        Object::ReplicaSet(mut r) => r.walk(&mut w),
    }
    let mut out = String::new();
    emit_map(&mut out, &w.0, 0);
    out
}
