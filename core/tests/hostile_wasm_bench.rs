//! Issue 13's reproducers as the page meets them: the core compiled to wasm32, timed
//! under Node (V8, as in Chromium) with `Date.now()`. Each is refused or handled; this
//! prints how long it took (BENCHMARKS.md, "Hostile input", quotes the figures).
//!
//! Run: `cargo test -p svcplay-core --release --target wasm32-unknown-unknown --test hostile_wasm_bench -- --nocapture`
//! Natively this file is empty (`core/tests/hostile.rs` checks the same inputs).

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use svcplay_core::manifest::import;
use svcplay_core::scenario::share::{load_fragment, pack_json};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

fn service(i: usize) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  selector:\n    app: a{i}\n  ports:\n  - port: 80\n"
    )
}

fn deployment(i: usize, replicas: u32, app: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        ports:\n        - containerPort: 80\n          name: http\n"
    )
}

fn stream(docs: impl Iterator<Item = String>) -> String {
    docs.collect::<Vec<_>>().join("---\n")
}

fn link_of(objects: &str) -> String {
    let json = format!("{{\"objects\":{}}}", quoted(objects));
    pack_json(json.as_bytes())
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn timed(what: &str, f: impl FnOnce() -> String) {
    let start = js_sys::Date::now();
    let outcome = f();
    let ms = js_sys::Date::now() - start;
    console_log!("{what}: {ms:.0} ms: {outcome}");
}

fn first_line(e: impl std::fmt::Display) -> String {
    e.to_string()
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .chars()
        .take(110)
        .collect()
}

#[wasm_bindgen_test]
fn reproducers_in_wasm() {
    for n in [2_000, 8_000] {
        let text = stream((0..n).map(service));
        timed(&format!("import {n} Services"), || {
            let e = import(&text).unwrap_err();
            format!("{} errors, e.g. {}", e.0.len(), first_line(&e.0[0]))
        });
    }
    let cms = stream(
        (0..4_000).map(|i| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n")),
    );
    timed("import 4,000 ConfigMaps", || {
        format!("{} notices", import(&cms).unwrap().notices.len())
    });
    let deps = stream((0..1_000).map(|i| deployment(i, 1_000, &format!("d{i}"))));
    timed("import 1,000 Deployments x 1,000 replicas", || {
        first_line(import(&deps).unwrap_err().0[0].clone())
    });
    let deep = format!(
        "{{\"seed\":{}1{}}}",
        "{\"a\":".repeat(170_000),
        "}".repeat(170_000)
    );
    let fragment = pack_json(deep.as_bytes());
    timed(
        &format!("a {}-byte link nesting 170,000 deep", fragment.len()),
        || first_line(load_fragment(&fragment).map(|_| ()).unwrap_err()),
    );
    let many = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n".repeat(15_000);
    let fragment = link_of(&many);
    timed(
        &format!("a {}-byte link of 15,000 objects", fragment.len()),
        || first_line(load_fragment(&fragment).map(|_| ()).unwrap_err()),
    );
    // The heaviest link the limits let through: 10 Nodes, 1,000 pods, 10 Services
    // selecting all of them (10,000 endpoints), 90 more Services.
    let nodes = (0..10).map(|i| format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: n{i}\n"));
    let services = (0..100).map(|i| {
        let app = if i < 10 { "x" } else { "y" };
        service(i).replace(&format!("app: a{i}"), &format!("app: {app}"))
    });
    let worst = stream(nodes.chain([deployment(0, 1_000, "x")]).chain(services));
    let fragment = link_of(&worst);
    timed(
        &format!("the heaviest link accepted ({} bytes)", fragment.len()),
        || match load_fragment(&fragment) {
            Ok((_, mut world)) => {
                world.step(3_000);
                format!("loaded, {} pods after 3 s", world.pods().len())
            }
            Err(e) => first_line(e),
        },
    );
}
