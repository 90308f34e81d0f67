//! Load generators read from their real command lines: `fortio load`, `hey`, and a
//! shell loop of `curl` or `wget`; and the edits a client card makes, written back into
//! the same command line (so an export runs the same traffic in a real cluster).
//!
//! - fortio (`fortio load [flags] URL`, or `-grpc` with `host:port`): `-qps` is the
//!   total rate (default 8; `0` or less: no limit), `-c` connections (default 4), each
//!   kept alive (`-keepalive`, default true); `-h2` and `-grpc` multiplex on those `-c`
//!   connections; `-t` the run's length (default 5s, `0` until stopped), `-n` an exact
//!   number of calls. Upstream: fortio/fortio@45e18710 `cli/fortio_main.go`,
//!   `bincommon/commonflags.go`, `periodic/periodic.go` (`DefaultRunnerOptions`: 8 qps,
//!   4 threads, 5 s), `fgrpc/grpcrunner.go` (one connection per thread).
//! - hey (`hey [flags] URL`): `-c` workers (default 50) each limited to `-q` per second
//!   (default none), `-n` requests (default 200) unless `-z` gives a duration;
//!   keep-alive unless `-disable-keepalive`; `-h2` puts every worker on one HTTP/2
//!   connection (one shared `http2` transport). Upstream: rakyll/hey@89858275 `hey.go`,
//!   `requester/requester.go` (`runWorkers`, `runWorker`).
//! - `sh -c 'while true; do curl URL; sleep S; done'` (or `while sleep S; do …; done`,
//!   `wget` instead of `curl`): one new connection per request, every `S` seconds.
//!
//! Simplification: a generator with no rate limit sends [`MAX_CLIENT_RATE`] requests per
//! second, and any generator at most that many; at most [`MAX_CONNECTIONS`] connections;
//! requests take no time, so a shell loop's rate is `1/S` and a closed-loop worker's is
//! its limit. When a run ends (`-t`, `-n`, `-z`) the generator stops and closes its
//! connections; the container's exit and the kubelet's restart are not modelled.

use super::AppProtocol;
use super::flags::{FlagTable, Kind, Parsed, parse_go, shell_words};
use super::target::Target;

/// The highest request rate of one client, per simulated second (the limit lives with
/// the others in `crate::limits`).
pub use crate::limits::MAX_CLIENT_RATE;

/// The most connections one client keeps.
pub const MAX_CONNECTIONS: u32 = 64;

/// Which load generator runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    /// `fortio load`.
    Fortio,
    /// `hey`.
    Hey,
    /// A shell loop of `curl`.
    Curl,
    /// A shell loop of `wget`.
    Wget,
    /// The playground's user outside the cluster (not a container).
    Outside,
}

impl Tool {
    /// The program's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Fortio => "fortio",
            Tool::Hey => "hey",
            Tool::Curl => "curl",
            Tool::Wget => "wget",
            Tool::Outside => "user",
        }
    }

    /// The flag that sets the rate, as the card labels it.
    pub fn rate_flag(self) -> &'static str {
        match self {
            Tool::Fortio => "-qps",
            Tool::Hey => "-q",
            Tool::Curl | Tool::Wget => "sleep",
            Tool::Outside => "rate",
        }
    }
}

/// A load generator's behaviour, read from its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadSpec {
    /// The program.
    pub tool: Tool,
    /// The rate the rate flag asks for, in thousandths of a request per second (fortio's
    /// `-qps` is the total, hey's `-q` per worker, a loop's `1/sleep`); `None`: no limit.
    pub flag_millirate: Option<u64>,
    /// Connections (`-c`; 1 for a loop; 1 for hey with `-h2`).
    pub connections: u32,
    /// Workers or threads sending (`-c`): the rate of hey is `-q` × workers.
    pub workers: u32,
    /// Whether a connection carries more than one request.
    pub keepalive: bool,
    /// HTTP/1.1, HTTP/2 or gRPC.
    pub protocol: AppProtocol,
    /// How long the run lasts in ms; `None` until stopped.
    pub duration_ms: Option<u64>,
    /// How many requests the run sends; `None`: no limit.
    pub requests: Option<u64>,
    /// Where it sends.
    pub target: Target,
}

impl LoadSpec {
    /// The total rate in thousandths of a request per second, capped at
    /// [`MAX_CLIENT_RATE`].
    pub fn millirate(&self) -> u64 {
        let cap = u64::from(MAX_CLIENT_RATE) * 1000;
        match self.flag_millirate {
            None => cap,
            Some(r) if self.tool == Tool::Hey => r.saturating_mul(u64::from(self.workers)).min(cap),
            Some(r) => r.min(cap),
        }
    }

    /// One line for an event: `fortio -qps 8 -c 1, keep-alive, http/1.1 → http://prod/`.
    pub fn describe(&self) -> String {
        let rate = match self.flag_millirate {
            Some(r) => rate_text(r),
            None => "0 (no limit)".to_owned(),
        };
        let keep = if self.keepalive {
            "keep-alive"
        } else {
            "a new connection per request"
        };
        format!(
            "{} {} {rate} -c {}, {keep}, {} → {}",
            self.tool.as_str(),
            self.tool.rate_flag(),
            self.connections,
            self.protocol.as_str(),
            self.target
        )
    }

    /// The rate flag's value in whole requests per second, as the card shows it (`0`
    /// for no limit).
    pub fn flag_rate(&self) -> u32 {
        self.flag_millirate.map_or(0, |r| {
            u32::try_from(r.div_ceil(1000).min(u64::from(u32::MAX))).unwrap_or(0)
        })
    }
}

/// An edit from a client card: each `Some` replaces that setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadEdit {
    /// The rate flag, in requests per second (`1..=MAX_CLIENT_RATE`).
    pub rate: Option<u32>,
    /// `-c`.
    pub connections: Option<u32>,
    /// Keep-alive on or off.
    pub keepalive: Option<bool>,
    /// The protocol.
    pub protocol: Option<AppProtocol>,
    /// The target: a URL (a `host:port` for fortio's `-grpc`), written where the
    /// command line has its target.
    pub target: Option<String>,
}

pub(super) const FORTIO_FLAGS: FlagTable = &[
    ("qps", Kind::Value),
    ("c", Kind::Value),
    ("t", Kind::Value),
    ("n", Kind::Value),
    ("keepalive", Kind::Bool),
    ("h2", Kind::Bool),
    ("grpc", Kind::Bool),
    ("ping", Kind::Bool),
    ("health", Kind::Bool),
    ("s", Kind::Value),
    ("stdclient", Kind::Bool),
    ("http1.0", Kind::Bool),
    ("halfclose", Kind::Bool),
    ("compression", Kind::Bool),
    ("grpc-compression", Kind::Bool),
    ("k", Kind::Bool),
    ("https-insecure", Kind::Bool),
    ("L", Kind::Bool),
    ("a", Kind::Bool),
    ("jitter", Kind::Bool),
    ("uniform", Kind::Bool),
    ("nocatchup", Kind::Bool),
    ("no-reresolve", Kind::Bool),
    ("allow-initial-errors", Kind::Bool),
    ("sequential-warmup", Kind::Bool),
    ("log-errors", Kind::Bool),
    ("calc-qps", Kind::Bool),
    ("quiet", Kind::Bool),
    ("logcaller", Kind::Bool),
    ("H", Kind::Value),
    ("p", Kind::Value),
    ("r", Kind::Value),
    ("X", Kind::Value),
    ("timeout", Kind::Value),
    ("offset", Kind::Value),
    ("payload", Kind::Value),
    ("payload-size", Kind::Value),
    ("payload-file", Kind::Value),
    ("content-type", Kind::Value),
    ("user", Kind::Value),
    ("resolve", Kind::Value),
    ("connection-reuse", Kind::Value),
    ("json", Kind::Value),
    ("labels", Kind::Value),
    ("abort-on", Kind::Value),
    ("grpc-port", Kind::Value),
    ("grpc-method", Kind::Value),
    ("healthservice", Kind::Value),
    ("grpc-ping-delay", Kind::Value),
    ("gomaxprocs", Kind::Value),
    ("runid", Kind::Value),
    ("loglevel", Kind::Value),
    ("logprefix", Kind::Value),
    ("cert", Kind::Value),
    ("key", Kind::Value),
    ("cacert", Kind::Value),
    ("unix-socket", Kind::Value),
    ("data-dir", Kind::Value),
];

pub(super) const HEY_FLAGS: FlagTable = &[
    ("q", Kind::Value),
    ("c", Kind::Value),
    ("n", Kind::Value),
    ("z", Kind::Value),
    ("t", Kind::Value),
    ("h2", Kind::Bool),
    ("disable-keepalive", Kind::Bool),
    ("disable-compression", Kind::Bool),
    ("disable-redirects", Kind::Bool),
    ("m", Kind::Value),
    ("H", Kind::Value),
    ("h", Kind::Value),
    ("d", Kind::Value),
    ("D", Kind::Value),
    ("A", Kind::Value),
    ("T", Kind::Value),
    ("a", Kind::Value),
    ("host", Kind::Value),
    ("U", Kind::Value),
    ("o", Kind::Value),
    ("x", Kind::Value),
    ("cpus", Kind::Value),
];

/// fortio's gRPC port when a destination has none.
/// Upstream: fortio/fortio@45e18710 `fnet/network.go` `fnet.DefaultGRPCPort`.
pub const FORTIO_GRPC_PORT: u16 = 8079;

fn rate_of(qps: f64) -> Option<u64> {
    (qps > 0.0).then(|| ((qps * 1000.0).round() as u64).max(1))
}

fn count(v: i64, flag: &str) -> Result<u32, String> {
    u32::try_from(v)
        .ok()
        .filter(|n| *n > 0)
        .map(|n| n.min(MAX_CONNECTIONS))
        .ok_or_else(|| format!("invalid value \"{v}\" for flag -{flag}: must be at least 1"))
}

/// `fortio load ARGS` (the words after `load`).
pub fn fortio(args: &[String]) -> Result<LoadSpec, String> {
    let p = parse_go(args, FORTIO_FLAGS)?;
    let grpc = p.bool("grpc", false)?;
    let dest = one_target(&p, "fortio load needs a url or destination")?;
    let target = if grpc {
        Target::parse_grpc(dest, FORTIO_GRPC_PORT)?
    } else {
        Target::parse_url(dest)?
    };
    let c = count(p.int("c", 4)?, "c")?;
    let duration = p.duration("t", 5_000, true)?;
    let n = p.int("n", 0)?;
    Ok(LoadSpec {
        tool: Tool::Fortio,
        flag_millirate: rate_of(p.float("qps", 8.0)?),
        connections: c,
        workers: c,
        keepalive: grpc || p.bool("h2", false)? || p.bool("keepalive", true)?,
        protocol: if grpc {
            AppProtocol::Grpc
        } else if p.bool("h2", false)? {
            AppProtocol::Http2
        } else {
            AppProtocol::Http1
        },
        duration_ms: (duration > 0 && n <= 0).then_some(duration),
        requests: u64::try_from(n).ok().filter(|n| *n > 0),
        target,
    })
}

/// `hey ARGS`.
pub fn hey(args: &[String]) -> Result<LoadSpec, String> {
    let p = parse_go(args, HEY_FLAGS)?;
    let dest = one_target(&p, "Usage: hey [options...] <url>")?;
    let target = Target::parse_url(dest)?;
    let c = count(p.int("c", 50)?, "c")?;
    let z = p.duration("z", 0, false)?;
    let n = p.int("n", 200)?;
    let h2 = p.bool("h2", false)?;
    Ok(LoadSpec {
        tool: Tool::Hey,
        flag_millirate: rate_of(p.float("q", 0.0)?),
        connections: if h2 { 1 } else { c },
        workers: c,
        keepalive: h2 || !p.bool("disable-keepalive", false)?,
        protocol: if h2 {
            AppProtocol::Http2
        } else {
            AppProtocol::Http1
        },
        duration_ms: (z > 0).then_some(z),
        requests: if z > 0 {
            None
        } else {
            u64::try_from(n).ok().filter(|n| *n > 0)
        },
        target,
    })
}

fn one_target<'a>(p: &'a Parsed, usage: &str) -> Result<&'a str, String> {
    match p.positional.as_slice() {
        [one] => Ok(one),
        _ => Err(usage.to_owned()),
    }
}

/// A shell loop (`sh -c SCRIPT`): `while true; do curl URL; sleep S; done` and the
/// forms in the module docs; `None` when the script is not such a loop.
pub fn shell_loop(script: &str) -> Option<Result<LoadSpec, String>> {
    let words = shell_words(script)?;
    let mut it = words.iter().map(String::as_str);
    if it.next()? != "while" {
        return None;
    }
    // The condition: `true`, `:`, or `sleep S`.
    let mut sleep_ms: u64 = 0;
    let cond: Vec<&str> = it.by_ref().take_while(|w| *w != ";").collect();
    match cond.as_slice() {
        ["true"] | [":"] => {}
        ["sleep", s] => sleep_ms += sleep_arg(s)?,
        _ => return None,
    }
    if it.next()? != "do" {
        return None;
    }
    let body: Vec<&str> = it.collect();
    let mut tool = None;
    let mut url = None;
    let mut command: Vec<&str> = Vec::new();
    for w in body.iter().copied().chain([";"]) {
        if w != ";" {
            command.push(w);
            continue;
        }
        match command.as_slice() {
            ["done"] | [] => {}
            ["sleep", s] => sleep_ms += sleep_arg(s)?,
            [prog, rest @ ..] if matches!(*prog, "curl" | "wget") => {
                if tool.is_some() {
                    return None; // One request per iteration is what the playground reads.
                }
                tool = Some(if *prog == "curl" {
                    Tool::Curl
                } else {
                    Tool::Wget
                });
                url = rest
                    .iter()
                    .find(|w| w.contains("://"))
                    .or_else(|| rest.iter().rev().find(|w| !w.starts_with('-')))
                    .copied();
            }
            _ => {}
        }
        command.clear();
    }
    let tool = tool?;
    let target = match Target::parse_url(url?) {
        Ok(t) => t,
        Err(e) => return Some(Err(e)),
    };
    Some(Ok(LoadSpec {
        tool,
        flag_millirate: (sleep_ms > 0).then(|| 1_000_000 / sleep_ms),
        connections: 1,
        workers: 1,
        keepalive: false,
        protocol: AppProtocol::Http1,
        duration_ms: None,
        requests: None,
        target,
    }))
}

/// `sleep`'s argument in ms (busybox and coreutils take decimal seconds).
fn sleep_arg(s: &str) -> Option<u64> {
    let secs: f64 = s.trim_end_matches('s').parse().ok()?;
    (secs.is_finite() && secs > 0.0 && secs < 1e9).then(|| ((secs * 1000.0).round() as u64).max(1))
}

/// Formats a rate for a flag: whole numbers plainly, otherwise up to three decimals.
fn rate_text(millirate: u64) -> String {
    if millirate.is_multiple_of(1000) {
        (millirate / 1000).to_string()
    } else {
        let s = format!("{}.{:03}", millirate / 1000, millirate % 1000);
        s.trim_end_matches('0').to_owned()
    }
}

/// Sets a Go flag in `args` where it is (or adds it before the target): `-name value`,
/// or for a boolean `-name` / `-name=false`; `None` removes it.
fn set_flag(args: &mut Vec<String>, name: &str, value: Option<String>, table: FlagTable) {
    let Ok(p) = parse_go(args, table) else { return };
    let flags_end = args.len() - p.positional.len();
    let bool_flag = table.iter().any(|(t, k)| *t == name && *k == Kind::Bool);
    let written: Vec<String> = match (&value, bool_flag) {
        (None, _) => Vec::new(),
        (Some(v), true) if v == "true" => vec![format!("-{name}")],
        (Some(v), true) => vec![format!("-{name}={v}")],
        (Some(v), false) => vec![format!("-{name}"), v.clone()],
    };
    let mut kept: Vec<String> = Vec::with_capacity(args.len() + 2);
    let mut placed = false;
    let mut i = 0;
    while i < flags_end {
        let a = &args[i];
        let bare = a.trim_start_matches('-');
        let (n, inline) = bare
            .split_once('=')
            .map_or((bare, false), |(n, _)| (n, true));
        let kind = table.iter().find(|(t, _)| *t == n).map(|(_, k)| *k);
        let width = if inline || kind != Some(Kind::Value) {
            1
        } else {
            2
        };
        if n != name {
            kept.extend(args[i..(i + width).min(flags_end)].iter().cloned());
        } else if !placed {
            kept.extend(written.iter().cloned());
            placed = true;
        }
        i += width;
    }
    if !placed {
        kept.extend(written);
    }
    kept.extend(p.positional);
    *args = kept;
}

/// Applies a card's edit to a generator's words after its program name (`load …` for
/// fortio, the flags for hey, the script for a loop); refused in the tool's terms when
/// the tool cannot express it.
pub fn edit_args(tool: Tool, args: &[String], edit: &LoadEdit) -> Result<Vec<String>, String> {
    let mut out = args.to_vec();
    let rate = edit.rate.map(|r| rate_text(u64::from(r) * 1000));
    match tool {
        Tool::Fortio => {
            let Some((load, flags)) = out.split_first_mut().map(|(l, f)| (l.clone(), f.to_vec()))
            else {
                return Err("fortio: no subcommand".into());
            };
            let mut flags = flags;
            if let Some(r) = rate {
                set_flag(&mut flags, "qps", Some(r), FORTIO_FLAGS);
            }
            if let Some(c) = edit.connections {
                set_flag(&mut flags, "c", Some(c.to_string()), FORTIO_FLAGS);
            }
            if let Some(p) = edit.protocol {
                set_flag(
                    &mut flags,
                    "h2",
                    (p == AppProtocol::Http2).then(|| "true".into()),
                    FORTIO_FLAGS,
                );
                if p == AppProtocol::Grpc {
                    set_flag(&mut flags, "grpc", Some("true".into()), FORTIO_FLAGS);
                    set_flag(&mut flags, "ping", Some("true".into()), FORTIO_FLAGS);
                } else {
                    set_flag(&mut flags, "grpc", None, FORTIO_FLAGS);
                    set_flag(&mut flags, "ping", None, FORTIO_FLAGS);
                }
            }
            if let Some(k) = edit.keepalive {
                set_flag(
                    &mut flags,
                    "keepalive",
                    (!k).then(|| "false".into()),
                    FORTIO_FLAGS,
                );
            }
            out = std::iter::once(load).chain(flags).collect();
        }
        Tool::Hey => {
            if let Some(r) = rate {
                set_flag(&mut out, "q", Some(r), HEY_FLAGS);
            }
            if let Some(c) = edit.connections {
                set_flag(&mut out, "c", Some(c.to_string()), HEY_FLAGS);
            }
            if let Some(p) = edit.protocol {
                if p == AppProtocol::Grpc {
                    return Err("hey: no gRPC mode (it sends HTTP/1.1 or, with -h2, HTTP/2)".into());
                }
                set_flag(
                    &mut out,
                    "h2",
                    (p == AppProtocol::Http2).then(|| "true".into()),
                    HEY_FLAGS,
                );
            }
            if let Some(k) = edit.keepalive {
                set_flag(
                    &mut out,
                    "disable-keepalive",
                    (!k).then(|| "true".into()),
                    HEY_FLAGS,
                );
            }
        }
        Tool::Curl | Tool::Wget => {
            if edit.connections.is_some_and(|c| c != 1)
                || edit.keepalive == Some(true)
                || edit.protocol.is_some_and(|p| p != AppProtocol::Http1)
            {
                let t = tool.as_str();
                return Err(format!(
                    "a shell loop of {t} opens one new connection per request; use fortio or hey for connections that stay open"
                ));
            }
            if let Some(r) = edit.rate {
                let script = out.last_mut().ok_or("no script")?;
                *script = set_sleep(script, r)?;
            }
        }
        Tool::Outside => {}
    }
    Ok(out)
}

/// The loop's script with its `sleep` set for `rate` requests per second.
fn set_sleep(script: &str, rate: u32) -> Result<String, String> {
    if rate == 0 {
        return Err("a shell loop cannot pause: delete its pod to stop it".into());
    }
    // `rate_text` reads thousandths: the milliseconds between requests are seconds' thousandths.
    let secs = rate_text((1000 / u64::from(rate)).max(1));
    // `sleep N` → `sleep <secs>`, wherever it is in the loop.
    let Some(at) = script.find("sleep ") else {
        return Ok(script.replacen("; done", &format!("; sleep {secs}; done"), 1));
    };
    let after = &script[at + 6..];
    let end = after
        .find(|c: char| c == ';' || c.is_whitespace())
        .unwrap_or(after.len());
    Ok(format!("{}sleep {secs}{}", &script[..at], &after[end..]))
}

#[cfg(test)]
#[path = "loadgen_tests.rs"]
mod tests;
