//! Cause 1 (the selector matches no pod, with the near misses), cause 5's first half
//! (the Service and its pods in different namespaces), and a selectorless Service with
//! nothing behind it.
//!
//! A Service selects the pods of its own namespace whose labels hold every pair of its
//! selector; an absent or empty selector selects nothing and the EndpointSlice
//! controller leaves the Service's slices to whoever writes them.
//! Upstream: kubernetes/kubernetes@1c9cf914f2f951313b8e9f7c321f5bd50b5e3d9f
//! `pkg/controller/endpointslice/endpointslice_controller.go` `syncService` (no
//! selector: return early) and `staging/src/k8s.io/apimachinery/pkg/labels/selector.go`
//! `SelectorFromSet` (every pair must match).
//!
//! Near misses are the playground's own help, not Kubernetes behaviour: a label set that
//! differs from the selector in exactly one pair — a value or key differing only by case,
//! within an edit distance of 2, or a different value — is shown with how it differs.

use std::collections::BTreeMap;

use super::cluster::Cluster;
use super::finding::{
    Finding, ObjectRef, SELECTOR_NO_MATCH, SELECTORLESS_NO_ENDPOINTS, SERVICE_PODS_APART, Severity,
};
use crate::objects::{Labels, Service, ServiceType};
use crate::selector::api::service_selects;

/// Levenshtein distance, stopping early above `max` (returns `max + 1`).
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        if cur.iter().min().is_some_and(|m| *m > max) {
            return max + 1;
        }
        prev = cur;
    }
    prev[b.len()].min(max + 1)
}

fn how_close(want: &str, got: &str) -> &'static str {
    if want.eq_ignore_ascii_case(got) {
        "differs by case"
    } else if edit_distance(want, got, 2) <= 2 {
        "a typo?"
    } else {
        "a different value"
    }
}

/// How a label set misses the selector by exactly one pair, in words; `None` when it
/// matches, or misses by more than one pair.
pub fn near_miss(selector: &Labels, labels: &Labels) -> Option<String> {
    let mut diffs = Vec::new();
    for (k, v) in selector {
        match labels.get(k) {
            Some(got) if got == v => {}
            Some(got) => {
                let how = how_close(v, got);
                // A single pair with an unrelated value is not "near".
                if selector.len() == 1 && how == "a different value" {
                    return None;
                }
                diffs.push(format!("{k}={got} instead of {k}={v} ({how})"));
            }
            None => {
                let similar = labels.iter().find(|(lk, lv)| {
                    !selector.contains_key(*lk)
                        && (lk.eq_ignore_ascii_case(k) || edit_distance(lk, k, 2) <= 2 || *lv == v)
                });
                diffs.push(match similar {
                    Some((lk, lv)) => {
                        format!("{lk}={lv} instead of {k}={v} (key {})", how_close(k, lk))
                    }
                    None => format!("no label {k}"),
                });
            }
        }
        if diffs.len() > 1 {
            return None;
        }
    }
    diffs.pop()
}

fn selector_text(sel: &Labels) -> String {
    sel.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Findings of causes 1 and 5 (Service and pods apart) and selectorless Services.
pub fn check(c: &Cluster, svc: &Service, out: &mut Vec<Finding>) {
    if svc.spec.type_ == ServiceType::ExternalName {
        return;
    }
    let ns = &svc.metadata.namespace;
    let obj = ObjectRef::new("Service", ns, &svc.metadata.name);
    let Some(sel) = svc.spec.effective_selector() else {
        let handwritten = c
            .raw
            .handwritten_endpoints
            .contains(&(ns.clone(), svc.metadata.name.clone()))
            || c.slices_of(svc).next().is_some();
        if !handwritten {
            out.push(
                Finding::new(SELECTORLESS_NO_ENDPOINTS, Severity::Warning, obj, "spec.selector")
                    .message(format!(
                        "Service {} has no selector and no EndpointSlice or Endpoints names it, so it has no endpoints and every connection is refused",
                        svc.metadata.name
                    ))
                    .fix("add a selector matching the pods' labels, or write an EndpointSlice labelled kubernetes.io/service-name: ".to_owned() + &svc.metadata.name),
            );
        }
        return;
    };
    if !c.selected(svc).is_empty() {
        return;
    }
    // Pods of workloads the playground does not run (StatefulSet, DaemonSet, …) would
    // be selected in a real cluster: no alarm.
    if c.raw
        .foreign_templates
        .iter()
        .any(|t| &t.namespace == ns && service_selects(Some(sel), &t.labels))
    {
        return;
    }
    let text = selector_text(sel);
    // Exact matches elsewhere: the Service and its pods are apart.
    let mut elsewhere: BTreeMap<&str, usize> = BTreeMap::new();
    for p in c.pods.values().filter(|p| &p.metadata.namespace != ns) {
        if service_selects(Some(sel), &p.metadata.labels) {
            *elsewhere.entry(p.metadata.namespace.as_str()).or_default() += 1;
        }
    }
    for t in c
        .raw
        .foreign_templates
        .iter()
        .filter(|t| &t.namespace != ns)
    {
        if service_selects(Some(sel), &t.labels) {
            *elsewhere.entry(t.namespace.as_str()).or_default() += 1;
        }
    }
    if !elsewhere.is_empty() {
        let list: Vec<String> = elsewhere
            .iter()
            .map(|(n, k)| format!("{n} ({k} pod(s))"))
            .collect();
        let first = elsewhere.keys().next().copied().unwrap_or_default();
        out.push(
            Finding::new(SERVICE_PODS_APART, Severity::Error, obj, "metadata.namespace")
                .message(format!(
                    "selector {text} matches no pod in namespace {ns}, but matches pods in namespace {}: a Service selects only pods of its own namespace",
                    list.join(", ")
                ))
                .fix(format!("create the Service in namespace {first} (metadata.namespace: {first}), or the pods in {ns}")),
        );
        return;
    }
    // Near misses among the namespace's pods (one line per distinct label set).
    let mut misses: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for p in c.pods.values().filter(|p| &p.metadata.namespace == ns) {
        if let Some(how) = near_miss(sel, &p.metadata.labels) {
            misses.entry(how).or_default().push(&p.metadata.name);
        }
    }
    for t in c
        .raw
        .foreign_templates
        .iter()
        .filter(|t| &t.namespace == ns)
    {
        if let Some(how) = near_miss(sel, &t.labels) {
            misses.entry(how).or_default().push(&t.name);
        }
    }
    let mut message = format!("selector {text} matches no pod in namespace {ns}");
    let fix = if misses.is_empty() {
        let pods = c
            .pods
            .values()
            .filter(|p| &p.metadata.namespace == ns)
            .count();
        message.push_str(&format!(" ({pods} pod(s) there; none has labels close to the selector), so the Service has no endpoints"));
        format!(
            "label the pods {text} (in the Deployment's spec.template.metadata.labels), or change spec.selector to the pods' labels"
        )
    } else {
        let near: Vec<String> = misses
            .iter()
            .take(3)
            .map(|(how, names)| {
                let mut n: Vec<&str> = names.iter().take(3).copied().collect();
                if names.len() > 3 {
                    n.push("…");
                }
                format!("{} has {how}", n.join(", "))
            })
            .collect();
        message.push_str(&format!(
            ", so the Service has no endpoints; near miss: {}",
            near.join("; ")
        ));
        "make spec.selector and the pods' labels (spec.template.metadata.labels) agree, pair for pair, in case too".to_owned()
    };
    out.push(
        Finding::new(SELECTOR_NO_MATCH, Severity::Error, obj, "spec.selector")
            .message(message)
            .fix(fix),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn near_misses_by_value_case_typo_and_key() {
        let sel = l(&[("app", "web"), ("tier", "front")]);
        assert_eq!(
            near_miss(&sel, &l(&[("app", "Web"), ("tier", "front")])).as_deref(),
            Some("app=Web instead of app=web (differs by case)")
        );
        assert_eq!(
            near_miss(&sel, &l(&[("app", "wbe"), ("tier", "front")])).as_deref(),
            Some("app=wbe instead of app=web (a typo?)")
        );
        assert_eq!(
            near_miss(&sel, &l(&[("App", "web"), ("tier", "front")])).as_deref(),
            Some("App=web instead of app=web (key differs by case)")
        );
        assert_eq!(
            near_miss(&sel, &l(&[("app", "api"), ("tier", "back")])),
            None
        );
        assert_eq!(
            near_miss(&sel, &l(&[("app", "web"), ("tier", "front")])),
            None
        );
        assert_eq!(edit_distance("frontend", "fronted", 2), 1);
        assert_eq!(edit_distance("a", "bcdef", 2), 3);
    }
}
