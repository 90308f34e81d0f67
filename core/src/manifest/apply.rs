//! Applying an import to a world: everything or nothing, as one
//! [`Command::Create`](crate::world::Command::Create).
//!
//! The import is validated on its own ([`super::import`]), then handed to the world,
//! which creates every object as the API server would (defaults, ClusterIP and node
//! port allocation following the world's seed, validation against what the world
//! holds) on a copy that replaces it only when every object went in. Each refusal is
//! placed back at its object's document, line and field.
//!
//! Objects in a namespace that neither the world nor the import has are not refused:
//! the import creates the namespace first and says so in a [`NoticeKind::Created`]
//! notice (a real API server would answer `namespaces "x" not found`, as the world's
//! own commands do). Manifests are often written for a namespace made beforehand with
//! `kubectl create namespace`.

use std::collections::BTreeSet;

use super::budget::{Budget, budget};
use super::error::{ImportError, ImportErrors, Problem};
use super::schema::Object;
use super::spans::Spans;
use super::stream::source;
use super::validate::to_import_errors;
use super::{ImportReport, Notice, NoticeKind, Origin, import};
use crate::CommandError;
use crate::World;
use crate::objects::{Namespace, ObjectMeta};
use crate::validation::field::{Error, Path};
use crate::world::Command;

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
    // What the world holds already counts against the limits.
    let found = budget(report.objects.iter().enumerate(), Budget::of(world));
    if !found.is_empty() {
        return Err(ImportErrors(to_import_errors(
            &Spans::build(source(text)),
            &report,
            found,
        )));
    }
    let made = missing_namespaces(world, &report);
    let mut objects: Vec<Object> = made
        .iter()
        .map(|n| {
            Object::Namespace(Namespace {
                metadata: ObjectMeta::named("", n),
                ..Namespace::default()
            })
        })
        .collect();
    let offset = objects.len();
    objects.extend(report.objects.iter().cloned());
    match world.apply(Command::Create { objects }) {
        Ok(_) => {}
        Err(CommandError::Batch(errors)) => {
            return Err(refusals(text, &report, errors, offset));
        }
        Err(e) => return Err(refusals(text, &report, vec![(offset, e)], offset)),
    }
    for n in made {
        let origin = first_in(&report, &n);
        report.notices.push(Notice {
            document: origin.document,
            position: origin.position,
            field: "metadata.namespace".to_owned(),
            kind: NoticeKind::Created {
                what: format!("namespace {n}"),
            },
        });
    }
    // Show what the API server stored: allocated ClusterIPs, node ports, LB addresses.
    for o in &mut report.objects {
        if let Object::Service(s) = o
            && let Some(stored) = world.service(&s.metadata.key())
        {
            *s = stored.clone();
        }
    }
    Ok(report)
}

/// Namespaces the import's objects name that neither the world nor the import makes.
fn missing_namespaces(world: &World, report: &ImportReport) -> Vec<String> {
    let made: BTreeSet<&str> = report
        .objects
        .iter()
        .filter_map(|o| match o {
            Object::Namespace(n) => Some(n.metadata.name.as_str()),
            _ => None,
        })
        .collect();
    let wanted: BTreeSet<&str> = report
        .objects
        .iter()
        .filter(|o| o.is_namespaced())
        .map(|o| o.meta().namespace.as_str())
        .collect();
    wanted
        .into_iter()
        .filter(|n| !n.is_empty() && !made.contains(n) && !world.namespaces().contains(*n))
        .map(str::to_owned)
        .collect()
}

/// Where the first object in namespace `ns` came from.
fn first_in(report: &ImportReport, ns: &str) -> Origin {
    report
        .objects
        .iter()
        .position(|o| o.is_namespaced() && o.meta().namespace == ns)
        .and_then(|i| report.origins.get(i).cloned())
        .unwrap_or_default()
}

/// The world's refusals, each at its object's place in the input (indexes count the
/// `offset` namespaces the import added in front).
fn refusals(
    text: &str,
    report: &ImportReport,
    errors: Vec<(usize, CommandError)>,
    offset: usize,
) -> ImportErrors {
    let spans = Spans::build(source(text));
    let mut out = Vec::new();
    for (i, e) in errors {
        let i = i.saturating_sub(offset);
        match e {
            CommandError::Invalid { errors, .. } => {
                let found = errors.into_iter().map(|e| (i, e)).collect();
                out.extend(to_import_errors(&spans, report, found));
            }
            CommandError::AlreadyExists { name, .. } => {
                let path = Path::new("metadata").child("name");
                let e = Error::invalid(
                    &path,
                    name.as_str(),
                    "already exists in the cluster; pick another name",
                );
                out.extend(to_import_errors(&spans, report, vec![(i, e)]));
            }
            other => out.push(world_error(report, i, other)),
        }
    }
    ImportErrors(out)
}

/// The world's refusal of object `i`, at the object's place in the input.
fn world_error(report: &ImportReport, i: usize, e: CommandError) -> ImportError {
    let origin = report.origins.get(i).cloned().unwrap_or_default();
    ImportError {
        document: origin.document,
        position: Some(origin.position),
        object: report.objects.get(i).map(Object::describe),
        field: origin.path.to_string(),
        problem: Problem::World(e),
    }
}
