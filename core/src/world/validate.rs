//! Checks shared by the commands: labels and selectors validated with Kubernetes' own
//! field errors (`crate::labels`, `crate::selector`), and small text helpers.

use crate::error::CommandError;
use crate::labels::validate_labels;
use crate::objects::{LabelSelector, Labels};
use crate::validation::field::{Path, aggregate_message};

/// Checks every key and value of a label map at `field` (a dotted path such as
/// `metadata.labels`), with Kubernetes' own messages.
pub(super) fn check_labels(object: &str, field: &str, labels: &Labels) -> Result<(), CommandError> {
    let errs = validate_labels(labels, &field_path(field));
    if errs.is_empty() {
        Ok(())
    } else {
        Err(CommandError::InvalidLabel {
            object: object.to_owned(),
            detail: aggregate_message(&errs),
        })
    }
}

pub(super) fn field_path(dotted: &str) -> Path {
    let mut parts = dotted.split('.');
    let first = Path::new(parts.next().unwrap_or(""));
    parts.fold(first, |p, c| p.child(c))
}

/// Whether an API selector selects `labels`; a selector that does not parse selects
/// nothing.
pub(super) fn label_selector_matches(selector: &LabelSelector, labels: &Labels) -> bool {
    selector.to_selector().is_ok_and(|s| s.matches(labels))
}
