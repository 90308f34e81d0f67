//! The cluster picture: the client, the Services, the nodes with their pods, and the
//! requests flying between them.

use yew::prelude::*;

use crate::components::pod_card::PodCard;
use crate::layout::{self, Point};
use crate::state::{Action, AppState, FLIGHT_MILLIS};

/// Props of [`Scene`].
#[derive(Properties, PartialEq)]
pub struct SceneProps {
    /// The state to draw.
    pub state: AppState,
    /// The reducer.
    pub dispatch: Callback<Action>,
}

/// Draws the whole cluster.
#[component]
pub fn Scene(props: &SceneProps) -> Html {
    let world = &props.state.world;
    let l = layout::layout(world);
    let now = world.now();

    let nodes = l.nodes.iter().map(|(name, r)| {
        html! {
            <div class="node" key={name.clone()}
                style={format!("left:{:.2}%;top:{:.2}%;width:{:.2}%;height:{:.2}%", r.x, r.y, r.w, r.h)}>
                <span class="node-name">{ name }</span>
            </div>
        }
    });
    let pods = world.pods().values().filter_map(|p| {
        let at = *l.pods.get(&p.metadata.name)?;
        Some(html! {
            <PodCard key={p.metadata.name.clone()} pod={p.clone()} at={at}
                requests={world.requests_served(&p.metadata.name)} dispatch={props.dispatch.clone()} />
        })
    });
    let services = world.services().values().filter_map(|s| {
        let at = *l.services.get(&s.metadata.name)?;
        let selector: Vec<String> = s
            .spec
            .selector
            .iter()
            .flatten()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let app = s
            .spec
            .selector
            .as_ref()
            .and_then(|m| m.get("app"))
            .cloned()
            .unwrap_or_default();
        Some(html! {
            <div class={classes!("service", format!("app-{app}"))} key={s.metadata.name.clone()}
                data-service={s.metadata.name.clone()}
                style={format!("left:{:.2}%;top:{:.2}%", at.x, at.y)}>
                <div class="service-name">{ format!("svc/{}", s.metadata.name) }</div>
                <div class="service-selector">{ selector.join(",") }</div>
            </div>
        })
    });
    let paths = world.services().keys().filter_map(|svc| {
        let s = *l.services.get(svc)?;
        let line = |a: Point, b: Point| {
            html! { <line x1={fmt(a.x)} y1={fmt(a.y)} x2={fmt(b.x)} y2={fmt(b.y)} /> }
        };
        let to_pods = world
            .ready_endpoints(svc)
            .into_iter()
            .filter_map(|p| l.pods.get(&p.metadata.name).map(|&pp| line(s, pp)));
        Some(html! { <g class="route">{ line(l.client, s) }{ for to_pods }</g> })
    });
    let dots = props.state.view.flights.iter().filter_map(|f| {
        let s = *l.services.get(&f.service)?;
        let t = now.millis_since(f.sent) as f64 / FLIGHT_MILLIS as f64;
        let app = world
            .services()
            .get(&f.service)
            .and_then(|svc| svc.spec.selector.as_ref())
            .and_then(|m| m.get("app"))
            .cloned()
            .unwrap_or_default();
        let (p, class) = match f.pod.as_ref().and_then(|pod| l.pods.get(pod)) {
            Some(&pod_at) => (
                layout::along(&[l.client, s, pod_at], t),
                classes!("dot", format!("app-{app}")),
            ),
            None => (
                layout::along(&[l.client, s], t.min(1.0)),
                classes!("dot", "refused"),
            ),
        };
        Some(html! { <circle class={class} cx={fmt(p.x)} cy={fmt(p.y)} r="0.7" /> })
    });

    html! {
        <section class="scene" aria-label="cluster">
            <svg class="overlay" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
                { for paths }
                { for dots }
            </svg>
            { for nodes }
            <div class="client" style={format!("left:{:.2}%;top:{:.2}%", l.client.x, l.client.y)}>
                <div class="client-name">{ "client pod" }</div>
            </div>
            { for services }
            { for pods }
        </section>
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.2}")
}
