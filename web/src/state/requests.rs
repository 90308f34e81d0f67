//! The requests the view remembers: the last seconds of requests drained from the
//! core, with running per-Service counts over the same window (for the animation and
//! the request-share panel).
//!
//! Pods and Services are named as the page names them ([`crate::model::names`]): by
//! name in `default`, `namespace/name` elsewhere.
//! An app's calls to its upstreams (nested in the request that caused them) are
//! flights of their own, one leg later, starting at the calling pod.

use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use svcplay_core::proxy::Outcome;
use svcplay_core::{Request, SimTime};

use crate::model::names::ref_of;

/// The window the request-share panel counts over, in simulated ms.
pub const SHARE_WINDOW_MILLIS: u64 = 10_000;

/// How many legs of a chain of upstream calls the log keeps (the request itself is
/// leg 0).
pub const MAX_LEGS: u8 = 3;

/// A request the core reported, with names shared so copies are cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flight {
    /// The client that sent it (a pod's name for an app's upstream call).
    pub client: Rc<str>,
    /// Whether an app in pod `client` sent it (a call to its upstream).
    pub from_pod: bool,
    /// Which leg of its chain it is: 0 for a client's request, 1 for the call its pod
    /// made, and so on; it flies once the legs before it have.
    pub leg: u8,
    /// The Service it was addressed to (empty when its target names none).
    pub service: Rc<str>,
    /// The pod that served it; `None` when refused, dropped or unreachable.
    pub pod: Option<Rc<str>>,
    /// The node a request from outside entered by (the core's trace); `None` from
    /// inside.
    pub via: Option<Rc<str>>,
    /// When it was sent.
    pub sent: SimTime,
    /// What happened to it: the core's outcome (served, refused, dropped, unreachable).
    pub outcome: Outcome,
    /// Whether it failed because the sender's DNS lookup found no address (the core's
    /// `Request::unresolved`): it never reached kube-proxy.
    pub unresolved: bool,
}

impl Flight {
    fn of(r: &Request, leg: u8) -> Self {
        let via = r
            .trace
            .as_ref()
            .and_then(|t| t.entry_node())
            .map(Into::into);
        Flight {
            client: r.client.as_str().into(),
            from_pod: leg > 0,
            leg,
            service: r.service.as_ref().map(ref_of).unwrap_or_default().into(),
            pod: r.pod().map(|p| ref_of(p).into()),
            via,
            sent: r.at,
            outcome: r.outcome.clone(),
            unresolved: r.unresolved().is_some(),
        }
    }

    /// The request and its upstream calls, depth first, up to [`MAX_LEGS`].
    fn flatten(r: &Request, leg: u8, out: &mut Vec<Flight>) {
        out.push(Flight::of(r, leg));
        if leg + 1 < MAX_LEGS {
            for up in &r.upstream {
                Flight::flatten(up, leg + 1, out);
            }
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
    /// Flights in the window per leg: how far back the canvas must look.
    legs: [u32; MAX_LEGS as usize],
}

/// One Service's requests in the window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WindowCount {
    /// Requests addressed to it.
    pub total: u32,
    /// Of those, refused.
    pub refused: u32,
    /// Of those, dropped or unreachable (DNS failures apart).
    pub lost: u32,
    /// Of those, failed at the sender's DNS lookup.
    pub unresolved: u32,
    /// Served, by pod.
    pub per_pod: BTreeMap<Rc<str>, u32>,
}

impl RequestLog {
    /// Appends what the core drained and forgets what fell out of the window.
    pub fn record(&mut self, requests: Vec<Request>, now: SimTime) {
        let mut flights = Vec::with_capacity(requests.len());
        for r in &requests {
            Flight::flatten(r, 0, &mut flights);
        }
        for f in flights {
            if let Some(n) = self.legs.get_mut(usize::from(f.leg)) {
                *n += 1;
            }
            let c = self.counts.entry(f.service.clone()).or_default();
            c.total += 1;
            match (&f.pod, &f.outcome) {
                (Some(pod), _) => *c.per_pod.entry(pod.clone()).or_default() += 1,
                (None, Outcome::Refused(_)) => c.refused += 1,
                (None, _) if f.unresolved => c.unresolved += 1,
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
            if let Some(n) = self.legs.get_mut(usize::from(f.leg)) {
                *n = n.saturating_sub(1);
            }
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
                None if matches!(f.outcome, Outcome::Refused(_)) => {
                    c.refused = c.refused.saturating_sub(1);
                }
                None if f.unresolved => c.unresolved = c.unresolved.saturating_sub(1),
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

    /// The deepest leg of a chain of calls in the window (0 when no app called an
    /// upstream).
    pub fn max_leg(&self) -> u8 {
        self.legs
            .iter()
            .rposition(|n| *n > 0)
            .and_then(|i| u8::try_from(i).ok())
            .unwrap_or(0)
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use svcplay_core::objects::NamespacedName;
    use svcplay_core::objects::ServiceType;
    use svcplay_core::proxy::{RefuseReason, ServicePortName};
    use svcplay_core::world::Command;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A request to `service`, served by `pod` or refused.
    pub(crate) fn req(at: u64, service: &str, pod: Option<&str>) -> Request {
        Request {
            at: SimTime(at),
            client: "c".to_owned(),
            service: Some(NamespacedName::default_ns(service)),
            dst: None,
            trace: None,
            answer: None,
            connection: None,
            upstream: Vec::new(),
            outcome: match pod {
                Some(p) => Outcome::Served {
                    service: Some(std::sync::Arc::new(ServicePortName {
                        namespace: "default".into(),
                        name: service.into(),
                        port: "http".into(),
                    })),
                    pod: Some(std::sync::Arc::new(NamespacedName::default_ns(p))),
                    ip: std::net::IpAddr::from([10, 244, 0, 2]),
                    port: 8080,
                    node: "n".into(),
                    source_seen: std::net::IpAddr::from([10, 244, 0, 9]),
                    crossed_nodes: false,
                },
                None => Outcome::Refused(RefuseReason::NoEndpoints),
            },
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
    fn requests_from_outside_fly_through_the_node_they_entered_by() {
        let mut w = svcplay_core::scenario::default_world(svcplay_core::scenario::DEFAULT_SEED);
        w.apply(Command::SetServiceType {
            service: NamespacedName::default_ns("prod"),
            service_type: ServiceType::LoadBalancer,
        })
        .unwrap();
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
    fn dns_failures_are_counted_apart_from_lost_requests() {
        // shopper calls the short name `api`, which only exists in namespace shop: its
        // resolver's search list (default first) finds no address.
        let mut w = svcplay_core::scenario::default_world(svcplay_core::scenario::DEFAULT_SEED);
        let manifests = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: shopper\nspec:\n  containers:\n    - name: fortio\n      image: fortio/fortio\n      args: [load, -qps, \"10\", -c, \"1\", -t, \"0\", http://api/hostname]\n";
        svcplay_core::manifest::apply_import(&mut w, manifests).unwrap();
        w.step(4_000);
        let now = w.now();
        let mut log = RequestLog::default();
        log.record(w.drain_requests(), now);
        let failed: Vec<&Flight> = log.items.iter().filter(|f| f.unresolved).collect();
        assert!(
            failed.len() >= 10,
            "shopper's lookups fail: {}",
            failed.len()
        );
        assert!(
            failed
                .iter()
                .all(|f| &*f.client == "shopper" && f.pod.is_none())
        );
        let c = log.count(&failed[0].service).cloned().unwrap_or_default();
        let of_service = failed
            .iter()
            .filter(|f| f.service == failed[0].service)
            .count();
        assert_eq!(usize::try_from(c.unresolved).unwrap(), of_service);
        let lost_unresolved = log
            .items
            .iter()
            .filter(|f| f.service == failed[0].service && f.pod.is_none() && !f.unresolved)
            .filter(|f| !matches!(f.outcome, Outcome::Refused(_)))
            .count();
        assert_eq!(
            usize::try_from(c.lost).unwrap(),
            lost_unresolved,
            "DNS failures are not lost requests"
        );
        let service = failed[0].service.clone();
        log.record(Vec::new(), SimTime(now.0 + 60_000));
        assert!(log.count(&service).is_none(), "they leave with the window");
    }
}
