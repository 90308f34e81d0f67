//! The commands the console knows, and their `--help` in kubectl's layout: the long
//! description (first paragraph flush, later ones after one space, as kubectl's
//! markdown normaliser leaves them), `Examples:` indented by two, `Available
//! Commands:` for a parent, `Options:` (the flags the console takes, sorted), `Usage:`
//! and the closing hints.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/util/templates/templates.go` (`MainHelpTemplate`, `MainUsageTemplate`),
//! `templater.go` (`usageLine`, `cmdGroupsString`, `visibleFlags`), `normalizers.go`,
//! `markdown.go`; the texts from `pkg/cmd/<verb>/<verb>.go`.
//!
//! Simplification: `Options:` lists only the flags the console implements, the
//! examples only the forms it runs, and `get`'s usage line only its output formats.

mod families;
mod options;
mod reads;
mod writes;

use super::flags::{FlagSpec as F, options_text};
use super::{Ctx, Parsed};

/// A verb handler: the parsed flags and arguments in, `Err` with kubectl's error text.
pub(crate) type Run = fn(&mut Ctx, &Parsed) -> Result<(), String>;

/// One command (or parent of commands).
pub(crate) struct Cmd {
    /// The words after `kubectl`.
    pub(crate) words: &'static [&'static str],
    /// cobra's `Use` (without the parents).
    pub(crate) use_line: &'static str,
    /// `Short`.
    pub(crate) short: &'static str,
    /// `Long`'s paragraphs; empty means `Short` is shown.
    pub(crate) long: &'static [&'static str],
    /// Example lines (comments and commands), blank lines between examples.
    pub(crate) examples: &'static [&'static str],
    /// The flags.
    pub(crate) flags: &'static [F],
    /// The handler; `None` for a parent that only lists its subcommands.
    pub(crate) run: Option<Run>,
    /// Subcommands (`create`, `set`, `rollout`, `create service`).
    pub(crate) subs: &'static [&'static str],
    /// cobra's name padding for the parent's `Available Commands:` list.
    pub(crate) padding: usize,
    /// Other names of the last word (`create deploy`).
    pub(crate) aliases: &'static [&'static str],
}

impl Cmd {
    /// `kubectl create deployment`.
    pub(crate) fn path(&self) -> String {
        format!("kubectl {}", self.words.join(" "))
    }
}

/// The command at `words`.
pub(crate) fn command(words: &[&str]) -> Option<&'static Cmd> {
    commands().find(|c| c.words == words)
}

/// Every command the console runs.
pub(crate) fn commands() -> impl Iterator<Item = &'static Cmd> {
    reads::COMMANDS
        .iter()
        .chain(writes::COMMANDS)
        .chain(families::COMMANDS)
}

/// Whether the next non-flag argument names a subcommand of `path`: its word and its
/// index in `rest` (flags before it stay with the command).
pub(crate) fn subcommand<'a>(path: &[&str], rest: &'a [String]) -> Option<(&'a str, usize)> {
    if path == ["help"] {
        return None;
    }
    let cmd = command(path)?;
    let mut i = 0;
    while i < rest.len() {
        let a = &rest[i];
        if a == "-n" || a == "--namespace" {
            i += 2;
            continue;
        }
        if a.starts_with('-') {
            i += 1;
            continue;
        }
        return cmd
            .subs
            .iter()
            .find(|sub| {
                **sub == a.as_str() || {
                    let mut words = path.to_vec();
                    words.push(sub);
                    command(&words).is_some_and(|c| c.aliases.contains(&a.as_str()))
                }
            })
            .map(|sub| (*sub, i));
    }
    None
}

/// `Long` as kubectl's normaliser leaves it: later paragraphs after one space.
fn long_text(cmd: &Cmd) -> String {
    if cmd.long.is_empty() {
        return cmd.short.to_owned();
    }
    let mut out = String::new();
    for (i, p) in cmd.long.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
            if !p.starts_with('\n') {
                out.push(' ');
            }
        }
        out.push_str(p.trim_start_matches('\n'));
    }
    out
}

/// `kubectl VERB --help`.
pub(crate) fn text(cmd: &Cmd) -> String {
    let mut out = long_text(cmd);
    out.push_str("\n\n");
    if !cmd.aliases.is_empty() {
        let name = cmd.words.last().copied().unwrap_or_default();
        out.push_str(&format!("Aliases:\n{name}, {}\n\n", cmd.aliases.join(", ")));
    }
    if !cmd.examples.is_empty() {
        out.push_str("Examples:\n");
        let lines: Vec<String> = cmd.examples.iter().map(|l| format!("  {l}")).collect();
        out.push_str(lines.join("\n").trim_end());
        out.push_str("\n\n");
    }
    if !cmd.subs.is_empty() {
        out.push_str("Available Commands:\n");
        for s in cmd.subs {
            let mut words = cmd.words.to_vec();
            words.push(s);
            if let Some(sub) = command(&words) {
                let pad = cmd.padding.max(11);
                out.push_str(&format!("  {s:<pad$}   {}\n", sub.short));
            }
        }
        out.push('\n');
    }
    if !cmd.flags.is_empty() {
        out.push_str("Options:\n");
        out.push_str(&options_text(cmd.flags));
        out.push_str("\n\n");
    }
    // Every command is runnable (a parent runs `DefaultSubCommandRun`), and has flags.
    {
        let mut usage = format!(
            "kubectl {}{}",
            cmd.words[..cmd.words.len() - 1]
                .iter()
                .map(|w| format!("{w} "))
                .collect::<String>(),
            cmd.use_line
        );
        if !usage.contains("[options]") {
            usage.push_str(" [options]");
        }
        out.push_str(&format!("Usage:\n  {usage}\n\n"));
    }
    if !cmd.subs.is_empty() {
        out.push_str(&format!(
            "Use \"{} <command> --help\" for more information about a given command.\n",
            cmd.path()
        ));
    }
    {
        out.push_str("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    }
    out
}

/// The command groups of kubectl's root help, with the commands the console runs.
const GROUPS: &[(&str, &[&str])] = &[
    ("Basic Commands (Beginner):", &["create", "expose", "set"]),
    ("Basic Commands (Intermediate):", &["get", "delete"]),
    ("Deploy Commands:", &["rollout", "scale"]),
    ("Cluster Management Commands:", &["cordon", "uncordon"]),
    (
        "Troubleshooting and Debugging Commands:",
        &["describe", "exec"],
    ),
    ("Advanced Commands:", &["apply", "patch"]),
    ("Settings Commands:", &["label"]),
];

/// `kubectl` and `kubectl --help`: the groups, with the console's commands only.
pub(crate) fn root() -> String {
    let mut out = String::from(
        "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n",
    );
    for (title, names) in GROUPS {
        out.push_str(title);
        out.push('\n');
        for n in *names {
            if let Some(c) = command(&[n]) {
                out.push_str(&format!("  {n:<13}   {}\n", c.short));
            }
        }
        out.push('\n');
    }
    out.push_str("Usage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    out
}

/// `help`: what the console takes (not kubectl's text: the console's own).
pub(crate) fn console_help() -> String {
    let mut out = String::from(
        "svcplay console: kubectl's commands run against the simulated cluster.\n\nkubectl commands (kubectl --help, kubectl VERB --help):\n",
    );
    for (_, names) in GROUPS {
        for n in *names {
            if let Some(c) = command(&[n]) {
                out.push_str(&format!("  kubectl {n:<10} {}\n", c.short));
            }
        }
    }
    out.push_str(
        "\nThe playground's own (not kubectl; see traffic --help, why --help, sleep --help):\n  traffic [--window 30s] [-o json]   requests and connections per Service, pod and client\n  why svc/NAME [pod/NAME]            why each pod is or is not an endpoint of the Service\n  sleep 30s                          let simulated time run\n\nA here-document feeds kubectl apply -f -: paste the block, or write it in a script.\n",
    );
    out
}

/// `kubectl help [VERB…]`.
pub(crate) fn help_for(ctx: &mut Ctx, words: &[&str]) {
    if words.is_empty() {
        return ctx.print(&root());
    }
    match command(words) {
        Some(c) => ctx.print(&text(c)),
        None => {
            let joined = words.join(" ");
            ctx.print(&format!("Unknown help topic [`{joined}`]\n"));
            ctx.print(&root());
        }
    }
}
