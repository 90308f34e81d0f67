//! Components, one per file. Each takes view structs from `crate::model` and
//! `Callback` props made once by the root (`app::Callbacks`).

pub mod check_box;
pub mod client_card;
pub mod cluster_map;
pub mod console;
pub mod deployments_panel;
pub mod endpoints_panel;
pub mod event_log;
pub mod explain_panel;
pub mod findings;
pub mod flight_canvas;
pub mod legend;
pub mod lesson_panel;
pub mod limits_bench;
pub mod node_box;
pub mod pod_card;
pub mod pod_filter;
pub mod rules_panel;
pub mod scenario_menu;
pub mod service_card;
pub mod share_panel;
pub mod text_box;
pub mod toolbar;
