//! Installing what the README's commands need; every step skips itself when the right
//! version is already there and says what it found or did.
//!
//! Order: first everything that needs a human (no Node, no root for apt-get), reported
//! together before any long step starts; then Chromium (apt-get), the wasm32 target and
//! rustfmt/clippy (rustup), trunk and wasm-bindgen-cli (`cargo install`), binaryen and
//! playwright-core (`npm ci`), and the crates (`cargo fetch --locked`, since Trunk builds
//! offline). Versions come from Cargo.lock, Trunk.toml and package-lock.json.

use std::path::Path;

use crate::cmd::{Ctx, Result, is_root, run};
use crate::versions::{TRUNK_VERSION, locked_version, node_major, reported_version, toml_value};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// playwright-core 1.65 declares `engines.node >= 20`.
const NODE_MIN_MAJOR: u32 = 20;
/// A copy of the package-lock.json that node_modules was installed from.
const NPM_STAMP: &str = "node_modules/.svcplay-package-lock.json";

/// What a command needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Building the playground (serve).
    Build,
    /// Building and testing it, which adds Chromium and chromedriver.
    BuildAndBrowser,
}

/// Installs whatever is missing for `needs`.
pub fn ensure(ctx: &Ctx, needs: Needs) -> Result {
    println!("── checking tools (each step skips itself when already done)");
    let browser = needs == Needs::BuildAndBrowser;
    let chromium_missing =
        browser && !(Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file());
    preflight(ctx, chromium_missing)?;
    if chromium_missing {
        apt_chromium(ctx)?;
    } else if browser {
        println!("· chromium, chromedriver: found at {CHROMIUM}, {CHROMEDRIVER}");
    }
    rust_target_and_components(ctx)?;
    trunk(ctx)?;
    wasm_bindgen(ctx)?;
    npm(ctx)?;
    wasm_opt(ctx)?;
    println!("· crates: cargo fetch --locked (Trunk builds offline)");
    run(&mut ctx.cargo(&["fetch", "--locked", "--quiet"]))
}

/// Everything a human must install, listed at once before any long step.
fn preflight(ctx: &Ctx, chromium_missing: bool) -> Result {
    let mut manual = Vec::new();
    match (ctx.probe("node", &["--version"]), ctx.which("npm")) {
        (Some(v), Some(_)) => match node_major(&v) {
            Some(m) if m >= NODE_MIN_MAJOR => {}
            _ => manual.push(format!(
                "Node.js {v} is too old: install Node.js {NODE_MIN_MAJOR} or newer with npm \
                 (playwright-core needs it; Debian 12's own `nodejs` is 18, Debian 13's is 20)"
            )),
        },
        _ => manual.push(format!(
            "Node.js {NODE_MIN_MAJOR}+ and npm are missing: install them (Debian 13: \
             `apt-get install -y nodejs npm`; on Debian 12 use a Node.js {NODE_MIN_MAJOR}+ package), \
             they run wasm-opt, the wasm tests and the end-to-end tests"
        )),
    }
    if chromium_missing {
        if ctx.which("apt-get").is_none() {
            manual.push(format!(
                "Chromium and its chromedriver are missing and this is not Debian (no apt-get): \
                 install them so that {CHROMIUM} and {CHROMEDRIVER} exist (same version)"
            ));
        } else if !is_root() {
            manual.push(
                "Chromium and its chromedriver are missing and apt-get needs root: run \
                 `sudo apt-get update && sudo apt-get install -y chromium chromium-driver`, \
                 then this command again"
                    .to_owned(),
            );
        }
    }
    if ctx.which("rustup").is_none() && !has_wasm_target(ctx) {
        manual.push(format!(
            "the {WASM_TARGET} target is missing and rustup is not installed: install Rust with \
             rustup (https://rustup.rs), or add the target to your Rust installation"
        ));
    }
    if manual.is_empty() {
        return Ok(());
    }
    for m in &manual {
        eprintln!("✗ {m}");
    }
    Err(format!(
        "{} prerequisite(s) need installing by hand (see above)",
        manual.len()
    ))
}

fn apt_chromium(ctx: &Ctx) -> Result {
    println!("· chromium, chromedriver: missing, installing the Debian packages (about 1 min)");
    let apt = |args: &[&str]| {
        let mut c = ctx.cmd("apt-get");
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut apt(&["update"]))?;
    run(&mut apt(&["install", "-y", "chromium", "chromium-driver"]))?;
    for p in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(p).is_file() {
            return Err(format!("apt-get installed chromium but {p} does not exist"));
        }
    }
    Ok(())
}

fn has_wasm_target(ctx: &Ctx) -> bool {
    ctx.probe("rustc", &["--print", "sysroot"])
        .is_some_and(|sysroot| {
            Path::new(&sysroot)
                .join("lib/rustlib")
                .join(WASM_TARGET)
                .is_dir()
        })
}

fn rust_target_and_components(ctx: &Ctx) -> Result {
    if has_wasm_target(ctx) {
        println!("· {WASM_TARGET} target: installed");
    } else {
        println!("· {WASM_TARGET} target: missing, adding it");
        run(ctx.cmd("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    let fmt = ctx.probe("cargo", &["fmt", "--version"]).is_some();
    let clippy = ctx.probe("cargo", &["clippy", "--version"]).is_some();
    if fmt && clippy {
        println!("· rustfmt, clippy: installed");
        return Ok(());
    }
    if ctx.which("rustup").is_none() {
        return Err("rustfmt or clippy is missing and rustup is not installed: add them to your Rust toolchain".into());
    }
    println!("· rustfmt, clippy: missing, adding them");
    run(ctx
        .cmd("rustup")
        .args(["component", "add", "rustfmt", "clippy"]))
}

fn trunk(ctx: &Ctx) -> Result {
    let have = ctx
        .probe("trunk", &["--version"])
        .and_then(|v| reported_version(&v));
    if have.as_deref() == Some(TRUNK_VERSION) {
        println!("· trunk {TRUNK_VERSION}: installed");
        return Ok(());
    }
    println!(
        "· trunk {TRUNK_VERSION}: {}, installing it (about 4 min on 2 cores)",
        have.map_or("missing".to_owned(), |v| format!("found {v}"))
    );
    let mut c = ctx.cargo(&["install", "--locked", "trunk", "--version", TRUNK_VERSION]);
    // A build tool does not need LTO: this saves about a minute and a half.
    c.env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    run(&mut c)
}

fn wasm_bindgen(ctx: &Ctx) -> Result {
    let lock = ctx.read("Cargo.lock")?;
    let want = locked_version(&lock, "wasm-bindgen")
        .ok_or("Cargo.lock must lock exactly one version of wasm-bindgen")?;
    let trunk_toml = ctx.read("Trunk.toml")?;
    if let Some(t) = toml_value(&trunk_toml, "tools", "wasm_bindgen")
        && t != want
    {
        return Err(format!(
            "Trunk.toml [tools] wasm_bindgen = \"{t}\" but Cargo.lock has wasm-bindgen {want}: make them equal"
        ));
    }
    let cli = ctx
        .probe("wasm-bindgen", &["--version"])
        .and_then(|v| reported_version(&v));
    let runner = ctx
        .probe("wasm-bindgen-test-runner", &["--version"])
        .and_then(|v| reported_version(&v));
    if cli.as_deref() == Some(want.as_str()) && runner.as_deref() == Some(want.as_str()) {
        println!("· wasm-bindgen-cli {want} (from Cargo.lock): installed");
        return Ok(());
    }
    println!(
        "· wasm-bindgen-cli {want} (from Cargo.lock): {}, installing it (about 3 min)",
        cli.map_or("missing".to_owned(), |v| format!("found {v}"))
    );
    // Not --locked: the CLI's own lockfile pins a dependency version crates.io no longer
    // offers (see TOOLCHAIN.md).
    let mut c = ctx.cargo(&["install", "wasm-bindgen-cli", "--version", &want]);
    c.env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    run(&mut c)
}

fn npm(ctx: &Ctx) -> Result {
    let lock = ctx.read("package-lock.json")?;
    let stamp = std::fs::read_to_string(ctx.root.join(NPM_STAMP)).ok();
    let complete = [
        "node_modules/binaryen/package.json",
        "node_modules/playwright-core/package.json",
    ]
    .iter()
    .all(|p| ctx.root.join(p).is_file());
    if complete && stamp.as_deref() == Some(lock.as_str()) {
        println!("· node_modules (binaryen, playwright-core): matches package-lock.json");
        return Ok(());
    }
    let why = if !ctx.root.join("node_modules").is_dir() {
        "missing"
    } else if !complete {
        "incomplete"
    } else {
        "not installed from this package-lock.json"
    };
    println!("· node_modules (binaryen, playwright-core): {why}, running npm ci");
    let mut c = ctx.cmd("npm");
    c.args(["ci", "--no-audit", "--no-fund"]);
    run(&mut c)?;
    std::fs::write(ctx.root.join(NPM_STAMP), lock)
        .map_err(|e| format!("cannot write {NPM_STAMP}: {e}"))
}

fn wasm_opt(ctx: &Ctx) -> Result {
    let want = toml_value(&ctx.read("Trunk.toml")?, "tools", "wasm_opt");
    let have = ctx
        .probe("wasm-opt", &["--version"])
        .and_then(|v| reported_version(&v));
    match (want, have) {
        (Some(w), Some(h)) if w == h => {
            println!("· wasm-opt {h} (npm binaryen): on PATH");
            Ok(())
        }
        (Some(w), h) => Err(format!(
            "Trunk.toml wants wasm-opt {w} but node_modules/.bin/wasm-opt reports {}: \
             make package.json's binaryen match",
            h.unwrap_or_else(|| "nothing".into())
        )),
        (None, _) => Ok(()),
    }
}
