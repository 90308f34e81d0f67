//! Links out of the page and into it: the `#s=…` fragment, `?embed`, the iframe snippet,
//! and copying to the clipboard. The URL logic is pure (tested natively); the browser
//! calls are thin and never panic.

use svcplay_core::scenario::share::{Scenario, ShareError, decode_fragment};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::state::MenuAction;

/// Where the page gets its first scenario from.
#[derive(Debug, Clone, PartialEq)]
pub enum Start {
    /// A `#s=…` link.
    Link(Scenario),
    /// The autosave.
    Autosave(Scenario),
    /// The default scenario, with a message when a link or the autosave was refused.
    Default(Option<String>),
}

/// Whether the query string asks for embed mode (`?embed`, `?embed=1`, `?a&embed`).
pub fn is_embed(query: &str) -> bool {
    query
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "embed" || p.starts_with("embed="))
}

/// The scenario of a URL fragment (`#s=…`), if it carries one.
pub fn fragment_scenario(hash: &str) -> Option<Result<Scenario, ShareError>> {
    let hash = hash.trim_start_matches('#');
    hash.starts_with("s=").then(|| decode_fragment(hash))
}

/// The page's address without query and fragment: `origin + pathname`.
pub fn page_base(origin: &str, pathname: &str) -> String {
    format!("{origin}{pathname}")
}

/// The share link for a fragment.
pub fn share_url(base: &str, fragment: &str) -> String {
    format!("{base}#{fragment}")
}

/// The embed URL for a fragment.
pub fn embed_url(base: &str, fragment: &str) -> String {
    format!("{base}?embed#{fragment}")
}

/// A ready `<iframe>` for a fragment.
pub fn iframe_snippet(base: &str, fragment: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"svcplay — Kubernetes Services playground\" width=\"100%\" height=\"900\" loading=\"lazy\"></iframe>",
        embed_url(base, fragment)
    )
}

/// The current page's `origin + pathname`, `search` and `hash`.
pub fn location() -> (String, String, String) {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return Default::default();
    };
    let base = page_base(
        &loc.origin().unwrap_or_default(),
        &loc.pathname().unwrap_or_default(),
    );
    (
        base,
        loc.search().unwrap_or_default(),
        loc.hash().unwrap_or_default(),
    )
}

/// Puts `fragment` in the address bar without reloading or adding a history entry.
pub fn set_fragment(fragment: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let (base, search, _) = location();
        let url = format!("{base}{search}#{fragment}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Copies `text` with the async clipboard API; `done(true)` when it was copied,
/// `done(false)` when the browser refused or has no clipboard (the caller then selects a
/// read-only field showing the text).
pub fn copy(text: &str, done: impl Fn(bool) + 'static) {
    let clipboard = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()).ok())
        .filter(|c| !c.is_undefined() && !c.is_null());
    let Some(clipboard) = clipboard.and_then(|c| c.dyn_into::<web_sys::Clipboard>().ok()) else {
        done(false);
        return;
    };
    let done = std::rc::Rc::new(done);
    let ok = {
        let done = done.clone();
        Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| done(true))
    };
    let failed = Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(move |_| done(false));
    let _ = clipboard.write_text(text).then2(&ok, &failed);
    // One copy per click: the two small closures live as long as the page.
    ok.forget();
    failed.forget();
}

/// Loads the scenario of a `#s=…` typed or pasted into the address bar of an open page
/// (only the fragment changes, so the page does not reload); a bad one shows its error.
#[yew::hook]
pub fn use_hash_change(on_menu: yew::Callback<MenuAction>) {
    yew::use_effect_with((), move |_| {
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let (_, _, hash) = location();
            match fragment_scenario(&hash) {
                Some(Ok(s)) => on_menu.emit(MenuAction::Load(std::rc::Rc::new(s))),
                Some(Err(e)) => on_menu.emit(MenuAction::Notify(
                    format!("This link's scenario could not be loaded ({e}).").into(),
                )),
                None => {}
            }
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ =
                w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = &window {
                let _ = w.remove_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            drop(listener);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_mode_is_read_from_the_query() {
        assert!(is_embed("?embed"));
        assert!(is_embed("?bench=x&embed=1"));
        assert!(!is_embed("?embedded"));
        assert!(!is_embed(""));
    }

    #[test]
    fn urls_and_snippets_carry_the_fragment() {
        let base = page_base("https://x.dev", "/svcplay/");
        assert_eq!(share_url(&base, "s=1.ab"), "https://x.dev/svcplay/#s=1.ab");
        assert_eq!(
            embed_url(&base, "s=1.ab"),
            "https://x.dev/svcplay/?embed#s=1.ab"
        );
        let snippet = iframe_snippet(&base, "s=1.ab");
        assert!(snippet.starts_with("<iframe src=\"https://x.dev/svcplay/?embed#s=1.ab\""));
        assert!(!snippet.contains("style"), "no inline style: {snippet}");
    }

    #[test]
    fn a_link_over_a_limit_is_refused_with_its_name() {
        let deep = format!("{{\"seed\":{}1{}}}", "[".repeat(50_000), "]".repeat(50_000));
        let fragment = svcplay_core::scenario::share::pack_json(deep.as_bytes());
        let refused = fragment_scenario(&format!("#{fragment}"));
        let Some(Err(e)) = refused else {
            panic!("{refused:?}")
        };
        assert!(e.to_string().contains("MAX_NESTING_DEPTH"), "{e}");
    }

    #[test]
    fn fragments_without_a_scenario_are_ignored() {
        assert_eq!(fragment_scenario(""), None);
        assert_eq!(fragment_scenario("#top"), None);
        assert!(matches!(fragment_scenario("#s=1.%%"), Some(Err(_))));
    }
}
