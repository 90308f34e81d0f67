//! Skipping scalars as libyaml's scanner reads them: plain (where it ends depends on
//! the flow level and the block indentation), single- and double-quoted (escapes,
//! several lines), block (`|`, `>`, with their indentation) and tags. Brackets inside
//! any of them open nothing.
//!
//! Upstream: yaml/libyaml-rs@0.3.0 `src/scanner.rs` (`scan_plain_scalar`,
//! `scan_flow_scalar`, `scan_block_scalar`, `scan_block_scalar_breaks`, `scan_tag`,
//! `scan_tag_uri`).

use super::{Scanner, is_uri};

/// libyaml's indicators: no plain scalar starts with one (but see `plain_start`).
fn is_indicator(c: u8) -> bool {
    b"-?:,[]{}#&*!|>\'\"%@`".contains(&c)
}

impl Scanner<'_> {
    pub(super) fn plain_start(&self, c: u8) -> bool {
        !(self.is_blankz(0) || is_indicator(c))
            || (c == b'-' && !self.is_blank(1))
            || (self.flow_level == 0 && (c == b'?' || c == b':') && !self.is_blankz(1))
    }

    pub(super) fn plain(&mut self) {
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

    pub(super) fn quoted(&mut self, single: bool) {
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

    pub(super) fn tag(&mut self) {
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

    pub(super) fn block_scalar(&mut self) {
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
