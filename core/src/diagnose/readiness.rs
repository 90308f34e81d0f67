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
//!
//! A pod that is still starting is not a failure: `kubectl get pods` shows it
//! `ContainerCreating` or `Running` `0/1`, and the kubelet records no `Unhealthy` event
//! until a probe has failed. In the simulation a not-Ready pod is left out while it is
//! within its startup: no container is waiting for another reason (`CrashLoopBackOff`,
//! `ErrImagePull`…) or has terminated, and it has been not Ready for less than its
//! readiness probe's `initialDelaySeconds + failureThreshold × periodSeconds` (the time
//! the kubelet takes to give up on a probe that never succeeds; 0 without a probe),
//! counted from its start (`status.startTime`), or from its creation while it has not
//! started. Past that it is reported, with the probe's words. Upstream:
//! kubernetes/kubernetes@1c9cf914f2f951313b8e9f7c321f5bd50b5e3d9f
//! `pkg/kubelet/prober/worker.go` (no result before `initialDelaySeconds`; a result
//! changes after `failureThreshold` failures, `periodSeconds` apart).
//! Simplification: a dump has no clock of its own (its "now" is its latest condition
//! change), so every not-Ready pod of a dump is reported, as before.

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

/// How long (ms) a pod may stay not Ready while it starts: its readiness probes'
/// longest `initialDelaySeconds + failureThreshold × periodSeconds` (at least one
/// failure and one second each, as the kubelet reads zeros), 0 without a probe.
pub fn startup_allowance_millis(pod: &Pod) -> u64 {
    pod.spec
        .containers
        .iter()
        .filter_map(|k| k.readiness_probe.as_ref())
        .map(|p| {
            let secs = u64::from(p.initial_delay_seconds)
                + u64::from(p.failure_threshold.max(1)) * u64::from(p.period_seconds.max(1));
            secs * 1_000
        })
        .max()
        .unwrap_or(0)
}

/// Whether a not-Ready simulated pod is still starting (see the module's note).
fn starting(c: &Cluster, pod: &Pod) -> bool {
    let failed = pod.status.container_statuses.iter().any(|cs| {
        cs.state.terminated.is_some()
            || cs.state.waiting.as_ref().is_some_and(|w| {
                !matches!(
                    w.reason.as_str(),
                    "" | "ContainerCreating" | "PodInitializing"
                )
            })
    });
    let Some(since) = pod.status.start_time.or(pod.metadata.creation_timestamp) else {
        return false;
    };
    !failed && c.now.0.saturating_sub(since.0) < startup_allowance_millis(pod)
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
            (false, None) if c.source == Source::Simulated && starting(c, p) => {}
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use super::super::finding::PODS_NOT_READY;
    use crate::diagnose::{RawScan, Settings, check_world};
    use crate::objects::NamespacedName;
    use crate::scenario::{DEFAULT_SEED, default_world};
    use crate::world::Command;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn not_ready_findings(w: &crate::World) -> Vec<String> {
        check_world(w, Arc::new(RawScan::default()), Settings::default())
            .into_iter()
            .filter(|f| f.rule == PODS_NOT_READY)
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn starting_pods_are_not_reported_a_probe_that_keeps_failing_is() {
        let mut w = default_world(DEFAULT_SEED);
        // Pods being created (the first second): not Ready, not a failure.
        w.step(1_000);
        let pending = w.pods().values().filter(|p| !p.status.ready).count();
        assert!(pending > 0, "the scenario starts with pods not Ready yet");
        assert_eq!(not_ready_findings(&w), Vec::<String>::new());
        // Started and Ready.
        w.step(4_000);
        assert_eq!(not_ready_findings(&w), Vec::<String>::new());
        // A Ready pod whose probe then fails three times, 10 s apart: reported.
        let prod = NamespacedName::default_ns("prod");
        let pod = w.pods_of_deployment(&prod)[0].metadata.key();
        w.apply(Command::BreakPod { pod: pod.clone() }).unwrap();
        w.step(40_000);
        assert!(!w.pod(&pod).unwrap().status.ready);
        let found = not_ready_findings(&w);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains(&pod.name), "{}", found[0]);
    }

    #[test]
    fn the_startup_allowance_is_the_probes_delay_and_failures() {
        let w = default_world(DEFAULT_SEED);
        let prod = NamespacedName::default_ns("prod");
        let pod = w.pods_of_deployment(&prod)[0];
        let probe = pod.spec.containers[0].readiness_probe.as_ref().unwrap();
        let want = u64::from(probe.initial_delay_seconds)
            + u64::from(probe.failure_threshold) * u64::from(probe.period_seconds);
        assert_eq!(super::startup_allowance_millis(pod), want * 1_000);
        let mut bare = pod.clone();
        bare.spec.containers[0].readiness_probe = None;
        assert_eq!(super::startup_allowance_millis(&bare), 0);
    }
}
