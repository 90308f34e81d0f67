//! YAML (or JSON) text to objects: split the stream, dispatch on apiVersion/kind, read
//! each object, note what was skipped.
//!
//! The stream is cut into its documents ([`super::stream`]) and each is parsed on its own
//! text to a `yaml_serde::Value` (syntax errors carry the parser's position), then read into the typed objects through their [`Fields`] by
//! [`read_into`], which reports wrong types in Go's words and every unknown field.
//! Positions of anything found after parsing come from [`super::path::locate`].

use std::collections::BTreeSet;

use serde::Deserialize;
use yaml_serde::{Mapping, Value};

use super::error::{ImportError, ImportErrors, Problem};
use super::fields::Fields;
use super::path::{FieldPath, Position};
use super::read::{key_text, read_into};
use super::schema::{ApiNodeStatus, Namespace, Object};
use super::stream::{self, Stream};
use super::{ImportReport, Notice, NoticeKind, Origin, defaults, validate};
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
    let spans = stream::split(text);
    let cut = Stream::cut(text, &spans);
    let mut reading = Reading::default();
    if reading.documents(cut, 0..spans.len()).is_ok() {
        return reading.finish(cut);
    }
    let mut reading = Reading::default();
    let whole = Stream::whole(text);
    reading.whole(whole);
    reading.finish(whole)
}

/// Whether the importer reads this kind (and version) rather than skipping it.
///
/// Simplification: a document of any other kind whose top-level `apiVersion:` and
/// `kind:` lines show it plainly ([`stream::header`]) is skipped without being parsed,
/// so its YAML is not checked (kubectl would refuse a malformed one). This keeps large
/// streams of definitions the playground does not model (Argo CD's 1.4 MB
/// CustomResourceDefinition) from costing a parse.
fn reads(api_version: &str, kind: &str) -> bool {
    matches!(
        (api_version, kind),
        (
            "v1",
            "List" | "Namespace" | "Pod" | "Service" | "Node" | "ReplicationController"
        ) | (
            "apps/v1",
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet"
        ) | ("batch/v1", "Job" | "CronJob")
            | (
                "autoscaling/v1" | "autoscaling/v2",
                "HorizontalPodAutoscaler"
            )
    )
}

/// A document cut from the stream parsed as more (or fewer) than one document: read the
/// stream as a whole instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Irregular;

/// What reading a stream has found so far: objects, notices, errors.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reading {
    pub(crate) report: ImportReport,
    pub(crate) errors: Vec<ImportError>,
    /// A syntax error stopped the reading (the parser cannot resynchronise).
    pub(crate) stopped: bool,
    /// Notices not yet given their position: the notice's index and its field. Finding
    /// a position parses the document again up to the field, so a document with many
    /// notices costs many parses; [`Reading::place`] does them a few at a time.
    unplaced: Vec<(usize, FieldPath)>,
}

impl Reading {
    /// Reads the documents `range` of a cut stream, each on its own text.
    pub(crate) fn documents(
        &mut self,
        stream: Stream<'_>,
        range: std::ops::Range<usize>,
    ) -> Result<(), Irregular> {
        for i in range {
            if self.stopped {
                break;
            }
            let Some((text, before)) = stream.document(i) else {
                break;
            };
            if let Some((api_version, kind)) = stream::header(text)
                && !reads(&api_version, &kind)
            {
                // A kind the playground skips: recognised by its top-level lines and
                // noted where it starts, never parsed (see the module docs).
                self.report.notices.push(Notice {
                    document: i + 1,
                    position: Position {
                        line: before + stream::first_content_line(text) + 1,
                        column: 1,
                    },
                    field: String::new(),
                    kind: NoticeKind::UnknownKind { api_version, kind },
                });
                continue;
            }
            let mut docs = yaml_serde::Deserializer::from_str(text);
            let Some(de) = docs.next() else {
                return Err(Irregular);
            };
            let value = Value::deserialize(de);
            if value.is_ok() && docs.next().is_some() {
                return Err(Irregular);
            }
            self.value(stream, i, value, before);
        }
        Ok(())
    }

    /// Reads a whole stream in one pass.
    pub(crate) fn whole(&mut self, stream: Stream<'_>) {
        for (i, de) in yaml_serde::Deserializer::from_str(stream.text).enumerate() {
            if self.stopped {
                break;
            }
            self.value(stream, i, Value::deserialize(de), 0);
        }
    }

    /// One parsed document (`before`: lines of the stream before its text).
    fn value(
        &mut self,
        stream: Stream<'_>,
        i: usize,
        value: Result<Value, yaml_serde::Error>,
        before: usize,
    ) {
        let mut d = Decoder {
            stream,
            doc: i,
            report: &mut self.report,
            errors: &mut self.errors,
            unplaced: &mut self.unplaced,
        };
        match value {
            Ok(Value::Null) => {}
            // YAML merge keys (`<<: *defaults`), which Kubernetes' YAML reader applies.
            Ok(mut v) => match v.apply_merge() {
                Ok(()) => d.object(v, &FieldPath::default()),
                Err(e) => d.errors.push(ImportError {
                    document: i + 1,
                    position: None,
                    object: None,
                    field: String::new(),
                    problem: Problem::Syntax(e.to_string()),
                }),
            },
            Err(e) => {
                let position = e.location().map(|l| Position {
                    line: l.line() + before,
                    column: l.column(),
                });
                d.errors.push(ImportError {
                    document: i + 1,
                    position,
                    object: None,
                    field: String::new(),
                    problem: Problem::Syntax(strip_position(&e.to_string())),
                });
                self.stopped = true;
            }
        }
    }

    /// Finds the positions of at most `max` notices read so far; true when none is
    /// left without one.
    pub(crate) fn place(&mut self, stream: Stream<'_>, max: usize) -> bool {
        let n = self.unplaced.len().min(max);
        for (i, path) in self.unplaced.drain(..n) {
            if let Some(notice) = self.report.notices.get_mut(i) {
                let doc = notice.document.saturating_sub(1);
                notice.position = stream.locate(doc, &path).unwrap_or_default();
            }
        }
        self.unplaced.is_empty()
    }

    /// Defaults and validates what was read: the objects without errors of their own,
    /// and every error, in document order.
    pub(crate) fn finish(mut self, stream: Stream<'_>) -> (ImportReport, Vec<ImportError>) {
        self.place(stream, usize::MAX);
        let Reading {
            mut report,
            mut errors,
            ..
        } = self;
        for o in &mut report.objects {
            defaults::apply(o);
        }
        let found = validate::validate_import(&report);
        let bad: BTreeSet<usize> = found.iter().map(|(i, _)| *i).collect();
        errors.extend(validate::to_import_errors(stream, &report, found));
        if !bad.is_empty() {
            let keep = |i: &usize| !bad.contains(i);
            let objects = std::mem::take(&mut report.objects).into_iter().enumerate();
            report.objects = objects.filter(|(i, _)| keep(i)).map(|(_, o)| o).collect();
            let origins = std::mem::take(&mut report.origins).into_iter().enumerate();
            report.origins = origins.filter(|(i, _)| keep(i)).map(|(_, o)| o).collect();
        }
        errors.sort_by_key(|e| (e.document, e.line(), e.column()));
        report.notices.sort_by_key(|n| (n.document, n.position));
        (report, errors)
    }
}

/// `yaml_serde` appends " at line L column C"; the position is kept separately.
fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) if !msg[i..].contains(", while") => msg[..i].to_owned(),
        _ => msg.to_owned(),
    }
}

struct Decoder<'s, 'r> {
    stream: Stream<'s>,
    doc: usize,
    report: &'r mut ImportReport,
    errors: &'r mut Vec<ImportError>,
    unplaced: &'r mut Vec<(usize, FieldPath)>,
}

impl Decoder<'_, '_> {
    fn at(&self, path: &FieldPath) -> Position {
        self.stream.locate(self.doc, path).unwrap_or_default()
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

    /// A notice, placed later ([`Reading::place`]).
    fn notice(&mut self, path: &FieldPath, kind: NoticeKind) {
        self.unplaced
            .push((self.report.notices.len(), path.clone()));
        self.report.notices.push(Notice {
            document: self.doc + 1,
            position: Position::default(),
            field: path.to_string(),
            kind,
        });
    }

    /// One object at `base` (the document root, or `items[i]` of a List).
    fn object(&mut self, value: Value, base: &FieldPath) {
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
        let found = read_into(value, &mut t);
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
