//! Property tests of label selectors: the canonical string parses back to the same
//! selector, matching agrees with a naive reference written here from the rules in
//! kubernetes-behaviour.md §b.2, and parsing never panics on any input.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use proptest::prelude::*;
use svcplay_core::objects::Labels;
use svcplay_core::selector::lexer::scan;
use svcplay_core::selector::{Operator, Requirement, Selector};

/// A requirement as the reference model holds it.
#[derive(Debug, Clone)]
struct ModelReq {
    key: String,
    op: Operator,
    values: Vec<String>,
}

fn label_name() -> BoxedStrategy<String> {
    prop_oneof![
        "[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?",
        Just("in".to_owned()),
        Just("notin".to_owned()),
    ]
    .boxed()
}

fn label_key() -> BoxedStrategy<String> {
    (
        prop::option::of("[a-z0-9]([-a-z0-9]{0,4}[a-z0-9])?(\\.[a-z0-9]{1,3}){0,2}"),
        label_name(),
    )
        .prop_map(|(prefix, name)| match prefix {
            Some(p) => format!("{p}/{name}"),
            None => name,
        })
        .boxed()
}

fn label_value() -> BoxedStrategy<String> {
    prop_oneof![Just(String::new()), label_name(), "[0-9]{1,3}"].boxed()
}

fn model_req(
    key: BoxedStrategy<String>,
    value: BoxedStrategy<String>,
) -> impl Strategy<Value = ModelReq> {
    let one = value.clone().prop_map(|v| vec![v]);
    let set = prop::collection::btree_set(value, 1..4)
        .prop_map(|s: BTreeSet<String>| s.into_iter().collect());
    let int = (0i64..200, any::<bool>())
        .prop_map(|(n, pad)| vec![if pad { format!("0{n}") } else { n.to_string() }]);
    let op_and_values = prop_oneof![
        one.clone().prop_map(|v| (Operator::Equals, v)),
        one.clone().prop_map(|v| (Operator::DoubleEquals, v)),
        one.prop_map(|v| (Operator::NotEquals, v)),
        set.clone().prop_map(|v| (Operator::In, v)),
        set.prop_map(|v| (Operator::NotIn, v)),
        Just((Operator::Exists, Vec::new())),
        Just((Operator::DoesNotExist, Vec::new())),
        int.clone().prop_map(|v| (Operator::GreaterThan, v)),
        int.prop_map(|v| (Operator::LessThan, v)),
    ];
    (key, op_and_values).prop_map(|(key, (op, values))| ModelReq { key, op, values })
}

fn build(model: &[ModelReq]) -> Result<Selector, TestCaseError> {
    let reqs = model
        .iter()
        .map(|m| Requirement::new(m.key.as_str(), m.op, m.values.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TestCaseError::fail(format!("generated requirement refused: {e}")))?;
    Ok(Selector::from_requirements(reqs))
}

/// Base-10 int64 as Go's `strconv.ParseInt(s, 10, 64)` reads it, written out by hand.
fn go_parse_int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n: i128 = 0;
    for b in digits.bytes() {
        n = n * 10 + i128::from(b - b'0');
        if n > i128::from(i64::MAX) + 1 {
            return None;
        }
    }
    let n = if negative { -n } else { n };
    i64::try_from(n).ok()
}

/// The rules of §b.2, one requirement at a time.
fn reference_matches(model: &[ModelReq], labels: &Labels) -> bool {
    model.iter().all(|m| {
        let got = labels.get(&m.key);
        let in_set = got.is_some_and(|v| m.values.contains(v));
        match m.op {
            Operator::Equals | Operator::DoubleEquals | Operator::In => in_set,
            Operator::NotEquals | Operator::NotIn => !in_set,
            Operator::Exists => got.is_some(),
            Operator::DoesNotExist => got.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(have), Some(bound)) = (
                    got.and_then(|v| go_parse_int(v)),
                    go_parse_int(&m.values[0]),
                ) else {
                    return false;
                };
                if m.op == Operator::GreaterThan {
                    have > bound
                } else {
                    have < bound
                }
            }
        }
    })
}

/// Keys and values from a small pool, so that generated labels hit the requirements.
fn pooled_key() -> BoxedStrategy<String> {
    prop::sample::select(vec!["app", "tier", "example.com/zone", "n", "in"])
        .prop_map(str::to_owned)
        .boxed()
}

fn pooled_value() -> BoxedStrategy<String> {
    prop::sample::select(vec!["", "web", "api", "1", "5", "05", "150", "notin"])
        .prop_map(str::to_owned)
        .boxed()
}

fn pooled_labels() -> impl Strategy<Value = Labels> {
    let value = prop_oneof![
        4 => pooled_value(),
        1 => prop::sample::select(vec!["-7", "+3", "x1", "9223372036854775808", " 5"]).prop_map(str::to_owned),
    ];
    prop::collection::btree_map(pooled_key(), value, 0..5)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn canonical_string_parses_back(model in prop::collection::vec(model_req(label_key(), label_value()), 0..8)) {
        let sel = build(&model)?;
        let text = sel.to_string();
        let back = Selector::parse(&text);
        prop_assert_eq!(back.as_ref(), Ok(&sel), "canonical {:?}", text);
    }

    #[test]
    fn matching_agrees_with_reference(
        model in prop::collection::vec(model_req(pooled_key(), pooled_value()), 0..5),
        labels in pooled_labels(),
    ) {
        let sel = build(&model)?;
        let want = reference_matches(&model, &labels);
        prop_assert_eq!(sel.matches(&labels), want, "selector {}", sel);
        let reparsed = Selector::parse(&sel.to_string()).map(|s| s.matches(&labels));
        prop_assert_eq!(reparsed, Ok(want));
    }

    #[test]
    fn parse_never_panics_on_any_string(input in any::<String>()) {
        check_total(&input)?;
    }

    #[test]
    fn parse_never_panics_on_selector_like_strings(input in "[a-z0-9 =!(),<>.\\-_/\t\n\u{0}é]{0,40}") {
        check_total(&input)?;
    }
}

/// Lexing and parsing return a value; an accepted input prints to a canonical form that
/// parses to the same selector; a rejected one points inside the input.
fn check_total(input: &str) -> Result<(), TestCaseError> {
    let tokens = scan(input);
    prop_assert!(tokens.iter().all(|t| t.position <= input.len()));
    match Selector::parse(input) {
        Ok(sel) => {
            let text = sel.to_string();
            prop_assert_eq!(Selector::parse(&text), Ok(sel), "canonical {:?}", text);
        }
        Err(e) => {
            let at = e.position().unwrap_or(0);
            prop_assert!(at <= input.len(), "position {} beyond {:?}", at, input);
            prop_assert!(!e.to_string().is_empty());
        }
    }
    Ok(())
}
