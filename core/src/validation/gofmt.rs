//! Rendering values as Go renders them in Kubernetes' messages: `%q` (`strconv.Quote`)
//! for strings and `encoding/json` for lists of strings.
//!
//! Upstream: golang/go@go1.24 `src/strconv/quote.go` `appendQuotedWith`,
//! `src/encoding/json/encode.go` `appendString`.

use std::fmt::Write as _;

/// A string quoted like Go's `%q` / `strconv.Quote`: `"a\"b"`, `"\t"`, `"\x01"`, `"\u200b"`.
///
/// Simplification: Go decides "printable" with its Unicode tables (`unicode.IsPrint`);
/// here control characters, separators other than the ASCII space, format characters,
/// private-use characters and noncharacters are escaped, but unassigned code points are
/// kept as they are.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Whether Go's `unicode.IsPrint` would call `c` printable (see [`quote`]).
fn is_go_printable(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7F).contains(&u);
    }
    if c.is_control() {
        return false;
    }
    // Separators other than U+0020 (Zs, Zl, Zp) are not printable in Go.
    if matches!(
        u,
        0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000
    ) {
        return false;
    }
    // Format characters (Cf).
    if matches!(
        u,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    ) {
        return false;
    }
    // Private use (Co) and the noncharacters U+FFFE, U+FFFF of each plane.
    if matches!(u, 0xE000..=0xF8FF | 0xFDD0..=0xFDEF | 0xF0000..=0x10FFFF) || (u & 0xFFFE) == 0xFFFE
    {
        return false;
    }
    true
}

/// One string as Go's `encoding/json` writes it (HTML-safe: `<`, `>`, `&` escaped).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_string(&mut out, s);
    out
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A list of strings as Go's `json.Marshal([]string{...})`: `["a","b"]`, or `[]`.
/// A nil Go slice marshals as `null`; see [`JSON_NULL`].
pub fn json_strings<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::from("[");
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(&mut out, s.as_ref());
    }
    out.push(']');
    out
}

/// How Go's `encoding/json` writes a nil slice.
pub const JSON_NULL: &str = "null";

/// A list of strings as Go's `%v`/`%s` prints a `[]string`: `[a b]`.
pub fn go_list<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::from("[");
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(s.as_ref());
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn quote_escapes_like_go() {
        assert_eq!(quote("a||y"), "\"a||y\"");
        assert_eq!(quote("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
        assert_eq!(quote("\u{1}\t\u{7f}"), "\"\\x01\\t\\x7f\"");
        assert_eq!(quote("rā\u{200b}\u{a0}"), "\"rā\\u200b\\u00a0\"");
        assert_eq!(quote("\u{10ffff}"), "\"\\U0010ffff\"");
    }

    #[test]
    fn json_like_go() {
        assert_eq!(json_strings::<&str>(&[]), "[]");
        assert_eq!(json_strings(&["bar", "foo"]), "[\"bar\",\"foo\"]");
        assert_eq!(
            json_string("<a&b>\u{1}\n"),
            "\"\\u003ca\\u0026b\\u003e\\u0001\\n\""
        );
        assert_eq!(go_list(&["x", "a||y", "b"]), "[x a||y b]");
        assert_eq!(go_list::<&str>(&[]), "[]");
    }
}
