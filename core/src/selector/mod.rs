//! Label selectors exactly as Kubernetes has them: the string syntax
//! (`app=web,tier in (fe,be),!canary`), matching, and the canonical string form.
//!
//! - [`lexer`]: tokens (public, so the lexer can be tested on its own).
//! - [`parser`]: the grammar; [`Selector::parse`] is the entry point.
//! - [`requirement`]: [`Requirement`] and [`Operator`], with upstream's checks.
//! - [`api`]: the API `LabelSelector` (`matchLabels`/`matchExpressions`) and Service
//!   selectors.
//!
//! A selector is the AND of its requirements. No requirements match everything
//! ([`Selector::everything`]); [`Selector::nothing`] matches no object.
//! Matching does not allocate: each requirement is one ordered-map lookup.
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go`.

pub mod api;
mod error;
pub mod lexer;
pub mod parser;
pub mod requirement;

use std::fmt;
use std::str::FromStr;

pub use api::{
    LabelSelectorValidationOptions, label_selector_as_map, label_selector_as_selector,
    parse_to_label_selector, service_selects, validate_label_selector,
    validate_label_selector_with,
};
pub use error::SelectorError;
pub use requirement::{Operator, Requirement};

use crate::objects::Labels;

/// A label selector: requirements sorted by key, all of which must hold.
///
/// Simplification: upstream sorts with Go's `sort.Sort`, which is stable (insertion sort)
/// for up to 12 requirements; here the sort is always stable, so with 13 or more
/// requirements sharing keys the printed order of same-key requirements may differ.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Selector {
    requirements: Vec<Requirement>,
    /// `labels.Nothing()`: matches no labels at all.
    nothing: bool,
}

impl Selector {
    /// Parses the string syntax. The empty string is [`Selector::everything`].
    ///
    /// ```
    /// # use svcplay_core::selector::Selector;
    /// let s = Selector::parse("tier in (fe,be),app=web,!canary").map(|s| s.to_string());
    /// assert_eq!(s.as_deref(), Ok("app=web,!canary,tier in (be,fe)"));
    /// ```
    pub fn parse(input: &str) -> Result<Selector, SelectorError> {
        parser::parse(input)
    }

    /// The selector that matches every label set (no requirements).
    pub fn everything() -> Selector {
        Selector::default()
    }

    /// The selector that matches nothing (what a nil API `LabelSelector` becomes).
    pub fn nothing() -> Selector {
        Selector {
            requirements: Vec::new(),
            nothing: true,
        }
    }

    /// A selector requiring `key=value` for every pair of `set`, without checking them
    /// (upstream `SelectorFromSet`); an empty set gives [`Selector::everything`].
    pub fn from_set(set: &Labels) -> Selector {
        // A BTreeMap iterates in key order: already sorted.
        Selector {
            requirements: set
                .iter()
                .map(|(k, v)| Requirement::equals_unchecked(k, v))
                .collect(),
            nothing: false,
        }
    }

    /// Like [`Selector::from_set`], but every key and value is checked first
    /// (upstream `ValidatedSelectorFromSet`).
    pub fn validated_from_set(set: &Labels) -> Result<Selector, SelectorError> {
        let requirements = set
            .iter()
            .map(|(k, v)| Requirement::new(k.as_str(), Operator::Equals, vec![v.clone()]))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Selector {
            requirements,
            nothing: false,
        })
    }

    /// A selector from requirements, sorted stably by key (upstream `NewSelector().Add`).
    pub fn from_requirements(mut requirements: Vec<Requirement>) -> Selector {
        crate::sort::sort_by(&mut requirements, |a, b| a.key().cmp(b.key()));
        Selector {
            requirements,
            nothing: false,
        }
    }

    /// This selector with one more requirement (keeps the key order; `nothing` stays
    /// `nothing`, as upstream's `nothingSelector.Add` does).
    #[must_use]
    pub fn with(mut self, requirement: Requirement) -> Selector {
        if !self.nothing {
            let at = self
                .requirements
                .partition_point(|r| r.key() <= requirement.key());
            self.requirements.insert(at, requirement);
        }
        self
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        !self.nothing && self.requirements.iter().all(|r| r.matches(labels))
    }

    /// Whether the selector restricts nothing (upstream `Empty()`): true for
    /// [`Selector::everything`], false for [`Selector::nothing`].
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.requirements.is_empty()
    }

    /// Whether this is [`Selector::nothing`] (upstream `MatchesNothing`). Contradictions
    /// such as `a,!a` are not detected, as upstream does not detect them.
    pub fn matches_nothing(&self) -> bool {
        self.nothing
    }

    /// The requirements, sorted by key.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// The requirements, by value.
    pub fn into_requirements(self) -> Vec<Requirement> {
        self.requirements
    }

    /// The value `label` must have, if the first requirement on `label` is `=`, `==` or
    /// `in` with exactly one value (upstream `RequiresExactMatch`).
    pub fn requires_exact_match(&self, label: &str) -> Option<&str> {
        let r = self.requirements.iter().find(|r| r.key() == label)?;
        match (r.operator(), r.values()) {
            (Operator::Equals | Operator::DoubleEquals | Operator::In, [only]) => Some(only),
            _ => None,
        }
    }
}

impl fmt::Display for Selector {
    /// The canonical form (upstream `String()`): requirements joined by `,` without
    /// spaces; `""` for both everything and nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

impl FromStr for Selector {
    type Err = SelectorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Selector::parse(s)
    }
}

#[cfg(test)]
mod tests;
