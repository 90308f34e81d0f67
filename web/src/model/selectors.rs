//! The text the user types into selector and label boxes, turned into core values by the
//! core's own parsers (`Selector::parse`, `parse_labels_map`). Nothing here decides what a
//! selector means: matching is `Selector::matches` and `service_selects`.

use svcplay_core::labels::parse_labels_map;
use svcplay_core::objects::Labels;
use svcplay_core::selector::{Operator, Selector, service_selects};

/// Parses a Service's selector box (`k=v,k2=v2`). Empty text is no selector (`None`).
/// A Service's `spec.selector` is a map of labels, so only equality requirements are
/// taken; any other operator is refused with a message saying so.
pub fn service_selector(text: &str) -> Result<Option<Labels>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let parsed = Selector::parse(text).map_err(|e| e.to_string())?;
    let mut out = Labels::new();
    for r in parsed.requirements() {
        match (r.operator(), r.values().first()) {
            (Operator::Equals | Operator::DoubleEquals, Some(v)) => {
                out.insert(r.key().to_owned(), v.clone());
            }
            _ => {
                return Err(format!(
                    "spec.selector: Invalid value: \"{r}\": a Service selector is a map of labels: \
                     only key=value requirements are allowed, not set-based ones (in, notin, !=, exists, !key)"
                ));
            }
        }
    }
    Ok(Some(out))
}

/// Parses the pod-filter box: the full selector grammar (`app in (dev,prod),!canary`).
pub fn pod_filter(text: &str) -> Result<Selector, String> {
    Selector::parse(text.trim()).map_err(|e| e.to_string())
}

/// Parses a labels box (`k=v,k2=v2`) as kubectl's `ConvertSelectorToLabelsMap` does.
pub fn labels(text: &str) -> Result<Labels, String> {
    parse_labels_map(text.trim()).map_err(|e| e.to_string())
}

/// What decides which pods are highlighted: a Service selector being typed, or the
/// pod filter. `None` when nothing highlights (empty or invalid text).
#[derive(Debug, Clone, PartialEq)]
pub enum Highlight {
    /// A Service selector preview: pods the Service would select.
    Service(Option<Labels>),
    /// The pod filter.
    Filter(Selector),
}

impl Highlight {
    /// Whether a pod with these labels is highlighted.
    pub fn matches(&self, labels: &Labels) -> bool {
        match self {
            Highlight::Service(sel) => service_selects(sel.as_ref(), labels),
            Highlight::Filter(sel) => sel.matches(labels),
        }
    }
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
    fn service_selector_takes_equality_only() {
        assert_eq!(
            service_selector(" app = prod , tier==web"),
            Ok(Some(set(&[("app", "prod"), ("tier", "web")])))
        );
        assert_eq!(service_selector("  "), Ok(None));
        let set_based = service_selector("app in (dev,prod)").unwrap_err();
        assert!(
            set_based.contains("only key=value requirements"),
            "{set_based}"
        );
        assert!(service_selector("!canary").is_err());
        assert!(service_selector("app!=dev").is_err());
    }

    #[test]
    fn invalid_selectors_carry_kubernetes_words() {
        assert_eq!(
            service_selector("app==a,").unwrap_err(),
            "found '', expected: identifier after ','"
        );
        let bad_value = service_selector("app=-bad-").unwrap_err();
        assert!(
            bad_value.contains("Invalid value: \"-bad-\"")
                && bad_value.contains("a valid label must"),
            "{bad_value}"
        );
        assert!(service_selector("app in (").is_err());
    }

    #[test]
    fn filter_and_highlight_use_the_core_matchers() {
        let f = pod_filter("app in (dev,prod),!canary").unwrap();
        let h = Highlight::Filter(f);
        assert!(h.matches(&set(&[("app", "dev")])));
        assert!(!h.matches(&set(&[("app", "dev"), ("canary", "")])));
        assert!(!h.matches(&set(&[("app", "qa")])));
        let s = Highlight::Service(Some(set(&[("app", "prod")])));
        assert!(s.matches(&set(&[("app", "prod"), ("x", "y")])));
        assert!(
            !Highlight::Service(None).matches(&set(&[("app", "prod")])),
            "no selector selects nothing"
        );
        assert_eq!(labels("a=1, b = 2"), Ok(set(&[("a", "1"), ("b", "2")])));
        assert_eq!(labels("x").unwrap_err(), "invalid selector: [x]");
    }
}
