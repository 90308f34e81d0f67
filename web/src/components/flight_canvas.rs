//! The canvas beneath the cards: route lines and requests in flight, hop by hop
//! (client → Service → pod). It finds each end by its `data-client` / `data-service` /
//! `data-pod` hook, so the HTML layout (and its breakpoints) decides where things are.
//! A canvas, not SVG: 1,000 dots cost one path per colour instead of 1,000 elements.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};
use yew::prelude::*;

use crate::layout::{Point, Rect, along, edge_to_edge};
use svcplay_core::SimTime;

use crate::hooks::use_animation_frame;
use crate::model::traffic::Anchor;
use crate::model::{FlightView, SceneModel, TrafficModel, from_world};
use crate::palette::{COLOURS, Colour};
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
            draw_routes(&ctx, &l.traffic, &c.anchors, &c.colours);
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

/// Element boxes relative to the map, by hook.
#[derive(Default)]
struct Anchors {
    clients: HashMap<String, Rect>,
    services: HashMap<String, Rect>,
    pods: HashMap<String, Rect>,
}

impl Anchors {
    fn measure(parent: &Element, base: &web_sys::DomRect) -> Option<Anchors> {
        let list = parent
            .query_selector_all("[data-client],[data-service],[data-pod]")
            .ok()?;
        let mut anchors = Anchors::default();
        for i in 0..list.length() {
            let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let r = el.get_bounding_client_rect();
            let rect = Rect {
                x: r.left() - base.left(),
                y: r.top() - base.top(),
                w: r.width(),
                h: r.height(),
            };
            for (attr, map) in [
                ("data-pod", &mut anchors.pods),
                ("data-service", &mut anchors.services),
                ("data-client", &mut anchors.clients),
            ] {
                if let Some(name) = el.get_attribute(attr) {
                    map.insert(name, rect);
                    break;
                }
            }
        }
        Some(anchors)
    }

    fn get(&self, a: &Anchor) -> Option<Rect> {
        match a {
            Anchor::Client(n) => self.clients.get(&**n),
            Anchor::Service(n) => self.services.get(&**n),
            Anchor::Pod(n) => self.pods.get(&**n),
        }
        .copied()
    }
}

/// `{ desynchronized: true }`: a low-latency canvas that skips part of the compositor's
/// per-frame copy where the browser supports it.
fn context_options() -> wasm_bindgen::JsValue {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"desynchronized".into(), &true.into()).ok();
    options.into()
}

fn colour_index(c: Colour) -> usize {
    match c {
        Colour::Index(i) => i % COLOURS,
        Colour::Neutral => COLOURS,
    }
}

/// Where the canvas sits: the map's origin in canvas coordinates, its CSS size, and
/// the device pixel ratio.
struct Placement {
    origin: Point,
    width: f64,
    height: f64,
    dpr: f64,
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

/// Sizes a canvas for the placement, clears it and moves its origin to the map's.
fn prepare(canvas: &HtmlCanvasElement, p: &Placement) -> Option<CanvasRenderingContext2d> {
    let (pw, ph) = (
        (p.width * p.dpr).round() as u32,
        (p.height * p.dpr).round() as u32,
    );
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    if pw == 0 || ph == 0 {
        return None;
    }
    let ctx = canvas
        .get_context_with_context_options("2d", &context_options())
        .ok()??;
    let ctx = ctx.dyn_into::<CanvasRenderingContext2d>().ok()?;
    ctx.set_transform(p.dpr, 0.0, 0.0, p.dpr, 0.0, 0.0).ok();
    ctx.clear_rect(0.0, 0.0, p.width, p.height);
    ctx.translate(p.origin.x, p.origin.y).ok();
    Some(ctx)
}

/// The palette as the stylesheet resolves it now: `--c0`…`--c5`, `--cn`, `--bad`.
fn colours(canvas: &HtmlCanvasElement) -> Vec<String> {
    let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(canvas).ok().flatten())
    else {
        return Vec::new();
    };
    let names = (0..COLOURS)
        .map(|i| format!("--c{i}"))
        .chain(["--cn".to_owned(), "--bad".to_owned()]);
    names
        .map(|n| {
            style
                .get_property_value(&n)
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
        .collect()
}

/// Client → Service and Service → endpoint lines, edge to edge, one path per colour.
fn draw_routes(
    ctx: &CanvasRenderingContext2d,
    traffic: &TrafficModel,
    anchors: &Anchors,
    colours: &[String],
) {
    ctx.set_line_width(1.5);
    ctx.set_global_alpha(0.45);
    for (i, colour) in colours.iter().take(COLOURS + 1).enumerate() {
        ctx.begin_path();
        for r in traffic
            .routes
            .iter()
            .filter(|r| colour_index(r.colour) == i)
        {
            if let (Some(a), Some(b)) = (anchors.get(&r.from), anchors.get(&r.to)) {
                let (a, b) = edge_to_edge(a, b);
                ctx.move_to(a.x, a.y);
                ctx.line_to(b.x, b.y);
            }
        }
        ctx.set_stroke_style_str(colour);
        ctx.stroke();
    }
    ctx.set_global_alpha(1.0);
}

/// Requests in flight: dots in the Service's colour, hop by hop; refused ones as
/// vermillion crosses that stop at the Service.
fn draw_flights(
    ctx: &CanvasRenderingContext2d,
    flights: &[FlightView],
    anchors: &Anchors,
    colours: &[String],
) {
    let mut paths: Vec<Vec<Point>> = vec![Vec::new(); COLOURS + 1];
    let mut refused: Vec<Point> = Vec::new();
    for f in flights {
        let client = anchors.clients.get(&*f.client).copied();
        let service = anchors.services.get(&*f.service).copied();
        let (Some(c), Some(s)) = (client, service) else {
            continue;
        };
        let (from, into) = edge_to_edge(c, s);
        // First hop in the first half of the flight, second hop in the second.
        let first = along(&[from, into], (f.progress * 2.0).min(1.0));
        match f.pod.as_ref().and_then(|p| anchors.pods.get(&**p)) {
            Some(&p) if f.progress >= 0.5 => {
                let (out, to) = edge_to_edge(s, p);
                paths[colour_index(f.colour)].push(along(&[out, to], f.progress * 2.0 - 1.0));
            }
            Some(_) => paths[colour_index(f.colour)].push(first),
            None if f.pod.is_none() => refused.push(first),
            None => {}
        }
    }
    for (points, colour) in paths.iter().zip(colours) {
        if points.is_empty() {
            continue;
        }
        ctx.begin_path();
        for p in points {
            ctx.move_to(p.x + 4.0, p.y);
            ctx.arc(p.x, p.y, 4.0, 0.0, std::f64::consts::TAU).ok();
        }
        ctx.set_fill_style_str(colour);
        ctx.fill();
    }
    if !refused.is_empty() {
        ctx.begin_path();
        for p in &refused {
            ctx.move_to(p.x - 5.0, p.y - 5.0);
            ctx.line_to(p.x + 5.0, p.y + 5.0);
            ctx.move_to(p.x + 5.0, p.y - 5.0);
            ctx.line_to(p.x - 5.0, p.y + 5.0);
        }
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str(colours.get(COLOURS + 1).map_or("#d55e00", String::as_str));
        ctx.stroke();
    }
}
