//! Where every value of a manifest is in its text, found in one pass over the stream.
//!
//! `yaml_serde` keeps no positions in a parsed `Value`; it reports one only with an
//! error, at the node being read when the error happened. So each document is read by
//! a visitor that builds the `Value` as `yaml_serde`'s own does and fails on purpose at
//! every scalar (a key or a value): the parser attaches the scalar's line and column,
//! the enclosing collection takes the error back as that position (and the scalar from
//! the visitor's state) and reads on, the parser having consumed the scalar already.
//! Beside the value comes a tree of positions shaped like the document, in which a
//! field path is found in time proportional to its length: positions for every object,
//! notice and error of an import cost a little more than the parse, not one parse each.
//!
//! A collection's position is its first key's (for a block mapping that is where the
//! parser puts it too; a flow one's is inside its bracket) or its first item's; an
//! empty one has its parent's. Aliases are
//! read through, so a value reached by an alias has its anchor's position. Merge keys
//! (`<<: *defaults`) are looked through when a key is not found directly.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess};
use serde::de::{SeqAccess, VariantAccess, Visitor};
use yaml_serde::mapping::Entry;
use yaml_serde::value::{Tag, TaggedValue};
use yaml_serde::{Mapping, Value};

use super::path::{FieldPath, Position, Seg};
use super::read::{key_text, number_out_of_range};

/// The positions of a stream's documents, in order (`None` for one not read).
#[derive(Debug, Default)]
pub(crate) struct Spans {
    docs: Vec<Option<Node>>,
}

/// One value's position, and its children's.
#[derive(Debug)]
pub(crate) enum Node {
    /// A scalar, and whether it is a bare number too large for YAML (`1e400`).
    Scalar(Position, bool),
    Seq(Option<Position>, Vec<Node>),
    Map(Option<Position>, BTreeMap<Box<str>, Node>),
}

impl Node {
    fn at(&self) -> Option<Position> {
        match self {
            Node::Scalar(p, _) => Some(*p),
            Node::Seq(p, _) | Node::Map(p, _) => *p,
        }
    }

    fn child(&self, seg: &Seg) -> Option<&Node> {
        match (self, seg) {
            (Node::Seq(_, items), Seg::Index(i)) => items.get(*i),
            (Node::Map(_, entries), Seg::Key(k)) => entries.get(k.as_str()).or_else(|| {
                // Merged mappings: one, or a list of them (the first that has the key).
                match entries.get("<<")? {
                    merged @ Node::Map(..) => merged.child(seg),
                    Node::Seq(_, list) => list.iter().find_map(|m| m.child(seg)),
                    Node::Scalar(..) => None,
                }
            }),
            _ => None,
        }
    }
}

impl Spans {
    /// All documents of `text`, up to the first one that does not parse.
    pub(crate) fn build(text: &str) -> Self {
        let mut spans = Spans::default();
        let starts = super::depth::check(text, usize::MAX).map_or(Vec::new(), |s| s.starts);
        for (i, de) in yaml_serde::Deserializer::from_str(text).enumerate() {
            match read(text, starts.get(i).copied().flatten(), de) {
                Ok((_, node)) => spans.push(Some(node)),
                Err(_) => break,
            }
        }
        spans
    }

    /// Adds the next document's positions.
    pub(crate) fn push(&mut self, doc: Option<Node>) {
        self.docs.push(doc);
    }

    /// Where `path` is in document `doc` (0-based): the value at the path, or the nearest
    /// enclosing value that exists. `None` when the document was not read.
    pub(crate) fn locate(&self, doc: usize, path: &FieldPath) -> Option<Position> {
        let mut node = self.docs.get(doc)?.as_ref()?;
        let mut at = node.at();
        for seg in &path.0 {
            let Some(child) = node.child(seg) else { break };
            node = child;
            at = node.at().or(at);
        }
        at
    }

    /// Whether the value at `path` in document `doc` is a bare number too large for
    /// YAML, which the parser keeps as text (`port: 1e400`, not `port: "1e400"`).
    pub(crate) fn written_as_number(&self, doc: usize, path: &FieldPath) -> bool {
        let Some(Some(mut node)) = self.docs.get(doc).map(Option::as_ref) else {
            return false;
        };
        for seg in &path.0 {
            match node.child(seg) {
                Some(child) => node = child,
                None => return false,
            }
        }
        matches!(node, Node::Scalar(_, true))
    }
}

/// One document of `source` read from its deserializer: its value (what
/// `yaml_serde::Value::deserialize` makes of it) and the positions of its values, in one
/// pass; the parser's error when it does not parse.
///
/// A document that is a single scalar is read without the deliberate error (which
/// would hide a parse error later in the document) and placed at `start`, where the
/// nesting pass found its first token.
pub(crate) fn read<'de, D: Deserializer<'de>>(
    source: &str,
    start: Option<Position>,
    de: D,
) -> Result<(Value, Node), D::Error> {
    let state = State {
        source,
        scalar: RefCell::new(Value::Null),
        bare_number: Cell::new(false),
    };
    let root = Record {
        state: &state,
        root: Some(start.unwrap_or_default()),
    };
    match root.deserialize(de) {
        Ok(read) => Ok(read),
        Err(e) => match here(&e) {
            Some(at) => Ok((
                state.scalar.take(),
                Node::Scalar(at, state.bare_number.get()),
            )),
            None => Err(e),
        },
    }
}

/// The message of the deliberate errors; a NUL keeps it apart from any real one.
const HERE: &str = "\u{0}svcplay-position";

/// The position a deliberate error carries, from its text: `yaml_serde` renders it as
/// `<path>: <message> at line L column C`, leaving the position out at line 1, column
/// 1 (the error type is generic here, so its `location` is out of reach).
fn here<E: fmt::Display>(e: &E) -> Option<Position> {
    let text = e.to_string();
    if text.ends_with(HERE) {
        return Some(Position { line: 1, column: 1 });
    }
    let (head, tail) = text.rsplit_once(" at line ")?;
    if !head.ends_with(HERE) {
        return None;
    }
    let (line, column) = tail.split_once(" column ")?;
    Some(Position {
        line: line.parse().ok()?,
        column: column.parse().ok()?,
    })
}

/// What the reading of one document shares: the text (to tell a bare scalar from a
/// quoted one), and the last scalar read.
struct State<'a> {
    source: &'a str,
    scalar: RefCell<Value>,
    bare_number: Cell<bool>,
}

/// Reads one node as `yaml_serde`'s own `Value` visitor does (the same scalars, tags,
/// duplicate-key error), and its position. A scalar is an error carrying its position
/// (its value kept in the state), but at the document's root; a collection is read to
/// its end and returned.
struct Record<'a> {
    state: &'a State<'a>,
    /// At the root: where the document starts.
    root: Option<Position>,
}

impl Record<'_> {
    fn scalar<E: de::Error>(&self, value: Value) -> Result<(Value, Node), E> {
        if let Some(at) = self.root {
            return Ok((value, Node::Scalar(at, false)));
        }
        self.state.bare_number.set(false);
        *self.state.scalar.borrow_mut() = value;
        Err(E::custom(HERE))
    }

    fn again(&self) -> Self {
        Record {
            state: self.state,
            root: None,
        }
    }

    /// A child read by [`Record`]: its value and node (a scalar's from the state); `Err`
    /// for a real error (the collection cannot be read on).
    fn node<E: fmt::Display>(&self, read: Result<(Value, Node), E>) -> Result<(Value, Node), E> {
        match read {
            Ok(read) => Ok(read),
            Err(e) => match here(&e) {
                Some(at) => {
                    let bare = self.state.bare_number.get();
                    Ok((self.state.scalar.take(), Node::Scalar(at, bare)))
                }
                None => Err(e),
            },
        }
    }

    /// Whether `v`, borrowed from the text, stands there without a quote before it.
    fn bare(&self, v: &str) -> bool {
        let start = (v.as_ptr() as usize).checked_sub(self.state.source.as_ptr() as usize);
        match start.filter(|&s| s <= self.state.source.len()) {
            Some(0) => true,
            Some(s) => !matches!(self.state.source.as_bytes().get(s - 1), Some(b'"' | b'\'')),
            None => false,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Record<'_> {
    type Value = (Value, Node);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(Value, Node), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Record<'_> {
    type Value = (Value, Node);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.scalar(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.scalar(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.scalar(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.scalar(Value::Number(v.into()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.scalar(Value::String(v.to_owned()))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        let bare_number = self.root.is_none() && number_out_of_range(v) && self.bare(v);
        let e = self.scalar(Value::String(v.to_owned()));
        self.state.bare_number.set(bare_number);
        e
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.scalar(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.scalar(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.scalar(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (mut values, mut nodes) = (Vec::new(), Vec::new());
        loop {
            let read = match seq.next_element_seed(self.again()) {
                Ok(None) => break,
                Ok(Some(read)) => read,
                Err(e) => self.node(Err(e))?,
            };
            values.push(read.0);
            nodes.push(read.1);
        }
        let at = nodes.first().and_then(Node::at);
        Ok((Value::Sequence(values), Node::Seq(at, nodes)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut mapping = Mapping::new();
        let mut entries = BTreeMap::new();
        let mut first = None;
        loop {
            let (key, key_node) = match map.next_key_seed(self.again()) {
                Ok(None) => break,
                Ok(Some(read)) => read,
                Err(e) => self.node(Err(e))?,
            };
            first = first.or_else(|| key_node.at());
            let name = key_text(&key);
            let slot = match mapping.entry(key) {
                Entry::Occupied(taken) => {
                    return Err(de::Error::custom(duplicate(taken.key())));
                }
                Entry::Vacant(slot) => slot,
            };
            let (value, node) = self.node(map.next_value_seed(self.again()))?;
            slot.insert(value);
            entries.entry(name.into_boxed_str()).or_insert(node);
        }
        Ok((Value::Mapping(mapping), Node::Map(first, entries)))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A tagged value (`!custom x`): its position is the node's.
        let (tag, contents): (String, _) = data.variant()?;
        if tag.is_empty() {
            return Err(de::Error::custom("empty YAML tag is not allowed"));
        }
        let inner = Record {
            state: self.state,
            root: self.root,
        };
        let (value, node) = self.node(contents.newtype_variant_seed(inner))?;
        let tag = Tag::new(tag);
        Ok((Value::Tagged(Box::new(TaggedValue { tag, value })), node))
    }
}

/// `yaml_serde`'s words for a key used twice in a mapping.
fn duplicate(key: &Value) -> String {
    match key {
        Value::Null => "duplicate entry with null key".to_owned(),
        Value::Bool(b) => format!("duplicate entry with key `{b}`"),
        Value::Number(n) => format!("duplicate entry with key {n}"),
        Value::String(s) => format!("duplicate entry with key {s:?}"),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => {
            "duplicate entry in YAML map".to_owned()
        }
    }
}

#[cfg(test)]
#[path = "spans_tests.rs"]
mod tests;
