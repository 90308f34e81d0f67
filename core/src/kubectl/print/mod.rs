//! kubectl's printers: per kind, the columns of `kubectl get` and the function that
//! turns one object into one row of cells.
//!
//! These are the API server's table printers (kubectl asks the server for a `Table`, and
//! the server runs them with every column filled, `wide` on); the client then hides
//! the wide-only columns ([`super::table`]). A printer is pure: the object and the
//! simulated `now` that its ages count to.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4 (a snapshot of
//! kubernetes/kubernetes, the revision the conformance vectors were read at)
//! `pkg/printers/internalversion/printers.go` (`AddHandlers` and the `print*`
//! functions); kubernetes/apimachinery `pkg/apis/meta/v1/types.go` (`TableRow`).

use std::fmt;

pub mod deployment;
pub mod endpoint_slice;
pub mod endpoints;
pub mod event;
pub mod namespace;
pub mod node;
pub mod pod;
pub mod replica_set;
pub mod service;

use crate::objects::Container;

/// One cell of a row: Go's `interface{}` holds a string or an `int64` here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text.
    Str(String),
    /// A number (`Desired`, `Up-to-date`, …), printed in decimal.
    Int(i64),
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Str(s) => f.write_str(s),
            Cell::Int(n) => write!(f, "{n}"),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Str(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Str(s.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

/// A condition on a row (`metav1.TableRowCondition`); the only one is `Completed`, on
/// the row of a Succeeded or Failed pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowCondition {
    /// `Completed`.
    pub type_: &'static str,
    /// `True`.
    pub status: &'static str,
    /// The pod's phase.
    pub reason: &'static str,
    /// A sentence.
    pub message: &'static str,
}

/// One row of a table: the cells in column order, and the row's conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// The cells; the wide-only ones at the end, when the printer was asked for them.
    pub cells: Vec<Cell>,
    /// The row's conditions.
    pub conditions: Vec<RowCondition>,
}

impl Row {
    /// A row of these cells and no conditions.
    pub fn new(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            conditions: Vec::new(),
        }
    }
}

/// What a column holds (`metav1.TableColumnDefinition.Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// `string`.
    String,
    /// `integer`.
    Integer,
}

/// A column (`metav1.TableColumnDefinition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The name; its header is the name upper-cased.
    pub name: &'static str,
    /// The type of its cells.
    pub type_: ColumnType,
    /// `Format: "name"`: the object's name, which `--show-kind` prefixes with the kind.
    pub is_name: bool,
    /// 0 for a column always shown, 1 for one shown only with `-o wide`.
    pub priority: u8,
}

impl Column {
    /// A string column.
    pub const fn text(name: &'static str, priority: u8) -> Column {
        Column {
            name,
            type_: ColumnType::String,
            is_name: false,
            priority,
        }
    }

    /// An integer column.
    pub const fn integer(name: &'static str) -> Column {
        Column {
            name,
            type_: ColumnType::Integer,
            is_name: false,
            priority: 0,
        }
    }

    /// The `Name` column (`Format: "name"`).
    pub const NAME: Column = Column {
        name: "Name",
        type_: ColumnType::String,
        is_name: true,
        priority: 0,
    };

    /// The `Age` column.
    pub const AGE: Column = Column::text("Age", 0);
}

/// `layoutContainerCells`: the containers' names and their images, each joined by `,`.
pub fn layout_container_cells(containers: &[Container]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image.as_str()).collect();
    (names.join(","), images.join(","))
}

/// `listWithMoreString`: the first items joined by `,`, then ` + N more...` for the
/// rest; `<unset>` when there is nothing.
pub(crate) fn list_with_more(list: &[String], more: bool, count: usize, max: usize) -> String {
    let ret = list.join(",");
    if more {
        return format!("{ret} + {} more...", count.saturating_sub(max));
    }
    if ret.is_empty() {
        return "<unset>".to_owned();
    }
    ret
}
