//! Object-meta checks: for a Service (name as a DNS-1035 label, generateName,
//! namespace, labels, annotation keys), for any other kind ([`validate_meta`]), and the
//! label check the commands share ([`check_labels`]).
//!
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/api/validation/objectmeta.go`
//! `ValidateObjectMeta`, `ValidateAnnotations`; `pkg/util/validation/validation.go`
//! `IsDNS1035Label`; kubernetes `pkg/apis/core/validation/validation.go`
//! `ValidateServiceName`.
//! Simplification: owner references, finalizers and the 256 KiB annotation-size limit
//! are not checked.

use crate::error::CommandError;
use crate::labels::validate_labels;
use crate::objects::{Labels, ObjectMeta, Service};
use crate::validation::content::{is_dns1123_label, is_qualified_name};
use crate::validation::field::{Error, ErrorList, Path, aggregate_message};

const DNS1035_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

/// `IsDNS1035Label` (Service names): `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/util/validation/validation.go` `IsDNS1035Label`.
pub fn is_dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_owned());
    }
    let b = value.as_bytes();
    let ok = b.first().is_some_and(u8::is_ascii_lowercase)
        && b.last()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
    if !ok {
        errs.push(format!(
            "{DNS1035_MSG} (e.g. 'my-name',  or 'abc-123', regex used for validation is '{DNS1035_FMT}')"
        ));
    }
    errs
}

/// `ValidateObjectMeta` with `ValidateServiceName`; `check_name` is false on update.
pub fn validate_object_meta(svc: &Service, check_name: bool) -> ErrorList {
    let meta = &svc.metadata;
    let path = Path::new("metadata");
    let mut errs = Vec::new();
    if check_name && !meta.generate_name.is_empty() {
        // A prefix may end in '-': mask it as upstream's maskTrailingDash does.
        let masked = match meta.generate_name.strip_suffix('-') {
            Some(rest) if rest.len() > 1 => format!("{rest}a"),
            _ => meta.generate_name.clone(),
        };
        for m in is_dns1035_label(&masked) {
            errs.push(Error::invalid(
                &path.child("generateName"),
                meta.generate_name.as_str(),
                m,
            ));
        }
    }
    if meta.name.is_empty() {
        errs.push(Error::required(
            &path.child("name"),
            "name or generateName is required",
        ));
    } else if check_name {
        for m in is_dns1035_label(&meta.name) {
            errs.push(Error::invalid(&path.child("name"), meta.name.as_str(), m));
        }
    }
    if meta.namespace.is_empty() {
        errs.push(Error::required(&path.child("namespace"), ""));
    } else {
        for m in is_dns1123_label(&meta.namespace) {
            errs.push(Error::invalid(
                &path.child("namespace"),
                meta.namespace.as_str(),
                m,
            ));
        }
    }
    errs.extend(validate_labels(&meta.labels, &path.child("labels")));
    for k in meta.annotations.keys() {
        for m in is_qualified_name(&k.to_lowercase()) {
            errs.push(Error::invalid(&path.child("annotations"), k.as_str(), m));
        }
    }
    errs
}

/// `ValidateObjectMeta` for any kind: the name (checked by `name_check`, the kind's
/// name rule), the namespace when `namespaced`, and the labels.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/api/validation/objectmeta.go`
/// `ValidateObjectMeta`.
pub fn validate_meta(
    m: &ObjectMeta,
    namespaced: bool,
    name_check: fn(&str) -> Vec<String>,
) -> ErrorList {
    let path = Path::new("metadata");
    let mut errs = ErrorList::new();
    if m.name.is_empty() {
        errs.push(Error::required(
            &path.child("name"),
            "name or generateName is required",
        ));
    } else {
        for msg in name_check(&m.name) {
            errs.push(Error::invalid(&path.child("name"), m.name.as_str(), msg));
        }
    }
    if namespaced {
        for msg in is_dns1123_label(&m.namespace) {
            errs.push(Error::invalid(
                &path.child("namespace"),
                m.namespace.as_str(),
                msg,
            ));
        }
    }
    errs.extend(validate_labels(&m.labels, &path.child("labels")));
    errs
}

/// Checks every key and value of a label map at `field` (a dotted path such as
/// `metadata.labels`), with Kubernetes' own messages; `object` names it (`pod "x"`).
pub fn check_labels(object: &str, field: &str, labels: &Labels) -> Result<(), CommandError> {
    let errs = validate_labels(labels, &Path::dotted(field));
    if errs.is_empty() {
        Ok(())
    } else {
        Err(CommandError::InvalidLabel {
            object: object.to_owned(),
            detail: aggregate_message(&errs),
        })
    }
}
