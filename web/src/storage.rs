//! Autosave: the scenario in `localStorage`, as the same packed fragment a link carries.
//!
//! Two keys, never mixed: the learner's own sandbox under [`AUTOSAVE_KEY`], and, while
//! a lesson is open, that lesson's world under [`LESSON_WORLD_KEY`] (with the lesson
//! and step it belongs to), so a lesson never overwrites the sandbox and a returning
//! learner finds both as they left them. Each entry is at most
//! [`MAX_LINK_BYTES`](svcplay_core::limits::MAX_LINK_BYTES) (64 KiB, the longest link the page reads): a bigger world is
//! not saved (a notice says so) rather than stored and refused on the next visit, so
//! the page keeps at most 2 × 64 KiB plus its lesson progress (a few bytes).
//!
//! Every failure (storage disabled, quota, a corrupt entry) is an `Err` with a message
//! for a quiet notice; nothing here panics.

use svcplay_core::limits::Limit;
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

/// The `localStorage` key of the open lesson's world.
pub const LESSON_WORLD_KEY: &str = "svcplay.lesson-world";

/// Refuses a fragment over [`MAX_LINK_BYTES`](svcplay_core::limits::MAX_LINK_BYTES), in
/// the limit's words.
fn within_limit(fragment: &str) -> Result<(), String> {
    svcplay_core::limits::check(Limit::LinkBytes, "autosave", fragment.len() as u64)
        .map_err(|e| format!("not autosaved: {e}"))
}

/// Saves `fragment` (from [`encode_fragment`]) as the autosave.
pub fn save_fragment(fragment: &str) -> Result<(), String> {
    within_limit(fragment)?;
    local_storage()?
        .set_item(AUTOSAVE_KEY, fragment)
        .map_err(|_| "could not save the scenario (storage full or disabled)".to_owned())
}

/// Saves the open lesson's world (lesson and step 0-based); a world over the limit
/// removes the older one, which would no longer be where the learner is.
pub fn save_lesson_world(lesson: usize, step: usize, fragment: &str) -> Result<(), String> {
    let storage = local_storage()?;
    if let Err(e) = within_limit(fragment) {
        let _ = storage.remove_item(LESSON_WORLD_KEY);
        return Err(e);
    }
    storage
        .set_item(
            LESSON_WORLD_KEY,
            &crate::lesson_progress::lesson_world_text(lesson, step, fragment),
        )
        .map_err(|_| "could not save the lesson (storage full or disabled)".to_owned())
}

/// The saved lesson world's text, if any (read with
/// [`crate::lesson_progress::parse_lesson_world`]).
pub fn load_lesson_world() -> Option<String> {
    local_storage().ok()?.get_item(LESSON_WORLD_KEY).ok()?
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
/// opened with is never written back, so a refused link keeps the old autosave. While
/// a lesson is open its world goes to [`LESSON_WORLD_KEY`], never to the sandbox's key.
#[hook]
pub fn use_autosave(state: UseReducerHandle<AppState>, enabled: bool) {
    type Saved = (Option<(usize, usize)>, String);
    let last = use_mut_ref(|| (None::<Saved>, f64::NEG_INFINITY, u64::MAX));
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
        let lesson = state.view.lesson.open.map(|l| (l, state.view.lesson.step));
        let saved = (lesson, encode_fragment(&state.scenario()));
        let first = last.0.is_none();
        if last.0.as_ref() == Some(&saved) {
            return;
        }
        last.0 = Some(saved.clone());
        if first {
            return;
        }
        let result = match saved {
            (Some((l, s)), fragment) => save_lesson_world(l, s, &fragment),
            (None, fragment) => save_fragment(&fragment),
        };
        if let Err(e) = result {
            state.dispatch(Action::Menu(MenuAction::Notify(e.into())));
        }
    });
}
