//! A small matcher for the API `LabelSelector` of Deployments and ReplicaSets, and
//! simple label checks for commands.
//!
//! TODO(merge): use crate::labels / `LabelSelector::to_selector()` and
//! `crate::validation::content::{is_qualified_name, is_label_value}` once the selectors
//! branch lands; these private versions cover matchLabels and In/NotIn/Exists/
//! DoesNotExist only.
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/helpers.go`
//! `LabelSelectorAsSelector`; `pkg/util/validation/validation.go`.

use crate::objects::{LabelSelector, Labels};

/// Whether `labels` satisfy the API selector. An empty selector matches everything
/// (as `LabelSelectorAsSelector` makes it); an unknown operator matches nothing.
pub fn label_selector_matches(selector: &LabelSelector, labels: &Labels) -> bool {
    selector
        .match_labels
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
        && selector.match_expressions.iter().all(|r| {
            let has = labels.get(&r.key);
            match r.operator.as_str() {
                "In" => has.is_some_and(|v| r.values.contains(v)),
                "NotIn" => has.is_none_or(|v| !r.values.contains(v)),
                "Exists" => has.is_some(),
                "DoesNotExist" => has.is_none(),
                _ => false,
            }
        })
}

/// Why a label key or value is refused, in Kubernetes' words.
pub fn label_problem(key: &str, value: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        let dns = !p.is_empty()
            && p.len() <= 253
            && p.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            });
        if !dns {
            return Some(format!(
                "prefix part of key \"{key}\" must be a DNS-1123 subdomain"
            ));
        }
    }
    if !is_name_part(name) {
        return Some(format!(
            "name part of key \"{key}\" must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)"
        ));
    }
    if !value.is_empty() && !is_name_part(value) {
        return Some(format!(
            "value \"{value}\" of key \"{key}\" must be 63 characters or less and consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character"
        ));
    }
    None
}

fn is_name_part(s: &str) -> bool {
    let ok = |b: u8| b.is_ascii_alphanumeric();
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| ok(b) || b == b'-' || b == b'_' || b == b'.')
        && s.bytes().next().is_some_and(ok)
        && s.bytes().last().is_some_and(ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::LabelSelectorRequirement;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn operators() {
        let req = |op: &str, values: &[&str]| LabelSelector {
            match_labels: labels(&[("app", "web")]),
            match_expressions: vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: op.into(),
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            }],
        };
        let fe = labels(&[("app", "web"), ("tier", "fe")]);
        let bare = labels(&[("app", "web")]);
        assert!(label_selector_matches(&req("In", &["fe", "be"]), &fe));
        assert!(!label_selector_matches(&req("In", &["be"]), &fe));
        assert!(!label_selector_matches(&req("In", &["fe"]), &bare));
        assert!(
            label_selector_matches(&req("NotIn", &["be"]), &bare),
            "NotIn matches absent keys"
        );
        assert!(label_selector_matches(&req("Exists", &[]), &fe));
        assert!(label_selector_matches(&req("DoesNotExist", &[]), &bare));
        assert!(
            !label_selector_matches(&req("Gt", &[]), &fe),
            "unknown operator"
        );
        assert!(!label_selector_matches(
            &req("Exists", &[]),
            &labels(&[("tier", "fe")])
        ));
    }

    #[test]
    fn label_checks() {
        assert_eq!(label_problem("app", "web"), None);
        assert_eq!(label_problem("example.com/app", ""), None);
        assert!(label_problem("-app", "x").is_some());
        assert!(label_problem("Bad_Prefix/app", "x").is_some());
        assert!(label_problem("app", "has space").is_some());
        assert!(label_problem(&"a".repeat(64), "x").is_some());
    }
}
