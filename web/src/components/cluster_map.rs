//! The cluster picture: the user outside, and inside the cluster the client pods, the
//! Services and the nodes with their pods. Requests are drawn by `FlightCanvas`.

use yew::prelude::*;

use crate::components::client_card::{ClientCard, SERVICE_LIST};
use crate::components::node_box::NodeBox;
use crate::components::service_card::ServiceCard;
use std::rc::Rc;

use crate::model::SceneModel;
use crate::state::{EditAction, PodCommand};

/// More pods than this and the cards turn compact.
pub const DENSE_PODS: usize = 24;

/// More Services than this and their cards turn compact (controls behind a toggle).
pub const DENSE_SERVICES: usize = 16;

/// Props of [`ClusterMap`].
#[derive(Properties, PartialEq)]
pub struct ClusterMapProps {
    /// What to draw.
    pub scene: Rc<SceneModel>,
    /// The map element, for the traffic canvas to measure.
    pub map_ref: NodeRef,
    /// A command on a pod.
    pub on_command: Callback<(String, PodCommand)>,
    /// Selector edits on Service cards, rate edits on client cards.
    pub on_edit: Callback<EditAction>,
}

/// The whole picture.
#[component]
pub fn ClusterMap(props: &ClusterMapProps) -> Html {
    let scene = &props.scene;
    let pods: usize = scene.nodes.iter().map(|n| n.pods.len()).sum();
    let (inside, outside): (Vec<_>, Vec<_>) = scene.clients.iter().partition(|c| c.inside);
    let compact = scene.services.len() > DENSE_SERVICES;
    let many_namespaces = scene
        .services
        .first()
        .is_some_and(|f| scene.services.iter().any(|s| s.namespace != f.namespace));
    // Services come sorted by namespace, then app: a heading starts each namespace (when
    // there are several) and each app of more than one Service.
    let mut items: Vec<Html> = Vec::new();
    for (i, s) in scene.services.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| scene.services.get(j));
        if many_namespaces && prev.is_none_or(|p| p.namespace != s.namespace) {
            let key = format!("ns:{}", s.namespace);
            items.push(html! {
                <h3 key={key} class="ns-head" data-namespace={s.namespace.clone()}>{ format!("namespace {}", s.namespace) }</h3>
            });
        }
        let same = |o: &&crate::model::ServiceView| o.namespace == s.namespace && o.app == s.app;
        let first_of_app = prev.is_none_or(|p| !same(&p));
        let app_size = scene.services.iter().filter(same).count();
        if first_of_app && app_size > 1 {
            let key = format!("app:{}/{}", s.namespace, s.app);
            items.push(html! {
                <p key={key} class="app-head" data-app={s.app.clone()}>{ format!("app {} · {app_size} Services", s.app) }</p>
            });
        }
        items.push(html! {
            <ServiceCard key={s.name.clone()} service={s.clone()} compact={compact} on_edit={props.on_edit.clone()} />
        });
    }
    html! {
        <section ref={props.map_ref.clone()}
            class={classes!("map", (pods > DENSE_PODS).then_some("dense"), compact.then_some("many-services"))}
            aria-label="cluster map">
            <datalist id={SERVICE_LIST}>
                { for scene.service_names.iter().map(|s| html! { <option value={s.clone()} /> }) }
            </datalist>
            <div class="internet" aria-label="the internet">
                <h2 class="area-title">{ "internet" }</h2>
                // Keyed lists stand alone (see NodeBox): cards keep their DOM and focus.
                <>{ for outside.iter().map(|c| html! { <ClientCard key={c.name.clone()} client={(*c).clone()} on_edit={props.on_edit.clone()} /> }) }</>
            </div>
            <div class="cluster" aria-label="cluster">
                <h2 class="area-title">{ "cluster" }</h2>
                <div class="col clients">
                    { for inside.iter().map(|c| html! { <ClientCard key={c.name.clone()} client={(*c).clone()} on_edit={props.on_edit.clone()} /> }) }
                </div>
                <div class="col services" aria-label="Services">
                    if scene.services.is_empty() { <p class="empty">{ "no Services" }</p> }
                    <>{ for items }</>
                </div>
                <div class="col nodes" aria-label="nodes">
                    { for scene.nodes.iter().map(|n| html! {
                        <NodeBox key={n.name.clone()} node={n.clone()} on_command={props.on_command.clone()} />
                    }) }
                </div>
            </div>
        </section>
    }
}
