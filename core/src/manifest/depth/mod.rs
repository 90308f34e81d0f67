//! How deep a YAML stream nests, found by one linear pass before the YAML parser runs.
//!
//! The parser (`yaml_serde` on `libyaml-rs`, a translation of libyaml) checks nesting
//! only after its scanner has read a whole document, and that scanner costs time in
//! proportion to the flow nesting for every token: 200,000 levels of `{a: ` (1 MB) take
//! minutes. This pass follows the scanner's own rules for the tokens that open and close
//! collections — flow brackets outside quoted scalars, comments, block scalars and plain
//! scalars; block collections where the scanner rolls its indentation (a `- `, a `? `, a
//! simple key's `:`) — and stops at the first point where more than the limit are open.
//!
//! What it counts is a lower bound of the parsed depth (an indentless sequence,
//! `key:\n- a`, opens no indentation level) and equals the scanner's flow level, so a
//! document under the limit never has the scanner go quadratic, and a document this
//! pass refuses is one the depth check after parsing would refuse too.
//!
//! Upstream: yaml/libyaml-rs@0.3.0 `src/scanner.rs` (`yaml_parser_fetch_next_token`,
//! `scan_to_next_token`, `save_simple_key`, `stale_simple_keys`, `roll_indent`,
//! `unroll_indent`, `fetch_value`, `scan_plain_scalar`, `scan_flow_scalar`,
//! `scan_block_scalar`, `scan_block_scalar_breaks`, `scan_anchor`, `scan_tag_uri`),
//! itself libyaml 0.2.5's `scanner.c`. Scanner errors are not reproduced: the parser
//! stops at its first error, so what this pass reads after one does not matter.

use super::path::Position;

/// Where the nesting first went over the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooDeep {
    /// Collections open at that point.
    pub depth: usize,
    /// The token that opened the last one.
    pub position: Position,
    /// The document, counting from 0.
    pub document: usize,
}

/// What the pass found in a stream within the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape {
    /// The most collections open at once.
    pub depth: usize,
    /// The documents, as the parser will count them.
    pub documents: usize,
    /// Where each document's first token is (`None` for an empty document).
    pub starts: Vec<Option<Position>>,
}

/// The stream's shape, or `Err` at the first collection opened beyond `limit`.
pub(crate) fn check(text: &str, limit: usize) -> Result<Shape, TooDeep> {
    Scanner::new(text.as_bytes(), limit).run()
}

/// The most collections open at once anywhere in `text` (for tests and benchmarks).
#[cfg(test)]
pub(crate) fn max_depth(text: &str) -> usize {
    Scanner::new(text.as_bytes(), usize::MAX)
        .run()
        .map_or(0, |s| s.depth)
}

/// A position as the scanner keeps it: byte index, line and column from 0 (columns in
/// characters).
#[derive(Debug, Clone, Copy)]
struct Mark {
    index: usize,
    line: usize,
    column: usize,
}

struct Scanner<'a> {
    text: &'a [u8],
    at: Mark,
    flow_level: usize,
    /// The block indentation column (-1 outside every block collection).
    indent: isize,
    indents: Vec<isize>,
    /// The possible simple key of the block context (flow levels' keys never roll an
    /// indentation, so they are not kept).
    key: Option<Mark>,
    key_allowed: bool,
    documents: usize,
    in_document: bool,
    starts: Vec<Option<Position>>,
    limit: usize,
    deepest: usize,
}

/// libyaml's `IS_ALPHA`: the characters of anchors, aliases and tag handles.
pub(super) fn is_alpha(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// libyaml's URI characters of a tag (`,[]` only inside `!<…>`).
pub(super) fn is_uri(c: u8, verbatim: bool) -> bool {
    is_alpha(c) || b";/?:@&=+$.%!~*'()".contains(&c) || (verbatim && b",[]".contains(&c))
}

impl<'a> Scanner<'a> {
    fn new(text: &'a [u8], limit: usize) -> Self {
        Scanner {
            text,
            at: Mark {
                index: 0,
                line: 0,
                column: 0,
            },
            flow_level: 0,
            indent: -1,
            indents: Vec::new(),
            key: None,
            key_allowed: true,
            documents: 0,
            in_document: false,
            starts: Vec::new(),
            limit,
            deepest: 0,
        }
    }

    fn byte(&self, k: usize) -> u8 {
        self.text.get(self.at.index + k).copied().unwrap_or(0)
    }

    fn is_end(&self, k: usize) -> bool {
        self.at.index + k >= self.text.len()
    }

    /// libyaml's `IS_BREAK`: CR, LF, NEL, LS, PS.
    fn is_break(&self, k: usize) -> bool {
        match self.byte(k) {
            b'\r' | b'\n' => true,
            0xC2 => self.byte(k + 1) == 0x85,
            0xE2 => self.byte(k + 1) == 0x80 && matches!(self.byte(k + 2), 0xA8 | 0xA9),
            _ => false,
        }
    }

    fn is_blank(&self, k: usize) -> bool {
        matches!(self.byte(k), b' ' | b'\t')
    }

    fn is_breakz(&self, k: usize) -> bool {
        self.is_break(k) || self.is_end(k)
    }

    fn is_blankz(&self, k: usize) -> bool {
        self.is_blank(k) || self.is_breakz(k)
    }

    /// One character; a line break (CR LF counting as one) starts the next line.
    fn skip(&mut self) {
        if self.is_end(0) {
            return;
        }
        if self.is_break(0) {
            let width = match self.byte(0) {
                b'\r' if self.byte(1) == b'\n' => 2,
                b'\r' | b'\n' => 1,
                0xC2 => 2,
                _ => 3,
            };
            self.at.index += width;
            self.at.line += 1;
            self.at.column = 0;
            return;
        }
        let width = match self.byte(0) {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        self.at.index += width;
        self.at.column += 1;
    }

    fn skip_while(&mut self, mut keep: impl FnMut(&Self) -> bool) {
        while !self.is_end(0) && keep(self) {
            self.skip();
        }
    }

    fn rest(&self) -> &[u8] {
        self.text.get(self.at.index..).unwrap_or_default()
    }

    fn document_indicator(&self) -> bool {
        self.at.column == 0
            && (self.rest().starts_with(b"---") || self.rest().starts_with(b"..."))
            && self.is_blankz(3)
    }

    fn depth(&self) -> usize {
        self.indents.len() + self.flow_level
    }

    fn opened(&mut self, at: Mark) -> Result<(), TooDeep> {
        let depth = self.depth();
        self.deepest = self.deepest.max(depth);
        if depth <= self.limit {
            return Ok(());
        }
        Err(TooDeep {
            depth,
            position: Position {
                line: at.line + 1,
                column: at.column + 1,
            },
            document: self.documents.saturating_sub(1),
        })
    }

    fn roll(&mut self, column: usize, at: Mark) -> Result<(), TooDeep> {
        let column = isize::try_from(column).unwrap_or(isize::MAX);
        if self.flow_level == 0 && self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            self.opened(at)?;
        }
        Ok(())
    }

    fn unroll(&mut self, column: isize) {
        if self.flow_level == 0 {
            while self.indent > column {
                self.indent = self.indents.pop().unwrap_or(-1);
            }
        }
    }

    fn save_key(&mut self) {
        if self.flow_level == 0 && self.key_allowed {
            self.key = Some(self.at);
        }
    }

    fn remove_key(&mut self) {
        if self.flow_level == 0 {
            self.key = None;
        }
    }

    /// `yaml_parser_fetch_next_token`, for every token up to the end of the text.
    fn run(mut self) -> Result<Shape, TooDeep> {
        loop {
            self.skip_to_next_token();
            let column = isize::try_from(self.at.column).unwrap_or(isize::MAX);
            self.unroll(column);
            if self.is_end(0) {
                return Ok(Shape {
                    depth: self.deepest,
                    documents: self.documents,
                    starts: self.starts,
                });
            }
            let c = self.byte(0);
            if self.at.column == 0 && c == b'%' {
                self.unroll(-1);
                self.remove_key();
                self.key_allowed = false;
                self.skip_while(|s| !s.is_break(0));
                continue;
            }
            if self.document_indicator() {
                self.unroll(-1);
                self.remove_key();
                self.key_allowed = false;
                if c == b'-' {
                    self.documents += 1;
                    self.starts.push(None);
                }
                self.in_document = c == b'-';
                (0..3).for_each(|_| self.skip());
                continue;
            }
            if !self.in_document {
                self.documents += 1;
                self.starts.push(None);
                self.in_document = true;
            }
            if let Some(start @ None) = self.starts.last_mut() {
                *start = Some(Position {
                    line: self.at.line + 1,
                    column: self.at.column + 1,
                });
            }
            self.token(c)?;
        }
    }

    fn token(&mut self, c: u8) -> Result<(), TooDeep> {
        let at = self.at;
        let block = self.flow_level == 0;
        match c {
            b'[' | b'{' => {
                self.save_key();
                self.flow_level += 1;
                self.key_allowed = true;
                self.skip();
                self.opened(at)?;
            }
            b']' | b'}' => {
                self.remove_key();
                self.flow_level = self.flow_level.saturating_sub(1);
                self.key_allowed = false;
                self.skip();
            }
            b',' => {
                self.remove_key();
                self.key_allowed = true;
                self.skip();
            }
            b'-' if self.is_blankz(1) => {
                self.roll(at.column, at)?;
                self.remove_key();
                self.key_allowed = true;
                self.skip();
            }
            b'?' if !block || self.is_blankz(1) => {
                self.roll(at.column, at)?;
                self.remove_key();
                self.key_allowed = block;
                self.skip();
            }
            b':' if !block || self.is_blankz(1) => {
                self.value(at)?;
                self.skip();
            }
            b'*' | b'&' => {
                self.save_key();
                self.key_allowed = false;
                self.skip();
                self.skip_while(|s| is_alpha(s.byte(0)));
            }
            b'!' => {
                self.save_key();
                self.key_allowed = false;
                self.tag();
            }
            b'|' | b'>' if block => {
                self.remove_key();
                self.key_allowed = true;
                self.block_scalar();
            }
            b'\'' | b'"' => {
                self.save_key();
                self.key_allowed = false;
                self.quoted(c == b'\'');
            }
            _ if self.plain_start(c) => {
                self.save_key();
                self.key_allowed = false;
                self.plain();
            }
            // The scanner stops here ("found character that cannot start any token").
            _ => self.skip(),
        }
        Ok(())
    }

    /// Spaces (and tabs where the scanner allows them), comments and line breaks.
    fn skip_to_next_token(&mut self) {
        loop {
            if self.at.column == 0 && self.rest().starts_with(b"\xEF\xBB\xBF") {
                self.at.index += 3;
                self.at.column += 1;
            }
            let tabs = self.flow_level > 0 || !self.key_allowed;
            self.skip_while(|s| s.byte(0) == b' ' || (tabs && s.byte(0) == b'\t'));
            if self.byte(0) == b'#' {
                self.skip_while(|s| !s.is_break(0));
            }
            if !self.is_break(0) {
                return;
            }
            self.skip();
            if self.flow_level == 0 {
                self.key_allowed = true;
            }
        }
    }

    /// `:`: a simple key still possible (same line, within 1,024 bytes) opens a block
    /// mapping at its column; otherwise one opens at the `:`.
    fn value(&mut self, at: Mark) -> Result<(), TooDeep> {
        if self.flow_level > 0 {
            self.key_allowed = false;
            return Ok(());
        }
        let fresh = |k: &Mark| k.line == at.line && k.index + 1024 >= at.index;
        match self.key.take().filter(fresh) {
            Some(k) => {
                self.roll(k.column, k)?;
                self.key_allowed = false;
            }
            None => {
                self.roll(at.column, at)?;
                self.key_allowed = true;
            }
        }
        Ok(())
    }
}

mod scalars;

#[cfg(test)]
mod tests;
