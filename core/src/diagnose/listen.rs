//! Where an app listens, read from its container's flags and environment, for the apps
//! people put behind a Service to test it.
//!
//! Upstream (flag names and defaults):
//! - hashicorp/http-echo@078c8075bfc530d102815048d9ee886c8e15bdd7 `main.go`:
//!   `-listen` (default `:5678`).
//! - kubernetes/kubernetes@04791b4906602ffda5ccf9bc4c84d3329f1d7080
//!   `test/images/agnhost/netexec/netexec.go`: `netexec --http-port` (default 8080),
//!   `--udp-port` (default 8081, `-1` off); `test/images/agnhost/serve-hostname`:
//!   `--port` (default 9376).
//! - nicholasjackson/fake-service@014228c8087d5392920b6bd815e42b452bb74515 `main.go`:
//!   env `LISTEN_ADDR` (default `0.0.0.0:9090`).
//! - nginx's default server `listen 80`; traefik/whoami `--port` (default 80).
//!
//! Simplification: for any other image only explicit flags count (`--port`, `-port`,
//! `--listen`, `--bind`, `--host`, `--address`, `--addr`) and the `PORT`/`LISTEN_ADDR`
//! environment conventions; these are marked uncertain, so a mismatch is a warning.
//! Configuration files (an nginx.conf from a ConfigMap) are not read.

use super::raw::RawContainer;
use crate::objects::Protocol;

/// One socket an app listens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    /// The port.
    pub port: i32,
    /// The host part (`""` for every address).
    pub host: String,
    /// TCP or UDP.
    pub protocol: Protocol,
    /// Where this was read: `-listen=:5678`, `LISTEN_ADDR=…`, `http-echo's default :5678`.
    pub source: String,
    /// Read from a known app's own flags (true) or from a convention (false).
    pub certain: bool,
}

impl Listen {
    /// Whether the host is a loopback address: only the pod itself can connect.
    pub fn loopback(&self) -> bool {
        let h = self.host.trim_start_matches('[').trim_end_matches(']');
        h == "localhost" || h == "::1" || h.starts_with("127.")
    }

    /// `127.0.0.1:5678` or `:5678`.
    pub fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// The image's name without registry, tag or digest: `hashicorp/http-echo:1.0` →
/// `http-echo`.
pub fn image_name(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

/// The words of the command line: `command` then `args`, each split on whitespace (so
/// `sh -c "app --port 80"` is read too), `$(VAR)` replaced from the env.
fn words(c: &RawContainer) -> Vec<String> {
    c.command
        .iter()
        .chain(&c.args)
        .flat_map(|a| {
            a.split_whitespace()
                .map(|w| expand(w, c))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn expand(w: &str, c: &RawContainer) -> String {
    let mut out = w.to_owned();
    for (k, v) in &c.env {
        out = out.replace(&format!("$({k})"), v);
    }
    out.trim_matches(|ch| ch == '"' || ch == '\'').to_owned()
}

/// The value of flag `name` (`-name=v`, `--name=v`, `-name v`, `--name v`), the last
/// one winning as Go's `flag` and pflag do; with the text as written.
fn flag(words: &[String], name: &str) -> Option<(String, String)> {
    let mut found = None;
    for (i, w) in words.iter().enumerate() {
        let bare = w.trim_start_matches('-');
        if !w.starts_with('-') || w.starts_with("---") {
            continue;
        }
        if let Some(v) = bare.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            found = Some((v.to_owned(), w.clone()));
        } else if bare == name
            && let Some(v) = words.get(i + 1)
        {
            found = Some((v.clone(), format!("{w} {v}")));
        }
    }
    found
}

/// `host:port`, `:port` or `port`.
fn split_addr(a: &str) -> Option<(String, i32)> {
    match a.rsplit_once(':') {
        Some((h, p)) => Some((h.to_owned(), p.parse().ok()?)),
        None => Some((String::new(), a.parse().ok()?)),
    }
}

fn at(addr: &str, source: String, certain: bool) -> Option<Listen> {
    let (host, port) = split_addr(addr)?;
    Some(Listen {
        port,
        host,
        protocol: Protocol::Tcp,
        source,
        certain,
    })
}

fn port(p: i32, protocol: Protocol, source: String) -> Listen {
    Listen {
        port: p,
        host: String::new(),
        protocol,
        source,
        certain: true,
    }
}

/// Where the container's app listens; empty when its image and flags say nothing.
pub fn listens(c: &RawContainer) -> Vec<Listen> {
    let w = words(c);
    let image = image_name(&c.image);
    match image {
        "http-echo" => match flag(&w, "listen") {
            Some((v, src)) => at(&v, src, true).into_iter().collect(),
            None => at(":5678", "http-echo's default -listen=:5678".into(), true)
                .into_iter()
                .collect(),
        },
        "agnhost" => agnhost(&w),
        "fake-service" => match c.env.get("LISTEN_ADDR") {
            Some(v) => at(v, format!("LISTEN_ADDR={v}"), true)
                .into_iter()
                .collect(),
            None => at(
                "0.0.0.0:9090",
                "fake-service's default LISTEN_ADDR=0.0.0.0:9090".into(),
                true,
            )
            .into_iter()
            .collect(),
        },
        "nginx" if c.command.is_empty() && c.args.is_empty() => {
            vec![port(
                80,
                Protocol::Tcp,
                "nginx's default server (listen 80)".into(),
            )]
        }
        "nginx-unprivileged" if c.command.is_empty() && c.args.is_empty() => {
            vec![port(
                8080,
                Protocol::Tcp,
                "nginx-unprivileged's default server (listen 8080)".into(),
            )]
        }
        "whoami" => match flag(&w, "port") {
            Some((v, src)) => v
                .parse()
                .map(|p| port(p, Protocol::Tcp, src))
                .into_iter()
                .collect(),
            None => vec![port(80, Protocol::Tcp, "whoami's default --port 80".into())],
        },
        _ => generic(c, &w),
    }
}

fn agnhost(w: &[String]) -> Vec<Listen> {
    let sub = w
        .iter()
        .find(|x| !x.starts_with('-') && !x.ends_with("agnhost"))
        .map(String::as_str);
    let int = |name: &str, default: i32| match flag(w, name) {
        Some((v, src)) => (v.parse().unwrap_or(default), src),
        None => (
            default,
            format!("agnhost {}'s default --{name}={default}", sub.unwrap_or("")),
        ),
    };
    match sub {
        Some("netexec") => {
            let (h, hs) = int("http-port", 8080);
            let (u, us) = int("udp-port", 8081);
            let mut out = vec![port(h, Protocol::Tcp, hs)];
            if u != -1 {
                out.push(port(u, Protocol::Udp, us));
            }
            out
        }
        Some("serve-hostname") => {
            let (p, src) = int("port", 9376);
            let on = |name: &str, default: bool| {
                flag(w, name).map_or(default, |(v, _)| v != "false")
                    || w.iter().any(|x| x == &format!("--{name}"))
            };
            let mut out = Vec::new();
            if on("http", true) || on("tcp", false) {
                out.push(port(p, Protocol::Tcp, src.clone()));
            }
            if on("udp", false) {
                out.push(port(p, Protocol::Udp, src));
            }
            out
        }
        _ => match flag(w, "port") {
            Some((v, src)) => v
                .parse()
                .map(|p| port(p, Protocol::Tcp, src))
                .into_iter()
                .collect(),
            None => Vec::new(),
        },
    }
}

fn generic(c: &RawContainer, w: &[String]) -> Vec<Listen> {
    let uncertain = |mut l: Listen| {
        l.certain = false;
        l
    };
    for name in [
        "listen",
        "listen-address",
        "address",
        "addr",
        "bind-address",
    ] {
        if let Some((v, src)) = flag(w, name)
            && v.contains(':')
            && let Some(l) = at(&v, src, false)
        {
            return vec![l];
        }
    }
    let host = ["host", "bind", "address", "addr", "bind-address"]
        .iter()
        .find_map(|n| flag(w, n).filter(|(v, _)| !v.contains(':')));
    let p = flag(w, "port")
        .and_then(|(v, src)| Some((v.parse::<i32>().ok()?, src)))
        .or_else(|| {
            let v = c.env.get("PORT")?;
            Some((v.parse().ok()?, format!("PORT={v}")))
        });
    if let Some(v) = c.env.get("LISTEN_ADDR")
        && let Some(l) = at(v, format!("LISTEN_ADDR={v}"), false)
    {
        return vec![l];
    }
    match (p, host) {
        (Some((p, src)), Some((h, hsrc))) => vec![uncertain(Listen {
            port: p,
            host: h,
            protocol: Protocol::Tcp,
            source: format!("{src} {hsrc}"),
            certain: false,
        })],
        (Some((p, src)), None) => vec![uncertain(port(p, Protocol::Tcp, src))],
        (None, Some((h, hsrc))) if h != "0.0.0.0" && !h.is_empty() => vec![Listen {
            port: 0,
            host: h,
            protocol: Protocol::Tcp,
            source: hsrc,
            certain: false,
        }],
        _ => Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn c(image: &str, args: &[&str], env: &[(&str, &str)]) -> RawContainer {
        RawContainer {
            name: "app".into(),
            image: image.into(),
            command: Vec::new(),
            args: args.iter().map(|s| (*s).to_owned()).collect(),
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn known_apps_and_their_defaults() {
        let l = listens(&c("hashicorp/http-echo:1.0", &["-text=hi"], &[]));
        assert_eq!(
            (l[0].port, l[0].host.as_str(), l[0].certain),
            (5678, "", true)
        );
        let l = listens(&c(
            "hashicorp/http-echo",
            &["-listen=127.0.0.1:8080", "-text=x"],
            &[],
        ));
        assert_eq!((l[0].port, l[0].loopback()), (8080, true));
        let l = listens(&c(
            "registry.k8s.io/e2e-test-images/agnhost:2.47",
            &["netexec", "--http-port", "9000", "--udp-port=-1"],
            &[],
        ));
        assert_eq!(l.len(), 1);
        assert_eq!((l[0].port, &l[0].protocol), (9000, &Protocol::Tcp));
        let l = listens(&c("agnhost:2.47", &["serve-hostname"], &[]));
        assert_eq!(l[0].port, 9376);
        let l = listens(&c(
            "nicholasjackson/fake-service:v0.26.0",
            &[],
            &[("LISTEN_ADDR", "127.0.0.1:9090")],
        ));
        assert!(l[0].loopback());
        assert_eq!(listens(&c("nginx:1.27", &[], &[]))[0].port, 80);
        assert!(listens(&c("gcr.io/app/server:v1", &[], &[])).is_empty());
        let l = listens(&c("app", &["--port=$(P)"], &[("P", "7000")]));
        assert_eq!((l[0].port, l[0].certain), (7000, false));
    }
}
