//! The canvas beneath the cards: route lines, open connections (client → pod, pinned
//! by conntrack) and requests in flight, hop by hop (client → Service → pod, then on to
//! the pod's upstream). It finds each end by its `data-client` / `data-service` /
//! `data-pod` hook, so the HTML layout (and its breakpoints) decides where things are.
//! A canvas, not SVG: 1,000 dots cost one path per colour instead of 1,000 elements.

use std::cell::RefCell;
use std::rc::Rc;

use svcplay_core::SimTime;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlCanvasElement};
use yew::prelude::*;

use crate::hooks::use_animation_frame;
use crate::layout::Point;
use crate::model::{SceneModel, TrafficModel, from_world};
use crate::paint::{Anchors, Placement, colours, draw_flights, draw_pinned, draw_routes, prepare};
use crate::state::SimHandle;

/// Props of [`FlightCanvas`].
#[derive(Properties, PartialEq)]
pub struct FlightCanvasProps {
    /// The live simulation: flights are read from it every frame.
    pub sim: SimHandle,
    /// The scene as last rendered (Service colours for the flights).
    pub scene: Rc<SceneModel>,
    /// Routes and the layout key.
    pub traffic: TrafficModel,
    /// Whether requests fly.
    pub motion: bool,
    /// The map whose cards the routes connect.
    pub map_ref: NodeRef,
}

/// Anchor positions, measured once per layout (not per frame: measuring forces a
/// layout), relative to the map's top-left corner.
struct Cache {
    key: u64,
    size: (f64, f64),
    anchors: Anchors,
    /// The canvas box last set through the CSSOM: left, top, width, height.
    placed: (f64, f64, f64, f64),
    /// The palette as the stylesheet resolves it now (light or dark), then vermillion.
    colours: Vec<String>,
}

/// What the last render handed over, and what was drawn since.
struct Latest {
    sim: SimHandle,
    scene: Rc<SceneModel>,
    traffic: TrafficModel,
    motion: bool,
    map: NodeRef,
    /// Props changed since the last paint.
    dirty: bool,
    /// Simulated time of the last paint.
    painted_at: Option<SimTime>,
}

/// The traffic layer. It paints on its own animation frames, reading the simulation
/// directly, so requests move at 60 fps while the DOM re-renders ten times a second.
/// The canvas is `position: fixed` and covers only the visible part of the map, so its
/// cost per frame is bounded by the viewport, not by the map.
#[component]
pub fn FlightCanvas(props: &FlightCanvasProps) -> Html {
    let canvas = use_node_ref();
    let routes = use_node_ref();
    let cache: Rc<RefCell<Option<Cache>>> = use_mut_ref(|| None);
    let latest: Rc<RefCell<Option<Latest>>> = use_mut_ref(|| None);
    *latest.borrow_mut() = Some(Latest {
        sim: props.sim.clone(),
        scene: props.scene.clone(),
        traffic: props.traffic.clone(),
        motion: props.motion,
        map: props.map_ref.clone(),
        dirty: true,
        painted_at: None,
    });
    let paint: Rc<dyn Fn(bool)> = {
        let layers = Layers {
            routes: routes.clone(),
            flights: canvas.clone(),
        };
        let latest = latest.clone();
        (*use_memo((), move |_| -> Rc<dyn Fn(bool)> {
            Rc::new(move |force: bool| paint(&layers, &latest, &cache, force))
        }))
        .clone()
    };
    {
        let paint = paint.clone();
        use_animation_frame(Callback::from(move |_: f64| paint(false)));
    }
    use_effect_with((), move |_| {
        // Repaint on resize and scroll even while paused, when no new frame would come.
        let redraw = Closure::<dyn Fn()>::new(move || paint(true));
        let window = web_sys::window();
        for event in ["resize", "scroll"] {
            if let Some(w) = &window {
                w.add_event_listener_with_callback(event, redraw.as_ref().unchecked_ref())
                    .ok();
            }
        }
        move || {
            for event in ["resize", "scroll"] {
                if let Some(w) = &window {
                    w.remove_event_listener_with_callback(event, redraw.as_ref().unchecked_ref())
                        .ok();
                }
            }
        }
    });
    html! {
        <>
            <canvas ref={routes} class="routes" aria-hidden="true"></canvas>
            <canvas ref={canvas} class={classes!("flights", (!props.motion).then_some("still"))}
                aria-hidden="true"></canvas>
        </>
    }
}

/// The two canvases: routes (repainted when the layout or the routes change) and
/// flights (repainted every frame).
struct Layers {
    routes: NodeRef,
    flights: NodeRef,
}

/// Paints the current flights, unless nothing changed since the last paint, and the
/// routes when they or the layout changed.
fn paint(
    layers: &Layers,
    latest: &RefCell<Option<Latest>>,
    cache: &RefCell<Option<Cache>>,
    force: bool,
) {
    let mut latest = latest.borrow_mut();
    let Some(l) = latest.as_mut() else { return };
    let Ok(sim) = l.sim.0.try_borrow() else {
        return;
    };
    let now = sim.world.now();
    if !force && !l.dirty && l.painted_at == Some(now) {
        return;
    }
    let flights = from_world::flights(&sim.world, &sim.log, &l.scene, l.motion);
    drop(sim);
    let (Some(routes), Some(canvas), Some(map)) = (
        layers.routes.cast::<HtmlCanvasElement>(),
        layers.flights.cast::<HtmlCanvasElement>(),
        l.map.cast::<Element>(),
    ) else {
        return;
    };
    let Some((placement, moved)) = place(&[&routes, &canvas], &map, &l.traffic, cache) else {
        return;
    };
    let mut cache = cache.borrow_mut();
    let Some(c) = cache.as_mut() else { return };
    if l.dirty || moved || force || c.colours.is_empty() {
        c.colours = colours(&canvas);
        if let Some(ctx) = prepare(&routes, &placement) {
            let blocked = draw_routes(&ctx, &l.traffic, &c.anchors, &c.colours);
            let pinned = draw_pinned(&ctx, &l.traffic, &c.anchors, &c.colours);
            routes
                .set_attribute("data-blocked", &blocked.to_string())
                .ok();
            routes
                .set_attribute("data-pinned", &pinned.to_string())
                .ok();
        }
    }
    if let Some(ctx) = prepare(&canvas, &placement) {
        draw_flights(&ctx, &flights, &c.anchors, &c.colours);
    }
    canvas
        .set_attribute("data-flights", &flights.len().to_string())
        .ok();
    l.dirty = false;
    l.painted_at = Some(now);
}

/// Places the canvases over the visible part of the map, re-measuring anchors when
/// the layout key or the map's size changed; also says whether the box moved.
fn place(
    canvases: &[&HtmlCanvasElement],
    map: &Element,
    traffic: &TrafficModel,
    cache: &RefCell<Option<Cache>>,
) -> Option<(Placement, bool)> {
    let window = web_sys::window()?;
    let m = map.get_bounding_client_rect();
    let vw = window.inner_width().ok()?.as_f64()?;
    let vh = window.inner_height().ok()?.as_f64()?;
    let (left, top) = (m.left().max(0.0).floor(), m.top().max(0.0).floor());
    let w = (m.right().min(vw) - left).max(0.0).floor();
    let h = (m.bottom().min(vh) - top).max(0.0).floor();
    let mut cache = cache.borrow_mut();
    let size = (m.width(), m.height());
    let stale = cache
        .as_ref()
        .is_none_or(|c| c.key != traffic.layout_key || c.size != size);
    if stale {
        let anchors = Anchors::measure(map, &m)?;
        let previous = cache.take();
        *cache = Some(Cache {
            key: traffic.layout_key,
            size,
            anchors,
            placed: previous
                .as_ref()
                .map_or((-1.0, -1.0, -1.0, -1.0), |c| c.placed),
            colours: previous.map(|c| c.colours).unwrap_or_default(),
        });
    }
    let c = cache.as_mut()?;
    let placed = (left, top, w, h);
    let moved = stale || c.placed != placed;
    if c.placed != placed {
        // CSSOM, not a style attribute: allowed by the page's `style-src 'self'`.
        for canvas in canvases {
            let style = canvas.style();
            for (prop, v) in [("left", left), ("top", top), ("width", w), ("height", h)] {
                style.set_property(prop, &format!("{v}px")).ok();
            }
        }
        c.placed = placed;
    }
    let placement = Placement {
        origin: Point {
            x: m.left() - left,
            y: m.top() - top,
        },
        width: w,
        height: h,
        dpr: window.device_pixel_ratio().max(1.0),
    };
    Some((placement, moved))
}
