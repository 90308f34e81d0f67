//! svcplay-web: the playground's face.
//!
//! The app renders the core's `World` and turns input into core commands through one
//! reducer (`state`); it holds no Kubernetes logic of its own. Module map:
//! - `app`: the root component, the one place callbacks are made;
//! - `state/`: AppState, Action, reduce — the single update path (an action is at most
//!   one core `Command`); the scenario menu, the default and stress worlds, the
//!   request log;
//! - `model/`: view structs the components draw, and `from_world` that fills them;
//! - `components/`: one component per file;
//! - `hooks/`: the animation-frame ticker, a media-query reader;
//! - `paint`: canvas drawing for the traffic layer (anchors, routes, flights);
//! - `palette`, `format`, `layout`, `fnv` (a fast hasher for per-frame name lookups):
//!   pure helpers, tested natively;
//! - `panic_page`: a readable message instead of a frozen page;
//! - `lesson_progress`: lesson progress in localStorage, `?lesson=N`, the lesson snippet.

pub mod app;
pub mod components;
pub mod fnv;
pub mod format;
pub mod hooks;
pub mod layout;
pub mod lesson_progress;
pub mod model;
mod paint;
pub mod palette;
pub mod panic_page;
pub mod share;
pub mod state;
pub mod storage;

/// Installs the panic page and mounts the app on `<body>`.
pub fn start() {
    panic_page::install();
    yew::Renderer::<app::App>::new().render();
}
