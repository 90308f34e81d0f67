//! Field paths inside a manifest document, and positions in its text.
//!
//! A path is a list of [`Seg`]s (`spec`, `ports`, `[1]`, `nodePort`) rendered the way the
//! API server renders field paths (`spec.ports[1].nodePort`). Finding a path's
//! [`Position`] in the text is `spans`' job.

use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

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
