//! What the API server checks of a StatefulSet and a DaemonSet.
//!
//! Upstream: kubernetes/kubernetes@2dd1588c `pkg/apis/apps/validation/validation.go`
//! (`ValidateStatefulSet`, `ValidateStatefulSetSpec`,
//! `ValidatePodTemplateSpecForStatefulSet`, `ValidateDaemonSet`, `ValidateDaemonSetSpec`).
//! Simplification: the fields the model does not carry (update strategies, revision
//! history, `minReadySeconds`, volume claim templates) are not checked; an import lists
//! them as not modelled.

use super::validate_meta::validate_meta;
use super::validate_pod::{validate_annotation_keys, validate_pod_template};
use super::validate_workload::go_map;
use crate::labels::validate_labels;
use crate::objects::apps::{ORDERED_READY, PARALLEL};
use crate::objects::{DaemonSet, LabelSelector, PodTemplate, StatefulSet};
use crate::selector::api::validate_label_selector;
use crate::validation::content::{is_dns1123_label, is_dns1123_subdomain};
use crate::validation::field::{Error, ErrorList, Path, Rendered};

/// `must be greater than or equal to 0`, as `ValidateNonnegativeField` says it.
pub(crate) fn non_negative(path: &Path, value: i64) -> Option<Error> {
    (value < 0).then(|| Error::invalid(path, value, "must be greater than or equal to 0"))
}

/// The selector-mismatch error on a template's labels.
pub(crate) fn template_mismatch(template_path: &Path, template: &PodTemplate) -> Error {
    let field = template_path.child("metadata").child("labels");
    let shown = Rendered(go_map(&template.metadata.labels));
    Error::invalid(&field, shown, "`selector` does not match template `labels`")
}

/// Whether an API selector matches a template's labels; a nil selector (upstream's
/// `labels.Nothing()`) matches nothing.
pub(crate) fn selects(selector: Option<&LabelSelector>, template: &PodTemplate) -> bool {
    selector.is_some_and(|s| s.matches(&template.metadata.labels))
}

/// `restartPolicy` must be `Always` for pods that are kept running.
fn always_only(template: &PodTemplate, spec: &Path) -> Option<Error> {
    let policy = template.spec.restart_policy.as_str();
    (policy != "Always").then(|| {
        let f = spec.child("template").child("spec").child("restartPolicy");
        Error::not_supported(&f, policy, &["Always"])
    })
}

/// `ValidateStatefulSet` on create: a DNS-1123 label name, then the spec.
pub fn validate_stateful_set(s: &StatefulSet) -> ErrorList {
    let mut errs = validate_meta(&s.metadata, true, is_dns1123_label);
    let spec = Path::new("spec");
    let sp = &s.spec;
    let policy = sp.pod_management_policy.as_str();
    let policy_path = spec.child("podManagementPolicy");
    match policy {
        "" => errs.push(Error::required(&policy_path, "")),
        ORDERED_READY | PARALLEL => {}
        other => errs.push(Error::invalid(
            &policy_path,
            other,
            format!("must be '{ORDERED_READY}' or '{PARALLEL}'"),
        )),
    }
    errs.extend(non_negative(
        &spec.child("replicas"),
        sp.replicas.unwrap_or(1).into(),
    ));
    if let Some(o) = &sp.ordinals {
        // Upstream names the path with one child "ordinals.start".
        errs.extend(non_negative(&spec.child("ordinals.start"), o.start.into()));
    }
    let selector = spec.child("selector");
    let mut converts = true;
    match &sp.selector {
        None => errs.push(Error::required(&selector, "")),
        Some(sel) => {
            let bad = validate_label_selector(sel, &selector);
            converts = bad.is_empty();
            errs.extend(bad);
            if sel.match_labels.is_empty() && sel.match_expressions.is_empty() {
                let msg = "empty selector is invalid for statefulset";
                errs.push(Error::invalid(&selector, Rendered("{}".into()), msg));
            }
        }
    }
    // ValidatePodTemplateSpecForStatefulSet: the selector (unless empty) must select the
    // template; the template's labels and annotations; not its pod spec (upstream leaves
    // that to the pods).
    let template = spec.child("template");
    let empty = sp
        .selector
        .as_ref()
        .is_some_and(|s| s.match_labels.is_empty() && s.match_expressions.is_empty());
    if converts && !empty && !selects(sp.selector.as_ref(), &sp.template) {
        errs.push(template_mismatch(&template, &sp.template));
    }
    errs.extend(validate_labels(
        &sp.template.metadata.labels,
        &template.child("labels"),
    ));
    errs.extend(validate_annotation_keys(
        &sp.template,
        &template.child("annotations"),
    ));
    errs.extend(always_only(&sp.template, &spec));
    errs
}

/// `ValidateDaemonSet` on create: a DNS-1123 subdomain name, then the spec.
pub fn validate_daemon_set(d: &DaemonSet) -> ErrorList {
    let mut errs = validate_meta(&d.metadata, true, is_dns1123_subdomain);
    let spec = Path::new("spec");
    let sp = &d.spec;
    let selector = spec.child("selector");
    let mut converts = true;
    if let Some(sel) = &sp.selector {
        let bad = validate_label_selector(sel, &selector);
        converts = bad.is_empty();
        errs.extend(bad);
    }
    let template = spec.child("template");
    if converts && !selects(sp.selector.as_ref(), &sp.template) {
        errs.push(template_mismatch(&template, &sp.template));
    }
    if let Some(sel) = &sp.selector
        && sel.match_labels.is_empty()
        && sel.match_expressions.is_empty()
    {
        let msg = "empty selector is invalid for daemonset";
        errs.push(Error::invalid(&selector, Rendered("{}".into()), msg));
    }
    errs.extend(validate_pod_template(&sp.template, &template));
    errs.extend(always_only(&sp.template, &spec));
    errs
}
