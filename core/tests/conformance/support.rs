//! Helpers shared by the conformance checkers.

#![allow(dead_code)]

use serde_json::Value;

/// Checks one case; `meta` is the file's `_meta` object (some categories need its base
/// objects). `Err` says what differed.
pub type Checker = fn(case: &Value, meta: &Value) -> Result<(), String>;

/// A string field of a case.
pub fn str_field<'a>(case: &'a Value, key: &str) -> Result<&'a str, String> {
    case.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("case has no string `{key}`"))
}

/// A boolean field of a case.
pub fn bool_field(case: &Value, key: &str) -> Result<bool, String> {
    case.get(key)
        .and_then(Value::as_bool)
        .ok_or_else(|| format!("case has no bool `{key}`"))
}

/// Compares, naming the field on mismatch.
pub fn expect_eq<T: PartialEq + std::fmt::Debug>(
    what: &str,
    got: T,
    want: T,
) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got:?}, want {want:?}"))
    }
}
