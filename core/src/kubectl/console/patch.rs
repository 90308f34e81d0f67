//! `kubectl patch TYPE NAME -p PATCH [--type merge|strategic]`: the patch merged into
//! the live object as the manifest kubectl would send back, read by the core's importer
//! (defaults), then configured through the world's commands; `patched` or `patched (no
//! change)`.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/patch/patch.go` (`Validate`, `RunPatch`, `patchOperation`); RFC 7386 (JSON
//! merge patch); kubernetes/apimachinery `pkg/util/strategicpatch/patch.go` (merge keys).
//!
//! Simplification: a strategic merge patch merges the lists whose merge key the model
//! knows (`ports` by `port`, `containers` by `name`, a container's `ports` by
//! `containerPort`) and replaces the others; `$patch` directives and `--type=json` are
//! not modelled.

use yaml_serde::{Mapping, Value};

use super::apply::{configure_command, import_error, set_namespace};
use super::errors::server;
use super::objects::find;
use super::resource::{self, Kind};
use super::{Ctx, Parsed};
use crate::manifest::{LiveObject, decode_defaulted, export};
use crate::objects::Object;

/// `kubectl patch TYPE NAME -p PATCH [--type merge|strategic]`.
pub(crate) fn patch(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let Some(body) = p.str("patch").filter(|s| !s.is_empty()) else {
        return Err(
            "error: must specify --patch or --patch-file containing the contents of the patch"
                .into(),
        );
    };
    let patch_type = p.str("type").unwrap_or("strategic").to_lowercase();
    if !matches!(patch_type.as_str(), "json" | "merge" | "strategic") {
        return Err(format!(
            "error: --type must be one of [json merge strategic], not {:?}",
            p.str("type").unwrap_or_default()
        ));
    }
    if patch_type == "json" {
        return Err("error: --type=json is not modelled by the playground's console (use --type=merge or strategic)".into());
    }
    let patch: Value =
        yaml_serde::from_str(body).map_err(|e| format!("error: unable to parse {body:?}: {e}"))?;
    let request = resource::parse_args(&p.args).map_err(|e| format!("error: {e}"))?;
    let ns = ctx.namespace(p);
    let mut errors = Vec::new();
    let mut any = false;
    for (kind, names) in &request.items {
        if names.is_empty() {
            return Err("error: resource(s) were provided, but no name was specified".into());
        }
        for name in names {
            any = true;
            match patch_one(ctx, *kind, &ns, name, &patch, patch_type == "strategic") {
                Ok(word) => ctx.print(&format!("{}/{name} {word}\n", kind.name_prefix())),
                Err(e) => errors.push(e),
            }
        }
    }
    if !any {
        return Err(super::targets::NO_RESOURCES.to_owned());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// Patches one object; `patched` or `patched (no change)`.
fn patch_one(
    ctx: &mut Ctx,
    kind: Kind,
    ns: &str,
    name: &str,
    patch: &Value,
    strategic: bool,
) -> Result<&'static str, String> {
    let live =
        find(ctx.world, kind, ns, name).ok_or_else(|| super::errors::not_found(kind, name))?;
    let object = match &live {
        LiveObject::Service(s) => Object::Service(s.clone()),
        LiveObject::Deployment(d) => Object::Deployment(d.clone()),
        LiveObject::Pod(p) => Object::Pod(p.clone()),
        LiveObject::Node(n) => Object::Node(n.clone()),
        _ => {
            return Err(format!(
                "error: patching {} is not modelled by the playground's console",
                kind.plural()
            ));
        }
    };
    let text = export(std::slice::from_ref(&object));
    let mut doc: Value = yaml_serde::from_str(&text).map_err(|e| format!("error: {e}"))?;
    merge(&mut doc, patch, strategic, "");
    let merged = yaml_serde::to_string(&doc).map_err(|e| format!("error: {e}"))?;
    let (report, rejected) = decode_defaulted(&merged);
    if !rejected.is_empty() {
        return Err(import_error(&rejected));
    }
    let Some(mut patched) = report.objects.into_iter().next() else {
        return Err("error: the patch removed the object's kind".into());
    };
    set_namespace(&mut patched, ns);
    if patched.meta().name != name {
        return Err(format!(
            "The {} {name:?} is invalid: metadata.name: Invalid value: {:?}: field is immutable",
            kind.kind(),
            patched.meta().name
        ));
    }
    match configure_command(patched, live)? {
        None => Ok("patched (no change)"),
        Some(command) => {
            let applied = ctx.world.apply(command).map_err(|e| server(&e))?;
            let unchanged = applied
                .changes
                .first()
                .is_some_and(|c| c.verb == crate::world::Verb::Unchanged);
            Ok(if unchanged {
                "patched (no change)"
            } else {
                "patched"
            })
        }
    }
}

/// The key a strategic merge patch merges a list by, at this path.
fn merge_key(path: &str) -> Option<&'static str> {
    match path {
        "spec.ports" => Some("port"),
        "spec.template.spec.containers" | "spec.containers" => Some("name"),
        p if p.ends_with("containers.ports") => Some("containerPort"),
        _ => None,
    }
}

/// RFC 7386 merge (`null` deletes), with strategic lists merged by key.
fn merge(target: &mut Value, patch: &Value, strategic: bool, path: &str) {
    let Value::Mapping(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !matches!(target, Value::Mapping(_)) {
        *target = Value::Mapping(Mapping::new());
    }
    let Value::Mapping(t) = target else { return };
    for (k, v) in p {
        let key = k.as_str().unwrap_or_default();
        let child = if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        };
        if v.is_null() {
            t.remove(k);
            continue;
        }
        let merge_by = strategic.then(|| merge_key(&child)).flatten();
        match (t.get_mut(k), v, merge_by) {
            (Some(Value::Sequence(items)), Value::Sequence(new), Some(mk)) => {
                for n in new {
                    let id = n.get(mk);
                    match items.iter_mut().find(|i| id.is_some() && i.get(mk) == id) {
                        Some(existing) => merge(existing, n, strategic, &child),
                        None => items.push(n.clone()),
                    }
                }
            }
            (Some(existing), Value::Mapping(_), _) => merge(existing, v, strategic, &child),
            _ => {
                let mut fresh = Value::Null;
                merge(&mut fresh, v, strategic, &child);
                t.insert(k.clone(), fresh);
            }
        }
    }
}
