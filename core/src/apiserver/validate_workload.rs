//! What the API server checks of a Deployment or a ReplicaSet: replicas, a selector
//! that is required, not empty, valid, and selects the template's labels, and the pod
//! template.
//!
//! Upstream: kubernetes/kubernetes@000f2605 `pkg/apis/apps/validation/validation.go`
//! (`ValidateDeploymentSpec`, `ValidateReplicaSetSpec`, `ValidatePodTemplateSpecForReplicaSet`).

use super::validate_meta::validate_meta;
use super::validate_pod::validate_pod_spec;
use crate::labels::validate_labels;
use crate::objects::{Deployment, Labels, ReplicaSet, WorkloadSpec};
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
fn go_map(labels: &Labels) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}
