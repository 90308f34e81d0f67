//! Explain: pick a Service and a pod; the core says whether the pod is an endpoint, in
//! which condition, and why; and why the Service would not answer (the core's
//! diagnosis). The picked pod's labels can be edited here, and any text (manifests or a
//! cluster's dump) can be checked.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::check_box::CheckBox;
use crate::components::findings::Findings;
use crate::components::text_box::TextBox;
use crate::model::ExplainView;
use crate::state::{EditAction, Field};

/// Props of [`ExplainPanel`].
#[derive(Properties, PartialEq)]
pub struct ExplainPanelProps {
    /// What to show.
    pub explain: Rc<ExplainView>,
    /// Picks and label edits.
    pub on_edit: Callback<EditAction>,
}

fn picked(make: fn(String) -> EditAction, cb: &Callback<EditAction>) -> Callback<Event> {
    let cb = cb.clone();
    Callback::from(move |e: Event| {
        if let Some(s) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        {
            cb.emit(make(s.value()));
        }
    })
}

/// The explain panel.
#[component]
pub fn ExplainPanel(props: &ExplainPanelProps) -> Html {
    let x = &props.explain;
    let verdict = match x.is_endpoint {
        Some(true) => "endpoint",
        Some(false) => "not-endpoint",
        None => "none",
    };
    html! {
        <section class="panel explain-panel" aria-labelledby="explain-title">
            <h2 id="explain-title">{ "Explain" }</h2>
            <div class="pickers">
                <label>{ "Service " }
                    <select data-action="explain-service" aria-label="Service to explain"
                        onchange={picked(EditAction::ExplainService, &props.on_edit)}>
                        { for x.services.iter().map(|s| html! {
                            <option value={s.clone()} selected={x.service.as_ref() == Some(s)}>{ s }</option>
                        }) }
                    </select>
                </label>
                <label>{ "pod " }
                    <select data-action="explain-pod" aria-label="pod to explain"
                        onchange={picked(EditAction::ExplainPod, &props.on_edit)}>
                        { for x.pods.iter().map(|p| html! {
                            <option value={p.clone()} selected={x.pod.as_ref() == Some(p)}>{ p }</option>
                        }) }
                    </select>
                </label>
            </div>
            <div class={classes!("verdict", verdict)} data-explain={verdict} aria-live="polite">
                <p class="headline">
                    <span aria-hidden="true">{ match x.is_endpoint { Some(true) => "✓ ", Some(false) => "✗ ", None => "" } }</span>
                    { &x.headline }
                </p>
                <ul class="reasons">
                    { for x.reasons.iter().map(|r| html! { <li>{ r }</li> }) }
                </ul>
            </div>
            <div class="why" data-why="">
                <h3>{ "Why doesn't it answer?" }</h3>
                if let Some(note) = &x.findings_note {
                    <p class="muted">{ note }</p>
                } else if x.findings.is_empty() {
                    <p class="muted" data-findings="none">{ "Nothing found for this Service." }</p>
                } else {
                    <Findings findings={x.findings.clone()} kind="service" />
                }
            </div>
            <CheckBox checked={x.checked.clone()} on_edit={props.on_edit.clone()} />
            if let Some(pod) = &x.pod {
                <label class="labels-box">
                    <span class="muted">{ "pod labels" }</span>
                    <TextBox field={Field::PodLabels(pod.clone())} action="pod-labels"
                        value={x.labels_draft.clone().unwrap_or_else(|| x.pod_labels.clone())}
                        error={x.labels_error.clone()} id="pod-labels"
                        label={format!("labels of pod {pod}: key=value pairs; Enter applies")}
                        on_edit={props.on_edit.clone()} />
                </label>
            }
        </section>
    }
}
