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
        let canvas = canvas.clone();
        let latest = latest.clone();
        (*use_memo((), move |_| -> Rc<dyn Fn(bool)> {
            Rc::new(move |force: bool| paint(&canvas, &latest, &cache, force))
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
        <canvas ref={canvas} class={classes!("flights", (!props.motion).then_some("still"))}
            aria-hidden="true"></canvas>
    }
}

/// Paints the current flights, unless nothing changed since the last paint.
fn paint(
    canvas: &NodeRef,
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
    draw(canvas, &l.map, &l.traffic, &flights, cache);
    if let Some(c) = canvas.cast::<Element>() {
        c.set_attribute("data-flights", &flights.len().to_string())
            .ok();
    }
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

/// Places the canvas over the visible part of the map, re-measuring anchors when the
/// layout key or the map's size changed.
fn place(
    canvas: &HtmlCanvasElement,
    map: &Element,
    traffic: &TrafficModel,
    cache: &RefCell<Option<Cache>>,
) -> Option<Placement> {
    let window = web_sys::window()?;
    let m = map.get_bounding_client_rect();
    let vw = window.inner_width().ok()?.as_f64()?;
    let vh = window.inner_height().ok()?.as_f64()?;
    let (left, top) = (m.left().max(0.0), m.top().max(0.0));
    let (w, h) = (
        (m.right().min(vw) - left).max(0.0).floor(),
        (m.bottom().min(vh) - top).max(0.0).floor(),
    );
    let mut cache = cache.borrow_mut();
    let size = (m.width(), m.height());
    if cache
        .as_ref()
        .is_none_or(|c| c.key != traffic.layout_key || c.size != size)
    {
        let placed = cache
            .as_ref()
            .map_or((-1.0, -1.0, -1.0, -1.0), |c| c.placed);
        let anchors = Anchors::measure(map, &m)?;
        *cache = Some(Cache {
            key: traffic.layout_key,
            size,
            anchors,
            placed,
        });
    }
    let c = cache.as_mut()?;
    let placed = (left.floor(), top.floor(), w, h);
    if c.placed != placed {
        let style = canvas.style();
        for (prop, v) in [
            ("left", placed.0),
            ("top", placed.1),
            ("width", w),
            ("height", h),
        ] {
            style.set_property(prop, &format!("{v}px")).ok();
        }
        c.placed = placed;
    }
    // Where the map's origin sits in canvas coordinates.
    Some(Placement {
        origin: Point {
            x: m.left() - placed.0,
            y: m.top() - placed.1,
        },
        width: w,
        height: h,
        dpr: window.device_pixel_ratio().max(1.0),
    })
}

fn draw(
    canvas: &NodeRef,
    map: &NodeRef,
    traffic: &TrafficModel,
    flights: &[FlightView],
    cache: &RefCell<Option<Cache>>,
) {
    let Some(canvas) = canvas.cast::<HtmlCanvasElement>() else {
        return;
    };
    let Some(map) = map.cast::<Element>() else {
        return;
    };
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(Placement {
        origin,
        width: w,
        height: h,
        dpr,
    }) = place(&canvas, &map, traffic, cache)
    else {
        return;
    };
    let (pw, ph) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    if pw == 0 || ph == 0 {
        return;
    }
    let Ok(Some(ctx)) = canvas.get_context_with_context_options("2d", &context_options()) else {
        return;
    };
    let Ok(ctx) = ctx.dyn_into::<CanvasRenderingContext2d>() else {
        return;
    };
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok();
    ctx.clear_rect(0.0, 0.0, w, h);
    ctx.translate(origin.x, origin.y).ok();
    let cache = cache.borrow();
    let Some(anchors) = cache.as_ref().map(|c| &c.anchors) else {
        return;
    };
    let Ok(Some(style)) = window.get_computed_style(&canvas) else {
        return;
    };
    let mut colours: Vec<String> = (0..COLOURS)
        .map(|i| {
            style
                .get_property_value(&format!("--c{i}"))
                .unwrap_or_default()
        })
        .collect();
    colours.push(style.get_property_value("--cn").unwrap_or_default());
    let bad = style.get_property_value("--bad").unwrap_or_default();

    ctx.set_line_width(1.5);
    ctx.set_global_alpha(0.45);
    for (i, colour) in colours.iter().enumerate() {
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
        ctx.set_stroke_style_str(colour.trim());
        ctx.stroke();
    }
    ctx.set_global_alpha(1.0);
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
    for (points, colour) in paths.iter().zip(&colours) {
        if points.is_empty() {
            continue;
        }
        ctx.begin_path();
        for p in points {
            ctx.move_to(p.x + 4.0, p.y);
            ctx.arc(p.x, p.y, 4.0, 0.0, std::f64::consts::TAU).ok();
        }
        ctx.set_fill_style_str(colour.trim());
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
        ctx.set_stroke_style_str(bad.trim());
        ctx.stroke();
    }
}
