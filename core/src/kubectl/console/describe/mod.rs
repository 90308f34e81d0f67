//! `kubectl describe` of Services, pods, Deployments, nodes and EndpointSlices, in
//! kubectl's layout: a prefix writer (two spaces per level) over Go's tabwriter with
//! padding 2, labels and annotations one per line, times in RFC 1123, and the
//! `Events:` table from the world's events about the object.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/describe/describe.go` (`prefixWriter`, `tabbedString`, `printLabelsMultiline`,
//! `printAnnotationsMultiline`, `DescribeEvents`), `pkg/cmd/describe/describe.go`
//! (`Run`: exact name, else every object with the name as a prefix; outputs separated
//! by a blank line).

pub(crate) mod deployment;
pub(crate) mod node;
pub(crate) mod pod;
pub(crate) mod service;
pub(crate) mod slice;

use super::errors::not_found;
use super::get::selector;
use super::objects::{self, Where, meta};
use super::resource::{self, Kind};
use super::{Ctx, Parsed};
use crate::World;
use crate::kubectl::duration::translate_timestamp_since;
use crate::kubectl::tabwriter::TabWriter;
use crate::manifest::LiveObject;
use crate::objects::time::format_rfc1123z;
use crate::objects::{Epoch, Event, Labels};
use crate::sim::SimTime;

/// kubectl's prefix writer over the describe tabwriter.
pub(crate) struct W {
    tw: TabWriter,
}

impl W {
    fn new() -> W {
        W {
            tw: TabWriter::describe(),
        }
    }

    /// `Write(level, …)`: two spaces per level, then the text.
    pub(crate) fn write(&mut self, level: usize, text: &str) {
        let mut s = "  ".repeat(level);
        s.push_str(text);
        self.tw.write(&escaped(&s));
    }

    /// `WriteLine`: the text and a line end.
    pub(crate) fn line(&mut self, text: &str) {
        self.tw.write(&escaped(&format!("{text}\n")));
    }

    /// `Flush`.
    pub(crate) fn flush(&mut self) {
        self.tw.flush();
    }

    fn finish(self) -> String {
        self.tw.finish()
    }
}

/// `printers.WriteEscaped`: the escape character is shown as `^[`.
fn escaped(s: &str) -> String {
    s.replace('\u{1b}', "^[")
}

/// `printLabelsMultiline`: `Title:\tk=v`, later pairs on their own lines, `<none>`.
pub(crate) fn labels(w: &mut W, title: &str, labels: &Labels) {
    w.write(0, &format!("{title}:\t"));
    if labels.is_empty() {
        return w.line("<none>");
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.write(0, &format!("{k}={v}\n"));
    }
}

/// `printAnnotationsMultiline`: as labels, `key: value`, long values folded.
pub(crate) fn annotations(w: &mut W, title: &str, annotations: &Labels) {
    w.write(0, &format!("{title}:\t"));
    let keys: Vec<&String> = annotations
        .keys()
        .filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        return w.line("<none>");
    }
    for (i, k) in keys.into_iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let value = annotations[k].trim_end_matches('\n');
        if value.len() + k.len() + 2 > 140 || value.contains('\n') {
            w.write(0, &format!("{k}:\n"));
            for s in value.split('\n') {
                let short = if s.len() > 138 {
                    let mut cut = 138;
                    while !s.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    format!("{}...", &s[..cut])
                } else {
                    s.to_owned()
                };
                w.write(0, &format!("\t  {short}\n"));
            }
        } else {
            w.write(0, &format!("{k}: {value}\n"));
        }
    }
}

/// `DescribeEvents`.
pub(crate) fn events(w: &mut W, events: &[Event], now: SimTime) {
    if events.is_empty() {
        return w.write(0, "Events:\t<none>\n");
    }
    w.flush();
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in events {
        let first = translate_timestamp_since(e.first_timestamp, now);
        let interval = if e.count > 1 {
            let last = translate_timestamp_since(e.last_timestamp, now);
            format!("{last} (x{} over {first})", e.count)
        } else {
            first
        };
        w.write(
            1,
            &format!(
                "{}\t{}\t{interval}\t{}\t{}\n",
                e.type_,
                e.reason,
                e.source.component,
                e.message.trim()
            ),
        );
    }
}

/// A time as `describe` prints it.
pub(crate) fn when(epoch: Epoch, t: Option<SimTime>) -> String {
    let t = t.unwrap_or(SimTime::ZERO);
    let ms = i64::try_from(t.as_millis()).unwrap_or(i64::MAX);
    format_rfc1123z(epoch.unix_millis().saturating_add(ms))
}

/// What a describer needs besides the object.
pub(crate) struct Env<'a> {
    pub(crate) world: &'a World,
    pub(crate) epoch: Epoch,
    pub(crate) now: SimTime,
    pub(crate) show_events: bool,
}

/// The text a describer writes.
pub(crate) fn text(f: impl FnOnce(&mut W)) -> String {
    let mut w = W::new();
    f(&mut w);
    w.finish()
}

/// One object's description, with what it needs gathered from the world.
fn describe_one(env: &Env, o: &LiveObject) -> Option<String> {
    let m = meta(o);
    let ev = events_of(env, o.kind(), &m.namespace, &m.name);
    let ev = ev.as_deref();
    let (epoch, now) = (env.epoch, env.now);
    Some(match o {
        LiveObject::Service(s) => {
            let slices = env.world.endpoint_slices_for(&s.metadata.key());
            text(|w| service::describe(w, s, &slices, ev, now))
        }
        LiveObject::Pod(p) => text(|w| pod::describe(w, p, ev, epoch, now)),
        LiveObject::Deployment(d) => {
            let key = d.metadata.key();
            let rs: Vec<String> = env
                .world
                .replica_sets()
                .values()
                .filter(|r| r.metadata.namespace == key.namespace)
                .filter(|r| r.metadata.controller_of_kind("Deployment") == Some(&key.name))
                .map(|r| {
                    let served = crate::kubectl::served::replica_set(env.world, r);
                    format!(
                        "{} ({}/{} replicas created)",
                        r.metadata.name,
                        served.status.replicas,
                        r.spec.replicas.unwrap_or(1)
                    )
                })
                .collect();
            text(|w| deployment::describe(w, d, &rs, ev, epoch, now))
        }
        LiveObject::Node(n) => {
            let pods: Vec<&crate::objects::Pod> = env
                .world
                .pods()
                .values()
                .filter(|p| p.spec.node_name == n.metadata.name && !p.status.phase.is_terminal())
                .map(|p| &**p)
                .collect();
            text(|w| node::describe(w, n, &pods, ev, epoch, now))
        }
        LiveObject::EndpointSlice(s) => text(|w| slice::describe(w, s, ev, now)),
        _ => return None,
    })
}

/// The events about an object, when they are shown.
fn events_of(env: &Env, kind: &str, namespace: &str, name: &str) -> Option<Vec<Event>> {
    env.show_events
        .then(|| crate::kubectl::events::about(env.world, kind, namespace, name))
}

/// `kubectl describe`.
pub(crate) fn run(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    if p.args.is_empty() {
        return Err("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n".into());
    }
    let request = resource::parse_args(&p.args).map_err(|e| format!("error: {e}"))?;
    let ns = ctx.namespace(p);
    let all = p.bool("all-namespaces");
    let scope = if all {
        Where::All
    } else {
        Where::In(ns.clone())
    };
    let mut picked: Vec<LiveObject> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut prefixed_any = false;
    for (kind, names) in &request.items {
        if !matches!(
            kind,
            Kind::Service | Kind::Pod | Kind::Deployment | Kind::Node | Kind::EndpointSlice
        ) {
            return Err(format!(
                "error: describe of {} is not modelled by the playground's console (it describes services, pods, deployments, nodes and endpointslices)",
                kind.plural()
            ));
        }
        let sel = selector(p, Some(*kind))?;
        let listed = objects::list(ctx.world, *kind, &scope, sel.as_ref());
        if names.is_empty() {
            picked.extend(listed.iter().cloned());
        }
        for n in names {
            if let Some(o) = listed.iter().find(|o| &meta(o).name == n) {
                picked.push(o.clone());
                continue;
            }
            // `DescribeMatchingResources`: every object whose name starts with it.
            let prefixed: Vec<&LiveObject> = listed
                .iter()
                .filter(|o| meta(o).name.starts_with(n.as_str()))
                .collect();
            prefixed_any = true;
            if prefixed.is_empty() {
                errors.push(not_found(*kind, n));
            }
            picked.extend(prefixed.into_iter().cloned());
        }
    }
    // Events by default for one object found by its name; not for several, nor for a
    // prefix match.
    let show_events = if p.has("show-events") {
        p.bool("show-events")
    } else {
        picked.len() == 1 && !prefixed_any
    };
    let env = Env {
        world: ctx.world,
        epoch: ctx.epoch,
        now: ctx.world.now(),
        show_events,
    };
    let outputs: Vec<String> = picked
        .iter()
        .filter_map(|o| describe_one(&env, o))
        .collect();
    if outputs.is_empty() && errors.is_empty() {
        let note = if all {
            "No resources found\n".to_owned()
        } else {
            format!("No resources found in {ns} namespace.\n")
        };
        ctx.err.push_str(&note);
    }
    ctx.print(&outputs.join("\n\n"));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}
