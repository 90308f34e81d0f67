//! `kubectl apply -f -` and `kubectl create -f -`: manifests from standard input (a
//! here-document), object by object (`patch` reuses the configuring half).
//! Each object is read by the core's importer (the API server's defaults and
//! validation), then created ([`Command::Create`]) or, when it exists, configured
//! ([`Command::UpdateService`], [`Command::UpdateDeployment`],
//! [`Command::SetPodLabels`], [`Command::SetNodeUnschedulable`]); kubectl's line per
//! object (`service/x created`, `configured`, `unchanged`), errors after them.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/apply/apply.go` (`applyOneObject`), `pkg/cmd/create/create.go`,
//! `pkg/cmd/util/helpers.go` (`AddSourceToErr`: `error when creating "STDIN": …`).
//!
//! Simplification: `apply` compares the manifest with the live object instead of a
//! three-way merge with `last-applied-configuration` (so fields the manifest leaves out
//! return to their defaults, and no missing-annotation warning is printed).

use super::errors::server;
use super::objects::find;
use super::resource::Kind;
use super::{Ctx, Parsed};
use crate::error::CommandError;
use crate::manifest::{ImportError, LiveObject, NoticeKind, Problem, decode_defaulted};
use crate::objects::{Object, Service};
use crate::world::Command;

/// Reads `-f`: only `-` (standard input) exists in the console.
fn manifest_text<'a>(ctx: &Ctx<'a>, p: &Parsed) -> Result<&'a str, String> {
    let files = p.list("filename");
    match files.as_slice() {
        [] => Err("error: must specify one of -f and -k".into()),
        [one] if one == "-" => Ok(ctx.stdin.unwrap_or("")),
        [one] if one != "-" => Err(format!("error: the path {one:?} does not exist")),
        _ => Err("error: the console reads one -f -, standard input".into()),
    }
}

/// `kubectl apply -f -`.
pub(crate) fn apply(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let text = manifest_text(ctx, p)?;
    from_stdin(ctx, p, text, true)
}

/// `kubectl create -f -`.
pub(crate) fn create(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let text = manifest_text(ctx, p)?;
    from_stdin(ctx, p, text, false)
}

/// `error when creating "STDIN": …` for errors kubectl prints from their message.
fn with_source(verb: &str, e: &CommandError) -> String {
    match e {
        CommandError::Invalid { .. } | CommandError::InvalidLabel { .. } => server(e),
        _ => {
            let text = server(e);
            match text.split_once("): ") {
                Some((head, rest)) if text.starts_with("Error from server") => {
                    format!("{head}): error when {verb} \"STDIN\": {rest}")
                }
                _ => text,
            }
        }
    }
}

/// An importer error as the API server (and kubectl) would report it.
pub(super) fn import_error(errors: &[ImportError]) -> String {
    let Some(first) = errors.first() else {
        return String::new();
    };
    match &first.problem {
        Problem::Syntax(msg) => format!("error: error parsing STDIN: {msg}"),
        Problem::NotAnObject | Problem::MissingKind | Problem::MissingApiVersion => {
            format!("error: error validating data: {}", first.problem)
        }
        Problem::Type(msg) => {
            let kind = first
                .object
                .as_deref()
                .and_then(|o| o.split('/').next())
                .unwrap_or("object");
            format!(
                "Error from server (BadRequest): error when creating \"STDIN\": {kind} in version \"v1\" cannot be handled as a {kind}: {msg}"
            )
        }
        Problem::Field(_) => {
            let (kind, name) = first
                .object
                .as_deref()
                .and_then(|o| o.split_once('/'))
                .unwrap_or(("Object", ""));
            let causes: Vec<crate::validation::field::Error> = errors
                .iter()
                .filter(|e| e.object == first.object)
                .filter_map(|e| match &e.problem {
                    Problem::Field(f) => Some(f.clone()),
                    _ => None,
                })
                .collect();
            let kind: &'static str = match kind {
                "Service" => "Service",
                "Deployment" => "Deployment",
                "Pod" => "Pod",
                "Node" => "Node",
                "ReplicaSet" => "ReplicaSet",
                "Namespace" => "Namespace",
                _ => "Object",
            };
            server(&crate::apiserver::validate::invalid(kind, name, causes))
        }
        Problem::World(e) => with_source("creating", e),
        Problem::Time(t) => format!("error: {t}"),
        // The playground's own limits (README, Limits), which say so in their text.
        Problem::Limit(e) => format!("error: error validating \"STDIN\": {e}"),
    }
}

fn object_kind(o: &Object) -> Kind {
    match o {
        Object::Namespace(_) => Kind::Namespace,
        Object::Node(_) => Kind::Node,
        Object::Pod(_) => Kind::Pod,
        Object::Service(_) => Kind::Service,
        Object::Deployment(_) => Kind::Deployment,
        Object::ReplicaSet(_) => Kind::ReplicaSet,
    }
}

/// Applies (or creates) every object of a manifest stream, in order.
fn from_stdin(ctx: &mut Ctx, p: &Parsed, text: &str, configure: bool) -> Result<(), String> {
    // Read and defaulted here; validated by the world's commands, object by object, so
    // that errors come in the API server's order.
    let (report, rejected) = decode_defaulted(text);
    let unreadable = rejected.iter().find(|e| {
        matches!(
            e.problem,
            Problem::Syntax(_)
                | Problem::NotAnObject
                | Problem::MissingKind
                | Problem::MissingApiVersion
        )
    });
    if let Some(e) = unreadable {
        return Err(import_error(std::slice::from_ref(e)));
    }
    let mut skipped_fields = 0;
    for n in &report.notices {
        match &n.kind {
            NoticeKind::UnknownKind { api_version, kind } => ctx.err.push_str(&format!(
                "svcplay: skipped {api_version} {kind} (document {}): kind not modelled by the playground\n",
                n.document
            )),
            NoticeKind::UnknownField | NoticeKind::ServerSet => skipped_fields += 1,
            _ => {}
        }
    }
    if skipped_fields > 0 {
        ctx.err.push_str(&format!(
            "svcplay: {skipped_fields} field(s) not modelled by the playground were ignored\n"
        ));
    }
    if report.objects.is_empty() && rejected.is_empty() {
        return Err(format!(
            "error: no objects passed to {}",
            if configure { "apply" } else { "create" }
        ));
    }
    let ns = ctx.namespace(p);
    let mut errors: Vec<String> = Vec::new();
    // Refused objects, one error per object.
    let mut seen: Vec<Option<String>> = Vec::new();
    for e in &rejected {
        if seen.contains(&e.object) {
            continue;
        }
        seen.push(e.object.clone());
        let same: Vec<ImportError> = rejected
            .iter()
            .filter(|x| x.object == e.object)
            .cloned()
            .collect();
        errors.push(import_error(&same));
    }
    for mut object in report.objects {
        set_namespace(&mut object, &ns);
        let kind = object_kind(&object);
        let name = object.meta().name.clone();
        let line = |verb: &str| format!("{}/{name} {verb}\n", kind.name_prefix());
        let live = find(ctx.world, kind, &object.meta().namespace, &name);
        match (live, configure) {
            (None, _) => {
                let command = Command::Create {
                    objects: vec![object],
                };
                match ctx.world.apply(command) {
                    Ok(_) => ctx.print(&line("created")),
                    Err(e) => errors.push(with_source("creating", &e)),
                }
            }
            (Some(_), false) => errors.push(with_source(
                "creating",
                &CommandError::AlreadyExists {
                    kind: already_kind(kind),
                    name,
                },
            )),
            (Some(live), true) => match configure_command(object, live) {
                Ok(None) => ctx.print(&line("unchanged")),
                Ok(Some(command)) => match ctx.world.apply(command) {
                    Ok(applied) => {
                        let verb = applied
                            .changes
                            .first()
                            .map_or("configured", |c| c.verb.as_str());
                        ctx.print(&line(verb));
                    }
                    Err(e) => errors.push(with_source("patching", &e)),
                },
                Err(e) => errors.push(e),
            },
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

fn already_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Pod => "pods",
        Kind::Service => "services",
        Kind::Deployment => "deployments.apps",
        Kind::ReplicaSet => "replicasets.apps",
        Kind::Node => "nodes",
        Kind::Namespace => "namespaces",
        _ => "objects",
    }
}

pub(super) fn set_namespace(o: &mut Object, ns: &str) {
    let meta = match o {
        Object::Pod(x) => &mut x.metadata,
        Object::Service(x) => &mut x.metadata,
        Object::Deployment(x) => &mut x.metadata,
        Object::ReplicaSet(x) => &mut x.metadata,
        Object::Node(_) | Object::Namespace(_) => return,
    };
    if meta.namespace.is_empty() {
        meta.namespace = ns.to_owned();
    }
}

/// The values the API server allocated that a request may leave out.
fn carry_allocated(s: &mut Service, live: &Service) {
    let (spec, old) = (&mut s.spec, &live.spec);
    if spec.cluster_ip.is_empty() {
        spec.cluster_ip = old.cluster_ip.clone();
    }
    if spec.cluster_ips.is_empty() {
        spec.cluster_ips = old.cluster_ips.clone();
    }
    if spec.ip_families.is_empty() {
        spec.ip_families = old.ip_families.clone();
    }
    if spec.ip_family_policy.is_none() {
        spec.ip_family_policy = old.ip_family_policy.clone();
    }
    if spec.health_check_node_port == 0 {
        spec.health_check_node_port = old.health_check_node_port;
    }
    for p in &mut spec.ports {
        if p.node_port == 0
            && let Some(o) = old
                .ports
                .iter()
                .find(|o| o.port == p.port && o.protocol == p.protocol)
        {
            p.node_port = o.node_port;
        }
    }
    s.status = live.status.clone();
    s.metadata.uid = live.metadata.uid;
    s.metadata.creation_timestamp = live.metadata.creation_timestamp;
}

/// The command that makes a live object what the manifest says; `None` when it is
/// already so.
pub(super) fn configure_command(
    object: Object,
    live: LiveObject,
) -> Result<Option<Command>, String> {
    match (object, live) {
        (Object::Service(mut s), LiveObject::Service(old)) => {
            carry_allocated(&mut s, &old);
            let same = s.metadata.labels == old.metadata.labels
                && s.metadata.annotations == old.metadata.annotations
                && s.spec == old.spec;
            Ok((!same).then(|| Command::UpdateService {
                service: Box::new(s),
            }))
        }
        (Object::Deployment(mut d), LiveObject::Deployment(old)) => {
            // The manifest was defaulted; the stored object may predate the defaults
            // (a scenario's): what the defaults alone add is no change.
            let mut defaulted = Object::Deployment(old.clone());
            crate::manifest::defaults::apply(&mut defaulted);
            if let Object::Deployment(stored) = defaulted
                && stored.spec.template == d.spec.template
            {
                d.spec.template = old.spec.template.clone();
            }
            Ok(Some(Command::UpdateDeployment {
                deployment: Box::new(d),
            }))
        }
        (Object::Pod(p), LiveObject::Pod(old)) => {
            let mut spec = p.spec.clone();
            spec.node_name = old.spec.node_name.clone();
            if spec != old.spec {
                return Err(format!(
                    "The Pod {:?} is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                    p.metadata.name
                ));
            }
            Ok(
                (p.metadata.labels != old.metadata.labels).then(|| Command::SetPodLabels {
                    pod: p.metadata.key(),
                    labels: p.metadata.labels.clone(),
                }),
            )
        }
        (Object::Node(n), LiveObject::Node(old)) => {
            if n.metadata.labels != old.metadata.labels {
                return Err(
                    "error: relabeling nodes is not modelled by the playground's console".into(),
                );
            }
            Ok((n.spec.unschedulable != old.spec.unschedulable).then(|| {
                Command::SetNodeUnschedulable {
                    node: n.metadata.name.clone(),
                    unschedulable: n.spec.unschedulable,
                }
            }))
        }
        (Object::Namespace(_), LiveObject::Namespace(_)) => Ok(None),
        (o, _) => Err(format!(
            "error: changing a {} is not modelled by the playground's console",
            o.kind()
        )),
    }
}
