//! A panic in wasm shows a readable message instead of a frozen page.

use std::panic;

/// Replaces the page with the panic message when the app panics.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("svcplay crashed: {message}").into());
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = document.body() else { return };
        let Ok(banner) = document.create_element("div") else {
            return;
        };
        banner.set_attribute("role", "alert").ok();
        banner.set_class_name("panic-banner");
        // Text only: the message may quote user input.
        banner.set_text_content(Some(&format!(
            "svcplay stopped because of a bug: {message}. Reload the page to start again."
        )));
        body.prepend_with_node_1(&banner).ok();
    }));
}
