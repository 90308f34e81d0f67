//! `svcplay`: check real manifests against the simulation from a terminal or CI, and
//! run the console's kubectl lines as a script (see the library, `lib.rs`, for what it
//! does).

use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (code, out, err) = svcplay_cli::run(&argv);
    print!("{out}");
    eprint!("{err}");
    ExitCode::from(code)
}
