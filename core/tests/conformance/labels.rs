//! Checkers for labels, label selectors and the content checks behind them
//! (kubernetes-behaviour.md §a, §b). Every field a case carries is compared, including
//! the exact error texts marked "informative".

use serde_json::{Value, json};
use svcplay_core::labels as lbl;
use svcplay_core::objects::{LabelSelector, Labels};
use svcplay_core::selector::lexer::scan;
use svcplay_core::selector::{
    Requirement, Selector, label_selector_as_map, label_selector_as_selector,
    validate_label_selector,
};
use svcplay_core::validation::Path;
use svcplay_core::validation::content;

use crate::support::{Checker, bool_field, expect_eq, str_field};

/// This area's categories.
pub const CATEGORIES: &[(&str, Checker)] = &[
    ("selector_parse", check_selector_parse),
    ("selector_parse_derived", check_selector_parse),
    ("selector_match", check_selector_match),
    ("selector_match_derived", check_selector_match),
    ("selector_to_string", check_selector_to_string),
    ("requirement_construct", check_requirement_construct),
    ("selector_lexer", check_selector_lexer),
    ("set_selector_match", check_set_selector_match),
    ("validated_set_selector", check_validated_set_selector),
    ("requires_exact_match", check_requires_exact_match),
    ("set_to_string", check_set_to_string),
    ("label_has", check_label_has),
    ("labels_conflict", check_labels_conflict),
    ("labels_merge", check_labels_merge),
    ("labels_map_parse", check_labels_map_parse),
    ("label_key", check_label_key),
    ("label_value", check_label_value),
    ("labels_validation", check_labels_validation),
    ("dns1123_label", check_dns1123_label),
    ("dns1123_subdomain", check_dns1123_subdomain),
    ("port_name", check_port_name),
    ("port_number", check_port_number),
    (
        "label_selector_to_selector",
        check_label_selector_to_selector,
    ),
    ("label_selector_as_map", check_label_selector_as_map),
    ("label_selector_validation", check_label_selector_validation),
];

fn labels_field(case: &Value, key: &str) -> Result<Labels, String> {
    serde_json::from_value(case.get(key).cloned().unwrap_or(Value::Null))
        .map_err(|e| format!("case field `{key}` is not a string map: {e}"))
}

fn strings_field(v: &Value) -> Result<Vec<String>, String> {
    serde_json::from_value(v.clone()).map_err(|e| format!("not a list of strings: {e}"))
}

fn label_selector_field(case: &Value) -> Result<Option<LabelSelector>, String> {
    serde_json::from_value(case.get("label_selector").cloned().unwrap_or(Value::Null))
        .map_err(|e| format!("case field `label_selector` is not a LabelSelector: {e}"))
}

/// Requirements as the vectors list them: `{key, operator, values}`.
fn requirements_json(reqs: &[Requirement]) -> Value {
    Value::Array(
        reqs.iter()
            .map(|r| json!({"key": r.key(), "operator": r.operator().as_str(), "values": r.values()}))
            .collect(),
    )
}

/// Compares the parsed requirements when the case lists them.
fn check_requirements(case: &Value, sel: &Selector) -> Result<(), String> {
    match case.get("requirements") {
        Some(want) => expect_eq(
            "requirements",
            requirements_json(sel.requirements()),
            want.clone(),
        ),
        None => Ok(()),
    }
}

fn check_selector_parse(case: &Value, _: &Value) -> Result<(), String> {
    let input = str_field(case, "input")?;
    let ok = bool_field(case, "ok")?;
    if let Some(expected_ok) = case.get("expected_ok").and_then(Value::as_bool) {
        expect_eq("expected_ok (the test's assertion)", ok, expected_ok)?;
    }
    match Selector::parse(input) {
        Ok(sel) if ok => {
            expect_eq(
                "canonical",
                sel.to_string().as_str(),
                str_field(case, "canonical")?,
            )?;
            if let Some(empty) = case.get("empty").and_then(Value::as_bool) {
                expect_eq("empty", sel.is_empty(), empty)?;
            }
            check_requirements(case, &sel)?;
            // The canonical form parses back to the same selector.
            expect_eq(
                "reparse of canonical",
                Selector::parse(&sel.to_string()).ok(),
                Some(sel),
            )
        }
        Err(e) if !ok => expect_eq("error", e.to_string().as_str(), str_field(case, "error")?),
        Ok(sel) => Err(format!("parsed to {sel:?}, want an error")),
        Err(e) => Err(format!("error {e:?}, want a selector")),
    }
}

fn check_selector_match(case: &Value, _: &Value) -> Result<(), String> {
    let sel = Selector::parse(str_field(case, "selector")?).map_err(|e| format!("parse: {e}"))?;
    check_requirements(case, &sel)?;
    if let Some(canonical) = case.get("canonical").and_then(Value::as_str) {
        expect_eq("canonical", sel.to_string().as_str(), canonical)?;
    }
    expect_eq(
        "matches",
        sel.matches(&labels_field(case, "labels")?),
        bool_field(case, "matches")?,
    )
}

fn build_requirements(list: &Value) -> Result<Vec<Requirement>, String> {
    let items = list.as_array().ok_or("requirements is not a list")?;
    items
        .iter()
        .map(|r| {
            let key = str_field(r, "key")?;
            let op = str_field(r, "operator")?;
            let values = strings_field(r.get("values").unwrap_or(&Value::Null))?;
            Requirement::with_operator_str(key, op, values).map_err(|e| format!("requirement: {e}"))
        })
        .collect()
}

fn check_selector_to_string(case: &Value, _: &Value) -> Result<(), String> {
    let reqs = build_requirements(case.get("requirements").unwrap_or(&Value::Null))?;
    let sel = Selector::from_requirements(reqs);
    expect_eq(
        "string",
        sel.to_string().as_str(),
        str_field(case, "string")?,
    )
}

fn check_requirement_construct(case: &Value, _: &Value) -> Result<(), String> {
    let values = strings_field(case.get("values").unwrap_or(&Value::Null))?;
    let got = Requirement::with_operator_str(
        str_field(case, "key")?,
        str_field(case, "operator")?,
        values,
    );
    match (got, bool_field(case, "ok")?) {
        (Ok(r), true) => expect_eq("string", r.to_string().as_str(), str_field(case, "string")?),
        (Err(e), false) => {
            expect_eq("error", e.to_string().as_str(), str_field(case, "error")?)?;
            let fields: Vec<Value> = e
                .field_errors()
                .iter()
                .map(|f| json!({"field": f.field, "type": f.kind.as_str()}))
                .collect();
            match case.get("expected_errors") {
                Some(want) => expect_eq("expected_errors", Value::Array(fields), want.clone()),
                None => Ok(()),
            }
        }
        (Ok(r), false) => Err(format!("built {r}, want an error")),
        (Err(e), true) => Err(format!("error {e}, want a requirement")),
    }
}

fn check_selector_lexer(case: &Value, _: &Value) -> Result<(), String> {
    let items = scan(str_field(case, "input")?);
    let names: Vec<&str> = items.iter().map(|l| l.token.name()).collect();
    let want = strings_field(case.get("tokens").unwrap_or(&Value::Null))?;
    // Upstream's test lists the tokens before the end; the empty input is the end alone.
    let shown = match names.split_last() {
        Some((_end, rest)) if !rest.is_empty() => rest,
        _ => &names[..],
    };
    expect_eq(
        "tokens",
        shown.to_vec(),
        want.iter().map(String::as_str).collect(),
    )?;
    match case.get("first_literal").and_then(Value::as_str) {
        Some(lit) => expect_eq("first_literal", items.first().map(|l| l.literal), Some(lit)),
        None => Ok(()),
    }
}

fn check_set_selector_match(case: &Value, _: &Value) -> Result<(), String> {
    let set = labels_field(case, "selector_set")?;
    let labels = labels_field(case, "labels")?;
    let want = bool_field(case, "matches")?;
    let from_set = Selector::from_set(&set);
    expect_eq(
        "from_set string",
        from_set.to_string().as_str(),
        str_field(case, "selector_string")?,
    )?;
    expect_eq("from_set matches", from_set.matches(&labels), want)?;
    let parsed = Selector::parse(str_field(case, "selector_string")?).map_err(|e| e.to_string())?;
    expect_eq("parsed matches", parsed.matches(&labels), want)
}

fn check_validated_set_selector(case: &Value, _: &Value) -> Result<(), String> {
    let got = Selector::validated_from_set(&labels_field(case, "set")?);
    expect_eq("ok", got.is_ok(), bool_field(case, "ok")?)?;
    match got {
        Ok(sel) => expect_eq(
            "string",
            sel.to_string().as_str(),
            str_field(case, "string")?,
        ),
        Err(_) => Ok(()),
    }
}

fn check_requires_exact_match(case: &Value, _: &Value) -> Result<(), String> {
    let sel = Selector::parse(str_field(case, "selector")?).map_err(|e| e.to_string())?;
    check_requirements(case, &sel)?;
    let got = sel.requires_exact_match(str_field(case, "label")?);
    expect_eq("found", got.is_some(), bool_field(case, "found")?)?;
    expect_eq("value", got.unwrap_or_default(), str_field(case, "value")?)
}

fn check_set_to_string(case: &Value, _: &Value) -> Result<(), String> {
    let set = labels_field(case, "set")?;
    let got = match str_field(case, "function")? {
        "ValidatedSetSelector.String" => Selector::from_set(&set).to_string(),
        "labels.Set.String" => lbl::labels_to_string(&set),
        other => return Err(format!("unknown function {other}")),
    };
    expect_eq("string", got.as_str(), str_field(case, "string")?)
}

fn check_label_has(case: &Value, _: &Value) -> Result<(), String> {
    let got = lbl::has(&labels_field(case, "labels")?, str_field(case, "key")?);
    expect_eq("has", got, bool_field(case, "has")?)
}

fn check_labels_conflict(case: &Value, _: &Value) -> Result<(), String> {
    let (a, b) = (
        labels_field(case, "labels1")?,
        labels_field(case, "labels2")?,
    );
    let want = bool_field(case, "conflict")?;
    expect_eq("conflict", lbl::conflicts(&a, &b), want)?;
    expect_eq("conflict (swapped)", lbl::conflicts(&b, &a), want)
}

fn check_labels_merge(case: &Value, _: &Value) -> Result<(), String> {
    let got = lbl::merge(
        &labels_field(case, "labels1")?,
        &labels_field(case, "labels2")?,
    );
    expect_eq("merged", got, labels_field(case, "merged")?)
}

fn check_labels_map_parse(case: &Value, _: &Value) -> Result<(), String> {
    match (
        lbl::parse_labels_map(str_field(case, "input")?),
        bool_field(case, "ok")?,
    ) {
        (Ok(got), true) => expect_eq("labels", got, labels_field(case, "labels")?),
        (Err(e), false) => expect_eq("error", e.to_string().as_str(), str_field(case, "error")?),
        (Ok(got), false) => Err(format!("parsed {got:?}, want an error")),
        (Err(e), true) => Err(format!("error {e}, want labels")),
    }
}

/// A content check: `valid`, the exact `errors`, and the input length when given.
fn check_messages(
    case: &Value,
    input_key: &str,
    check: fn(&str) -> Vec<String>,
) -> Result<(), String> {
    let input = str_field(case, input_key)?;
    if let Some(len) = case
        .get(format!("{input_key}_length"))
        .and_then(Value::as_u64)
    {
        expect_eq("input length", input.len() as u64, len)?;
    }
    let got = check(input);
    expect_eq("valid", got.is_empty(), bool_field(case, "valid")?)?;
    let want = match case.get("errors") {
        Some(list) => strings_field(list)?,
        None => Vec::new(),
    };
    expect_eq("errors", got, want)
}

fn check_label_key(case: &Value, _: &Value) -> Result<(), String> {
    check_messages(case, "key", content::is_qualified_name)
}

fn check_label_value(case: &Value, _: &Value) -> Result<(), String> {
    check_messages(case, "value", content::is_label_value)
}

fn check_dns1123_label(case: &Value, _: &Value) -> Result<(), String> {
    check_messages(case, "value", content::is_dns1123_label)
}

fn check_dns1123_subdomain(case: &Value, _: &Value) -> Result<(), String> {
    check_messages(case, "value", content::is_dns1123_subdomain)
}

fn check_port_name(case: &Value, _: &Value) -> Result<(), String> {
    check_messages(case, "value", content::is_valid_port_name)
}

fn check_port_number(case: &Value, _: &Value) -> Result<(), String> {
    let port = case
        .get("value")
        .and_then(Value::as_i64)
        .ok_or("case has no integer `value`")?;
    let got = content::is_valid_port_num(port);
    expect_eq("valid", got.is_empty(), bool_field(case, "valid")?)?;
    let want = match case.get("errors") {
        Some(list) => strings_field(list)?,
        None => Vec::new(),
    };
    expect_eq("errors", got, want)
}

fn check_labels_validation(case: &Value, _: &Value) -> Result<(), String> {
    let path = Path::new("metadata").child("labels");
    let errs = lbl::validate_labels(&labels_field(case, "labels")?, &path);
    if bool_field(case, "valid")? {
        return expect_eq("errors", errs.len(), 0);
    }
    if let Some(n) = case.get("error_count").and_then(Value::as_u64) {
        expect_eq("error_count", errs.len() as u64, n)?;
    }
    let first = errs.first().ok_or("no error, want one")?;
    expect_eq("field", first.field.as_str(), "metadata.labels")?;
    if let Some(detail) = case.get("detail").and_then(Value::as_str) {
        expect_eq("detail", first.detail.as_str(), detail)?;
    }
    match case.get("detail_contains").and_then(Value::as_str) {
        Some(part) if !first.detail.contains(part) => {
            Err(format!("detail {:?} lacks {part:?}", first.detail))
        }
        _ => Ok(()),
    }
}

fn check_label_selector_to_selector(case: &Value, _: &Value) -> Result<(), String> {
    let ls = label_selector_field(case)?;
    let got = label_selector_as_selector(ls.as_ref());
    expect_eq("ok", got.is_ok(), bool_field(case, "ok")?)?;
    let Ok(sel) = got else { return Ok(()) };
    expect_eq(
        "selector_string",
        sel.to_string().as_str(),
        str_field(case, "selector_string")?,
    )?;
    let nothing = case
        .get("matches_nothing")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    expect_eq("matches_nothing", sel.matches_nothing(), nothing)?;
    if nothing {
        expect_eq("matches the empty set", sel.matches(&Labels::new()), false)?;
    }
    Ok(())
}

fn check_label_selector_as_map(case: &Value, _: &Value) -> Result<(), String> {
    let ls = label_selector_field(case)?;
    match (label_selector_as_map(ls.as_ref()), bool_field(case, "ok")?) {
        (Ok(got), true) => {
            let want: Option<Labels> =
                serde_json::from_value(case.get("map").cloned().unwrap_or(Value::Null))
                    .map_err(|e| format!("map: {e}"))?;
            expect_eq("map", got, want)
        }
        (Err(e), false) => {
            expect_eq(
                "partial_map",
                e.partial.clone(),
                labels_field(case, "partial_map")?,
            )?;
            let part = str_field(case, "error_contains")?;
            let msg = e.to_string();
            if msg.contains(part) {
                Ok(())
            } else {
                Err(format!("error {msg:?} lacks {part:?}"))
            }
        }
        (Ok(got), false) => Err(format!("converted to {got:?}, want an error")),
        (Err(e), true) => Err(format!("error {e}, want a map")),
    }
}

fn check_label_selector_validation(case: &Value, _: &Value) -> Result<(), String> {
    let ls = label_selector_field(case)?.ok_or("label_selector is null")?;
    let errs = validate_label_selector(&ls, &Path::new("spec").child("selector"));
    let count = case
        .get("error_count")
        .and_then(Value::as_u64)
        .ok_or("case has no error_count")?;
    expect_eq("error_count", errs.len() as u64, count)?;
    match case.get("detail_contains").and_then(Value::as_str) {
        Some(part) if !errs.iter().any(|e| e.detail.contains(part)) => {
            Err(format!("no error detail contains {part:?}: {errs:?}"))
        }
        _ => Ok(()),
    }
}
