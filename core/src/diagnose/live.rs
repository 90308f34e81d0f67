//! Where a live cluster's dump contradicts itself: an EndpointSlice listing a pod that
//! is not Ready as ready, at an address the pod does not have, or a pod the dump does
//! not hold; a Service whose selector matches pods but has no slice.
//!
//! The EndpointSlice controller writes `ready` from the pod's `Ready` condition and the
//! address from `status.podIPs`. Upstream: kubernetes/kubernetes@1c9cf914f2f951313b8e9f7c321f5bd50b5e3d9f
//! `pkg/controller/util/endpointslice/utils.go` `podToEndpoint`.
//! A contradiction means the dump was taken mid-update (the objects are listed one kind
//! after another), or something else wrote the slice.

use std::collections::BTreeSet;

use super::cluster::Cluster;
use super::finding::{DUMP_CONTRADICTION, Finding, ObjectRef, Severity};
use crate::objects::NamespacedName;

/// Contradictions in a dump.
pub fn check(c: &Cluster, out: &mut Vec<Finding>) {
    let pod_namespaces: BTreeSet<&str> = c.pods.keys().map(|k| k.namespace.as_str()).collect();
    for s in &c.slices {
        let ns = &s.metadata.namespace;
        for (i, e) in s.endpoints.iter().enumerate() {
            let Some(r) = e.target_ref.as_ref().filter(|r| r.kind == "Pod") else {
                continue;
            };
            let obj = ObjectRef::new("EndpointSlice", ns, &s.metadata.name);
            let field = format!("endpoints[{i}]");
            let key = NamespacedName::new(
                if r.namespace.is_empty() {
                    ns
                } else {
                    &r.namespace
                },
                &r.name,
            );
            let Some(pod) = c.pods.get(&key) else {
                if pod_namespaces.contains(key.namespace.as_str()) {
                    out.push(
                        Finding::new(DUMP_CONTRADICTION, Severity::Warning, obj, &field)
                            .message(format!("EndpointSlice {} lists pod {} ({}), which the dump does not hold", s.metadata.name, r.name, e.address()))
                            .fix("take the dump again (kubectl get pods,svc,endpointslices,nodes -A -o yaml); a pod deleted mid-dump leaves this"),
                    );
                }
                continue;
            };
            if e.conditions.ready && !pod.status.ready {
                out.push(
                    Finding::new(DUMP_CONTRADICTION, Severity::Warning, obj.clone(), &format!("{field}.conditions.ready"))
                        .message(format!(
                            "EndpointSlice {} lists pod {} as ready, but the pod's Ready condition is not True: the dump was taken mid-update, or something other than the EndpointSlice controller wrote the slice",
                            s.metadata.name, r.name
                        ))
                        .fix("take the dump again; if it persists, look for another writer of the slice (its endpointslice.kubernetes.io/managed-by label)"),
                );
            }
            let ips: Vec<&str> = std::iter::once(pod.status.pod_ip.as_str())
                .chain(pod.status.pod_ips.iter().map(|p| p.ip.as_str()))
                .filter(|x| !x.is_empty())
                .collect();
            if !ips.is_empty() && !e.addresses.iter().any(|a| ips.contains(&a.as_str())) {
                out.push(
                    Finding::new(DUMP_CONTRADICTION, Severity::Warning, obj, &format!("{field}.addresses"))
                        .message(format!(
                            "EndpointSlice {} gives pod {} the address {}, but the pod's IP is {}",
                            s.metadata.name,
                            r.name,
                            e.address(),
                            ips.join(", ")
                        ))
                        .fix("take the dump again; a pod recreated under the same name mid-dump leaves this"),
                );
            }
        }
    }
    if c.slices.is_empty() {
        return;
    }
    for svc in c.services.values() {
        let selected = c.selected(svc);
        if !selected.is_empty() && c.slices_of(svc).next().is_none() {
            out.push(
                Finding::new(DUMP_CONTRADICTION, Severity::Warning, ObjectRef::new("Service", &svc.metadata.namespace, &svc.metadata.name), "spec.selector")
                    .message(format!(
                        "the selector of {} matches {} pod(s), but the dump holds no EndpointSlice for it (label kubernetes.io/service-name={})",
                        svc.metadata.name,
                        selected.len(),
                        svc.metadata.name
                    ))
                    .fix("check that kube-controller-manager runs (its EndpointSlice controller writes them), then dump again"),
            );
        }
    }
}
