//! Validation as Kubernetes does it: field paths, field errors, and the content checks
//! (label keys and values, DNS names, port names and numbers) with upstream's own words.
//!
//! `field` mirrors apimachinery's `pkg/util/validation/field` (`Path`, `Error`,
//! `ErrorList`); `content` mirrors `pkg/api/validate/content` and
//! `pkg/util/validation`; `gofmt` renders values the way Go's `%q` and `encoding/json`
//! do, so that messages read exactly like the API server's.
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/util/validation/field/errors.go`.

pub mod content;
pub mod field;
pub mod gofmt;

pub use field::{Error, ErrorList, ErrorType, Path};
