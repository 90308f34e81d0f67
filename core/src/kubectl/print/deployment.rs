//! `kubectl get deployments`: `NAME READY UP-TO-DATE AVAILABLE AGE [CONTAINERS IMAGES
//! SELECTOR]`.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4
//! `pkg/printers/internalversion/printers.go` (`deploymentColumnDefinitions`,
//! `printDeployment`); kubernetes/kubernetes `pkg/apis/apps/v1/defaults.go`
//! (`SetDefaults_Deployment`: a nil `replicas` is 1 before anything stores it).

use super::{Cell, Column, Row, layout_container_cells};
use crate::kubectl::duration::translate_timestamp_since;
use crate::objects::Deployment;
use crate::selector::api::label_selector_as_selector;
use crate::sim::SimTime;

/// The kind with its group, as `--show-kind` prints it (`GroupKind.String()`).
pub const KIND: &str = "Deployment.apps";

/// Whether the kind lives in namespaces.
pub const NAMESPACED: bool = true;

/// The columns, in order (`Up-to-date` and `Available` are declared strings upstream
/// and filled with integers).
pub const COLUMNS: &[Column] = &[
    Column::NAME,
    Column::text("Ready", 0),
    Column::text("Up-to-date", 0),
    Column::text("Available", 0),
    Column::AGE,
    Column::text("Containers", 1),
    Column::text("Images", 1),
    Column::text("Selector", 1),
];

/// `printDeployment`: one row; `wide` adds containers, images and the selector.
pub fn print(d: &Deployment, now: SimTime, wide: bool) -> Row {
    let desired = d.spec.replicas.unwrap_or(1);
    let mut cells: Vec<Cell> = vec![
        d.metadata.name.as_str().into(),
        format!("{}/{desired}", d.status.ready_replicas).into(),
        i64::from(d.status.updated_replicas).into(),
        i64::from(d.status.available_replicas).into(),
        translate_timestamp_since(d.metadata.creation_timestamp, now).into(),
    ];
    if wide {
        let (names, images) = layout_container_cells(&d.spec.template.spec.containers);
        // `LabelSelectorAsSelector(...).String()`: `""` for nil and for `{}`.
        let selector = label_selector_as_selector(d.spec.selector.as_ref())
            .map_or_else(|_| "<invalid>".to_owned(), |s| s.to_string());
        cells.extend([names.into(), images.into(), selector.into()]);
    }
    Row::new(cells)
}
