use super::*;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const TEXT: &str = "kind: A\n---\nkind: Service\nspec:\n  ports:\n  - port: 80\n  - port: 81\n    nodePort: 30001\nmetadata:\n  labels:\n    app.kubernetes.io/name: x\n";

fn at(text: &str, doc: usize, path: &str) -> (usize, usize) {
    let p = Spans::build(text)
        .locate(doc, &FieldPath::parse(path))
        .unwrap_or_default();
    (p.line, p.column)
}

#[test]
fn finds_values_in_the_second_document_with_stream_lines() {
    assert_eq!(at(TEXT, 1, "spec.ports[1].nodePort"), (8, 15));
    assert_eq!(at(TEXT, 1, "spec.ports[0].port"), (6, 11));
    assert_eq!(
        at(TEXT, 1, "metadata.labels[app.kubernetes.io/name]"),
        (11, 29)
    );
    assert_eq!(at(TEXT, 0, "kind"), (1, 7));
    // A block mapping is where its first key is, as the parser has it.
    assert_eq!(at(TEXT, 1, ""), (3, 1));
    assert_eq!(at(TEXT, 1, "spec"), (5, 3));
    assert_eq!(at(TEXT, 1, "spec.ports[1]"), (7, 5));
}

#[test]
fn a_missing_path_points_at_the_nearest_existing_parent() {
    assert_eq!(at(TEXT, 1, "spec.ports[5].port"), at(TEXT, 1, "spec.ports"));
    assert_eq!(at(TEXT, 1, "spec.clusterIP"), at(TEXT, 1, "spec"));
    assert_eq!(Spans::build(TEXT).locate(2, &FieldPath::default()), None);
}

#[test]
fn aliases_merges_tags_flow_and_odd_keys() {
    let text = "base: &b\n  port: 80\n  name: web\nports:\n- <<: *b\n  name: other\n- *b\nlabels: !custom {a: b, 8080: c, true: d, ~: e}\nlist: [x, [y, z]]\n? [complex, key]\n: v\n";
    // A merged field has its anchor's position; the merging mapping's own keys win.
    assert_eq!(at(text, 0, "ports[0].port"), (2, 9));
    assert_eq!(at(text, 0, "ports[0].name"), (6, 9));
    assert_eq!(at(text, 0, "ports[1].name"), (3, 9));
    assert_eq!(at(text, 0, "labels.a"), (8, 21));
    let number_key = FieldPath::default().key("labels").key("8080");
    let p = Spans::build(text)
        .locate(0, &number_key)
        .unwrap_or_default();
    assert_eq!((p.line, p.column), (8, 30));
    assert_eq!(at(text, 0, "labels.true"), (8, 39));
    assert_eq!(at(text, 0, "labels.null"), (8, 45));
    assert_eq!(at(text, 0, "list[1][1]"), (9, 15));
}

#[test]
fn scalar_documents_and_broken_documents() {
    assert_eq!(at("just text\n", 0, ""), (1, 1));
    assert_eq!(at("a: 1\n---\nb: [\n", 0, "a"), (1, 4));
    // The second document does not parse: no positions there.
    assert_eq!(
        Spans::build("a: 1\n---\nb: [\n").locate(1, &FieldPath::default()),
        None
    );
}

#[test]
fn positions_for_thousands_of_documents_cost_one_pass() {
    // The importer used to parse the stream again for every position: 8,000 objects
    // meant 8,000 parses. One pass holds them all.
    let doc =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n";
    let text = (0..8_000)
        .map(|i| doc.replace("name: s", &format!("name: s{i}")))
        .collect::<Vec<_>>()
        .join("---\n");
    let spans = Spans::build(&text);
    let path = FieldPath::parse("spec.ports[0].port");
    for i in [0, 1, 4_000, 7_999] {
        let p = spans.locate(i, &path).unwrap_or_default();
        assert_eq!((p.line, p.column), (8 * i + 7, 11), "document {i}");
    }
    assert_eq!(spans.locate(8_000, &path), None);
}

/// What `yaml_serde` alone reads: each document's value, up to the first error.
fn reference(text: &str) -> Vec<Result<yaml_serde::Value, String>> {
    use serde::Deserialize;
    let mut out = Vec::new();
    for de in yaml_serde::Deserializer::from_str(text) {
        match yaml_serde::Value::deserialize(de) {
            Ok(v) => out.push(Ok(v)),
            Err(e) => {
                out.push(Err(e.to_string()));
                break;
            }
        }
    }
    out
}

fn ours(text: &str) -> Vec<Result<yaml_serde::Value, String>> {
    let mut out = Vec::new();
    for de in yaml_serde::Deserializer::from_str(text) {
        match read(text, None, de) {
            Ok((v, _)) => out.push(Ok(v)),
            Err(e) => {
                out.push(Err(e.to_string()));
                break;
            }
        }
    }
    out
}

#[test]
fn values_are_what_yaml_serde_reads() {
    for text in [
        "a\nb: c\n",
        "a\n---\nkind: x\n",
        "\"x\"\n- y\n",
        "a: [\n",
        "just\n",
        "",
        "a: 1\na: 2\n",
        "!t {a: !u b, ? [c]: d}\n",
        "a: &x [1, 2.5, true, ~, 99999999999999999999]\nb: *x\n<<: {c: 1}\n",
    ] {
        assert_eq!(ours(text), reference(text), "{text:?}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use proptest::prelude::*;

    use super::*;

    const PIECES: &[&str] = &[
        "a", "b: ", "- ", "? ", ": ", "\n", "\n  ", "[", "]", "{", "}", ", ", "&x ", "*x", "!t ",
        "!!str ", "<<: ", "1", "1e400", "\"q\"", "'s'", "~", "true", "---\n", "|\n  z\n", "# c\n",
        "a: 1\n", "a: 2\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3_000))]

        /// One pass gives the same values and errors as `yaml_serde`'s own visitor.
        #[test]
        fn one_pass_reads_what_yaml_serde_reads(pieces in proptest::collection::vec(0usize..64, 0..30)) {
            let text: String = pieces.iter().map(|&i| PIECES[i % PIECES.len()]).collect();
            prop_assert_eq!(ours(&text), reference(&text), "{:?}", text);
        }
    }
}
