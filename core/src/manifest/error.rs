//! Import errors: each names its document, line, column and field path.

use std::fmt;

use thiserror::Error;

use super::path::Position;
use crate::error::CommandError;
use crate::limits::LimitError;
use crate::objects::TimeError;
use crate::validation::field;

/// One reason an import was refused. Nothing is applied when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The document, counting from 1.
    pub document: usize,
    /// Where in the text, when known.
    pub position: Option<Position>,
    /// The object, as `Kind/name`, when known.
    pub object: Option<String>,
    /// The field path (`spec.ports[0].nodePort`), empty for the whole document.
    pub field: String,
    /// What is wrong.
    pub problem: Problem,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    /// The text is not YAML (or JSON).
    #[error("{0}")]
    Syntax(String),
    /// A field has the wrong type, in Go's words (`json: cannot unmarshal string into Go
    /// struct field ServicePort.spec.ports.port of type int32`).
    #[error("{0}")]
    Type(String),
    /// A document is not a mapping.
    #[error("a manifest document must be an object with apiVersion and kind")]
    NotAnObject,
    /// `kind` is missing.
    #[error("Object 'Kind' is missing")]
    MissingKind,
    /// `apiVersion` is missing.
    #[error("apiVersion not set")]
    MissingApiVersion,
    /// A field error in the API server's words.
    #[error("{0}")]
    Field(field::Error),
    /// The world refused the object.
    #[error("{0}")]
    World(CommandError),
    /// A timestamp is not RFC 3339, or lies before the simulation's epoch.
    #[error("{0}")]
    Time(TimeError),
    /// The input is over one of the playground's limits (size, documents, objects,
    /// nesting); the message names the limit.
    #[error("{0}")]
    Limit(LimitError),
}

impl ImportError {
    /// The line, or 0 when unknown.
    pub fn line(&self) -> usize {
        self.position.map_or(0, |p| p.line)
    }

    /// The column, or 0 when unknown.
    pub fn column(&self) -> usize {
        self.position.map_or(0, |p| p.column)
    }

    /// Whether the input itself is unreadable (not YAML, wrong types, no kind, over a
    /// limit) rather than a well-formed object Kubernetes would refuse.
    pub fn is_unreadable(&self) -> bool {
        matches!(
            self.problem,
            Problem::Syntax(_)
                | Problem::Limit(_)
                | Problem::Type(_)
                | Problem::NotAnObject
                | Problem::MissingKind
                | Problem::MissingApiVersion
        )
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "document {}", self.document)?;
        if let Some(p) = self.position {
            write!(f, ", line {}, column {}", p.line, p.column)?;
        }
        f.write_str(": ")?;
        if let Some(o) = &self.object {
            write!(f, "{o}: ")?;
        }
        match &self.problem {
            Problem::Type(_) | Problem::Time(_) if !self.field.is_empty() => {
                write!(f, "{}: ", self.field)?;
            }
            _ => {}
        }
        write!(f, "{}", self.problem)
    }
}

impl std::error::Error for ImportError {}

/// Every error an import found, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} error(s) in the manifests; nothing was applied:\n{}", .0.len(), lines(.0))]
pub struct ImportErrors(pub Vec<ImportError>);

fn lines(errs: &[ImportError]) -> String {
    errs.iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}
