//! Unit tests of parsing, printing and matching (the upstream vectors run in
//! `core/tests/conformance/labels.rs`).

use super::*;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn canonical(s: &str) -> Result<String, String> {
    Selector::parse(s)
        .map(|s| s.to_string())
        .map_err(|e| e.to_string())
}

#[test]
fn canonical_forms() {
    assert_eq!(canonical("foo  in\t (abc)"), Ok("foo in (abc)".into()));
    assert_eq!(
        canonical("x notin (abc,,def),bar,z in (),w"),
        Ok("bar,w,x notin (,abc,def),z in ()".into())
    );
    assert_eq!(
        canonical("app=web,tier in (fe,be),!canary"),
        Ok("app=web,!canary,tier in (be,fe)".into())
    );
    assert_eq!(
        canonical("b==1,a!=2,c>3,d<4"),
        Ok("a!=2,b==1,c>3,d<4".into())
    );
    assert_eq!(canonical("a=1,a in (x),a"), Ok("a=1,a in (x),a".into()));
    assert_eq!(canonical("in in (in),notin"), Ok("in in (in),notin".into()));
    assert_eq!(canonical(""), Ok(String::new()));
    assert_eq!(canonical(" \t\r\n"), Ok(String::new()));
}

#[test]
fn errors_say_what_and_where() {
    let err = Selector::parse("a=b, x nott (y)").err();
    assert_eq!(
        err.as_ref().map(ToString::to_string).as_deref(),
        Some("unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt")
    );
    assert_eq!(err.and_then(|e| e.position()), Some(7));
    let cases = [
        ("a,", "found '', expected: identifier after ','"),
        (
            ",a",
            "found ',', expected: !, identifier, or 'end of string'",
        ),
        (
            "!",
            "unable to parse requirement: found '', expected: identifier",
        ),
        (
            "!!a",
            "unable to parse requirement: found '!', expected: identifier",
        ),
        (
            "a in b",
            "unable to parse requirement: found 'b' expected: '('",
        ),
        (
            "a in (b",
            "unable to parse requirement: found '', expected: ',' or ')'",
        ),
        (
            "a in (b,=)",
            "unable to parse requirement: found '=', expected: ',', or identifier",
        ),
        (
            "a in (b,",
            "unable to parse requirement: found '', expected: ',', or identifier",
        ),
        (
            "a in (=",
            "unable to parse requirement: found '=', expected: ',', ')' or identifier",
        ),
        (
            "a=(b)",
            "unable to parse requirement: found '(', expected: identifier",
        ),
        (
            "a>b",
            "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer",
        ),
        ("a in (x)b", "found 'b', expected: ',' or 'end of string'"),
    ];
    for (input, want) in cases {
        assert_eq!(canonical(input), Err(want.to_owned()), "input {input:?}");
    }
}

#[test]
fn several_requirement_errors_are_bracketed() {
    let long = "v".repeat(64);
    let got = canonical(&format!("k<{long}"));
    let want = format!(
        "unable to parse requirement: [values[0]: Invalid value: \"{long}\": for 'Gt', 'Lt' operators, the value must be an integer, values[0][k]: Invalid value: \"{long}\": must be no more than 63 bytes]"
    );
    assert_eq!(got, Err(want));
}

#[test]
fn matching_rules() {
    let l = labels(&[("app", "web"), ("empty", ""), ("n", "5")]);
    let m = |s: &str| Selector::parse(s).map(|sel| sel.matches(&l));
    assert_eq!(m(""), Ok(true));
    assert_eq!(m("app=web,empty"), Ok(true));
    assert_eq!(m("empty="), Ok(true));
    assert_eq!(m("missing!=x,missing notin (a),!missing"), Ok(true));
    assert_eq!(
        m("missing=,"),
        Err(SelectorError::ExpectedRequirementAfterComma {
            found: String::new(),
            position: 9
        })
    );
    assert_eq!(m("n>4,n<6"), Ok(true));
    assert_eq!(m("app>4"), Ok(false));
    assert_eq!(m("a,!a"), Ok(false));
    assert!(!Selector::nothing().matches(&Labels::new()));
    assert!(Selector::everything().matches(&Labels::new()));
    assert!(!Selector::nothing().is_empty() && Selector::everything().is_empty());
}

#[test]
fn set_selectors_and_building() {
    let set = labels(&[("b", "2"), ("a", "1")]);
    let sel = Selector::from_set(&set);
    assert_eq!(sel.to_string(), "a=1,b=2");
    assert!(sel.matches(&labels(&[("a", "1"), ("b", "2"), ("c", "3")])));
    assert!(Selector::from_set(&Labels::new()).is_empty());
    assert!(Selector::validated_from_set(&labels(&[("a", "b c")])).is_err());
    let built =
        Requirement::new("a", Operator::Exists, vec![]).map(|r| sel.clone().with(r).to_string());
    assert_eq!(built.ok().as_deref(), Some("a=1,a,b=2"));
    assert_eq!(sel.requires_exact_match("b"), Some("2"));
    assert_eq!(sel.requires_exact_match("z"), None);
    assert_eq!(
        "x in (a)"
            .parse::<Selector>()
            .map(|s| s.requires_exact_match("x").map(str::to_owned)),
        Ok(Some("a".into()))
    );
}

#[test]
fn label_selectors_from_the_api() {
    let mut ls = LabelSelector::default();
    assert!(label_selector_as_selector(None).is_ok_and(|s| s.matches_nothing()));
    assert!(ls.to_selector().is_ok_and(|s| s.is_empty()));
    ls.match_expressions
        .push(crate::objects::LabelSelectorRequirement {
            key: "tier".into(),
            operator: "In".into(),
            values: vec![],
        });
    assert_eq!(
        ls.to_selector().map_err(|e| e.to_string()),
        Err(
            "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"
                .to_owned()
        )
    );
    ls.match_expressions[0].operator = "Gt".into();
    assert_eq!(
        ls.to_selector().map_err(|e| e.to_string()),
        Err("\"Gt\" is not a valid label selector operator".to_owned())
    );
    let errs = validate_label_selector(&ls, &Path::new("spec").child("selector"));
    assert_eq!(
        errs.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Gt\": not a valid selector operator"
        ]
    );
    assert!(
        validate_label_selector_with(
            &ls,
            LabelSelectorValidationOptions {
                allow_unknown_operator_in_requirement: true,
                ..Default::default()
            },
            &Path::nil()
        )
        .is_empty()
    );
}

#[test]
fn api_string_round_trip() {
    let ls = parse_to_label_selector("app=web,tier in (fe,be),!canary");
    let back = ls.as_ref().map_err(ToString::to_string).and_then(|l| {
        l.to_selector()
            .map(|s| s.to_string())
            .map_err(|e| e.to_string())
    });
    assert_eq!(back.as_deref(), Ok("app=web,!canary,tier in (be,fe)"));
    assert_eq!(
        parse_to_label_selector("a>1").map_err(|e| e.to_string()),
        Err("\"gt\" isn't supported in label selectors".to_owned())
    );
    assert_eq!(
        parse_to_label_selector("a!=1").map_err(|e| e.to_string()),
        Err("\"!=\" is not a valid label selector operator".to_owned())
    );
    assert_eq!(
        parse_to_label_selector("(").map_err(|e| e.to_string()),
        Err("couldn't parse the selector string \"(\": found '(', expected: !, identifier, or 'end of string'".to_owned())
    );
}

#[test]
fn service_selectors_select_nothing_when_empty() {
    let pod = labels(&[("app", "web"), ("tier", "fe")]);
    assert!(service_selects(Some(&labels(&[("app", "web")])), &pod));
    assert!(!service_selects(Some(&labels(&[("app", "api")])), &pod));
    assert!(!service_selects(Some(&Labels::new()), &pod));
    assert!(!service_selects(None, &pod));
}

use crate::objects::LabelSelector;
use crate::validation::field::Path;
