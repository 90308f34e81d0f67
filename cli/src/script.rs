//! `svcplay run`: the console's lines, from a script file or standard input, against
//! the world the manifests describe; the same console the page runs
//! ([`svcplay_core::kubectl::Console`]).

use std::io::{Read, Write};

use serde_json::json;
use svcplay_core::kubectl::Console;
use svcplay_core::kubectl::console::lex::script;
use svcplay_core::limits::{Limit, LimitError, MAX_INPUT_BYTES};

use crate::args::{Args, Output};
use crate::build;

/// Runs the script; prints each line's output as it goes; returns the exit status.
pub fn run(args: &Args, path: Option<&str>, keep_going: bool) -> u8 {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    if path.is_none() && args.files.iter().any(|f| f == "-") {
        let _ = writeln!(
            stderr,
            "error: the manifests and the script cannot both come from standard input: give the script as a file"
        );
        return 2;
    }
    let text = match read_script(path) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(stderr, "{e}");
            return 2;
        }
    };
    let built = match build::read(&args.files).and_then(|t| build::build(&t, args.seed, 0)) {
        Ok(b) => b,
        Err(build::Unusable(lines)) => {
            let _ = writeln!(stderr, "{}", lines.join("\n"));
            return 2;
        }
    };
    for e in &built.rejected {
        let _ = writeln!(stderr, "notice: not applied: {e}");
    }
    let mut world = built.world;
    let mut console = Console::new();
    // The settle runs under the console, so `traffic` counts its requests: the world
    // keeps only the last 10 s of them for a shell.
    console.run_for(&mut world, args.settle_secs.saturating_mul(1000));
    console.observe(&world.drain_requests());
    let mut failed = false;
    for line in script(&text) {
        let out = console.run_with_stdin(&mut world, &line.text, line.stdin.as_deref());
        console.observe(&world.drain_requests());
        // The event log is the world's own; a long script must not let it queue up.
        let _ = world.drain_events();
        match args.output {
            Output::Text => {
                let _ = stdout.write_all(out.stdout.as_bytes());
                let _ = stdout.flush();
                let _ = stderr.write_all(out.stderr.as_bytes());
            }
            Output::Json | Output::Sarif => {
                let v = json!({
                    "line": line.text,
                    "number": line.number,
                    "ok": out.ok,
                    "output": out.text(),
                });
                let _ = writeln!(stdout, "{v}");
            }
        }
        if !out.ok {
            failed = true;
            if !keep_going {
                break;
            }
        }
    }
    u8::from(failed)
}

/// The script's text: the file, or standard input, within the input limit
/// ([`MAX_INPUT_BYTES`], the same as the manifests').
fn read_script(path: Option<&str>) -> Result<String, String> {
    let name = path.unwrap_or("standard input");
    let limit = u64::try_from(MAX_INPUT_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut text = String::new();
    match path {
        Some(p) => std::fs::File::open(p).and_then(|f| f.take(limit).read_to_string(&mut text)),
        None => std::io::stdin().take(limit).read_to_string(&mut text),
    }
    .map_err(|e| format!("error: reading {name}: {e}"))?;
    if text.len() > MAX_INPUT_BYTES {
        let e = LimitError::new(Limit::InputBytes, "script", None);
        return Err(format!("error: reading {name}: {e}"));
    }
    Ok(text)
}
