//! One validation per kind, as the API server runs it on create, shared by the
//! importer, the console and every command that creates an object; and the refusal it
//! turns into (HTTP 422, `Service "x" is invalid: …`).

use super::validate_meta::validate_meta;
use super::validate_pod::validate_pod;
use super::validate_service::validate_service;
use super::validate_workload::{validate_deployment, validate_replica_set};
use crate::error::CommandError;
use crate::objects::Object;
use crate::validation::content::{is_dns1123_label, is_dns1123_subdomain};
use crate::validation::field::{ErrorList, aggregate_message};

/// The object as the API server validates it on create.
pub fn validate_object(o: &Object) -> ErrorList {
    match o {
        Object::Service(s) => validate_service(s),
        Object::Namespace(n) => validate_meta(&n.metadata, false, is_dns1123_label),
        Object::Node(n) => validate_meta(&n.metadata, false, is_dns1123_subdomain),
        Object::Pod(p) => validate_pod(p),
        Object::Deployment(d) => validate_deployment(d),
        Object::ReplicaSet(r) => validate_replica_set(r),
    }
}

/// The API server's kind for messages: `Kind` for the core group, `Kind.group`
/// otherwise (`Deployment.apps`), as `schema.GroupKind.String` prints it.
pub fn qualified_kind(o: &Object) -> &'static str {
    match o {
        Object::Deployment(_) => "Deployment.apps",
        Object::ReplicaSet(_) => "ReplicaSet.apps",
        other => other.kind(),
    }
}

/// The refusal of an invalid object: `<Kind> "<name>" is invalid: <errors>`.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/api/errors/errors.go` `NewInvalid`.
pub fn invalid(kind: &'static str, name: &str, errors: ErrorList) -> CommandError {
    CommandError::Invalid {
        kind,
        name: name.to_owned(),
        message: format!(
            "{kind} \"{name}\" is invalid: {}",
            aggregate_message(&errors)
        ),
        errors,
    }
}

/// Validates `o`, refusing it as the API server would.
pub fn check_object(o: &Object) -> Result<(), CommandError> {
    let errs = validate_object(o);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(invalid(qualified_kind(o), &o.meta().name, errs))
    }
}
