//! The console: kubectl's command lines run against the world, printing what kubectl
//! prints. One implementation behind the page's console panel and `svcplay run`.
//!
//! A line is split as a shell splits it ([`lex`]); `kubectl VERB …` is parsed with
//! kubectl's flags ([`flags`]) and resource arguments ([`resource`]) and run by its verb:
//! reads (`get`, `describe`) print the served objects ([`super::served`]) with kubectl's
//! printers; changes become [`Command`](crate::world::Command)s through
//! [`World::apply`] and print kubectl's success line (`deployment.apps/prod scaled`) or
//! its error (`Error from server (NotFound): …`, `The Service "x" is invalid: …`).
//! Besides kubectl, three words are the playground's own and say so in their help:
//! `traffic`, `why` and `sleep`.
//!
//! Module map: `lex`, `flags`, `resource`, `objects` (a kind's served objects),
//! `targets` (the objects a changing verb names), `window` (the traffic counts `traffic`
//! reads), `errors` (kubectl's error text), `get`, `describe`, `edit` (scale, delete,
//! cordon, set selector, rollout restart), `label`, `create` (create deployment/service,
//! expose), `apply` (apply, create -f), `patch`, `exec`, `own` (traffic, why, sleep),
//! `help`, `complete` (Tab completion).
//!
//! Simplification: one user, one cluster, no contexts or kubeconfig; `--dry-run`,
//! `--watch`, `-f FILE` (only `-f -`), `--field-selector`, `--sort-by` and templates are
//! not modelled (unknown flags are refused in pflag's words).

mod apply;
pub mod complete;
mod create;
mod describe;
mod edit;
mod errors;
mod exec;
pub mod flags;
mod get;
mod help;
mod label;
pub mod lex;
mod objects;
mod own;
mod patch;
pub mod resource;
mod targets;
pub mod window;

use crate::World;
use crate::objects::{DEFAULT_NAMESPACE, Epoch};
use crate::world::Request;
use flags::Parsed;
pub use window::TrafficWindow;

/// The wall-clock time the console gives simulated time zero (for RFC 3339 timestamps
/// in `-o yaml`, `describe` and `rollout restart`): 2025-01-01T00:00:00Z.
pub const DEFAULT_EPOCH: Epoch = Epoch::from_unix_millis(1_735_689_600_000);

/// The longest output one line may produce, in bytes; longer output is cut with a
/// note (the page keeps its history bounded too).
pub const MAX_OUTPUT_BYTES: usize = 256 * 1024;

/// What one line printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineOutput {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Whether the command succeeded (kubectl's exit status 0).
    pub ok: bool,
}

impl LineOutput {
    /// Both streams as a terminal shows them: output, then errors.
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// The console's state: the namespace lines default to, the epoch for timestamps and
/// the recent traffic.
#[derive(Debug, Clone)]
pub struct Console {
    /// The namespace a line without `-n` uses (the kubeconfig context's namespace).
    pub namespace: String,
    /// Simulated time zero as a wall-clock instant.
    pub epoch: Epoch,
    window: TrafficWindow,
}

impl Default for Console {
    fn default() -> Self {
        Console::new()
    }
}

/// What a verb sees: the world, the console's settings, its standard input, and the
/// streams it writes.
pub(crate) struct Ctx<'a> {
    pub(crate) world: &'a mut World,
    pub(crate) epoch: Epoch,
    pub(crate) default_ns: &'a str,
    pub(crate) window: &'a mut TrafficWindow,
    pub(crate) stdin: Option<&'a str>,
    pub(crate) out: String,
    pub(crate) err: String,
    pub(crate) failed: bool,
}

impl Ctx<'_> {
    /// Writes to standard output.
    pub(crate) fn print(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// Writes an error line (a newline is added when missing) and marks the line failed.
    pub(crate) fn fail(&mut self, text: &str) {
        self.err.push_str(text);
        if !text.ends_with('\n') {
            self.err.push('\n');
        }
        self.failed = true;
    }

    /// The namespace of a request: `-n`, else the console's.
    pub(crate) fn namespace(&self, p: &Parsed) -> String {
        p.str("namespace")
            .filter(|n| !n.is_empty())
            .unwrap_or(self.default_ns)
            .to_owned()
    }
}

impl Console {
    /// A console in the `default` namespace with [`DEFAULT_EPOCH`].
    pub fn new() -> Console {
        Console {
            namespace: DEFAULT_NAMESPACE.to_owned(),
            epoch: DEFAULT_EPOCH,
            window: TrafficWindow::default(),
        }
    }

    /// Counts requests the shell drained from the world, for `traffic`.
    pub fn observe(&mut self, requests: &[Request]) {
        self.window.observe(requests);
    }

    /// Lets `ms` of simulated time run, counting for `traffic` every request sent
    /// meanwhile ([`TrafficWindow::watch`]): what `sleep` does, for a shell that runs
    /// time itself (the CLI's settle).
    pub fn run_for(&mut self, world: &mut World, ms: u64) {
        self.window.watch(world, ms);
    }

    /// Forgets the traffic seen (the world was replaced).
    pub fn reset_traffic(&mut self) {
        self.window.clear();
    }

    /// Runs one line with no standard input.
    pub fn run(&mut self, world: &mut World, line: &str) -> LineOutput {
        self.run_with_stdin(world, line, None)
    }

    /// Runs one line; `stdin` is what `-f -` reads (a here-document's text).
    pub fn run_with_stdin(
        &mut self,
        world: &mut World,
        line: &str,
        stdin: Option<&str>,
    ) -> LineOutput {
        let (line, stdin) = match (stdin, lex::heredoc(line)) {
            // A here-document typed on one line has no body: empty input.
            (None, Some((command, _, _))) => (command, Some("")),
            _ => (line.to_owned(), stdin),
        };
        let mut ctx = Ctx {
            world,
            epoch: self.epoch,
            default_ns: &self.namespace,
            window: &mut self.window,
            stdin,
            out: String::new(),
            err: String::new(),
            failed: false,
        };
        match lex::split(&line) {
            Err(e) => ctx.fail(&format!("svcplay: {e}")),
            Ok(words) => dispatch(&mut ctx, &words),
        }
        let mut out = LineOutput {
            ok: !ctx.failed,
            stdout: ctx.out,
            stderr: ctx.err,
        };
        for s in [&mut out.stdout, &mut out.stderr] {
            if s.len() > MAX_OUTPUT_BYTES {
                let mut cut = MAX_OUTPUT_BYTES;
                while !s.is_char_boundary(cut) {
                    cut -= 1;
                }
                s.truncate(cut);
                s.push_str("\n[svcplay: output cut at 256 KiB]\n");
            }
        }
        out
    }
}

/// Routes a split line to kubectl or to the playground's own words.
fn dispatch(ctx: &mut Ctx, words: &[String]) {
    let Some((first, rest)) = words.split_first() else {
        return;
    };
    match first.as_str() {
        "kubectl" => kubectl(ctx, rest),
        "traffic" | "why" | "sleep" => own::run(ctx, first, rest),
        "help" => ctx.print(&help::console_help()),
        other => ctx.fail(&format!(
            "svcplay: {other}: command not found (lines start with kubectl, or are the playground's own traffic, why, sleep; try help)"
        )),
    }
}

/// `kubectl ARGS`.
fn kubectl(ctx: &mut Ctx, args: &[String]) {
    let Some(verb) = args.iter().position(|a| !a.starts_with('-')) else {
        // `kubectl`, `kubectl --help`.
        if args.iter().any(|a| a != "-h" && a != "--help") {
            let flag = args.iter().find(|a| *a != "-h" && *a != "--help");
            let flag = flag.map(String::as_str).unwrap_or_default();
            ctx.fail(&format!(
                "Error: unknown flag: {flag}\nSee 'kubectl --help' for usage."
            ));
            return;
        }
        ctx.print(&help::root());
        return;
    };
    let mut path = vec![args[verb].as_str()];
    let mut rest: Vec<String> = args[..verb].to_vec();
    let mut remaining = &args[verb + 1..];
    // Subcommands: `create deployment`, `create service nodeport`, `set selector`,
    // `rollout restart`, `help VERB`.
    while let Some(sub) = help::subcommand(&path, remaining) {
        path.push(sub.0);
        rest.extend(remaining[..sub.1].iter().cloned());
        remaining = &remaining[sub.1 + 1..];
    }
    rest.extend(remaining.iter().cloned());
    if path[0] == "help" {
        let target: Vec<&str> = rest.iter().map(String::as_str).collect();
        return help::help_for(ctx, &target);
    }
    let Some(cmd) = help::command(&path) else {
        return ctx.fail(&errors::unknown_command(path[0]));
    };
    let parsed = match flags::parse(&rest, cmd.flags) {
        Ok(p) => p,
        Err(e) => {
            // cobra prints flag errors itself, with its `Error:` prefix.
            return ctx.fail(&format!(
                "Error: {e}\nSee '{} --help' for usage.",
                cmd.path()
            ));
        }
    };
    if parsed.bool("help") {
        return ctx.print(&help::text(cmd));
    }
    match cmd.run {
        Some(run) => {
            if let Err(e) = run(ctx, &parsed) {
                ctx.fail(&e);
            }
        }
        // A parent command (`set`, `rollout`) alone prints its help and fails
        // (`DefaultSubCommandRun`).
        None => {
            if let Some(arg) = parsed.args.first() {
                return ctx.fail(&format!(
                    "error: unknown command \"{arg}\"\nSee '{} -h' for help and examples",
                    cmd.path()
                ));
            }
            ctx.print(&help::text(cmd));
            ctx.failed = true;
        }
    }
}

#[cfg(test)]
mod tests_read;
#[cfg(test)]
mod tests_write;
