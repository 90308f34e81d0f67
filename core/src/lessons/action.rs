//! What "show me" (and a lesson's other path) does: a list of lines, each either a
//! console line (`kubectl …`, `sleep …`, run by the core's console exactly as if typed)
//! or one of the page's own controls written as words, which become the same
//! [`Command`] the control sends:
//!
//! | words | the control | command |
//! |---|---|---|
//! | `break pod NAME` | ⚡ on a pod card | `BreakPod` |
//! | `heal pod NAME` | heal on a pod card | `HealPod` |
//! | `scale deployment NAME to N` | the Workloads panel's replicas box | `ScaleDeployment` |
//! | `set type of service NAME to TYPE` | the Service card's type menu | `SetServiceType` |
//! | `add load-balancer address IP` | (the simulated cloud) | `AddLoadBalancerAddresses` |
//! | `set connections of client NAME to SERVICE to N` | a client card's connections box (`-c`) | `EditClient` |
//! | `set keep-alive of client NAME to SERVICE to on\|off` | a client card's keep-alive menu | `EditClient` |
//!
//! A line may name a pod as `{pod:DEPLOYMENT}`: the first (by name) of the
//! Deployment's pods that is not being deleted, or `{broken_pod:DEPLOYMENT}`: the first
//! whose app is broken (else the first live one), looked up when the line runs.

use crate::World;
use crate::apps::LoadEdit;
use crate::objects::{NamespacedName, ServiceType};
use crate::world::Command;

/// One resolved line of "show me".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A console line, placeholders filled in.
    Line(String),
    /// One of the page's controls, as its command.
    Command(Command),
}

/// Fills in `{pod:…}` and `{broken_pod:…}` placeholders; an error names the
/// placeholder.
pub fn fill(line: &str, world: &World) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(format!("unclosed placeholder in {line:?}"));
        };
        let inner = &after[..end];
        let (broken, deployment) = match inner.split_once(':') {
            Some(("pod", d)) => (false, d),
            Some(("broken_pod", d)) => (true, d),
            // Not a placeholder (a JSON patch's braces): kept as written.
            _ => {
                out.push('{');
                rest = after;
                continue;
            }
        };
        let live: Vec<_> = world
            .pods_of_deployment(&NamespacedName::default_ns(deployment))
            .into_iter()
            .filter(|p| !p.metadata.is_terminating())
            .collect();
        let key =
            |p: &crate::objects::Pod| NamespacedName::new(&p.metadata.namespace, &p.metadata.name);
        let pick = live
            .iter()
            .find(|p| broken && world.is_app_healthy(&key(p)) == Some(false))
            .or(live.first())
            .ok_or_else(|| format!("{{{inner}}}: the Deployment has no live pod"))?;
        out.push_str(&pick.metadata.name);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Whether a line is one the lesson runner knows (a console line, or the page's words);
/// checked when lessons are validated, before any world exists.
pub fn known(line: &str) -> Result<(), String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["kubectl", ..] | ["sleep", _] => Ok(()),
        ["break" | "heal", "pod", _]
        | ["scale", "deployment", _, "to", _]
        | ["set", "type", "of", "service", _, "to", _]
        | ["add", "load-balancer", "address", _]
        | [
            "set",
            "connections" | "keep-alive",
            "of",
            "client",
            _,
            "to",
            _,
            "to",
            _,
        ] => Ok(()),
        _ => Err(format!("unknown show-me line {line:?}")),
    }
}

/// Resolves a line against the world as it is now.
pub fn resolve(line: &str, world: &World) -> Result<Action, String> {
    known(line)?;
    let line = fill(line, world)?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let key = NamespacedName::default_ns;
    let command = match words.as_slice() {
        ["break", "pod", pod] => Command::BreakPod { pod: key(pod) },
        ["heal", "pod", pod] => Command::HealPod { pod: key(pod) },
        ["scale", "deployment", d, "to", n] => Command::ScaleDeployment {
            deployment: key(d),
            replicas: n
                .parse()
                .map_err(|_| format!("{n:?} is not a number of replicas"))?,
        },
        ["set", "type", "of", "service", s, "to", t] => Command::SetServiceType {
            service: key(s),
            service_type: ServiceType::parse(t),
        },
        ["add", "load-balancer", "address", ip] => Command::AddLoadBalancerAddresses {
            ips: vec![
                ip.parse()
                    .map_err(|_| format!("{ip:?} is not an IP address"))?,
            ],
        },
        ["set", "connections", "of", "client", c, "to", s, "to", n] => Command::EditClient {
            client: (*c).to_owned(),
            service: super::predicate::key(s),
            edit: LoadEdit {
                connections: Some(
                    n.parse()
                        .map_err(|_| format!("{n:?} is not a number of connections"))?,
                ),
                ..LoadEdit::default()
            },
        },
        ["set", "keep-alive", "of", "client", c, "to", s, "to", on] => Command::EditClient {
            client: (*c).to_owned(),
            service: super::predicate::key(s),
            edit: LoadEdit {
                keepalive: Some(match *on {
                    "on" => true,
                    "off" => false,
                    _ => return Err(format!("keep-alive is on or off, not {on:?}")),
                }),
                ..LoadEdit::default()
            },
        },
        _ => return Ok(Action::Line(line)),
    };
    Ok(Action::Command(command))
}
