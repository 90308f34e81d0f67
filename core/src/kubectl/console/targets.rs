//! The objects a changing verb acts on, as kubectl's resource builder finds them:
//! `TYPE NAME…`, `TYPE/NAME…`, or a type with `-l` or `--all`; a name that does not
//! exist is a `NotFound` error and the others still go ahead.
//! Upstream: kubernetes/cli-runtime@69e8693b2560484b0b950d56006157200ab67947
//! `pkg/resource/builder.go` (`ResourceTypeOrNameArgs`, `visitorResult`:
//! "resource(s) were provided, but no name was specified", "You must provide one or
//! more resources…").

use super::Ctx;
use super::errors::not_found;
use super::flags::Parsed;
use super::get::selector;
use super::objects::{self, Where, meta};
use super::resource::{self, Kind};

/// `error: You must provide one or more resources by argument or filename.`
pub(crate) const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// The objects found, and the errors for names that were not.
pub(crate) struct Found {
    /// `(kind, namespace, name)`, in the order asked.
    pub(crate) objects: Vec<(Kind, String, String)>,
    /// `NotFound` errors, in kubectl's words.
    pub(crate) missing: Vec<String>,
    /// The namespace the request used.
    pub(crate) namespace: String,
}

/// Resolves `args` (resource arguments only). `type_alone_is_all`: a bare type means
/// every object of it (`rollout restart deployment`), as with `-l` or `--all`.
pub(crate) fn resolve(
    ctx: &Ctx,
    p: &Parsed,
    args: &[String],
    type_alone_is_all: bool,
) -> Result<Found, String> {
    if args.is_empty() {
        return Err(NO_RESOURCES.to_owned());
    }
    let request = resource::parse_args(args).map_err(|e| format!("error: {e}"))?;
    let namespace = ctx.namespace(p);
    let scope = if p.bool("all-namespaces") {
        Where::All
    } else {
        Where::In(namespace.clone())
    };
    let by_selector = p.has("selector") || p.bool("all");
    if p.bool("all") && p.has("selector") {
        return Err("error: cannot set --all and --selector at the same time".to_owned());
    }
    let mut found = Found {
        objects: Vec::new(),
        missing: Vec::new(),
        namespace: namespace.clone(),
    };
    for (kind, names) in &request.items {
        if names.is_empty() {
            if !by_selector && !type_alone_is_all {
                return Err("error: resource(s) were provided, but no name was specified".into());
            }
            let sel = selector(p, Some(*kind))?;
            for o in objects::list(ctx.world, *kind, &scope, sel.as_ref()) {
                let m = meta(&o);
                found
                    .objects
                    .push((*kind, m.namespace.clone(), m.name.clone()));
            }
            continue;
        }
        if by_selector {
            return Err("error: name cannot be provided when a selector is specified".into());
        }
        for n in names {
            match objects::find(ctx.world, *kind, &namespace, n) {
                Some(o) => {
                    let m = meta(&o);
                    found
                        .objects
                        .push((*kind, m.namespace.clone(), m.name.clone()));
                }
                None => found.missing.push(not_found(*kind, n)),
            }
        }
    }
    Ok(found)
}
