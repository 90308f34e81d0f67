//! svcplay-web: the playground's face.
//!
//! The app renders the core's `World` and turns input into core commands through one
//! reducer (`state`); it holds no Kubernetes logic of its own. Module map: `app` (root
//! component), `state` (AppState, Action, reduce), `components/` (one per file),
//! `hooks/` (the animation-frame ticker), `layout` (where things sit on the scene).

pub mod app;
pub mod components;
pub mod hooks;
pub mod layout;
pub mod panic_page;
pub mod state;

/// Installs the panic page and mounts the app on `<body>`.
pub fn start() {
    panic_page::install();
    yew::Renderer::<app::App>::new().render();
}
