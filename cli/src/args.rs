//! The command line, declared with clap's derive API; `--help` follows kubectl's layout
//! (description, `Examples:`, `Options:`, `Usage:`), and `svcplay completions SHELL`
//! prints a completion script generated from the same declaration.

use clap::{Parser, Subcommand, ValueEnum};

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Text for people.
    Text,
    /// JSON for machines.
    Json,
    /// SARIF 2.1.0 for code-scanning UIs (`check` only).
    Sarif,
}

/// The least severity that makes `check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

/// The cluster's load-balancer provider, for `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LbProviderArg {
    /// A cloud provider assigns addresses.
    Cloud,
    /// Bare metal without a provider: LoadBalancer Services stay <pending>.
    None,
    /// MetalLB, with addresses from the input's IPAddressPool objects.
    Metallb,
}

/// kube-proxy's mode for `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// `iptables-restore` input.
    Iptables,
    /// An `nft` transaction.
    Nftables,
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mode::Iptables => "iptables",
            Mode::Nftables => "nftables",
        })
    }
}

/// kubectl's help layout: the description, the examples, the options, the usage.
const TEMPLATE: &str = "\
{before-help}Options:
{options}

Usage:
  {usage}
";

/// The same for the root: the commands before the options.
const ROOT_TEMPLATE: &str = "\
{about-with-newline}
Commands:
{subcommands}

Options:
{options}

Usage:
  {usage}

Use \"svcplay <command> --help\" for more information about a given command.
";

/// `svcplay`.
#[derive(Debug, Parser)]
#[command(
    name = "svcplay",
    version,
    about = "svcplay checks real Kubernetes manifests against the simulation: it builds the world they\ndescribe (three nodes in zones a–c when they bring none), runs it for a simulated minute,\nand reports; svcplay run runs the console's kubectl lines as a script.\n\n Exit status: 0 fine, 1 problems found (or a script line failed), 2 unreadable or invalid\ninput.",
    help_template = ROOT_TEMPLATE,
    subcommand_help_heading = "Commands",
    disable_help_subcommand = true,
    term_width = 200
)]
pub struct Args {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
    /// Manifests (YAML or JSON, multi-document); '-' reads standard input.
    #[arg(short = 'f', long = "filename", value_name = "FILE", global = true)]
    pub files: Vec<String>,
    /// Output format: text, json, or sarif (check only).
    #[arg(short = 'o', long, value_enum, default_value_t = Output::Text, global = true, hide_possible_values = true)]
    pub output: Output,
    /// The simulation's seed.
    #[arg(long, default_value_t = 1, value_name = "N", global = true)]
    pub seed: u64,
    /// Simulated time to run before reporting (or before a script's first line).
    #[arg(
        long = "settle",
        default_value_t = 60,
        value_name = "SECONDS",
        global = true,
        value_parser = settle_arg
    )]
    pub settle_secs: u64,
    /// Only objects in this namespace (explain: the Service and pods are in it; default:
    /// every namespace, explain in default).
    #[arg(
        short = 'n',
        long = "namespace",
        value_name = "NS",
        global = true,
        conflicts_with = "all_namespaces"
    )]
    pub namespace: Option<String>,
    /// Every namespace (the default).
    #[arg(short = 'A', long = "all-namespaces", global = true)]
    pub all_namespaces: bool,
}

/// The subcommands.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Each Service with its type, ClusterIP, node ports, external IPs and endpoints, then the problems found.
    #[command(
        help_template = TEMPLATE,
        before_help = "Each Service with its type, ClusterIP, node ports, external IPs and endpoints (ready/total),\nthen why a Service would not answer: each problem with its rule, object, field, file and line,\nthe cause in one sentence and the fix; notes after them. Reads manifests (Helm and kustomize\noutput too) or a live cluster's state (kubectl get pods,svc,endpointslices,nodes -A -o yaml),\nwhich is explained as it is.\n\n Exit status: 0 no problem at --fail-on or above (notes never fail), 1 problems, 2 unreadable\ninput.\n\nExamples:\n  # Check an application's manifests\n  svcplay check -f core/tests/manifests/bookinfo/bookinfo.yaml\n\n  # A live cluster's state from standard input\n  kubectl get pods,svc,endpointslices,nodes -A -o yaml | svcplay check -f -\n\n  # SARIF for a code-scanning UI, failing only on errors\n  svcplay check -f a.yaml -f b.yaml --output sarif --fail-on error"
    )]
    Check {
        /// Exit 1 on findings of this severity or worse: warning or error.
        #[arg(long, value_enum, default_value_t = FailOn::Warning, hide_possible_values = true)]
        fail_on: FailOn,
        /// The cluster's load-balancer provider: cloud, none (bare metal) or metallb (default: metallb when the input has IPAddressPools, else cloud; a live dump is read as it is).
        #[arg(long, value_enum, hide_possible_values = true)]
        lb_provider: Option<LbProviderArg>,
    },
    /// Why each pod is, or is not, an endpoint of the Service.
    #[command(
        help_template = TEMPLATE,
        before_help = "Why each pod of the Service's namespace is, or is not, an endpoint of the Service.\n\nExamples:\n  # Every pod of the Service's namespace\n  svcplay explain -f app.yaml svc/reviews\n\n  # One pod\n  svcplay explain -f app.yaml svc/reviews pod/reviews-v1-abcde"
    )]
    Explain {
        /// The Service, as svc/NAME.
        #[arg(value_name = "svc/NAME", value_parser = service_arg)]
        service: String,
        /// One pod, as pod/NAME (default: every pod).
        #[arg(value_name = "pod/NAME", value_parser = pod_arg)]
        pod: Option<String>,
    },
    /// What a user would kubectl apply to make the same world.
    #[command(
        help_template = TEMPLATE,
        before_help = "The objects as kubectl apply takes them: no status, no Node unless the manifests bring one,
no ClusterIP or node port they did not pin. Importing the output into an empty cluster
gives the same world.

Examples:
  # Every namespace
  svcplay export -f core/tests/manifests/sock-shop/complete-demo.yaml

  # One namespace
  svcplay export -f app.yaml -n sock-shop"
    )]
    Export,
    /// The rules kube-proxy would program on each node.
    #[command(
        help_template = TEMPLATE,
        before_help = "The rules kube-proxy would program on each node, as it writes them: iptables-restore input\nor an nft transaction.\n\nExamples:\n  # iptables-restore input for every node\n  svcplay rules -f app.yaml --mode iptables\n\n  # The nft transaction of one node\n  svcplay rules -f app.yaml --mode nftables --node node-1"
    )]
    Rules {
        /// kube-proxy's mode: iptables or nftables.
        #[arg(long, value_enum, hide_possible_values = true)]
        mode: Mode,
        /// One node (default: every node).
        #[arg(long, value_name = "NAME")]
        node: Option<String>,
    },
    /// Runs console lines (kubectl commands, sleep, traffic, why) against the world the manifests describe.
    #[command(
        help_template = TEMPLATE,
        before_help = "Runs the console's lines against the world the manifests describe: kubectl commands\n(get, describe, scale, delete, label, expose, create, apply -f -, patch, set selector,\nrollout restart, cordon, uncordon, exec), the playground's own traffic, why and sleep\n(sleep 30s advances simulated time), # comments, and here-documents for apply -f -.\nEach line prints what the page's console prints.\n\n Stops at the first line that fails (exit status 1) unless --keep-going, which runs every\nline and still exits 1 if any failed.\n\nExamples:\n  # A script file\n  svcplay run -f core/tests/manifests/bookinfo/bookinfo.yaml check.txt\n\n  # Lines from standard input, one JSON object per line\n  printf 'kubectl get svc\\nsleep 30s\\ntraffic\\n' | svcplay run -f app.yaml --output json"
    )]
    Run {
        /// The script (default: standard input).
        #[arg(value_name = "SCRIPT")]
        script: Option<String>,
        /// Run every line even after one fails (still exit 1 if any failed).
        #[arg(long)]
        keep_going: bool,
    },
    /// Prints a shell completion script.
    #[command(
        help_template = TEMPLATE,
        before_help = "Prints a completion script for the shell, generated from svcplay's own arguments.\n\nExamples:\n  # Load completions in the current bash\n  source <(svcplay completions bash)\n\n  # Install them for zsh\n  svcplay completions zsh > \"${fpath[1]}/_svcplay\"\n"
    )]
    Completions {
        /// The shell: bash, elvish, fish, powershell or zsh.
        #[arg(value_enum, hide_possible_values = true)]
        shell: clap_complete::Shell,
    },
}

fn strip(arg: &str, prefixes: &[&str], what: &str) -> Result<String, String> {
    prefixes
        .iter()
        .find_map(|p| arg.strip_prefix(p))
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| format!("must be {what}/NAME"))
}

/// `--settle`, within [`svcplay_core::limits::MAX_SETTLE_SECONDS`].
fn settle_arg(arg: &str) -> Result<u64, String> {
    let seconds: u64 = arg.parse().map_err(|e| format!("{e}"))?;
    svcplay_core::limits::check_settle_seconds(seconds).map_err(|e| e.to_string())?;
    Ok(seconds)
}

fn service_arg(arg: &str) -> Result<String, String> {
    strip(arg, &["svc/", "service/", "services/"], "svc")
}

fn pod_arg(arg: &str) -> Result<String, String> {
    strip(arg, &["pod/", "pods/", "po/"], "pod")
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Args, clap::Error> {
    Args::try_parse_from(std::iter::once("svcplay".to_owned()).chain(args.iter().cloned()))
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Args, String> {
        parse(&s.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn flags_in_any_order_and_inline_values() {
        let a = p("check -o json -f a.yaml --filename=b.yaml --seed 9")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            a.command,
            Command::Check {
                fail_on: FailOn::Warning,
                lb_provider: None
            }
        );
        assert_eq!(a.files, ["a.yaml", "b.yaml"]);
        assert_eq!((a.output, a.seed, a.settle_secs), (Output::Json, 9, 60));
        let n = p("export -f x -n shop").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (n.command, n.namespace.as_deref()),
            (Command::Export, Some("shop"))
        );
        assert!(p("export -f x -n shop -A").is_err(), "-n and -A together");
        let e = p("-f x explain svc/web pod/web-1").map(|a| a.command);
        let want = Command::Explain {
            service: "web".into(),
            pod: Some("web-1".into()),
        };
        assert_eq!(e, Ok(want));
        let r = p("run -f a.yaml script.txt --keep-going").map(|a| a.command);
        assert_eq!(
            r,
            Ok(Command::Run {
                script: Some("script.txt".into()),
                keep_going: true
            })
        );
    }

    #[test]
    fn mistakes_are_named() {
        let e = p("rules -f x --mode ipvs").unwrap_err();
        assert!(
            e.starts_with("error: invalid value 'ipvs' for '--mode <MODE>'"),
            "{e}"
        );
        let e = p("explain -f x web").unwrap_err();
        assert!(
            e.starts_with("error: invalid value 'web' for '<svc/NAME>': must be svc/NAME"),
            "{e}"
        );
        let e = p("check -f x --bogus").unwrap_err();
        assert!(
            e.starts_with("error: unexpected argument '--bogus' found"),
            "{e}"
        );
        let e = p("check -f").unwrap_err();
        assert!(
            e.starts_with(
                "error: a value is required for '--filename <FILE>' but none was supplied"
            ),
            "{e}"
        );
        let e = p("check -f x --settle 18446744073709551615").unwrap_err();
        assert!(
            e.starts_with(
                "error: invalid value '18446744073709551615' for '--settle <SECONDS>': --settle: Invalid value: 18446744073709551615: must be no greater than 3600 seconds (svcplay's limit MAX_SETTLE_SECONDS; see README, Limits)"
            ),
            "{e}"
        );
        assert_eq!(
            p("check -f x --settle 3600").map(|a| a.settle_secs),
            Ok(3600)
        );
    }
}
