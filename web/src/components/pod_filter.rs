//! The pod filter: a label selector in the full grammar (`app in (dev,prod),!canary`)
//! that highlights the pods it matches, live.

use yew::prelude::*;

use crate::components::text_box::TextBox;
use crate::model::FilterView;
use crate::state::{EditAction, Field};

/// Props of [`PodFilter`].
#[derive(Properties, PartialEq)]
pub struct PodFilterProps {
    /// The box's state.
    pub filter: FilterView,
    /// Typing.
    pub on_edit: Callback<EditAction>,
}

/// The filter box and its count.
#[component]
pub fn PodFilter(props: &PodFilterProps) -> Html {
    let f = &props.filter;
    html! {
        <div class="pod-filter">
            <label>
                <span>{ "Highlight pods matching " }</span>
                <TextBox field={Field::PodFilter} action="pod-filter" value={f.text.clone()} error={f.error.clone()}
                    id="pod-filter" placeholder={Some("app in (dev,prod),!canary".to_owned())}
                    label="label selector to highlight pods; Escape clears" on_edit={props.on_edit.clone()} />
            </label>
            if let Some(n) = f.matched {
                <output class="muted" data-matched={n.to_string()}>{ format!("{n} pod(s) match") }</output>
            }
        </div>
    }
}
