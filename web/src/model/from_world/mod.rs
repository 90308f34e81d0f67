//! Fills the view structs from today's core accessors.
//!
//! This module is the one place that reads `svcplay_core::World` for the components:
//! `scene` (nodes with their pods and readiness buttons, Services with their layers and
//! selector boxes, routes), `clients` (client cards, pinned connections), `panels` (rules, the pod filter's highlight,
//! the Deployments' controls, explain, EndpointSlices) and `traffic` (flights and the
//! request share, from the request log). Highlighting asks the core's matchers
//! (`model::selectors`). `cache` keeps what the objects alone decide between refreshes
//! ([`frame_with`]).

use std::rc::Rc;

use std::collections::BTreeMap;

use svcplay_core::{Event, World};

use crate::model::names::ref_of;

use crate::model::RulesView;
use crate::model::{
    DeploymentView, EndpointsView, EventView, ExplainView, FilterView, SceneModel, ShareView,
    TrafficModel,
};
use crate::palette::Palette;
use crate::state::{Edits, RequestLog};

/// The name the idle outside user is drawn with.
pub const OUTSIDE_USER: &str = "user";

/// Everything the DOM draws (refreshed at most every `state::DOM_REFRESH_MILLIS`); the
/// canvas gets fresh flights every animation frame from [`flights`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    /// The cluster picture.
    pub scene: Rc<SceneModel>,
    /// Routes (flights left empty).
    pub traffic: TrafficModel,
    /// Request share per Service.
    pub shares: Rc<Vec<ShareView>>,
    /// Endpoints per Service.
    pub endpoints: Rc<Vec<EndpointsView>>,
    /// Deployments' controls.
    pub deployments: Rc<Vec<DeploymentView>>,
    /// The explain view.
    pub explain: Rc<ExplainView>,
    /// The pod filter box.
    pub filter: FilterView,
    /// kube-proxy's mode and rules.
    pub rules: Rc<RulesView>,
}

/// Builds a frame. `motion` says whether requests are animated; without motion a pod
/// flashes when it serves a request. `edits` are the boxes' drafts and errors.
pub fn frame(world: &World, log: &RequestLog, motion: bool, edits: &Edits) -> Frame {
    frame_with(world, log, motion, edits, &mut ViewCache::default())
}

/// [`frame`], keeping in `cache` what the objects alone decide, for the next refresh
/// (see `cache`): the same frame, for the cost of what traffic changed.
pub fn frame_with(
    world: &World,
    log: &RequestLog,
    motion: bool,
    edits: &Edits,
    cache: &mut ViewCache,
) -> Frame {
    let revision = world.revision();
    let namespace = edits.namespace.as_deref();
    let palette = cache.palette.get(revision, || palette(world)).clone();
    let objects = cache.scene.get((revision, edits.namespace.clone()), || {
        scene::scene_objects(world, &palette, namespace)
    });
    let mut scene = objects.scene.clone();
    scene::scene_traffic(&mut scene, objects, world, log, &palette, motion, namespace);
    let (highlight, filter) = highlight(world, edits);
    mark(&mut scene, world, highlight.as_ref(), edits);
    let traffic = TrafficModel {
        routes: Rc::new(routes(&scene)),
        pinned: Rc::new(pinned(world, &scene)),
        layout_key: layout_key(&scene),
    };
    let shares = Rc::new(traffic::shares(
        log,
        &scene.services,
        &expected_shares(world),
        &connections(world),
    ));
    let endpoints = cache
        .endpoints
        .get((revision, edits.namespace.clone()), || {
            Rc::new(endpoints(world, &palette, namespace))
        })
        .clone();
    Frame {
        scene: Rc::new(scene),
        traffic,
        shares,
        endpoints,
        deployments: Rc::new(deployments(world, &palette, edits, cache)),
        explain: Rc::new(explain(world, edits, cache)),
        filter,
        rules: Rc::new(rules(world, edits, cache)),
    }
}

/// The requests in flight now, for the canvas (none without motion).
pub fn flights(
    world: &World,
    log: &RequestLog,
    scene: &SceneModel,
    motion: bool,
) -> Rc<Vec<crate::model::FlightView>> {
    Rc::new(if motion {
        traffic::flights(log, &scene.services, world.now())
    } else {
        Vec::new()
    })
}

/// The core's expected share of each Service's requests, by the page's names.
fn expected_shares(world: &World) -> traffic::Expected {
    world
        .expected_shares()
        .into_iter()
        .map(|(s, pods)| {
            let by_name: BTreeMap<String, f64> =
                pods.into_iter().map(|(p, x)| (ref_of(&p), x)).collect();
            (ref_of(&s), by_name)
        })
        .collect()
}

/// Open connections per Service and pod, by the page's names ([`ref_of`]).
fn connections(world: &World) -> traffic::Connections {
    let mut out = traffic::Connections::new();
    for c in world.connections() {
        let (Some(s), Some(p)) = (c.service, c.pod) else {
            continue;
        };
        *out.entry(ref_of(&s))
            .or_default()
            .entry(ref_of(&p))
            .or_insert(0) += 1;
    }
    out
}

/// The event log's newest `n` events, newest first, as the events panel shows them.
pub fn events<'a>(events: impl DoubleEndedIterator<Item = &'a Event>, n: usize) -> Vec<EventView> {
    events
        .rev()
        .take(n)
        .map(|e| EventView {
            at: e.at,
            warning: false,
            source: String::new(),
            reason: e.kind.to_owned(),
            object: format!(
                "{}/{}",
                e.kind.to_lowercase(),
                ref_of(&svcplay_core::objects::NamespacedName::new(
                    &e.namespace,
                    &e.name
                ))
            ),
            message: e.message.clone(),
        })
        .collect()
}

/// Colours for every `app` value a Service selects or a pod carries.
pub fn palette(world: &World) -> Palette {
    let from_services = world.services().values().filter_map(|s| selector_app(s));
    let from_pods = world
        .pods()
        .values()
        .filter_map(|p| p.metadata.labels.get("app"));
    Palette::new(from_services.chain(from_pods).map(String::as_str))
}
mod cache;
mod clients;
mod panels;
mod scene;
mod traffic;

pub use cache::ViewCache;

pub use clients::pinned;
pub use panels::endpoints;
use panels::{deployments, explain, highlight, mark, rules};
use scene::selector_app;
pub use scene::{layout_key, routes, scene};
pub use traffic::{Connections, Expected, shares};

#[cfg(test)]
mod tests;
