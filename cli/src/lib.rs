//! `svcplay`: check real manifests against the simulation from a terminal or CI, and
//! run the console's kubectl lines as a script.
//!
//! Reads kubectl YAML/JSON, builds the world it describes in an empty cluster (three
//! nodes when the manifests bring none), runs it for a simulated minute, and reports
//! (`check`, `explain`, `rules`), exports it as `kubectl apply` takes it (`export`) or
//! runs a script's lines (`run`). `-n NS` narrows `check`, `explain` and `export` to one
//! namespace. `completions SHELL` prints a completion
//! script. Exit status: 0 fine, 1 problems found or a line failed, 2 unreadable or
//! invalid input. Input is read within the core's [`svcplay_core::limits`] (the files'
//! and the script's size while reading, `--settle`).
//!
//! The binary (`main.rs`) only prints what [`run`] returns; the library lets the fuzz
//! targets (`core/fuzz/`) drive the renderers.

pub mod args;
pub mod build;
pub mod check;
pub mod rules;
pub mod script;

use args::{Command, Output};
use clap::CommandFactory;
use serde_json::json;
use svcplay_core::objects::{DEFAULT_NAMESPACE, NamespacedName};

/// Runs one invocation: (exit status, stdout, stderr). `run` writes its lines as it
/// goes and returns only its status.
pub fn run(argv: &[String]) -> (u8, String, String) {
    let args = match args::parse(argv) {
        Ok(a) => a,
        Err(e) => {
            let code = u8::try_from(e.exit_code()).unwrap_or(2);
            let text = e.render().to_string();
            return if e.use_stderr() {
                (code, String::new(), text)
            } else {
                (code, text, String::new())
            };
        }
    };
    if args.output == Output::Sarif && !matches!(args.command, Command::Check { .. }) {
        return (
            2,
            String::new(),
            "error: --output sarif is for svcplay check only\n".to_owned(),
        );
    }
    match &args.command {
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut args::Args::command(), "svcplay", &mut out);
            return (0, String::from_utf8_lossy(&out).into_owned(), String::new());
        }
        Command::Run { script, keep_going } => {
            return (
                script::run(&args, script.as_deref(), *keep_going),
                String::new(),
                String::new(),
            );
        }
        _ => {}
    }
    if args.files.is_empty() {
        return (
            2,
            String::new(),
            "error: no manifests given: use -f FILE\n\nSee 'svcplay --help' for usage.\n"
                .to_owned(),
        );
    }
    if let Command::Check {
        fail_on,
        lb_provider,
    } = &args.command
    {
        return check(&args, *fail_on, *lb_provider);
    }
    let built = match build::read(&args.files)
        .and_then(|t| build::build(&t, args.seed, args.settle_secs))
    {
        Ok(b) => b,
        Err(build::Unusable(lines)) => return (2, String::new(), lines.join("\n") + "\n"),
    };
    let notices = notices_text(&built.report.notices);
    let ns = args.namespace.as_deref();
    match &args.command {
        Command::Export => {
            let yaml = svcplay_core::manifest::export_world_in(&built.world, ns);
            (0, yaml, notices)
        }
        Command::Explain { service, pod } => explain(
            &built.world,
            &NamespacedName::parse_in(ns.unwrap_or(DEFAULT_NAMESPACE), service),
            pod.as_deref(),
            args.output,
            notices,
        ),
        Command::Rules { mode, node } => {
            let mode = mode.to_string();
            match rules::render(&built.world, &mode, node.as_deref()) {
                Err(e) => (2, String::new(), format!("error: {e}\n")),
                Ok(tables) => {
                    let out = match args.output {
                        Output::Text => tables
                            .iter()
                            .map(|(n, t)| format!("# node {n} ({mode})\n{t}"))
                            .collect(),
                        Output::Json | Output::Sarif => {
                            let v: Vec<_> = tables
                                .iter()
                                .map(|(n, t)| json!({ "node": n, "mode": mode, "rules": t }))
                                .collect();
                            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
                        }
                    };
                    (0, out, notices)
                }
            }
        }
        Command::Run { .. } | Command::Completions { .. } | Command::Check { .. } => {
            (0, String::new(), String::new())
        }
    }
}

/// `svcplay check`: the core's diagnosis of the manifests or dump, rendered.
fn check(
    args: &args::Args,
    fail_on: args::FailOn,
    lb_provider: Option<args::LbProviderArg>,
) -> (u8, String, String) {
    use svcplay_core::diagnose::{LbProvider, Options, Settings, Severity, check_text};
    let (text, files) = match build::read_files(&args.files) {
        Ok(t) => t,
        Err(build::Unusable(lines)) => return (2, String::new(), lines.join("\n") + "\n"),
    };
    let settings = Settings {
        lb_provider: lb_provider.map(|p| match p {
            args::LbProviderArg::Cloud => LbProvider::Cloud,
            args::LbProviderArg::None => LbProvider::None,
            args::LbProviderArg::Metallb => LbProvider::MetalLb,
        }),
        ..Settings::default()
    };
    let options = Options {
        seed: args.seed,
        settle_secs: args.settle_secs,
        settings,
    };
    let report = match check_text(&text, &options) {
        Ok(r) => r,
        Err(e) => return (2, String::new(), e.0.join("\n") + "\n"),
    };
    // `-n NS`: only that namespace's Services and findings (cluster-scoped ones too).
    let ns = args.namespace.as_deref();
    let rows: Vec<_> = check::rows(&report.cluster)
        .into_iter()
        .filter(|r| ns.is_none_or(|n| r.namespace == n))
        .collect();
    let findings: Vec<_> = report
        .findings
        .iter()
        .filter(|f| ns.is_none_or(|n| f.object.namespace.is_empty() || f.object.namespace == n))
        .cloned()
        .collect();
    let fail_on = match fail_on {
        args::FailOn::Warning => Severity::Warning,
        args::FailOn::Error => Severity::Error,
    };
    let code = u8::from(check::fails(&findings, fail_on));
    let out = match args.output {
        Output::Text => check::render_text(&rows, &findings, &files),
        Output::Json => check::render_json(&rows, &findings, &report.notices, &files),
        Output::Sarif => check::render_sarif(&findings, &files),
    };
    let mut err: String = report
        .notices
        .iter()
        .map(|n| format!("notice: {n}\n"))
        .collect();
    if report.world.is_none() {
        err.insert_str(0, "notice: read as a live cluster's state (objects carry uid or resourceVersion): explained as it is, not simulated\n");
    }
    (code, out, err)
}

fn explain(
    world: &svcplay_core::World,
    key: &NamespacedName,
    pod: Option<&str>,
    output: Output,
    notices: String,
) -> (u8, String, String) {
    let key = key.clone();
    let service = &key.name;
    let pods: Vec<NamespacedName> = match pod {
        Some(p) => vec![NamespacedName::parse_in(&key.namespace, p)],
        None => world
            .pods()
            .keys()
            .filter(|p| p.namespace == key.namespace)
            .map(|k| (**k).clone())
            .collect(),
    };
    let mut text = String::new();
    let mut items = Vec::new();
    for p in &pods {
        match world.explain(&key, p) {
            Err(e) => return (2, String::new(), format!("error: {e}\n")),
            Ok(x) => {
                text.push_str(&format!("{x}\n"));
                items.push(json!({
                    "namespace": p.namespace,
                    "service": key.name,
                    "pod": p.name,
                    "endpoint": x.is_endpoint(),
                    "ready": x.is_ready_endpoint(),
                    "explanation": x.to_string(),
                }));
            }
        }
    }
    if pods.is_empty() && !world.services().contains_key(&key) {
        return (
            2,
            String::new(),
            format!("error: services {service:?} not found\n"),
        );
    }
    let out = match output {
        Output::Text => text,
        Output::Json | Output::Sarif => format!(
            "{}\n",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        ),
    };
    (0, out, notices)
}

/// Notices, summarised for stderr: unknown kinds one by one, ignored fields counted.
pub fn notices_text(notices: &[svcplay_core::manifest::Notice]) -> String {
    use svcplay_core::manifest::NoticeKind;
    let mut out = String::new();
    let mut fields = 0;
    for n in notices {
        match &n.kind {
            NoticeKind::UnknownField | NoticeKind::ServerSet => fields += 1,
            _ => out.push_str(&format!("notice: {n}\n")),
        }
    }
    if fields > 0 {
        out.push_str(&format!(
            "notice: {fields} field(s) not modelled by the playground were ignored (--output json lists them)\n"
        ));
    }
    out
}
