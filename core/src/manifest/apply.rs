//! Applying an import to a world: everything or nothing.
//!
//! The import is validated on its own ([`super::import`]), then against the world (names
//! it already holds, ClusterIPs and node ports it has allocated); ClusterIPs and node
//! ports are then allocated as the API server would, and the objects are added to a copy
//! of the world that replaces it only when every object went in.
//!
//! Services are created through the world's own `ServiceRegistry` (on the copy), so
//! requested ClusterIPs and node ports are checked against what the world holds and
//! allocation follows the world's seed.
//!
//! Nodes keep their labels, `InternalIP` and `podCIDR` (see `World::add_node_object`
//! for what the world refuses and picks itself).
//!
//! Simplification: bare ReplicaSets are accepted and exported but not applied, and a
//! [`NoticeKind::NotApplied`] says so.

use super::budget::{Budget, budget};
use super::error::{ImportError, ImportErrors, Problem};
use super::schema::Object;
use super::spans::Spans;
use super::stream::source;
use super::validate::to_import_errors;
use super::{ImportReport, Notice, NoticeKind, import};
use crate::CommandError;
use crate::World;
use crate::validation::field::{Error, Path};

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
    // What the world holds already counts against the limits.
    let objects = report.objects.iter().enumerate();
    found.extend(budget(objects, Budget::of(world)));
    if !found.is_empty() {
        return Err(ImportErrors(to_import_errors(
            &Spans::build(source(text)),
            &report,
            found,
        )));
    }
    // The API server's create, through the world's registry on a copy of the world:
    // defaults, allocation (requested values first), validation, and the simulated load
    // balancer's ingress. Every Service is tried, so that every refusal is reported.
    let mut next = world.clone();
    for (i, o) in report.objects.iter_mut().enumerate() {
        let Object::Service(s) = o else { continue };
        match next.add_service_object(s.clone()) {
            Ok(()) => {
                if let Some(stored) = next.services().get(&s.metadata.name) {
                    *s = stored.clone();
                }
            }
            Err(CommandError::InvalidService { errors, .. }) => {
                found.extend(errors.into_iter().map(|e| (i, e)));
            }
            Err(other) => return Err(world_error(&report, i, other)),
        }
    }
    if !found.is_empty() {
        return Err(ImportErrors(to_import_errors(
            &Spans::build(source(text)),
            &report,
            found,
        )));
    }
    for i in 0..report.objects.len() {
        let Some(o) = report.objects.get(i) else {
            break;
        };
        let result = match o.clone() {
            Object::Namespace(_) | Object::Service(_) => Ok(()),
            Object::Node(n) => next.add_node_object(n),
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
            return Err(world_error(&report, i, e));
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

/// The world's refusal of object `i`, at the object's place in the input.
fn world_error(report: &ImportReport, i: usize, e: CommandError) -> ImportErrors {
    let origin = report.origins.get(i).cloned().unwrap_or_default();
    ImportErrors(vec![ImportError {
        document: origin.document,
        position: Some(origin.position),
        object: report.objects.get(i).map(Object::describe),
        field: origin.path.to_string(),
        problem: Problem::World(e),
    }])
}
