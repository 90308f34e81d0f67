//! Clients and the requests they send, each routed through kube-proxy's data path.
//!
//! An in-cluster client is a pod: it addresses the Service's ClusterIP and port, and
//! its node's kube-proxy captures the packet. An outside client addresses what the
//! outside can reach: the load balancer's ingress IP when the Service has one, else a
//! node IP and the nodePort (cycling over the nodes in name order, so every node's port
//! is used), else nothing — a ClusterIP is not routable from outside the cluster, so
//! such a request is recorded as [`Unreachable`] without being routed.
//!
//! Simplification: clients address the Service's first port; a connection is opened
//! and closed at once (IPVS `lc` sees no long-lived connections); DNS always resolves.

use std::net::IpAddr;

use super::World;
use crate::error::CommandError;
use crate::objects::{Container, Labels, ObjectMeta, Pod};
use crate::proxy::{self, DropReason, Outcome, Protocol, RefuseReason, Trace};
use crate::sim::SimTime;

/// One request a client sent, for counters and the animation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// When it was sent.
    pub at: SimTime,
    /// The client that sent it.
    pub client: String,
    /// The Service it was addressed to.
    pub service: String,
    /// The pod that served it; `None` unless [`RequestOutcome::Served`].
    pub pod: Option<String>,
    /// The endpoint IP chosen, if served.
    pub endpoint_ip: Option<String>,
    /// The node of the chosen endpoint, if served.
    pub node: Option<String>,
    /// The address and port the client sent to (ClusterIP, LB IP or node IP); `None`
    /// when it had nothing to address.
    pub dst: Option<(IpAddr, u16)>,
    /// The path through kube-proxy (hops, NAT, the source the pod sees); `None` when
    /// the request was not routed.
    pub trace: Option<Trace>,
    /// What happened.
    pub outcome: RequestOutcome,
}

/// What happened to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOutcome {
    /// An endpoint answered.
    Served,
    /// Refused at once (connection refused).
    Refused(RefuseReason),
    /// Dropped: the client times out.
    Dropped(DropReason),
    /// The client had no address to send to.
    Unreachable(Unreachable),
}

/// Why a client had nothing to send to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// The Service has only a ClusterIP, which is routable only inside the cluster.
    ClusterIpOnly,
    /// The Service has no ClusterIP (headless or ExternalName).
    NoClusterIp,
    /// No Service of that name exists (DNS answers NXDOMAIN).
    NoSuchService,
    /// The Service has no ports.
    NoPorts,
    /// A NodePort Service, but the cluster has no node to send to.
    NoNodes,
}

impl Unreachable {
    /// A one-line explanation.
    pub fn describe(self) -> &'static str {
        match self {
            Unreachable::ClusterIpOnly => {
                "unreachable from outside: a ClusterIP Service is only reachable inside the cluster (make it NodePort or LoadBalancer)"
            }
            Unreachable::NoClusterIp => {
                "unreachable: the Service has no ClusterIP (headless or ExternalName)"
            }
            Unreachable::NoSuchService => "unreachable: no Service of that name (NXDOMAIN)",
            Unreachable::NoPorts => "unreachable: the Service exposes no port",
            Unreachable::NoNodes => "unreachable: the cluster has no node to send to",
        }
    }
}

/// What a client addresses, before an outside client's choice of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Address {
    /// This address and port (a ClusterIP or an LB ingress IP).
    Fixed((IpAddr, u16)),
    /// Any node's IP at this nodePort (outside clients cycle over the nodes).
    NodePort(u16),
}

/// Where a request from outside the cluster enters it ([`World::outside_entry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutsideEntry {
    /// The load balancer's ingress IP and the Service's port.
    LoadBalancer {
        /// `status.loadBalancer.ingress[0].ip`.
        ip: IpAddr,
        /// The Service's (first) port.
        port: u16,
    },
    /// Any node's IP and the Service's nodePort.
    NodePort {
        /// `spec.ports[0].nodePort`.
        node_port: u16,
    },
}

/// Where a client sends from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientKind {
    /// A pod in the cluster (by name); it sends from its pod IP on its node.
    InCluster {
        /// The client pod.
        pod: String,
    },
    /// A machine outside the cluster.
    External {
        /// Its address.
        ip: IpAddr,
    },
}

/// A client sending requests to a Service at a steady rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The client's name.
    pub name: String,
    /// The Service it talks to.
    pub service: String,
    /// Requests per simulated second.
    pub rate_per_sec: u32,
    /// Where it sends from.
    pub kind: ClientKind,
    /// Sub-request credit carried between steps, in requests × 1000.
    pub(super) credit: u64,
    /// The next node (index in name order) an outside client sends to via nodePort.
    pub(super) next_node: usize,
}

/// The label every client pod carries.
pub const CLIENT_LABEL: (&str, &str) = ("app", "client");

/// The highest request rate of one client stream, per simulated second (stated in
/// [`crate::limits`]; commands and scenarios both refuse more).
pub use crate::limits::MAX_CLIENT_RATE;

impl World {
    /// Adds an in-cluster client sending `rate_per_sec` requests per second to a
    /// Service's ClusterIP, from the pod `name`. When no pod of that name exists, a bare
    /// pod `name` labelled `app=client` is created (it sends once it is Running).
    pub fn add_client(&mut self, name: &str, service: &str, rate_per_sec: u32) {
        if !self.pods.contains_key(name) {
            let mut pod = Pod {
                metadata: ObjectMeta::named("default", name),
                ..Default::default()
            };
            pod.metadata.labels =
                Labels::from([(CLIENT_LABEL.0.to_owned(), CLIENT_LABEL.1.to_owned())]);
            pod.spec.containers = vec![Container {
                name: "client".to_owned(),
                image: "registry.k8s.io/e2e-test-images/agnhost:2.53".to_owned(),
                ports: Vec::new(),
                readiness_probe: None,
                restart_policy: None,
            }];
            let _ = self.add_pod(pod);
        }
        self.push_client(
            name,
            service,
            rate_per_sec,
            ClientKind::InCluster {
                pod: name.to_owned(),
            },
        );
    }

    /// Adds a client outside the cluster at `ip` (e.g. `198.51.100.7`) sending
    /// `rate_per_sec` requests per second to a Service the way the outside can.
    pub fn add_external_client(
        &mut self,
        name: &str,
        service: &str,
        ip: IpAddr,
        rate_per_sec: u32,
    ) {
        self.push_client(name, service, rate_per_sec, ClientKind::External { ip });
    }

    fn push_client(&mut self, name: &str, service: &str, rate_per_sec: u32, kind: ClientKind) {
        self.clients.push(Client {
            name: name.to_owned(),
            service: service.to_owned(),
            rate_per_sec,
            kind,
            credit: 0,
            next_node: 0,
        });
    }

    /// Sets how many requests per simulated second `client` sends to `service`, from the
    /// current simulated time on; `0` pauses the stream. Refused, changing nothing, when
    /// no client has that name, when it sends nothing to `service`, or when the rate is
    /// over [`MAX_CLIENT_RATE`]. Every stream of that client to that Service changes.
    ///
    /// A stream earns `rate` thousandths of a request per simulated millisecond and sends
    /// the whole requests it has earned at the end of each step. The credit earned before
    /// the change (always under one request) is kept, not dropped or paid out: the change
    /// sends no burst and loses no fraction, a paused stream keeps its credit until it
    /// resumes, and from a change at `t0` to `t1` the stream sends exactly
    /// `floor((credit + rate × (t1 − t0)) / 1000)` requests whatever the step sizes.
    pub fn set_client_rate(
        &mut self,
        client: &str,
        service: &str,
        rate_per_sec: u32,
    ) -> Result<(), CommandError> {
        if !self.clients.iter().any(|c| c.name == client) {
            return Err(CommandError::ClientNotFound {
                name: client.to_owned(),
            });
        }
        let Some(old) = self
            .clients
            .iter()
            .find(|c| c.name == client && c.service == service)
            .map(|c| c.rate_per_sec)
        else {
            return Err(CommandError::ClientTargetNotFound {
                client: client.to_owned(),
                service: service.to_owned(),
            });
        };
        if rate_per_sec > MAX_CLIENT_RATE {
            return Err(CommandError::ClientRateOutOfRange {
                client: client.to_owned(),
                service: service.to_owned(),
                value: rate_per_sec.to_string(),
                max: MAX_CLIENT_RATE,
            });
        }
        if old == rate_per_sec {
            return Ok(());
        }
        for c in self
            .clients
            .iter_mut()
            .filter(|c| c.name == client && c.service == service)
        {
            c.rate_per_sec = rate_per_sec;
        }
        let message = if rate_per_sec == 0 {
            format!("client {client} paused its requests to service {service} (was {old}/s)")
        } else {
            format!(
                "client {client} sends {rate_per_sec} requests per second to service {service} (was {old}/s)"
            )
        };
        self.event("Client", client, message);
        Ok(())
    }

    pub(super) fn send_traffic(&mut self, millis: u64) {
        for i in 0..self.clients.len() {
            let Some(c) = self.clients.get_mut(i) else {
                continue;
            };
            c.credit += u64::from(c.rate_per_sec) * millis;
            let count = c.credit / 1000;
            c.credit %= 1000;
            for _ in 0..count {
                if let Some(req) = self.send_one(i) {
                    self.count(&req);
                    self.outbox.push(req);
                }
            }
        }
    }

    /// One request from client `i`; `None` when the client pod cannot send (not
    /// Running, no IP).
    fn send_one(&mut self, i: usize) -> Option<Request> {
        let c = self.clients.get(i)?;
        let (client, service) = (c.name.clone(), c.service.clone());
        let src = self.sender(&c.kind)?;
        let mut req = Request {
            at: self.now,
            client,
            service: service.clone(),
            pod: None,
            endpoint_ip: None,
            node: None,
            dst: None,
            trace: None,
            outcome: RequestOutcome::Unreachable(Unreachable::NoSuchService),
        };
        let (dst, protocol) = match self.destination(i, &service) {
            Ok(d) => d,
            Err(u) => {
                req.outcome = RequestOutcome::Unreachable(u);
                return Some(req);
            }
        };
        req.dst = Some(dst);
        let preq = proxy::Request {
            client: src,
            dst: dst.0,
            port: dst.1,
            protocol,
        };
        let (trace, conn) = self.dataplane.route(&preq, self.now, &mut self.rng);
        if let Some(conn) = conn {
            self.dataplane.close(conn);
        }
        req.outcome = match &trace.outcome {
            Outcome::Served { ip, node, .. } => {
                req.endpoint_ip = Some(ip.to_string());
                req.node = Some(node.to_string());
                req.pod = self.pods_by_ip.get(&ip.to_string()).cloned();
                if req.pod.is_some() {
                    RequestOutcome::Served
                } else {
                    // The endpoint's pod is gone: nothing answers at that IP.
                    RequestOutcome::Dropped(DropReason::NoSuchService)
                }
            }
            Outcome::Refused(r) => RequestOutcome::Refused(*r),
            Outcome::Dropped(d) => RequestOutcome::Dropped(*d),
        };
        req.trace = Some(trace);
        Some(req)
    }

    /// Where a client of `kind` sends from; `None` while it cannot send (its pod is
    /// not Running on a known node, has no IP, or is terminating).
    pub(super) fn sender(&self, kind: &ClientKind) -> Option<proxy::Client> {
        Some(match kind {
            ClientKind::InCluster { pod } => {
                let p = self.pods.get(pod)?;
                let ip = p.status.pod_ip.parse().ok()?;
                if !self.nodes.contains_key(&p.spec.node_name) || p.metadata.is_terminating() {
                    return None;
                }
                proxy::Client::Pod {
                    node: p.spec.node_name.clone(),
                    ip,
                }
            }
            ClientKind::External { ip } => proxy::Client::External { ip: *ip },
        })
    }

    /// How a client outside the cluster reaches `service`: the load balancer's ingress
    /// when a `LoadBalancer` Service has one, else any node's IP and the nodePort, else
    /// nothing ([`Unreachable::ClusterIpOnly`] for a ClusterIP Service). The same rule
    /// the outside clients' requests follow; the playground draws the outside user's
    /// route from it.
    pub fn outside_entry(&self, service: &str) -> Result<OutsideEntry, Unreachable> {
        match self.address(service, true)?.0 {
            Address::Fixed((ip, port)) => Ok(OutsideEntry::LoadBalancer { ip, port }),
            Address::NodePort(_) if self.nodes.is_empty() => Err(Unreachable::NoNodes),
            Address::NodePort(node_port) => Ok(OutsideEntry::NodePort { node_port }),
        }
    }

    /// The address client `i` sends to for `service`, or why there is none.
    fn destination(
        &mut self,
        i: usize,
        service: &str,
    ) -> Result<((IpAddr, u16), Protocol), Unreachable> {
        let external = matches!(
            self.clients.get(i).map(|c| &c.kind),
            Some(ClientKind::External { .. })
        );
        let (addr, protocol) = self.address(service, external)?;
        let node_port = match addr {
            Address::Fixed(dst) => return Ok((dst, protocol)),
            Address::NodePort(p) => p,
        };
        let n = self.nodes.len();
        if n == 0 {
            return Err(Unreachable::NoNodes);
        }
        let c = self.clients.get_mut(i).ok_or(Unreachable::NoSuchService)?;
        let k = c.next_node % n;
        c.next_node = (k + 1) % n;
        let ip = self
            .nodes
            .values()
            .nth(k)
            .and_then(|node| node.status.node_ip.parse().ok())
            .ok_or(Unreachable::NoNodes)?;
        Ok(((ip, node_port), protocol))
    }

    /// What a client inside (or, `external`, outside) the cluster addresses for
    /// `service`: the ClusterIP inside; outside, the LB's ingress IP, else any node's IP
    /// at the nodePort (see the module docs), else nothing.
    pub(super) fn address(
        &self,
        service: &str,
        external: bool,
    ) -> Result<(Address, Protocol), Unreachable> {
        let svc = self
            .services
            .get(service)
            .ok_or(Unreachable::NoSuchService)?;
        let port = svc.spec.ports.first().ok_or(Unreachable::NoPorts)?;
        let protocol = Protocol::parse(&port.protocol).unwrap_or(Protocol::Tcp);
        let svc_port = u16::try_from(port.port).map_err(|_| Unreachable::NoPorts)?;
        let node_port = u16::try_from(port.node_port).unwrap_or(0);
        if !external {
            let ip = svc
                .spec
                .cluster_ip
                .parse()
                .map_err(|_| Unreachable::NoClusterIp)?;
            return Ok((Address::Fixed((ip, svc_port)), protocol));
        }
        let lb = (svc.spec.type_ == "LoadBalancer")
            .then(|| svc.status.load_balancer.ingress.first())
            .flatten()
            .and_then(|i| i.ip.parse::<IpAddr>().ok());
        if let Some(ip) = lb {
            return Ok((Address::Fixed((ip, svc_port)), protocol));
        }
        if node_port == 0 {
            return Err(Unreachable::ClusterIpOnly);
        }
        Ok((Address::NodePort(node_port), protocol))
    }

    fn count(&mut self, req: &Request) {
        let key = req.service.clone();
        let map = match (req.outcome, &req.pod) {
            (RequestOutcome::Served, Some(p)) => {
                *self.served.entry(p.clone()).or_default() += 1;
                return;
            }
            (RequestOutcome::Refused(_), _) => &mut self.refused,
            (RequestOutcome::Unreachable(_), _) => &mut self.unreachable,
            _ => &mut self.dropped,
        };
        *map.entry(key).or_default() += 1;
    }
}

#[cfg(test)]
#[path = "traffic_tests.rs"]
mod tests;
