//! The recent traffic the console's `traffic` verb reports: per simulated second, how
//! many requests each client sent to each Service, which pod served them, and how many
//! of them opened a new connection to a pod (requests on a kept-alive or HTTP/2
//! connection open none: conntrack keeps them on the pod their connection reached).
//! An app's calls to its upstream Services count like a client's, under the calling
//! pod's name.
//!
//! The shell feeds it the requests it drains from the world ([`TrafficWindow::observe`]),
//! and [`TrafficWindow::watch`] (`sleep`, the CLI's settle) lets time run while it counts;
//! it keeps at most [`MAX_WINDOW_SECS`] seconds, so its size is bounded by that times
//! the number of (Service, pod, client) triples that were active.
//! Requests that name no Service (a client or app configured with a pod's IP) are not
//! counted: the verb reports Services.

use std::collections::{BTreeMap, VecDeque};

use crate::objects::NamespacedName;
use crate::world::{PENDING_REQUESTS_WINDOW_MILLIS, Request, World};

/// The longest window `traffic --window` may ask for, in seconds.
pub const MAX_WINDOW_SECS: u64 = 300;

/// `(service, pod or None, client)`.
pub type Key = (NamespacedName, Option<NamespacedName>, String);

/// Counts for one key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Requests sent.
    pub requests: u64,
    /// Connections opened to a pod.
    pub connections: u64,
}

/// Per-second counts of the last [`MAX_WINDOW_SECS`] seconds.
#[derive(Debug, Clone, Default)]
pub struct TrafficWindow {
    /// `(second, counts)`, oldest first.
    seconds: VecDeque<(u64, BTreeMap<Key, Counts>)>,
}

impl TrafficWindow {
    /// Counts requests the world reported (in time order) and forgets seconds older than
    /// the longest window before the newest one.
    pub fn observe(&mut self, requests: &[Request]) {
        for r in requests {
            self.count(r);
        }
        if let Some(&(newest, _)) = self.seconds.back() {
            while self
                .seconds
                .front()
                .is_some_and(|(s, _)| s + MAX_WINDOW_SECS <= newest)
            {
                self.seconds.pop_front();
            }
        }
    }

    /// Counts one request and, after it, the upstream calls its app made (bounded: each
    /// app makes at most its declared upstream calls per request it serves).
    fn count(&mut self, r: &Request) {
        let second = r.at.as_millis() / 1000;
        if self.seconds.back().is_none_or(|(s, _)| *s < second) {
            self.seconds.push_back((second, BTreeMap::new()));
        }
        let slot = self
            .seconds
            .iter_mut()
            .rev()
            .find(|(s, _)| *s <= second)
            .map(|(_, m)| m);
        if let (Some(map), Some(service)) = (slot, r.service.as_ref()) {
            let pod = r.pod().cloned();
            let opened = pod.is_some() && r.connection.is_some_and(|c| c.opened);
            let c = map
                .entry((service.clone(), pod, r.client.clone()))
                .or_default();
            c.requests += 1;
            c.connections += u64::from(opened);
        }
        for u in &r.upstream {
            self.count(u);
        }
    }

    /// The counts of the `secs` seconds up to `now_ms` (the second `now_ms` falls in
    /// included), by key.
    pub fn totals(&self, now_ms: u64, secs: u64) -> BTreeMap<Key, Counts> {
        let now = now_ms / 1000;
        let from = (now + 1).saturating_sub(secs);
        let mut out: BTreeMap<Key, Counts> = BTreeMap::new();
        for (_, map) in self.seconds.iter().filter(|(s, _)| *s >= from && *s <= now) {
            for (k, c) in map {
                let t = out.entry(k.clone()).or_default();
                t.requests += c.requests;
                t.connections += c.connections;
            }
        }
        out
    }

    /// Lets `ms` of simulated time run in `world`, counting every request: the world
    /// keeps only the last [`PENDING_REQUESTS_WINDOW_MILLIS`] of requests for the shell,
    /// so a longer run is stepped in slices of that length and each earlier slice's
    /// requests are counted here; the last slice's stay in the world for the shell to
    /// drain (and count, through [`TrafficWindow::observe`]), as after a short step.
    pub fn watch(&mut self, world: &mut World, ms: u64) {
        let mut left = ms;
        while left > PENDING_REQUESTS_WINDOW_MILLIS {
            world.step(PENDING_REQUESTS_WINDOW_MILLIS);
            left -= PENDING_REQUESTS_WINDOW_MILLIS;
            self.observe(&world.drain_requests());
        }
        world.step(left);
    }

    /// Forgets everything (a reset of the world).
    pub fn clear(&mut self) {
        self.seconds.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_world;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn counts_the_window_and_forgets_what_is_older_than_the_longest() {
        let mut w = default_world(5);
        let mut win = TrafficWindow::default();
        w.step(10_000);
        win.observe(&w.drain_requests());
        let all = win.totals(w.now().as_millis(), 30);
        let prod = NamespacedName::default_ns("prod");
        let from_client: u64 = all
            .iter()
            .filter(|((s, p, c), _)| *s == prod && p.is_some() && c == "client")
            .map(|(_, n)| n.requests)
            .sum();
        // The client pod runs from 2 s: 8 requests a second for 8 s.
        assert!(
            (60..=72).contains(&from_client),
            "8/s for ~8 s: {from_client}"
        );
        let unreachable = all
            .iter()
            .find(|((s, p, c), _)| *s == prod && p.is_none() && c == "user")
            .map(|(_, n)| *n)
            .unwrap();
        assert!(unreachable.requests > 0);
        assert_eq!(unreachable.connections, 0, "nothing to connect to");
        let last_two = win.totals(w.now().as_millis(), 2);
        let recent: u64 = last_two.values().map(|c| c.requests).sum();
        let total: u64 = all.values().map(|c| c.requests).sum();
        assert!(recent < total / 3, "{recent} of {total}");
        w.step(MAX_WINDOW_SECS * 1000 + 5_000);
        win.observe(&w.drain_requests());
        assert!(win.seconds.len() as u64 <= MAX_WINDOW_SECS);
    }

    #[test]
    fn a_sleep_longer_than_the_world_keeps_requests_is_counted_whole() {
        use crate::kubectl::console::Console;
        use crate::world::Command;

        let mut w = default_world(5);
        w.step(5_000);
        w.apply(Command::SetClientRate {
            client: "client".into(),
            service: NamespacedName::default_ns("prod"),
            rate_per_sec: 10,
        })
        .unwrap();
        let mut c = Console::new();
        c.observe(&w.drain_requests());
        let start = w.now().as_millis();
        // A minute: six times the 10 s the world keeps for the shell.
        assert!(c.run(&mut w, "sleep 1m").ok);
        // The shell drains after the line, as the page and the CLI do.
        c.observe(&w.drain_requests());
        let now = w.now().as_millis();
        assert_eq!(now - start, 60_000);
        let json = c.run(&mut w, "traffic --window 1m -o json").stdout;
        let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        let from_client: u64 = rows
            .iter()
            .filter(|r| r["service"] == "prod" && !r["pod"].is_null() && r["client"] == "client")
            .filter_map(|r| r["requests"].as_u64())
            .sum();
        // 10 req/s for the minute: the window's first second may fall just outside.
        assert!(
            (590..=600).contains(&from_client),
            "every slice of the sleep counted: {from_client}"
        );
    }
}
