//! Endpoints: per Service, its EndpointSlices as the controller wrote them: each slice's
//! name and ports, each endpoint's address, node and conditions.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::pod_card::with_breaks;
use crate::model::{EndpointsView, SliceView};

/// Props of [`EndpointsPanel`].
#[derive(Properties, PartialEq)]
pub struct EndpointsPanelProps {
    /// One entry per Service.
    pub endpoints: Rc<Vec<EndpointsView>>,
}

/// A condition: a glyph for the eye and a word for screen readers.
fn flag(on: bool, alarm: bool) -> Html {
    html! {
        <>
            <span aria-hidden="true" class={classes!(if on { "yes" } else { "no" }, (alarm && !on).then_some("alarm"))}>{ if on { "✓" } else { "✗" } }</span>
            <span class="visually-hidden">{ if on { "true" } else { "false" } }</span>
        </>
    }
}

fn slice(s: &SliceView) -> Html {
    html! {
        <div class="slice" data-slice={s.name.clone()} key={s.name.clone()}>
            <p class="slice-head">
                <span class="muted">{ "EndpointSlice " }</span><code>{ &s.name }</code>
                <span class="muted">{ " ports " }</span>
                if s.ports.is_empty() { <span class="muted">{ "none" }</span> }
                { for s.ports.iter().map(|p| html! { <code class="slice-port">{ p }</code> }) }
            </p>
            if s.rows.is_empty() {
                <p class="empty">{ "no endpoints in this slice" }</p>
            } else {
                <table>
                    <thead><tr>
                        <th scope="col">{ "pod" }</th><th scope="col">{ "address" }</th>
                        <th scope="col">{ "node" }</th><th scope="col">{ "ready" }</th>
                        <th scope="col"><span class="wide">{ "serving" }</span><abbr class="narrow" title="serving">{ "serv." }</abbr></th>
                        <th scope="col"><abbr title="terminating">{ "term." }</abbr></th>
                    </tr></thead>
                    <tbody>
                        { for s.rows.iter().map(|r| html! {
                            <tr key={r.ip.clone()} data-endpoint={r.pod.clone()} data-address={r.ip.clone()}
                                data-ready={r.ready.to_string()} data-serving={r.serving.to_string()}
                                data-terminating={r.terminating.to_string()}>
                                <td class="ep-pod" title={r.pod.clone()}>{ with_breaks(&r.pod_name) }</td><td>{ &r.ip }</td><td>{ &r.node }</td>
                                <td>{ flag(r.ready, true) }</td><td>{ flag(r.serving, false) }</td><td>{ flag(r.terminating, false) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}

/// The endpoints panel.
#[component]
pub fn EndpointsPanel(props: &EndpointsPanelProps) -> Html {
    html! {
        <section class="panel endpoints-panel" aria-labelledby="endpoints-title">
            <h2 id="endpoints-title">{ "Endpoints" }</h2>
            <p class="panel-note">{ "each Service's EndpointSlices, as the controller wrote them" }</p>
            if props.endpoints.is_empty() { <p class="empty">{ "no Services" }</p> }
            <>{ for props.endpoints.iter().map(|e| html! {
                <div class={classes!("endpoints", e.colour.class())} data-endpoints={e.service.clone()} key={e.service.clone()}>
                    <h3>
                        <span class="svc-name">{ format!("svc/{}", e.service) }</span>{ " " }
                        if e.selector.is_empty() { <span class="muted">{ "no selector" }</span> }
                        else { <code>{ &e.selector }</code> }
                    </h3>
                    if e.slices.is_empty() {
                        <p class="empty">{ "no EndpointSlices" }</p>
                    }
                    <>{ for e.slices.iter().map(slice) }</>
                </div>
            }) }</>
        </section>
    }
}
