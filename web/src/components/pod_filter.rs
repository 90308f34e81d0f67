//! The bar above the map: the namespace shown (`select[data-action="namespace"]`, every
//! namespace by default) and the pod filter, a label selector in the full grammar
//! (`app in (dev,prod),!canary`) that highlights the pods it matches, live.

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
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
    let pick = props.on_edit.reform(|e: Event| {
        let value = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default();
        EditAction::Namespace(value)
    });
    let current = f.namespace.clone().unwrap_or_default();
    html! {
        <div class="pod-filter">
            <label class="namespace-pick">
                <span>{ "Namespace " }</span>
                <select data-action="namespace" aria-label="namespace shown" onchange={pick}>
                    <option value="" selected={current.is_empty()}>{ "all namespaces" }</option>
                    { for f.namespaces.iter().map(|(n, svcs, pods)| html! {
                        <option value={n.clone()} selected={*n == current}>
                            { format!("{n} ({svcs} svc, {pods} pods)") }
                        </option>
                    }) }
                </select>
            </label>
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
