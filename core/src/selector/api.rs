//! Selectors as API objects carry them: the `LabelSelector` of Deployments and
//! ReplicaSets (`matchLabels` + `matchExpressions`), and the plain equality map of a
//! Service's `spec.selector`.
//!
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/helpers.go`
//! (`LabelSelectorAsSelector`, `LabelSelectorAsMap`, `ParseToLabelSelector`),
//! `pkg/apis/meta/v1/validation/validation.go` (`ValidateLabelSelector`).

use super::{Operator, Requirement, Selector, SelectorError, parser};
use crate::labels::validate_labels;
use crate::objects::{LabelSelector, LabelSelectorRequirement, Labels};
use crate::validation::content::is_label_value;
use crate::validation::field::{Error as FieldError, ErrorList, Path};

impl LabelSelector {
    /// Whether the selector selects `labels`; one that does not convert selects nothing.
    pub fn matches(&self, labels: &crate::objects::Labels) -> bool {
        self.to_selector().is_ok_and(|s| s.matches(labels))
    }

    /// This selector as a [`Selector`]: each `matchLabels` entry becomes `k=v`, each
    /// expression its operator (`In`, `NotIn`, `Exists`, `DoesNotExist` only); `{}` is
    /// [`Selector::everything`]. The first failure is returned.
    /// Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/helpers.go` `LabelSelectorAsSelector`.
    pub fn to_selector(&self) -> Result<Selector, SelectorError> {
        if self.match_labels.is_empty() && self.match_expressions.is_empty() {
            return Ok(Selector::everything());
        }
        let mut requirements =
            Vec::with_capacity(self.match_labels.len() + self.match_expressions.len());
        for (k, v) in &self.match_labels {
            requirements.push(Requirement::new(
                k.as_str(),
                Operator::Equals,
                vec![v.clone()],
            )?);
        }
        for expr in &self.match_expressions {
            let op = match expr.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => {
                    return Err(SelectorError::InvalidLabelSelectorOperator {
                        key: expr.key.clone(),
                        operator: other.to_owned(),
                    });
                }
            };
            // Upstream copies the values into a nil slice: no values render as `null`.
            let requirement =
                Requirement::build(&expr.key, Ok(op), expr.values.clone(), true, &Path::nil());
            requirements.push(
                requirement.map_err(|errors| SelectorError::InvalidRequirement {
                    key: expr.key.clone(),
                    operator: op.as_str().to_owned(),
                    errors,
                })?,
            );
        }
        Ok(Selector::from_requirements(requirements))
    }
}

/// An optional API selector as a [`Selector`]: `None` (nil) matches **nothing**, `{}`
/// matches everything.
pub fn label_selector_as_selector(
    selector: Option<&LabelSelector>,
) -> Result<Selector, SelectorError> {
    selector.map_or_else(|| Ok(Selector::nothing()), LabelSelector::to_selector)
}

/// Why [`label_selector_as_map`] failed, with the entries converted before the failure
/// (upstream returns them alongside the error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct AsMapError {
    /// The map built so far.
    pub partial: Labels,
    /// The expression that could not be converted.
    pub error: SelectorError,
}

/// An API selector as the old plain `k=v` map: only `matchLabels` and single-value `In`
/// expressions convert; `None` gives `None`.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/helpers.go` `LabelSelectorAsMap`.
pub fn label_selector_as_map(
    selector: Option<&LabelSelector>,
) -> Result<Option<Labels>, AsMapError> {
    let Some(selector) = selector else {
        return Ok(None);
    };
    let mut map = selector.match_labels.clone();
    for expr in &selector.match_expressions {
        let (key, operator) = (expr.key.clone(), expr.operator.clone());
        let error = match (expr.operator.as_str(), expr.values.as_slice()) {
            ("In", [value]) => {
                map.insert(expr.key.clone(), value.clone());
                continue;
            }
            ("In", values) => SelectorError::NotSingleValue {
                key,
                operator,
                values: values.to_vec(),
            },
            ("NotIn" | "Exists" | "DoesNotExist", _) => {
                SelectorError::NotConvertibleToMap { key, operator }
            }
            _ => SelectorError::InvalidSelectorOperator { key, operator },
        };
        return Err(AsMapError {
            partial: map,
            error,
        });
    }
    Ok(Some(map))
}

/// Parses the string syntax into an API selector: `=`/`==` become `matchLabels`, the set
/// operators `matchExpressions`; `>` and `<` are refused.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/helpers.go` `ParseToLabelSelector`.
pub fn parse_to_label_selector(input: &str) -> Result<LabelSelector, SelectorError> {
    let requirements = parser::parse_to_requirements(input).map_err(|e| {
        SelectorError::UnparsableLabelSelector {
            selector: input.to_owned(),
            source: Box::new(e),
        }
    })?;
    let mut out = LabelSelector::default();
    for r in requirements {
        let operator = match r.operator() {
            Operator::Equals | Operator::DoubleEquals => {
                let value = r.values().first().cloned().unwrap_or_default();
                out.match_labels.insert(r.key().to_owned(), value);
                continue;
            }
            Operator::In => "In",
            Operator::NotIn => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
            Operator::NotEquals => {
                return Err(SelectorError::InvalidLabelSelectorOperator {
                    key: r.key().to_owned(),
                    operator: Operator::NotEquals.as_str().to_owned(),
                });
            }
            op @ (Operator::GreaterThan | Operator::LessThan) => {
                return Err(SelectorError::UnsupportedInLabelSelector {
                    key: r.key().to_owned(),
                    operator: op,
                });
            }
        };
        let mut values = r.values().to_vec();
        values.dedup();
        out.match_expressions.push(LabelSelectorRequirement {
            key: r.key().to_owned(),
            operator: operator.to_owned(),
            values,
        });
    }
    Ok(out)
}

/// Options of [`validate_label_selector_with`] (upstream `LabelSelectorValidationOptions`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LabelSelectorValidationOptions {
    /// Skip the label-value check of expression values (for old stored objects).
    pub allow_invalid_label_value_in_selector: bool,
    /// Let unknown operators pass.
    pub allow_unknown_operator_in_requirement: bool,
}

/// Validates an API selector with the default (strict) options: `matchLabels` as labels
/// (at `path.matchLabels`), each expression at `path.matchExpressions[i]`.
pub fn validate_label_selector(selector: &LabelSelector, path: &Path) -> ErrorList {
    validate_label_selector_with(selector, LabelSelectorValidationOptions::default(), path)
}

/// Validates an API selector.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/validation/validation.go` `ValidateLabelSelector`.
pub fn validate_label_selector_with(
    selector: &LabelSelector,
    options: LabelSelectorValidationOptions,
    path: &Path,
) -> ErrorList {
    let mut errs = validate_labels(&selector.match_labels, &path.child("matchLabels"));
    let exprs = path.child("matchExpressions");
    for (i, expr) in selector.match_expressions.iter().enumerate() {
        errs.extend(validate_label_selector_requirement(
            expr,
            options,
            &exprs.index(i),
        ));
    }
    errs
}

/// Validates one `matchExpressions` entry: `In`/`NotIn` need values (Required),
/// `Exists`/`DoesNotExist` take none (Forbidden), other operators are Invalid; then the
/// key and each value.
/// Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/validation/validation.go` `ValidateLabelSelectorRequirement`.
pub fn validate_label_selector_requirement(
    expr: &LabelSelectorRequirement,
    options: LabelSelectorValidationOptions,
    path: &Path,
) -> ErrorList {
    let mut errs = ErrorList::new();
    let values_path = path.child("values");
    match expr.operator.as_str() {
        "In" | "NotIn" if expr.values.is_empty() => {
            errs.push(FieldError::required(
                &values_path,
                "must be specified when `operator` is 'In' or 'NotIn'",
            ));
        }
        "Exists" | "DoesNotExist" if !expr.values.is_empty() => errs.push(FieldError::forbidden(
            &values_path,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        )),
        "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
        other if !options.allow_unknown_operator_in_requirement => {
            errs.push(FieldError::invalid(
                &path.child("operator"),
                other,
                "not a valid selector operator",
            ));
        }
        _ => {}
    }
    errs.extend(crate::labels::validate_label_name(
        &expr.key,
        &path.child("key"),
    ));
    if !options.allow_invalid_label_value_in_selector {
        for (i, value) in expr.values.iter().enumerate() {
            for msg in is_label_value(value) {
                errs.push(FieldError::invalid(
                    &values_path.index(i),
                    value.as_str(),
                    msg,
                ));
            }
        }
    }
    errs
}

/// Whether a Service's `spec.selector` selects a pod with `labels`: every `key=value`
/// must be present. An absent **or empty** selector selects nothing: the EndpointSlice
/// controller makes no endpoints for it (the API documents both as "not selected by
/// this Service"). Allocation-free.
/// Upstream: kubernetes/kubernetes@9e8be126
/// `pkg/controller/endpointslice/endpointslice_controller.go`
/// `syncService`; apimachinery@eed236ce `pkg/labels/selector.go` `ValidatedSetSelector.Matches`.
pub fn service_selects(selector: Option<&Labels>, labels: &Labels) -> bool {
    match selector {
        Some(sel) if !sel.is_empty() => sel.iter().all(|(k, v)| labels.get(k.as_str()) == Some(v)),
        _ => false,
    }
}
