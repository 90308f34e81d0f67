//! `kubectl get -o yaml|json|name`: the objects as the cluster serves them, printed the
//! way kubectl's printers print them.
//!
//! kubectl receives objects as JSON maps, so both printers see the keys sorted: `-o
//! json` is Go's `json.MarshalIndent(obj, "", "    ")` (HTML characters escaped, as
//! Go's encoder does by default), `-o yaml` is `sigs.k8s.io/yaml` (go-yaml v2): block
//! style, list items at their key's indent, a string quoted `"…"` when YAML would read
//! it as something else (a number, a boolean, null, a timestamp), `'…'` when it cannot
//! stand plain. Several objects (or a name-less `get`) print as one `v1` `List`.
//! Upstream: kubernetes/cli-runtime@69e8693b2560484b0b950d56006157200ab67947
//! `pkg/printers/json.go`, `pkg/printers/yaml.go`, `pkg/printers/name.go`;
//! go-yaml/yaml@v2.4.0 `resolve.go`, `encode.go` (`stringv`), `emitterc.go`
//! (`yaml_emitter_analyze_scalar`).
//!
//! Simplification: a string with a line break is double-quoted with `\n` escapes
//! (go-yaml writes a literal block `|-`); `uid`, `resourceVersion`, `generation` and
//! `ownerReferences` are not part of the model and are not printed.

use std::fmt::Write as _;

use crate::manifest::{LiveObject, Y, emit_map_with, live_tree};
use crate::objects::Epoch;

/// One object, or a `List` of several, as a sorted tree.
fn tree(objects: &[LiveObject], epoch: Epoch, as_list: bool) -> Y {
    let mut items: Vec<Y> = objects
        .iter()
        .map(|o| sorted(Y::Map(live_tree(o, epoch))))
        .collect();
    if !as_list && items.len() == 1 {
        return items.pop().unwrap_or(Y::Map(Vec::new()));
    }
    Y::Map(vec![
        ("apiVersion".to_owned(), Y::Str("v1".to_owned())),
        ("items".to_owned(), Y::Seq(items)),
        ("kind".to_owned(), Y::Str("List".to_owned())),
        (
            "metadata".to_owned(),
            Y::Map(vec![("resourceVersion".to_owned(), Y::Str(String::new()))]),
        ),
    ])
}

/// Keys sorted at every level, as a JSON map round trip leaves them.
fn sorted(y: Y) -> Y {
    match y {
        Y::Map(mut m) => {
            crate::sort::sort_by(&mut m, |a, b| a.0.cmp(&b.0));
            Y::Map(m.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Y::Seq(s) => Y::Seq(s.into_iter().map(sorted).collect()),
        leaf => leaf,
    }
}

/// `-o yaml`: one object, or a `List` when `as_list` (a `get` of a kind rather than
/// of named objects) or several.
pub fn yaml(objects: &[LiveObject], epoch: Epoch, as_list: bool) -> String {
    let mut out = String::new();
    if let Y::Map(m) = tree(objects, epoch, as_list) {
        emit_map_with(&mut out, &m, 0, go_yaml_scalar);
    }
    out
}

/// `-o json`, likewise.
pub fn json(objects: &[LiveObject], epoch: Epoch, as_list: bool) -> String {
    let mut out = String::new();
    json_value(&mut out, &tree(objects, epoch, as_list), 0);
    out.push('\n');
    out
}

/// `-o name`: `kind.group/name`, one per line (`pod/web-1`, `deployment.apps/web`).
pub fn name(resource: &str, name: &str) -> String {
    format!("{resource}/{name}\n")
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A string as go-yaml v2 writes it, for [`emit_map_with`].
fn go_yaml_scalar(out: &mut String, s: &str) {
    out.push_str(&yaml_scalar(s));
}

/// go-yaml v2's choice for a string: double-quoted when it would resolve to another
/// type (or is a base-60 float, or holds a line break), plain when the emitter allows
/// it, single-quoted otherwise.
fn yaml_scalar(s: &str) -> String {
    if s.contains('\n') || resolves_to_non_string(s) || is_base60_float(s) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return s.to_owned();
    }
    if s.chars().all(|c| !c.is_control()) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    double_quoted(s)
}

/// Words go-yaml v2's `resolveMap` reads as null, a boolean or a special float.
const RESOLVED: &[&str] = &[
    "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N",
    "no", "No", "NO", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
    "-.INF", "<<",
];

/// go-yaml v2's `resolve`: whether a plain scalar would not read back as a string.
fn resolves_to_non_string(s: &str) -> bool {
    if RESOLVED.contains(&s) {
        return true;
    }
    let Some(first) = s.chars().next() else {
        return true;
    };
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return false;
    }
    if looks_like_timestamp(s) {
        return true;
    }
    let plain = s.replace('_', "");
    let body = plain.trim_start_matches(['+', '-']);
    let digits = |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c.is_digit(radix));
    let lower = body.to_ascii_lowercase();
    let based = [("0x", 16), ("0o", 8), ("0b", 2)]
        .iter()
        .any(|(p, r)| lower.strip_prefix(p).is_some_and(|t| digits(t, *r)));
    based || digits(body, 10) || is_yaml_float(&plain)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// go-yaml's `parseTimestamp` formats all start `YYYY-M-D`.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && s[5..]
            .split(['-', 'T', 't', ' '])
            .take(2)
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()))
}

/// `isBase60Float`: `1:20`, `190:20:30.15`.
fn is_base60_float(s: &str) -> bool {
    let body = s.trim_start_matches(['+', '-']);
    body.contains(':')
        && body.starts_with(|c: char| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '_'))
}

/// libyaml's analysis for a plain scalar in block context.
fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if first == ' ' || s.ends_with(' ') {
        return false;
    }
    let second_blank = s.chars().nth(1).is_none_or(|c| c == ' ');
    if "#,[]{}&*!|>'\"%@`".contains(first) || ("?:-".contains(first) && second_blank) {
        return false;
    }
    if s.contains(": ") || s.ends_with(':') || s.contains(" #") {
        return false;
    }
    s.chars().all(|c| !c.is_control() && c != '\u{feff}')
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_value(out: &mut String, v: &Y, indent: usize) {
    match v {
        Y::Str(s) => json_string(out, s),
        Y::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Y::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Y::Seq(items) if items.is_empty() => out.push_str("[]"),
        Y::Map(m) if m.is_empty() => out.push_str("{}"),
        Y::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                pad(out, indent + 4);
                json_value(out, item, indent + 4);
            }
            out.push('\n');
            pad(out, indent);
            out.push(']');
        }
        Y::Map(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                pad(out, indent + 4);
                json_string(out, k);
                out.push_str(": ");
                json_value(out, item, indent + 4);
            }
            out.push('\n');
            pad(out, indent);
            out.push('}');
        }
    }
}

/// Go's `encoding/json` string: `"` and `\` escaped, `\n` `\r` `\t`, other controls
/// and `<` `>` `&` U+2028 U+2029 as `\u00XX`.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::build::{app, http_service};
    use crate::objects::{NamespacedName, Service};
    use crate::sim::SimTime;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn service() -> LiveObject {
        let mut s: Service = http_service(&NamespacedName::default_ns("prod"), app("prod"));
        s.metadata.creation_timestamp = Some(SimTime::from_secs(61));
        s.spec.cluster_ip = "10.96.14.2".into();
        s.spec.cluster_ips = vec!["10.96.14.2".into()];
        LiveObject::Service(s)
    }

    #[test]
    fn strings_are_quoted_as_go_yaml_quotes_them() {
        let cases = [
            ("prod", "prod"),
            ("10.96.0.1", "10.96.0.1"),
            ("80", "\"80\""),
            ("True", "\"True\""),
            ("", "\"\""),
            ("2025-06-01T12:00:00Z", "\"2025-06-01T12:00:00Z\""),
            ("1:20", "\"1:20\""),
            ("1e3", "\"1e3\""),
            ("0x1F", "\"0x1F\""),
            ("*", "'*'"),
            ("a: b", "'a: b'"),
            ("- x", "'- x'"),
            ("-x", "-x"),
            (
                "registry.k8s.io/e2e-test-images/agnhost:2.53",
                "registry.k8s.io/e2e-test-images/agnhost:2.53",
            ),
        ];
        for (s, want) in cases {
            assert_eq!(yaml_scalar(s), want, "{s:?}");
        }
    }

    #[test]
    fn a_service_prints_with_sorted_keys_in_yaml_and_json() {
        let epoch = Epoch::parse("2025-06-01T12:00:00Z").unwrap();
        let y = yaml(&[service()], epoch, false);
        assert!(
            y.starts_with(
                "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: \"2025-06-01T12:01:01Z\"\n  name: prod\n  namespace: default\nspec:\n"
            ),
            "{y}"
        );
        assert!(
            y.contains(
                "  ports:\n  - name: http\n    port: 80\n    protocol: TCP\n    targetPort: http\n"
            ),
            "{y}"
        );
        assert!(y.ends_with("status:\n  loadBalancer: {}\n"), "{y}");
        let j = json(&[service()], epoch, false);
        assert!(
            j.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Service\",\n    \"metadata\": {\n        \"creationTimestamp\": \"2025-06-01T12:01:01Z\",\n"),
            "{j}"
        );
        assert!(
            j.ends_with("    \"status\": {\n        \"loadBalancer\": {}\n    }\n}\n"),
            "{j}"
        );
        let list = yaml(&[service(), service()], epoch, false);
        assert!(list.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n"));
        assert!(list.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"));
        let back = crate::manifest::read_live(&list, epoch).unwrap();
        assert_eq!(back.objects, vec![service(), service()]);
        assert_eq!(name("service", "prod"), "service/prod\n");
    }

    #[test]
    fn json_escapes_html_characters_as_go_does() {
        let mut out = String::new();
        json_string(&mut out, "a<b>&\"c\"\n");
        assert_eq!(out, "\"a\\u003cb\\u003e\\u0026\\\"c\\\"\\n\"");
    }
}
