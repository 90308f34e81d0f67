//! YAML (or JSON) text to objects: dispatch each document on apiVersion/kind, read
//! each object, note what was skipped.
//!
//! The stream is read within the limits by `reading` (each document cut from the
//! stream and parsed on its own text, with the position of every value; or the stream
//! whole by `stream`), then each document is read into the typed objects through their
//! [`Fields`] by [`read_into`], which reports wrong types in Go's words and every
//! unknown field. At most [`MAX_OBJECTS`] objects are read.

use std::collections::BTreeSet;

use yaml_serde::{Mapping, Value};

use super::error::{ImportError, ImportErrors, Problem};
use super::fields::Fields;
use super::path::{FieldPath, Position};
use super::read::{key_text, read_into};
use super::reading;
use super::schema::{ApiNodeStatus, Namespace, Object};
use super::spans::Spans;
use super::stream::source;
use super::{ImportReport, Notice, NoticeKind, Origin, validate};
use crate::limits::{Limit, LimitError, MAX_OBJECTS};
use crate::objects::{
    CronJob, DaemonSet, Deployment, Job, Node, NodeStatus, Pod, ReplicaSet, ReplicationController,
    Service, StatefulSet,
};

/// Server-written `metadata` fields, dropped with a notice.
const SERVER_META: &[&str] = &[
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "managedFields",
    "selfLink",
    "ownerReferences",
];

/// The `metadata` of templates inside an object, whose server-written fields are
/// dropped like the object's own.
const TEMPLATE_METAS: [&[&str]; 3] = [
    &["spec", "template", "metadata"],
    &["spec", "jobTemplate", "metadata"],
    &["spec", "jobTemplate", "spec", "template", "metadata"],
];

/// Reads, defaults and validates a manifest stream. On any error nothing is returned
/// but the errors, all of them, in document order.
pub fn import(text: &str) -> Result<ImportReport, ImportErrors> {
    let (report, errors) = import_lenient(text);
    if errors.is_empty() {
        Ok(report)
    } else {
        Err(ImportErrors(errors))
    }
}

/// Reads what it can: every object that has no error of its own, and every error, in
/// document order. For tools that report problems and still show the rest (the CLI's
/// `check`); an editor that applies should use [`import`].
pub fn import_lenient(text: &str) -> (ImportReport, Vec<ImportError>) {
    let (spans, report, errors) = reading::read_all(source(text));
    validated(&spans, report, errors)
}

/// Validates what was read (defaulted): the objects without errors of their own, and
/// every error, in document order.
pub(crate) fn validated(
    spans: &Spans,
    mut report: ImportReport,
    mut errors: Vec<ImportError>,
) -> (ImportReport, Vec<ImportError>) {
    let found = validate::validate_import(&report);
    let bad: BTreeSet<usize> = found.iter().map(|(i, _)| *i).collect();
    errors.extend(validate::to_import_errors(spans, &report, found));
    if !bad.is_empty() {
        let keep = |i: &usize| !bad.contains(i);
        let objects = std::mem::take(&mut report.objects).into_iter().enumerate();
        report.objects = objects.filter(|(i, _)| keep(i)).map(|(_, o)| o).collect();
        let origins = std::mem::take(&mut report.origins).into_iter().enumerate();
        report.origins = origins.filter(|(i, _)| keep(i)).map(|(_, o)| o).collect();
    }
    crate::sort::sort_by_key(&mut errors, |e| (e.document, e.line(), e.column()));
    crate::sort::sort_by_key(&mut report.notices, |n| (n.document, n.position));
    (report, errors)
}

/// Reads and defaults a manifest stream without validating it: every object that could
/// be read, and the errors of what could not (syntax, types, a missing kind), for a
/// caller that sends each object to the API server's validation itself (the console's
/// `kubectl apply`, whose errors come in the API server's order, object by object).
pub fn decode_defaulted(text: &str) -> (ImportReport, Vec<ImportError>) {
    let (_, report, errors) = reading::read_all(source(text));
    (report, errors)
}

/// Reads the objects of one document into a report (see [`reading`]).
pub(super) struct Decoder<'a> {
    pub(super) spans: &'a Spans,
    /// The document, counting from 0.
    pub(super) doc: usize,
    /// Objects met so far (the items of a List each count).
    pub(super) objects: &'a mut usize,
    pub(super) report: &'a mut ImportReport,
    pub(super) errors: &'a mut Vec<ImportError>,
}

impl Decoder<'_> {
    fn at(&self, path: &FieldPath) -> Position {
        self.spans.locate(self.doc, path).unwrap_or_default()
    }

    /// A document of a kind the importer does not read, skipped unparsed; it counts as
    /// an object.
    pub(super) fn skipped(&mut self, at: Position, api_version: String, kind: String) {
        *self.objects += 1;
        if *self.objects > MAX_OBJECTS {
            let e = LimitError::new(Limit::Objects, "", None);
            return self.error(&FieldPath::default(), None, Problem::Limit(e));
        }
        self.report.notices.push(Notice {
            document: self.doc + 1,
            position: at,
            field: String::new(),
            kind: NoticeKind::UnknownKind { api_version, kind },
        });
    }

    fn error(&mut self, path: &FieldPath, object: Option<String>, problem: Problem) {
        let position = Some(self.at(path));
        self.errors.push(ImportError {
            document: self.doc + 1,
            position,
            object,
            field: path.to_string(),
            problem,
        });
    }

    fn notice(&mut self, path: &FieldPath, kind: NoticeKind) {
        let position = self.at(path);
        self.report.notices.push(Notice {
            document: self.doc + 1,
            position,
            field: path.to_string(),
            kind,
        });
    }

    /// One object at `base` (the document root, or `items[i]` of a List).
    pub(super) fn object(&mut self, value: Value, base: &FieldPath) {
        if *self.objects > MAX_OBJECTS {
            return;
        }
        let is_list = value.get("kind").and_then(Value::as_str) == Some("List");
        if !is_list {
            *self.objects += 1;
            if *self.objects > MAX_OBJECTS {
                // Not read further: how many there are is not known.
                let e = LimitError::new(Limit::Objects, "", None);
                return self.error(base, None, Problem::Limit(e));
            }
        }
        let Value::Mapping(mut map) = value else {
            self.error(base, None, Problem::NotAnObject);
            return;
        };
        let api_version = take_str(&mut map, "apiVersion");
        let kind = take_str(&mut map, "kind");
        let (api_version, kind) = match (api_version, kind) {
            (_, None) => return self.error(base, None, Problem::MissingKind),
            (None, Some(_)) => return self.error(base, None, Problem::MissingApiVersion),
            (Some(a), Some(k)) => (a, k),
        };
        let name = map
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .map(|n| format!("{kind}/{n}"));
        let object = match (api_version.as_str(), kind.as_str()) {
            ("v1", "List") => return self.list(map, base),
            ("v1", "Namespace") => self
                .typed::<Namespace>(map, base, name)
                .map(Object::Namespace),
            ("v1", "Pod") => self.typed::<Pod>(map, base, name).map(Object::Pod),
            ("v1", "Service") => self.typed::<Service>(map, base, name).map(Object::Service),
            ("v1", "Node") => self.node(map, base, name).map(Object::Node),
            ("apps/v1", "Deployment") => self
                .typed::<Deployment>(map, base, name)
                .map(Object::Deployment),
            ("apps/v1", "ReplicaSet") => self
                .typed::<ReplicaSet>(map, base, name)
                .map(Object::ReplicaSet),
            ("apps/v1", "StatefulSet") => self
                .typed::<StatefulSet>(map, base, name)
                .map(Object::StatefulSet),
            ("apps/v1", "DaemonSet") => self
                .typed::<DaemonSet>(map, base, name)
                .map(Object::DaemonSet),
            ("v1", "ReplicationController") => self
                .typed::<ReplicationController>(map, base, name)
                .map(Object::ReplicationController),
            ("batch/v1", "Job") => self.typed::<Job>(map, base, name).map(Object::Job),
            ("batch/v1", "CronJob") => self.typed::<CronJob>(map, base, name).map(Object::CronJob),
            ("autoscaling/v1" | "autoscaling/v2", "HorizontalPodAutoscaler") => {
                let what = super::hpa::describe(&map);
                self.notice(base, NoticeKind::NotSimulated { what });
                return;
            }
            _ => {
                self.notice(base, NoticeKind::UnknownKind { api_version, kind });
                return;
            }
        };
        if let Some(o) = object {
            let position = self.at(base);
            self.report.objects.push(o);
            self.report.origins.push(Origin {
                document: self.doc + 1,
                path: base.clone(),
                position,
            });
        }
    }

    fn list(&mut self, mut map: Mapping, base: &FieldPath) {
        let items = map.remove("items");
        map.remove("metadata");
        for (k, _) in map {
            let key = base.key(&key_text(&k));
            self.notice(&key, NoticeKind::UnknownField);
        }
        match items {
            Some(Value::Sequence(items)) => {
                for (i, item) in items.into_iter().enumerate() {
                    self.object(item, &base.key("items").index(i));
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => {
                let p = base.key("items");
                self.error(&p, None, Problem::Type("expected a list of objects".into()));
            }
        }
    }

    fn node(&mut self, mut map: Mapping, base: &FieldPath, name: Option<String>) -> Option<Node> {
        let status = map.remove("status");
        let mut node: Node = self.typed(map, base, name.clone())?;
        node.status = NodeStatus {
            node_ip: String::new(),
            ready: true,
            ..NodeStatus::default()
        };
        if let Some(status) = status {
            let api: ApiNodeStatus = self.read(status, &base.key("status"), name)?;
            if let Some(a) = api.addresses.iter().find(|a| a.type_ == "InternalIP") {
                node.status.node_ip = a.address.clone();
            }
            if let Some(c) = api.conditions.iter().find(|c| c.type_ == "Ready") {
                node.status.ready = c.status == "True";
            }
        }
        Some(node)
    }

    /// Reads a namespaced or cluster object, dropping server-written fields first.
    fn typed<T: Fields + Default>(
        &mut self,
        mut map: Mapping,
        base: &FieldPath,
        name: Option<String>,
    ) -> Option<T> {
        if map.remove("status").is_some() {
            self.notice(&base.key("status"), NoticeKind::ServerSet);
        }
        self.strip_meta(&mut map, &base.key("metadata"));
        // Templates carry metadata too (a CronJob's job template, and its pod template).
        for keys in TEMPLATE_METAS {
            let mut slot = map.get_mut(keys[0]);
            for k in &keys[1..] {
                slot = slot.and_then(|v| v.get_mut(*k));
            }
            if let Some(Value::Mapping(m)) = slot {
                let mut m = std::mem::take(m);
                let path = keys.iter().fold(base.clone(), |p, k| p.key(k));
                self.strip_meta_of(&mut m, &path);
                let mut slot = map.get_mut(keys[0]);
                for k in &keys[1..] {
                    slot = slot.and_then(|v| v.get_mut(*k));
                }
                if let Some(Value::Mapping(back)) = slot {
                    *back = m;
                }
            }
        }
        self.read(Value::Mapping(map), base, name)
    }

    fn strip_meta(&mut self, map: &mut Mapping, path: &FieldPath) {
        let Some(Value::Mapping(meta)) = map.get_mut("metadata") else {
            return;
        };
        let mut meta = std::mem::take(meta);
        self.strip_meta_of(&mut meta, path);
        if let Some(Value::Mapping(slot)) = map.get_mut("metadata") {
            *slot = meta;
        }
    }

    /// Drops the server-written fields of one `metadata` mapping, with a notice each.
    fn strip_meta_of(&mut self, meta: &mut Mapping, path: &FieldPath) {
        let mut dropped = Vec::new();
        for key in SERVER_META {
            if let Some(v) = meta.remove(*key)
                && !v.is_null()
            {
                dropped.push(path.key(key));
            }
        }
        for p in dropped {
            self.notice(&p, NoticeKind::ServerSet);
        }
    }

    /// Reads a value into `T`, noting unknown fields and turning each wrong type into an
    /// [`ImportError`] at the failing field.
    fn read<T: Fields + Default>(
        &mut self,
        value: Value,
        base: &FieldPath,
        object: Option<String>,
    ) -> Option<T> {
        let mut t = T::default();
        let (spans, doc) = (self.spans, self.doc);
        let bare = |p: &FieldPath| spans.written_as_number(doc, &p.under(base));
        let found = read_into(value, &mut t, &bare);
        for p in found.unknown {
            self.notice(&p.under(base), NoticeKind::UnknownField);
        }
        let ok = found.problems.is_empty();
        for (path, problem) in found.problems {
            self.error(&path.under(base), object.clone(), problem);
        }
        ok.then_some(t)
    }
}

fn take_str(map: &mut Mapping, key: &str) -> Option<String> {
    match map.remove(key)? {
        Value::String(s) => Some(s),
        other => Some(key_text(&other)),
    }
}
