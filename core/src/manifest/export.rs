//! Objects to YAML, two ways.
//!
//! [`export_world`] writes what a user would `kubectl apply` to make the world again:
//! `apiVersion`, `kind`, `metadata`, `spec`; never a `status`, nor what only the cluster
//! writes (uid, timestamps, owner references); no Node unless one came from a manifest
//! (the cluster's own nodes joined by themselves); no ClusterIP, node port,
//! health-check port or IP family the request did not pin ([`crate::world::Pinned`]);
//! no selector or labels the API server generated for a Job; and nothing a controller
//! made (a Deployment's ReplicaSets, a CronJob's Jobs, any workload's pods). Importing
//! it into an empty cluster gives the same world.
//!
//! [`export_scenario`] writes what a shared link needs to build the same start state
//! from its seed: the same objects, and every node with its address. The fields are the ones the importer reads ([`super::fields`]), so both
//! import back to the same objects.

use super::emit::{Writer, Y, emit_map};
use super::fields::{Fields, Keep, Walker};
use super::schema::{ApiNodeStatus, NodeAddress, NodeCondition, Object};
use crate::World;
use crate::objects::batch::{
    CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL,
};
use crate::objects::{Job, Namespace, ObjectMeta, Pod, Service};
use crate::world::{Pinned, SYSTEM_NAMESPACES};

/// The objects as one YAML stream, `---` between documents, in the order given; no
/// status.
pub fn export(objects: &[Object]) -> String {
    let docs: Vec<String> = objects.iter().map(|o| document(o, false)).collect();
    docs.join("---\n")
}

/// What the user made in a world, as `kubectl apply` takes it (see the module docs): the
/// client pods too (their load generators' command lines carry the traffic, so a real
/// cluster runs the same).
pub fn export_world(world: &World) -> String {
    export(&user_objects(world, false))
}

/// [`export_world`] narrowed to one namespace (`None`: all of them): its Namespace object
/// (unless a system one) and the objects in it; no Nodes.
pub fn export_world_in(world: &World, namespace: Option<&str>) -> String {
    let Some(ns) = namespace else {
        return export_world(world);
    };
    let objects: Vec<Object> = user_objects(world, false)
        .into_iter()
        .filter(|o| match o {
            Object::Namespace(n) => n.metadata.name == ns,
            Object::Node(_) => false,
            other => other.meta().namespace == ns,
        })
        .collect();
    export(&objects)
}

/// A world's start state for a link: [`export_world`]'s objects plus the cluster's own
/// nodes with their addresses (a link rebuilds the same cluster; its ClusterIPs and node
/// ports are allocated again from its seed, pinned only where the input pinned them).
pub fn export_scenario(world: &World) -> String {
    let docs: Vec<String> = user_objects(world, true)
        .iter()
        .map(|o| document(o, true))
        .collect();
    docs.join("---\n")
}

fn user_objects(world: &World, scenario: bool) -> Vec<Object> {
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
    let nodes = world
        .nodes()
        .values()
        .filter(|n| scenario || !world.is_provisioned_node(&n.metadata.name));
    objects.extend(nodes.cloned().map(Object::Node));
    let user_services = world
        .services()
        .values()
        .filter(|s| !world.is_built_in_service(&s.metadata.key()));
    objects.extend(user_services.map(|s| {
        let mut s = s.clone();
        let pins = world
            .service_pins(&s.metadata.key())
            .cloned()
            .unwrap_or_default();
        unpin(&mut s, &pins);
        Object::Service(s)
    }));
    let ws = |m: &ObjectMeta| m.controller().is_none();
    objects.extend(
        world
            .deployments()
            .values()
            .cloned()
            .map(Object::Deployment),
    );
    objects.extend(
        world
            .stateful_sets()
            .values()
            .cloned()
            .map(Object::StatefulSet),
    );
    objects.extend(world.daemon_sets().values().cloned().map(Object::DaemonSet));
    let bare_replica_sets = world.replica_sets().values().filter(|r| ws(&r.metadata));
    objects.extend(bare_replica_sets.cloned().map(Object::ReplicaSet));
    objects.extend(
        world
            .replication_controllers()
            .values()
            .cloned()
            .map(Object::ReplicationController),
    );
    let jobs = world.jobs().values().filter(|j| ws(&j.metadata));
    objects.extend(jobs.map(|j| Object::Job(user_job(j))));
    objects.extend(world.cron_jobs().values().cloned().map(Object::CronJob));
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
            ..*p
        })
    }));
    objects
}

/// Leaves out what the API server allocated and the request did not pin.
fn unpin(s: &mut Service, pins: &Pinned) {
    let spec = &mut s.spec;
    match &pins.cluster_ip {
        Some(ip) => spec.cluster_ip.clone_from(ip),
        None => spec.cluster_ip.clear(),
    }
    if !pins.cluster_ips {
        spec.cluster_ips.clear();
    }
    if !pins.ip_families {
        spec.ip_families.clear();
    }
    if !pins.ip_family_policy {
        spec.ip_family_policy = None;
    }
    for p in &mut spec.ports {
        if !pins.node_ports.contains(&p.node_port) {
            p.node_port = 0;
        }
    }
    spec.health_check_node_port = pins.health_check_node_port.unwrap_or(0);
}

/// A Job as its user wrote it: without the selector and template labels the API server
/// generated from its uid and name (unless `manualSelector`), which a new cluster
/// generates again.
fn user_job(j: &Job) -> Job {
    let mut j = j.clone();
    if j.spec.manual_selector == Some(true) {
        return j;
    }
    let (uid, name) = (j.metadata.uid.to_string(), j.metadata.name.clone());
    let labels = &mut j.spec.template.metadata.labels;
    for (k, v) in [
        (LEGACY_CONTROLLER_UID_LABEL, &uid),
        (CONTROLLER_UID_LABEL, &uid),
        (LEGACY_JOB_NAME_LABEL, &name),
        (JOB_NAME_LABEL, &name),
    ] {
        if labels.get(k) == Some(v) {
            labels.remove(k);
        }
    }
    if let Some(sel) = &mut j.spec.selector {
        if sel.match_labels.get(CONTROLLER_UID_LABEL) == Some(&uid) {
            sel.match_labels.remove(CONTROLLER_UID_LABEL);
        }
        if sel.match_labels.is_empty() && sel.match_expressions.is_empty() {
            j.spec.selector = None;
        }
    }
    j
}

fn document(o: &Object, node_status: bool) -> String {
    let mut w = Writer::default();
    w.put("apiVersion", Y::Str(o.api_version().into()));
    w.put("kind", Y::Str(o.kind().into()));
    match o.clone() {
        Object::Namespace(mut n) => n.walk(&mut w),
        Object::Node(mut n) => {
            n.walk(&mut w);
            if node_status {
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
        }
        Object::Pod(mut p) => p.walk(&mut w),
        Object::Service(mut s) => s.walk(&mut w),
        Object::Deployment(mut d) => d.walk(&mut w),
        Object::ReplicaSet(mut r) => r.walk(&mut w),
        Object::StatefulSet(mut s) => s.walk(&mut w),
        Object::DaemonSet(mut d) => d.walk(&mut w),
        Object::ReplicationController(mut r) => r.walk(&mut w),
        Object::Job(mut j) => j.walk(&mut w),
        Object::CronJob(mut c) => c.walk(&mut w),
    }
    let mut out = String::new();
    emit_map(&mut out, &w.0, 0);
    out
}
