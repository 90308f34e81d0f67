//! kubectl's output, exactly: the printers behind `kubectl get` and the table text they
//! become, and the console that runs kubectl's command lines against the world, shared
//! by the page's console panel and the CLI's script runner (`svcplay run`).
//!
//! Module map: `duration` (the AGE formatter, `5m` / `3m10s` / `2y1d`), `print` (one
//! file per kind: its columns and its row printer, as the API server has them),
//! `tabwriter` (Go's column aligner with kubectl's settings), `table` (`kubectl get`:
//! decoration, wide columns, headers, `No resources found`), `served` (the world's
//! objects as the API server serves them, status filled), `events` (the world's event
//! log as `v1` Events), `output` (`-o yaml|json|name`), `console` (the grammar and the
//! verbs).
//!
//! The printers are pure: objects and the simulated `now` in, text out. The console
//! changes the world only through `World::apply`.

pub mod console;
pub mod duration;
pub mod events;
pub mod output;
pub mod print;
pub mod served;
pub mod table;
pub mod tabwriter;

pub use console::{Console, LineOutput};
pub use duration::{human_duration, short_human_duration, translate_timestamp_since};
pub use print::{Cell, Column, ColumnType, Row, RowCondition};
pub use table::{GetOutput, PrintOptions, Scope, Table, TableRow, get, render};
pub use tabwriter::TabWriter;
