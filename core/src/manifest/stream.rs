//! A manifest stream, parsed within the limits: its size, its nesting and its documents
//! (counted by one pass before the YAML scanner runs), each document's depth after
//! aliases; then every document's values and their positions, in one pass each.
//!
//! A leading byte order mark is dropped first, as kubectl drops it (libyaml would count
//! it as a column and misread the first line's indentation).
//! Upstream: kubernetes/cli-runtime@v0.33.0 `pkg/resource/visitor.go` (`FileVisitor`
//! reads files through `unicode.BOMOverride(unicode.UTF8.NewDecoder())`).
//! Simplification: `BOMOverride` also transcodes UTF-16 with its BOM; text here is
//! already UTF-8 (the CLI refuses a UTF-16 file as not UTF-8).

use yaml_serde::Value;

use super::depth;
use super::error::{ImportError, Problem};
use super::path::{FieldPath, Position, Seg};
use super::read::key_text;
use super::spans::{self, Spans};
use crate::limits::{self, Limit, LimitError};

/// The text the parser reads: `text` without a leading byte order mark.
pub(crate) fn source(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// What a stream parsed to: each non-empty document (with its index from 0), the
/// positions of every document read, and the reason reading stopped early, if any.
#[derive(Debug, Default)]
pub(crate) struct Stream {
    /// The documents that parsed and are not empty, with their index.
    pub docs: Vec<(usize, Value)>,
    /// Positions of the documents read.
    pub spans: Spans,
    /// Syntax errors and limits reached; reading stops at the first.
    pub errors: Vec<ImportError>,
}

fn error(
    document: usize,
    position: Option<Position>,
    field: &str,
    problem: Problem,
) -> ImportError {
    ImportError {
        document: document + 1,
        position,
        object: None,
        field: field.to_owned(),
        problem,
    }
}

fn limit(document: usize, position: Option<Position>, e: LimitError) -> ImportError {
    error(document, position, &e.field.clone(), Problem::Limit(e))
}

/// Parses `text` (see [`source`]) within the limits.
pub(crate) fn parse(text: &str) -> Stream {
    let mut out = Stream::default();
    if let Err(e) = limits::check_input_bytes(text.len()) {
        out.errors.push(limit(0, None, e));
        return out;
    }
    let shape = match depth::check(text, limits::MAX_NESTING_DEPTH) {
        Ok(shape) => shape,
        Err(deep) => {
            let found = u64::try_from(deep.depth).unwrap_or(u64::MAX);
            let e = LimitError::new(Limit::NestingDepth, "", Some(found));
            out.errors
                .push(limit(deep.document, Some(deep.position), e));
            return out;
        }
    };
    // Counted by the same pass, so a stream of too many documents parses none.
    if shape.documents > limits::MAX_DOCUMENTS {
        let found = Some(u64::try_from(shape.documents).unwrap_or(u64::MAX));
        let e = LimitError::new(Limit::Documents, "", found);
        out.errors.push(limit(limits::MAX_DOCUMENTS, None, e));
        return out;
    }
    for (i, de) in yaml_serde::Deserializer::from_str(text).enumerate() {
        if i >= limits::MAX_DOCUMENTS {
            // Not read further: how many there are is not known.
            let e = LimitError::new(Limit::Documents, "", None);
            out.errors.push(limit(i, None, e));
            break;
        }
        let start = shape.starts.get(i).copied().flatten();
        let value = match spans::read(text, start, de) {
            Ok((value, node)) => {
                out.spans.push(Some(node));
                value
            }
            Err(e) => {
                out.errors.push(syntax(i, &e));
                // The parser cannot resynchronise after a syntax error.
                break;
            }
        };
        if let Some((found, path)) = too_deep(&value, limits::MAX_NESTING_DEPTH) {
            let at = out.spans.locate(i, &path);
            let found = Some(u64::try_from(found).unwrap_or(u64::MAX));
            let e = LimitError::new(Limit::NestingDepth, path.to_string(), found);
            out.errors.push(limit(i, at, e));
            break;
        }
        let mut value = value;
        match value.apply_merge() {
            Ok(()) if value.is_null() => {}
            Ok(()) => out.docs.push((i, value)),
            // YAML merge keys (`<<: *defaults`), which Kubernetes' YAML reader applies.
            Err(e) => out
                .errors
                .push(error(i, None, "", Problem::Syntax(e.to_string()))),
        }
    }
    out
}

/// The first place in a parsed document nested deeper than `limit` (aliases expanded),
/// with its depth: what the text check cannot see through aliases.
pub(super) fn too_deep(value: &Value, limit: usize) -> Option<(usize, FieldPath)> {
    fn untag(v: &Value) -> &Value {
        match v {
            Value::Tagged(t) => untag(&t.value),
            v => v,
        }
    }
    fn walk(v: &Value, depth: usize, limit: usize, path: &mut FieldPath) -> Option<usize> {
        let depth = depth + 1;
        if depth > limit {
            return Some(depth);
        }
        let nested = |v: &&Value| matches!(untag(v), Value::Sequence(_) | Value::Mapping(_));
        let children: Box<dyn Iterator<Item = (Seg, &Value)>> = match v {
            Value::Sequence(items) => Box::new(
                (items.iter().enumerate())
                    .filter(|(_, v)| nested(v))
                    .map(|(i, v)| (Seg::Index(i), v)),
            ),
            // A key may be a collection too (`? [a, b]`): the parser nests it as deep.
            Value::Mapping(m) => Box::new(m.iter().flat_map(|(k, v)| {
                let seg = Seg::Key(key_text(k));
                [(seg.clone(), k), (seg, v)]
                    .into_iter()
                    .filter(|(_, v)| nested(v))
            })),
            _ => return None,
        };
        for (seg, child) in children {
            path.0.push(seg);
            if let Some(found) = walk(untag(child), depth, limit, path) {
                return Some(found);
            }
            path.0.pop();
        }
        None
    }
    let value = untag(value);
    if !matches!(value, Value::Sequence(_) | Value::Mapping(_)) {
        return None;
    }
    let mut path = FieldPath::default();
    walk(value, 0, limit, &mut path).map(|d| (d, path))
}

/// A parse error at its position; past the parser's own nesting limit (reached only
/// through aliases, the text having passed [`depth::check`]), the depth limit's words.
fn syntax(document: usize, e: &yaml_serde::Error) -> ImportError {
    let position = e.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    let message = strip_position(&e.to_string());
    if message.starts_with("recursion limit exceeded") {
        let e = LimitError::new(Limit::NestingDepth, "", None);
        return limit(document, position, e);
    }
    error(document, position, "", Problem::Syntax(message))
}

/// `yaml_serde` appends " at line L column C"; the position is kept separately.
fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) if !msg[i..].contains(", while") => msg[..i].to_owned(),
        _ => msg.to_owned(),
    }
}
