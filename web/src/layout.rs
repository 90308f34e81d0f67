//! Where things sit on the scene, in percent of its width and height.
//!
//! The scene keeps a fixed aspect ratio, so HTML cards placed at these percentages and
//! the SVG overlay (viewBox 0 0 100 100, stretched) line up.

use std::collections::BTreeMap;

use svcplay_core::World;

/// A point in percent of the scene.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Percent of the width.
    pub x: f64,
    /// Percent of the height.
    pub y: f64,
}

/// A rectangle in percent of the scene.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// Positions of everything drawn.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// The in-cluster client.
    pub client: Point,
    /// Services by name.
    pub services: BTreeMap<String, Point>,
    /// Node boxes by name.
    pub nodes: BTreeMap<String, Rect>,
    /// Pod centres by name.
    pub pods: BTreeMap<String, Point>,
}

/// Lays out a world: client left, Services in the middle, nodes stacked on the right
/// with their pods in a grid.
pub fn layout(world: &World) -> Layout {
    let mut l = Layout {
        client: Point { x: 7.0, y: 50.0 },
        ..Layout::default()
    };
    let n_svc = world.services().len().max(1) as f64;
    for (i, name) in world.services().keys().enumerate() {
        l.services.insert(
            name.clone(),
            Point {
                x: 30.0,
                y: 100.0 * (i as f64 + 0.5) / n_svc,
            },
        );
    }
    let n_nodes = world.nodes().len().max(1) as f64;
    let (left, width, gap) = (46.0, 52.0, 2.0);
    let height = (100.0 - gap * (n_nodes + 1.0)) / n_nodes;
    for (i, name) in world.nodes().keys().enumerate() {
        let rect = Rect {
            x: left,
            y: gap + i as f64 * (height + gap),
            w: width,
            h: height,
        };
        l.nodes.insert(name.clone(), rect);
        let pods: Vec<&String> = world
            .pods()
            .iter()
            .filter(|(_, p)| &p.spec.node_name == name)
            .map(|(n, _)| n)
            .collect();
        let cols = 4usize;
        let rows = pods.len().div_ceil(cols).max(1);
        for (j, pod) in pods.into_iter().enumerate() {
            let (c, r) = ((j % cols) as f64, (j / cols) as f64);
            let x = rect.x + rect.w * (c + 0.5) / cols as f64;
            let top = rect.y + 6.0;
            let y = top + (rect.h - 6.0) * (r + 0.5) / rows as f64;
            l.pods.insert(pod.clone(), Point { x, y });
        }
    }
    l
}

/// The point a fraction `t` (0..=1) of the way along a polyline.
pub fn along(points: &[Point], t: f64) -> Point {
    let Some(first) = points.first().copied() else {
        return Point { x: 0.0, y: 0.0 };
    };
    if points.len() < 2 {
        return first;
    }
    let segments = (points.len() - 1) as f64;
    let pos = (t.clamp(0.0, 1.0) * segments).min(segments - 1e-9);
    let i = pos.floor() as usize;
    let f = pos - i as f64;
    let (a, b) = (points[i], points[i + 1]);
    Point {
        x: a.x + (b.x - a.x) * f,
        y: a.y + (b.y - a.y) * f,
    }
}
