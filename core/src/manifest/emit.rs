//! Writing objects as YAML: a [`Writer`] walks an object's [`Fields`] into a small tree,
//! and [`emit_map`] prints it the way `kubectl get -o yaml` does (two-space indents,
//! list items at their key's indent, strings quoted only when YAML would read them as
//! something else).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::fields::{Fields, Keep, ListSlot, OptSlot, Walker};
use crate::objects::Epoch;
use crate::objects::IntOrString;
use crate::objects::api_enum::ApiText;
use crate::sim::SimTime;

/// A value to print.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Y {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A list.
    Seq(Vec<Y>),
    /// A mapping, in order.
    Map(Vec<(String, Y)>),
}

/// Collects the fields of one struct. With an [`Epoch`] (the second field) it writes
/// what a cluster serves (`kubectl get -o yaml`): timestamps as RFC 3339 text, the
/// status, and the lists the simulation carries without acting on; without one it
/// writes a manifest (an export).
#[derive(Debug, Default)]
pub(crate) struct Writer(pub Vec<(String, Y)>, pub Option<Epoch>);

impl Writer {
    /// Adds a field.
    pub(crate) fn put(&mut self, key: &str, v: Y) {
        self.0.push((key.to_owned(), v));
    }

    fn put_if(&mut self, key: &str, v: Y, keep: bool) {
        if keep {
            self.put(key, v);
        }
    }
}

fn fields_of(v: &mut dyn Fields, live: Option<Epoch>) -> Vec<(String, Y)> {
    let mut w = Writer(Vec::new(), live);
    v.walk(&mut w);
    w.0
}

fn map_of(m: &BTreeMap<String, String>) -> Y {
    Y::Map(
        m.iter()
            .map(|(k, v)| (k.clone(), Y::Str(v.clone())))
            .collect(),
    )
}

impl Walker for Writer {
    fn string(&mut self, key: &'static str, v: &mut String, keep: Keep) {
        self.put_if(
            key,
            Y::Str(v.clone()),
            keep == Keep::Always || !v.is_empty(),
        );
    }
    fn opt_string(&mut self, key: &'static str, v: &mut Option<String>) {
        if let Some(s) = v {
            self.put(key, Y::Str(s.clone()));
        }
    }
    fn int32(&mut self, key: &'static str, v: &mut i32, keep: Keep) {
        self.put_if(key, Y::Int((*v).into()), keep == Keep::Always || *v != 0);
    }
    fn opt_int32(&mut self, key: &'static str, v: &mut Option<i32>) {
        if let Some(n) = v {
            self.put(key, Y::Int((*n).into()));
        }
    }
    fn count(&mut self, key: &'static str, _: &'static str, v: &mut u32, keep: Keep) {
        self.put_if(key, Y::Int((*v).into()), keep == Keep::Always || *v != 0);
    }
    fn opt_count(&mut self, key: &'static str, _: &'static str, v: &mut Option<u32>) {
        if let Some(n) = v {
            self.put(key, Y::Int((*n).into()));
        }
    }
    fn boolean(&mut self, key: &'static str, v: &mut bool, keep: Keep) {
        self.put_if(key, Y::Bool(*v), keep == Keep::Always || *v);
    }
    fn opt_bool(&mut self, key: &'static str, v: &mut Option<bool>) {
        if let Some(b) = v {
            self.put(key, Y::Bool(*b));
        }
    }
    fn strings(&mut self, key: &'static str, v: &mut Vec<String>) {
        let items = v.iter().map(|s| Y::Str(s.clone())).collect();
        self.put_if(key, Y::Seq(items), !v.is_empty());
    }
    fn string_map(&mut self, key: &'static str, v: &mut BTreeMap<String, String>) {
        self.put_if(key, map_of(v), !v.is_empty());
    }
    fn opt_string_map(&mut self, key: &'static str, v: &mut Option<BTreeMap<String, String>>) {
        if let Some(m) = v {
            self.put(key, map_of(m));
        }
    }
    fn int_or_string(&mut self, key: &'static str, v: &mut IntOrString, keep: Keep) {
        let set = keep == Keep::Always || !v.is_unset();
        match v {
            IntOrString::Int(n) => self.put_if(key, Y::Int((*n).into()), set),
            IntOrString::String(s) => self.put_if(key, Y::Str(s.clone()), set),
        }
    }
    fn api_text(&mut self, key: &'static str, _: &'static str, v: &mut dyn ApiText, keep: Keep) {
        let text = v.text();
        self.put_if(
            key,
            Y::Str(text.into()),
            keep == Keep::Always || !text.is_empty(),
        );
    }
    fn object(&mut self, key: &'static str, v: &mut dyn Fields, keep: Keep) {
        let inner = fields_of(v, self.1);
        let set = keep == Keep::Always || !inner.is_empty();
        self.put_if(key, Y::Map(inner), set);
    }
    fn opt_object(&mut self, key: &'static str, v: &mut dyn OptSlot) {
        if let Some(inner) = v.get() {
            let inner = fields_of(inner, self.1);
            self.put(key, Y::Map(inner));
        }
    }
    fn list(&mut self, key: &'static str, v: &mut dyn ListSlot, keep: Keep) {
        let items: Vec<Y> = (0..v.len())
            .filter_map(|i| v.at(i).map(|f| Y::Map(fields_of(f, self.1))))
            .collect();
        let set = keep == Keep::Always || !items.is_empty();
        self.put_if(key, Y::Seq(items), set);
    }
    /// Timestamps are the cluster's: an export leaves them out; a dump writes them.
    fn timestamp(&mut self, key: &'static str, v: &mut Option<SimTime>) {
        if let (Some(epoch), Some(t)) = (self.1, v) {
            self.put(key, Y::Str(epoch.format(*t)));
        }
    }
    /// A status is the cluster's: an export leaves it out; a dump writes it.
    fn server(&mut self, key: &'static str, v: &mut dyn Fields) {
        if self.1.is_some() {
            // A struct in Go: never omitted.
            self.object(key, v, Keep::Always);
        }
    }
    /// What the simulation does not act on is not exported; a dump writes it.
    fn live_list(&mut self, key: &'static str, v: &mut dyn ListSlot) {
        if self.1.is_some() {
            self.list(key, v, Keep::Set);
        }
    }
}

/// Prints a mapping's entries at `indent` spaces, strings as [`scalar`] writes them.
pub(crate) fn emit_map(out: &mut String, entries: &[(String, Y)], indent: usize) {
    emit_map_with(out, entries, indent, scalar);
}

/// How a string is written as a YAML scalar (the exporter's [`scalar`], or kubectl's
/// go-yaml choice in `kubectl::output`).
pub(crate) type Scalar = fn(&mut String, &str);

/// Prints a mapping's entries at `indent` spaces, writing strings with `scalar`: the
/// one block layout shared by exports, dumps and kubectl's `-o yaml`.
pub(crate) fn emit_map_with(
    out: &mut String,
    entries: &[(String, Y)],
    indent: usize,
    scalar: Scalar,
) {
    for (k, v) in entries {
        pad(out, indent);
        scalar(out, k);
        out.push(':');
        value(out, v, indent, scalar);
    }
}

/// Prints a value after `key:` (or `- `) on the current line.
fn value(out: &mut String, v: &Y, indent: usize, scalar: Scalar) {
    match v {
        Y::Map(m) if m.is_empty() => out.push_str(" {}\n"),
        Y::Seq(s) if s.is_empty() => out.push_str(" []\n"),
        Y::Map(m) => {
            out.push('\n');
            emit_map_with(out, m, indent + 2, scalar);
        }
        Y::Seq(items) => {
            out.push('\n');
            emit_seq(out, items, indent, scalar);
        }
        leaf => {
            out.push(' ');
            leaf_text(out, leaf, scalar);
            out.push('\n');
        }
    }
}

fn emit_seq(out: &mut String, items: &[Y], indent: usize, scalar: Scalar) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Y::Map(m) if !m.is_empty() => {
                // The first entry shares the dash's line.
                let mut first = String::new();
                emit_map_with(&mut first, m, indent + 2, scalar);
                out.push(' ');
                out.push_str(first.get(indent + 2..).unwrap_or_default());
            }
            Y::Seq(s) if !s.is_empty() => {
                out.push('\n');
                emit_seq(out, s, indent + 2, scalar);
            }
            other => value(out, other, indent + 2, scalar),
        }
    }
}

fn leaf_text(out: &mut String, v: &Y, scalar: Scalar) {
    match v {
        Y::Str(s) => scalar(out, s),
        Y::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Y::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Y::Map(_) | Y::Seq(_) => {}
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A string as a YAML scalar: plain when every YAML (1.1 and 1.2) reads it back as the
/// same string, single-quoted when it needs no escapes, double-quoted otherwise.
pub(crate) fn scalar(out: &mut String, s: &str) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if s.chars().all(raw_ok) {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push_str(&quoted(s));
    }
}

/// A double-quoted string both YAML and JSON read back as `s`: `"` and `\` escaped,
/// and every character YAML may not hold raw (C0 and C1 controls, DEL, U+FFFE, U+FFFF,
/// and YAML 1.1's line breaks U+0085, U+2028, U+2029) as a `\uXXXX` escape, which both
/// languages share.
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if !raw_ok(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `c` may stand raw inside a quoted or plain scalar: printable, and not one
/// of YAML 1.1's line breaks (LF, CR, U+0085, U+2028, U+2029) or a tab.
fn raw_ok(c: char) -> bool {
    printable(c) && !matches!(c, '\n' | '\r' | '\t' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// YAML 1.2's printable set (§5.1): tab, LF, CR, U+0020..U+007E, U+0085,
/// U+00A0..U+D7FF, U+E000..U+FFFD and the planes above.
fn printable(c: char) -> bool {
    matches!(u32::from(c), 0x9 | 0xA | 0xD | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..)
}

/// Words YAML 1.1 or 1.2 resolves to null or a boolean.
const SPECIAL: &[&str] = &[
    "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
];

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if SPECIAL.contains(&s.to_ascii_lowercase().as_str()) || looks_numeric(s) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_whitespace() {
        return false;
    }
    if s.ends_with(char::is_whitespace) || s.ends_with(':') {
        return false;
    }
    !(s.contains(": ") || s.contains(" #") || !s.chars().all(raw_ok))
}

/// Whether a YAML 1.1 or 1.2 reader might take `s` for a number or a date: integers in
/// any base, floats (`1.0`, `1e3`, `.inf`), YAML 1.1's `1_000`, `1:20` and
/// `2024-01-01`. Such strings are quoted; `10.96.0.1` is not a number and stays plain.
fn looks_numeric(s: &str) -> bool {
    let body = s.trim_start_matches(['+', '-']).replace('_', "");
    let digits = |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c.is_digit(radix));
    let lower = body.to_ascii_lowercase();
    let based = [("0x", 16), ("0o", 8), ("0b", 2)]
        .iter()
        .any(|(p, r)| lower.strip_prefix(p).is_some_and(|t| digits(t, *r)));
    let sexagesimal_or_date = body.starts_with(|c: char| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || ":.-".contains(c))
        && (body.contains(':') || body.contains('-'));
    let special = lower == ".inf" || lower == ".nan";
    based || special || sexagesimal_or_date || body.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn s(text: &str) -> String {
        let mut out = String::new();
        scalar(&mut out, text);
        out
    }

    #[test]
    fn strings_yaml_would_read_as_something_else_are_quoted() {
        assert_eq!(s("prod"), "prod");
        assert_eq!(s("app.kubernetes.io/name"), "app.kubernetes.io/name");
        assert_eq!(
            s("registry.k8s.io/nginx:1.27"),
            "registry.k8s.io/nginx:1.27"
        );
        assert_eq!(s(""), "''");
        assert_eq!(s("true"), "'true'");
        assert_eq!(s("Yes"), "'Yes'");
        assert_eq!(s("80"), "'80'");
        assert_eq!(s("1.0"), "'1.0'");
        assert_eq!(s("0x1F"), "'0x1F'");
        assert_eq!(s("-1"), "'-1'");
        assert_eq!(s("1_000"), "'1_000'");
        assert_eq!(s("2024-01-01"), "'2024-01-01'");
        assert_eq!(s("10.96.0.1"), "10.96.0.1");
        assert_eq!(s("inf"), "'inf'");
        assert_eq!(s(".inf"), "'.inf'");
        assert_eq!(s("a: b"), "'a: b'");
        assert_eq!(s("it's"), "it's");
        assert_eq!(s("'q'"), "'''q'''");
        assert_eq!(s("- x"), "'- x'");
        assert_eq!(s("two\nlines"), "\"two\\nlines\"");
        assert_eq!(
            s("del\u{7f} c1\u{80} nel\u{85} ls\u{2028} bom\u{feff} nc\u{fffe}"),
            "\"del\\u007f c1\\u0080 nel\\u0085 ls\\u2028 bom\u{feff} nc\\ufffe\""
        );
    }

    #[test]
    fn nested_maps_and_lists_print_as_kubectl_prints_them() {
        let doc = vec![
            ("kind".to_owned(), Y::Str("Service".into())),
            (
                "spec".to_owned(),
                Y::Map(vec![
                    (
                        "ports".to_owned(),
                        Y::Seq(vec![Y::Map(vec![
                            ("port".to_owned(), Y::Int(80)),
                            ("name".to_owned(), Y::Str("http".into())),
                        ])]),
                    ),
                    ("selector".to_owned(), Y::Map(vec![])),
                    ("cmd".to_owned(), Y::Seq(vec![Y::Str("sh".into())])),
                    ("on".to_owned(), Y::Bool(true)),
                ]),
            ),
        ];
        let mut out = String::new();
        emit_map(&mut out, &doc, 0);
        assert_eq!(
            out,
            "kind: Service\nspec:\n  ports:\n  - port: 80\n    name: http\n  selector: {}\n  cmd:\n  - sh\n  'on': true\n"
        );
    }
}
