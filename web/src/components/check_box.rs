//! Check a text: paste manifests (Helm or kustomize output too) or a live cluster's
//! `kubectl get pods,svc,endpointslices,nodes -A -o yaml`, or drop a file on the box,
//! pick the cluster's load-balancer provider, and the core says why each Service would
//! not answer. The text is only checked, never imported into the page's world.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{DragEvent, FileReader, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::findings::Findings;
use crate::model::CheckView;
use crate::state::EditAction;

/// Props of [`CheckBox`].
#[derive(Properties, PartialEq)]
pub struct CheckBoxProps {
    /// The last check's outcome.
    pub checked: Option<Rc<CheckView>>,
    /// Where the check goes.
    pub on_edit: Callback<EditAction>,
}

/// Reads a dropped file into the text area (within the core's input limit).
fn read_dropped(e: &DragEvent, area: &NodeRef, status: &UseStateHandle<String>) {
    e.prevent_default();
    let Some(file) = e
        .data_transfer()
        .and_then(|d| d.files())
        .and_then(|f| f.get(0))
    else {
        return;
    };
    if file.size() > svcplay_core::limits::MAX_INPUT_BYTES as f64 {
        status.set(format!(
            "{} is larger than {} bytes (svcplay's limit MAX_INPUT_BYTES)",
            file.name(),
            svcplay_core::limits::MAX_INPUT_BYTES
        ));
        return;
    }
    let Ok(reader) = FileReader::new() else {
        return;
    };
    let (r, area, status, name) = (reader.clone(), area.clone(), status.clone(), file.name());
    let onload = Closure::once_into_js(move || {
        let text = r
            .result()
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        if let Some(a) = area.cast::<HtmlTextAreaElement>() {
            a.set_value(&text);
        }
        status.set(format!("read {name}"));
    });
    reader.set_onload(Some(onload.unchecked_ref()));
    let _ = reader.read_as_text(&file);
}

/// The check box.
#[component]
pub fn CheckBox(props: &CheckBoxProps) -> Html {
    let area = use_node_ref();
    let provider = use_node_ref();
    let status = use_state(String::new);
    let check = {
        let (area, provider, on_edit) = (area.clone(), provider.clone(), props.on_edit.clone());
        Callback::from(move |_: MouseEvent| {
            let text = area
                .cast::<HtmlTextAreaElement>()
                .map(|a| a.value())
                .unwrap_or_default();
            let p = provider
                .cast::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            on_edit.emit(EditAction::Check(text, p));
        })
    };
    let ondrop = {
        let (area, status) = (area.clone(), status.clone());
        Callback::from(move |e: DragEvent| read_dropped(&e, &area, &status))
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let outcome = props.checked.as_ref().map(|c| {
        let head = match (&c.error, c.live, c.findings.is_empty()) {
            (Some(_), _, _) => "Unreadable:".to_owned(),
            (None, live, true) => format!("{}: nothing found.", if live { "Read as a live cluster's state" } else { "Simulated" }),
            (None, live, false) => format!(
                "{}: {} finding(s).",
                if live { "Read as a live cluster's state, as it is" } else { "Simulated for a minute" },
                c.findings.len()
            ),
        };
        html! {
            <div class="check-outcome" data-checked={if c.error.is_some() { "error" } else { "ok" }} role="status">
                <p>{ head }</p>
                if let Some(e) = &c.error { <pre class="check-error">{ e }</pre> }
                <Findings findings={c.findings.clone()} kind="checked" />
                if !c.notices.is_empty() {
                    <ul class="check-notices">{ for c.notices.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                }
            </div>
        }
    });
    html! {
        <details class="check-box" open={props.checked.is_some()}>
            <summary>{ "Check manifests or a cluster's state" }</summary>
            <p class="hint">{ "Paste manifests (Helm or kustomize output too) or the output of kubectl get pods,svc,endpointslices,nodes -A -o yaml, or drop a file here. Nothing is imported." }</p>
            <textarea ref={area} data-field="check" rows="8" spellcheck="false"
                aria-label="manifests or a cluster's state to check" ondrop={ondrop} ondragover={ondragover} />
            <div class="check-controls">
                <label>{ "load balancers " }
                    <select ref={provider} data-action="check-provider" aria-label="the cluster's load-balancer provider">
                        <option value="auto" selected=true>{ "auto" }</option>
                        <option value="cloud">{ "cloud provider" }</option>
                        <option value="none">{ "bare metal, none" }</option>
                        <option value="metallb">{ "MetalLB (IPAddressPools)" }</option>
                    </select>
                </label>
                <button data-action="check" onclick={check}>{ "Check" }</button>
                <span class="muted">{ (*status).clone() }</span>
            </div>
            <div class="outcome-slot">{ for outcome }</div>
        </details>
    }
}
