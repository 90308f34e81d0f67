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

use yaml_serde::Value;

use super::path::{FieldPath, Position, Seg};
use super::read::key_text;

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

/// `Err` at the first collection opened beyond `limit`.
pub(crate) fn check(text: &str, limit: usize) -> Result<(), TooDeep> {
    Scanner::new(text.as_bytes(), limit).run().map(|_| ())
}

/// The most collections open at once anywhere in `text` (for tests and benchmarks).
#[cfg(test)]
pub(crate) fn max_depth(text: &str) -> usize {
    Scanner::new(text.as_bytes(), usize::MAX).run().unwrap_or(0)
}

/// The first place in a parsed document nested deeper than `limit` (aliases expanded),
/// with its depth: what the text check cannot see through aliases.
pub(crate) fn too_deep(value: &Value, limit: usize) -> Option<(usize, FieldPath)> {
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
    limit: usize,
    deepest: usize,
}

/// libyaml's `IS_ALPHA`: the characters of anchors, aliases and tag handles.
fn is_alpha(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// libyaml's URI characters of a tag (`,[]` only inside `!<…>`).
fn is_uri(c: u8, verbatim: bool) -> bool {
    is_alpha(c) || b";/?:@&=+$.%!~*'()".contains(&c) || (verbatim && b",[]".contains(&c))
}

fn is_indicator(c: u8) -> bool {
    b"-?:,[]{}#&*!|>'\"%@`".contains(&c)
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
    fn run(mut self) -> Result<usize, TooDeep> {
        loop {
            self.skip_to_next_token();
            let column = isize::try_from(self.at.column).unwrap_or(isize::MAX);
            self.unroll(column);
            if self.is_end(0) {
                return Ok(self.deepest);
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
                }
                self.in_document = c == b'-';
                (0..3).for_each(|_| self.skip());
                continue;
            }
            if !self.in_document {
                self.documents += 1;
                self.in_document = true;
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

    fn plain_start(&self, c: u8) -> bool {
        !(self.is_blankz(0) || is_indicator(c))
            || (c == b'-' && !self.is_blank(1))
            || (self.flow_level == 0 && (c == b'?' || c == b':') && !self.is_blankz(1))
    }

    fn plain(&mut self) {
        let indent = self.indent + 1;
        let mut leading_blanks = false;
        loop {
            if self.document_indicator() || self.byte(0) == b'#' {
                break;
            }
            while !self.is_blankz(0) {
                let c = self.byte(0);
                let flow = self.flow_level > 0;
                if flow && c == b':' && b",?[]{}".contains(&self.byte(1)) {
                    // The scanner stops: "found unexpected ':'".
                    return;
                }
                if (c == b':' && self.is_blankz(1)) || (flow && b",[]{}".contains(&c)) {
                    break;
                }
                self.skip();
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                leading_blanks |= self.is_break(0);
                self.skip();
            }
            let column = isize::try_from(self.at.column).unwrap_or(isize::MAX);
            if self.flow_level == 0 && column < indent {
                break;
            }
        }
        if leading_blanks {
            self.key_allowed = true;
        }
    }

    fn quoted(&mut self, single: bool) {
        let quote = if single { b'\'' } else { b'"' };
        self.skip();
        loop {
            if self.document_indicator() || self.is_end(0) {
                return;
            }
            while !self.is_blankz(0) {
                let c = self.byte(0);
                if single && c == b'\'' && self.byte(1) == b'\'' {
                    self.skip();
                    self.skip();
                } else if c == quote {
                    break;
                } else if !single && c == b'\\' && self.is_break(1) {
                    self.skip();
                    self.skip();
                    break;
                } else if !single && c == b'\\' {
                    let digits = match self.byte(1) {
                        b'x' => 2,
                        b'u' => 4,
                        b'U' => 8,
                        b'0' | b'a' | b'b' | b't' | b'\t' | b'n' | b'v' | b'f' | b'r' | b'e'
                        | b' ' | b'"' | b'/' | b'\\' | b'N' | b'_' | b'L' | b'P' => 0,
                        // "found unknown escape character": the scanner stops.
                        _ => return,
                    };
                    self.skip();
                    self.skip();
                    for _ in 0..digits {
                        if !self.byte(0).is_ascii_hexdigit() {
                            return;
                        }
                        self.skip();
                    }
                } else {
                    self.skip();
                }
            }
            if self.byte(0) == quote {
                self.skip();
                return;
            }
            self.skip_while(|s| s.is_blank(0) || s.is_break(0));
        }
    }

    fn tag(&mut self) {
        self.skip();
        if self.byte(0) == b'<' {
            self.skip();
            self.skip_while(|s| is_uri(s.byte(0), true));
            if self.byte(0) == b'>' {
                self.skip();
            }
        } else {
            self.skip_while(|s| is_uri(s.byte(0), false));
        }
    }

    fn block_scalar(&mut self) {
        self.skip();
        let mut increment = 0;
        let digit = |c: u8| (b'1'..=b'9').contains(&c).then(|| isize::from(c - b'0'));
        if matches!(self.byte(0), b'+' | b'-') {
            self.skip();
            if let Some(d) = digit(self.byte(0)) {
                increment = d;
                self.skip();
            }
        } else if let Some(d) = digit(self.byte(0)) {
            increment = d;
            self.skip();
            if matches!(self.byte(0), b'+' | b'-') {
                self.skip();
            }
        }
        self.skip_while(|s| s.is_blank(0));
        if self.byte(0) == b'#' {
            self.skip_while(|s| !s.is_break(0));
        }
        if !self.is_breakz(0) {
            // "did not find expected comment or line break" (also a `0` indicator).
            return;
        }
        self.skip();
        let mut indent = 0;
        if increment != 0 {
            indent = if self.indent >= 0 {
                self.indent + increment
            } else {
                increment
            };
        }
        if !self.block_breaks(&mut indent) {
            return;
        }
        while isize::try_from(self.at.column) == Ok(indent) && !self.is_end(0) {
            self.skip_while(|s| !s.is_break(0));
            self.skip();
            if !self.block_breaks(&mut indent) {
                return;
            }
        }
    }

    /// Empty lines and indentation before a block scalar's next line; finds the content
    /// indentation when it is not given. False where the scanner stops (a tab).
    fn block_breaks(&mut self, indent: &mut isize) -> bool {
        let mut max_indent = 0;
        loop {
            let short = |s: &Self, indent: isize| {
                indent == 0 || isize::try_from(s.at.column).is_ok_and(|c| c < indent)
            };
            self.skip_while(|s| short(s, *indent) && s.byte(0) == b' ');
            max_indent = max_indent.max(isize::try_from(self.at.column).unwrap_or(isize::MAX));
            if short(self, *indent) && self.byte(0) == b'\t' {
                return false;
            }
            if !self.is_break(0) {
                break;
            }
            self.skip();
        }
        if *indent == 0 {
            *indent = max_indent.max(self.indent + 1).max(1);
        }
        true
    }
}

#[cfg(test)]
#[path = "depth_tests.rs"]
mod tests;
