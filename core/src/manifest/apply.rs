//! Applying an import to a world: everything or nothing.
//!
//! The import is validated on its own ([`super::import`]), then against the world (names
//! it already holds, ClusterIPs and node ports it has allocated); ClusterIPs and node
//! ports are then allocated as the API server would, and the objects are added to a copy
//! of the world that replaces it only when every object went in.
//!
//! Integration points (TODO(merge), for the lead):
//! - allocation: a `ServiceRegistry` made here over the default ranges (seeded from the
//!   world's Service count) re-creates the world's Services, then creates the imported
//!   ones; once the World owns its registry, `apply_report` should create through it.
//! - Nodes: added with `World::add_node(name, zone)`, so the world picks the node's IP
//!   and CIDR; an imported `InternalIP`, labels and readiness need a
//!   `World::add_node_object`.
//! - bare ReplicaSets are accepted and exported but not applied (no
//!   `World::add_replica_set_object` yet): a [`NoticeKind::NotApplied`] says so.

use super::error::{ImportError, ImportErrors, Problem};
use super::schema::Object;
use super::validate::to_import_errors;
use super::{ImportReport, Notice, NoticeKind, import};
use crate::World;
use crate::apiserver::service_registry::{RegistryConfig, ServiceRegistry};
use crate::objects::node::ZONE_LABEL;
use crate::validation::field::{Error, Path};

/// Seeds the registry's random choices, so that the same import into the same world
/// gives the same addresses.
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
    // The API server's create: defaults, allocation (requested values first), validation,
    // and the simulated load balancer's ingress. What the world holds is claimed first.
    let seed = ALLOCATION_SEED ^ u64::try_from(world.services().len()).unwrap_or(0);
    let mut registry = ServiceRegistry::new(RegistryConfig::default(), seed)
        .map_err(|e| ImportErrors(vec![internal(&e.to_string())]))?;
    for s in world.services().values() {
        let _ = registry.create(s.clone());
    }
    for (i, o) in report.objects.iter_mut().enumerate() {
        let Object::Service(s) = o else { continue };
        match registry.create(s.clone()) {
            Ok(stored) => *s = stored,
            Err(errs) => found.extend(errs.into_iter().map(|e| (i, e))),
        }
    }
    if !found.is_empty() {
        return Err(ImportErrors(to_import_errors(text, &report, found)));
    }
    let mut next = world.clone();
    for i in 0..report.objects.len() {
        let Some(o) = report.objects.get(i) else {
            break;
        };
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

fn internal(message: &str) -> ImportError {
    ImportError {
        document: 0,
        position: None,
        object: None,
        field: String::new(),
        problem: Problem::Field(Error::internal(&Path::nil(), message)),
    }
}
