//! Fuzzes the CLI's `check` end to end from the manifests: reading them into a world
//! (`build::build`, the same path as `svcplay check`), then the text and JSON renderers.
//! Neither may panic (issue 13 found `format!` panicking on a column wider than 65,535
//! characters); the JSON must parse and list every Service; the text must have one
//! line per Service under its header.
//!
//! Run from `core/` for ten minutes, seeded with the vendored manifests (see README,
//! "Fuzzing"): `RUSTC_BOOTSTRAP=1 cargo fuzz run cli_render corpus/cli_render
//! ../tests/manifests/*/ -- -max_total_time=600 -timeout=5 -rss_limit_mb=1024
//! -max_len=32768`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use svcplay_cli::build::build;
use svcplay_cli::check::{findings, render_json, render_text, rows};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // A short settle keeps each run fast; the renderers see the same shapes.
    let Ok(built) = build(text, 1, 3) else { return };
    let rows = rows(&built.world);
    let problems = findings(&built.world, &built.rejected);
    let out = render_text(&rows, &problems);
    let table: Vec<&str> = out.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(table.len(), rows.len() + 1, "{out}");
    assert_eq!(out.ends_with("no problems found\n"), problems.is_empty());
    let notices: Vec<String> = built.report.notices.iter().map(ToString::to_string).collect();
    let json = render_json(&rows, &problems, &notices);
    let v: serde_json::Value = serde_json::from_str(&json).expect("the JSON parses");
    assert_eq!(v["services"].as_array().map(Vec::len), Some(rows.len()));
    assert_eq!(v["problems"].as_array().map(Vec::len), Some(problems.len()));
});
