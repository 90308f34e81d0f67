//! Whether a CSS media query matches, kept up to date when it changes (e.g. the user
//! turns on "reduce motion" while the page is open).

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// True while `query` matches; false where `matchMedia` is unavailable.
#[hook]
pub fn use_media_query(query: &'static str) -> bool {
    let list = use_memo((), move |_| {
        web_sys::window().and_then(|w| w.match_media(query).ok().flatten())
    });
    let matches = use_state(|| list.as_ref().as_ref().is_some_and(|l| l.matches()));
    {
        let matches = matches.clone();
        use_effect_with(list, move |list| {
            let list = list.as_ref().clone();
            let on_change = Closure::<dyn Fn()>::new({
                let list = list.clone();
                move || matches.set(list.as_ref().is_some_and(|l| l.matches()))
            });
            if let Some(l) = &list {
                l.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())
                    .ok();
            }
            move || {
                if let Some(l) = &list {
                    l.remove_event_listener_with_callback(
                        "change",
                        on_change.as_ref().unchecked_ref(),
                    )
                    .ok();
                }
            }
        });
    }
    *matches
}
