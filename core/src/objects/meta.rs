//! `metadata`: names, namespaces, labels and the deletion timestamp.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sim::SimTime;

/// A label set: ordered, so that every listing and export is deterministic.
pub type Labels = BTreeMap<String, String>;

/// `metadata` of every object.
///
/// Simplification: timestamps are simulated milliseconds since the world started, not
/// RFC 3339 strings; `uid` is a counter drawn from the world, not a random UUID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// The object's name, unique per kind and namespace.
    #[serde(default)]
    pub name: String,
    /// A prefix from which the API server generates a unique name when `name` is empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub generate_name: String,
    /// The namespace; empty for cluster-scoped objects (Node, Namespace).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// A world-unique id, new for every object (a replacement pod gets a new one).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub uid: u64,
    /// The object's labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: Labels,
    /// Annotations, kept as given.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// When the object was created, in simulated time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<SimTime>,
    /// Set by a graceful delete: the time by which the object will be gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<SimTime>,
    /// The grace period the delete was given, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<u32>,
    /// The objects this one belongs to; the controlling owner has `controller: true`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner_references: Vec<OwnerReference>,
}

/// An `ownerReferences` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    /// The owner's kind, e.g. `ReplicaSet`.
    pub kind: String,
    /// The owner's name (same namespace).
    pub name: String,
    /// The owner's uid.
    pub uid: u64,
    /// Whether the owner is the managing controller.
    #[serde(default)]
    pub controller: bool,
}

/// A namespaced object's key: its namespace and name, as apimachinery's
/// `types.NamespacedName`. Cluster-scoped objects (Node, Namespace) have an empty
/// namespace. Ordered by namespace, then name; `Display` is `namespace/name`.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/types/namespacedname.go`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NamespacedName {
    /// The namespace (`""` for cluster-scoped objects).
    pub namespace: String,
    /// The name.
    pub name: String,
}

/// The namespace every object without one goes to.
pub const DEFAULT_NAMESPACE: &str = "default";

impl NamespacedName {
    /// The key of `name` in `namespace`.
    pub fn new(namespace: &str, name: &str) -> Self {
        NamespacedName {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }

    /// The key of `name` in the `default` namespace.
    pub fn default_ns(name: &str) -> Self {
        Self::new(DEFAULT_NAMESPACE, name)
    }

    /// Reads `namespace/name`, or a bare `name` in `namespace`.
    pub fn parse_in(namespace: &str, text: &str) -> Self {
        match text.split_once('/') {
            Some((ns, name)) => Self::new(ns, name),
            None => Self::new(namespace, text),
        }
    }
}

impl std::fmt::Display for NamespacedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{}/{}", self.namespace, self.name)
        }
    }
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

impl ObjectMeta {
    /// Metadata with a name and namespace and nothing else.
    pub fn named(namespace: &str, name: &str) -> Self {
        Self {
            name: name.to_owned(),
            namespace: namespace.to_owned(),
            ..Self::default()
        }
    }

    /// The object's key (namespace and name).
    pub fn key(&self) -> NamespacedName {
        NamespacedName::new(&self.namespace, &self.name)
    }

    /// Whether a graceful delete has begun (`deletionTimestamp != nil`).
    pub fn is_terminating(&self) -> bool {
        self.deletion_timestamp.is_some()
    }

    /// The controlling owner reference (`controller: true`), if any.
    pub fn controller(&self) -> Option<&OwnerReference> {
        self.owner_references.iter().find(|o| o.controller)
    }

    /// The name of the controlling owner of `kind`, if any.
    pub fn controller_of_kind(&self, kind: &str) -> Option<&str> {
        self.owner_references
            .iter()
            .find(|o| o.controller && o.kind == kind)
            .map(|o| o.name.as_str())
    }
}
