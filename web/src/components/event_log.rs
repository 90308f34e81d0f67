//! The event log, newest first, like `kubectl get events` with times, with a text
//! filter (case-insensitive, over object and message).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::model::EventView;

/// Props of [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// Events, newest first.
    pub events: Rc<Vec<EventView>>,
}

/// Whether an event shows under a filter text.
pub fn shown(e: &EventView, filter: &str) -> bool {
    let f = filter.trim().to_lowercase();
    f.is_empty()
        || e.object.to_lowercase().contains(&f)
        || e.message.to_lowercase().contains(&f)
        || e.reason.to_lowercase().contains(&f)
}

/// The event-log panel.
#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let filter = use_state(String::new);
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                filter.set(i.value());
            }
        })
    };
    let events: Vec<&EventView> = props.events.iter().filter(|e| shown(e, &filter)).collect();
    html! {
        <section class="panel event-log" aria-labelledby="events-title">
            <h2 id="events-title">{ "Events" }</h2>
            <input type="search" class="event-filter" data-action="event-filter" value={(*filter).clone()}
                aria-label="filter events by text" placeholder="filter events" {oninput} />
            if props.events.is_empty() {
                <p class="empty">{ "no events yet" }</p>
            } else if events.is_empty() {
                <p class="empty">{ "no event matches the filter" }</p>
            } else {
                <ol class="events">
                    { for events.iter().map(|e| html! {
                        <li class={classes!(e.warning.then_some("warning"))} data-event={e.object.clone()}>
                            <time>{ e.at.to_string() }</time>{ " " }
                            if e.warning { <span class="event-type">{ "Warning" }</span>{ " " } }
                            <code class="event-object">{ &e.object }</code>{ " " }
                            if !e.source.is_empty() {
                                <span class="event-source muted">{ format!("({})", e.source) }</span>{ " " }
                            }
                            <span class="event-message">{ &e.message }</span>
                        </li>
                    }) }
                </ol>
            }
        </section>
    }
}
