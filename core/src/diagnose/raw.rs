//! What the typed import leaves out but a diagnosis needs, read from the raw documents:
//! each container's `command`, `args` and `env` (the app's listen address comes from
//! them), the pod templates of workload kinds the playground does not model
//! (StatefulSet, DaemonSet, Job, CronJob: their pods would match a Service), hand-written
//! EndpointSlices and Endpoints (a selectorless Service's backends), MetalLB's
//! `IPAddressPool`s, `HorizontalPodAutoscaler`s' targets, every kind seen, and where each object and field is in the text.
//!
//! Simplification: `env` values from `valueFrom` (ConfigMaps, Secrets, the downward
//! API) are not resolved; only literal `value`s count.

use std::collections::{BTreeMap, BTreeSet};

use yaml_serde::Value;

use super::finding::At;
use crate::manifest::{FieldPath, Spans, parse_stream, stream_source};

/// The parts of a container a diagnosis reads beyond the typed model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawContainer {
    /// `name`.
    pub name: String,
    /// `image`.
    pub image: String,
    /// `command`.
    pub command: Vec<String>,
    /// `args`.
    pub args: Vec<String>,
    /// `env` entries with a literal `value`.
    pub env: BTreeMap<String, String>,
}

/// A pod template of a kind the playground does not run (its pods are not simulated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignTemplate {
    /// `StatefulSet`, `DaemonSet`, …
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The template's labels.
    pub labels: BTreeMap<String, String>,
}

/// A MetalLB `IPAddressPool`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressPool {
    /// Name.
    pub name: String,
    /// `spec.addresses`: CIDRs or `first-last` ranges, as written.
    pub addresses: Vec<String>,
    /// `spec.autoAssign` (default true).
    pub auto_assign: bool,
}

/// A `HorizontalPodAutoscaler`: which workload it scales, up to how many replicas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autoscaler {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// `spec.scaleTargetRef.kind`.
    pub target_kind: String,
    /// `spec.scaleTargetRef.name`.
    pub target_name: String,
    /// `spec.maxReplicas`.
    pub max_replicas: i64,
}

/// `(kind, namespace, name)`.
pub type ObjectKey = (String, String, String);

/// Everything read from the raw documents.
#[derive(Debug, Default)]
pub struct RawScan {
    /// Containers per object (`Pod`, `Deployment`, `ReplicaSet`, and the foreign
    /// workload kinds), keyed by `(kind, namespace, name)`.
    pub containers: BTreeMap<ObjectKey, Vec<RawContainer>>,
    /// Pod templates of kinds the playground does not model.
    pub foreign_templates: Vec<ForeignTemplate>,
    /// `(namespace, service)` named by an EndpointSlice's `kubernetes.io/service-name`
    /// label or by an Endpoints object.
    pub handwritten_endpoints: BTreeSet<(String, String)>,
    /// MetalLB pools.
    pub pools: Vec<AddressPool>,
    /// HorizontalPodAutoscalers.
    pub autoscalers: Vec<Autoscaler>,
    /// `(apiVersion, kind)` seen, with how many.
    pub kinds: BTreeMap<(String, String), usize>,
    /// Whether any object carries what only a cluster writes (`metadata.uid`,
    /// `metadata.resourceVersion`): the input is a live cluster's state.
    pub live: bool,
    objects: BTreeMap<ObjectKey, (usize, FieldPath)>,
    spans: Spans,
}

/// Kinds whose pods the playground does not simulate, with where their pod template is.
const FOREIGN: &[(&str, &[&str])] = &[
    ("StatefulSet", &["spec", "template"]),
    ("DaemonSet", &["spec", "template"]),
    ("Job", &["spec", "template"]),
    ("ReplicationController", &["spec", "template"]),
    ("CronJob", &["spec", "jobTemplate", "spec", "template"]),
];

fn s(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_sequence)
        .map(|seq| {
            seq.iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(m) = v.and_then(Value::as_mapping) {
        for (k, v) in m {
            if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                out.insert(k.to_owned(), v.to_owned());
            }
        }
    }
    out
}

fn containers(spec: Option<&Value>) -> Vec<RawContainer> {
    let Some(spec) = spec else { return Vec::new() };
    let list = |key: &str| {
        spec.get(key)
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default()
    };
    list("containers")
        .iter()
        .chain(
            list("initContainers")
                .iter()
                .filter(|c| s(c.get("restartPolicy")) == "Always"),
        )
        .map(|c| RawContainer {
            name: s(c.get("name")),
            image: s(c.get("image")),
            command: strings(c.get("command")),
            args: strings(c.get("args")),
            env: c
                .get("env")
                .and_then(Value::as_sequence)
                .map(|e| {
                    e.iter()
                        .filter_map(|kv| {
                            let v = kv.get("value")?;
                            let v = match v {
                                Value::String(s) => s.clone(),
                                Value::Number(n) => n.to_string(),
                                _ => return None,
                            };
                            Some((s(kv.get("name")), v))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

fn dig<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

impl RawScan {
    /// Reads `text`'s documents (and `List` items). Documents that do not parse are
    /// skipped here: the typed import reports them.
    pub fn read(text: &str) -> Self {
        let stream = parse_stream(stream_source(text));
        let mut scan = RawScan {
            spans: stream.spans,
            ..RawScan::default()
        };
        for (doc, value) in &stream.docs {
            scan.object(*doc, value, &FieldPath::default(), 0);
        }
        scan
    }

    fn object(&mut self, doc: usize, v: &Value, base: &FieldPath, depth: usize) {
        let kind = s(v.get("kind"));
        let api_version = s(v.get("apiVersion"));
        if kind == "List" && depth == 0 {
            if let Some(items) = v.get("items").and_then(Value::as_sequence) {
                for (i, item) in items.iter().enumerate() {
                    self.object(doc, item, &base.key("items").index(i), 1);
                }
            }
            return;
        }
        if kind.is_empty() {
            return;
        }
        *self.kinds.entry((api_version, kind.clone())).or_default() += 1;
        let meta = v.get("metadata");
        let name = s(meta.and_then(|m| m.get("name")));
        let mut namespace = s(meta.and_then(|m| m.get("namespace")));
        if namespace.is_empty() {
            namespace = crate::objects::DEFAULT_NAMESPACE.to_owned();
        }
        if meta.is_some_and(|m| m.get("uid").is_some() || m.get("resourceVersion").is_some()) {
            self.live = true;
        }
        let key = (kind.clone(), namespace.clone(), name.clone());
        self.objects
            .entry(key.clone())
            .or_insert((doc, base.clone()));
        match kind.as_str() {
            "Pod" => {
                self.containers.insert(key, containers(v.get("spec")));
            }
            "Deployment" | "ReplicaSet" => {
                let spec = dig(v, &["spec", "template", "spec"]);
                self.containers.insert(key, containers(spec));
            }
            "EndpointSlice" => {
                let labels = string_map(meta.and_then(|m| m.get("labels")));
                if let Some(svc) = labels.get("kubernetes.io/service-name") {
                    let managed = labels.get("endpointslice.kubernetes.io/managed-by");
                    if managed.is_none_or(|m| m != "endpointslice-controller.k8s.io") {
                        self.handwritten_endpoints.insert((namespace, svc.clone()));
                    }
                }
            }
            "Endpoints" => {
                self.handwritten_endpoints.insert((namespace, name));
            }
            "IPAddressPool" => self.pools.push(AddressPool {
                name,
                addresses: strings(dig(v, &["spec", "addresses"])),
                auto_assign: dig(v, &["spec", "autoAssign"])
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
            }),
            "HorizontalPodAutoscaler" => self.autoscalers.push(Autoscaler {
                target_kind: s(dig(v, &["spec", "scaleTargetRef", "kind"])),
                target_name: s(dig(v, &["spec", "scaleTargetRef", "name"])),
                max_replicas: dig(v, &["spec", "maxReplicas"])
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
                namespace,
                name,
            }),
            _ => {
                if let Some((_, path)) = FOREIGN.iter().find(|(k, _)| *k == kind) {
                    let template = dig(v, path);
                    let labels = template
                        .and_then(|t| dig(t, &["metadata", "labels"]))
                        .map(|l| string_map(Some(l)))
                        .unwrap_or_default();
                    self.containers
                        .insert(key, containers(template.and_then(|t| t.get("spec"))));
                    self.foreign_templates.push(ForeignTemplate {
                        kind,
                        namespace,
                        name,
                        labels,
                    });
                }
            }
        }
    }

    /// Where `field` (a path as the API server renders it) of an object is: the field,
    /// or the nearest enclosing value that exists.
    pub fn locate(&self, kind: &str, namespace: &str, name: &str, field: &str) -> Option<At> {
        let key = (kind.to_owned(), namespace.to_owned(), name.to_owned());
        let (doc, base) = self.objects.get(&key)?;
        let path = FieldPath::parse(field).under(base);
        let p = self.spans.locate(*doc, &path)?;
        Some(At {
            document: doc + 1,
            line: p.line,
            column: p.column,
        })
    }

    /// Whether the input holds this object.
    pub fn has(&self, kind: &str, namespace: &str, name: &str) -> bool {
        let key = (kind.to_owned(), namespace.to_owned(), name.to_owned());
        self.objects.contains_key(&key)
    }
}
