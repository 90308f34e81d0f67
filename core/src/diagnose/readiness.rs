//! Cause 2: selected pods that are not Ready get no traffic; which probe fails, since
//! when, and what it checks.
//!
//! An endpoint is `ready` only when its pod's `Ready` condition is `True` (unless the
//! Service sets `publishNotReadyAddresses`); kube-proxy sends new connections only to
//! ready endpoints. Upstream: kubernetes/kubernetes@1c9cf914f2f951313b8e9f7c321f5bd50b5e3d9f
//! `pkg/controller/util/endpointslice/utils.go` `podToEndpoint` and
//! `pkg/api/v1/pod/util.go` `IsPodReady`.
//!
//! A dump says why through the pod's status (its `Ready` condition with its
//! `lastTransitionTime`, each container's state); a simulated pod through the kubelet's
//! words. For manifests the probe is also checked statically: a readiness probe aimed
//! at a port the app does not listen on (from its flags) never succeeds.
//! Simplification: exec probes and HTTP status codes cannot be checked statically.

use super::cluster::{Cluster, Source};
use super::finding::{Finding, ObjectRef, PODS_NOT_READY, Severity};
use super::listen::listens;
use crate::objects::{IntOrString, Pod, Probe, Service, ServiceType};

/// What a probe checks, in words: `httpGet :8080/healthz every 10s (3 failures)`.
pub fn describe(p: &Probe) -> String {
    let what = if let Some(h) = &p.http_get {
        let path = if h.path.is_empty() {
            "/"
        } else {
            h.path.as_str()
        };
        format!("httpGet :{}{path}", h.port)
    } else if let Some(t) = &p.tcp_socket {
        format!("tcpSocket :{}", t.port)
    } else if let Some(e) = &p.exec {
        format!("exec {:?}", e.command)
    } else if let Some(g) = &p.grpc {
        format!("grpc :{}", g.port)
    } else {
        "no handler".to_owned()
    };
    format!(
        "{what} every {}s, failing after {} failure(s)",
        p.period_seconds.max(1),
        p.failure_threshold.max(1)
    )
}

fn probe_port(pod: &Pod, p: &Probe) -> Option<i32> {
    let port = p
        .http_get
        .as_ref()
        .map(|h| &h.port)
        .or(p.tcp_socket.as_ref().map(|t| &t.port))?;
    match port {
        IntOrString::Int(n) => Some(*n),
        IntOrString::String(name) => pod
            .spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .find(|cp| &cp.name == name)
            .map(|cp| cp.container_port),
    }
}

/// Why a pod is not Ready, from its status (a dump) or the kubelet (the simulation).
fn why(c: &Cluster, pod: &Pod) -> String {
    let mut parts = Vec::new();
    for cs in &pod.status.container_statuses {
        if let Some(w) = &cs.state.waiting {
            parts.push(format!("container {} is waiting ({})", cs.name, w.reason));
        } else if cs.state.terminated.is_some() {
            parts.push(format!("container {} has terminated", cs.name));
        } else if !cs.ready {
            let probe = pod
                .spec
                .containers
                .iter()
                .find(|k| k.name == cs.name)
                .and_then(|k| k.readiness_probe.as_ref());
            parts.push(match probe {
                Some(p) => format!(
                    "container {}'s readiness probe fails ({})",
                    cs.name,
                    describe(p)
                ),
                None => format!("container {} is not ready", cs.name),
            });
        }
    }
    if parts.is_empty()
        && let Some(w) = c.not_ready.get(&pod.metadata.key())
    {
        let probe = pod
            .spec
            .containers
            .iter()
            .find_map(|k| k.readiness_probe.as_ref());
        parts.push(match probe {
            Some(p) => format!("{w} ({})", describe(p)),
            None => w.clone(),
        });
    }
    let cond = pod
        .status
        .conditions
        .iter()
        .find(|k| k.type_ == "Ready" && k.status != "True");
    if let Some(since) = cond.and_then(|k| k.last_transition_time) {
        parts.push(format!("not Ready since {}", c.time(since)));
    } else if let Some(start) = pod.status.start_time {
        parts.push(format!("started {}", c.time(start)));
    }
    if parts.is_empty() {
        parts.push(format!("phase {}", pod.status.phase));
    }
    parts.join(", ")
}

/// A readiness probe that cannot succeed: it checks a port the app does not listen on.
fn doomed_probe(c: &Cluster, pod: &Pod) -> Option<String> {
    let raw = c.containers_of(pod)?;
    for k in &pod.spec.containers {
        let Some(probe) = &k.readiness_probe else {
            continue;
        };
        let Some(port) = probe_port(pod, probe) else {
            continue;
        };
        let rc = raw.iter().find(|r| r.name == k.name)?;
        let heard: Vec<_> = listens(rc)
            .into_iter()
            .filter(|l| l.certain && l.port != 0)
            .collect();
        if let Some(l) = heard.first()
            && !heard.iter().any(|l| l.port == port)
        {
            return Some(format!(
                "container {}'s readiness probe ({}) checks port {port}, but the app listens on {} ({}), so it never succeeds",
                k.name,
                describe(probe),
                l.port,
                l.source
            ));
        }
    }
    None
}

/// Cause 2 for one Service.
pub fn check(c: &Cluster, svc: &Service, out: &mut Vec<Finding>) {
    if svc.spec.type_ == ServiceType::ExternalName || svc.spec.publish_not_ready_addresses {
        return;
    }
    let pods: Vec<&Pod> = c
        .selected(svc)
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .collect();
    if pods.is_empty() {
        return;
    }
    let mut bad: Vec<(&Pod, String)> = Vec::new();
    for p in &pods {
        let doomed = if c.source == Source::Simulated {
            doomed_probe(c, p)
        } else {
            None
        };
        match (p.status.ready, doomed) {
            (_, Some(d)) => bad.push((p, d)),
            (false, None) => bad.push((p, why(c, p))),
            (true, None) => {}
        }
    }
    let Some((_, reason)) = bad.first() else {
        return;
    };
    let n = pods.len();
    let names: Vec<&str> = bad
        .iter()
        .take(3)
        .map(|(p, _)| p.metadata.name.as_str())
        .collect();
    let all = bad.len() == n;
    let who = match (n, bad.len()) {
        (1, _) => "the one selected pod is".to_owned(),
        (n, 1) => format!("1 of {n} selected pods is"),
        (n, b) => format!("{b} of {n} selected pods are"),
    };
    let message = format!(
        "{who} not Ready ({}{}): {reason}; the Service sends {} no traffic{}",
        names.join(", "),
        if bad.len() > 3 { ", …" } else { "" },
        if bad.len() == 1 { "it" } else { "them" },
        if all {
            ", so it has no ready endpoint"
        } else {
            ""
        },
    );
    out.push(
        Finding::new(
            PODS_NOT_READY,
            if all { Severity::Error } else { Severity::Warning },
            ObjectRef::new("Service", &svc.metadata.namespace, &svc.metadata.name),
            "spec.selector",
        )
        .message(message)
        .fix("make the readiness probe check what the app serves (its port and path), or fix the app so the probe succeeds; kubectl describe pod shows the probe's last failure"),
    );
}
