//! Manifests in and out: kubectl's YAML (or JSON) into the objects, and back.
//!
//! [`import`] reads a multi-document stream of `v1` Service, Pod, Namespace, Node,
//! ReplicationController, `apps/v1` Deployment, ReplicaSet, StatefulSet, DaemonSet and
//! `batch/v1` Job, CronJob (also inside a `v1` `List`; a HorizontalPodAutoscaler is read
//! and noted as not simulated), applies the API server's
//! defaults and validates everything; [`apply_import`] also checks the import against a
//! [`World`](crate::World), allocates ClusterIPs and node ports, and applies all of it or
//! nothing. Unknown kinds and unknown fields are skipped with a [`Notice`]; every
//! [`ImportError`] names its document, line, column and field path. [`export`] and
//! [`export_world`] write YAML `kubectl apply` takes (no status, no allocated values the
//! input did not pin) that imports back to the same objects; [`export_scenario`] keeps
//! what a link needs to rebuild the same world.
//! [`ImportJob`] runs an import in slices (a page's frames), with the same result.
//! [`read_live`] reads what a cluster holds (`kubectl get -o yaml`), status and
//! timestamps included, onto simulated time. Every import is within [`crate::limits`]
//! (size, nesting, documents, objects, pods), and takes time in proportion to its text.
//!
//! Module map: `stream` (the text parsed within the limits: size, `depth` (nesting
//! measured before the YAML scanner runs), documents), `cut` (the documents of a stream
//! found on its text, a slice at a time), `reading` (documents read a few at a time or
//! all at once, unread kinds skipped unparsed), `spans` (where every value is in the
//! text, found in one pass), `staged` (an import in slices), `path` (field paths),
//! `schema` (the [`Object`] enum, `Namespace`, the Node status as the API has it),
//! `fields` (each type's fields, listed once for both directions; `fields_workloads` for
//! StatefulSet, DaemonSet, ReplicationController, Job and CronJob; `fields_status` and
//! `fields_cluster` for what only the cluster writes; `hpa` for the autoscaler's note),
//! `decode` (documents to objects, with notices) and `read` (one document through its
//! fields, errors in Go's words), `defaults`, `validate` (per object and across the
//! import, the pod budget), `apply` (against a world), `export` and `emit` (objects to
//! YAML text), `live` (a cluster's dump in), `dump` (a cluster's objects out, as
//! `kubectl get -o yaml` prints them). Share links live in [`crate::scenario::share`].

mod apply;
mod budget;
mod cut;
mod decode;
pub mod defaults;
mod depth;
mod dump;
mod emit;
mod error;
mod export;
mod fields;
mod fields_cluster;
mod fields_status;
mod fields_workloads;
mod hpa;
mod live;
pub mod path;
mod read;
mod reading;
mod schema;
mod spans;
mod staged;
mod stream;
mod validate;

pub use crate::objects::NamespaceStatus;
pub use apply::{apply_import, apply_report};
pub use decode::{decode_defaulted, import, import_lenient};
pub(crate) use dump::live_tree;
pub(crate) use emit::Y;
pub use error::{ImportError, ImportErrors, Problem};
pub use export::{export, export_scenario, export_world, export_world_in};
pub use live::{LiveObject, LiveReport, read_live};
pub use path::{FieldPath, Position, Seg};
pub use schema::{Namespace, Object};
pub use staged::{ImportJob, Progress, ProgressStage};

pub(crate) use emit::{emit_map_with, quoted};
pub(crate) use read::key_text;
pub(crate) use spans::Spans;
pub(crate) use stream::{parse as parse_stream, source as stream_source};

/// Whether `text` nests within [`MAX_NESTING_DEPTH`](crate::limits::MAX_NESTING_DEPTH),
/// measured without parsing it (for JSON read by the YAML parser outside an import).
pub(crate) fn check_nesting(text: &str) -> Result<(), depth::TooDeep> {
    depth::check(text, crate::limits::MAX_NESTING_DEPTH).map(|_| ())
}

/// What an import produced: the objects, in document order, and what was skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The objects, defaulted and validated.
    pub objects: Vec<Object>,
    /// Where each object came from (same order as `objects`).
    pub origins: Vec<Origin>,
    /// Everything skipped: unknown kinds, unknown or unmodelled fields, status.
    pub notices: Vec<Notice>,
}

/// Where an object came from in the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The document, counting from 1.
    pub document: usize,
    /// The object's path inside its document: empty, or `items[3]` inside a `List`.
    pub path: FieldPath,
    /// Where the object starts.
    pub position: Position,
}

/// Something the import skipped, with where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The document, counting from 1.
    pub document: usize,
    /// Where the skipped part is.
    pub position: Position,
    /// The field path (`spec.template.spec.containers[0].resources`), empty for a
    /// whole document.
    pub field: String,
    /// What was skipped and why.
    pub kind: NoticeKind,
}

/// Why something was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeKind {
    /// A kind (or a version of a kind) the playground does not model.
    UnknownKind {
        /// The document's `apiVersion`.
        api_version: String,
        /// The document's `kind`.
        kind: String,
    },
    /// A field the playground does not model.
    UnknownField,
    /// A field the cluster writes (status, uid, timestamps…), not taken from a manifest.
    ServerSet,
    /// An object the world cannot hold yet; it was not applied.
    NotApplied {
        /// Why.
        reason: &'static str,
    },
    /// An object the playground reads but does not act on (a HorizontalPodAutoscaler:
    /// replicas stay as set).
    NotSimulated {
        /// The object and what it would do, e.g.
        /// `HorizontalPodAutoscaler/web (Deployment/web, 2 to 4 replicas)`.
        what: String,
    },
    /// Something the import made that the input did not ask for (a namespace its
    /// objects need).
    Created {
        /// What, e.g. `namespace shop`.
        what: String,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = self.position;
        write!(
            f,
            "document {}, line {}, column {}: ",
            self.document, p.line, p.column
        )?;
        match &self.kind {
            NoticeKind::UnknownKind { api_version, kind } => {
                write!(
                    f,
                    "skipped {api_version} {kind}: kind not modelled by the playground"
                )
            }
            NoticeKind::UnknownField => write!(f, "ignored field {}: not modelled", self.field),
            NoticeKind::ServerSet => {
                write!(f, "ignored field {}: written by the cluster", self.field)
            }
            NoticeKind::NotApplied { reason } => write!(f, "not applied: {reason}"),
            NoticeKind::NotSimulated { what } => write!(
                f,
                "read {what}: autoscaling is not simulated; the replicas stay as set"
            ),
            NoticeKind::Created { what } => write!(
                f,
                "created {what}: the objects here need it (kubectl would refuse them until `kubectl create namespace` made it)"
            ),
        }
    }
}
