//! `kubectl get`: tables (`-o wide`, `--show-labels`, `-L`, `-A`, `--no-headers`,
//! `--show-kind`), `-o name`, `-o yaml`, `-o json`; `-l` filters; named objects that
//! do not exist are `NotFound` errors after the output, as kubectl aggregates them.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/get/get.go` (`Complete`, `Validate`, `Run`).

use super::errors::{not_found, usage};
use super::objects::{self, Where, meta};
use super::resource::{self, Kind};
use super::{Ctx, Parsed};
use crate::kubectl::output;
use crate::kubectl::print::{
    Row, deployment, endpoint_slice, endpoints, event, namespace, node, pod, replica_set, service,
};
use crate::kubectl::table::{self, PrintOptions, Scope, Table};
use crate::manifest::LiveObject;
use crate::selector::Selector;
use crate::sim::SimTime;

/// The output formats the console prints.
const FORMATS: &str = "json,name,wide,yaml";

/// The selector of `-l`, or kubectl's error for a bad one.
pub(crate) fn selector(p: &Parsed, kind: Option<Kind>) -> Result<Option<Selector>, String> {
    let Some(text) = p.str("selector") else {
        return Ok(None);
    };
    Selector::parse(text).map(Some).map_err(|e| {
        let what = kind.map_or("objects".to_owned(), |k| {
            let group = k.resource();
            let g = group.split_once('.').map_or("", |(_, g)| g);
            format!("{{{g:?} \"v1\" {:?}}}", k.plural())
        });
        format!(
            "Error from server (BadRequest): Unable to find {what} that match label selector {text:?}, field selector \"\": {e}"
        )
    })
}

/// `kubectl get`.
pub(crate) fn run(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    if p.args.is_empty() {
        ctx.err.push_str("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n");
        return Err(usage(
            "kubectl get",
            "Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).",
        ));
    }
    let format = p.str("output").unwrap_or("");
    if !matches!(format, "" | "wide" | "yaml" | "json" | "name") {
        return Err(format!(
            "error: unable to match a printer suitable for the output format {format:?}, allowed formats are: {FORMATS}"
        ));
    }
    if p.bool("show-labels") && !matches!(format, "" | "wide") {
        return Err(format!(
            "error: --show-labels option cannot be used with {format} printer"
        ));
    }
    let request = resource::parse_args(&p.args).map_err(|e| format!("error: {e}"))?;
    let all = p.bool("all-namespaces");
    let named = request.items.iter().any(|(_, n)| !n.is_empty());
    if all && named {
        return Err("error: a resource cannot be retrieved by name across all namespaces".into());
    }
    let ns = ctx.namespace(p);
    let scope = if all {
        Where::All
    } else {
        Where::In(ns.clone())
    };
    let mut errors: Vec<String> = Vec::new();
    let mut found: Vec<(Kind, Vec<LiveObject>)> = Vec::new();
    for (kind, names) in &request.items {
        let sel = selector(p, Some(*kind))?;
        let listed = objects::list(ctx.world, *kind, &scope, sel.as_ref());
        if names.is_empty() {
            found.push((*kind, listed));
            continue;
        }
        let mut picked = Vec::new();
        for n in names {
            match listed.iter().find(|o| &meta(o).name == n) {
                Some(o) => picked.push(o.clone()),
                None if p.bool("ignore-not-found") => {}
                None => errors.push(not_found(*kind, n)),
            }
        }
        found.push((*kind, picked));
    }
    let now = ctx.world.now();
    match format {
        "name" => {
            for (kind, objs) in &found {
                for o in objs {
                    ctx.print(&output::name(&kind.name_prefix(), &meta(o).name));
                }
            }
        }
        "yaml" | "json" => {
            let all_objects: Vec<LiveObject> =
                found.iter().flat_map(|(_, o)| o.iter().cloned()).collect();
            let single = named && request.items.len() == 1 && all_objects.len() == 1;
            if !all_objects.is_empty() || !named {
                let text = if format == "yaml" {
                    output::yaml(&all_objects, ctx.epoch, !single)
                } else {
                    output::json(&all_objects, ctx.epoch, !single)
                };
                ctx.print(&text);
            }
        }
        _ => {
            let tables: Vec<Table> = found
                .iter()
                .map(|(kind, objs)| table_of(*kind, objs, now))
                .collect();
            let options = PrintOptions {
                no_headers: p.bool("no-headers"),
                wide: format == "wide",
                show_labels: p.bool("show-labels"),
                column_labels: p.list("label-columns"),
                show_kind: p.bool("show-kind"),
            };
            let scope = if all {
                Scope::AllNamespaces
            } else {
                Scope::Namespace(ns)
            };
            let out = table::get(&tables, &scope, &options);
            ctx.print(&out.stdout);
            if errors.is_empty() {
                ctx.err.push_str(&out.stderr);
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// The API server's table of a kind's objects (every cell filled, as the server does).
pub(crate) fn table_of(kind: Kind, objects: &[LiveObject], now: SimTime) -> Table {
    let mut t = match kind {
        Kind::Pod => Table::new(pod::KIND, pod::NAMESPACED, pod::COLUMNS),
        Kind::Service => Table::new(service::KIND, service::NAMESPACED, service::COLUMNS),
        Kind::Endpoints => Table::new(endpoints::KIND, endpoints::NAMESPACED, endpoints::COLUMNS),
        Kind::EndpointSlice => Table::new(
            endpoint_slice::KIND,
            endpoint_slice::NAMESPACED,
            endpoint_slice::COLUMNS,
        ),
        Kind::Deployment => Table::new(
            deployment::KIND,
            deployment::NAMESPACED,
            deployment::COLUMNS,
        ),
        Kind::ReplicaSet => Table::new(
            replica_set::KIND,
            replica_set::NAMESPACED,
            replica_set::COLUMNS,
        ),
        Kind::Node => Table::new(node::KIND, node::NAMESPACED, node::COLUMNS),
        Kind::Event => Table::new(event::KIND, event::NAMESPACED, event::COLUMNS),
        Kind::Namespace => Table::new(namespace::KIND, namespace::NAMESPACED, namespace::COLUMNS),
    };
    for o in objects {
        t.push(row_of(o, now), meta(o));
    }
    t
}

fn row_of(o: &LiveObject, now: SimTime) -> Row {
    match o {
        LiveObject::Pod(x) => pod::print(x, now, true),
        LiveObject::Service(x) => service::print(x, now, true),
        LiveObject::Endpoints(x) => endpoints::print(x, now, true),
        LiveObject::EndpointSlice(x) => endpoint_slice::print(x, now, true),
        LiveObject::Deployment(x) => deployment::print(x, now, true),
        LiveObject::ReplicaSet(x) => replica_set::print(x, now, true),
        LiveObject::Node(x) => node::print(x, now, true),
        LiveObject::Event(x) => event::print(x, now, true),
        LiveObject::Namespace(x) => namespace::print(x, now, true),
    }
}
