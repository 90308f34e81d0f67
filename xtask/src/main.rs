//! The README's commands, with no dependencies so that they build in seconds:
//!
//! - `cargo xtask serve`: install what is missing, then serve the playground at
//!   <http://127.0.0.1:8080> (a debug build in `dist-serve/`, rebuilt on change; reload the
//!   page yourself, since live reload would need an inline script the CSP refuses).
//! - `cargo xtask test`: install what is missing, then run every check CI runs.
//! - `cargo xtask size`: the sizes of the release build in `dist/` (raw and gzip).
//! - `cargo xtask setup`: only install what is missing.

mod cmd;
mod install;
mod size;
mod test;
mod versions;

use std::process::ExitCode;
use std::time::Instant;

use cmd::{Ctx, Result, fmt_secs};
use install::Needs;

const USAGE: &str = "\
usage: cargo xtask <command>

  serve   install what is missing, then serve the playground at http://127.0.0.1:8080
  test    install what is missing, then run format, clippy (native and wasm32), the native
          and wasm tests, the release build into dist/, and the end-to-end tests
  size    print the sizes of dist/ (raw and gzip -9) as Markdown tables
  setup   only install what is missing (wasm32 target, trunk, wasm-bindgen-cli, npm
          packages, Chromium and chromedriver)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["serve"] => Ctx::new().and_then(|ctx| serve(&ctx)),
        ["test"] => Ctx::new().and_then(|ctx| test(&ctx)),
        ["size"] => Ctx::new().and_then(|ctx| size::print(&ctx)),
        ["setup"] => Ctx::new().and_then(|ctx| install::ensure(&ctx, Needs::BuildAndBrowser)),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nerror: {e}");
            ExitCode::FAILURE
        }
    }
}

fn test(ctx: &Ctx) -> Result {
    let t = Instant::now();
    install::ensure(ctx, Needs::BuildAndBrowser)?;
    println!("── tools ready in {}", fmt_secs(t.elapsed().as_secs_f64()));
    test::run_all(ctx)
}

fn serve(ctx: &Ctx) -> Result {
    install::ensure(ctx, Needs::Build)?;
    println!("── serving http://127.0.0.1:8080/ (debug build in dist-serve/; Ctrl-C stops)");
    // Its own dist folder: `trunk serve` would otherwise replace the release build in dist/.
    let mut c = ctx.cmd("trunk");
    c.args(["serve", "--offline", "--dist", "dist-serve"]);
    c.args(["--address", "127.0.0.1", "--port", "8080"]);
    // Trunk's live-reload client is an inline script, which index.html's
    // Content-Security-Policy refuses (a console error on every load): reload by hand.
    c.arg("--no-autoreload");
    exec(c)
}

/// Hands the terminal to `c` for good (so Ctrl-C stops trunk, not a wrapper).
#[cfg(unix)]
fn exec(mut c: std::process::Command) -> Result {
    use std::os::unix::process::CommandExt;
    println!("$ {}", cmd::show(&c));
    Err(format!("cannot start trunk: {}", c.exec()))
}

#[cfg(not(unix))]
fn exec(mut c: std::process::Command) -> Result {
    cmd::run(&mut c)
}
