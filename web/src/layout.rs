//! Geometry for the traffic layer: points and positions along a hop path.

/// A point in CSS pixels, relative to the cluster map.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// From the left edge.
    pub x: f64,
    /// From the top edge.
    pub y: f64,
}

/// A rectangle in CSS pixels, relative to the cluster map.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
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

impl Rect {
    /// The centre.
    pub fn centre(self) -> Point {
        Point {
            x: self.x + self.w / 2.0,
            y: self.y + self.h / 2.0,
        }
    }

    /// Where the line from the centre towards `target` leaves the rectangle, so lines
    /// and requests meet cards at their edges instead of covering their text.
    pub fn edge_towards(self, target: Point) -> Point {
        let c = self.centre();
        let (dx, dy) = (target.x - c.x, target.y - c.y);
        if dx == 0.0 && dy == 0.0 {
            return c;
        }
        let sx = if dx == 0.0 {
            f64::INFINITY
        } else {
            (self.w / 2.0) / dx.abs()
        };
        let sy = if dy == 0.0 {
            f64::INFINITY
        } else {
            (self.h / 2.0) / dy.abs()
        };
        let s = sx.min(sy).min(1.0);
        Point {
            x: c.x + dx * s,
            y: c.y + dy * s,
        }
    }
}

/// The ends of the line between two rectangles, edge to edge.
pub fn edge_to_edge(a: Rect, b: Rect) -> (Point, Point) {
    (a.edge_towards(b.centre()), b.edge_towards(a.centre()))
}

/// Where the segment `from` → `to` first enters `area` (Liang–Barsky clipping): a
/// blocked route stops there, at the cluster's edge. `from` when it starts inside;
/// `to` when the segment never enters.
pub fn entry_into(from: Point, to: Point, area: Rect) -> Point {
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    let mut enter = 0.0_f64;
    let mut leave = 1.0_f64;
    for (start, d, lo, hi) in [
        (from.x, dx, area.x, area.x + area.w),
        (from.y, dy, area.y, area.y + area.h),
    ] {
        if d == 0.0 {
            if start < lo || start > hi {
                return to;
            }
            continue;
        }
        let (a, b) = ((lo - start) / d, (hi - start) / d);
        enter = enter.max(a.min(b));
        leave = leave.min(a.max(b));
    }
    if enter > leave {
        return to;
    }
    Point {
        x: from.x + dx * enter,
        y: from.y + dy * enter,
    }
}

/// Which of `hops` equal hops a fraction `t` (0..=1) of a flight is on, and how far
/// along that hop (0..=1). `t` past the end stays at the end of the last hop.
pub fn hop_at(t: f64, hops: usize) -> (usize, f64) {
    if hops == 0 {
        return (0, 1.0);
    }
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * hops as f64;
    let hop = (pos.floor() as usize).min(hops - 1);
    (hop, pos - hop as f64)
}

/// The point a fraction `t` (0..=1) of the way along a polyline, each segment taking
/// an equal share of `t` (one hop each: client → Service, Service → pod).
pub fn along(points: &[Point], t: f64) -> Point {
    let Some(first) = points.first().copied() else {
        return Point::default();
    };
    if points.len() < 2 {
        return first;
    }
    let segments = (points.len() - 1) as f64;
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = (t * segments).min(segments - 1e-9);
    let i = pos.floor() as usize;
    let f = pos - i as f64;
    let (a, b) = (points[i], points[i + 1]);
    Point {
        x: a.x + (b.x - a.x) * f,
        y: a.y + (b.y - a.y) * f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn three_hops_share_the_flight() {
        assert_eq!(hop_at(0.0, 3), (0, 0.0));
        let (hop, t) = hop_at(0.5, 3);
        assert_eq!(hop, 1);
        assert!((t - 0.5).abs() < 1e-9);
        assert_eq!(hop_at(1.0, 3), (2, 1.0));
        assert_eq!(hop_at(7.0, 2), (1, 1.0));
        assert_eq!(hop_at(f64::NAN, 2), (0, 0.0));
        assert_eq!(hop_at(0.3, 0), (0, 1.0));
    }

    const A: Point = Point { x: 0.0, y: 0.0 };
    const B: Point = Point { x: 10.0, y: 0.0 };
    const C: Point = Point { x: 10.0, y: 20.0 };

    #[test]
    fn each_hop_takes_half_the_time() {
        assert_eq!(along(&[A, B, C], 0.0), A);
        assert_eq!(along(&[A, B, C], 0.25), Point { x: 5.0, y: 0.0 });
        assert_eq!(along(&[A, B, C], 0.5), B);
        assert_eq!(along(&[A, B, C], 0.75), Point { x: 10.0, y: 10.0 });
        let end = along(&[A, B, C], 1.0);
        assert!((end.y - 20.0).abs() < 1e-6);
    }

    #[test]
    fn edges_face_each_other() {
        let a = Rect {
            x: 0.0,
            y: 0.0,
            w: 20.0,
            h: 10.0,
        };
        let b = Rect {
            x: 100.0,
            y: 0.0,
            w: 20.0,
            h: 10.0,
        };
        assert_eq!(
            edge_to_edge(a, b),
            (Point { x: 20.0, y: 5.0 }, Point { x: 100.0, y: 5.0 })
        );
        let below = Rect {
            x: 0.0,
            y: 100.0,
            w: 20.0,
            h: 10.0,
        };
        assert_eq!(a.edge_towards(below.centre()), Point { x: 10.0, y: 10.0 });
        assert_eq!(
            a.edge_towards(a.centre()),
            a.centre(),
            "a point inside maps to the centre"
        );
    }

    #[test]
    fn a_blocked_route_stops_at_the_area_edge() {
        let cluster = Rect {
            x: 100.0,
            y: 0.0,
            w: 200.0,
            h: 100.0,
        };
        let inside = Point { x: 200.0, y: 50.0 };
        // From the left (desktop: the internet box beside the cluster).
        assert_eq!(
            entry_into(Point { x: 0.0, y: 50.0 }, inside, cluster),
            Point { x: 100.0, y: 50.0 }
        );
        // From above, slanted (phone: the internet box on top).
        assert_eq!(
            entry_into(
                Point {
                    x: 150.0,
                    y: -100.0
                },
                Point { x: 250.0, y: 100.0 },
                cluster
            ),
            Point { x: 200.0, y: 0.0 }
        );
        let start_inside = Point { x: 120.0, y: 10.0 };
        assert_eq!(entry_into(start_inside, inside, cluster), start_inside);
        let far = Point { x: 0.0, y: 500.0 };
        assert_eq!(
            entry_into(Point { x: 0.0, y: 0.0 }, far, cluster),
            far,
            "never enters"
        );
    }

    #[test]
    fn degenerate_paths() {
        assert_eq!(along(&[], 0.5), Point::default());
        assert_eq!(along(&[B], 0.5), B);
        assert_eq!(along(&[A, B], f64::NAN), A);
        assert_eq!(along(&[A, B], 7.0).x.round(), 10.0);
    }
}
