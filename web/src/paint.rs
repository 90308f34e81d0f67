//! Canvas painting for the traffic layer: where the cards are (`Anchors`), how a canvas
//! is sized and cleared (`prepare`), and what is drawn on it (routes, flights). Called
//! by `components::flight_canvas`, which decides when to paint.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};

use crate::fnv::Fnv;
use crate::layout::{Point, Rect, along, edge_to_edge, entry_into, hop_at};
use crate::model::traffic::Anchor;
use crate::model::{FlightView, TrafficModel};
use crate::palette::{COLOURS, Colour};
use svcplay_core::proxy::Outcome;

/// Boxes by name (FNV-hashed: the canvas looks up three or four names per request in
/// flight, 60 times a second).
pub(crate) type ByName = HashMap<String, Rect, BuildHasherDefault<Fnv>>;

/// Element boxes relative to the map, by hook.
#[derive(Default)]
pub(crate) struct Anchors {
    pub(crate) clients: ByName,
    pub(crate) services: ByName,
    pub(crate) pods: ByName,
    /// Node boxes, where requests from outside enter.
    pub(crate) nodes: ByName,
    /// The cluster's box, where a blocked route from outside stops.
    pub(crate) cluster: Option<Rect>,
}

impl Anchors {
    pub(crate) fn measure(parent: &Element, base: &web_sys::DomRect) -> Option<Anchors> {
        let list = parent
            .query_selector_all("[data-client],[data-service],[data-pod],section[data-node]")
            .ok()?;
        let mut anchors = Anchors::default();
        let relative = |el: &Element| {
            let r = el.get_bounding_client_rect();
            Rect {
                x: r.left() - base.left(),
                y: r.top() - base.top(),
                w: r.width(),
                h: r.height(),
            }
        };
        anchors.cluster = parent
            .query_selector(".cluster")
            .ok()
            .flatten()
            .map(|el| relative(&el));
        for i in 0..list.length() {
            let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let rect = relative(&el);
            for (attr, map) in [
                ("data-pod", &mut anchors.pods),
                ("data-service", &mut anchors.services),
                ("data-client", &mut anchors.clients),
                ("data-node", &mut anchors.nodes),
            ] {
                if let Some(name) = el.get_attribute(attr) {
                    map.insert(name, rect);
                    break;
                }
            }
        }
        Some(anchors)
    }

    pub(crate) fn get(&self, a: &Anchor) -> Option<Rect> {
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
pub(crate) fn context_options() -> wasm_bindgen::JsValue {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"desynchronized".into(), &true.into()).ok();
    options.into()
}

pub(crate) fn colour_index(c: Colour) -> usize {
    match c {
        Colour::Index(i) => i % COLOURS,
        Colour::Neutral => COLOURS,
    }
}

/// Where the canvas sits: the map's origin in canvas coordinates, its CSS size, and
/// the device pixel ratio.
pub(crate) struct Placement {
    pub(crate) origin: Point,
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) dpr: f64,
}

/// Sizes a canvas for the placement, clears it and moves its origin to the map's.
pub(crate) fn prepare(
    canvas: &HtmlCanvasElement,
    p: &Placement,
) -> Option<CanvasRenderingContext2d> {
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

/// Index of `--bad` (vermillion) in [`colours`].
const BAD: usize = COLOURS + 1;
/// Index of `--bg` (the page) in [`colours`].
const BG: usize = COLOURS + 2;

/// The palette as the stylesheet resolves it now: `--c0`…`--c5`, `--cn`, `--bad`, `--bg`.
pub(crate) fn colours(canvas: &HtmlCanvasElement) -> Vec<String> {
    let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(canvas).ok().flatten())
    else {
        return Vec::new();
    };
    let names = (0..COLOURS).map(|i| format!("--c{i}")).chain([
        "--cn".to_owned(),
        "--bad".to_owned(),
        "--bg".to_owned(),
    ]);
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

/// Client → Service and Service → endpoint lines, edge to edge, one path per colour;
/// a blocked route (nothing to address from outside) dashed, stopping at the
/// cluster's edge under a "no entry" mark. Returns how many blocked routes it drew.
pub(crate) fn draw_routes(
    ctx: &CanvasRenderingContext2d,
    traffic: &TrafficModel,
    anchors: &Anchors,
    colours: &[String],
) -> usize {
    ctx.set_line_width(1.5);
    ctx.set_global_alpha(0.45);
    for (i, colour) in colours.iter().take(COLOURS + 1).enumerate() {
        ctx.begin_path();
        for r in traffic
            .routes
            .iter()
            .filter(|r| !r.blocked && colour_index(r.colour) == i)
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
    let mut blocked = 0;
    for r in traffic.routes.iter().filter(|r| r.blocked) {
        let (Some(a), Some(b)) = (anchors.get(&r.from), anchors.get(&r.to)) else {
            continue;
        };
        let (start, end) = edge_to_edge(a, b);
        let stop = anchors.cluster.map_or(end, |c| entry_into(start, end, c));
        draw_blocked(ctx, start, stop, colours, colour_index(r.colour));
        blocked += 1;
    }
    blocked
}

/// Open connections: a solid line from the client's card to the pod's for each
/// (client, pod) with connections, in the Service's colour, with a dot on the pod's
/// edge per connection (up to three; a number beyond). The requests on them never
/// pass kube-proxy's rules again, so they stay drawn through scale-ups and readiness
/// changes until the connection closes. Returns how many lines it drew.
pub(crate) fn draw_pinned(
    ctx: &CanvasRenderingContext2d,
    traffic: &TrafficModel,
    anchors: &Anchors,
    colours: &[String],
) -> usize {
    let mut drawn = 0;
    ctx.set_global_alpha(0.9);
    for p in traffic.pinned.iter() {
        let (Some(a), Some(b)) = (anchors.clients.get(&*p.client), anchors.pods.get(&*p.pod))
        else {
            continue;
        };
        let (start, end) = edge_to_edge(*a, *b);
        let colour = colours
            .get(colour_index(p.colour))
            .map_or("#7a7f87", String::as_str);
        // A halo in the page's colour first, so the connection reads over the routes.
        ctx.begin_path();
        ctx.move_to(start.x, start.y);
        ctx.line_to(end.x, end.y);
        ctx.set_line_width(6.0);
        ctx.set_stroke_style_str(colours.get(BG).map_or("#ffffff", String::as_str));
        ctx.stroke();
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str(colour);
        ctx.stroke();
        ctx.begin_path();
        let (dx, dy) = (start.x - end.x, start.y - end.y);
        let len = dx.hypot(dy).max(1.0);
        for i in 0..p.count.min(3) {
            let d = 5.0 + 7.0 * i as f64;
            let (x, y) = (end.x + dx / len * d, end.y + dy / len * d);
            ctx.move_to(x + 3.0, y);
            ctx.arc(x, y, 3.0, 0.0, std::f64::consts::TAU).ok();
        }
        ctx.set_fill_style_str(colour);
        ctx.fill();
        if p.count > 3 {
            let d = 30.0;
            ctx.fill_text(
                &p.count.to_string(),
                end.x + dx / len * d,
                end.y + dy / len * d - 4.0,
            )
            .ok();
        }
        drawn += 1;
    }
    ctx.set_global_alpha(1.0);
    drawn
}

/// A dashed line from `start` to `stop`, and at `stop` a vermillion "no entry" disc.
fn draw_blocked(
    ctx: &CanvasRenderingContext2d,
    start: Point,
    stop: Point,
    colours: &[String],
    colour: usize,
) {
    const R: f64 = 8.0;
    let (dx, dy) = (stop.x - start.x, stop.y - start.y);
    let len = dx.hypot(dy).max(1.0);
    // The line ends at the disc's rim.
    let end = Point {
        x: stop.x - dx / len * R,
        y: stop.y - dy / len * R,
    };
    let dash = js_sys::Array::of2(&5.0.into(), &4.0.into());
    ctx.set_line_dash(&dash).ok();
    ctx.set_line_width(2.0);
    ctx.begin_path();
    ctx.move_to(start.x, start.y);
    ctx.line_to(end.x, end.y);
    ctx.set_stroke_style_str(colours.get(colour).map_or("#7a7f87", String::as_str));
    ctx.stroke();
    ctx.set_line_dash(&js_sys::Array::new()).ok();
    ctx.begin_path();
    ctx.arc(stop.x, stop.y, R, 0.0, std::f64::consts::TAU).ok();
    ctx.set_fill_style_str(colours.get(BG).map_or("#ffffff", String::as_str));
    ctx.fill();
    let d = R * std::f64::consts::FRAC_1_SQRT_2;
    ctx.move_to(stop.x - d, stop.y - d);
    ctx.line_to(stop.x + d, stop.y + d);
    ctx.set_stroke_style_str(colours.get(BAD).map_or("#d55e00", String::as_str));
    ctx.set_line_width(2.5);
    ctx.stroke();
}

/// Requests in flight: dots in the Service's colour, hop by hop along the core's trace
/// (client → Service → the node an outside request entered by → pod); refused ones as
/// vermillion crosses and dropped ones as grey rings where they stopped: at the entry
/// node from outside (its kube-proxy rejects or drops), at the Service from inside (the
/// client waits for an answer that never comes).
pub(crate) fn draw_flights(
    ctx: &CanvasRenderingContext2d,
    flights: &[FlightView],
    anchors: &Anchors,
    colours: &[String],
) {
    let mut paths: Vec<Vec<Point>> = vec![Vec::new(); COLOURS + 1];
    let mut refused: Vec<Point> = Vec::new();
    let mut dropped: Vec<Point> = Vec::new();
    for f in flights {
        let origin = if f.from_pod {
            anchors.pods.get(&*f.client)
        } else {
            anchors.clients.get(&*f.client)
        };
        let Some(c) = origin.copied() else {
            continue;
        };
        // A request straight to a pod's address passes no Service.
        let service = anchors.services.get(&*f.service).copied();
        if service.is_none() && !f.service.is_empty() {
            continue;
        }
        let node = f
            .via
            .as_ref()
            .and_then(|n| anchors.nodes.get(&**n))
            .copied();
        let pod = f.pod.as_ref().and_then(|p| anchors.pods.get(&**p)).copied();
        if f.pod.is_some() && pod.is_none() {
            continue;
        }
        // The boxes the request passes, in order; each hop takes an equal share.
        let mut stops = [c; 4];
        let mut len = 1;
        for r in [service, node, pod].into_iter().flatten() {
            if let Some(slot) = stops.get_mut(len) {
                *slot = r;
                len += 1;
            }
        }
        if len < 2 {
            continue;
        }
        let (hop, t) = hop_at(f.progress, len - 1);
        let (Some(&a), Some(&b)) = (stops.get(hop), stops.get(hop + 1)) else {
            continue;
        };
        let (from, to) = edge_to_edge(a, b);
        let at = along(&[from, to], t);
        match (pod, &f.outcome) {
            (Some(_), _) => paths[colour_index(f.colour)].push(at),
            (None, Outcome::Refused(_)) => refused.push(at),
            (None, Outcome::Dropped(_)) => dropped.push(at),
            (None, Outcome::Served { .. } | Outcome::Unreachable(_)) => {}
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
    if !dropped.is_empty() {
        ctx.begin_path();
        for p in &dropped {
            ctx.move_to(p.x + 6.0, p.y);
            ctx.arc(p.x, p.y, 6.0, 0.0, std::f64::consts::TAU).ok();
        }
        ctx.set_line_width(2.0);
        ctx.set_stroke_style_str(colours.get(COLOURS).map_or("#7a7f87", String::as_str));
        ctx.stroke();
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
        ctx.set_stroke_style_str(colours.get(BAD).map_or("#d55e00", String::as_str));
        ctx.stroke();
    }
}
