//! Autosave: the scenario in `localStorage`, as the same packed fragment a link carries.
//!
//! Every failure (storage disabled, quota, a corrupt entry) is an `Err` with a message
//! for a quiet notice; nothing here panics.

use svcplay_core::scenario::share::{Scenario, decode_fragment, encode_fragment};
use yew::prelude::*;

use crate::share::{self, Start};
use crate::state::MenuAction;
use crate::state::{Action, AppState, ScenarioKind};

/// The `localStorage` key of the autosave.
pub const AUTOSAVE_KEY: &str = "svcplay.autosave";

fn local_storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        _ => Err("storage is disabled in this browser: changes will not be kept".into()),
    }
}

/// Saves `fragment` (from [`encode_fragment`]) as the autosave.
pub fn save_fragment(fragment: &str) -> Result<(), String> {
    local_storage()?
        .set_item(AUTOSAVE_KEY, fragment)
        .map_err(|_| "could not save the scenario (storage full or disabled)".to_owned())
}

/// Saves a scenario as the autosave.
pub fn save(scenario: &Scenario) -> Result<(), String> {
    save_fragment(&encode_fragment(scenario))
}

/// The autosaved scenario, if there is one.
pub fn load() -> Result<Option<Scenario>, String> {
    let Some(text) = local_storage()?.get_item(AUTOSAVE_KEY).ok().flatten() else {
        return Ok(None);
    };
    decode_fragment(&text)
        .map(Some)
        .map_err(|e| format!("the autosaved scenario could not be read: {e}"))
}

/// Forgets the autosave.
pub fn clear() -> Result<(), String> {
    local_storage()?
        .remove_item(AUTOSAVE_KEY)
        .map_err(|_| "could not clear the autosave".to_owned())
}

/// Where the page's first scenario comes from: a `#s=…` link first, then (outside embed
/// mode) the autosave, else the default; a refused link or autosave says why and falls
/// back to the default without touching the autosave. The stress bench ignores both.
pub fn startup(embed: bool, kind: ScenarioKind) -> Option<Start> {
    if kind != ScenarioKind::Default {
        return None;
    }
    let (_, _, hash) = share::location();
    Some(match share::fragment_scenario(&hash) {
        Some(Ok(s)) => Start::Link(s),
        Some(Err(e)) => Start::Default(Some(format!(
            "This link's scenario could not be loaded ({e}); showing the default scenario."
        ))),
        None if embed => Start::Default(None),
        None => match load() {
            Ok(Some(s)) => Start::Autosave(s),
            Ok(None) => Start::Default(None),
            Err(e) => Start::Default(Some(e)),
        },
    })
}

/// The reducer's first state for a start.
pub fn initial_state(kind: ScenarioKind, start: Option<Start>) -> AppState {
    let mut state = AppState::new(kind);
    match start {
        Some(Start::Link(s) | Start::Autosave(s)) => state.load(&s),
        Some(Start::Default(notice)) => state.view.menu.notice = notice.map(Into::into),
        None => {}
    }
    state
}

/// Wall milliseconds between two autosave checks while nothing was commanded.
pub const AUTOSAVE_MILLIS: f64 = 2_000.0;

/// Saves the scenario when it changed: at once after a menu command or Reset (the
/// revision moved), otherwise at most every [`AUTOSAVE_MILLIS`]. The scenario the page
/// opened with is never written back, so a refused link keeps the old autosave.
#[hook]
pub fn use_autosave(state: UseReducerHandle<AppState>, enabled: bool) {
    let last = use_mut_ref(|| (None::<String>, f64::NEG_INFINITY, u64::MAX));
    let epoch = state.view.epoch;
    use_effect_with(epoch, move |_| {
        if !enabled {
            return;
        }
        let now = web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now());
        let mut last = last.borrow_mut();
        let revision = state.view.menu.revision;
        if revision == last.2 && now - last.1 < AUTOSAVE_MILLIS {
            return;
        }
        last.1 = now;
        last.2 = revision;
        let fragment = encode_fragment(&state.scenario());
        let first = last.0.is_none();
        if last.0.as_deref() == Some(fragment.as_str()) {
            return;
        }
        last.0 = Some(fragment.clone());
        if first {
            return;
        }
        if let Err(e) = save_fragment(&fragment) {
            state.dispatch(Action::Menu(MenuAction::Notify(e.into())));
        }
    });
}
