//! What runs in a container, read from its image, `command`, `args` and `env` as the
//! real programs read them: a load generator ([`LoadSpec`]: fortio, hey, a shell loop
//! of curl or wget) or a server ([`ServerSpec`]: agnhost netexec and serve-hostname,
//! hashicorp/http-echo, fake-service, fortio's server, or an unrecognised app serving
//! its declared ports).
//!
//! The world reads every container once, when its pod is created: a load generator
//! makes the pod a traffic client, a server decides which ports answer and what. A
//! client card's edit is written back into the container's own command line
//! ([`edit_container`]), so an export runs the same traffic in a real cluster.
//!
//! Module map: `flags` (Go's and pflag's command-line syntax, durations, shell words),
//! `target` (URLs and the Service a host names), `loadgen`, `server`.
//!
//! Simplification: the image's entrypoint is known only for the images named here
//! (`fortio/fortio` runs `fortio` with `server` by default, agnhost runs `/agnhost`,
//! `hashicorp/http-echo` runs `/http-echo`, `nicholasjackson/fake-service` runs the
//! service); a container whose command line its program refuses neither sends nor
//! serves (a real one would exit and crash-loop, which is not modelled).

pub mod flags;
pub mod loadgen;
pub mod retarget;
pub mod server;
pub mod target;

pub use loadgen::{LoadEdit, LoadSpec, MAX_CLIENT_RATE, MAX_CONNECTIONS, Tool};
pub use server::{Listener, ServerKind, ServerSpec};
pub use target::Target;

use crate::objects::Container;

/// How a client talks to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AppProtocol {
    /// HTTP/1.1.
    Http1,
    /// HTTP/2.
    Http2,
    /// gRPC (over HTTP/2).
    Grpc,
}

impl AppProtocol {
    /// `http/1.1`, `h2`, `grpc`.
    pub fn as_str(self) -> &'static str {
        match self {
            AppProtocol::Http1 => "http/1.1",
            AppProtocol::Http2 => "h2",
            AppProtocol::Grpc => "grpc",
        }
    }

    /// Parses [`AppProtocol::as_str`]'s spelling.
    pub fn parse(s: &str) -> Option<AppProtocol> {
        match s {
            "http/1.1" | "http1" | "http" => Some(AppProtocol::Http1),
            "h2" | "http2" => Some(AppProtocol::Http2),
            "grpc" => Some(AppProtocol::Grpc),
            _ => None,
        }
    }
}

/// What a container runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum App {
    /// A load generator: the pod is a traffic client.
    Load(LoadSpec),
    /// A server.
    Server(ServerSpec),
    /// A known program refusing its command line, with its message.
    Refused {
        /// The program.
        program: &'static str,
        /// What it prints before exiting.
        message: String,
    },
}

/// The container's command line: `command` (or the image's entrypoint) then `args` (or
/// the image's default arguments).
pub fn argv(c: &Container) -> Vec<String> {
    let repo = image_repository(&c.image);
    let mut out = if c.command.is_empty() {
        match repo {
            "fortio/fortio" => vec!["/usr/bin/fortio".to_owned()],
            r if r.ends_with("/agnhost") || r == "agnhost" => vec!["/agnhost".to_owned()],
            "hashicorp/http-echo" => vec!["/http-echo".to_owned()],
            "nicholasjackson/fake-service" => vec!["/app/fake-service".to_owned()],
            _ => Vec::new(),
        }
    } else {
        c.command.clone()
    };
    if c.args.is_empty() && c.command.is_empty() && repo == "fortio/fortio" {
        out.push("server".to_owned());
    }
    out.extend(c.args.iter().cloned());
    out
}

/// The image without registry host, tag or digest: `registry.k8s.io/e2e-test-images/
/// agnhost:2.53` → `e2e-test-images/agnhost`, `fortio/fortio:1.69` → `fortio/fortio`.
fn image_repository(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let slash = no_digest.rfind('/').map_or(0, |i| i + 1);
    let no_tag = match no_digest[slash..].find(':') {
        Some(i) => &no_digest[..slash + i],
        None => no_digest,
    };
    match no_tag.split_once('/') {
        Some((host, rest)) if host.contains('.') || host.contains(':') || host == "localhost" => {
            rest
        }
        _ => no_tag,
    }
}

fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// What `c` runs.
pub fn app_of(c: &Container) -> App {
    let argv = argv(c);
    let refused = |program: &'static str, message: String| App::Refused { program, message };
    let first = argv.first().map_or("", |w| program(w));
    let rest = argv.get(1..).unwrap_or_default();
    let sub = rest.first().map(String::as_str);
    let after_sub = rest.get(1..).unwrap_or_default();
    match (first, sub) {
        ("fortio", Some("load")) => {
            loadgen::fortio(after_sub).map_or_else(|e| refused("fortio", e), App::Load)
        }
        ("fortio", Some("server")) => {
            server::fortio_server(after_sub).map_or_else(|e| refused("fortio", e), App::Server)
        }
        ("hey", _) => loadgen::hey(rest).map_or_else(|e| refused("hey", e), App::Load),
        ("agnhost", Some("netexec")) => {
            server::netexec(after_sub).map_or_else(|e| refused("agnhost", e), App::Server)
        }
        ("agnhost", Some("serve-hostname")) => {
            server::serve_hostname(after_sub).map_or_else(|e| refused("agnhost", e), App::Server)
        }
        ("http-echo", _) => {
            server::http_echo(rest).map_or_else(|e| refused("http-echo", e), App::Server)
        }
        ("fake-service", _) => {
            server::fake_service(c).map_or_else(|e| refused("fake-service", e), App::Server)
        }
        ("sh" | "bash" | "ash" | "dash", Some("-c")) => {
            match after_sub.first().and_then(|s| loadgen::shell_loop(s)) {
                Some(Ok(l)) => App::Load(l),
                Some(Err(e)) => refused("sh", e),
                None => App::Server(server::other(c)),
            }
        }
        _ => App::Server(server::other(c)),
    }
}

/// The container with a client card's edit written into its command line; refused in
/// the tool's terms when it cannot express the edit or the container is no generator.
pub fn edit_container(c: &Container, edit: &LoadEdit) -> Result<Container, String> {
    let App::Load(spec) = app_of(c) else {
        return Err(format!("container {} runs no load generator", c.name));
    };
    if let Some(r) = edit.rate
        && !(1..=MAX_CLIENT_RATE).contains(&r)
    {
        return Err(match spec.tool {
            Tool::Fortio if r == 0 => {
                "fortio: -qps 0 means no rate limit, not a pause; delete the client pod to stop it"
                    .to_owned()
            }
            Tool::Hey if r == 0 => {
                "hey: -q 0 means no rate limit, not a pause; delete the client pod to stop it"
                    .to_owned()
            }
            _ if r == 0 => "a shell loop cannot pause: delete its pod to stop it".to_owned(),
            _ => format!(
                "the playground sends at most {MAX_CLIENT_RATE} requests per second per client"
            ),
        });
    }
    if let Some(n) = edit.connections
        && !(1..=MAX_CONNECTIONS).contains(&n)
    {
        return Err(format!(
            "-c: the playground keeps 1 to {MAX_CONNECTIONS} connections per client"
        ));
    }
    let full = argv(c);
    // The words the tool's edit works on: after `fortio`, after `hey`, the loop's
    // `-c SCRIPT` after the shell.
    let skip = 1;
    let Some(words) = full.get(skip..) else {
        return Err("empty command".into());
    };
    let mut edited = loadgen::edit_args(spec.tool, words, edit)?;
    if let Some(url) = &edit.target {
        retarget::check_target(&spec, url)?;
        edited = retarget::set_target(spec.tool, &edited, url)?;
    }
    let mut new_full: Vec<String> = full[..skip].to_vec();
    new_full.extend(edited);
    let mut out = c.clone();
    let keep_command = !c.command.is_empty()
        && c.command.len() <= new_full.len()
        && new_full[..c.command.len()] == c.command[..]
        && c.command
            .iter()
            .skip(skip)
            .all(|w| !w.starts_with('-') || w == "-c");
    if c.command.is_empty() {
        // The image's entrypoint runs; `args` hold everything after it.
        out.args = new_full.get(1..).unwrap_or_default().to_vec();
    } else if keep_command {
        out.args = new_full[c.command.len()..].to_vec();
    } else {
        out.command = new_full;
        out.args.clear();
    }
    Ok(out)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
