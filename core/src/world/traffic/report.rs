//! A client's results as its tool reports them at the end of a run: fortio's return
//! codes (`Code 200 : 1234 (99.9 %)`, `-1` for socket errors) and sockets used
//! (`Sockets used: 5 (for perfect keepalive, would be 4)`).
//!
//! Upstream: fortio/fortio@45e18710 `fhttp/httprunner.go` (the summary lines),
//! `fhttp/http_client.go` (`SocketError = -1`; a dead reused socket is reconnected once
//! without an error).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Request;

/// What a client's tool counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientReport {
    /// Requests by code: the HTTP status, or -1 for a socket error.
    pub codes: BTreeMap<i32, u64>,
    /// Connections opened.
    pub sockets: u64,
    /// Connections the server side closed that the client noticed and reopened.
    pub reconnects: u64,
}

impl ClientReport {
    pub(super) fn record(&mut self, req: &Request) {
        *self.codes.entry(req.code()).or_insert(0) += 1;
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
        };
        assert_eq!((r.total(), r.errors()), (1000, 2));
        assert_eq!(
            r.fortio_summary(4),
            "Sockets used: 5 (for perfect keepalive, would be 4)\nCode  -1 : 1 (0.1 %)\nCode 200 : 998 (99.8 %)\nCode 503 : 1 (0.1 %)\n"
        );
    }
}
