//! One requirement of a selector (`key op values`) and its operators: construction with
//! upstream's checks and messages, matching, and the canonical string form.
//!
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go` `NewRequirement`,
//! `Requirement.Matches`, `Requirement.String`; `pkg/selection/operator.go`.

use std::fmt;

use super::SelectorError;
use crate::labels::{check_label_key, check_label_value};
use crate::objects::Labels;
use crate::validation::field::{Error as FieldError, ErrorList, Path, Rendered, dedup};
use crate::validation::gofmt;

/// A selector operator. `as_str` gives upstream's internal `selection.Operator` string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    /// `k=v`: the key is present with that value.
    Equals,
    /// `k==v`: the same as `=`, kept apart so that it prints back as written.
    DoubleEquals,
    /// `k!=v`: the key is absent, or present with another value.
    NotEquals,
    /// `k in (a,b)`: the key is present with one of the values.
    In,
    /// `k notin (a,b)`: the key is absent, or present with none of the values.
    NotIn,
    /// `k`: the key is present (any value, even empty).
    Exists,
    /// `!k`: the key is absent.
    DoesNotExist,
    /// `k>3`: the key is present and its value, a base-10 int64, is greater.
    GreaterThan,
    /// `k<3`: the key is present and its value, a base-10 int64, is smaller.
    LessThan,
}

impl Operator {
    /// Every operator, in upstream's `validRequirementOperators` order (the order of the
    /// "supported values" message).
    pub const ALL: [Operator; 9] = [
        Operator::In,
        Operator::NotIn,
        Operator::Equals,
        Operator::DoubleEquals,
        Operator::NotEquals,
        Operator::GreaterThan,
        Operator::LessThan,
        Operator::Exists,
        Operator::DoesNotExist,
    ];

    /// Upstream's internal string: `=`, `==`, `!=`, `in`, `notin`, `exists`, `!`, `gt`, `lt`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => "in",
            Operator::NotIn => "notin",
            Operator::Exists => "exists",
            Operator::DoesNotExist => "!",
            Operator::GreaterThan => "gt",
            Operator::LessThan => "lt",
        }
    }

    /// The operator whose internal string is `s`, if any.
    pub fn from_internal(s: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.as_str() == s)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A requirement: a key, an operator and values. Always valid once built: construct it
/// with [`Requirement::new`] (or by parsing a selector).
///
/// Values are kept sorted (duplicates given to `new` are kept, as upstream keeps them);
/// a parsed `in`/`notin` list is already a set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
    /// The integer of a `gt`/`lt` requirement, parsed once; 0 for other operators.
    bound: i64,
}

/// Messages of `NewRequirement`, upstream's words.
const IN_NOTIN_EMPTY: &str = "for 'in', 'notin' operators, values set can't be empty";
const EXACT_ONE: &str = "exact-match compatibility requires one single value";
const EXISTS_NO_VALUES: &str = "values set must be empty for exists and does not exist";
const GT_LT_ONE: &str = "for 'Gt', 'Lt' operators, exactly one value is required";
const GT_LT_INTEGER: &str = "for 'Gt', 'Lt' operators, the value must be an integer";

impl Requirement {
    /// Builds a requirement, checking as upstream's `NewRequirement` does, in its order:
    /// the key is a label key; the number of values fits the operator (`in`/`notin` ≥ 1,
    /// `=`/`==`/`!=` and `gt`/`lt` exactly 1, `exists`/`!` none); a `gt`/`lt` value is a
    /// base-10 int64; every value is a label value. All failures come back together in
    /// [`SelectorError::InvalidRequirement`].
    pub fn new(
        key: impl Into<String>,
        operator: Operator,
        values: Vec<String>,
    ) -> Result<Self, SelectorError> {
        let key = key.into();
        Self::build(&key, Ok(operator), values, false, &Path::nil()).map_err(|errors| {
            SelectorError::InvalidRequirement {
                key,
                operator: operator.as_str().to_owned(),
                errors,
            }
        })
    }

    /// Like [`Requirement::new`], with the operator given by its internal string
    /// (`"in"`, `"gt"`, ...); an unknown one is reported as upstream reports it
    /// (`operator: Unsupported value: "x": supported values: "in", ...`).
    pub fn with_operator_str(
        key: impl Into<String>,
        operator: &str,
        values: Vec<String>,
    ) -> Result<Self, SelectorError> {
        let key = key.into();
        let op = Operator::from_internal(operator).ok_or(operator);
        Self::build(&key, op, values, false, &Path::nil()).map_err(|errors| {
            SelectorError::InvalidRequirement {
                key,
                operator: operator.to_owned(),
                errors,
            }
        })
    }

    /// `key = value` without checks: upstream's `SelectorFromValidatedSet` trusts its input.
    pub(crate) fn equals_unchecked(key: &str, value: &str) -> Self {
        Requirement {
            key: key.to_owned(),
            operator: Operator::Equals,
            values: vec![value.to_owned()],
            bound: 0,
        }
    }

    /// The checks of `NewRequirement`, with field paths under `path` (Go's `WithPath`).
    /// `nil_values` renders an empty list as Go renders a nil slice (`null`).
    pub(crate) fn build(
        key: &str,
        operator: Result<Operator, &str>,
        mut values: Vec<String>,
        nil_values: bool,
        path: &Path,
    ) -> Result<Self, ErrorList> {
        let mut errs = ErrorList::new();
        // Paths are built only for errors: a valid requirement allocates nothing extra.
        errs.extend(check_label_key(key, || path.child("key")));
        let values_path = || path.child("values");
        let invalid_values = |detail: &str| {
            let shown = if nil_values && values.is_empty() {
                Rendered(gofmt::JSON_NULL.to_owned())
            } else {
                Rendered(gofmt::json_strings(&values))
            };
            FieldError::invalid(&values_path(), shown, detail)
        };
        let mut bound = 0;
        match operator {
            Ok(Operator::In | Operator::NotIn) if values.is_empty() => {
                errs.push(invalid_values(IN_NOTIN_EMPTY))
            }
            Ok(Operator::Equals | Operator::DoubleEquals | Operator::NotEquals)
                if values.len() != 1 =>
            {
                errs.push(invalid_values(EXACT_ONE));
            }
            Ok(Operator::Exists | Operator::DoesNotExist) if !values.is_empty() => {
                errs.push(invalid_values(EXISTS_NO_VALUES));
            }
            Ok(Operator::GreaterThan | Operator::LessThan) => {
                if values.len() != 1 {
                    errs.push(invalid_values(GT_LT_ONE));
                }
                for (i, v) in values.iter().enumerate() {
                    match v.parse::<i64>() {
                        Ok(n) => bound = n,
                        Err(_) => errs.push(FieldError::invalid(
                            &values_path().index(i),
                            v.as_str(),
                            GT_LT_INTEGER,
                        )),
                    }
                }
            }
            Ok(_) => {}
            Err(unknown) => {
                let supported: Vec<&str> = Operator::ALL.iter().map(|o| o.as_str()).collect();
                errs.push(FieldError::not_supported(
                    &path.child("operator"),
                    unknown,
                    &supported,
                ));
            }
        }
        for (i, v) in values.iter().enumerate() {
            errs.extend(check_label_value(key, v, || values_path().index(i)));
        }
        match operator {
            Ok(operator) if errs.is_empty() => {
                crate::sort::sort(&mut values);
                Ok(Requirement {
                    key: key.to_owned(),
                    operator,
                    values,
                    bound,
                })
            }
            _ => Err(dedup(errs)),
        }
    }

    /// The label key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The values, sorted.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    fn has_value(&self, value: &str) -> bool {
        if self.values.len() <= 8 {
            self.values.iter().any(|v| v == value)
        } else {
            self.values
                .binary_search_by(|v| v.as_str().cmp(value))
                .is_ok()
        }
    }

    /// Whether `labels` satisfy this requirement. `!=` and `notin` hold when the key is
    /// absent; `gt`/`lt` fail when the label's value is not a base-10 int64.
    /// Upstream: kubernetes/apimachinery@eed236ce `pkg/labels/selector.go` `Requirement.Matches`.
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(self.key.as_str());
        match self.operator {
            Operator::In | Operator::Equals | Operator::DoubleEquals => {
                value.is_some_and(|v| self.has_value(v))
            }
            Operator::NotIn | Operator::NotEquals => value.is_none_or(|v| !self.has_value(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan => value
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|n| n > self.bound),
            Operator::LessThan => value
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|n| n < self.bound),
        }
    }
}

impl fmt::Display for Requirement {
    /// Upstream `Requirement.String`: `k=v`, `k==v`, `k!=v`, `k>v`, `k<v`, `k`, `!k`,
    /// `k in (a,b)`, `k notin (a,b)`, values sorted and joined by `,`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.operator == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let (op, parens) = match self.operator {
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
            Operator::Equals => ("=", false),
            Operator::DoubleEquals => ("==", false),
            Operator::NotEquals => ("!=", false),
            Operator::GreaterThan => (">", false),
            Operator::LessThan => ("<", false),
            Operator::In => (" in (", true),
            Operator::NotIn => (" notin (", true),
        };
        f.write_str(op)?;
        for (i, v) in self.values.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(v)?;
        }
        if parens {
            f.write_str(")")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn constructs_and_prints() {
        let r = Requirement::new("x", Operator::NotIn, strings(&["b", "a", "b"]))
            .map(|r| r.to_string());
        assert_eq!(r.ok().as_deref(), Some("x notin (a,b,b)"));
        let r = Requirement::new("x", Operator::DoesNotExist, vec![]).map(|r| r.to_string());
        assert_eq!(r.ok().as_deref(), Some("!x"));
    }

    #[test]
    fn collects_every_error_in_order() {
        let err = Requirement::new("a/b/c", Operator::GreaterThan, strings(&["x_", "-"])).err();
        let Some(SelectorError::InvalidRequirement { errors, .. }) = err else {
            unreachable!("expected an invalid requirement, got {err:?}")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "key",
                "values",
                "values[0]",
                "values[1]",
                "values[0][a/b/c]",
                "values[1][a/b/c]"
            ]
        );
    }

    #[test]
    fn gt_lt_need_integers_on_both_sides() {
        let gt = Requirement::new("n", Operator::GreaterThan, strings(&["3"])).ok();
        let labels = |v: &str| Labels::from([("n".to_owned(), v.to_owned())]);
        assert_eq!(gt.as_ref().map(|r| r.matches(&labels("4"))), Some(true));
        assert_eq!(gt.as_ref().map(|r| r.matches(&labels("03"))), Some(false));
        assert_eq!(gt.as_ref().map(|r| r.matches(&labels("x"))), Some(false));
        assert_eq!(gt.as_ref().map(|r| r.matches(&Labels::new())), Some(false));
    }
}
