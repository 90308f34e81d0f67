//! A client's results as its tool reports them at the end of a run: fortio's return
//! codes (`Code 200 : 1234 (99.9 %)`, `-1` for socket errors) and sockets used
//! (`Sockets used: 5 (for perfect keepalive, would be 4)`).
//!
//! A request whose host the sender's resolver could not turn into an address
//! (NXDOMAIN, or a name with no records) is a DNS failure, counted apart
//! ([`ClientReport::unresolved`]) and said in the tool's words
//! ([`ClientReport::unresolved_line`]): it never reached kube-proxy, and it is not the
//! outside user's "unreachable from outside" (a Service with no way in).
//!
//! Upstream: fortio/fortio@45e18710 `fhttp/httprunner.go` (the summary lines),
//! `fhttp/http_client.go` (`SocketError = -1`; a dead reused socket is reconnected once
//! without an error); fortio/fortio@a9c068e3 `fnet/network.go` `Resolve` (`Unable to
//! lookup '%s' : %v`, the error being Go's `*net.DNSError`: `lookup HOST on
//! SERVER:53: no such host`); curl's `CURLE_COULDNT_RESOLVE_HOST` (6, `Could not
//! resolve host: HOST`); busybox wget's `bad address 'HOST'`; hey's errors are Go
//! `net/http`'s (`Get "URL": dial tcp: lookup HOST on SERVER:53: no such host`).
//!
//! Simplification: Go reports a name with no records as `no such host` too, and so
//! does the model; each tool's line is the one for the last failure, not a log.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::Arc;

use super::Request;
use crate::apps::loadgen::Tool;
use crate::proxy::{Hop, Outcome};

/// What a client's tool counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientReport {
    /// Requests by code: the HTTP status, or -1 for a socket error.
    pub codes: BTreeMap<i32, u64>,
    /// Connections opened.
    pub sockets: u64,
    /// Connections the server side closed that the client noticed and reopened.
    pub reconnects: u64,
    /// Requests whose host did not resolve (also counted as `-1` in `codes`).
    pub unresolved: u64,
    /// The last unresolved host and the nameserver asked, for the tool's words.
    pub last_unresolved: Option<(Arc<str>, IpAddr)>,
}

impl ClientReport {
    pub(super) fn record(&mut self, req: &Request) {
        *self.codes.entry(req.code()).or_insert(0) += 1;
        if let Some((host, server)) = req.unresolved() {
            self.unresolved += 1;
            self.last_unresolved = Some((host.clone(), server));
        }
    }

    /// What `tool` prints for the last request whose host did not resolve, with the
    /// count: `3 × Unable to lookup 'api.shop' : lookup api.shop on 10.96.0.10:53: no
    /// such host`; `None` when every host resolved.
    pub fn unresolved_line(&self, tool: Tool, url: &str) -> Option<String> {
        let (host, server) = self.last_unresolved.as_ref()?;
        let go = format!("lookup {host} on {}: no such host", dns_server(*server));
        let line = match tool {
            Tool::Fortio => format!("Unable to lookup '{host}' : {go}"),
            Tool::Hey => format!("Get \"{url}\": dial tcp: {go}"),
            Tool::Curl => format!("curl: (6) Could not resolve host: {host}"),
            Tool::Wget => format!("wget: bad address '{host}'"),
            Tool::Outside => format!("could not resolve host: {host}"),
        };
        Some(format!("{} × {line}", self.unresolved))
    }

    /// Requests sent.
    pub fn total(&self) -> u64 {
        self.codes.values().sum()
    }

    /// Requests that did not get a 2xx answer.
    pub fn errors(&self) -> u64 {
        self.codes
            .iter()
            .filter(|(c, _)| !(200..300).contains(*c))
            .map(|(_, n)| n)
            .sum()
    }

    /// fortio's closing lines for a run with `connections` threads.
    pub fn fortio_summary(&self, connections: u32) -> String {
        let mut out = format!(
            "Sockets used: {} (for perfect keepalive, would be {connections})\n",
            self.sockets
        );
        let total = self.total().max(1) as f64;
        for (code, n) in &self.codes {
            let pct = 100.0 * *n as f64 / total;
            let _ = writeln!(out, "Code {code:3} : {n} ({pct:.1} %)");
        }
        out
    }
}

/// `IP:53` as Go writes a nameserver (`[IP]:53` for IPv6).
fn dns_server(ip: IpAddr) -> String {
    std::net::SocketAddr::new(ip, 53).to_string()
}

impl Request {
    /// The host and the nameserver asked, when the request failed because the sender's
    /// resolver found no address for its host (the DNS hop of its trace answered
    /// nothing): a DNS failure inside the cluster, as the tool reports it.
    pub fn unresolved(&self) -> Option<(&Arc<str>, IpAddr)> {
        if !matches!(self.outcome, Outcome::Unreachable(_)) {
            return None;
        }
        self.trace.as_ref()?.hops.iter().find_map(|h| match h {
            Hop::Dns {
                name,
                address: None,
                server,
                ..
            } => Some((name, *server)),
            _ => None,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn fortio_prints_codes_and_sockets() {
        let r = ClientReport {
            codes: BTreeMap::from([(-1, 1), (200, 998), (503, 1)]),
            sockets: 5,
            reconnects: 1,
            ..ClientReport::default()
        };
        assert_eq!((r.total(), r.errors()), (1000, 2));
        assert_eq!(
            r.fortio_summary(4),
            "Sockets used: 5 (for perfect keepalive, would be 4)\nCode  -1 : 1 (0.1 %)\nCode 200 : 998 (99.8 %)\nCode 503 : 1 (0.1 %)\n"
        );
    }

    #[test]
    fn a_name_that_does_not_resolve_is_a_dns_failure_not_unreachable_from_outside() {
        use crate::objects::NamespacedName;
        let mut w = crate::scenario::default_world(crate::scenario::DEFAULT_SEED);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: shopper\nspec:\n  containers:\n    - name: fortio\n      image: fortio/fortio\n      args: [load, -qps, \"10\", -c, \"1\", -t, \"0\", http://api.shop/hostname]\n";
        crate::manifest::apply_import(&mut w, pod).unwrap();
        w.step(5_000);
        let api = NamespacedName::new("shop", "api");
        let shopper = w.clients().iter().find(|c| c.name == "shopper").unwrap();
        let r = &shopper.report;
        assert!(r.unresolved >= 20, "{r:?}");
        assert_eq!(
            r.codes.get(&-1),
            Some(&r.unresolved),
            "fortio counts them as -1"
        );
        assert_eq!(w.requests_unresolved(&api), r.unresolved);
        assert_eq!(
            w.requests_unreachable(&api),
            0,
            "not \"unreachable from outside\""
        );
        let url = "http://api.shop/hostname";
        assert_eq!(
            r.unresolved_line(Tool::Fortio, url).unwrap(),
            format!(
                "{} × Unable to lookup 'api.shop' : lookup api.shop on 10.96.0.10:53: no such host",
                r.unresolved
            )
        );
        let n = r.unresolved;
        assert_eq!(
            r.unresolved_line(Tool::Curl, url).unwrap(),
            format!("{n} × curl: (6) Could not resolve host: api.shop")
        );
        assert_eq!(
            r.unresolved_line(Tool::Hey, url).unwrap(),
            format!(
                "{n} × Get \"{url}\": dial tcp: lookup api.shop on 10.96.0.10:53: no such host"
            )
        );
        // The outside user's requests to a ClusterIP Service stay "unreachable".
        let prod = NamespacedName::default_ns("prod");
        assert_eq!(w.requests_unresolved(&prod), 0);
        assert_eq!(
            ClientReport::default().unresolved_line(Tool::Fortio, url),
            None
        );
    }
}
