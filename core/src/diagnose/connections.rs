//! Cause 10: long-lived connections not rebalanced after a scale-up. kube-proxy picks
//! a backend when a connection opens (conntrack then pins every packet of it to that
//! pod), so a client that keeps its connections open — gRPC, HTTP/2, an HTTP/1.1
//! keep-alive pool — sends each request to the pod its connection first reached. Pods
//! added later get none of its traffic until it reconnects (kubernetes/kubernetes
//! #38456, #66970, #101887). Upstream: kubernetes/kubernetes@1c9cf914f2f951313b8e9f7c321f5bd50b5e3d9f
//! `pkg/proxy/iptables/proxier.go` (the `KUBE-SEP` choice is made in the `nat`
//! table, which only sees a connection's first packet).
//!
//! - In a world that ran (the page's, [`check_world`](super::check_world)): the Service's
//!   ready pods that none of a keep-alive client's open connections reach while every
//!   connection it opens (`-c`) is open and pinned to other pods: a warning, since those
//!   pods really get none of that client's requests.
//! - On manifests ([`check_text`](super::check_text)): a keep-alive client with fewer
//!   connections than the workload behind its Service has replicas, or whose workload a
//!   `HorizontalPodAutoscaler` scales: a note.
//!
//! Simplification: the manifest rule is a heuristic from flags and replica counts — a
//! client that balances by itself (gRPC's `round_robin` over a headless Service) or a
//! server that ages connections out is not recognised from flags, so it is a note, not
//! a warning. A live dump holds no connections: the rule does not run on one.

use std::collections::BTreeSet;

use super::cluster::{ClientConns, Cluster};
use super::finding::{CONNECTIONS_NOT_REBALANCED, Finding, ObjectRef, Severity};
use crate::objects::{NamespacedName, Service};

/// The fix, the same on manifests and on a running world.
const FIX: &str = "balance on the client over a headless Service (gRPC's round_robin over the pods' DNS records), have the server close connections after a maximum age (gRPC MaxConnectionAge) so clients reconnect, or open more connections than there will be pods";

/// Cause 10 for one Service.
pub fn check(c: &Cluster, svc: &Service, out: &mut Vec<Finding>) {
    let key = svc.metadata.key();
    let clients = c
        .clients
        .iter()
        .filter(|cl| cl.load.keepalive && cl.service.as_ref() == Some(&key));
    for cl in clients {
        let found = if c.from_manifests {
            on_manifests(c, svc, cl)
        } else {
            in_world(c, svc, cl)
        };
        out.extend(found);
    }
}

fn obj(svc: &Service) -> ObjectRef {
    ObjectRef::new("Service", &svc.metadata.namespace, &svc.metadata.name)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The world's real state: pods no connection of this client reaches.
fn in_world(c: &Cluster, svc: &Service, cl: &ClientConns) -> Option<Finding> {
    let slots = usize::try_from(cl.load.connections.max(1)).unwrap_or(usize::MAX);
    if cl.open.is_empty() || cl.open.len() < slots {
        return None;
    }
    let pinned: BTreeSet<&NamespacedName> = cl.open.iter().collect();
    let ready: Vec<NamespacedName> = c
        .selected(svc)
        .into_iter()
        .filter(|p| p.status.ready)
        .map(|p| p.metadata.key())
        .collect();
    let idle: Vec<&str> = ready
        .iter()
        .filter(|p| !pinned.contains(p))
        .map(|p| p.name.as_str())
        .collect();
    if idle.is_empty() {
        return None;
    }
    let to: Vec<&str> = pinned.iter().map(|p| p.name.as_str()).collect();
    Some(
        Finding::new(CONNECTIONS_NOT_REBALANCED, Severity::Warning, obj(svc), "spec.selector")
            .message(format!(
                "{} of {}'s {} ready pods ({}) get no requests from client {}: its {} ({}) {} pinned to {} and kube-proxy only balances new connections",
                idle.len(),
                svc.metadata.name,
                ready.len(),
                idle.join(", "),
                cl.name,
                plural(cl.open.len(), "long-lived connection", "long-lived connections"),
                cl.load.protocol.as_str(),
                if cl.open.len() == 1 { "is" } else { "are" },
                to.join(", "),
            ))
            .fix(FIX),
    )
}

/// Manifests: fewer connections than replicas, or an autoscaler.
fn on_manifests(c: &Cluster, svc: &Service, cl: &ClientConns) -> Option<Finding> {
    let ns = &svc.metadata.namespace;
    let mut replicas = 0i64;
    let mut max = None::<i64>;
    let mut workloads = BTreeSet::new();
    for pod in c.selected(svc) {
        let (kind, name) = c.origin_of(pod);
        workloads.insert((kind, name));
    }
    for (kind, name) in &workloads {
        replicas += match kind.as_str() {
            "Deployment" => c
                .deployments
                .get(&NamespacedName::new(ns, name))
                .map_or(1, |d| i64::from(d.spec.replicas.unwrap_or(1))),
            _ => 1,
        };
        let hpa = c
            .raw
            .autoscalers
            .iter()
            .filter(|a| &a.namespace == ns && &a.target_kind == kind && &a.target_name == name);
        for a in hpa {
            max = Some(max.unwrap_or(0).max(a.max_replicas));
        }
    }
    let conns = i64::from(cl.load.connections.max(1));
    let scaled = max.is_some_and(|m| m > conns);
    if replicas <= conns && !scaled {
        return None;
    }
    let runs = match max {
        Some(m) => format!(
            "{} (a HorizontalPodAutoscaler scales it up to {m})",
            plural(
                usize::try_from(replicas).unwrap_or(0),
                "replica",
                "replicas"
            )
        ),
        None => plural(
            usize::try_from(replicas).unwrap_or(0),
            "replica",
            "replicas",
        ),
    };
    Some(
        Finding::new(CONNECTIONS_NOT_REBALANCED, Severity::Note, obj(svc), "spec.selector")
            .message(format!(
                "client {} keeps {} open to {} ({}, {}), which runs {runs}: each connection stays on the pod it first reached, so pods added by a scale-up get no requests from it until it reconnects",
                cl.name,
                plural(usize::try_from(conns).unwrap_or(0), "connection", "connections"),
                svc.metadata.name,
                cl.load.tool.as_str(),
                cl.load.protocol.as_str(),
            ))
            .fix(FIX),
    )
}
