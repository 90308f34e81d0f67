//! Endpoints: per Service, the endpoints and their conditions, as an EndpointSlice
//! lists them.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::EndpointsView;

/// Props of [`EndpointsPanel`].
#[derive(Properties, PartialEq)]
pub struct EndpointsPanelProps {
    /// One entry per Service.
    pub endpoints: Rc<Vec<EndpointsView>>,
}

fn flag(on: bool) -> &'static str {
    if on { "✓" } else { "–" }
}

/// The endpoints panel.
#[component]
pub fn EndpointsPanel(props: &EndpointsPanelProps) -> Html {
    html! {
        <section class="panel endpoints-panel" aria-labelledby="endpoints-title">
            <h2 id="endpoints-title">{ "Endpoints" }</h2>
            if props.endpoints.is_empty() { <p class="empty">{ "no Services" }</p> }
            { for props.endpoints.iter().map(|e| html! {
                <div class={classes!("endpoints", e.colour.class())} data-endpoints={e.service.clone()} key={e.service.clone()}>
                    <h3>
                        <span class="svc-name">{ format!("svc/{}", e.service) }</span>{ " " }
                        if e.selector.is_empty() { <span class="muted">{ "no selector" }</span> }
                        else { <code>{ &e.selector }</code> }
                    </h3>
                    if e.rows.is_empty() {
                        <p class="empty">{ "no endpoints: no ready pod matches the selector" }</p>
                    } else {
                        <table>
                            <thead><tr>
                                <th scope="col">{ "pod" }</th><th scope="col">{ "address" }</th>
                                <th scope="col">{ "node" }</th><th scope="col">{ "ready" }</th>
                                <th scope="col">{ "serving" }</th>
                                <th scope="col"><abbr title="terminating">{ "term." }</abbr></th>
                            </tr></thead>
                            <tbody>
                                { for e.rows.iter().map(|r| html! {
                                    <tr key={r.pod.clone()}>
                                        <td title={r.pod.clone()}>{ crate::format::split_pod_name(&r.pod).1 }</td><td>{ &r.ip }</td><td>{ &r.node }</td>
                                        <td>{ flag(r.ready) }</td><td>{ flag(r.serving) }</td><td>{ flag(r.terminating) }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    }
                </div>
            }) }
        </section>
    }
}
