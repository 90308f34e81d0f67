//! Running tools: one context that knows the workspace root and the PATH every tool gets.
//!
//! Tools run with the workspace root as working directory and a PATH that starts with
//! `node_modules/.bin` (binaryen's wasm-opt for Trunk) and cargo's bin folder (where
//! `cargo install` puts trunk and wasm-bindgen), so a tool installed a moment ago is found
//! without touching the caller's shell.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What went wrong, in a sentence for the user (no backtrace).
pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root and the environment tools run in.
pub struct Ctx {
    /// The workspace root (the folder holding Cargo.lock).
    pub root: PathBuf,
    path: OsString,
    cargo: OsString,
}

impl Ctx {
    /// The context for the workspace this xtask was built from.
    pub fn new() -> Result<Ctx> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask is not inside a workspace")?
            .to_path_buf();
        let mut dirs = vec![
            root.join("node_modules").join(".bin"),
            cargo_home().join("bin"),
        ];
        if let Some(p) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&p));
        }
        let path = std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        // `cargo xtask` runs under cargo, which names itself in CARGO; nested builds then use
        // the same toolchain.
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Ok(Ctx { root, path, cargo })
    }

    /// A command for `program` with the tool PATH, run from the workspace root.
    pub fn cmd(&self, program: impl Into<OsString>) -> Command {
        let program = program.into();
        let program = if program == "cargo" {
            self.cargo.clone()
        } else {
            program
        };
        let mut c = Command::new(program);
        c.current_dir(&self.root)
            .env("PATH", &self.path)
            .env("TRUNK_SKIP_VERSION_CHECK", "true");
        c
    }

    /// `cargo` with `args`.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut c = self.cmd("cargo");
        c.args(args);
        c
    }

    /// Where `program` is on the tool PATH, if anywhere.
    pub fn which(&self, program: &str) -> Option<PathBuf> {
        std::env::split_paths(&self.path)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    }

    /// The first line of `program args`' stdout, when it runs and succeeds.
    pub fn probe(&self, program: &str, args: &[&str]) -> Option<String> {
        let out = self
            .cmd(program)
            .args(args)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines().next().map(|l| l.trim().to_owned())
    }

    /// A file of the workspace, read as text.
    pub fn read(&self, rel: &str) -> Result<String> {
        std::fs::read_to_string(self.root.join(rel)).map_err(|e| format!("cannot read {rel}: {e}"))
    }
}

/// Prints `$ command` and runs it, inheriting the terminal; a non-zero exit is an error.
pub fn run(c: &mut Command) -> Result {
    let shown = show(c);
    println!("$ {shown}");
    let status = c
        .status()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The command line as the user would type it (with the env vars set just for it).
pub fn show(c: &Command) -> String {
    let mut parts: Vec<String> = c
        .get_envs()
        .filter(|(k, _)| *k != "PATH" && *k != "TRUNK_SKIP_VERSION_CHECK")
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    let program = Path::new(c.get_program());
    let name = program.file_name().unwrap_or(program.as_os_str());
    parts.push(name.to_string_lossy().into_owned());
    parts.extend(c.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// Whether this process runs as root (needed for apt-get).
pub fn is_root() -> bool {
    // /proc/self/status: "Uid:\t<real>\t<effective>\t...".
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|e| e == "0"))
        })
        .unwrap_or(false)
}

fn cargo_home() -> PathBuf {
    if let Some(h) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(h);
    }
    std::env::var_os("HOME").map_or_else(
        || PathBuf::from(".cargo"),
        |h| PathBuf::from(h).join(".cargo"),
    )
}

/// A stage clock reading, as `12.3 s` or `2 min 05 s`.
pub fn fmt_secs(secs: f64) -> String {
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        let whole = secs.round() as u64;
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_env_program_and_args() {
        let mut c = Command::new("/usr/bin/cargo");
        c.args(["install", "trunk"])
            .env("CARGO_PROFILE_RELEASE_LTO", "off")
            .env("PATH", "/x");
        assert_eq!(
            show(&c),
            "CARGO_PROFILE_RELEASE_LTO=off cargo install trunk"
        );
    }

    #[test]
    fn formats_durations() {
        assert_eq!(fmt_secs(3.04), "3.0 s");
        assert_eq!(fmt_secs(125.4), "2 min 05 s");
    }
}
