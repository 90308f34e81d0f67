//! The servers the playground's pods run, read from their flags and environment: where
//! they listen, whether they keep connections open, what they answer, which upstream
//! Services they call for each request, and how long they keep serving after SIGTERM.
//!
//! - agnhost `netexec` (`--http-port`, default 8080; `--delay-shutdown` seconds after
//!   SIGTERM, default 0: it exits at once): `/hostname` answers the pod's name, `/`
//!   the time, `/echo?msg=…&code=…` the message with that status.
//!   Upstream: kubernetes/kubernetes@1c9cf914 `test/images/agnhost/netexec/netexec.go`.
//! - agnhost `serve-hostname` (`--port`, default 9376; `--close` closes each HTTP
//!   connection after its answer): the pod's name on every path.
//!   Upstream: kubernetes/kubernetes@a999493a
//!   `test/images/agnhost/serve-hostname/serve_hostname.go`.
//! - hashicorp/http-echo (`-listen`, default `:5678`; `-text`, required; `-status-code`,
//!   default 200). Upstream: hashicorp/http-echo@b69bfb9d `main.go`.
//! - nicholasjackson/fake-service, configured by its environment: `LISTEN_ADDR`
//!   (default `0.0.0.0:9090`), `NAME`, `MESSAGE`, `UPSTREAM_URIS` (comma-separated URLs
//!   it calls, in order, for every request it serves; a failed call makes its answer
//!   500), `HTTP_SERVER_KEEP_ALIVES` and `HTTP_CLIENT_KEEP_ALIVES` (both default false:
//!   one connection per request). This is how the playground declares that an app
//!   calls another Service. Upstream: nicholasjackson/fake-service@f2194ab5 `main.go`,
//!   `handlers/request_http.go`.
//! - `fortio server` (the fortio image's default command): HTTP echo on `-http-port`
//!   (default 8080), gRPC ping and health on `-grpc-port` (default 8079).
//!
//! Simplification: only netexec's SIGTERM handling is modelled; every other server keeps
//! serving until its grace period ends (as an app ignoring SIGTERM would). fake-service's
//! error rates, timings, workers and gRPC mode are not read. A container the playground
//! does not recognise listens on every TCP `containerPort` it declares (on any port when
//! it declares none), keeps connections open and answers 200.

use super::flags::{FlagTable, Kind, parse_go, parse_pflag};
use super::target::Target;
use crate::objects::Container;

/// The servers the playground knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerKind {
    /// agnhost `netexec`.
    Netexec,
    /// agnhost `serve-hostname`.
    ServeHostname,
    /// hashicorp/http-echo.
    HttpEcho,
    /// nicholasjackson/fake-service.
    FakeService,
    /// `fortio server`.
    FortioServer,
    /// Something else: it serves its declared ports.
    Other,
}

/// A port a server listens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listener {
    /// The port.
    pub port: u16,
    /// Whether it speaks gRPC (else HTTP).
    pub grpc: bool,
}

/// What a server does, read from its container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSpec {
    /// Which server.
    pub kind: ServerKind,
    /// Where it listens; empty for [`ServerKind::Other`] with no declared ports (any).
    pub listeners: Vec<Listener>,
    /// Whether a connection stays open after an answer.
    pub keepalive: bool,
    /// The Services (URLs) it calls for every request it serves, in order.
    pub upstreams: Vec<Target>,
    /// Whether its calls reuse one connection per upstream.
    pub upstream_keepalive: bool,
    /// After SIGTERM, how long until it exits (`None`: it keeps serving until killed).
    pub sigterm_exit_ms: Option<u64>,
    /// http-echo's `-text`, fake-service's `MESSAGE`.
    pub text: String,
    /// fake-service's `NAME`.
    pub name: String,
    /// http-echo's `-status-code`.
    pub status: u16,
}

impl ServerSpec {
    fn new(kind: ServerKind, listeners: Vec<Listener>) -> Self {
        ServerSpec {
            kind,
            listeners,
            keepalive: true,
            upstreams: Vec::new(),
            upstream_keepalive: false,
            sigterm_exit_ms: None,
            text: String::new(),
            name: String::new(),
            status: 200,
        }
    }

    /// Whether it accepts connections on `port`; `Some(grpc)` says what it speaks there.
    pub fn listens(&self, port: u16) -> Option<bool> {
        if self.kind == ServerKind::Other && self.listeners.is_empty() {
            return Some(false);
        }
        self.listeners
            .iter()
            .find(|l| l.port == port)
            .map(|l| l.grpc && self.kind != ServerKind::Other)
    }

    /// Whether it answers gRPC as well as HTTP on its port (an unknown app is taken to
    /// answer whatever it is asked).
    pub fn speaks(&self, port: u16, grpc: bool) -> bool {
        match self.listens(port) {
            None => false,
            Some(_) if self.kind == ServerKind::Other => true,
            Some(g) => g == grpc,
        }
    }

    /// The HTTP status it answers `path` with (what [`ServerSpec::answer`] answers,
    /// without making the body).
    pub fn status(&self, path: &str) -> u16 {
        match self.kind {
            ServerKind::Netexec => {
                let (route, query) = path.split_once('?').unwrap_or((path, ""));
                if route != "/echo" {
                    return 200;
                }
                query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("code="))
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(200)
            }
            ServerKind::HttpEcho => self.status,
            _ => 200,
        }
    }

    /// The HTTP status and body it answers `path` with, as pod `pod` at `now_ms`.
    pub fn answer(&self, path: &str, pod: &str, now_ms: u64) -> (u16, String) {
        let (route, query) = path.split_once('?').unwrap_or((path, ""));
        let param = |key: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
                .map(str::to_owned)
        };
        match self.kind {
            ServerKind::Netexec => match route {
                "/hostname" | "/hostName" => (200, pod.to_owned()),
                "/echo" => {
                    let code = param("code").and_then(|c| c.parse().ok()).unwrap_or(200);
                    (code, param("msg").unwrap_or_default())
                }
                _ => (200, format!("NOW: {}", crate::SimTime(now_ms))),
            },
            ServerKind::ServeHostname => (200, pod.to_owned()),
            ServerKind::HttpEcho => (self.status, format!("{}\n", self.text)),
            ServerKind::FakeService => (
                200,
                format!(
                    "{{\n  \"name\": \"{}\",\n  \"uri\": \"{route}\",\n  \"type\": \"HTTP\",\n  \"body\": \"{}\",\n  \"code\": 200\n}}\n",
                    self.name, self.text
                ),
            ),
            ServerKind::FortioServer | ServerKind::Other => (200, String::new()),
        }
    }
}

const NETEXEC_FLAGS: FlagTable = &[
    ("http-port", Kind::Value),
    ("udp-port", Kind::Value),
    ("sctp-port", Kind::Value),
    ("delay-shutdown", Kind::Value),
    ("http-override", Kind::Value),
    ("tls-cert-file", Kind::Value),
    ("tls-private-key-file", Kind::Value),
    ("udp-listen-addresses", Kind::Value),
];

const SERVE_HOSTNAME_FLAGS: FlagTable = &[
    ("port", Kind::Value),
    ("tcp", Kind::Bool),
    ("udp", Kind::Bool),
    ("http", Kind::Bool),
    ("close", Kind::Bool),
];

const HTTP_ECHO_FLAGS: FlagTable = &[
    ("listen", Kind::Value),
    ("text", Kind::Value),
    ("status-code", Kind::Value),
    ("version", Kind::Bool),
    ("transparent", Kind::Bool),
];

const FORTIO_SERVER_FLAGS: FlagTable = &[
    ("http-port", Kind::Value),
    ("grpc-port", Kind::Value),
    ("tcp-port", Kind::Value),
    ("udp-port", Kind::Value),
    ("redirect-port", Kind::Value),
    ("ui-path", Kind::Value),
    ("config-dir", Kind::Value),
    ("data-dir", Kind::Value),
    ("loglevel", Kind::Value),
    ("echo-debug-path", Kind::Value),
    ("base-url", Kind::Value),
    ("cert", Kind::Value),
    ("key", Kind::Value),
    ("cacert", Kind::Value),
    ("mtls", Kind::Bool),
    ("pprof", Kind::Bool),
];

/// A port from a flag: a number or `[host]:port`.
fn port_of(text: &str, flag: &str) -> Result<u16, String> {
    let p = text.rsplit(':').next().unwrap_or(text);
    p.parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("invalid value {text:?} for flag {flag}: not a port"))
}

/// agnhost `netexec ARGS` (the words after `netexec`).
pub fn netexec(args: &[String]) -> Result<ServerSpec, String> {
    let p = parse_pflag(args, NETEXEC_FLAGS)?;
    let port = port_of(p.get("http-port").unwrap_or("8080"), "--http-port")?;
    let delay = p.int("delay-shutdown", 0)?;
    let mut s = ServerSpec::new(ServerKind::Netexec, vec![Listener { port, grpc: false }]);
    s.sigterm_exit_ms = Some(
        u64::try_from(delay.max(0))
            .unwrap_or(0)
            .saturating_mul(1000),
    );
    Ok(s)
}

/// agnhost `serve-hostname ARGS`.
pub fn serve_hostname(args: &[String]) -> Result<ServerSpec, String> {
    let p = parse_pflag(args, SERVE_HOSTNAME_FLAGS)?;
    let port = port_of(p.get("port").unwrap_or("9376"), "--port")?;
    let mut s = ServerSpec::new(
        ServerKind::ServeHostname,
        vec![Listener { port, grpc: false }],
    );
    s.keepalive = !p.bool("close", false)?;
    Ok(s)
}

/// hashicorp/http-echo `ARGS`; refused as it refuses (`Missing -text option!`).
pub fn http_echo(args: &[String]) -> Result<ServerSpec, String> {
    let p = parse_go(args, HTTP_ECHO_FLAGS)?;
    if !p.positional.is_empty() {
        return Err("Too many arguments!".into());
    }
    let text = p.get("text").unwrap_or_default();
    if text.is_empty() {
        return Err("Missing -text option!".into());
    }
    let port = port_of(p.get("listen").unwrap_or(":5678"), "-listen")?;
    let mut s = ServerSpec::new(ServerKind::HttpEcho, vec![Listener { port, grpc: false }]);
    s.text = text.to_owned();
    let code = p.int("status-code", 200)?;
    s.status = u16::try_from(code)
        .ok()
        .filter(|c| (100..=999).contains(c))
        .unwrap_or(200);
    Ok(s)
}

/// `fortio server ARGS`.
pub fn fortio_server(args: &[String]) -> Result<ServerSpec, String> {
    let p = parse_go(args, FORTIO_SERVER_FLAGS)?;
    let mut listeners = vec![Listener {
        port: port_of(p.get("http-port").unwrap_or("8080"), "-http-port")?,
        grpc: false,
    }];
    match p.get("grpc-port").unwrap_or("8079") {
        "disabled" => {}
        g => listeners.push(Listener {
            port: port_of(g, "-grpc-port")?,
            grpc: true,
        }),
    }
    Ok(ServerSpec::new(ServerKind::FortioServer, listeners))
}

/// fake-service, from its container's environment.
pub fn fake_service(c: &Container) -> Result<ServerSpec, String> {
    let env = |k: &str| c.env_value(k).filter(|v| !v.is_empty());
    let flag = |k: &str| -> Result<bool, String> {
        env(k).map_or(Ok(false), |v| {
            super::flags::parse_bool(v).ok_or_else(|| format!("{k}: invalid boolean {v:?}"))
        })
    };
    let port = port_of(env("LISTEN_ADDR").unwrap_or("0.0.0.0:9090"), "LISTEN_ADDR")?;
    let mut s = ServerSpec::new(
        ServerKind::FakeService,
        vec![Listener { port, grpc: false }],
    );
    s.keepalive = flag("HTTP_SERVER_KEEP_ALIVES")?;
    s.upstream_keepalive = flag("HTTP_CLIENT_KEEP_ALIVES")?;
    s.name = env("NAME").unwrap_or("Service").to_owned();
    s.text = env("MESSAGE").unwrap_or("Hello World").to_owned();
    for uri in env("UPSTREAM_URIS").unwrap_or_default().split(',') {
        let uri = uri.trim();
        if !uri.is_empty() {
            s.upstreams.push(Target::parse_url(uri)?);
        }
    }
    Ok(s)
}

/// A container the playground does not recognise: its declared TCP ports.
pub fn other(c: &Container) -> ServerSpec {
    let listeners = c
        .ports
        .iter()
        .filter(|p| p.protocol.is_unset() || p.protocol == crate::objects::Protocol::Tcp)
        .filter_map(|p| u16::try_from(p.container_port).ok())
        .map(|port| Listener { port, grpc: false })
        .collect();
    ServerSpec::new(ServerKind::Other, listeners)
}
