//! The console panel: kubectl's command lines against the simulated cluster. One input
//! line (Enter runs it, ↑/↓ walk the history, Tab completes, a pasted block of lines runs
//! as a script), the transcript above it, and `/` anywhere on the page (outside a text
//! field) to focus it. The lines run in the core's console; this only shows them.

use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::state::{ConsoleAction, ConsoleEntry};

/// Props of [`ConsolePanel`].
#[derive(Properties, PartialEq)]
pub struct ConsolePanelProps {
    /// The line being typed.
    pub input: String,
    /// The transcript, oldest first.
    pub entries: Rc<VecDeque<ConsoleEntry>>,
    /// The candidates of the last Tab that had several.
    pub candidates: Vec<String>,
    /// Console actions go here.
    pub on_console: Callback<ConsoleAction>,
}

/// Whether a key press happened in a place that takes text (where `/` is a character).
fn in_text_field(e: &web_sys::Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "textarea" | "select"
            ) || el.is_content_editable()
        })
}

/// The console panel.
#[component]
pub fn ConsolePanel(props: &ConsolePanelProps) -> Html {
    let input_ref = use_node_ref();
    let output_ref = use_node_ref();
    // `/` focuses the console from anywhere but a text field.
    {
        let input_ref = input_ref.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
                let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if k.key() == "/"
                    && !k.ctrl_key()
                    && !k.meta_key()
                    && !k.alt_key()
                    && !in_text_field(&e)
                    && let Some(input) = input_ref.cast::<HtmlInputElement>()
                {
                    e.prevent_default();
                    input.focus().ok();
                }
            });
            if let Some(d) = &document {
                d.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref())
                    .ok();
            }
            move || {
                if let Some(d) = &document {
                    d.remove_event_listener_with_callback(
                        "keydown",
                        listener.as_ref().unchecked_ref(),
                    )
                    .ok();
                }
            }
        });
    }
    // Keep the newest output in view.
    {
        let output_ref = output_ref.clone();
        use_effect_with(props.entries.len(), move |_| {
            if let Some(el) = output_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let oninput = {
        let cb = props.on_console.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                cb.emit(ConsoleAction::Input(i.value()));
            }
        })
    };
    let onkeydown = {
        let cb = props.on_console.clone();
        Callback::from(move |e: KeyboardEvent| {
            let action = match e.key().as_str() {
                "Enter" => ConsoleAction::Submit,
                "ArrowUp" => ConsoleAction::Up,
                "ArrowDown" => ConsoleAction::Down,
                "Tab" if !e.shift_key() => ConsoleAction::Complete,
                _ => return,
            };
            e.prevent_default();
            cb.emit(action);
        })
    };
    let onpaste = {
        let cb = props.on_console.clone();
        Callback::from(move |e: Event| {
            let text = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
                .and_then(|d| d.get_data("text/plain").ok())
                .unwrap_or_default();
            // One line pastes as typed; a block runs line by line.
            if text.contains('\n') {
                e.prevent_default();
                cb.emit(ConsoleAction::Paste(text));
            }
        })
    };
    html! {
        <section class="panel console" data-console="" aria-labelledby="console-title">
            <h2 id="console-title">{ "Console" }
                <span class="muted console-hint">{ " kubectl against this cluster · press " }<kbd>{ "/" }</kbd>{ " to type · " }<code>{ "help" }</code></span>
            </h2>
            <div class="console-output" data-console-output="" ref={output_ref} role="log" aria-live="polite"
                aria-label="console output">
                { for props.entries.iter().map(|e| html! {
                    <div class={classes!("console-entry", (!e.ok).then_some("failed"))} data-ok={e.ok.to_string()}>
                        <pre class="console-line">{ format!("$ {}", e.line) }</pre>
                        if !e.output.is_empty() {
                            <pre class="console-text">{ &e.output }</pre>
                        }
                    </div>
                }) }
            </div>
            if !props.candidates.is_empty() {
                <p class="console-candidates" aria-live="polite">{ props.candidates.join("  ") }</p>
            }
            <label class="console-prompt">
                <span aria-hidden="true">{ "$" }</span>
                <input type="text" ref={input_ref} value={props.input.clone()} data-action="console"
                    aria-label="console: a kubectl command, traffic, why or sleep"
                    placeholder="kubectl get pods" spellcheck="false" autocomplete="off"
                    autocapitalize="off" {oninput} {onkeydown} {onpaste} />
            </label>
        </section>
    }
}
