//! Causes 3, 4 and 6: the Service's `targetPort` against what the pods declare and
//! where their apps listen.
//!
//! A numeric `targetPort` is used as is; a name is looked up in the pod's container
//! ports with the same protocol, and a pod without it gets no endpoint port (kube-proxy
//! then has no backend for that Service port).
//! Upstream: kubernetes/kubernetes@1c9cf914f2f951313b8e9f7c321f5bd50b5e3d9f
//! `pkg/api/v1/pod/util.go` `FindPort`, `pkg/controller/util/endpointslice/utils.go`
//! `getEndpointPorts` (ported in `controllers/endpointslice/rules.rs`).
//!
//! The app's listen address comes from its flags ([`super::listen`]); when they say
//! nothing, the declared `containerPort`s are the fallback (a warning: `containerPort` is
//! informational, an app may listen on a port it does not declare).
//! Simplification: a pod whose containers listen on several ports is fine when any of
//! them is the target port; sidecars' ports count like the app's.

use std::collections::BTreeMap;

use super::cluster::Cluster;
use super::finding::{
    Finding, LOOPBACK_ONLY, NAMED_PORT_NOT_FOUND, ObjectRef, PROTOCOL_MISMATCH, Rule, Severity,
    TARGET_PORT_NOT_LISTENING,
};
use super::listen::{Listen, image_name, listens};
use crate::controllers::endpointslice::rules::find_port;
use crate::objects::{IntOrString, Pod, Protocol, Service, ServicePort, ServiceType};

/// What one pod says about one Service port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    Fine,
    NamedMissing(String),
    NotListening {
        p: i32,
        certain: bool,
        what: String,
        to: i32,
    },
    Loopback {
        p: i32,
        what: String,
    },
    Protocol {
        p: i32,
        want: String,
        what: String,
    },
}

fn declared(pod: &Pod) -> Vec<String> {
    pod.spec
        .containers
        .iter()
        .flat_map(|c| c.ports.iter())
        .map(|p| {
            let proto = p
                .protocol
                .effective()
                .map_or("?".to_owned(), |x| x.to_string());
            if p.name.is_empty() {
                format!("{}/{proto}", p.container_port)
            } else {
                format!("{}={}/{proto}", p.name, p.container_port)
            }
        })
        .collect()
}

fn verdict(c: &Cluster, pod: &Pod, sp: &ServicePort) -> Verdict {
    let Some(p) = find_port(pod, sp) else {
        let d = declared(pod);
        return Verdict::NamedMissing(if d.is_empty() {
            "no ports".into()
        } else {
            d.join(", ")
        });
    };
    let proto = sp.protocol.effective().unwrap_or(Protocol::Tcp);
    let mut heard: Vec<(String, Listen)> = Vec::new();
    for rc in c.containers_of(pod).unwrap_or_default() {
        for l in listens(rc) {
            let who = format!("container {} ({})", rc.name, image_name(&rc.image));
            heard.push((who, l));
        }
    }
    if let Some((who, l)) = heard.iter().find(|(_, l)| l.port == 0 && l.loopback()) {
        return Verdict::Loopback {
            p,
            what: format!("{who} binds {} ({})", l.host, l.source),
        };
    }
    let heard: Vec<&(String, Listen)> = heard.iter().filter(|(_, l)| l.port != 0).collect();
    // A convention (an unknown app's `--port`) does not say the app listens nowhere
    // else: a declared containerPort, or the number in another flag, counts too.
    let uncertain = heard.iter().all(|(_, l)| !l.certain);
    let declared_p = pod
        .spec
        .containers
        .iter()
        .flat_map(|k| k.ports.iter())
        .any(|cp| cp.container_port == p && cp.protocol.effective().as_ref() == Some(&proto));
    let in_flags = c.containers_of(pod).unwrap_or_default().iter().any(|rc| {
        rc.command.iter().chain(&rc.args).any(|a| {
            a.split(|ch: char| ch == '=' || ch == ':' || ch.is_whitespace())
                .any(|w| w == p.to_string())
        })
    });
    if !heard.is_empty() && uncertain && (declared_p || in_flags) {
        return Verdict::Fine;
    }
    if !heard.is_empty() {
        let on: Vec<&&(String, Listen)> = heard
            .iter()
            .filter(|(_, l)| l.port == p && l.protocol == proto)
            .collect();
        if let Some((who, l)) = on.first() {
            if on.iter().all(|(_, l)| l.loopback()) {
                return Verdict::Loopback {
                    p,
                    what: format!("{who} listens on {} only ({})", l.address(), l.source),
                };
            }
            return Verdict::Fine;
        }
        if let Some((who, l)) = heard.iter().find(|(_, l)| l.port == p) {
            return Verdict::Protocol {
                p,
                want: proto.to_string(),
                what: format!("{who} listens on {p}/{} only ({})", l.protocol, l.source),
            };
        }
        let first = heard
            .iter()
            .find(|(_, l)| l.protocol == proto)
            .or(heard.first());
        if let Some((who, l)) = first {
            return Verdict::NotListening {
                p,
                certain: l.certain,
                what: format!("{who} listens on {} ({})", l.port, l.source),
                to: l.port,
            };
        }
    }
    // Fallback: the declared container ports.
    let ports: Vec<(i32, Protocol)> = pod
        .spec
        .containers
        .iter()
        .flat_map(|c| c.ports.iter())
        .map(|cp| {
            (
                cp.container_port,
                cp.protocol.effective().unwrap_or(Protocol::Tcp),
            )
        })
        .collect();
    if ports.is_empty() || ports.iter().any(|(n, pr)| *n == p && *pr == proto) {
        return Verdict::Fine;
    }
    if let Some((_, pr)) = ports.iter().find(|(n, _)| *n == p) {
        return Verdict::Protocol {
            p,
            want: proto.to_string(),
            what: format!("containerPort {p} is declared as {pr} only"),
        };
    }
    let d = declared(pod).join(", ");
    Verdict::NotListening {
        p,
        certain: false,
        what: format!("it matches no containerPort of the pods (they declare {d})"),
        to: ports.first().map_or(0, |x| x.0),
    }
}

/// Findings of causes 3, 4 (named port, protocol) and 6 for one Service.
pub fn check(c: &Cluster, svc: &Service, out: &mut Vec<Finding>) {
    if svc.spec.type_ == ServiceType::ExternalName {
        return;
    }
    let pods = c.selected(svc);
    if pods.is_empty() {
        return;
    }
    let ns = &svc.metadata.namespace;
    for (i, sp) in svc.spec.ports.iter().enumerate() {
        let mut by: BTreeMap<Verdict, Vec<&str>> = BTreeMap::new();
        for pod in &pods {
            by.entry(verdict(c, pod, sp))
                .or_default()
                .push(&pod.metadata.name);
        }
        let n = pods.len();
        for (v, names) in by {
            let some = if n == 1 {
                "the selected pod".to_owned()
            } else if names.len() == n {
                format!("the {n} selected pods")
            } else {
                format!(
                    "{} of {n} selected pods ({})",
                    names.len(),
                    names.iter().take(3).copied().collect::<Vec<_>>().join(", ")
                )
            };
            let sev = |certain: bool| match (names.len() == n, certain) {
                (true, true) => Severity::Error,
                _ => Severity::Warning,
            };
            let port_name = if sp.name.is_empty() {
                sp.port.to_string()
            } else {
                sp.name.clone()
            };
            let obj = ObjectRef::new("Service", ns, &svc.metadata.name);
            let f = |rule: Rule, s: Severity, field: &str| {
                Finding::new(rule, s, obj.clone(), &format!("spec.ports[{i}].{field}"))
            };
            let found = match v {
                Verdict::Fine => continue,
                Verdict::NamedMissing(decl) => {
                    let IntOrString::String(name) = &sp.target_port else { continue };
                    f(NAMED_PORT_NOT_FOUND, sev(true), "targetPort")
                        .message(format!(
                            "targetPort {name:?} of port {port_name} names no container port of {some} (they declare {decl}), so their endpoints lack this port and connections to it are refused"
                        ))
                        .fix(format!("name the container port {name:?} (containers[].ports[].name), or set spec.ports[{i}].targetPort to a declared name or number"))
                }
                Verdict::NotListening { p, certain, what, to } => f(TARGET_PORT_NOT_LISTENING, sev(certain), "targetPort")
                    .message(format!(
                        "targetPort {p} of port {port_name} is not the port the app listens on in {some}: {what}, so the endpoints exist but connections to them are refused"
                    ))
                    .fix(format!("set spec.ports[{i}].targetPort: {to}, or make the app listen on {p}")),
                Verdict::Loopback { p, what } => f(LOOPBACK_ONLY, sev(true), "targetPort")
                    .message(format!(
                        "the app listens on the loopback address only in {some}: {what}, so the endpoints exist but connections from other pods and nodes to port {p} are refused"
                    ))
                    .fix(format!("make the app listen on all addresses (0.0.0.0:{p} or :{p}), not on 127.0.0.1 or localhost")),
                Verdict::Protocol { p, want, what } => f(PROTOCOL_MISMATCH, Severity::Warning, "protocol")
                    .message(format!(
                        "port {port_name} is {want} but in {some} {what}, so {want} traffic to port {p} gets no answer"
                    ))
                    .fix(format!("set spec.ports[{i}].protocol to the app's protocol, or add a Service port for each protocol the app serves")),
            };
            out.push(found);
        }
    }
}
