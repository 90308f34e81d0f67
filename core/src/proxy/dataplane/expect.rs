//! Where a client's new connections go in the long run: the probability of each
//! endpoint serving one, read off the programmed data plane without routing anything.
//!
//! [`Dataplane::expected_split`] follows the same path as [`Dataplane::route`] (the
//! same capture, the same per-node lists from `CategorizeEndpoints`, the same verdicts)
//! but where `route` draws, it weighs every branch:
//! - the cloud LB in front of the nodes picks a node uniformly (every node under
//!   `externalTrafficPolicy: Cluster`, the nodes passing the health check under
//!   `Local`), so each such node carries an equal part;
//! - on the node, the list is the cluster-wide one, or the node-local one under a Local
//!   policy (for external traffic that is not short-circuited, or for internal traffic
//!   under `internalTrafficPolicy: Local`); the terminating fallback is already in the
//!   lists (serving-terminating endpoints only when no ready one is usable);
//! - iptables and nftables pick uniformly per connection, and IPVS `rr` cycles through
//!   the list, so each endpoint of the list gets `1/len`;
//! - IPVS `sh` hashes the source address: the one endpoint of its bucket gets it all;
//! - IPVS `lc` picks the endpoint with the fewest active connections, first in list
//!   order on a tie.
//!
//! Simplification: `lc` is read as the simulation runs it: every connection closes as
//! soon as it opens (see `world::traffic`), so `lc` never sees an active connection and
//! the first endpoint of the list gets every connection. Under real long-lived
//! connections `lc` would spread them by their durations, which the model does not have.
//!
//! Session affinity (ClientIP): each node keeps its own pins, keyed by the client's
//! source address. The expectation is that of the client's next new connection: where
//! the entry node holds a live pin for the client to an endpoint still in the list,
//! that endpoint gets it all (every new connection refreshes the pin, so a client that
//! keeps sending stays there); where it holds none yet, the algorithm above picks the
//! endpoint that becomes the pin, so its probabilities are the chance of each endpoint
//! being the one the client sticks to. Once a client has sent, the expectation is
//! therefore the all-to-one split it will keep.
//!
//! Upstream: the same rules as [`Dataplane::route`] (kubernetes/kubernetes
//! `pkg/proxy/iptables/proxier.go` `syncProxyRules`, `pkg/proxy/topology.go`
//! `CategorizeEndpoints`; Linux `ip_vs_rr.c`, `ip_vs_lc.c`, `ip_vs_sh.c`).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::route::{Entry, LbNodes};
use super::{Dataplane, Plan};
use crate::proxy::balance::{IpvsScheduler, ProxyMode, source_hash_bucket};
use crate::proxy::trace::{Client, Request};
use crate::sim::SimTime;

/// Endpoint `(IP, port)` → probability that it serves a connection. The probabilities
/// sum to at most 1; the rest is refused or dropped.
pub type Split = BTreeMap<(IpAddr, u16), f64>;

impl Dataplane {
    /// The long-run probability of each endpoint serving a new connection `req` at
    /// `now` (see the module docs for the rules weighed). Nothing is routed and no
    /// state changes. An empty split means every such connection is refused or dropped.
    pub fn expected_split(&self, req: &Request, now: SimTime) -> Split {
        let mut out = Split::new();
        let (src, client_node) = self.source(&req.client);
        let client_idx = match client_node {
            Some(name) => match self.node_by_name.get(name) {
                Some(&i) => Some(i),
                None => return out,
            },
            None => None,
        };
        let from_pod = matches!(req.client, Client::Pod { .. });
        // Hops are not wanted here; the vector only receives what `entry` writes.
        let mut hops = Vec::new();
        match self.entry(req, src, client_idx, from_pod, &mut hops) {
            Err(_) => {}
            Ok(Entry::Plan(plan)) => self.weigh(&plan, src, now, 1.0, &mut out),
            Ok(Entry::LoadBalancer(pi)) => {
                let Some(port) = self.ports.get(pi) else {
                    return out;
                };
                let nodes: Vec<usize> = match self.lb_nodes(port) {
                    Err(_) => return out,
                    Ok(LbNodes::All(n)) => (0..n).collect(),
                    Ok(LbNodes::Healthy(h)) => h.to_vec(),
                };
                let w = 1.0 / nodes.len().max(1) as f64;
                for n in nodes {
                    hops.clear();
                    if let Ok(plan) = self.through_lb(req, pi, n, &mut hops) {
                        self.weigh(&plan, src, now, w, &mut out);
                    }
                }
            }
        }
        out
    }

    /// Adds `weight` × the endpoint choice of `plan` for a client at `src` to `out`.
    fn weigh(&self, plan: &Plan, src: IpAddr, now: SimTime, weight: f64, out: &mut Split) {
        let (Some(port), Some(node)) = (self.ports.get(plan.port), self.nodes.get(plan.node))
        else {
            return;
        };
        let list: &[usize] = port
            .view(plan.node, node.zone)
            .and_then(|v| {
                if plan.local {
                    v.local.as_deref()
                } else {
                    v.cluster.as_deref()
                }
            })
            .unwrap_or(&[]);
        if list.is_empty() {
            return;
        }
        let eps = &port.endpoints;
        let mut add = |pos: usize, w: f64| {
            if let Some(e) = list.get(pos).and_then(|&i| eps.get(i)) {
                *out.entry((e.ip, e.port)).or_insert(0.0) += w;
            }
        };
        if let Some(t) = port.info.affinity_timeout_secs
            && let Some(pin) = node.affinity.get(port.key, src)
            && now.millis_since(pin.last_seen) <= u64::from(t) * 1000
            && let Some(i) = port.index.get(&pin.endpoint)
            && let Ok(pos) = list.binary_search(i)
        {
            add(pos, weight);
            return;
        }
        match self.config.mode {
            ProxyMode::Iptables | ProxyMode::Nftables | ProxyMode::Ipvs(IpvsScheduler::Rr) => {
                let each = weight / list.len() as f64;
                for pos in 0..list.len() {
                    add(pos, each);
                }
            }
            ProxyMode::Ipvs(IpvsScheduler::Lc) => add(0, weight),
            ProxyMode::Ipvs(IpvsScheduler::Sh) => {
                let bucket = usize::try_from(source_hash_bucket(src)).unwrap_or(0);
                add(bucket % list.len(), weight);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::proxy::types::{Endpoint, NodeInfo, Protocol, ServicePortInfo, ServicePortName};
    use crate::proxy::{Outcome, ProxyConfig};
    use crate::sim::SimRng;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const LB: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 10));
    const OUTSIDE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

    /// Nodes n0..n2 at 192.168.0.10..12.
    fn node_ip(i: u8) -> IpAddr {
        IpAddr::from([192, 168, 0, 10 + i])
    }

    fn port(external_local: bool, internal_local: bool) -> ServicePortInfo {
        ServicePortInfo {
            name: ServicePortName {
                namespace: "default".into(),
                name: "web".into(),
                port: String::new(),
            },
            protocol: Protocol::Tcp,
            cluster_ip: IpAddr::from([10, 96, 0, 1]),
            port: 80,
            node_port: 30080,
            load_balancer_ips: vec![LB],
            external_ips: Vec::new(),
            load_balancer_source_ranges: Vec::new(),
            external_policy_local: external_local,
            internal_policy_local: internal_local,
            affinity_timeout_secs: None,
            health_check_node_port: 0,
        }
    }

    /// Endpoint `10.244.0.<last>:8080` on node `n<node>`.
    fn ep(last: u8, node: u8) -> Endpoint {
        Endpoint::ready(IpAddr::from([10, 244, 0, last]), 8080, &format!("n{node}"))
    }

    fn plane(mode: ProxyMode, info: ServicePortInfo, eps: Vec<Endpoint>) -> Dataplane {
        let mut dp = Dataplane::new(ProxyConfig {
            mode,
            ..ProxyConfig::default()
        });
        let nodes = (0..3u8)
            .map(|i| NodeInfo {
                name: format!("n{i}"),
                ip: node_ip(i),
                zone: None,
            })
            .collect();
        dp.sync(nodes, vec![(info, eps)]);
        dp
    }

    /// One endpoint on n0, two on n1, none on n2.
    fn three() -> Vec<Endpoint> {
        vec![ep(1, 0), ep(2, 1), ep(3, 1)]
    }

    fn outside(dst: IpAddr, port: u16) -> Request {
        Request {
            client: Client::External { ip: OUTSIDE },
            dst,
            port,
            protocol: Protocol::Tcp,
        }
    }

    fn pod_on(node: u8) -> Request {
        Request {
            client: Client::Pod {
                node: format!("n{node}"),
                ip: IpAddr::from([10, 244, 9, 9]),
            },
            dst: IpAddr::from([10, 96, 0, 1]),
            port: 80,
            protocol: Protocol::Tcp,
        }
    }

    /// The split as `(last octet, probability)`, rounded to 1e-9.
    fn shares(split: &Split) -> Vec<(u8, f64)> {
        split
            .iter()
            .map(|((ip, _), p)| {
                let IpAddr::V4(v4) = ip else { unreachable!() };
                (v4.octets()[3], (p * 1e9).round() / 1e9)
            })
            .collect()
    }

    const THIRD: f64 = 0.333_333_333;

    #[test]
    fn cluster_policy_splits_equally_among_every_ready_endpoint() {
        let dp = plane(ProxyMode::Iptables, port(false, false), three());
        let s = dp.expected_split(&pod_on(2), SimTime::ZERO);
        assert_eq!(shares(&s), [(1, THIRD), (2, THIRD), (3, THIRD)]);
        let s = dp.expected_split(&outside(LB, 80), SimTime::ZERO);
        assert_eq!(shares(&s), [(1, THIRD), (2, THIRD), (3, THIRD)]);
    }

    #[test]
    fn external_local_keeps_traffic_on_the_entry_node() {
        let dp = plane(ProxyMode::Iptables, port(true, false), three());
        let at = |n: u8| shares(&dp.expected_split(&outside(node_ip(n), 30080), SimTime::ZERO));
        assert_eq!(
            at(0),
            [(1, 1.0)],
            "node n0's one local endpoint gets it all"
        );
        assert_eq!(at(1), [(2, 0.5), (3, 0.5)]);
        assert_eq!(at(2), [], "no local endpoint on n2: dropped");
        // The LB sends only to nodes passing the health check (n0, n1), half each.
        let s = dp.expected_split(&outside(LB, 80), SimTime::ZERO);
        assert_eq!(shares(&s), [(1, 0.5), (2, 0.25), (3, 0.25)]);
        // A pod's traffic to the nodePort is short-circuited to the cluster-wide list.
        let mut from_pod = pod_on(2);
        (from_pod.dst, from_pod.port) = (node_ip(2), 30080);
        let s = dp.expected_split(&from_pod, SimTime::ZERO);
        assert_eq!(shares(&s), [(1, THIRD), (2, THIRD), (3, THIRD)]);
    }

    #[test]
    fn internal_local_uses_the_client_node_s_endpoints() {
        let dp = plane(ProxyMode::Nftables, port(false, true), three());
        let at = |n: u8| shares(&dp.expected_split(&pod_on(n), SimTime::ZERO));
        assert_eq!(at(0), [(1, 1.0)]);
        assert_eq!(at(1), [(2, 0.5), (3, 0.5)]);
        assert_eq!(at(2), [], "no local endpoint: dropped");
    }

    #[test]
    fn serving_terminating_endpoints_only_when_none_is_ready() {
        let mut eps = three();
        for e in &mut eps {
            e.ready = false;
            e.serving = false;
        }
        eps[1].serving = true;
        eps[1].terminating = true;
        let dp = plane(ProxyMode::Iptables, port(false, false), eps.clone());
        let s = dp.expected_split(&pod_on(0), SimTime::ZERO);
        assert_eq!(shares(&s), [(2, 1.0)]);
        eps[0].ready = true;
        eps[0].serving = true;
        let dp = plane(ProxyMode::Iptables, port(false, false), eps);
        let s = dp.expected_split(&pod_on(0), SimTime::ZERO);
        assert_eq!(
            shares(&s),
            [(1, 1.0)],
            "a ready endpoint wins over terminating"
        );
    }

    #[test]
    fn ipvs_schedulers() {
        let rr = plane(
            ProxyMode::Ipvs(IpvsScheduler::Rr),
            port(false, false),
            three(),
        );
        let s = rr.expected_split(&pod_on(0), SimTime::ZERO);
        assert_eq!(shares(&s), [(1, THIRD), (2, THIRD), (3, THIRD)]);
        let lc = plane(
            ProxyMode::Ipvs(IpvsScheduler::Lc),
            port(false, false),
            three(),
        );
        let s = lc.expected_split(&pod_on(0), SimTime::ZERO);
        assert_eq!(
            shares(&s),
            [(1, 1.0)],
            "connections close at once: lc keeps the first"
        );
        let mut sh = plane(
            ProxyMode::Ipvs(IpvsScheduler::Sh),
            port(false, false),
            three(),
        );
        let s = sh.expected_split(&pod_on(0), SimTime::ZERO);
        let bucket = source_hash_bucket(IpAddr::from([10, 244, 9, 9])) as usize % 3;
        let want = [1u8, 2, 3][bucket];
        assert_eq!(shares(&s), [(want, 1.0)]);
        let mut rng = SimRng::new(1);
        for _ in 0..5 {
            let (t, _) = sh.route(&pod_on(0), SimTime::ZERO, &mut rng);
            let Outcome::Served { ip, .. } = t.outcome else {
                unreachable!()
            };
            assert_eq!(ip, IpAddr::from([10, 244, 0, want]));
        }
    }

    #[test]
    fn client_ip_affinity_expects_the_pin_once_made() {
        let mut info = port(false, false);
        info.affinity_timeout_secs = Some(10);
        let mut dp = plane(ProxyMode::Iptables, info, three());
        let req = pod_on(0);
        let before = dp.expected_split(&req, SimTime::ZERO);
        assert_eq!(
            shares(&before),
            [(1, THIRD), (2, THIRD), (3, THIRD)],
            "no pin yet: the chance of each endpoint becoming the pin"
        );
        let mut rng = SimRng::new(4);
        let (t, conn) = dp.route(&req, SimTime::ZERO, &mut rng);
        let Outcome::Served { ip, .. } = t.outcome else {
            unreachable!()
        };
        dp.close(conn.unwrap());
        let pinned = dp.expected_split(&req, SimTime::from_secs(10));
        assert_eq!(pinned.keys().map(|k| k.0).collect::<Vec<_>>(), [ip]);
        assert_eq!(pinned.values().copied().collect::<Vec<_>>(), [1.0]);
        let expired = dp.expected_split(&req, SimTime(10_001));
        assert_eq!(expired, before, "the pin has expired");
        let other_node = dp.expected_split(&pod_on(1), SimTime::ZERO);
        assert_eq!(other_node, before, "pins are per node");
    }

    /// The expectation is what routing does: the frequencies of many routed
    /// connections fall within 3 percentage points of it.
    #[test]
    fn routed_frequencies_match_the_expectation() {
        let cases = [
            (port(true, false), outside(LB, 80)),
            (port(false, false), outside(LB, 80)),
            (port(true, false), outside(node_ip(1), 30080)),
            (port(false, true), pod_on(1)),
        ];
        for (info, req) in cases {
            let mut dp = plane(ProxyMode::Iptables, info, three());
            let expected = dp.expected_split(&req, SimTime::ZERO);
            let mut rng = SimRng::new(9);
            let n = 6_000;
            let mut seen = Split::new();
            for _ in 0..n {
                let (t, _) = dp.route(&req, SimTime::ZERO, &mut rng);
                if let Outcome::Served { ip, port, .. } = t.outcome {
                    *seen.entry((ip, port)).or_insert(0.0) += 1.0 / f64::from(n);
                }
            }
            assert_eq!(
                seen.keys().collect::<Vec<_>>(),
                expected.keys().collect::<Vec<_>>()
            );
            for (k, p) in &expected {
                assert!(
                    (seen[k] - p).abs() < 0.03,
                    "{req:?}: {k:?} {} vs {p}",
                    seen[k]
                );
            }
        }
    }
}
