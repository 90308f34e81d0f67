//! The verbs that change existing objects: `scale`, `delete`, `cordon`, `uncordon`,
//! `set selector`, `rollout restart` (`label` is in `label`). Each object changes through one
//! [`Command`]; kubectl's success line names it `kind.group/name` (`delete`: `pod "x"
//! deleted from default namespace`).
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/scale/scale.go`, `pkg/cmd/delete/delete.go` (`PrintObj`),
//! `pkg/cmd/drain/drain.go` (`RunCordonOrUncordon`),
//! `pkg/cmd/set/set_selector.go`, `pkg/cmd/rollout/rollout_restart.go`,
//! `pkg/polymorphichelpers/objectrestarter.go`.

use super::errors::{server, usage};
use super::resource::Kind;
use super::targets::resolve;
use super::{Ctx, Parsed};
use crate::objects::NamespacedName;
use crate::world::Command;

/// Applies a command; a refusal in kubectl's words.
pub(super) fn apply(ctx: &mut Ctx, command: Command) -> Result<(), String> {
    ctx.world.apply(command).map(|_| ()).map_err(|e| server(&e))
}

/// `kubectl scale`.
pub(crate) fn scale(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    if !p.has("replicas") {
        return Err("error: required flag(s) \"replicas\" not set".into());
    }
    let replicas = p.int("replicas").unwrap_or(-1);
    if replicas < 0 {
        return Err(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0".into(),
        );
    }
    let current = p.int("current-replicas").unwrap_or(-1);
    if current < -1 {
        return Err(
            "error: The --current-replicas must specify an integer of -1 or greater".into(),
        );
    }
    let found = resolve(ctx, p, &p.args, false)?;
    if found.objects.is_empty() && found.missing.is_empty() {
        return Err("error: no objects passed to scale".into());
    }
    let mut errors = found.missing;
    for (kind, ns, name) in found.objects {
        if kind != Kind::Deployment {
            errors.push(scale_unsupported(kind));
            continue;
        }
        let key = NamespacedName::new(&ns, &name);
        let now = ctx
            .world
            .deployments()
            .get(&key)
            .and_then(|d| d.spec.replicas);
        if current >= 0 && now != Some(i32::try_from(current).unwrap_or(-1)) {
            let was = now.unwrap_or(1);
            errors.push(format!(
                "error: Expected replicas to be {current}, was {was}"
            ));
            continue;
        }
        match apply(
            ctx,
            Command::ScaleDeployment {
                deployment: key,
                replicas,
            },
        ) {
            Ok(()) => ctx.print(&format!("deployment.apps/{name} scaled\n")),
            Err(e) => errors.push(e),
        }
    }
    finish(errors)
}

fn scale_unsupported(kind: Kind) -> String {
    match kind {
        Kind::ReplicaSet => {
            "error: scaling replicasets is not modelled by the playground's console (scale their deployment)".to_owned()
        }
        _ => "Error from server (NotFound): the server could not find the requested resource"
            .to_owned(),
    }
}

pub(super) fn finish(errors: Vec<String>) -> Result<(), String> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// `kubectl delete`.
pub(crate) fn delete(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let output = p.str("output").unwrap_or("");
    if !output.is_empty() && output != "name" {
        return Err(format!(
            "error: unexpected -o output mode: {output}. We only support '-o name'"
        ));
    }
    let found = resolve(ctx, p, &p.args, false)?;
    let mut errors = if p.bool("ignore-not-found") {
        Vec::new()
    } else {
        found.missing
    };
    if found.objects.is_empty() && errors.is_empty() && (p.has("selector") || p.bool("all")) {
        ctx.err.push_str("No resources found\n");
    }
    for (kind, ns, name) in found.objects {
        let key = NamespacedName::new(&ns, &name);
        let command = match kind {
            Kind::Pod => {
                if ctx
                    .world
                    .pod(&key)
                    .is_some_and(|p| p.metadata.is_terminating())
                {
                    // The API server answers a second delete with the object: no error.
                    ctx.print(&deleted(kind, &ns, &name, output));
                    continue;
                }
                Command::DeletePod { pod: key }
            }
            Kind::Service => Command::DeleteService { service: key },
            Kind::Deployment => Command::DeleteDeployment { deployment: key },
            Kind::Node => Command::DeleteNode { node: name.clone() },
            other => {
                errors.push(format!(
                    "error: deleting {} is not modelled by the playground's console (it deletes pods, services, deployments and nodes)",
                    other.plural()
                ));
                continue;
            }
        };
        match apply(ctx, command) {
            Ok(()) => ctx.print(&deleted(kind, &ns, &name, output)),
            Err(e) => errors.push(e),
        }
    }
    finish(errors)
}

/// `PrintObj` of `delete`.
fn deleted(kind: Kind, namespace: &str, name: &str, output: &str) -> String {
    let resource = kind.name_prefix();
    if output == "name" {
        return format!("{resource}/{name}\n");
    }
    if kind.namespaced() {
        format!("{resource} {name:?} deleted from {namespace} namespace\n")
    } else {
        format!("{resource} {name:?} deleted\n")
    }
}

/// `kubectl cordon`.
pub(crate) fn cordon(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    cordon_or_uncordon(ctx, p, true)
}

/// `kubectl uncordon`.
pub(crate) fn uncordon(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    cordon_or_uncordon(ctx, p, false)
}

fn cordon_or_uncordon(ctx: &mut Ctx, p: &Parsed, desired: bool) -> Result<(), String> {
    let verb = if desired { "cordon" } else { "uncordon" };
    let path = format!("kubectl {verb}");
    if p.args.is_empty() && !p.has("selector") {
        return Err(usage(&path, &format!("USAGE: {verb} NODE [flags]")));
    }
    if !p.args.is_empty() && p.has("selector") {
        return Err(usage(
            &path,
            "error: cannot specify both a node name and a --selector option",
        ));
    }
    let mut args: Vec<String> = vec!["nodes".to_owned()];
    args.extend(p.args.iter().cloned());
    let found = resolve(ctx, p, &args, false)?;
    let mut errors = found.missing;
    for (_, _, name) in found.objects {
        let now = ctx
            .world
            .nodes()
            .get(&name)
            .is_some_and(|n| n.spec.unschedulable);
        if now == desired {
            ctx.print(&format!("node/{name} already {verb}ed\n"));
            continue;
        }
        let command = Command::SetNodeUnschedulable {
            node: name.clone(),
            unschedulable: desired,
        };
        match apply(ctx, command) {
            Ok(()) => ctx.print(&format!("node/{name} {verb}ed\n")),
            Err(e) => errors.push(e),
        }
    }
    finish(errors)
}

/// `kubectl set selector`.
pub(crate) fn set_selector(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let Some((expression, resources)) = p.args.split_last() else {
        return Err("error: one selector is required".into());
    };
    // `metav1.ParseToLabelSelector`; a Service takes only `matchLabels`.
    let parsed = crate::selector::api::parse_to_label_selector(expression)
        .map_err(|e| format!("error: {e}"))?;
    if !parsed.match_expressions.is_empty() {
        let exprs: Vec<String> = parsed
            .match_expressions
            .iter()
            .map(|r| format!("{{{} {} [{}]}}", r.key, r.operator, r.values.join(" ")))
            .collect();
        return Err(format!(
            "error: match expression [{}] not supported on this object",
            exprs.join(" ")
        ));
    }
    let selector = parsed.match_labels;
    let found = resolve(ctx, p, resources, false)?;
    let mut errors = found.missing;
    for (kind, ns, name) in found.objects {
        if kind != Kind::Service {
            errors.push("error: setting a selector is only supported for Services".into());
            continue;
        }
        let command = Command::SetServiceSelector {
            service: NamespacedName::new(&ns, &name),
            selector: Some(selector.clone()),
        };
        match apply(ctx, command) {
            Ok(()) => ctx.print(&format!("service/{name} selector updated\n")),
            Err(e) => errors.push(e),
        }
    }
    finish(errors)
}

/// The annotation `rollout restart` sets on the pod template.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// `kubectl rollout restart`.
pub(crate) fn rollout_restart(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    if p.args.is_empty() {
        return Err("error: required resource not specified".into());
    }
    let found = resolve(ctx, p, &p.args, true)?;
    let mut errors = found.missing;
    if found.objects.is_empty() && errors.is_empty() {
        ctx.err.push_str(&format!(
            "No resources found in {} namespace.\n",
            found.namespace
        ));
        return Ok(());
    }
    let stamp = ctx.epoch.format(ctx.world.now());
    for (kind, ns, name) in found.objects {
        let key = NamespacedName::new(&ns, &name);
        let Some(mut d) = (kind == Kind::Deployment)
            .then(|| ctx.world.deployments().get(&key).cloned())
            .flatten()
        else {
            errors.push(format!(
                "error: {} {name:?} restarting is not supported",
                kind.resource()
            ));
            continue;
        };
        let annotations = &mut d.spec.template.metadata.annotations;
        if annotations.get(RESTARTED_AT) == Some(&stamp) {
            errors.push(format!("failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"));
            continue;
        }
        annotations.insert(RESTARTED_AT.to_owned(), stamp.clone());
        match apply(
            ctx,
            Command::UpdateDeployment {
                deployment: Box::new(d),
            },
        ) {
            Ok(()) => ctx.print(&format!("deployment.apps/{name} restarted\n")),
            Err(e) => errors.push(format!("failed to patch: {e}")),
        }
    }
    finish(errors)
}
