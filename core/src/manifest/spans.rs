//! Where every value of a manifest is in its text, found in one pass over the stream.
//!
//! `yaml_serde` keeps no positions in a parsed `Value`; it reports one only with an
//! error, at the node being read when the error happened. So each document is read a
//! second time by a visitor that fails on purpose at every scalar (a key or a value):
//! the parser attaches the scalar's line and column, the enclosing collection takes the
//! error back as that position and reads on, the parser having consumed the scalar
//! already. The result is a tree of positions shaped like the document, in which a
//! field path is found in time proportional to its length: positions for every object,
//! notice and error of an import cost one extra parse, not one parse each.
//!
//! A collection's position is its first key's (for a block mapping that is where the
//! parser puts it too) or its first item's; an empty one has its parent's. Aliases are
//! read through, so a value reached by an alias has its anchor's position. Merge keys
//! (`<<: *defaults`) are looked through when a key is not found directly.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess};
use serde::de::{SeqAccess, VariantAccess, Visitor};

use super::path::{FieldPath, Position, Seg};
use super::read::number_out_of_range;

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
        for de in yaml_serde::Deserializer::from_str(text) {
            match record(text, de) {
                Some(node) => spans.push(Some(node)),
                None => break,
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

/// The positions of one document of `source`, read from its deserializer; `None` when
/// it does not parse.
pub(crate) fn record<'de, D: Deserializer<'de>>(source: &str, de: D) -> Option<Node> {
    let state = State {
        source,
        text: RefCell::new(String::new()),
        bare_number: Cell::new(false),
    };
    match (Record { state: &state }).deserialize(de) {
        Ok(node) => Some(node),
        Err(e) => here(&e).map(|at| Node::Scalar(at, state.bare_number.get())),
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
/// quoted one), and the last scalar's text and kind.
struct State<'a> {
    source: &'a str,
    text: RefCell<String>,
    bare_number: Cell<bool>,
}

/// Reads one node. A scalar is an error carrying its position (its text kept in the
/// state, for keys); a collection is read to its end and returned.
struct Record<'a> {
    state: &'a State<'a>,
}

impl Record<'_> {
    fn scalar<E: de::Error>(&self, text: String) -> Result<Node, E> {
        self.state.bare_number.set(false);
        *self.state.text.borrow_mut() = text;
        Err(E::custom(HERE))
    }

    fn again(&self) -> Self {
        Record { state: self.state }
    }

    /// A child read by [`Record`]: its node, or the scalar's position; `Err` for a
    /// real error (the collection cannot be read on).
    fn node<E: fmt::Display>(&self, read: Result<Node, E>) -> Result<Node, E> {
        match read {
            Ok(node) => Ok(node),
            Err(e) => match here(&e) {
                Some(at) => Ok(Node::Scalar(at, self.state.bare_number.get())),
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
    type Value = Node;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Record<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        self.scalar(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        self.scalar(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        self.scalar(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        self.scalar(yaml_serde::Number::from(v).to_string())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        self.scalar(v.to_owned())
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Node, E> {
        let bare_number = number_out_of_range(v) && self.bare(v);
        let e = self.scalar(v.to_owned());
        self.state.bare_number.set(bare_number);
        e
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        self.scalar("null".to_owned())
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        self.scalar("null".to_owned())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        loop {
            match seq.next_element_seed(self.again()) {
                Ok(None) => break,
                Ok(Some(item)) => items.push(item),
                Err(e) => items.push(self.node(Err(e))?),
            }
        }
        let at = items.first().and_then(Node::at);
        Ok(Node::Seq(at, items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = BTreeMap::new();
        let mut first = None;
        loop {
            self.state.text.borrow_mut().clear();
            let key = match map.next_key_seed(Key(self.again())) {
                Ok(None) => break,
                Ok(Some(key)) => key,
                Err(e) => self.node(Err(e))?,
            };
            first = first.or_else(|| key.at());
            let name = std::mem::take(&mut *self.state.text.borrow_mut());
            let value = self.node(map.next_value_seed(self.again()))?;
            entries.entry(name.into_boxed_str()).or_insert(value);
        }
        Ok(Node::Map(first, entries))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Node, A::Error> {
        // A tagged value (`!custom x`): its position is the node's.
        let (_tag, value): (IgnoredAny, _) = data.variant()?;
        value.newtype_variant_seed(self)
    }
}

/// A mapping key: a scalar as [`Record`] reads it; a collection (`? [a, b]`) read whole
/// and named `?`, as the importer names it.
struct Key<'a>(Record<'a>);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = Node;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        let state = self.0.state;
        let read = d.deserialize_any(self.0)?;
        *state.text.borrow_mut() = "?".to_owned();
        Ok(read)
    }
}

#[cfg(test)]
#[path = "spans_tests.rs"]
mod tests;
