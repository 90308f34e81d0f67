//! Traffic views from the request log and the core: requests in flight, and each
//! pod's share of a Service's requests against the core's expectation.

use std::collections::BTreeMap;

use svcplay_core::SimTime;

use crate::model::traffic::{FLIGHT_MILLIS, FlightView};
use crate::model::{ServiceView, ShareRow, ShareView};
use crate::palette::Colour;
use crate::state::{RequestLog, WindowCount};

/// The requests in flight at `now`, each taking [`FLIGHT_MILLIS`]; an app's call to
/// its upstream flies once the request that caused it has arrived (one flight later
/// per leg).
pub fn flights(log: &RequestLog, services: &[ServiceView], now: SimTime) -> Vec<FlightView> {
    let colours: BTreeMap<&str, Colour> = services
        .iter()
        .map(|s| (s.name.as_str(), s.colour))
        .collect();
    let window = FLIGHT_MILLIS * (1 + u64::from(log.max_leg()));
    let mut out: Vec<FlightView> = log
        .within(now, window)
        .filter_map(|f| {
            let age = now.millis_since(f.sent);
            let start = FLIGHT_MILLIS * u64::from(f.leg);
            if age < start || age > start + FLIGHT_MILLIS {
                return None;
            }
            Some(FlightView {
                client: f.client.clone(),
                from_pod: f.from_pod,
                service: f.service.clone(),
                pod: f.pod.clone(),
                via: f.via.clone(),
                outcome: f.outcome.clone(),
                colour: colours.get(&*f.service).copied().unwrap_or_default(),
                progress: (age - start) as f64 / FLIGHT_MILLIS as f64,
            })
        })
        .collect();
    out.reverse();
    out
}

/// The core's expected long-run share of each Service's requests, by pod name
/// (`World::expected_shares`, for the namespace on screen).
pub type Expected = BTreeMap<String, BTreeMap<String, f64>>;

/// Open connections per Service and pod name (`World::connections`).
pub type Connections = BTreeMap<String, BTreeMap<String, usize>>;

/// Per Service, each pod's share of the requests in the window against the share the
/// core expects it to serve (`expected`, from `World::expected_shares`). Rows are the
/// Service's ready endpoints, the pods that served in the window and the pods the core
/// expects to serve.
pub fn shares(
    log: &RequestLog,
    services: &[ServiceView],
    expected: &Expected,
    connections: &Connections,
) -> Vec<ShareView> {
    let empty = WindowCount::default();
    let none = BTreeMap::new();
    let no_conns = BTreeMap::new();
    services
        .iter()
        .map(|s| {
            let c = log.count(&s.name).unwrap_or(&empty);
            let exp = expected.get(&s.name).unwrap_or(&none);
            let conns = connections.get(&s.name).unwrap_or(&no_conns);
            let mut pods: Vec<&str> = s.endpoints.iter().map(String::as_str).collect();
            pods.extend(c.per_pod.keys().map(|p| &**p));
            pods.extend(exp.keys().map(String::as_str));
            pods.extend(conns.keys().map(String::as_str));
            svcplay_core::sort::sort(&mut pods);
            pods.dedup();
            // Shares of the requests that reached a pod, against the core's expectation
            // of the same (its long-run shares, scaled to sum to one over the pods):
            // requests that never reached a pod are counted apart.
            let reached: u32 = c.per_pod.values().sum();
            let exp_sum: f64 = exp.values().sum();
            let rows = pods
                .into_iter()
                .map(|pod| {
                    let served = c.per_pod.get(pod).copied().unwrap_or(0);
                    let x = exp.get(pod).copied().unwrap_or(0.0);
                    ShareRow {
                        pod: pod.to_owned(),
                        served,
                        share: if reached == 0 {
                            0.0
                        } else {
                            f64::from(served) / f64::from(reached)
                        },
                        expected: if exp_sum > 0.0 { x / exp_sum } else { 0.0 },
                        connections: conns.get(pod).copied().unwrap_or(0),
                    }
                })
                .collect();
            ShareView {
                service: s.name.clone(),
                colour: s.colour,
                total: c.total,
                refused: c.refused,
                lost: c.lost,
                unresolved: c.unresolved,
                reached,
                rows,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::requests::tests::req;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn svc(name: &str, endpoints: &[&str]) -> ServiceView {
        ServiceView {
            name: name.to_owned(),
            endpoints: endpoints.iter().map(|&e| e.to_owned()).collect(),
            ..ServiceView::default()
        }
    }

    #[test]
    fn flights_progress_over_the_flight_time() {
        let mut log = RequestLog::default();
        log.record(
            vec![req(100, "a", Some("p")), req(1_000, "a", None)],
            SimTime(1_000),
        );
        let f = flights(&log, &[svc("a", &["p"])], SimTime(1_000));
        assert_eq!(f.len(), 2, "both are younger than 900 ms");
        assert!((f[0].progress - 1.0).abs() < 1e-9);
        assert_eq!(f[1].progress, 0.0);
        assert_eq!(f[1].pod, None);
    }

    #[test]
    fn shares_against_the_core_s_expectation() {
        let mut log = RequestLog::default();
        let reqs = vec![
            req(1, "a", Some("p1")),
            req(2, "a", Some("p1")),
            req(3, "a", Some("p2")),
            req(4, "a", Some("gone")),
            req(5, "a", None),
        ];
        log.record(reqs, SimTime(10));
        // As under a Local policy: p1 gets most, p2 little, `term` (serving but
        // terminating, so not a ready endpoint) some.
        let expected: Expected = [(
            "a".to_owned(),
            [("p1", 0.6), ("p2", 0.1), ("term", 0.3)]
                .into_iter()
                .map(|(p, x)| (p.to_owned(), x))
                .collect(),
        )]
        .into();
        let s = shares(
            &log,
            &[svc("a", &["p1", "p2"]), svc("b", &[])],
            &expected,
            &Connections::new(),
        );
        assert_eq!((s[0].total, s[0].refused, s[0].reached), (5, 1, 4));
        let rows: Vec<(&str, u32, f64, f64)> = s[0]
            .rows
            .iter()
            .map(|r| (r.pod.as_str(), r.served, r.share, r.expected))
            .collect();
        assert_eq!(
            rows,
            [
                ("gone", 1, 0.25, 0.0),
                ("p1", 2, 0.5, 0.6),
                ("p2", 1, 0.25, 0.1),
                ("term", 0, 0.0, 0.3)
            ]
        );
        assert!(
            s[1].rows.is_empty(),
            "a Service with no endpoints, no traffic and no expectation has no rows"
        );
    }

    #[test]
    fn without_an_expectation_the_ticks_are_zero() {
        let s = shares(
            &RequestLog::default(),
            &[svc("a", &["p1"])],
            &Expected::new(),
            &Connections::new(),
        );
        assert_eq!(s[0].rows.len(), 1);
        assert_eq!(
            s[0].rows[0].expected, 0.0,
            "no client sends: nothing expected"
        );
    }
}
