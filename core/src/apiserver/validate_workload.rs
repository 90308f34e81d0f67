//! What the API server checks of a Deployment, a ReplicaSet or a ReplicationController:
//! replicas, a selector that is required, not empty, valid, and selects the template's
//! labels, and the pod template.
//!
//! Upstream: kubernetes/kubernetes@000f2605 `pkg/apis/apps/validation/validation.go`
//! (`ValidateDeploymentSpec`, `ValidateReplicaSetSpec`, `ValidatePodTemplateSpecForReplicaSet`).

use super::validate_apps::{non_negative, template_mismatch};
use super::validate_meta::validate_meta;
use super::validate_pod::{validate_pod_spec, validate_pod_template};
use crate::labels::validate_labels;
use crate::objects::{Deployment, Labels, ReplicaSet, ReplicationController, WorkloadSpec};
use crate::selector::api::validate_label_selector;
use crate::validation::content::is_dns1123_subdomain;
use crate::validation::field::{Error, ErrorList, Path, Rendered};

/// `ValidateDeployment` on create.
pub fn validate_deployment(d: &Deployment) -> ErrorList {
    let mut errs = validate_meta(&d.metadata, true, is_dns1123_subdomain);
    errs.extend(validate_workload_spec(&d.spec, "deployment"));
    errs
}

/// `ValidateReplicaSet` on create.
pub fn validate_replica_set(rs: &ReplicaSet) -> ErrorList {
    let mut errs = validate_meta(&rs.metadata, true, is_dns1123_subdomain);
    errs.extend(validate_workload_spec(&rs.spec, "replicaset"));
    errs
}

/// The spec both kinds share; `what` names the kind in the empty-selector message.
pub fn validate_workload_spec(spec: &WorkloadSpec, what: &str) -> ErrorList {
    let path = Path::new("spec");
    let mut errs = ErrorList::new();
    if let Some(n) = spec.replicas
        && n < 0
    {
        let msg = "must be greater than or equal to 0";
        errs.push(Error::invalid(&path.child("replicas"), n, msg));
    }
    let template = path.child("template");
    let labels = &spec.template.metadata.labels;
    errs.extend(validate_labels(
        labels,
        &template.child("metadata").child("labels"),
    ));
    match &spec.selector {
        None => errs.push(Error::required(&path.child("selector"), "")),
        Some(sel) if sel.match_labels.is_empty() && sel.match_expressions.is_empty() => {
            let msg = format!("empty selector is invalid for {what}");
            errs.push(Error::invalid(
                &path.child("selector"),
                Rendered("{}".into()),
                msg,
            ));
        }
        Some(sel) => {
            let sel_errs = validate_label_selector(sel, &path.child("selector"));
            if sel_errs.is_empty() && !sel.matches(labels) {
                let shown = Rendered(go_map(labels));
                let msg = "`selector` does not match template `labels`";
                let field = template.child("metadata").child("labels");
                errs.push(Error::invalid(&field, shown, msg));
            }
            errs.extend(sel_errs);
        }
    }
    errs.extend(validate_pod_spec(
        &spec.template.spec,
        &template.child("spec"),
    ));
    errs
}

/// Go's `%v` of a `map[string]string`, as the selector-mismatch error shows it.
pub(crate) fn go_map(labels: &Labels) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}

/// `ValidateReplicationController` on create: a DNS-1123 subdomain name, a non-empty
/// selector, non-negative replicas, and a template the selector selects, valid as a pod
/// template, with `restartPolicy: Always`.
/// Upstream: kubernetes/kubernetes@2dd1588c `pkg/apis/core/validation/validation.go`
/// (`ValidateReplicationControllerSpec`, `ValidatePodTemplateSpecForRC`).
pub fn validate_replication_controller(rc: &ReplicationController) -> ErrorList {
    let mut errs = validate_meta(&rc.metadata, true, is_dns1123_subdomain);
    let spec = Path::new("spec");
    if rc.spec.selector.is_empty() {
        errs.push(Error::required(&spec.child("selector"), ""));
    }
    if let Some(e) = non_negative(
        &spec.child("replicas"),
        rc.spec.replicas.unwrap_or(1).into(),
    ) {
        errs.push(e);
    }
    let path = spec.child("template");
    match &rc.spec.template {
        None => errs.push(Error::required(&path, "")),
        Some(t) => {
            let labels = &t.metadata.labels;
            let selects = rc
                .spec
                .selector
                .iter()
                .all(|(k, v)| labels.get(k) == Some(v));
            if !rc.spec.selector.is_empty() && !selects {
                errs.push(template_mismatch(&path, t));
            }
            errs.extend(validate_pod_template(t, &path));
            let policy = t.spec.restart_policy.as_str();
            if policy != "Always" {
                let f = path.child("spec").child("restartPolicy");
                errs.push(Error::not_supported(&f, policy, &["Always"]));
            }
        }
    }
    errs
}
