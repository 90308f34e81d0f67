//! Label sets: validation of keys and values, and the small set operations Kubernetes
//! offers on them (has, conflicts, merge, string forms, parsing `k=v,k2=v2`).
//!
//! The type itself is [`Labels`] (`objects::meta`), an ordered map, so every listing is
//! deterministic.
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/labels.go`,
//! `pkg/apis/meta/v1/validation/validation.go` `ValidateLabels`, `ValidateLabelName`.

use thiserror::Error;

use crate::objects::Labels;
use crate::validation::content::{is_label_value, is_qualified_name};
use crate::validation::field::{Error as FieldError, ErrorList, Path};
use crate::validation::gofmt;

/// Validates a label map: each bad key and each bad value gives one `Invalid` error per
/// message, at `path` itself (`metadata.labels: Invalid value: "a/b/c": ...`).
/// Keys are checked in key order (upstream iterates a Go map, in no fixed order).
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/validation/validation.go` `ValidateLabels`.
pub fn validate_labels(labels: &Labels, path: &Path) -> ErrorList {
    let mut errs = ErrorList::new();
    for (k, v) in labels {
        errs.extend(validate_label_name(k, path));
        for msg in is_label_value(v) {
            errs.push(FieldError::invalid(path, v.as_str(), msg));
        }
    }
    errs
}

/// Validates one label key: one `Invalid` error per message.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/validation/validation.go` `ValidateLabelName`.
pub fn validate_label_name(key: &str, path: &Path) -> ErrorList {
    is_qualified_name(key)
        .into_iter()
        .map(|msg| FieldError::invalid(path, key, msg))
        .collect()
}

/// The labels package's key check: all messages joined by `; ` into one `Invalid` error.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go` `validateLabelKey`.
pub(crate) fn check_label_key(key: &str, path: impl FnOnce() -> Path) -> Option<FieldError> {
    let errs = is_qualified_name(key);
    (!errs.is_empty()).then(|| FieldError::invalid(&path(), key, errs.join("; ")))
}

/// The labels package's value check, at `path[key]`: messages joined by `; `.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go` `validateLabelValue`.
pub(crate) fn check_label_value(
    key: &str,
    value: &str,
    path: impl FnOnce() -> Path,
) -> Option<FieldError> {
    let errs = is_label_value(value);
    (!errs.is_empty()).then(|| FieldError::invalid(&path().key(key), value, errs.join("; ")))
}

/// Whether `labels` has `key` (an empty value counts).
pub fn has(labels: &Labels, key: &str) -> bool {
    labels.contains_key(key)
}

/// Whether the two sets give some key different values.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/labels.go` `Conflicts`.
pub fn conflicts(a: &Labels, b: &Labels) -> bool {
    let (small, big) = if b.len() < a.len() { (b, a) } else { (a, b) };
    small
        .iter()
        .any(|(k, v)| big.get(k).is_some_and(|w| w != v))
}

/// The union of both sets; `b` wins where they conflict.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/labels.go` `Merge`.
pub fn merge(a: &Labels, b: &Labels) -> Labels {
    let mut out = a.clone();
    out.extend(b.iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

/// Whether both sets hold exactly the same pairs.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/labels.go` `Equals`.
pub fn equals(a: &Labels, b: &Labels) -> bool {
    a == b
}

/// `labels.Set.String()`: the `k=v` strings sorted byte-wise and joined by `,`; `""` for
/// an empty set.
///
/// The sort is over whole `k=v` strings, as upstream does, so `{a: x, a.b: y}` gives
/// `a.b=y,a=x` (`.` sorts before `=`), while a selector built from the same set sorts by
/// key and gives `a=x,a.b=y`.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/labels.go` `Set.String`.
pub fn labels_to_string(labels: &Labels) -> String {
    let mut pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    crate::sort::sort(&mut pairs);
    pairs.join(",")
}

/// A set as the equality selector it stands for, in key order: `app=prod,tier=web`,
/// `""` for an empty set. This is what the playground's label and selector boxes show.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go`
/// `SelectorFromSet(set).String()`.
pub fn selector_text(labels: &Labels) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// [`labels_to_string`], or `<none>` for an empty set (what `kubectl` prints).
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/labels.go` `FormatLabels`.
pub fn format_labels(labels: &Labels) -> String {
    if labels.is_empty() {
        "<none>".to_owned()
    } else {
        labels_to_string(labels)
    }
}

/// Why [`parse_labels_map`] refused its input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LabelsMapError {
    /// A comma-separated item is not exactly one `key=value` (no `=`, or more than one).
    #[error("invalid selector: {}", gofmt::go_list(.parts))]
    InvalidSelector {
        /// The item split on `=`, as upstream prints it (`[x a||y b]` for `x=a||y=b`).
        parts: Vec<String>,
    },
    /// A key is not a valid label key.
    #[error("{error}")]
    InvalidKey {
        /// The key, trimmed.
        key: String,
        /// The field error naming it (at Go's nil path, `<nil>`).
        error: Box<FieldError>,
    },
    /// A value is not a valid label value.
    #[error("{error}")]
    InvalidValue {
        /// The key the value belongs to.
        key: String,
        /// The value, trimmed.
        value: String,
        /// The field error naming it (at `[key]`).
        error: Box<FieldError>,
    },
}

/// Parses `k=v,k2=v2` into a label set (spaces around keys and values are trimmed; a
/// later duplicate key wins); the empty string is the empty set.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/labels.go` `ConvertSelectorToLabelsMap`.
pub fn parse_labels_map(selector: &str) -> Result<Labels, LabelsMapError> {
    let mut out = Labels::new();
    if selector.is_empty() {
        return Ok(out);
    }
    for item in selector.split(',') {
        let parts: Vec<&str> = item.split('=').collect();
        let [key, value] = parts.as_slice() else {
            return Err(LabelsMapError::InvalidSelector {
                parts: parts.iter().map(|p| (*p).to_owned()).collect(),
            });
        };
        let (key, value) = (key.trim(), value.trim());
        if let Some(error) = check_label_key(key, Path::nil) {
            return Err(LabelsMapError::InvalidKey {
                key: key.to_owned(),
                error: Box::new(error),
            });
        }
        if let Some(error) = check_label_value(key, value, Path::nil) {
            return Err(LabelsMapError::InvalidValue {
                key: key.to_owned(),
                value: value.to_owned(),
                error: Box::new(error),
            });
        }
        out.insert(key.to_owned(), value.to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn set(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn string_forms() {
        assert_eq!(
            selector_text(&set(&[("tier", "web"), ("app", "prod")])),
            "app=prod,tier=web"
        );
        assert_eq!(selector_text(&Labels::new()), "");
        assert_eq!(labels_to_string(&set(&[("b", "2"), ("a", "1")])), "a=1,b=2");
        assert_eq!(
            labels_to_string(&set(&[("a", "x"), ("a.b", "y")])),
            "a.b=y,a=x"
        );
        assert_eq!(format_labels(&Labels::new()), "<none>");
        assert_eq!(labels_to_string(&Labels::new()), "");
    }

    #[test]
    fn set_operations() {
        let a = set(&[("env", "test"), ("infra", "false")]);
        let b = set(&[("color", "blue"), ("infra", "true")]);
        assert!(conflicts(&a, &b));
        assert!(!conflicts(&a, &set(&[("env", "test")])));
        assert_eq!(
            merge(&a, &b),
            set(&[("color", "blue"), ("env", "test"), ("infra", "true")])
        );
        assert!(has(&set(&[("x", "")]), "x"));
        assert!(equals(&a, &a.clone()));
    }

    #[test]
    fn validation_names_the_field() {
        let errs = validate_labels(
            &set(&[("a/b/c", "ok"), ("k", "bad,value")]),
            &Path::new("metadata").child("labels"),
        );
        assert_eq!(errs.len(), 2);
        assert!(
            errs[0]
                .to_string()
                .starts_with("metadata.labels: Invalid value: \"a/b/c\": a valid label key must")
        );
        assert!(
            errs[1]
                .to_string()
                .starts_with("metadata.labels: Invalid value: \"bad,value\": a valid label must")
        );
    }

    #[test]
    fn parse_map() {
        assert_eq!(
            parse_labels_map(" a = 1 ,b=2").ok(),
            Some(set(&[("a", "1"), ("b", "2")]))
        );
        assert_eq!(
            parse_labels_map("x").map_err(|e| e.to_string()),
            Err("invalid selector: [x]".to_owned())
        );
        let e = parse_labels_map("k=a b")
            .map_err(|e| e.to_string())
            .err()
            .unwrap_or_default();
        assert!(
            e.starts_with("[k]: Invalid value: \"a b\": a valid label must"),
            "{e}"
        );
    }
}
