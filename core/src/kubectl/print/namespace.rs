//! `kubectl get namespaces`: `NAME STATUS AGE`.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4
//! `pkg/printers/internalversion/printers.go` (`namespaceColumnDefinitions`,
//! `printNamespace`).

use super::{Column, Row};
use crate::kubectl::duration::translate_timestamp_since;
use crate::manifest::Namespace;
use crate::sim::SimTime;

/// The kind with its group, as `--show-kind` prints it (`GroupKind.String()`).
pub const KIND: &str = "Namespace";

/// Whether the kind lives in namespaces.
pub const NAMESPACED: bool = false;

/// The columns, in order.
pub const COLUMNS: &[Column] = &[Column::NAME, Column::text("Status", 0), Column::AGE];

/// `printNamespace`: one row: the name, the phase as stored, the age.
pub fn print(ns: &Namespace, now: SimTime, _wide: bool) -> Row {
    Row::new(vec![
        ns.metadata.name.as_str().into(),
        ns.status.phase.as_str().into(),
        translate_timestamp_since(ns.metadata.creation_timestamp, now).into(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::print::Cell;
    use crate::objects::ObjectMeta;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Upstream: OchukoWH/kubernetes@3669de28 `pkg/printers/internalversion/printers_test.go`
    /// `TestPrintNamespace` (its `now+1.9s` creation time is
    /// `now+1s` at metav1.Time's second precision; the age is `0s` either way).
    #[test]
    fn name_phase_and_age() {
        let now = SimTime::from_secs(100);
        let mut ns = Namespace {
            metadata: ObjectMeta {
                name: "namespace1".into(),
                creation_timestamp: Some(SimTime::from_secs(101)),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        };
        ns.status.phase = "FooStatus".into();
        let cells = |ns: &Namespace| print(ns, now, false).cells;
        assert_eq!(
            cells(&ns),
            [Cell::from("namespace1"), "FooStatus".into(), "0s".into()]
        );
        let bare = Namespace {
            metadata: ObjectMeta::named("", "namespace2"),
            ..Namespace::default()
        };
        assert_eq!(
            cells(&bare),
            [Cell::from("namespace2"), "".into(), "<unknown>".into()]
        );
    }
}
