//! The objects of a kind, as the API server lists them to kubectl: served (status
//! filled, [`crate::kubectl::served`]), in one namespace or all, by namespace and name.

use super::resource::Kind;
use crate::World;
use crate::kubectl::{events, served};
use crate::manifest::LiveObject;
use crate::objects::ObjectMeta;
use crate::selector::Selector;

/// Which namespaces a request reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Where {
    /// One namespace.
    In(String),
    /// `-A`.
    All,
}

impl Where {
    fn holds(&self, namespace: &str) -> bool {
        match self {
            Where::In(ns) => ns == namespace,
            Where::All => true,
        }
    }
}

/// An object's metadata.
pub(crate) fn meta(o: &LiveObject) -> &ObjectMeta {
    match o {
        LiveObject::Namespace(x) => &x.metadata,
        LiveObject::Node(x) => &x.metadata,
        LiveObject::Pod(x) => &x.metadata,
        LiveObject::Service(x) => &x.metadata,
        LiveObject::Endpoints(x) => &x.metadata,
        LiveObject::Event(x) => &x.metadata,
        LiveObject::Deployment(x) => &x.metadata,
        LiveObject::ReplicaSet(x) => &x.metadata,
        LiveObject::EndpointSlice(x) => &x.metadata,
    }
}

/// Every object of `kind` in `scope` (cluster-scoped kinds ignore it) that matches
/// `selector`, by namespace and name.
pub(crate) fn list(
    world: &World,
    kind: Kind,
    scope: &Where,
    selector: Option<&Selector>,
) -> Vec<LiveObject> {
    let scope = if kind.namespaced() {
        scope.clone()
    } else {
        Where::All
    };
    let mut out: Vec<LiveObject> = match kind {
        Kind::Pod => world
            .pods()
            .values()
            .filter(|p| scope.holds(&p.metadata.namespace))
            .map(|p| LiveObject::Pod(served::pod(world, p)))
            .collect(),
        Kind::Service => world
            .services()
            .values()
            .filter(|s| scope.holds(&s.metadata.namespace))
            .cloned()
            .map(LiveObject::Service)
            .collect(),
        Kind::Endpoints => served::endpoints(world)
            .into_iter()
            .filter(|e| scope.holds(&e.metadata.namespace))
            .map(LiveObject::Endpoints)
            .collect(),
        Kind::EndpointSlice => world
            .endpoint_slices()
            .values()
            .filter(|s| scope.holds(&s.metadata.namespace))
            .cloned()
            .map(LiveObject::EndpointSlice)
            .collect(),
        Kind::Deployment => world
            .deployments()
            .values()
            .filter(|d| scope.holds(&d.metadata.namespace))
            .map(|d| LiveObject::Deployment(served::deployment(world, d)))
            .collect(),
        Kind::ReplicaSet => world
            .replica_sets()
            .values()
            .filter(|r| scope.holds(&r.metadata.namespace))
            .map(|r| LiveObject::ReplicaSet(served::replica_set(world, r)))
            .collect(),
        Kind::Node => world
            .nodes()
            .values()
            .map(|n| LiveObject::Node(served::node(n)))
            .collect(),
        Kind::Event => {
            let ns = match &scope {
                Where::In(ns) => Some(ns.as_str()),
                Where::All => None,
            };
            events::list(world, ns)
                .into_iter()
                .map(LiveObject::Event)
                .collect()
        }
        Kind::Namespace => served::namespaces(world)
            .into_iter()
            .map(LiveObject::Namespace)
            .collect(),
    };
    if let Some(sel) = selector {
        out.retain(|o| sel.matches(&meta(o).labels));
    }
    out
}

/// One object by name (in `namespace` for a namespaced kind).
pub(crate) fn find(world: &World, kind: Kind, namespace: &str, name: &str) -> Option<LiveObject> {
    list(world, kind, &Where::In(namespace.to_owned()), None)
        .into_iter()
        .find(|o| meta(o).name == name)
}

/// The names of a kind's objects in a namespace, for completion.
pub(crate) fn names(world: &World, kind: Kind, namespace: &str) -> Vec<String> {
    let scope = Where::In(namespace.to_owned());
    let scope = if kind.namespaced() { scope } else { Where::All };
    match kind {
        // Events are many and their names are not what anyone types.
        Kind::Event => Vec::new(),
        _ => list(world, kind, &scope, None)
            .iter()
            .map(|o| meta(o).name.clone())
            .collect(),
    }
}
