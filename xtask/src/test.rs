//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.
//!
//! Each stage prints a header with its command and, when it ends, its wall time; a table
//! of all stage times closes the run (the figures BENCHMARKS.md quotes).

use std::process::Command;
use std::time::Instant;

use crate::cmd::{Ctx, Result, fmt_secs, run, show};

const WASM: &str = "wasm32-unknown-unknown";

/// One step of the run.
struct Stage {
    name: &'static str,
    cmd: Command,
}

fn stages(ctx: &Ctx) -> Result<Vec<Stage>> {
    let cargo = |args: &[&str]| ctx.cargo(args);
    let mut trunk = ctx.cmd("trunk");
    trunk.args(["build", "--release", "--offline"]);
    let mut e2e = ctx.cmd("node");
    e2e.args(["--test", "--test-reporter=spec"])
        .args(e2e_files(ctx)?);
    Ok(vec![
        Stage {
            name: "format",
            cmd: cargo(&["fmt", "--all", "--", "--check"]),
        },
        Stage {
            name: "clippy (native)",
            cmd: cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ]),
        },
        Stage {
            name: "clippy (wasm32)",
            cmd: cargo(&[
                "clippy",
                "-p",
                "svcplay-core",
                "-p",
                "svcplay-web",
                "--all-targets",
                "--target",
                WASM,
                "--locked",
                "--",
                "-D",
                "warnings",
            ]),
        },
        Stage {
            name: "tests (native)",
            cmd: cargo(&["test", "--workspace", "--locked"]),
        },
        Stage {
            name: "tests (wasm32, core in Node)",
            cmd: cargo(&[
                "test",
                "-p",
                "svcplay-core",
                "--lib",
                "--target",
                WASM,
                "--locked",
            ]),
        },
        Stage {
            name: "tests (wasm32, web in headless Chromium)",
            cmd: cargo(&["test", "-p", "svcplay-web", "--target", WASM, "--locked"]),
        },
        Stage {
            name: "release build (dist/)",
            cmd: trunk,
        },
        Stage {
            name: "end-to-end (dist/ in Chromium)",
            cmd: e2e,
        },
    ])
}

/// The end-to-end test files, named explicitly: `node --test <folder>` means different
/// things across Node versions.
fn e2e_files(ctx: &Ctx) -> Result<Vec<String>> {
    let dir = ctx.root.join("tests/e2e");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read tests/e2e: {e}"))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.mjs"))
        .map(|n| format!("tests/e2e/{n}"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("no tests/e2e/*.test.mjs files".into());
    }
    Ok(files)
}

/// Runs every stage; the first failure ends the run.
pub fn run_all(ctx: &Ctx) -> Result {
    let all = stages(ctx)?;
    let total = all.len();
    let started = Instant::now();
    let mut times: Vec<(&str, f64)> = Vec::new();
    let mut failed = None;
    for (i, mut stage) in all.into_iter().enumerate() {
        println!(
            "\n━━━ [{}/{total}] {} ━━━  {}",
            i + 1,
            stage.name,
            show(&stage.cmd)
        );
        let t = Instant::now();
        let outcome = run(&mut stage.cmd);
        let secs = t.elapsed().as_secs_f64();
        times.push((stage.name, secs));
        match outcome {
            Ok(()) => println!("━━━ ✓ {} in {}", stage.name, fmt_secs(secs)),
            Err(e) => {
                println!("━━━ ✗ {} failed after {}: {e}", stage.name, fmt_secs(secs));
                failed = Some(format!(
                    "stage {}/{total} \"{}\" failed: {e}",
                    i + 1,
                    stage.name
                ));
                break;
            }
        }
    }
    println!("\nstage times:");
    for (name, secs) in &times {
        println!("  {name:<42} {:>12}", fmt_secs(*secs));
    }
    println!(
        "  {:<42} {:>12}",
        "total",
        fmt_secs(started.elapsed().as_secs_f64())
    );
    match failed {
        Some(e) => Err(e),
        None => {
            println!("all {total} stages passed");
            Ok(())
        }
    }
}
