//! Validation of an import: each object as the API server validates it on create (the
//! one validation per kind in [`crate::apiserver::validate`]), then the import as a
//! whole (names used twice, node ports and ClusterIPs requested twice). The
//! playground's own limits are checked here too, each at the field that asks: the pod
//! template's size and [`MAX_REPLICAS`] per workload; then, in all, the pods,
//! Services, Nodes and endpoints (`budget`).
//!
//! Upstream: kubernetes/kubernetes@b0d609f0 `pkg/registry/core/service/storage/alloc.go` (a
//! requested node port or IP already taken is `Invalid: provided port is already
//! allocated`).

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
use crate::apiserver::validate::validate_create;
use crate::limits::{Limit, LimitError, MAX_POD_TEMPLATE_BYTES, MAX_REPLICAS};
use crate::objects::{Pod, PodTemplate, Service};
use crate::validation::field::{Error, ErrorList, Path};

/// Errors of the import as a whole, each tagged with the index of its object.
pub(super) fn validate_import(report: &ImportReport) -> Vec<(usize, Error)> {
    let mut found: Vec<(usize, Error)> = Vec::new();
    let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for (i, o) in report.objects.iter().enumerate() {
        found.extend(create_errors(o).into_iter().map(|e| (i, e)));
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

/// One object as the API server validates it on create (the one validation per kind in
/// [`crate::apiserver::validate`], with what the API server allocates or generates
/// first: [`validate_create`]), then the playground's own limits.
fn create_errors(o: &Object) -> ErrorList {
    let mut errs = validate_create(o);
    let limits = |replicas, template| workload_limits(replicas, template, "spec.template");
    match o {
        Object::Deployment(d) => errs.extend(limits(d.spec.replicas, &d.spec.template)),
        Object::ReplicaSet(r) => errs.extend(limits(r.spec.replicas, &r.spec.template)),
        Object::StatefulSet(s) => errs.extend(limits(s.spec.replicas, &s.spec.template)),
        Object::ReplicationController(r) => {
            if let Some(t) = &r.spec.template {
                errs.extend(limits(r.spec.replicas, t));
            }
        }
        Object::DaemonSet(d) => errs.extend(limits(None, &d.spec.template)),
        Object::Job(j) => errs.extend(limits(None, &j.spec.template)),
        Object::CronJob(c) => errs.extend(workload_limits(
            None,
            &c.spec.job_template.spec.template,
            "spec.jobTemplate.spec.template",
        )),
        _ => {}
    }
    errs
}

/// The playground's limits on a workload, at the fields that ask: the pod template's
/// size (at `template_path`) and [`MAX_REPLICAS`].
fn workload_limits(
    replicas: Option<i32>,
    template: &PodTemplate,
    template_path: &str,
) -> ErrorList {
    let path = Path::new("spec");
    let mut errs = ErrorList::new();
    let template = Pod {
        metadata: template.metadata.clone(),
        spec: template.spec.clone(),
        ..Pod::default()
    };
    let size = super::export(&[Object::Pod(template)]).len();
    if size > MAX_POD_TEMPLATE_BYTES {
        let limit = LimitError::new(Limit::PodTemplateBytes, template_path, Some(size as u64));
        let mut keys = template_path.split('.');
        let first = Path::new(keys.next().unwrap_or("spec"));
        let field = keys.fold(first, |p, k| p.child(k));
        let e = Error::too_long(&field, MAX_POD_TEMPLATE_BYTES as i64);
        errs.push(Error {
            detail: format!("{size} bytes as svcplay keeps it: {}", limit.bound()),
            ..e
        });
    }
    if let Some(n) = replicas
        && n > MAX_REPLICAS
    {
        let limit = LimitError::new(
            Limit::Replicas,
            "spec.replicas",
            Some(n.unsigned_abs().into()),
        );
        errs.push(Error::invalid(&path.child("replicas"), n, limit.bound()));
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
