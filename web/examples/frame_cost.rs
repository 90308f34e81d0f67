//! The page's work per animation frame on the stress world, natively: a 16 ms step with
//! the request log and the canvas's flights every frame, the DOM's view frame every
//! sixth (with the view cache the page keeps between refreshes, and without).
//! Run: `cargo run -p svcplay-web --release --example frame_cost`.

use std::time::Instant;
fn main() {
    let mut w = svcplay_web::state::scenario::stress_world(1);
    w.step(3_000);
    w.drain_requests();
    let mut log = svcplay_web::state::RequestLog::default();
    let mut keep = 0usize;
    let mut scene =
        svcplay_web::model::from_world::frame(&w, &log, true, &Default::default()).scene;
    // Warm up: fill the request log's window.
    for _ in 0..700 {
        w.step(16);
        let now = w.now();
        log.record(w.drain_requests(), now);
    }
    let n = 1_200;
    let (mut step, mut flights, mut dom, mut uncached) = (0.0, 0.0, 0.0, 0.0);
    let mut cache = svcplay_web::model::from_world::ViewCache::default();
    let edits = Default::default();
    for i in 0..n {
        let t = Instant::now();
        w.step(16);
        let now = w.now();
        log.record(w.drain_requests(), now);
        step += t.elapsed().as_secs_f64();
        let t = Instant::now();
        keep += svcplay_web::model::from_world::flights(&w, &log, &scene, true).len();
        flights += t.elapsed().as_secs_f64();
        if i % 6 == 0 {
            let t = Instant::now();
            let f = svcplay_web::model::from_world::frame_with(&w, &log, true, &edits, &mut cache);
            keep += f.scene.nodes.len();
            scene = f.scene;
            dom += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let f = svcplay_web::model::from_world::frame(&w, &log, true, &edits);
            keep += f.scene.nodes.len();
            uncached += t.elapsed().as_secs_f64();
        }
    }
    let us = |s: f64, k: usize| s * 1e6 / k as f64;
    println!(
        "stress world per animation frame: step+log {:.0} µs, flights {:.0} µs; per DOM frame {:.0} µs (without the view cache {:.0} µs) ({keep})",
        us(step, n),
        us(flights, n),
        us(dom, n / 6),
        us(uncached, n / 6)
    );
}
