//! Objects the API server would refuse, as findings: a quoted number as `targetPort`
//! (cause 4), a node port out of range or taken (cause 8), a Deployment whose selector
//! does not match its template (one of the next causes), anything else as `rejected`.
//!
//! The refusals themselves are the API server's (`apiserver/validate*.rs`); this only
//! says which cause each one is. Upstream: kubernetes/kubernetes@1c9cf914f2f951313b8e9f7c321f5bd50b5e3d9f
//! `pkg/apis/core/validation/validation.go` `validatePortNumOrName` (a string target
//! port must be an IANA service name, with at least one letter), `pkg/apis/apps/validation/validation.go`
//! `ValidateDeploymentSpec` (`selector does not match template labels`).

use super::finding::{
    At, DEPLOYMENT_SELECTOR_MISMATCH, Finding, NODE_PORT_UNREACHABLE, ObjectRef, REJECTED,
    Severity, TARGET_PORT_QUOTED_NUMBER,
};
use crate::manifest::ImportError;

fn quoted_number(problem: &str) -> Option<&str> {
    let rest = problem.split_once("Invalid value: \"")?.1;
    let v = rest.split('"').next()?;
    (!v.is_empty() && v.chars().all(|c| c.is_ascii_digit())).then_some(v)
}

/// One refusal as a finding.
pub fn finding(e: &ImportError) -> Finding {
    let (kind, name) = e
        .object
        .as_deref()
        .and_then(|o| o.split_once('/'))
        .map_or(("", ""), |(k, n)| (k, n));
    let problem = e.problem.to_string();
    let obj = ObjectRef::new(kind, "", name);
    let mut f = if e.field.ends_with("targetPort")
        && let Some(n) = quoted_number(&problem)
    {
        Finding::new(TARGET_PORT_QUOTED_NUMBER, Severity::Error, obj, &e.field)
            .message(format!(
                "targetPort \"{n}\" is a number written as a string, which Kubernetes reads as a port name, and a port name needs a letter: the API server refuses the Service ({problem})"
            ))
            .fix(format!("write targetPort: {n} without quotes"))
    } else if e.field.contains("nodePort") {
        Finding::new(NODE_PORT_UNREACHABLE, Severity::Error, obj, &e.field)
            .message(format!("the API server refuses the node port, so the Service is not created and no node answers: {problem}"))
            .fix("leave nodePort out to get a free one from the range, or pick a free port within it; cloud firewalls and security groups in front of the nodes are outside what svcplay can check")
    } else if kind == "Deployment" && problem.contains("does not match template") {
        Finding::new(DEPLOYMENT_SELECTOR_MISMATCH, Severity::Error, obj, &e.field)
            .message(format!("the Deployment's selector does not match its template's labels, so the API server refuses it and no pod is made: {problem}"))
            .fix("make spec.selector.matchLabels a subset of spec.template.metadata.labels")
    } else if problem.contains("svcplay's limit") {
        Finding::new(REJECTED, Severity::Error, obj, &e.field)
            .message(format!(
                "the object is over one of svcplay's limits and was left out: {problem}"
            ))
            .fix("lower the value within the limit (README, Limits)")
    } else {
        Finding::new(REJECTED, Severity::Error, obj, &e.field)
            .message(format!(
                "the API server would refuse this object: {problem}"
            ))
            .fix("fix the field the message names")
    };
    f.at = Some(At {
        document: e.document,
        line: e.line(),
        column: e.column(),
    });
    f
}
