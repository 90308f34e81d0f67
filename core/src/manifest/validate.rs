//! Validation of an import: each object as the API server validates it on create, then
//! the import as a whole (names used twice, node ports and ClusterIPs requested twice).
//!
//! Upstream: kubernetes/kubernetes `pkg/apis/core/validation/validation.go`
//! (`ValidateObjectMeta`, `ValidatePodSpec`: containers, names, ports),
//! `pkg/apis/apps/validation/validation.go` (`ValidateDeploymentSpec`: selector
//! required, non-empty, matching the template's labels; replicas ≥ 0),
//! `pkg/registry/core/service/storage/alloc.go` (a requested node port or IP already
//! taken is `Invalid: provided port is already allocated`).
//! Simplification: a Pod spec is checked for what the playground uses (containers, their
//! names, images and ports); volumes, resources and the rest are not read at all. The
//! playground's own limits are checked here too, each at the field that asks: the pod
//! template's size and [`MAX_REPLICAS`] per Deployment; then, in all, the pods,
//! Services, Nodes and endpoints (`budget`).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use super::ImportReport;
use super::budget::{Budget, budget};
use super::error::{ImportError, Problem};
use super::path::FieldPath;
use super::schema::Object;
use super::spans::Spans;
use crate::apiserver::cluster_ip::{ClusterIpAllocator, DEFAULT_SERVICE_CIDR};
use crate::apiserver::node_port::{DEFAULT_NODE_PORT_RANGE, NodePortAllocator};
use crate::apiserver::validate_service::validate_service;
use crate::labels::validate_labels;
use crate::limits::{Limit, LimitError, MAX_POD_TEMPLATE_BYTES, MAX_REPLICAS};
use crate::objects::{ObjectMeta, Pod, PodSpec, Service, WorkloadSpec};
use crate::selector::api::validate_label_selector;
use crate::validation::content::{
    is_dns1123_label, is_dns1123_subdomain, is_valid_port_name, is_valid_port_num,
};
use crate::validation::field::{Error, ErrorList, Path, Rendered};

/// Errors of the import as a whole, each tagged with the index of its object.
pub(super) fn validate_import(report: &ImportReport) -> Vec<(usize, Error)> {
    let mut found: Vec<(usize, Error)> = Vec::new();
    let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for (i, o) in report.objects.iter().enumerate() {
        found.extend(validate_object(o).into_iter().map(|e| (i, e)));
        let m = o.meta();
        let key = (o.kind(), m.namespace.as_str(), m.name.as_str());
        if let Some(&first) = seen.get(&key) {
            let path = Path::new("metadata").child("name");
            let doc = report.origins.get(first).map_or(0, |o| o.document);
            let e = Error::duplicate(&path, m.name.as_str());
            found.push((
                i,
                Error {
                    detail: format!("also defined in document {doc}"),
                    ..e
                },
            ));
        } else {
            seen.insert(key, i);
        }
    }
    let mut alloc = Allocations::new();
    found.extend(alloc.claim_requested(report.objects.iter().enumerate()));
    let bad: BTreeSet<usize> = found.iter().map(|(i, _)| *i).collect();
    let fine = report
        .objects
        .iter()
        .enumerate()
        .filter(|(i, _)| !bad.contains(i));
    found.extend(budget(fine, Budget::new()));
    found
}

/// Turns (object index, field error) pairs into located import errors.
pub(super) fn to_import_errors(
    spans: &Spans,
    report: &ImportReport,
    found: Vec<(usize, Error)>,
) -> Vec<ImportError> {
    found
        .into_iter()
        .map(|(i, e)| {
            let origin = report.origins.get(i).cloned().unwrap_or_default();
            let path = FieldPath::parse(&e.field).under(&origin.path);
            ImportError {
                document: origin.document,
                position: spans.locate(origin.document.saturating_sub(1), &path),
                object: report.objects.get(i).map(Object::describe),
                field: path.to_string(),
                problem: Problem::Field(e),
            }
        })
        .collect()
}

/// One object, as the API server validates it on create.
pub fn validate_object(o: &Object) -> ErrorList {
    match o {
        Object::Service(s) => validate_service(s),
        Object::Namespace(n) => meta(&n.metadata, false, is_dns1123_label),
        Object::Node(n) => meta(&n.metadata, false, is_dns1123_subdomain),
        Object::Pod(p) => {
            let mut errs = meta(&p.metadata, true, is_dns1123_subdomain);
            errs.extend(pod_spec(&p.spec, &Path::new("spec")));
            errs
        }
        Object::Deployment(d) => {
            let mut errs = meta(&d.metadata, true, is_dns1123_subdomain);
            errs.extend(workload(&d.spec, "deployment"));
            errs
        }
        Object::ReplicaSet(r) => {
            let mut errs = meta(&r.metadata, true, is_dns1123_subdomain);
            errs.extend(workload(&r.spec, "replicaset"));
            errs
        }
    }
}

fn meta(m: &ObjectMeta, namespaced: bool, name_check: fn(&str) -> Vec<String>) -> ErrorList {
    let path = Path::new("metadata");
    let mut errs = ErrorList::new();
    if m.name.is_empty() {
        errs.push(Error::required(
            &path.child("name"),
            "name or generateName is required",
        ));
    } else {
        for msg in name_check(&m.name) {
            errs.push(Error::invalid(&path.child("name"), m.name.as_str(), msg));
        }
    }
    if namespaced {
        for msg in is_dns1123_label(&m.namespace) {
            errs.push(Error::invalid(
                &path.child("namespace"),
                m.namespace.as_str(),
                msg,
            ));
        }
    }
    errs.extend(validate_labels(&m.labels, &path.child("labels")));
    errs
}

fn workload(spec: &WorkloadSpec, what: &str) -> ErrorList {
    let path = Path::new("spec");
    let mut errs = ErrorList::new();
    if let Some(n) = spec.replicas
        && n < 0
    {
        let msg = "must be greater than or equal to 0";
        errs.push(Error::invalid(&path.child("replicas"), n, msg));
    }
    let template = Pod {
        metadata: spec.template.metadata.clone(),
        spec: spec.template.spec.clone(),
        ..Pod::default()
    };
    let size = super::export(&[Object::Pod(template)]).len();
    if size > MAX_POD_TEMPLATE_BYTES {
        let limit = LimitError::new(Limit::PodTemplateBytes, "spec.template", Some(size as u64));
        let e = Error::too_long(&path.child("template"), MAX_POD_TEMPLATE_BYTES as i64);
        errs.push(Error {
            detail: format!("{size} bytes as svcplay keeps it: {}", limit.bound()),
            ..e
        });
    }
    if let Some(n) = spec.replicas
        && n > MAX_REPLICAS
    {
        let limit = LimitError::new(
            Limit::Replicas,
            "spec.replicas",
            Some(n.unsigned_abs().into()),
        );
        errs.push(Error::invalid(&path.child("replicas"), n, limit.bound()));
    }
    let template = path.child("template");
    let labels = &spec.template.metadata.labels;
    errs.extend(validate_labels(
        labels,
        &template.child("metadata").child("labels"),
    ));
    match &spec.selector {
        None => errs.push(Error::required(&path.child("selector"), "")),
        Some(sel) if sel.match_labels.is_empty() && sel.match_expressions.is_empty() => {
            let msg = format!("empty selector is invalid for {what}");
            errs.push(Error::invalid(
                &path.child("selector"),
                Rendered("{}".into()),
                msg,
            ));
        }
        Some(sel) => {
            let sel_errs = validate_label_selector(sel, &path.child("selector"));
            let matches = sel.to_selector().is_ok_and(|s| s.matches(labels));
            if sel_errs.is_empty() && !matches {
                let shown = Rendered(go_map(labels));
                let msg = "`selector` does not match template `labels`";
                let field = template.child("metadata").child("labels");
                errs.push(Error::invalid(&field, shown, msg));
            }
            errs.extend(sel_errs);
        }
    }
    errs.extend(pod_spec(&spec.template.spec, &template.child("spec")));
    errs
}

/// Go's `%v` of a `map[string]string`, as the selector-mismatch error shows it.
fn go_map(labels: &crate::objects::Labels) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}

fn pod_spec(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errs = ErrorList::new();
    let containers = path.child("containers");
    if spec.containers.is_empty() {
        errs.push(Error::required(&containers, ""));
    }
    let mut names = BTreeSet::new();
    let mut port_names = BTreeSet::new();
    let init = path.child("initContainers");
    let all = (spec
        .containers
        .iter()
        .enumerate()
        .map(|(i, c)| (c, containers.index(i))))
    .chain(
        spec.init_containers
            .iter()
            .enumerate()
            .map(|(i, c)| (c, init.index(i))),
    );
    for (c, p) in all {
        if c.name.is_empty() {
            errs.push(Error::required(&p.child("name"), ""));
        } else if !names.insert(c.name.as_str()) {
            errs.push(Error::duplicate(&p.child("name"), c.name.as_str()));
        } else {
            for msg in is_dns1123_label(&c.name) {
                errs.push(Error::invalid(&p.child("name"), c.name.as_str(), msg));
            }
        }
        if c.image.is_empty() {
            errs.push(Error::required(&p.child("image"), ""));
        }
        for (j, port) in c.ports.iter().enumerate() {
            let pp = p.child("ports").index(j);
            for msg in is_valid_port_num(i64::from(port.container_port)) {
                let f = pp.child("containerPort");
                errs.push(Error::invalid(&f, port.container_port, msg));
            }
            if !port.name.is_empty() {
                for msg in is_valid_port_name(&port.name) {
                    errs.push(Error::invalid(&pp.child("name"), port.name.as_str(), msg));
                }
                if !port_names.insert(port.name.as_str()) {
                    errs.push(Error::duplicate(&pp.child("name"), port.name.as_str()));
                }
            }
        }
    }
    errs
}

/// The ClusterIPs and node ports in use, as the API server's allocators hold them.
pub(super) struct Allocations {
    /// The ClusterIP allocator over the default service CIDR.
    pub ips: ClusterIpAllocator,
    /// The node port allocator over the default range.
    pub ports: NodePortAllocator,
}

impl Allocations {
    /// Empty allocators over the defaults (`10.96.0.0/12`, `30000-32767`).
    pub fn new() -> Self {
        let ips = ClusterIpAllocator::new(DEFAULT_SERVICE_CIDR)
            .unwrap_or_else(|_| ClusterIpAllocator::over(default_cidr()));
        Allocations {
            ips,
            ports: NodePortAllocator::new(DEFAULT_NODE_PORT_RANGE),
        }
    }

    /// Takes every ClusterIP and node port the objects request, in order; a second
    /// request of the same one is an error on the later object.
    pub fn claim_requested<'a>(
        &mut self,
        objects: impl Iterator<Item = (usize, &'a Object)>,
    ) -> Vec<(usize, Error)> {
        let mut errs = Vec::new();
        for (i, o) in objects {
            let Object::Service(s) = o else { continue };
            for (j, ip) in s.spec.cluster_ips.iter().enumerate() {
                let Ok(addr) = ip.parse::<IpAddr>() else {
                    continue;
                };
                if let Err(e) = self.ips.allocate(addr) {
                    let path = Path::new("spec").child("clusterIPs").index(j);
                    let msg = format!("failed to allocate IP {ip}: {e}");
                    errs.push((i, Error::invalid(&path, ip.as_str(), msg)));
                }
            }
            let mut mine = BTreeSet::new();
            for (path, port) in requested_ports(s) {
                // One Service may use a port for TCP and UDP alike.
                if !mine.insert(port) {
                    continue;
                }
                if let Err(e) = self.ports.allocate(port) {
                    errs.push((i, Error::invalid(&path, port, e.to_string())));
                }
            }
        }
        errs
    }
}

fn default_cidr() -> crate::apiserver::cluster_ip::Cidr {
    crate::apiserver::cluster_ip::Cidr {
        network: IpAddr::from([10, 96, 0, 0]),
        prefix: 12,
    }
}

/// The node ports a Service asks for (with their field paths), health check included.
fn requested_ports(s: &Service) -> Vec<(Path, i32)> {
    let mut out: Vec<(Path, i32)> = s
        .spec
        .ports
        .iter()
        .enumerate()
        .filter(|(_, p)| p.node_port != 0)
        .map(|(j, p)| {
            (
                Path::new("spec").child("ports").index(j).child("nodePort"),
                p.node_port,
            )
        })
        .collect();
    if s.spec.health_check_node_port != 0 {
        let path = Path::new("spec").child("healthCheckNodePort");
        out.push((path, s.spec.health_check_node_port));
    }
    out
}
