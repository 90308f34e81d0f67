//! Creating objects in bulk, all or none: an import, a scenario, `kubectl create` or
//! `apply` of new objects.
//!
//! Every object is created as the API server creates it (validated, defaulted,
//! allocated), Namespaces and Nodes first and the rest in the order given, on a copy of
//! the world that replaces it only when every object went in. Every refusal is
//! reported with the index of its object, so an importer can point at each one.
//!
//! One object needs no copy: each kind's create validates everything before it changes
//! anything (the Service registry allocates in a transaction), so a refused single
//! create leaves the world as it was — and creating objects one by one costs each
//! object, not the size of the world.

use super::World;
use super::command::{Applied, Change, Verb};
use crate::apiserver::validate::{check_object, invalid};
use crate::apiserver::validate_workload::validate_replica_set;
use crate::error::CommandError;
use crate::objects::{NamespacedName, Object, ReplicaSet};

impl World {
    /// Creates `objects`, all or none (see the module docs).
    pub(super) fn create(&mut self, objects: &[Object]) -> Result<Applied, CommandError> {
        if let [only] = objects {
            return Ok(Applied {
                changes: vec![self.create_one(only.clone())?],
            });
        }
        let mut errors: Vec<(usize, CommandError)> = Vec::new();
        let mut next = self.clone();
        let mut applied = Applied::default();
        for i in create_order(objects) {
            let Some(o) = objects.get(i) else { continue };
            match next.create_one(o.clone()) {
                Ok(change) => applied.changes.push(change),
                Err(e) => errors.push((i, e)),
            }
        }
        if !errors.is_empty() {
            crate::sort::sort_by_key(&mut errors, |(i, _)| *i);
            return Err(batch(errors, objects.len()));
        }
        *self = next;
        Ok(applied)
    }

    pub(super) fn create_one(&mut self, o: Object) -> Result<Change, CommandError> {
        // Pods, Services and workloads are validated by their own create; a Namespace
        // or a Node has only its metadata to check.
        if matches!(o, Object::Namespace(_) | Object::Node(_)) {
            check_object(&o)?;
        }
        match o {
            Object::Namespace(ns) => self.create_namespace(&ns.metadata.name),
            Object::Node(n) => self.create_node(n),
            Object::Pod(p) => self.create_pod(p),
            Object::Service(s) => self.create_service(s),
            Object::Deployment(d) => self.create_deployment(d),
            Object::ReplicaSet(rs) => self.create_replica_set(rs),
            Object::StatefulSet(s) => self.create_stateful_set(s),
            Object::DaemonSet(d) => self.create_daemon_set(d),
            Object::ReplicationController(rc) => self.create_replication_controller(rc),
            Object::Job(j) => self.create_job(j),
            Object::CronJob(c) => self.create_cron_job(c),
        }
    }

    /// Creates a namespace.
    fn create_namespace(&mut self, name: &str) -> Result<Change, CommandError> {
        let key = NamespacedName::new("", name);
        if !self.namespaces.insert(name.to_owned()) {
            return Err(CommandError::AlreadyExists {
                kind: "namespaces",
                name: name.to_owned(),
            });
        }
        self.event("Namespace", &key, format!("namespace {name} created"));
        Ok(Change::new("namespace", key, Verb::Created))
    }

    /// Refuses an object in a namespace that does not exist, as the API server's
    /// `NamespaceLifecycle` admission does.
    /// Upstream: kubernetes/kubernetes@9b1fb6dc
    /// `plugin/pkg/admission/namespace/lifecycle/admission.go`.
    pub(crate) fn check_namespace(&self, namespace: &str) -> Result<(), CommandError> {
        if self.namespaces.contains(namespace) {
            Ok(())
        } else {
            Err(CommandError::NamespaceNotFound {
                name: namespace.to_owned(),
            })
        }
    }

    /// Creates a ReplicaSet without a Deployment; its controller creates its pods.
    fn create_replica_set(&mut self, mut rs: ReplicaSet) -> Result<Change, CommandError> {
        if rs.metadata.namespace.is_empty() {
            rs.metadata.namespace = crate::objects::DEFAULT_NAMESPACE.to_owned();
        }
        let errs = validate_replica_set(&rs);
        if !errs.is_empty() {
            return Err(invalid("ReplicaSet.apps", &rs.metadata.name, errs));
        }
        let key = rs.metadata.key();
        self.check_namespace(&key.namespace)?;
        if self.workloads.replica_set(&key).is_some() {
            return Err(CommandError::AlreadyExists {
                kind: "replicasets.apps",
                name: key.name,
            });
        }
        let replicas = rs.spec.replicas.unwrap_or(1);
        if replicas > crate::error::MAX_REPLICAS {
            return Err(CommandError::ReplicasOutOfRange {
                deployment: key.name,
                replicas: replicas.into(),
                max: crate::error::MAX_REPLICAS,
            });
        }
        rs.spec.replicas = Some(replicas);
        rs.metadata.uid = self.uid();
        rs.metadata.creation_timestamp = Some(self.now);
        rs.metadata.owner_references.clear();
        let name = &key.name;
        self.event(
            "ReplicaSet",
            &key,
            format!("replicaset {name} created with {replicas} replica(s)"),
        );
        self.queue.replica_set(key.clone());
        self.workloads.put_replica_set(rs);
        Ok(Change::new("replicaset.apps", key, Verb::Created))
    }
}

/// The order objects are created in: Namespaces, then Nodes, then the rest as given.
pub(super) fn create_order(objects: &[Object]) -> Vec<usize> {
    let first = |o: &Object| match o {
        Object::Namespace(_) => 0,
        Object::Node(_) => 1,
        _ => 2,
    };
    let mut order: Vec<usize> = (0..objects.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| objects.get(i).map_or(2, first));
    order
}

/// The refusal of a create: with one object, its own error, as a single create gives
/// it; with several, every refusal with its object's index.
pub(super) fn batch(mut errors: Vec<(usize, CommandError)>, objects: usize) -> CommandError {
    if objects == 1
        && let Some((_, e)) = errors.pop()
    {
        return e;
    }
    CommandError::Batch(errors)
}
