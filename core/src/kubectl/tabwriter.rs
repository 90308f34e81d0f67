//! Go's `text/tabwriter` as kubectl uses it: cells end at `\t`, every column of a block
//! of lines is as wide as its widest cell plus padding, the last cell of a line is not
//! padded.
//!
//! This is the `liggitt/tabwriter` fork kubectl vendors (Go's writer plus
//! `RememberWidths`: column widths persist across flushes, so a table written in chunks
//! stays aligned), with kubectl's settings: minimum width 6, tab width 4, padding 3,
//! pad with spaces, `RememberWidths`. Widths count characters (Go counts runes).
//! Only what those settings reach is ported: no HTML filtering, escapes (`\xff` never
//! occurs in UTF-8 text), right alignment, tab padding or debug bars.
//! Upstream: liggitt/tabwriter@89fcab3d43de07060e4fd4c1547430ed57e87f24 `tabwriter.go`;
//! kubernetes/cli-runtime@69e8693b2560484b0b950d56006157200ab67947
//! `pkg/printers/tabwriter.go` (`GetNewTabWriter`).

/// One cell of a line: its text and its width in characters.
#[derive(Debug, Clone, Default)]
struct Cell {
    text: String,
    width: usize,
}

/// A column-aligning writer: [`write`](Self::write) text, [`flush`](Self::flush), then
/// take the output with [`finish`](Self::finish).
#[derive(Debug, Clone)]
pub struct TabWriter {
    minwidth: usize,
    padding: usize,
    /// Lines of terminated cells; the last line is the one being written.
    lines: Vec<Vec<Cell>>,
    /// The cell being written.
    cell: String,
    /// The widths of the enclosing column blocks while formatting.
    widths: Vec<usize>,
    /// `RememberWidths`: the widest each column has been, across flushes.
    maxwidths: Vec<usize>,
    /// Whether widths are remembered across flushes (kubectl's tables) or not (Go's own
    /// writer, as `kubectl describe` uses it).
    remember: bool,
    out: String,
}

impl TabWriter {
    /// kubectl's writer (`GetNewTabWriter`): minimum width 6, padding 3, spaces,
    /// remembered widths. (Its tab width, 4, matters only when padding with tabs.)
    pub fn kubectl() -> TabWriter {
        TabWriter {
            minwidth: 6,
            padding: 3,
            lines: vec![Vec::new()],
            cell: String::new(),
            widths: Vec::new(),
            maxwidths: Vec::new(),
            remember: true,
            out: String::new(),
        }
    }

    /// `kubectl describe`'s writer (`tabbedString`: Go's `tabwriter.Writer` with
    /// minimum width 0, tab width 8, padding 2, spaces, no flags): widths are not
    /// remembered across flushes.
    /// Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
    /// `pkg/describe/describe.go` (`tabbedString`).
    pub fn describe() -> TabWriter {
        TabWriter {
            minwidth: 0,
            padding: 2,
            remember: false,
            ..TabWriter::kubectl()
        }
    }

    /// Forgets the remembered column widths (`SetRememberedWidths(nil)`), as kubectl
    /// does between tables of different kinds.
    pub fn forget_widths(&mut self) {
        self.maxwidths.clear();
    }

    /// Writes text: `\t` and `\v` end a cell, `\n` a line, `\f` a line and a block. A
    /// line of one cell also ends the block, as in Go.
    pub fn write(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\t' | '\u{b}' | '\n' | '\u{c}' => {
                    let ncells = self.terminate_cell();
                    if ch == '\n' || ch == '\u{c}' {
                        self.lines.push(Vec::new());
                        if ch == '\u{c}' || ncells == 1 {
                            self.flush();
                        }
                    }
                }
                c => self.cell.push(c),
            }
        }
    }

    /// Formats and emits everything written so far.
    pub fn flush(&mut self) {
        if !self.cell.is_empty() {
            self.terminate_cell();
        }
        self.format();
        self.lines = vec![Vec::new()];
        self.widths.clear();
    }

    /// Takes the output formatted so far (by flushes).
    pub fn take_output(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// Flushes and returns all the output.
    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    /// Ends the current cell; returns how many cells its line now has.
    fn terminate_cell(&mut self) -> usize {
        let text = std::mem::take(&mut self.cell);
        let width = text.chars().count();
        let cell = Cell { text, width };
        match self.lines.last_mut() {
            Some(line) => {
                line.push(cell);
                line.len()
            }
            // Never: a writer starts and resets with one line.
            None => {
                self.lines.push(vec![cell]);
                1
            }
        }
    }

    /// Go's recursive `format`, as a loop over an explicit stack (one frame per column,
    /// so a line with many cells cannot exhaust the call stack). A column block is a
    /// run of lines that all have a cell in the column which is not their last cell.
    fn format(&mut self) {
        struct Frame {
            line0: usize,
            line1: usize,
            this: usize,
        }
        let mut stack = vec![Frame {
            line0: 0,
            line1: self.lines.len(),
            this: 0,
        }];
        loop {
            let column = stack.len().saturating_sub(1);
            let Some(top) = stack.last_mut() else { break };
            let has_column = |line: &Vec<Cell>| column + 1 < line.len();
            while top.this < top.line1 && !has_column(&self.lines[top.this]) {
                top.this += 1;
            }
            if top.this >= top.line1 {
                let (line0, line1) = (top.line0, top.line1);
                self.write_lines(line0, line1);
                stack.pop();
                if !stack.is_empty() {
                    self.widths.pop();
                }
                continue;
            }
            let start = top.this;
            let (line0, line1) = (top.line0, top.line1);
            let mut end = start;
            let mut width = self.minwidth;
            while end < line1 && has_column(&self.lines[end]) {
                width = width.max(self.lines[end][column].width + self.padding);
                end += 1;
            }
            // The parent resumes after this block; the line at `end` lacks the column.
            top.line0 = end;
            top.this = end + 1;
            self.write_lines(line0, start);
            // RememberWidths.
            if self.remember && self.maxwidths.len() < self.widths.len() {
                let from = self.maxwidths.len();
                self.maxwidths.extend_from_slice(&self.widths[from..]);
            }
            let depth = self.widths.len();
            if self.remember {
                match self.maxwidths.get_mut(depth) {
                    None => self.maxwidths.push(width),
                    Some(m) if *m > width => width = *m,
                    Some(m) => *m = width,
                }
            }
            self.widths.push(width);
            stack.push(Frame {
                line0: start,
                line1: end,
                this: start,
            });
        }
    }

    /// Emits lines `line0..line1`, padding each cell that has a column width.
    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            for (j, c) in self.lines[i].iter().enumerate() {
                self.out.push_str(&c.text);
                if let Some(w) = self.widths.get(j) {
                    let pad = w.saturating_sub(c.width);
                    self.out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            // The last line is the one still being written: no line end yet.
            if i + 1 != self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn tab(text: &str) -> String {
        let mut w = TabWriter::kubectl();
        w.write(text);
        w.finish()
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell_plus_three() {
        assert_eq!(
            tab("NAME\tAGE\nweb-1\t5m\nx\t10d\n"),
            "NAME    AGE\nweb-1   5m\nx       10d\n"
        );
    }

    #[test]
    fn narrow_columns_still_take_six() {
        assert_eq!(tab("a\tb\tc\nd\te\tf\n"), "a     b     c\nd     e     f\n");
    }

    #[test]
    fn the_last_cell_is_not_padded_but_empty_ones_before_it_are() {
        assert_eq!(
            tab("a\t\tc\nlonger\tb\t\n"),
            "a              c\nlonger   b     \n"
        );
    }

    #[test]
    fn widths_count_characters_not_bytes() {
        assert_eq!(tab("é\tx\nab\ty\n"), "é     x\nab    y\n");
    }

    /// Blocks: a column's width is taken over the consecutive lines that have it; a
    /// line of one cell ends every block (Go flushes there).
    #[test]
    fn blocks_end_where_a_line_lacks_the_column() {
        assert_eq!(
            tab("aaaaaaaa\tb\tc\nd\te\nf\tgggggggggg\th\n"),
            "aaaaaaaa   b     c\nd          e\nf          gggggggggg   h\n"
        );
        assert_eq!(
            tab("aaaaaaaaaa\tb\nsolo\nc\td\n"),
            "aaaaaaaaaa   b\nsolo\nc            d\n"
        );
    }

    #[test]
    fn remembered_widths_carry_across_flushes_until_forgotten() {
        let mut w = TabWriter::kubectl();
        w.write("long-name\tx\n");
        w.flush();
        w.write("a\ty\n");
        w.flush();
        w.forget_widths();
        w.write("b\tz\n");
        assert_eq!(w.finish(), "long-name   x\na           y\nb     z\n");
    }

    /// `kubectl describe`'s layout: padding 2, no minimum, and a line of one cell
    /// (`Containers:`) ends the block, so the next block aligns on its own.
    #[test]
    fn the_describe_writer_pads_by_two_and_forgets_across_blocks() {
        let mut w = TabWriter::describe();
        w.write("Name:\tweb\nNamespace:\tdefault\nContainers:\n  a:\tb\n");
        assert_eq!(
            w.finish(),
            "Name:       web\nNamespace:  default\nContainers:\n  a:  b\n"
        );
    }

    #[test]
    fn many_cells_on_one_line_are_fine() {
        let line = "x\t".repeat(50_000);
        let out = tab(&format!("{line}\n"));
        assert_eq!(out.len(), 50_000 * 6 + 1);
    }
}
