//! Hand-written argument parsing: three subcommands and a handful of flags do not need a
//! parser crate (see `bench-notes/yaml.md`'s sibling figures in the report).

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Text for people.
    Text,
    /// JSON for machines.
    Json,
}

/// The subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `check`: Services, endpoints and problems.
    Check,
    /// `explain svc/NAME [pod/NAME]`.
    Explain {
        /// The Service.
        service: String,
        /// One pod, or every pod.
        pod: Option<String>,
    },
    /// `rules --mode iptables|nftables [--node NAME]`.
    Rules {
        /// `iptables` or `nftables`.
        mode: String,
        /// One node, or every node.
        node: Option<String>,
    },
    /// `help`, `-h`, `--help`.
    Help,
    /// `--version`.
    Version,
}

/// Parsed arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// The subcommand.
    pub command: Command,
    /// `-f FILE` (repeatable; `-` is standard input).
    pub files: Vec<String>,
    /// `-o text|json`.
    pub output: Output,
    /// `--seed N`: the world's seed.
    pub seed: u64,
    /// `--settle SECONDS`: simulated time to run before reporting.
    pub settle_secs: u64,
}

/// The usage text.
pub const USAGE: &str = "\
usage: svcplay <command> -f FILE [-f FILE...] [options]

commands:
  check                        each Service with its type, ClusterIP, node ports, external
                               IPs and endpoints (ready/total), then the problems found
  explain svc/NAME [pod/NAME]  why each pod is or is not an endpoint of the Service
  rules --mode iptables|nftables [--node NAME]
                               the rules kube-proxy would program on each node

options:
  -f, --filename FILE   manifests (YAML or JSON, multi-document); '-' reads stdin
  -o, --output FORMAT   text (default) or json
      --seed N          the simulation's seed (default 1)
      --settle SECONDS  simulated time to run before reporting (default 60, at most 3600)
  -h, --help            this text

exit status: 0 fine, 1 problems found, 2 unreadable or invalid input";

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    let mut command: Option<String> = None;
    let mut positional = Vec::new();
    let mut out = Args {
        command: Command::Help,
        files: Vec::new(),
        output: Output::Text,
        seed: 1,
        settle_secs: 60,
    };
    let mut mode = None;
    let mut node = None;
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("flag {name} needs a value"))
        };
        match flag {
            "-h" | "--help" => command = Some("help".into()),
            "--version" => command = Some("version".into()),
            "-f" | "--filename" => out.files.push(value(flag)?),
            "-o" | "--output" => {
                out.output = match value(flag)?.as_str() {
                    "text" => Output::Text,
                    "json" => Output::Json,
                    other => return Err(format!("--output must be text or json, got {other:?}")),
                }
            }
            "--mode" => mode = Some(value(flag)?),
            "--node" => node = Some(value(flag)?),
            "--seed" => out.seed = number(flag, &value(flag)?)?,
            "--settle" => out.settle_secs = number(flag, &value(flag)?)?,
            f if f.starts_with('-') && f != "-" => return Err(format!("unknown flag {f}")),
            _ if command.is_none() => command = Some(arg.clone()),
            _ => positional.push(arg.clone()),
        }
    }
    out.command = match command.as_deref() {
        None | Some("help") => Command::Help,
        Some("version") => Command::Version,
        Some("check") => {
            no_extra(&positional, 0)?;
            Command::Check
        }
        Some("explain") => {
            no_extra(&positional, 2)?;
            let service = positional
                .first()
                .ok_or("explain needs svc/NAME")
                .and_then(|s| {
                    strip(s, &["svc/", "service/", "services/"])
                        .ok_or("explain: the first argument must be svc/NAME")
                })?;
            let pod = match positional.get(1) {
                None => None,
                Some(p) => Some(
                    strip(p, &["pod/", "pods/", "po/"])
                        .ok_or("explain: the second argument must be pod/NAME")?,
                ),
            };
            Command::Explain { service, pod }
        }
        Some("rules") => {
            no_extra(&positional, 0)?;
            let mode = mode.ok_or("rules needs --mode iptables|nftables")?;
            if mode != "iptables" && mode != "nftables" {
                return Err(format!("--mode must be iptables or nftables, got {mode:?}"));
            }
            Command::Rules { mode, node }
        }
        Some(other) => return Err(format!("unknown command {other:?}")),
    };
    svcplay_core::limits::check_settle_seconds(out.settle_secs).map_err(|e| e.to_string())?;
    let needs_files = !matches!(out.command, Command::Help | Command::Version);
    if needs_files && out.files.is_empty() {
        return Err("no manifests given: use -f FILE".into());
    }
    Ok(out)
}

fn number(flag: &str, v: &str) -> Result<u64, String> {
    v.parse()
        .map_err(|_| format!("{flag} needs a whole number, got {v:?}"))
}

fn no_extra(positional: &[String], max: usize) -> Result<(), String> {
    match positional.get(max) {
        Some(extra) => Err(format!("unexpected argument {extra:?}")),
        None => Ok(()),
    }
}

fn strip(arg: &str, prefixes: &[&str]) -> Option<String> {
    prefixes
        .iter()
        .find_map(|p| arg.strip_prefix(p))
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Args, String> {
        parse(&s.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
    }

    #[test]
    fn flags_in_any_order_and_inline_values() {
        let a = p("check -o json -f a.yaml --filename=b.yaml --seed 9")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.command, Command::Check);
        assert_eq!(a.files, ["a.yaml", "b.yaml"]);
        assert_eq!((a.output, a.seed, a.settle_secs), (Output::Json, 9, 60));
        let e = p("-f x explain svc/web pod/web-1").map(|a| a.command);
        let want = Command::Explain {
            service: "web".into(),
            pod: Some("web-1".into()),
        };
        assert_eq!(e, Ok(want));
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(
            p("check").err().as_deref(),
            Some("no manifests given: use -f FILE")
        );
        assert_eq!(
            p("rules -f x --mode ipvs").err().as_deref(),
            Some("--mode must be iptables or nftables, got \"ipvs\"")
        );
        assert_eq!(
            p("explain -f x web").err().as_deref(),
            Some("explain: the first argument must be svc/NAME")
        );
        assert_eq!(
            p("check -f x --bogus").err().as_deref(),
            Some("unknown flag --bogus")
        );
        assert_eq!(
            p("check -f").err().as_deref(),
            Some("flag -f needs a value")
        );
        assert_eq!(
            p("check -f x --settle 18446744073709551615")
                .err()
                .as_deref(),
            Some(
                "--settle: Invalid value: 18446744073709551615: must be no greater than 3600 seconds (svcplay's limit MAX_SETTLE_SECONDS; see README, Limits)"
            )
        );
        assert_eq!(
            p("check -f x --settle 3600").map(|a| a.settle_secs),
            Ok(3600)
        );
    }
}
