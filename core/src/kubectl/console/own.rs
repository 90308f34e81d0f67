//! The playground's own words, not kubectl's: `traffic` (requests and connections per
//! Service, pod and client over a window of simulated time), `why` (why each pod is or
//! is not an endpoint of a Service, [`World::explain`](crate::World::explain)) and
//! `sleep` (simulated time runs). Their output starts with a `#` line that says so.

use super::flags::{self, FlagKind as K, FlagSpec as F};
use super::window::MAX_WINDOW_SECS;
use super::{Ctx, Parsed};
use crate::kubectl::tabwriter::TabWriter;
use crate::objects::NamespacedName;

/// The longest `sleep` one line may ask for, in seconds.
pub const MAX_SLEEP_SECS: u64 = 3_600;

const TRAFFIC_FLAGS: &[F] = &[
    F::new(
        "window",
        None,
        K::Str,
        "30s",
        "How much simulated time to count, up to 5m.",
    ),
    F::new(
        "output",
        Some('o'),
        K::Str,
        "",
        "Output format: json, or a table.",
    ),
    F::new(
        "all-namespaces",
        Some('A'),
        K::Bool,
        "false",
        "Services in every namespace.",
    ),
];

const TRAFFIC_HELP: &str = "traffic: the playground's own command (not kubectl).\n\nRequests sent to each Service over the last --window of simulated time, one row per\nService, serving pod and client, with the new connections they opened to a pod (a\nrequest on a kept-alive, HTTP/2 or gRPC connection opened none; nor did one that was\nrefused, dropped or could not be addressed: POD is <none>). An app's calls to its\nupstream Services count under the calling pod's name.\n\nUsage:\n  traffic [--window 30s] [-o json] [-n NAMESPACE | -A]\n";
const WHY_HELP: &str = "why: the playground's own command (not kubectl).\n\nWhy each pod of the Service's namespace is, or is not, an endpoint of the Service, and in\nwhich condition (ready, serving, terminating).\n\nUsage:\n  why svc/NAME [pod/NAME] [-n NAMESPACE]\n";
const SLEEP_HELP: &str = "sleep: the playground's own command (not kubectl).\n\nLets simulated time run: controllers act, probes run, clients send requests.\n\nUsage:\n  sleep DURATION    (30s, 2m, 1m30s, 500ms; a bare number is seconds; at most 1h)\n";

/// Runs `traffic`, `why` or `sleep`.
pub(crate) fn run(ctx: &mut Ctx, word: &str, args: &[String]) {
    let specs: &[F] = if word == "traffic" {
        TRAFFIC_FLAGS
    } else {
        &[]
    };
    let p = match flags::parse(args, specs) {
        Ok(p) => p,
        Err(e) => return ctx.fail(&format!("{word}: {e}")),
    };
    if p.bool("help") {
        let text = match word {
            "traffic" => TRAFFIC_HELP,
            "why" => WHY_HELP,
            _ => SLEEP_HELP,
        };
        return ctx.print(text);
    }
    let result = match word {
        "traffic" => traffic(ctx, &p),
        "why" => why(ctx, &p),
        _ => sleep(ctx, &p),
    };
    if let Err(e) = result {
        ctx.fail(&format!("{word}: {e}"));
    }
}

/// A Go-style duration (`30s`, `1m30s`, `500ms`, `2h`) or bare seconds, in ms.
pub fn parse_duration(text: &str) -> Option<u64> {
    if let Ok(secs) = text.parse::<u64>() {
        return secs.checked_mul(1000);
    }
    let mut total: u64 = 0;
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(factor)?)?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

fn sleep(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let [text] = p.args.as_slice() else {
        return Err("usage: sleep DURATION (e.g. sleep 30s)".into());
    };
    let ms = parse_duration(text).ok_or_else(|| format!("invalid time interval {text:?}"))?;
    if ms > MAX_SLEEP_SECS * 1000 {
        return Err(format!(
            "{text}: at most 1h of simulated time per line (a limit of the playground)"
        ));
    }
    ctx.window.watch(ctx.world, ms);
    Ok(())
}

fn why(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let ns = ctx.namespace(p);
    let strip = |a: &str, prefixes: &[&str]| {
        prefixes
            .iter()
            .find_map(|x| a.strip_prefix(x))
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
    };
    let (service, pod) = match p.args.as_slice() {
        [s] => (s, None),
        [s, pod] => (s, Some(pod)),
        _ => return Err("usage: why svc/NAME [pod/NAME]".into()),
    };
    let service = strip(service, &["svc/", "service/", "services/"])
        .ok_or("the first argument must be svc/NAME")?;
    let key = NamespacedName::new(&ns, &service);
    if !ctx.world.services().contains_key(&key) {
        return Err(format!("services {service:?} not found"));
    }
    let pods: Vec<NamespacedName> = match pod {
        Some(pod) => {
            let name = strip(pod, &["pod/", "pods/", "po/"])
                .ok_or("the second argument must be pod/NAME")?;
            vec![NamespacedName::new(&ns, &name)]
        }
        None => ctx
            .world
            .pods()
            .keys()
            .filter(|k| k.namespace == ns)
            .map(|k| (**k).clone())
            .collect(),
    };
    let mut out = format!("# svcplay why (not kubectl): the endpoints of service {service}\n");
    for pod in &pods {
        let x = ctx.world.explain(&key, pod).map_err(|e| e.to_string())?;
        out.push_str(&format!("{x}\n"));
    }
    ctx.print(&out);
    Ok(())
}

fn traffic(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let window = p.str("window").unwrap_or("30s");
    let ms = parse_duration(window).ok_or_else(|| format!("invalid --window {window:?}"))?;
    if ms == 0 || ms > MAX_WINDOW_SECS * 1000 {
        return Err(format!("--window must be between 1s and 5m, got {window}"));
    }
    let format = p.str("output").unwrap_or("");
    if !matches!(format, "" | "json") {
        return Err(format!("-o must be json or omitted, got {format:?}"));
    }
    let all = p.bool("all-namespaces");
    let ns = ctx.namespace(p);
    let totals = ctx
        .window
        .totals(ctx.world.now().as_millis(), ms.div_ceil(1000));
    let rows: Vec<_> = totals
        .into_iter()
        .filter(|((svc, _, _), _)| all || svc.namespace == ns)
        .collect();
    if format == "json" {
        let items: Vec<String> = rows
            .iter()
            .map(|((svc, pod, client), c)| {
                let pod = pod
                    .as_ref()
                    .map_or("null".to_owned(), |p| json_string(&p.name));
                format!(
                    "{{\"namespace\":{},\"service\":{},\"pod\":{pod},\"client\":{},\"requests\":{},\"connections\":{}}}",
                    json_string(&svc.namespace),
                    json_string(&svc.name),
                    json_string(client),
                    c.requests,
                    c.connections
                )
            })
            .collect();
        ctx.print(&format!("[{}]\n", items.join(",")));
        return Ok(());
    }
    let mut out = format!("# svcplay traffic (not kubectl): the last {window} of simulated time\n");
    if rows.is_empty() {
        out.push_str("no requests\n");
        ctx.print(&out);
        return Ok(());
    }
    let mut tw = TabWriter::kubectl();
    let ns_col = if all { "NAMESPACE\t" } else { "" };
    tw.write(&format!(
        "{ns_col}SERVICE\tPOD\tCLIENT\tREQUESTS\tCONNECTIONS\n"
    ));
    for ((svc, pod, client), c) in &rows {
        let ns_cell = if all {
            format!("{}\t", svc.namespace)
        } else {
            String::new()
        };
        let pod = pod.as_ref().map_or("<none>", |p| p.name.as_str());
        tw.write(&format!(
            "{ns_cell}{}\t{pod}\t{client}\t{}\t{}\n",
            svc.name, c.requests, c.connections
        ));
    }
    out.push_str(&tw.finish());
    ctx.print(&out);
    Ok(())
}

/// A JSON string (quotes, backslashes and controls escaped).
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
