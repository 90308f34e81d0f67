//! A manifest stream cut into its documents on its text, a slice at a time, so that an
//! import can read (and place) each document on its own text, a few per frame, and skip
//! a document of a kind it does not model from its top-level lines without parsing it.
//!
//! The cut is made at the lines YAML reads as document markers: a line that starts
//! with `---` followed by a blank or its end starts a document (also an empty one); a
//! line that starts with `...` likewise ends one. Text before the first marker, or
//! between `...` and the next `---`, is a document only when it holds more than blank
//! lines, comments and directives. A document's text starts at the start of a line, so
//! its columns are the stream's and its lines are the stream's less the lines before it.
//! Upstream: yaml/yaml-spec@300cf76b `spec/1.2.2/spec.md`, the YAML 1.2 spec, §9.1 (document
//! markers: `c-directives-end` and
//! `c-document-end` at the start of a line, followed by a white space or a line break).
//!
//! When a cut document does not parse as exactly one document (text this cutting does
//! not foresee), the importer reads the whole stream at once instead (`stream::parse`).

/// One document's place in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// The byte its text starts at (the start of a line).
    pub(crate) start: usize,
    /// The byte after its text.
    pub(crate) end: usize,
    /// How many lines come before it.
    pub(crate) lines_before: usize,
}

/// The documents of a stream, found on its text.
pub(crate) fn split(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    Splitter::default().run(text, &mut out, usize::MAX);
    out
}

/// A cut of a stream into documents made a slice at a time ([`Splitter::run`]), so that a
/// page cutting 1.9 MB need not do it in one go.
#[derive(Debug, Clone, Default)]
pub(crate) struct Splitter {
    /// The byte the next line starts at.
    offset: usize,
    /// The number of that line.
    line_no: usize,
    /// The document being gathered: its start, its first line, whether a `---` opened
    /// it, and whether it holds anything but blanks, comments and directives.
    open: Option<(usize, usize, bool, bool)>,
    /// Whether the whole text is cut.
    done: bool,
}

impl Splitter {
    /// Cuts about `budget` more bytes of `text` (whole lines), adding the documents it
    /// closes to `out`. True when the text is cut to its end. `text` must be the same
    /// on every call.
    pub(crate) fn run(&mut self, text: &str, out: &mut Vec<Span>, budget: usize) -> bool {
        if self.done {
            return true;
        }
        let stop = self.offset.saturating_add(budget);
        while self.offset < text.len() && self.offset < stop {
            let rest = text.get(self.offset..).unwrap_or("");
            let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
            let line = rest.get(..len).unwrap_or(rest);
            self.line(line, out);
            self.offset += len;
            self.line_no += 1;
        }
        if self.offset >= text.len() {
            self.close(out, text.len());
            self.done = true;
        }
        self.done
    }

    fn close(&mut self, out: &mut Vec<Span>, end: usize) {
        if let Some((start, lines, explicit, content)) = self.open.take()
            && (explicit || content)
        {
            out.push(Span {
                start,
                end,
                lines_before: lines,
            });
        }
    }

    fn line(&mut self, line: &str, out: &mut Vec<Span>) {
        let marker = |m: &str| {
            line.strip_prefix(m)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']))
        };
        if line.starts_with(['-', '.']) {
            if marker("---") {
                self.close(out, self.offset);
                self.open = Some((self.offset, self.line_no, true, false));
                return;
            }
            if marker("...") {
                self.close(out, self.offset + line.len());
                return;
            }
        }
        match &mut self.open {
            // Already known to hold content: nothing to look at.
            Some((_, _, _, true)) => {}
            open => {
                let body = line.trim_start_matches('\u{feff}').trim();
                let content = !(body.is_empty() || body.starts_with('#') || body.starts_with('%'));
                match open {
                    Some((_, _, _, c)) => *c = content,
                    None => *open = Some((self.offset, self.line_no, false, content)),
                }
            }
        }
    }
}

/// The `apiVersion` and `kind` of a block-style document, read from its top-level lines
/// (`kind: Deployment` at column 0) without parsing it; `None` when the text does not
/// show them plainly (flow style, JSON, anchors, quotes with escapes), so that the
/// caller parses the document in full.
pub(crate) fn header(text: &str) -> Option<(String, String)> {
    let mut api = None;
    let mut kind = None;
    for line in text.lines() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first == ' ' || first == '\t' || first == '#' || line.starts_with("---") {
            continue;
        }
        if first == '{' || first == '[' || first == '"' || first == '\'' {
            return None;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let slot = match key {
            "apiVersion" => &mut api,
            "kind" => &mut kind,
            _ => continue,
        };
        let value = value.split(" #").next().unwrap_or("").trim();
        let plain = value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'));
        if value.is_empty() || !plain || slot.is_some() {
            return None;
        }
        *slot = Some(value.to_owned());
        if let (Some(a), Some(k)) = (&api, &kind) {
            return Some((a.clone(), k.clone()));
        }
    }
    None
}

/// The index of a document's first line that is not blank, a comment, a directive or a
/// `---` marker: where its top-level mapping starts.
pub(crate) fn first_content_line(text: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim_start_matches('\u{feff}').trim();
            !(t.is_empty()
                || t.starts_with('#')
                || t.starts_with('%')
                || t == "---"
                || t.starts_with("--- "))
        })
        .unwrap_or(0)
}

/// A stream's text and its documents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cut<'a> {
    /// The whole text.
    pub(crate) text: &'a str,
    /// The documents.
    pub(crate) spans: &'a [Span],
}

impl<'a> Cut<'a> {
    /// The text of document `doc` and the lines of the stream before it.
    pub(crate) fn document(&self, doc: usize) -> Option<(&'a str, usize)> {
        let span = self.spans.get(doc)?;
        Some((self.text.get(span.start..span.end)?, span.lines_before))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn docs(text: &str) -> Vec<&str> {
        split(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn cuts_at_document_markers_only() {
        assert_eq!(docs("a: 1\n---\nb: 2\n"), ["a: 1\n", "---\nb: 2\n"]);
        assert_eq!(
            docs("# head\n---\na: 1\n--- # c\nb: 2"),
            ["---\na: 1\n", "--- # c\nb: 2"]
        );
        assert_eq!(
            docs("a: 1\n---\n"),
            ["a: 1\n", "---\n"],
            "an empty explicit one"
        );
        assert_eq!(
            docs("a: |\n  ----\n  --- x\nb: 1\n"),
            ["a: |\n  ----\n  --- x\nb: 1\n"]
        );
        assert_eq!(
            docs("a: 1\n...\n# c\n---\nb: 2\n"),
            ["a: 1\n...\n", "---\nb: 2\n"]
        );
        assert_eq!(docs("---x\n"), ["---x\n"], "not a marker");
        assert!(docs("").is_empty() && docs("# only\n\n").is_empty());
    }

    #[test]
    fn a_cut_in_slices_is_the_cut_in_one_go() {
        let text = "# c\na: 1\n---\nb: |\n  --- x\n...\n\n--- # d\nc: 3\r\n---\r\nd: 4";
        for budget in 1..8 {
            let (mut cut, mut out) = (Splitter::default(), Vec::new());
            while !cut.run(text, &mut out, budget) {}
            assert_eq!(out, split(text), "budget {budget}");
        }
        assert_eq!(split(text).len(), 4);
    }

    #[test]
    fn headers_are_read_from_plain_top_level_lines_only() {
        let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition # c\nmetadata:\n  kind: x\n";
        assert_eq!(
            header(crd),
            Some((
                "apiextensions.k8s.io/v1".to_owned(),
                "CustomResourceDefinition".to_owned()
            ))
        );
        assert_eq!(
            header("---\nkind: Service\napiVersion: v1\n").map(|h| h.1),
            Some("Service".into())
        );
        assert_eq!(
            header("{\"kind\": \"Service\", \"apiVersion\": \"v1\"}"),
            None
        );
        assert_eq!(header("kind: &k Service\napiVersion: v1\n"), None);
        assert_eq!(header("kind: Service\n"), None, "no apiVersion");
    }
}
