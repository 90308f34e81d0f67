//! How `kubectl get` turns rows into text: upper-cased headers, the wide-only columns
//! only with `-o wide`, `NAMESPACE` first with `-A`, `LABELS` last with
//! `--show-labels`, a column per `-L` label, `kind/name` with `--show-kind` or several
//! kinds, aligned by kubectl's [`TabWriter`]; and `No resources found in default
//! namespace.` when nothing was printed.
//!
//! The rows come from the API server's printers ([`super::print`]), which always fill
//! every column (`GenerateOptions{Wide: true}` on the server; that is also why a
//! load balancer's long address list is never clipped by `kubectl get`); the client
//! decorates the table and hides the wide-only columns.
//! Upstream: kubernetes/cli-runtime@69e8693b2560484b0b950d56006157200ab67947
//! `pkg/printers/tableprinter.go` (`decorateTable`, `printTable`, `appendCellValue`),
//! `pkg/printers/terminal.go` (`WriteEscaped`); kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/get/get.go` (`Run`), `pkg/cmd/get/humanreadable_flags.go` (`ToPrinter`);
//! kubernetes/kubernetes `pkg/printers/storage/storage.go` (`ConvertToTable`).
//!
//! Simplification: rows are printed in the order given (the API server lists by
//! namespace and name); `--sort-by`, watches and chunked lists are not modelled.

use super::print::{Column, Row};
use super::tabwriter::TabWriter;
use crate::labels::format_labels;
use crate::objects::{Labels, ObjectMeta};

/// The flags that shape the text (`printers.PrintOptions`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintOptions {
    /// `--no-headers`.
    pub no_headers: bool,
    /// `-o wide`: show the wide-only columns.
    pub wide: bool,
    /// `--show-labels`: a `LABELS` column last.
    pub show_labels: bool,
    /// `-L key,...`: a column per label key, headed by its last `/` segment.
    pub column_labels: Vec<String>,
    /// `--show-kind`: `kind/name` in the name column (also on when several kinds print).
    pub show_kind: bool,
}

/// Which objects a `kubectl get` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One namespace (`-n`, or the context's default).
    Namespace(String),
    /// `-A` / `--all-namespaces`.
    AllNamespaces,
}

/// One row and what decoration needs of its object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// The printer's row.
    pub row: Row,
    /// The object's namespace.
    pub namespace: String,
    /// The object's labels.
    pub labels: Labels,
}

/// The rows of one kind, as the API server returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The kind as `--show-kind` prints it, with its group: `Pod`, `Deployment.apps`.
    pub kind: &'static str,
    /// Whether the kind lives in namespaces (a cluster-scoped kind gets no `NAMESPACE`).
    pub namespaced: bool,
    /// The columns.
    pub columns: &'static [Column],
    /// The rows, in order.
    pub rows: Vec<TableRow>,
}

impl Table {
    /// An empty table of a kind.
    pub fn new(kind: &'static str, namespaced: bool, columns: &'static [Column]) -> Table {
        Table {
            kind,
            namespaced,
            columns,
            rows: Vec::new(),
        }
    }

    /// Adds a printer's row for an object with this metadata.
    pub fn push(&mut self, row: Row, meta: &ObjectMeta) {
        self.rows.push(TableRow {
            row,
            namespace: meta.namespace.clone(),
            labels: meta.labels.clone(),
        });
    }
}

/// What `kubectl get` writes: the tables on standard output, or, when that stays empty,
/// a note on standard error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetOutput {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// `kubectl get` of one or more kinds (one table each, in the order asked): a blank line
/// between tables that printed, kinds in the name column when there are several, and
/// `No resources found` when nothing printed.
pub fn get(tables: &[Table], scope: &Scope, options: &PrintOptions) -> GetOutput {
    let mut out = GetOutput::default();
    let mut tw = TabWriter::kubectl();
    let all_namespaces = matches!(scope, Scope::AllNamespaces);
    let mut all_namespaced = !all_namespaces;
    let with_kind = options.show_kind || tables.iter().any(|t| t.kind != tables[0].kind);
    let mut separator = false;
    let mut last_kind: Option<&str> = None;
    for table in tables {
        all_namespaced = all_namespaced && table.namespaced;
        if last_kind != Some(table.kind) {
            tw.flush();
            tw.forget_widths();
            emit(&mut out.stdout, tw.take_output(), &mut separator);
            if last_kind.is_some() && !options.no_headers && !out.stdout.is_empty() {
                separator = true;
            }
            last_kind = Some(table.kind);
        }
        let with_namespace = all_namespaces && table.namespaced;
        print_table(&mut tw, table, options, with_namespace, with_kind);
    }
    tw.flush();
    emit(&mut out.stdout, tw.take_output(), &mut separator);
    if out.stdout.is_empty() {
        out.stderr = match scope {
            Scope::Namespace(ns) if all_namespaced => {
                format!("No resources found in {ns} namespace.\n")
            }
            _ => "No resources found\n".to_owned(),
        };
    }
    out
}

/// Appends flushed text, after the pending blank line between tables.
fn emit(out: &mut String, text: String, separator: &mut bool) {
    if text.is_empty() {
        return;
    }
    if *separator {
        out.push('\n');
        *separator = false;
    }
    out.push_str(&text);
}

/// One table printed alone (one kind, one namespace or all of them).
pub fn render(table: &Table, options: &PrintOptions, with_namespace: bool) -> String {
    let mut tw = TabWriter::kubectl();
    print_table(&mut tw, table, options, with_namespace, options.show_kind);
    tw.finish()
}

/// A column of the decorated table: a printer's column or one decoration adds.
struct DecoratedColumn {
    name: String,
    priority: u8,
}

/// `decorateTable` then `printTable`, into the writer.
fn print_table(
    tw: &mut TabWriter,
    table: &Table,
    options: &PrintOptions,
    with_namespace: bool,
    with_kind: bool,
) {
    let (columns, rows) = decorate(table, options, with_namespace, with_kind);
    let visible = |c: &DecoratedColumn| options.wide || c.priority == 0;
    // The widest cell per column, in bytes as upstream measures, so that the header (or
    // the first row) sets widths that later flushes keep.
    let mut max_widths = vec![0usize; columns.len()];
    for row in &rows {
        for ((cell, column), max) in row.iter().zip(&columns).zip(max_widths.iter_mut()) {
            if visible(column) {
                *max = (*max).max(cell.len());
            }
        }
    }
    let last_visible = columns.iter().rposition(visible);
    if !options.no_headers {
        // No rows, no headers.
        if rows.is_empty() {
            return;
        }
        let mut header = String::new();
        let mut first = true;
        for (i, column) in columns.iter().enumerate().filter(|(_, c)| visible(c)) {
            if !first {
                header.push('\t');
            }
            first = false;
            let name = column.name.to_uppercase();
            header.push_str(&name);
            if Some(i) != last_visible {
                let pad = max_widths[i].saturating_sub(name.len());
                header.extend(std::iter::repeat_n(' ', pad));
            }
        }
        header.push('\n');
        tw.write(&header);
    }
    let pad_first_row = options.no_headers;
    for (ri, row) in rows.iter().enumerate() {
        let mut line = String::new();
        let mut first = true;
        for (i, (cell, column)) in row.iter().zip(&columns).enumerate() {
            if !visible(column) {
                continue;
            }
            if !first {
                line.push('\t');
            }
            first = false;
            append_cell_value(&mut line, cell);
            if pad_first_row && ri == 0 && Some(i) != last_visible {
                let pad = max_widths[i].saturating_sub(cell.len());
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        line.push('\n');
        tw.write(&line);
        // Upstream flushes every 100 rows to bound memory; remembered widths keep the
        // columns aligned across the flushes.
        if (ri + 1) % 100 == 0 {
            tw.flush();
        }
    }
}

/// `decorateTable`: `NAMESPACE` first, `-L` columns and `LABELS` last, `kind/` before
/// the name; every cell as text.
fn decorate(
    table: &Table,
    options: &PrintOptions,
    with_namespace: bool,
    with_kind: bool,
) -> (Vec<DecoratedColumn>, Vec<Vec<String>>) {
    let mut columns: Vec<DecoratedColumn> = Vec::new();
    let decorated = |name: &str| DecoratedColumn {
        name: name.to_owned(),
        priority: 0,
    };
    if with_namespace {
        columns.push(decorated("Namespace"));
    }
    columns.extend(table.columns.iter().map(|c| DecoratedColumn {
        name: c.name.to_owned(),
        priority: c.priority,
    }));
    for label in &options.column_labels {
        let last = label.rsplit('/').next().unwrap_or(label);
        columns.push(decorated(last));
    }
    if options.show_labels {
        columns.push(decorated("Labels"));
    }
    let name_column = table
        .columns
        .iter()
        .position(|c| c.is_name)
        .filter(|_| with_kind);
    let kind = table.kind.to_lowercase();
    let rows = table
        .rows
        .iter()
        .map(|r| {
            let mut out: Vec<String> = Vec::with_capacity(columns.len());
            if with_namespace {
                out.push(r.namespace.clone());
            }
            out.extend(r.row.cells.iter().enumerate().map(|(i, c)| {
                if Some(i) == name_column {
                    format!("{kind}/{c}")
                } else {
                    c.to_string()
                }
            }));
            for key in &options.column_labels {
                out.push(r.labels.get(key).cloned().unwrap_or_default());
            }
            if options.show_labels {
                out.push(format_labels(&r.labels));
            }
            out
        })
        .collect();
    (columns, rows)
}

/// `appendCellValue`: a cell is cut at its first line break (`\n`, `\r`, `\f`) with
/// `...` added, and the escape character is written `^[`.
fn append_cell_value(line: &mut String, value: &str) {
    let escaped = |s: &str| s.replace('\u{1b}', "^[").replace('\r', "\\r");
    match value.find(['\u{c}', '\n', '\r']) {
        Some(at) => {
            line.push_str(&escaped(&value[..at]));
            line.push_str("...");
        }
        None => line.push_str(&escaped(value)),
    }
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
