//! What the state design saves: the cost of cloning the stress World (what a reducer
//! that clones `AppState` would pay every frame) next to one 16 ms step and one view
//! frame. Run: `cargo run -p svcplay-web --release --example clone_cost`.

use std::time::Instant;
fn main() {
    let mut w = svcplay_web::state::scenario::stress_world(1);
    w.step(3_000);
    w.drain_requests();
    let n = 200;
    let t = Instant::now();
    let mut keep = 0usize;
    for _ in 0..n {
        let c = w.clone();
        keep += c.pods().len();
    }
    let clone_us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    let t = Instant::now();
    for _ in 0..n {
        w.step(16);
        keep += w.drain_requests().len();
    }
    let step_us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    let log = svcplay_web::state::RequestLog::default();
    let t = Instant::now();
    for _ in 0..n {
        let f = svcplay_web::model::from_world::frame(&w, &log, true, &Default::default());
        keep += f.scene.nodes.len();
    }
    let frame_us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!(
        "stress world: clone {clone_us:.0} µs, step(16 ms) {step_us:.0} µs, view frame {frame_us:.0} µs ({keep})"
    );
}
