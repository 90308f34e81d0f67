//! Requests as the view remembers them: a log of the last seconds of drained
//! requests, the routes between clients, Services and pods, and requests in flight.

use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use svcplay_core::world::RequestOutcome;
use svcplay_core::{Request, SimTime};

use crate::model::{ServiceView, ShareRow, ShareView};
use crate::palette::Colour;

/// How long a request takes to travel client → Service → pod, in simulated ms.
pub const FLIGHT_MILLIS: u64 = 900;

/// How long a pod flashes after a request reaches it, in simulated ms.
pub const FLASH_MILLIS: u64 = 300;

/// The window the request-share panel counts over, in simulated ms.
pub const SHARE_WINDOW_MILLIS: u64 = 10_000;

/// A request the core reported, with names shared so copies are cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flight {
    /// The client that sent it.
    pub client: Rc<str>,
    /// The Service it was addressed to.
    pub service: Rc<str>,
    /// The pod that served it; `None` when refused, dropped or unreachable.
    pub pod: Option<Rc<str>>,
    /// The node a request from outside entered by (the core's trace); `None` from
    /// inside.
    pub via: Option<Rc<str>>,
    /// When it was sent.
    pub sent: SimTime,
    /// What happened to it.
    pub fate: Fate,
}

/// What happened to a request, as drawn: a dot that reaches its pod, a cross at the
/// Service (refused at once), a ring that fades (dropped: the client times out), or
/// nothing sent (no address to send to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fate {
    /// An endpoint answered.
    #[default]
    Served,
    /// Connection refused.
    Refused,
    /// Silently dropped.
    Dropped,
    /// The client had nothing to address.
    Unreachable,
}

impl From<Request> for Flight {
    fn from(r: Request) -> Self {
        let fate = match r.outcome {
            RequestOutcome::Served => Fate::Served,
            RequestOutcome::Refused(_) => Fate::Refused,
            RequestOutcome::Dropped(_) => Fate::Dropped,
            RequestOutcome::Unreachable(_) => Fate::Unreachable,
        };
        let via = r
            .trace
            .as_ref()
            .and_then(|t| t.entry_node())
            .map(Into::into);
        Flight {
            client: r.client.into(),
            service: r.service.into(),
            pod: r.pod.map(Into::into),
            via,
            sent: r.at,
            fate,
        }
    }
}

/// The requests of the last [`SHARE_WINDOW_MILLIS`], oldest first, with running
/// per-Service counts over the same window (kept as requests come and go, so the share
/// panel does not recount ten thousand requests on every render).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestLog {
    items: VecDeque<Flight>,
    counts: BTreeMap<Rc<str>, WindowCount>,
}

/// One Service's requests in the window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WindowCount {
    /// Requests addressed to it.
    pub total: u32,
    /// Of those, refused.
    pub refused: u32,
    /// Of those, dropped or unreachable.
    pub lost: u32,
    /// Served, by pod.
    pub per_pod: BTreeMap<Rc<str>, u32>,
}

impl RequestLog {
    /// Appends what the core drained and forgets what fell out of the window.
    pub fn record(&mut self, requests: Vec<Request>, now: SimTime) {
        for f in requests.into_iter().map(Flight::from) {
            let c = self.counts.entry(f.service.clone()).or_default();
            c.total += 1;
            match (&f.pod, f.fate) {
                (Some(pod), _) => *c.per_pod.entry(pod.clone()).or_default() += 1,
                (None, Fate::Refused) => c.refused += 1,
                (None, _) => c.lost += 1,
            }
            self.items.push_back(f);
        }
        while self
            .items
            .front()
            .is_some_and(|f| now.millis_since(f.sent) > SHARE_WINDOW_MILLIS)
        {
            let Some(f) = self.items.pop_front() else {
                break;
            };
            let Some(c) = self.counts.get_mut(&f.service) else {
                continue;
            };
            c.total = c.total.saturating_sub(1);
            match &f.pod {
                Some(pod) => {
                    if let Some(n) = c.per_pod.get_mut(pod) {
                        *n = n.saturating_sub(1);
                        if *n == 0 {
                            c.per_pod.remove(pod);
                        }
                    }
                }
                None if f.fate == Fate::Refused => c.refused = c.refused.saturating_sub(1),
                None => c.lost = c.lost.saturating_sub(1),
            }
            if c.total == 0 {
                self.counts.remove(&f.service);
            }
        }
    }

    /// Requests sent within `millis` before `now`, newest first.
    pub fn within(&self, now: SimTime, millis: u64) -> impl Iterator<Item = &Flight> {
        self.items
            .iter()
            .rev()
            .take_while(move |f| now.millis_since(f.sent) <= millis)
    }

    /// A Service's requests in the window.
    pub fn count(&self, service: &str) -> Option<&WindowCount> {
        self.counts.get(service)
    }

    /// How many requests it holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Something a route starts or ends at; the canvas finds it by its `data-*` hook.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Anchor {
    /// `[data-client=name]`.
    Client(Rc<str>),
    /// `[data-service=name]`.
    Service(Rc<str>),
    /// `[data-pod=name]`.
    Pod(Rc<str>),
}

/// A line from a client to a Service, or from a Service to one of its ready endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Start.
    pub from: Anchor,
    /// End.
    pub to: Anchor,
    /// The Service's colour.
    pub colour: Colour,
    /// A client's requests cannot get to the Service (e.g. a ClusterIP from outside):
    /// drawn dashed, stopping at the cluster's edge.
    pub blocked: bool,
}

/// A request in flight, for the canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct FlightView {
    /// Where it started.
    pub client: Rc<str>,
    /// The Service it goes through.
    pub service: Rc<str>,
    /// Where it ends; `None` when the Service refused or dropped it.
    pub pod: Option<Rc<str>>,
    /// The node a request from outside entered by, drawn as a hop between the Service
    /// and the pod (or where it was refused or dropped).
    pub via: Option<Rc<str>>,
    /// What happened to it.
    pub fate: Fate,
    /// The Service's colour.
    pub colour: Colour,
    /// 0 at the client, 1 at the pod; the hops (client → Service, Service → entry
    /// node when there is one, → pod) share it equally.
    pub progress: f64,
}

/// The requests in flight at `now`, each hop taking half of [`FLIGHT_MILLIS`].
pub fn flights(log: &RequestLog, services: &[ServiceView], now: SimTime) -> Vec<FlightView> {
    let colours: BTreeMap<&str, Colour> = services
        .iter()
        .map(|s| (s.name.as_str(), s.colour))
        .collect();
    let mut out: Vec<FlightView> = log
        .within(now, FLIGHT_MILLIS)
        .map(|f| FlightView {
            client: f.client.clone(),
            service: f.service.clone(),
            pod: f.pod.clone(),
            via: f.via.clone(),
            fate: f.fate,
            colour: colours.get(&*f.service).copied().unwrap_or_default(),
            progress: now.millis_since(f.sent) as f64 / FLIGHT_MILLIS as f64,
        })
        .collect();
    out.reverse();
    out
}

/// The core's expected long-run share of each Service's requests, by pod
/// (`World::expected_shares`).
pub type Expected = BTreeMap<String, BTreeMap<String, f64>>;

/// Per Service, each pod's share of the requests in the window against the share the
/// core expects it to serve (`expected`, from `World::expected_shares`). Rows are the
/// Service's ready endpoints, the pods that served in the window and the pods the core
/// expects to serve.
pub fn shares(log: &RequestLog, services: &[ServiceView], expected: &Expected) -> Vec<ShareView> {
    let empty = WindowCount::default();
    let none = BTreeMap::new();
    services
        .iter()
        .map(|s| {
            let c = log.count(&s.name).unwrap_or(&empty);
            let exp = expected.get(&s.name).unwrap_or(&none);
            let mut pods: Vec<&str> = s.endpoints.iter().map(String::as_str).collect();
            pods.extend(c.per_pod.keys().map(|p| &**p));
            pods.extend(exp.keys().map(String::as_str));
            pods.sort_unstable();
            pods.dedup();
            let rows = pods
                .into_iter()
                .map(|pod| {
                    let served = c.per_pod.get(pod).copied().unwrap_or(0);
                    ShareRow {
                        pod: pod.to_owned(),
                        served,
                        share: if c.total == 0 {
                            0.0
                        } else {
                            f64::from(served) / f64::from(c.total)
                        },
                        expected: exp.get(pod).copied().unwrap_or(0.0),
                    }
                })
                .collect();
            ShareView {
                service: s.name.clone(),
                colour: s.colour,
                total: c.total,
                refused: c.refused,
                lost: c.lost,
                rows,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcplay_core::proxy::RefuseReason;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn req(at: u64, service: &str, pod: Option<&str>) -> Request {
        Request {
            at: SimTime(at),
            client: "c".to_owned(),
            service: service.to_owned(),
            pod: pod.map(str::to_owned),
            endpoint_ip: None,
            node: None,
            dst: None,
            trace: None,
            outcome: match pod {
                Some(_) => RequestOutcome::Served,
                None => RequestOutcome::Refused(RefuseReason::NoEndpoints),
            },
        }
    }

    fn svc(name: &str, endpoints: &[&str]) -> ServiceView {
        ServiceView {
            name: name.to_owned(),
            endpoints: endpoints.iter().map(|&e| e.to_owned()).collect(),
            ..ServiceView::default()
        }
    }

    #[test]
    fn log_forgets_old_requests() {
        let mut log = RequestLog::default();
        log.record(
            vec![req(0, "a", Some("p")), req(5_000, "a", Some("p"))],
            SimTime(5_000),
        );
        assert_eq!(log.len(), 2);
        log.record(vec![req(10_500, "a", None)], SimTime(10_500));
        assert_eq!(log.len(), 2, "the request at 0 fell out of the 10 s window");
        assert_eq!(log.within(SimTime(10_500), 1_000).count(), 1);
        let c = log.count("a").cloned().unwrap_or_default();
        assert_eq!(
            (c.total, c.refused, c.per_pod.get("p").copied()),
            (2, 1, Some(1))
        );
        log.record(Vec::new(), SimTime(30_000));
        assert!(
            log.is_empty() && log.count("a").is_none(),
            "counts leave with their requests"
        );
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
    fn requests_from_outside_fly_through_the_node_they_entered_by() {
        let mut w = svcplay_core::scenario::default_world(svcplay_core::scenario::DEFAULT_SEED);
        w.set_service_type("prod", "LoadBalancer").unwrap();
        w.step(10_000);
        let now = w.now();
        let mut log = RequestLog::default();
        log.record(w.drain_requests(), now);
        let vias = |client: &str| -> Vec<Option<Rc<str>>> {
            log.items
                .iter()
                .filter(|f| &*f.client == client && &*f.service == "prod")
                .map(|f| f.via.clone())
                .collect()
        };
        let outside = vias("user");
        assert!(!outside.is_empty());
        assert!(
            outside
                .iter()
                .all(|n| matches!(n.as_deref(), Some("node-a" | "node-b"))),
            "{outside:?}"
        );
        let inside = vias("client");
        assert!(!inside.is_empty() && inside.iter().all(Option::is_none));
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
        let s = shares(&log, &[svc("a", &["p1", "p2"]), svc("b", &[])], &expected);
        assert_eq!((s[0].total, s[0].refused), (5, 1));
        let rows: Vec<(&str, u32, f64, f64)> = s[0]
            .rows
            .iter()
            .map(|r| (r.pod.as_str(), r.served, r.share, r.expected))
            .collect();
        assert_eq!(
            rows,
            [
                ("gone", 1, 0.2, 0.0),
                ("p1", 2, 0.4, 0.6),
                ("p2", 1, 0.2, 0.1),
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
        );
        assert_eq!(s[0].rows.len(), 1);
        assert_eq!(
            s[0].rows[0].expected, 0.0,
            "no client sends: nothing expected"
        );
    }
}
