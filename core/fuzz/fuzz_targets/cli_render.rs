//! Fuzzes the CLI's `check` end to end from the manifests: reading them into a world
//! (`diagnose::check_text`, the same path as `svcplay check`), then the text, JSON and
//! SARIF renderers.
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
use svcplay_cli::check::{Files, render_json, render_sarif, render_text, rows};
use svcplay_core::diagnose::{Options, Severity, check_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // A short settle keeps each run fast; the renderers see the same shapes.
    let options = Options { settle_secs: 3, ..Options::default() };
    let Ok(report) = check_text(text, &options) else { return };
    let rows = rows(&report.cluster);
    let problems = report.findings;
    let files = Files::default();
    let out = render_text(&rows, &problems, &files);
    let table: Vec<&str> = out.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(table.len(), rows.len() + 1, "{out}");
    let clean = problems.iter().all(|f| f.severity == Severity::Note);
    assert_eq!(out.contains("\nno problems found\n"), clean);
    let notices = report.notices;
    let _: serde_json::Value = serde_json::from_str(&render_sarif(&problems, &files)).expect("SARIF parses");
    let json = render_json(&rows, &problems, &notices, &files);
    let v: serde_json::Value = serde_json::from_str(&json).expect("the JSON parses");
    assert_eq!(v["services"].as_array().map(Vec::len), Some(rows.len()));
    assert_eq!(v["problems"].as_array().map(Vec::len), Some(problems.len()));
});
