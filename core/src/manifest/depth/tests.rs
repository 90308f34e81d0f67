use serde::Deserialize;

use yaml_serde::Value;

use super::*;
use crate::manifest::stream::too_deep;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The parsed depth of every document, or `None` when the stream does not parse.
fn parsed_depths(text: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for de in yaml_serde::Deserializer::from_str(text) {
        let v = Value::deserialize(de).ok()?;
        let depth = (0..).find(|&l| too_deep(&v, l).is_none()).unwrap_or(0);
        out.push(depth);
    }
    Some(out)
}

fn parsed_max(text: &str) -> usize {
    let depths = parsed_depths(text).unwrap_or_else(|| panic!("{text:?} does not parse"));
    depths.into_iter().max().unwrap_or(0)
}

#[test]
fn counts_what_the_parser_nests() {
    // (text, what the scan counts, what parses): a block mapping whose key is a flow
    // collection opens at the `:`, after the key, so the scan counts one less there.
    for (text, scanned, parsed) in [
        ("a", 0, 0),
        ("a: b", 1, 1),
        ("a:\n  b:\n    c: d\n", 3, 3),
        ("- - - x\n", 3, 3),
        ("a: [b, {c: [d]}]", 4, 4),
        ("{\"a\":{\"b\":[1,2,{\"c\":null}]}}", 4, 4),
        ("? [a, b]\n: c\n", 2, 2),
        ("[a, b]: c\n", 1, 2),
        ("a: |\n  [[[[\n  {{{{\nb: 1\n", 1, 1),
        ("a: '[[[[' # [[[[\nb: \"{{\\\"{{\"\n", 1, 1),
        ("a: b[[[[ c\n", 1, 1),
        ("- [a,\n  b,\n  [c]]\n", 3, 3),
    ] {
        assert_eq!(max_depth(text), scanned, "{text:?}");
        assert_eq!(parsed_max(text), parsed, "{text:?}");
    }
    // An indentless sequence opens no indentation level: one less than parsed.
    assert_eq!(max_depth("a:\n- b\n"), 1);
    assert_eq!(parsed_max("a:\n- b\n"), 2);
}

#[test]
fn stops_at_the_first_collection_over_the_limit() {
    let text = format!("kind: A\n---\nkind: B\nspec: {}", "[".repeat(200));
    let e = check(&text, 100).unwrap_err();
    // The block mapping is level 1, so the 100th bracket opens level 101.
    assert_eq!(e.depth, 101);
    assert_eq!(
        e.position,
        Position {
            line: 4,
            column: 106
        }
    );
    assert_eq!(e.document, 1);
    assert!(check(&format!("{}{}", "[".repeat(99), "]".repeat(99)), 100).is_ok());
}

#[test]
fn deep_flow_nesting_is_refused_in_linear_time() {
    // 1 MiB of `{a: ` would keep the YAML scanner busy for minutes.
    let text = "{a: ".repeat(256 * 1024);
    let e = check(&text, 100).unwrap_err();
    assert_eq!((e.depth, e.position.line, e.position.column), (101, 1, 401));
    // Brackets the scanner reads as text do not count, however many.
    let quoted = format!(
        "a: \"{}\"\nb: '{}'\n# {}\n",
        "[".repeat(100_000),
        "{".repeat(100_000),
        "[".repeat(100_000)
    );
    assert_eq!(max_depth(&quoted), 1);
    let block = format!(
        "a: |\n  {}\n  {}\nb: c\n",
        "[".repeat(100_000),
        "{".repeat(100_000)
    );
    assert_eq!(max_depth(&block), 1);
}

#[test]
fn a_quote_inside_a_plain_scalar_does_not_hide_the_brackets_after_it() {
    // Line 2 continues the plain scalar `v`, so its `"` is text, not a quote: the flow
    // sequence on line 3 is real and must be counted.
    let deep = "[".repeat(150);
    for text in [
        format!("k: v\n \"\nx: {deep}\n \"\n"),
        format!("k: v\n '\nx: {deep}\n '\n"),
        format!("- a, \" c: {deep}\n"),
        format!("k: it's\nx: {deep}\n"),
        format!("k: v\n |\nx: {deep}\n"),
        format!("k: v # \"\nx: {deep}\n"),
        format!("k: &a {deep}\n"),
        format!("k: !t {deep}\n"),
        format!("k: !t'x {deep}\n"),
    ] {
        let e = check(&text, 100).unwrap_err();
        assert_eq!(e.depth, 101, "{text:?}");
    }
}

#[test]
fn the_vendored_demos_are_well_under_the_limit() {
    for text in [
        include_str!("../../../tests/manifests/bookinfo/bookinfo.yaml"),
        include_str!("../../../tests/manifests/guestbook/guestbook-all-in-one.yaml"),
        include_str!("../../../tests/manifests/online-boutique/kubernetes-manifests.yaml"),
    ] {
        let scanned = max_depth(text);
        let parsed = parsed_max(text);
        assert!(scanned <= parsed && parsed < 12, "{scanned} {parsed}");
    }
}

#[test]
fn too_deep_names_the_path() {
    let v: Value = yaml_serde::from_str("a:\n  b: [x, [y, {c: [z]}]]\n").unwrap();
    let (depth, path) = too_deep(&v, 4).unwrap();
    assert_eq!(depth, 5);
    assert_eq!(path.to_string(), "a.b[1][1]");
    let (depth, path) = too_deep(&v, 5).unwrap();
    assert_eq!((depth, path.to_string().as_str()), (6, "a.b[1][1].c"));
    assert_eq!(too_deep(&v, 6), None);
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use proptest::prelude::*;

    use super::*;

    /// Pieces that change what the scanner sees: brackets, quotes, escapes, comments,
    /// indentation, block indicators, properties, document markers, odd line breaks.
    const PIECES: &[&str] = &[
        "[", "]", "{", "}", ",", ":", ": ", "- ", "? ", "'", "\"", "''", "\\\"", "#", " #", "\n",
        "\n  ", "\n- ", "  ", "a", "b c", "&x ", "!t ", "|\n  ", ">-\n ", "---\n", "...\n", "\t",
        "é", "\u{2028}", "\r\n", "%", ":x", "-x", "?x", "0",
    ];

    fn text(pieces: &[usize]) -> String {
        pieces.iter().map(|&i| PIECES[i % PIECES.len()]).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3_000))]

        /// Nothing the parser accepts is counted deeper than it parses.
        #[test]
        fn never_deeper_than_parsed(pieces in proptest::collection::vec(0usize..64, 0..40)) {
            let t = text(&pieces);
            if let Some(depths) = parsed_depths(&t) {
                // The parser reads an empty stream as one empty document.
                let documents = check(&t, usize::MAX).map(|s| s.documents).unwrap_or(0);
                prop_assert!(documents == depths.len() || (documents, depths.len()) == (0, 1), "{t:?}: {documents} documents, {} parsed", depths.len());
                let parsed = depths.into_iter().max().unwrap_or(0);
                prop_assert!(max_depth(&t) <= parsed, "{t:?}: {} > {parsed}", max_depth(&t));
            }
        }

        /// In a flow collection without `:` or `?` (which make single-pair mappings with
        /// no bracket) every level is a bracket the scanner saw: the count is exact,
        /// quotes, comments and plain scalars inside included.
        #[test]
        fn exact_inside_flow_collections(pieces in proptest::collection::vec(0usize..64, 0..40)) {
            let flow: Vec<&str> = PIECES.iter().copied().filter(|p| !p.contains([':', '?'])).collect();
            let t: String = pieces.iter().map(|&i| flow[i % flow.len()]).collect();
            let t = format!("[{t}]");
            if let Some(depths) = parsed_depths(&t) {
                let parsed = depths.into_iter().max().unwrap_or(0);
                prop_assert_eq!(max_depth(&t), parsed, "{:?}", t);
            }
        }

        /// Whatever the text around them, brackets the parser nests past its own limit
        /// (128) are counted: if the scan passed such a text, the scanner would go
        /// quadratic on it.
        #[test]
        fn never_misses_deep_flow(
            before in proptest::collection::vec(0usize..64, 0..30),
            after in proptest::collection::vec(0usize..64, 0..10),
        ) {
            let t = format!("{}{}{}", text(&before), "[".repeat(300), text(&after));
            // The first error ends the stream (the iterator repeats it).
            let first_error = yaml_serde::Deserializer::from_str(&t)
                .find_map(|de| Value::deserialize(de).err());
            let refused = first_error.is_some_and(|e| e.to_string().contains("recursion limit"));
            if refused {
                prop_assert!(max_depth(&t) > 100, "{t:?}: {}", max_depth(&t));
            }
        }
    }
}
