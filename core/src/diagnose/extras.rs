//! The next causes users meet: session affinity pinning clients across a rollout, a
//! Service with a single endpoint, and cause 5's second half: a client using a
//! Service's short name from another namespace.
//!
//! - `sessionAffinity: ClientIP` keeps sending a client to the endpoint it first got
//!   for `timeoutSeconds` (default 10800).
//!   Upstream: kubernetes/kubernetes@1c9cf914f2f951313b8e9f7c321f5bd50b5e3d9f
//!   `pkg/apis/core/v1/defaults.go` (`DefaultClientIPServiceAffinitySeconds`).
//! - A short name `web` is looked up with the pod's search list, which starts with
//!   `<its namespace>.svc.cluster.local`. Upstream: kubernetes/kubernetes@same commit
//!   `pkg/kubelet/network/dns/dns.go` `generateSearchesForDNSClusterFirst`.
//!
//! Simplification: a client is any container whose `env` value or argument holds a URL
//! (`http://web:8080/…`) or a `host:port` whose host is a Service's name; a name
//! resolved some other way (a config file) is not seen.

use std::collections::BTreeSet;

use super::cluster::Cluster;
use super::finding::{
    CLIENT_NAMESPACE_MISMATCH, Finding, ObjectRef, SESSION_AFFINITY_PINNING, SINGLE_ENDPOINT,
    Severity,
};
use crate::objects::{Service, ServiceType, SessionAffinity};

/// Affinity and single-endpoint notes for one Service.
pub fn check(c: &Cluster, svc: &Service, out: &mut Vec<Finding>) {
    if svc.spec.type_ == ServiceType::ExternalName {
        return;
    }
    let obj = ObjectRef::new("Service", &svc.metadata.namespace, &svc.metadata.name);
    if svc.spec.session_affinity == SessionAffinity::ClientIp {
        let secs = svc
            .spec
            .session_affinity_config
            .as_ref()
            .and_then(|s| s.client_ip.as_ref())
            .and_then(|s| s.timeout_seconds)
            .unwrap_or(10800);
        out.push(
            Finding::new(SESSION_AFFINITY_PINNING, Severity::Note, obj.clone(), "spec.sessionAffinity")
                .message(format!(
                    "sessionAffinity: ClientIP pins each client to the pod it first reached for {secs}s: after a rollout or a scale-up, existing clients stay where they are and new pods get only new clients"
                ))
                .fix("lower sessionAffinityConfig.clientIP.timeoutSeconds, or drop session affinity if the app keeps no per-client state"),
        );
    }
    let selected = c.selected(svc);
    if selected.len() == 1 {
        out.push(
            Finding::new(SINGLE_ENDPOINT, Severity::Note, obj, "spec.selector")
                .message(format!(
                    "only one pod ({}) backs {}: while it restarts or is replaced, the Service has no ready endpoint",
                    selected[0].metadata.name, svc.metadata.name
                ))
                .fix("run at least two replicas (and a PodDisruptionBudget) so one can go while the other answers"),
        );
    }
}

/// Hosts named by a string: URLs' hosts and `host:port`.
fn hosts(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in v.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '=') {
        let rest = match w.split_once("://") {
            Some((_, r)) => r,
            None if w.contains(':') => w,
            None => continue,
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or(host);
        let (h, port) = host.split_once(':').unwrap_or((host, "0"));
        if !h.is_empty() && (port.is_empty() || port.chars().all(|c| c.is_ascii_digit())) {
            out.push(h.to_owned());
        }
    }
    out
}

/// Cause 5's client half, over every object with containers.
pub fn clients(c: &Cluster, out: &mut Vec<Finding>) {
    let names: BTreeSet<(&str, &str)> = c
        .services
        .keys()
        .map(|k| (k.namespace.as_str(), k.name.as_str()))
        .collect();
    for ((kind, ns, name), containers) in &c.raw.containers {
        let prefix = if kind == "Pod" {
            "spec"
        } else if kind == "CronJob" {
            "spec.jobTemplate.spec.template.spec"
        } else {
            "spec.template.spec"
        };
        for (i, rc) in containers.iter().enumerate() {
            let values = rc.env.iter().map(|(k, v)| (format!("env {k}"), v)).chain(
                rc.args
                    .iter()
                    .chain(&rc.command)
                    .map(|a| ("args".to_owned(), a)),
            );
            let mut seen = BTreeSet::new();
            for (where_, v) in values {
                for h in hosts(v) {
                    if h.contains('.')
                        || names.contains(&(ns.as_str(), h.as_str()))
                        || !seen.insert(h.clone())
                    {
                        continue;
                    }
                    let elsewhere: Vec<&str> = names
                        .iter()
                        .filter(|(n, s)| *s == h && n != ns)
                        .map(|(n, _)| *n)
                        .collect();
                    let Some(first) = elsewhere.first() else {
                        continue;
                    };
                    out.push(
                        Finding::new(CLIENT_NAMESPACE_MISMATCH, Severity::Error, ObjectRef::new(kind, ns, name), &format!("{prefix}.containers[{i}]"))
                            .message(format!(
                                "container {} ({where_}) uses the short name {h}, which resolves in the client's own namespace {ns}, where no Service {h} exists; Service {h} is in namespace {}",
                                rc.name,
                                elsewhere.join(", ")
                            ))
                            .fix(format!("use {h}.{first} (or {h}.{first}.svc.cluster.local), or move the client or the Service so they share a namespace")),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::hosts;

    #[test]
    fn hosts_from_urls_and_host_ports() {
        assert_eq!(hosts("http://web:8080/api"), ["web"]);
        assert_eq!(hosts("--backend=web.shop:80"), ["web.shop"]);
        assert_eq!(
            hosts("productcatalogservice:3550"),
            ["productcatalogservice"]
        );
        assert!(hosts("hello world").is_empty());
        assert!(hosts("127.0.0.1:notaport").is_empty());
    }
}
