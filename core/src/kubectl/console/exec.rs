//! `kubectl exec POD -- COMMAND`: the commands a pod of the playground can run, over the
//! cluster DNS ([`crate::dns`]) the world's Services, EndpointSlices and pods describe:
//! busybox's `nslookup` (`nslookup NAME`, `nslookup -type=srv NAME`) and `cat
//! /etc/resolv.conf`. A command that fails ends with kubectl's `command terminated
//! with exit code N`.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/exec/exec.go` (`Complete`: the `--` form, `Validate`);
//! kubernetes/kubernetes `cmd/kubeadm/app/constants` (`GetDNSIP`: the Service CIDR's
//! tenth address) and `cmd/kubeadm/app/phases/addons/dns` (the `kubernetes` stanza).
//!
//! The answers come from the world's own cluster DNS ([`World::nslookup`](crate::World::nslookup),
//! [`World::resolv_conf`](crate::World::resolv_conf): the `kube-system/kube-dns` Service and the pod's
//! `/etc/resolv.conf`), the same server the clients resolve through before they connect.
//!
//! Simplification: only the commands above run.

use super::errors::not_found;
use super::objects::meta;
use super::resource::{self, Kind};
use super::{Ctx, Parsed};
use crate::objects::{Pod, PodPhase};

/// The pod a `POD` or `TYPE/NAME` argument names (a Deployment's or Service's first
/// pod, as kubectl picks one).
fn pick_pod(ctx: &Ctx, ns: &str, arg: &str) -> Result<Pod, String> {
    let (kind, name) = match arg.split_once('/') {
        Some((t, n)) => (
            Kind::parse(t).ok_or_else(|| format!("error: {}", resource::unknown_type(t)))?,
            n,
        ),
        None => (Kind::Pod, arg),
    };
    let object =
        super::objects::find(ctx.world, kind, ns, name).ok_or_else(|| not_found(kind, name))?;
    let selector = match &object {
        crate::manifest::LiveObject::Pod(p) => return Ok(p.clone()),
        crate::manifest::LiveObject::Deployment(d) => d
            .spec
            .selector
            .as_ref()
            .map(|s| s.match_labels.clone())
            .unwrap_or_default(),
        crate::manifest::LiveObject::Service(s) => s.spec.selector.clone().unwrap_or_default(),
        _ => {
            return Err(format!(
                "error: cannot attach to {}: selector for {} not implemented",
                kind.kind(),
                kind.name_prefix()
            ));
        }
    };
    ctx.world
        .pods()
        .values()
        .filter(|p| p.metadata.namespace == ns && !p.metadata.is_terminating())
        .find(|p| {
            !selector.is_empty()
                && selector
                    .iter()
                    .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
        })
        .map(|p| (**p).clone())
        .ok_or_else(|| {
            format!(
                "error: no pods found for {}/{}",
                kind.name_prefix(),
                meta(&object).name
            )
        })
}

/// `kubectl exec`.
pub(crate) fn run(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let ns = ctx.namespace(p);
    let Some(dash) = p.dash else {
        if p.args.len() > 1 {
            return Err(super::errors::usage(
                "kubectl exec",
                "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
            ));
        }
        if p.args.is_empty() {
            return Err(super::errors::usage(
                "kubectl exec",
                "pod, type/name or --filename must be specified",
            ));
        }
        return Err("error: you must specify at least one command for the container".into());
    };
    let (target, command) = p.args.split_at(dash);
    let [target] = target else {
        return Err(super::errors::usage(
            "kubectl exec",
            "pod, type/name or --filename must be specified",
        ));
    };
    if command.is_empty() {
        return Err("error: you must specify at least one command for the container".into());
    }
    let pod = pick_pod(ctx, &ns, target)?;
    let container = match p.str("container") {
        Some(c) => pod
            .spec
            .containers
            .iter()
            .find(|x| x.name == c)
            .map(|x| x.name.clone())
            .ok_or_else(|| {
                format!(
                    "error: container {c} not found in pod {}",
                    pod.metadata.name
                )
            })?,
        None => pod
            .spec
            .containers
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    };
    if pod.status.phase != PodPhase::Running {
        return Err(format!(
            "error: unable to upgrade connection: container not found ({container:?})"
        ));
    }
    let key = pod.metadata.key();
    let words: Vec<&str> = command.iter().map(String::as_str).collect();
    let (stdout, stderr, code) = match words.as_slice() {
        ["nslookup", args @ ..] => {
            let out = ctx
                .world
                .nslookup(&key, args)
                .map_err(|e| format!("error: {e}"))?;
            (out.stdout, out.stderr, out.exit_code)
        }
        ["cat", "/etc/resolv.conf"] => (
            ctx.world
                .resolv_conf(&key)
                .map(|c| c.render())
                .unwrap_or_default(),
            String::new(),
            0,
        ),
        [program, ..] => (
            String::new(),
            format!(
                "svcplay: {program}: the playground's containers run only nslookup and cat /etc/resolv.conf\n"
            ),
            127,
        ),
        [] => (String::new(), String::new(), 0),
    };
    ctx.print(&stdout);
    ctx.err.push_str(&stderr);
    if code != 0 {
        return Err(format!("command terminated with exit code {code}"));
    }
    Ok(())
}
