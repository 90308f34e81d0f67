//! `kubectl get replicasets`: `NAME DESIRED CURRENT READY AGE [CONTAINERS IMAGES
//! SELECTOR]`.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4
//! `pkg/printers/internalversion/printers.go` (`replicaSetColumnDefinitions`,
//! `printReplicaSet`); kubernetes/apimachinery `pkg/apis/meta/v1/helpers.go`
//! (`FormatLabelSelector`); kubernetes/kubernetes `pkg/apis/apps/v1/defaults.go`
//! (`SetDefaults_ReplicaSet`: a nil `replicas` is 1).

use super::{Cell, Column, Row, layout_container_cells};
use crate::kubectl::duration::translate_timestamp_since;
use crate::objects::ReplicaSet;
use crate::selector::api::label_selector_as_selector;
use crate::sim::SimTime;

/// The kind with its group, as `--show-kind` prints it (`GroupKind.String()`).
pub const KIND: &str = "ReplicaSet.apps";

/// Whether the kind lives in namespaces.
pub const NAMESPACED: bool = true;

/// The columns, in order.
pub const COLUMNS: &[Column] = &[
    Column::NAME,
    Column::integer("Desired"),
    Column::integer("Current"),
    Column::integer("Ready"),
    Column::AGE,
    Column::text("Containers", 1),
    Column::text("Images", 1),
    Column::text("Selector", 1),
];

/// `printReplicaSet`: one row; `wide` adds containers, images and the selector.
pub fn print(rs: &ReplicaSet, now: SimTime, wide: bool) -> Row {
    let mut cells: Vec<Cell> = vec![
        rs.metadata.name.as_str().into(),
        i64::from(rs.spec.replicas.unwrap_or(1)).into(),
        i64::from(rs.status.replicas).into(),
        i64::from(rs.status.ready_replicas).into(),
        translate_timestamp_since(rs.metadata.creation_timestamp, now).into(),
    ];
    if wide {
        let (names, images) = layout_container_cells(&rs.spec.template.spec.containers);
        cells.extend([
            names.into(),
            images.into(),
            format_label_selector(rs).into(),
        ]);
    }
    Row::new(cells)
}

/// `FormatLabelSelector`: the selector's text, `<none>` when empty (nil selects nothing
/// and prints empty too), `<error>` when it does not convert.
fn format_label_selector(rs: &ReplicaSet) -> String {
    match label_selector_as_selector(rs.spec.selector.as_ref()) {
        Err(_) => "<error>".to_owned(),
        Ok(s) => {
            let l = s.to_string();
            if l.is_empty() { "<none>".to_owned() } else { l }
        }
    }
}
