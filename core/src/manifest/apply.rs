//! Applying an import to a world: everything or nothing.
//!
//! The import is validated on its own ([`super::import`]), then against the world (names
//! it already holds, ClusterIPs and node ports it has allocated); ClusterIPs and node
//! ports are then allocated as the API server would, and the objects are added to a copy
//! of the world that replaces it only when every object went in.
//!
//! Integration points (TODO(merge), for the lead):
//! - allocation: done here with `crate::apiserver`'s allocators over the default ranges,
//!   seeded from the world's Service count; it moves into the World once the network
//!   branch's `ServiceRegistry` is wired into it.
//! - Nodes: added with `World::add_node(name, zone)`, so the world picks the node's IP
//!   and CIDR; an imported `InternalIP`, labels and readiness need a
//!   `World::add_node_object`.
//! - bare ReplicaSets are accepted and exported but not applied (no
//!   `World::add_replica_set_object` yet): a [`NoticeKind::NotApplied`] says so.

use super::error::{ImportError, ImportErrors, Problem};
use super::schema::Object;
use super::validate::{Allocations, to_import_errors};
use super::{ImportReport, Notice, NoticeKind, import};
use crate::World;
use crate::apiserver::defaults::needs_health_check;
use crate::objects::Service;
use crate::objects::node::ZONE_LABEL;
use crate::sim::SimRng;
use crate::validation::field::{Error, Path};

/// Seeds the allocators' random start, so that the same import into the same world gives
/// the same addresses.
const ALLOCATION_SEED: u64 = 0x5e7f_1ce5;

/// Imports `text` into `world`: validates everything, then applies everything; on any
/// error the world is unchanged and every error is returned.
pub fn apply_import(world: &mut World, text: &str) -> Result<ImportReport, ImportErrors> {
    apply_report(world, text, import(text)?)
}

/// Applies an already imported report (from [`super::import`] or
/// [`super::import_lenient`]); `text` is the input it was read from, for positions.
/// Everything or nothing, as [`apply_import`].
pub fn apply_report(
    world: &mut World,
    text: &str,
    mut report: ImportReport,
) -> Result<ImportReport, ImportErrors> {
    let mut found = Vec::new();
    for (i, o) in report.objects.iter().enumerate() {
        if clashes(world, o) {
            let path = Path::new("metadata").child("name");
            let name = o.meta().name.as_str();
            let e = Error::invalid(
                &path,
                name,
                "already exists in the cluster; pick another name",
            );
            found.push((i, e));
        }
    }
    let mut alloc = Allocations::new();
    for s in world.services().values() {
        alloc.hold(s);
    }
    found.extend(alloc.claim_requested(report.objects.iter().enumerate()));
    if !found.is_empty() {
        return Err(ImportErrors(to_import_errors(text, &report, found)));
    }
    let seed = ALLOCATION_SEED ^ u64::try_from(world.services().len()).unwrap_or(0);
    let mut rng = SimRng::new(seed);
    let mut next = world.clone();
    for i in 0..report.objects.len() {
        let Some(o) = report.objects.get_mut(i) else {
            break;
        };
        if let Object::Service(s) = o {
            allocate(s, &mut alloc, &mut rng);
        }
        let result = match o.clone() {
            Object::Namespace(_) => Ok(()),
            Object::Node(n) => {
                let zone = n
                    .metadata
                    .labels
                    .get(ZONE_LABEL)
                    .cloned()
                    .unwrap_or_default();
                next.add_node(&n.metadata.name, &zone);
                Ok(())
            }
            Object::Service(s) => next.add_service_object(s),
            Object::Deployment(d) => next.add_deployment_object(d),
            Object::Pod(p) => next.add_pod(p),
            Object::ReplicaSet(_) => {
                let origin = report.origins.get(i).cloned().unwrap_or_default();
                report.notices.push(Notice {
                    document: origin.document,
                    position: origin.position,
                    field: origin.path.to_string(),
                    kind: NoticeKind::NotApplied {
                        reason: "the world cannot hold a ReplicaSet without its Deployment yet",
                    },
                });
                Ok(())
            }
        };
        if let Err(e) = result {
            let origin = report.origins.get(i).cloned().unwrap_or_default();
            return Err(ImportErrors(vec![ImportError {
                document: origin.document,
                position: Some(origin.position),
                object: Some(o.describe()),
                field: origin.path.to_string(),
                problem: Problem::World(e),
            }]));
        }
    }
    *world = next;
    Ok(report)
}

fn clashes(world: &World, o: &Object) -> bool {
    let name = &o.meta().name;
    match o {
        Object::Namespace(_) => false,
        Object::Node(_) => world.nodes().contains_key(name),
        Object::Pod(_) => world.pods().contains_key(name),
        Object::Service(_) => world.services().contains_key(name),
        Object::Deployment(_) => world.deployments().contains_key(name),
        Object::ReplicaSet(_) => world.replica_sets().contains_key(name),
    }
}

/// Fills what the API server allocates on create: ClusterIP(s) and IP family for all but
/// ExternalName, node ports for NodePort and LoadBalancer (unless
/// `allocateLoadBalancerNodePorts: false`), the health-check port for
/// LoadBalancer + Local. Requested values were claimed before.
/// Upstream: kubernetes/kubernetes `pkg/registry/core/service/storage/alloc.go`
/// (`allocClusterIPs`, `initNodePorts`, `allocHealthCheckNodePort`).
/// Simplification: single-stack IPv4.
fn allocate(s: &mut Service, alloc: &mut Allocations, rng: &mut SimRng) {
    let spec = &mut s.spec;
    if spec.type_ == "ExternalName" {
        return;
    }
    if spec.cluster_ip.is_empty()
        && let Ok(ip) = alloc.ips.allocate_next(rng)
    {
        spec.cluster_ip = ip.to_string();
    }
    if spec.cluster_ips.is_empty() && !spec.cluster_ip.is_empty() {
        spec.cluster_ips = vec![spec.cluster_ip.clone()];
    }
    if spec.ip_families.is_empty() && !spec.is_headless() {
        spec.ip_families = vec!["IPv4".to_owned()];
    }
    if spec.ip_family_policy.is_none() {
        spec.ip_family_policy = Some("SingleStack".to_owned());
    }
    let wants_ports = spec.type_ == "NodePort"
        || (spec.type_ == "LoadBalancer" && spec.allocate_load_balancer_node_ports != Some(false));
    if wants_ports {
        for p in &mut spec.ports {
            if p.node_port == 0
                && let Ok(port) = alloc.ports.allocate_next(rng)
            {
                p.node_port = port;
            }
        }
    }
    if needs_health_check(s)
        && s.spec.health_check_node_port == 0
        && let Ok(port) = alloc.ports.allocate_next(rng)
    {
        s.spec.health_check_node_port = port;
    }
}
