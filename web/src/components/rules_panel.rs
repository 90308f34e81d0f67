//! kube-proxy: its mode, and the rules it programs on one node, as kube-proxy writes
//! them: `iptables-restore` input in iptables mode, the nft transaction in nftables
//! mode; in IPVS mode the iptables text with a note on what IPVS programs instead.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::model::RulesView;
use crate::state::EditAction;

/// Props of [`RulesPanel`].
#[derive(Properties, PartialEq)]
pub struct RulesPanelProps {
    /// What to show.
    pub rules: Rc<RulesView>,
    /// Mode, node and format picks.
    pub on_edit: Callback<EditAction>,
}

fn on_select(cb: &Callback<EditAction>, make: fn(String) -> EditAction) -> Callback<Event> {
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

/// The kube-proxy panel.
#[component]
pub fn RulesPanel(props: &RulesPanelProps) -> Html {
    let r = &props.rules;
    // A select the user changed keeps showing its pick when the `selected` attributes
    // change (a refused mode, Reset, a lesson's new world): after every render the
    // select is set to the world's mode, so the menu never names another mode than the
    // rules below it were written for.
    let mode_ref = use_node_ref();
    {
        let (mode_ref, mode) = (mode_ref.clone(), r.proxy_mode.clone());
        use_effect(move || {
            if let Some(select) = mode_ref.cast::<HtmlSelectElement>()
                && select.value() != mode
            {
                select.set_value(&mode);
            }
        });
    }
    const MODES: [&str; 5] = ["iptables", "nftables", "ipvs/rr", "ipvs/lc", "ipvs/sh"];
    html! {
        <section class="panel rules-panel" aria-labelledby="rules-title">
            <h2 id="rules-title">{ "kube-proxy" }</h2>
            <div class="pickers">
                <label>{ "mode " }
                    <select ref={mode_ref} data-action="proxy-mode" aria-label="kube-proxy mode on every node"
                        onchange={on_select(&props.on_edit, EditAction::ProxyMode)}>
                        { for MODES.iter().map(|m| html! { <option value={*m} selected={r.proxy_mode == *m}>{ *m }</option> }) }
                    </select>
                </label>
                <label>{ "rules on " }
                    <select data-action="rules-node" aria-label="node whose rules are shown"
                        onchange={on_select(&props.on_edit, EditAction::RulesNode)}>
                        { for r.nodes.iter().map(|n| html! { <option value={n.clone()} selected={r.node.as_ref() == Some(n)}>{ n }</option> }) }
                    </select>
                </label>
                <span class="rules-format" data-rules-format={r.format}>{ r.format }</span>
            </div>
            if let Some(note) = r.note {
                <p class="rules-note" data-note="ipvs">{ note }</p>
            }
            if let Some(err) = &r.proxy_error {
                <p class="field-error" role="alert" data-error="proxy-mode">{ err }</p>
            }
            <pre class="rules" tabindex="0" aria-label="kube-proxy rules" data-rules={if r.nft { "nftables" } else { "iptables" }}>{ &r.text }</pre>
        </section>
    }
}
