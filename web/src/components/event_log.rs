//! The event log, newest first, like `kubectl get events` with times.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::EventView;

/// Props of [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// Events, newest first.
    pub events: Rc<Vec<EventView>>,
}

/// The event-log panel.
#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    html! {
        <section class="panel event-log" aria-labelledby="events-title">
            <h2 id="events-title">{ "Events" }</h2>
            if props.events.is_empty() {
                <p class="empty">{ "no events yet" }</p>
            } else {
                <ol class="events">
                    { for props.events.iter().map(|e| html! {
                        <li class={classes!(e.warning.then_some("warning"))}>
                            <time>{ e.at.to_string() }</time>{ " " }
                            <span class="event-type">{ if e.warning { "Warning" } else { "Normal" } }</span>{ " " }
                            <span class="event-reason">{ &e.reason }</span>{ " " }
                            <code class="event-object">{ &e.object }</code>{ " " }
                            <span class="event-source muted">{ format!("({})", e.source) }</span>{ " " }
                            <span class="event-message">{ &e.message }</span>
                        </li>
                    }) }
                </ol>
            }
        </section>
    }
}
