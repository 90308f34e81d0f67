//! Field paths inside a manifest document, and finding where a path is in the text.
//!
//! A path is a list of [`Seg`]s (`spec`, `ports`, `[1]`, `nodePort`) rendered the way the
//! API server renders field paths (`spec.ports[1].nodePort`). [`locate`] finds the line
//! and column of a path in the original text by walking the document again with a
//! deserializer that stops at the path: the YAML parser then reports where it stopped.
//! This gives positions to errors found after parsing (validation, conflicts) without a
//! span-preserving YAML tree.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A mapping key: `.name`, or `[app.kubernetes.io/name]` when it is not a plain word.
    Key(String),
    /// A list index: `[1]`.
    Index(usize),
}

/// A field path from a document's root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// The path with one more key.
    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_owned()));
        FieldPath(v)
    }

    /// The path with one more index.
    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        FieldPath(v)
    }

    /// `prefix` followed by this path.
    pub fn under(&self, prefix: &FieldPath) -> Self {
        FieldPath(prefix.0.iter().chain(self.0.iter()).cloned().collect())
    }

    /// Parses a path as the API server renders it (`spec.ports[0].port`,
    /// `metadata.labels[app]`); `<nil>` and `""` are the root.
    pub fn parse(s: &str) -> Self {
        let mut segs = Vec::new();
        let mut word = String::new();
        let mut chars = s.chars();
        if s == "<nil>" {
            return FieldPath::default();
        }
        while let Some(c) = chars.next() {
            match c {
                '.' => flush(&mut word, &mut segs),
                '[' => {
                    flush(&mut word, &mut segs);
                    let sub: String = chars.by_ref().take_while(|&c| c != ']').collect();
                    segs.push(match sub.parse::<usize>() {
                        Ok(i) => Seg::Index(i),
                        Err(_) => Seg::Key(sub),
                    });
                }
                c => word.push(c),
            }
        }
        flush(&mut word, &mut segs);
        FieldPath(segs)
    }
}

fn flush(word: &mut String, segs: &mut Vec<Seg>) {
    if !word.is_empty() {
        segs.push(Seg::Key(std::mem::take(word)));
    }
}

fn plain(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if plain(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Key(k) => write!(f, "[{k}]")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

/// Where `path` is in document `doc` (0-based) of `text`: the value at the path, or the
/// nearest enclosing value that exists. `None` only when the document cannot be read.
pub fn locate(text: &str, doc: usize, path: &FieldPath) -> Option<Position> {
    let de = yaml_serde::Deserializer::from_str(text).nth(doc)?;
    let err = Locate(&path.0).deserialize(de).err()?;
    let loc = err.location()?;
    Some(Position {
        line: loc.line(),
        column: loc.column(),
    })
}

/// Walks to a path and fails there, so that the parser attaches its position.
struct Locate<'a>(&'a [Seg]);

const HERE: &str = "here";

impl<'de> DeserializeSeed<'de> for Locate<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Locate<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(HERE))
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Seg::Key(want), rest)) = self.0.split_first() else {
            return Err(de::Error::custom(HERE));
        };
        while let Some(key) = map.next_key::<yaml_serde::Value>()? {
            let matches = match &key {
                yaml_serde::Value::String(s) => s == want,
                yaml_serde::Value::Number(n) => n.to_string() == *want,
                yaml_serde::Value::Bool(b) => b.to_string() == *want,
                _ => false,
            };
            if matches {
                return map.next_value_seed(Locate(rest));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Err(de::Error::custom(HERE))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Seg::Index(want), rest)) = self.0.split_first() else {
            return Err(de::Error::custom(HERE));
        };
        for _ in 0..*want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Err(de::Error::custom(HERE));
            }
        }
        match seq.next_element_seed(Locate(rest))? {
            Some(()) => Ok(()),
            None => Err(de::Error::custom(HERE)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const TEXT: &str = "kind: A\n---\nkind: Service\nspec:\n  ports:\n  - port: 80\n  - port: 81\n    nodePort: 30001\nmetadata:\n  labels:\n    app.kubernetes.io/name: x\n";

    fn at(doc: usize, path: &str) -> (usize, usize) {
        let p = locate(TEXT, doc, &FieldPath::parse(path)).unwrap_or_default();
        (p.line, p.column)
    }

    #[test]
    fn finds_values_in_the_second_document_with_stream_lines() {
        assert_eq!(at(1, "spec.ports[1].nodePort"), (8, 15));
        assert_eq!(at(1, "spec.ports[0].port"), (6, 11));
        assert_eq!(at(1, "metadata.labels[app.kubernetes.io/name]"), (11, 29));
        assert_eq!(at(0, "kind"), (1, 7));
    }

    #[test]
    fn a_missing_path_points_at_the_nearest_existing_parent() {
        assert_eq!(at(1, "spec.ports[5].port"), at(1, "spec.ports"));
        assert_eq!(at(1, "spec.clusterIP"), at(1, "spec"));
    }

    #[test]
    fn paths_render_and_parse_like_the_api_server_s() {
        let p = FieldPath::default()
            .key("spec")
            .key("ports")
            .index(1)
            .key("name");
        assert_eq!(p.to_string(), "spec.ports[1].name");
        assert_eq!(FieldPath::parse("spec.ports[1].name"), p);
        let l = FieldPath::parse("metadata.labels[app.kubernetes.io/name]");
        assert_eq!(l.to_string(), "metadata.labels[app.kubernetes.io/name]");
        assert_eq!(FieldPath::parse("<nil>"), FieldPath::default());
    }
}
