//! Components, one per file.

pub mod pod_card;
pub mod scene;
pub mod toolbar;
