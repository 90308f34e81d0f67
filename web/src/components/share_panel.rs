//! Request share: per Service, each pod's share of the last seconds' requests as a bar,
//! against the share the core expects it to serve in the long run (a tick mark): what
//! kube-proxy does with each client's requests (traffic policies, terminating fallback,
//! ClientIP affinity, proxy mode), mixed by the clients' rates.
//! Bars are SVG geometry (`width`, `x`), not inline styles, so the page's CSP holds.

use std::rc::Rc;

use yew::prelude::*;

use crate::format;
use crate::model::ShareView;
use crate::state::requests::SHARE_WINDOW_MILLIS;

/// Props of [`SharePanel`].
#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    /// One entry per Service.
    pub shares: Rc<Vec<ShareView>>,
}

/// The request-share panel.
#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let window = SHARE_WINDOW_MILLIS / 1000;
    html! {
        <section class="panel share-panel" aria-labelledby="share-title">
            <h2 id="share-title">{ "Request share" }</h2>
            <p class="panel-note">{ format!("last {window} s · bar = share of the requests that reached a pod · tick = expected: kube-proxy's split of each client's new connections (policies, affinity, proxy mode) and its open connections, by rate · conn = connections open now") }</p>
            if props.shares.is_empty() { <p class="empty">{ "no Services" }</p> }
            <>{ for props.shares.iter().map(service) }</>
        </section>
    }
}

/// The DNS failures' part of the "never reached a pod" line, when there are any.
fn dns_part(unresolved: u32) -> String {
    if unresolved == 0 {
        String::new()
    } else {
        format!(", {unresolved} not resolved by DNS")
    }
}

fn service(s: &ShareView) -> Html {
    let summary = if s.total == 0 {
        format!("no requests in the last {} s", SHARE_WINDOW_MILLIS / 1000)
    } else {
        format!("{} requests, {} reached a pod", s.total, s.reached)
    };
    let never = s.total.saturating_sub(s.reached);
    let never_line = (never > 0).then(|| {
        html! {
            <p class="share-never" data-never={never.to_string()}>
                { format!("{never} never reached a pod: {} refused (no ready endpoint), {} dropped or unreachable{}. Not part of the split below.",
                    s.refused, s.lost, dns_part(s.unresolved)) }
            </p>
        }
    });
    html! {
        <div class={classes!("share", s.colour.class())} data-share={s.service.clone()} key={s.service.clone()}>
            <h3><span class="svc-name">{ format!("svc/{}", s.service) }</span>{ " " }<span class="muted">{ summary }</span></h3>
            { never_line.unwrap_or_default() }
            if s.rows.is_empty() { <p class="empty">{ "no endpoints and no traffic" }</p> }
            <ul class="bars">
                { for s.rows.iter().map(|r| {
                    let label = format::pod_label(&r.pod);
                    let width = format!("{:.2}", (r.share * 100.0).clamp(0.0, 100.0));
                    let tick = format!("{:.2}", (r.expected * 100.0).clamp(0.0, 100.0));
                    html! {
                        <li data-share-pod={r.pod.clone()} key={r.pod.clone()} data-served={r.served.to_string()}
                            data-expected={format!("{:.4}", r.expected)} data-connections={r.connections.to_string()}>
                            <span class="bar-pod" title={r.pod.clone()}>{ label }</span>
                            <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                <rect class="bar-track" x="0" y="0" width="100" height="10" />
                                <rect class="bar-fill" x="0" y="1" width={width} height="8" />
                                if r.expected > 0.0 {
                                    <rect class="bar-expected" x={tick} y="0" width="0.8" height="10" />
                                }
                            </svg>
                            <span class="bar-text">
                                { format::percent(r.share) }
                                <span class="muted">{ format!(" · exp. {}", format::percent(r.expected)) }</span>
                                <span class="conns">{ format!(" · {} conn", r.connections) }</span>
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
