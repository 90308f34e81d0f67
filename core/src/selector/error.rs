//! Why a selector could not be built, parsed or converted: one variant per failure, each
//! saying in Kubernetes' words what was found and what was expected. Parse errors also
//! carry the byte offset of the offending token (see [`SelectorError::position`]); the
//! message itself stays exactly upstream's, which has no position.
//!
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go` (`Parser`,
//! `NewRequirement`), `pkg/apis/meta/v1/helpers.go`.

use thiserror::Error;

use super::Operator;
use crate::validation::field::{Error as FieldError, ErrorList, aggregate_message};
use crate::validation::gofmt::quote;

/// A selector failure. Messages are upstream's, word for word.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SelectorError {
    /// `Requirement::new` refused its input; `errors` lists every field error in order.
    #[error("{}", aggregate_message(.errors))]
    InvalidRequirement {
        /// The key given.
        key: String,
        /// The operator given, as its internal string.
        operator: String,
        /// The field errors (`key`, `values`, `values[0][key]`, `operator`).
        errors: ErrorList,
    },
    /// Something other than `!`, a key or the end where a requirement must start.
    #[error("found '{found}', expected: !, identifier, or 'end of string'")]
    ExpectedRequirement {
        /// The text found.
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// A comma not followed by a requirement (`a,,b`, `a,`).
    #[error("found '{found}', expected: identifier after ','")]
    ExpectedRequirementAfterComma {
        /// The text found after the comma (empty at the end).
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// A complete requirement followed by something other than `,` or the end
    /// (`!x=a`, `a in (x)b`).
    #[error("found '{found}', expected: ',' or 'end of string'")]
    ExpectedCommaOrEnd {
        /// The text found.
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// `!` not followed by a key.
    #[error("unable to parse requirement: found '{found}', expected: identifier")]
    ExpectedKey {
        /// The text found.
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// The key is not a valid label key (`error` is at Go's nil path, hence `<nil>:`).
    #[error("unable to parse requirement: {error}")]
    InvalidKey {
        /// The key.
        key: String,
        /// The field error with every message, joined by `; `.
        error: Box<FieldError>,
        /// The key's byte offset.
        position: usize,
    },
    /// A key followed by something that is not an operator (`x nott in (y)`).
    #[error("unable to parse requirement: found '{found}', expected: in, notin, =, ==, !=, gt, lt")]
    ExpectedOperator {
        /// The key.
        key: String,
        /// The text found.
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// `in`/`notin` not followed by `(`. (Upstream's message has no comma here.)
    #[error("unable to parse requirement: found '{found}' expected: '('")]
    ExpectedOpenParen {
        /// The key.
        key: String,
        /// `in` or `notin`.
        operator: Operator,
        /// The text found.
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// `(` followed by something that starts no value list (`a notin(`).
    #[error("unable to parse requirement: found '{found}', expected: ',', ')' or identifier")]
    ExpectedValueList {
        /// The key.
        key: String,
        /// `in` or `notin`.
        operator: Operator,
        /// The text found.
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// A value in a list followed by something other than `,` or `)` (`(a b)`).
    #[error("unable to parse requirement: found '{found}', expected: ',' or ')'")]
    ExpectedCommaOrCloseParen {
        /// The key.
        key: String,
        /// `in` or `notin`.
        operator: Operator,
        /// The text found.
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// A comma in a list followed by something that is not a value (`(a,=)`, `(a,`).
    #[error("unable to parse requirement: found '{found}', expected: ',', or identifier")]
    ExpectedCommaOrValue {
        /// The key.
        key: String,
        /// `in` or `notin`.
        operator: Operator,
        /// The text found.
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// `=`, `==`, `!=`, `>` or `<` followed by something that is not a value (`x=(`).
    #[error("unable to parse requirement: found '{found}', expected: identifier")]
    ExpectedValue {
        /// The key.
        key: String,
        /// The operator.
        operator: Operator,
        /// The text found.
        found: String,
        /// Its byte offset.
        position: usize,
    },
    /// A parsed requirement failed `NewRequirement`'s checks (`x=a||y`).
    #[error("unable to parse requirement: {}", aggregate_message(.errors))]
    InvalidParsedRequirement {
        /// The key.
        key: String,
        /// The operator.
        operator: Operator,
        /// The field errors (`values[0][x]: Invalid value: ...`).
        errors: ErrorList,
        /// The key's byte offset.
        position: usize,
    },
    /// A `matchExpressions` operator other than `In`, `NotIn`, `Exists`, `DoesNotExist`
    /// (`LabelSelectorAsSelector`).
    #[error("{} is not a valid label selector operator", quote(.operator))]
    InvalidLabelSelectorOperator {
        /// The expression's key.
        key: String,
        /// The operator as written.
        operator: String,
    },
    /// An unknown `matchExpressions` operator (`LabelSelectorAsMap`).
    #[error("{} is not a valid selector operator", quote(.operator))]
    InvalidSelectorOperator {
        /// The expression's key.
        key: String,
        /// The operator as written.
        operator: String,
    },
    /// An `In` expression without exactly one value cannot become a `k=v` map entry.
    #[error(
        "operator {} without a single value cannot be converted into the old label selector format",
        quote(.operator)
    )]
    NotSingleValue {
        /// The expression's key.
        key: String,
        /// The operator as written (`In`).
        operator: String,
        /// The values given.
        values: Vec<String>,
    },
    /// `NotIn`, `Exists` and `DoesNotExist` cannot become a `k=v` map entry.
    #[error("operator {} cannot be converted into the old label selector format", quote(.operator))]
    NotConvertibleToMap {
        /// The expression's key.
        key: String,
        /// The operator as written.
        operator: String,
    },
    /// `>` and `<` exist only in the string syntax, not in an API `LabelSelector`.
    #[error("{} isn't supported in label selectors", quote(.operator.as_str()))]
    UnsupportedInLabelSelector {
        /// The requirement's key.
        key: String,
        /// `gt` or `lt`.
        operator: Operator,
    },
    /// A selector string given for an API `LabelSelector` did not parse.
    #[error("couldn't parse the selector string \"{selector}\": {source}")]
    UnparsableLabelSelector {
        /// The string.
        selector: String,
        /// Why it did not parse.
        source: Box<SelectorError>,
    },
}

impl SelectorError {
    /// The byte offset in the parsed string where the problem was found, for parse errors.
    pub fn position(&self) -> Option<usize> {
        match self {
            SelectorError::ExpectedRequirement { position, .. }
            | SelectorError::ExpectedRequirementAfterComma { position, .. }
            | SelectorError::ExpectedCommaOrEnd { position, .. }
            | SelectorError::ExpectedKey { position, .. }
            | SelectorError::InvalidKey { position, .. }
            | SelectorError::ExpectedOperator { position, .. }
            | SelectorError::ExpectedOpenParen { position, .. }
            | SelectorError::ExpectedValueList { position, .. }
            | SelectorError::ExpectedCommaOrCloseParen { position, .. }
            | SelectorError::ExpectedCommaOrValue { position, .. }
            | SelectorError::ExpectedValue { position, .. }
            | SelectorError::InvalidParsedRequirement { position, .. } => Some(*position),
            SelectorError::UnparsableLabelSelector { source, .. } => source.position(),
            _ => None,
        }
    }

    /// The field errors behind a failed requirement (empty for other failures).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            SelectorError::InvalidRequirement { errors, .. }
            | SelectorError::InvalidParsedRequirement { errors, .. } => errors,
            SelectorError::InvalidKey { error, .. } => std::slice::from_ref(&**error),
            SelectorError::UnparsableLabelSelector { source, .. } => source.field_errors(),
            _ => &[],
        }
    }
}
