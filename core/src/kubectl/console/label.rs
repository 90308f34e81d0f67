//! `kubectl label`: new labels (`KEY=VALUE`), removals (`KEY-`), `--overwrite`,
//! `--list`; one `Command` per object (`SetPodLabels`, `UpdateService`,
//! `UpdateDeployment`) and kubectl's `labeled` / `unlabeled` / `modified` / `not
//! labeled`.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/label/label.go` (`parseLabels`, `validateNoOverwrites`, `labelFunc`,
//! `updateDataChangeMsg`), `pkg/cmd/util/helpers.go` (`GetResourcesAndPairs`).

use super::edit::{apply, finish};
use super::objects::{self, meta};
use super::targets::resolve;
use super::{Ctx, Parsed};
use crate::manifest::LiveObject;
use crate::objects::Labels;
use crate::validation::content::is_label_value;
use crate::world::Command;

/// `parseLabels`: the new pairs and the keys to remove.
fn parse_pairs(pairs: &[String]) -> Result<(Labels, Vec<String>), String> {
    let mut add = Labels::new();
    let mut remove = Vec::new();
    for spec in pairs {
        if spec.contains('=') {
            let parts: Vec<&str> = spec.split('=').collect();
            let [k, v] = parts.as_slice() else {
                return Err(format!("error: invalid label spec: {spec}"));
            };
            let errs = is_label_value(v);
            if !errs.is_empty() {
                return Err(format!(
                    "error: invalid label value: {spec:?}: {}",
                    errs.join(";")
                ));
            }
            add.insert((*k).to_owned(), (*v).to_owned());
        } else if let Some(k) = spec.strip_suffix('-') {
            remove.push(k.to_owned());
        } else {
            return Err(format!("error: unknown label spec: {spec}"));
        }
    }
    if remove.iter().any(|k| add.contains_key(k)) {
        return Err("error: can not both modify and remove a label in the same command".into());
    }
    Ok((add, remove))
}

/// `GetResourcesAndPairs`.
pub(crate) fn resources_and_pairs(
    args: &[String],
    what: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    let (mut resources, mut pairs) = (Vec::new(), Vec::new());
    for s in args {
        let pair = (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        match (pairs.is_empty(), pair) {
            (_, true) => pairs.push(s.clone()),
            (true, false) => resources.push(s.clone()),
            (false, false) => {
                return Err(format!(
                    "error: all resources must be specified before {what} changes: {s}"
                ));
            }
        }
    }
    Ok((resources, pairs))
}

/// `kubectl label`.
pub(crate) fn label(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let (resources, pairs) = resources_and_pairs(&p.args, "label")?;
    let (add, remove) = parse_pairs(&pairs)?;
    if resources.is_empty() {
        return Err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>".into());
    }
    let list = p.bool("list");
    if add.is_empty() && remove.is_empty() && !list {
        return Err("error: at least one label update is required".into());
    }
    let found = resolve(ctx, p, &resources, false)?;
    let mut errors = found.missing;
    let one = found.objects.len() == 1;
    for (kind, ns, name) in found.objects {
        let Some(object) = objects::find(ctx.world, kind, &ns, &name) else {
            continue;
        };
        let old = meta(&object).labels.clone();
        if list {
            let indent = if one {
                ""
            } else {
                ctx.print(&format!(
                    "Listing labels for {}.{}/{name}:\n",
                    kind.kind(),
                    kind.name_prefix().split_once('.').map_or("", |(_, g)| g)
                ));
                " "
            };
            for (k, v) in &old {
                ctx.print(&format!("{indent}{k}={v}\n"));
            }
            continue;
        }
        if !p.bool("overwrite") {
            let clashes: Vec<String> = add
                .iter()
                .filter_map(|(k, v)| match old.get(k) {
                    Some(cur) if cur != v => Some(format!(
                        "'{k}' already has a value ({cur}), and --overwrite is false"
                    )),
                    _ => None,
                })
                .collect();
            if !clashes.is_empty() {
                errors.push(format!("error: {}", clashes.join("\n")));
                continue;
            }
        }
        for k in &remove {
            if !old.contains_key(k) {
                ctx.print(&format!("label {k:?} not found.\n"));
            }
        }
        let mut labels = old.clone();
        let mut added = false;
        for (k, v) in &add {
            if labels.get(k) != Some(v) {
                labels.insert(k.clone(), v.clone());
                added = true;
            }
        }
        let mut removed = false;
        for k in &remove {
            removed |= labels.remove(k).is_some();
        }
        let word = match (added, removed) {
            (true, true) => "modified",
            (true, false) => "labeled",
            (false, true) => "unlabeled",
            (false, false) => "not labeled",
        };
        if added || removed {
            let command = match relabel(object, labels) {
                Ok(c) => c,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            if let Err(e) = apply(ctx, command) {
                errors.push(e);
                continue;
            }
        }
        ctx.print(&format!("{}/{name} {word}\n", kind.name_prefix()));
    }
    finish(errors)
}

/// The command that gives an object new labels.
fn relabel(object: LiveObject, labels: Labels) -> Result<Command, String> {
    Ok(match object {
        LiveObject::Pod(p) => Command::SetPodLabels {
            pod: p.metadata.key(),
            labels,
        },
        LiveObject::Service(mut s) => {
            s.metadata.labels = labels;
            Command::UpdateService {
                service: Box::new(s),
            }
        }
        LiveObject::Deployment(mut d) => {
            d.metadata.labels = labels;
            Command::UpdateDeployment {
                deployment: Box::new(d),
            }
        }
        other => {
            return Err(format!(
                "error: labeling {} is not modelled by the playground's console (it labels pods, services and deployments)",
                other.kind().to_lowercase()
            ));
        }
    })
}
