//! One request: pick the client's next connection slot, reuse its connection or open a
//! new one (resolve the host, then kube-proxy's rules or straight to a pod address),
//! let the app at the pod answer, and make the app's own upstream calls.

use std::net::IpAddr;
use std::sync::Arc;

use super::super::World;
use super::super::cluster_dns::CLUSTER_DOMAIN;
use super::clients::ClientKind;
use super::conns::{Conn, Slot};
use super::{Answer, ConnUse, MAX_CHAIN_DEPTH, Request};
use crate::apps::{App, AppProtocol, Target, Tool};
use crate::objects::{NamespacedName, PodPhase, Protocol};
use crate::proxy::{self, Close, DropReason, Hop, Outcome, RefuseReason, Trace};
use crate::sim::SimTime;

/// A connection that could not be made: what was addressed, the path, the outcome.
struct Failed {
    dst: Option<(IpAddr, u16)>,
    trace: Option<Trace>,
    outcome: Outcome,
}

impl Failed {
    fn into_request(self, at: SimTime, client: String, service: Option<NamespacedName>) -> Request {
        Request {
            at,
            client,
            service,
            dst: self.dst,
            trace: self.trace.map(Arc::new),
            outcome: self.outcome,
            answer: None,
            connection: None,
            upstream: Vec::new(),
        }
    }
}

impl World {
    /// Sends every request due at `at`, client by client.
    pub(in crate::world) fn send_due(&mut self, at: SimTime) {
        for i in 0..self.traffic.clients.len() {
            let count = match self.traffic.clients.get_mut(i) {
                Some(c) => c.settle(at),
                None => continue,
            };
            for _ in 0..count {
                if let Some(req) = self.send_one(i) {
                    if let Some(c) = self.traffic.clients.get_mut(i) {
                        c.report.record(&req);
                    }
                    self.traffic.push(req);
                }
            }
        }
    }

    /// One request from client `i`; `None` when it cannot send (its pod is not
    /// running, its program has exited) or its run is over.
    fn send_one(&mut self, i: usize) -> Option<Request> {
        let now = self.now;
        let c = self.traffic.clients.get(i)?;
        if c.done {
            return None;
        }
        let src = self.client_sender(c)?;
        let load = c.load.clone();
        let over = |c: &super::Client, started: SimTime| {
            load.duration_ms
                .is_some_and(|d| now.millis_since(started) >= d)
                || load.requests.is_some_and(|n| c.sent >= n)
        };
        let c = self.traffic.clients.get_mut(i)?;
        let started = *c.started.get_or_insert(now);
        if over(c, started) {
            self.close_client(i, Close::Fin);
            if let Some(c) = self.traffic.clients.get_mut(i) {
                c.done = true;
            }
            return None;
        }
        c.sent += 1;
        let name = c.name.clone();
        let service = c.service.clone();
        if matches!(c.kind, ClientKind::External { .. }) {
            return Some(self.send_external(i, &src, name, service));
        }
        let k = c.next_slot % c.slots.len().max(1);
        c.next_slot = (k + 1) % c.slots.len().max(1);
        let slot = c.slots.get_mut(k).map(std::mem::take).unwrap_or_default();
        let (mut conn, opened) = match slot {
            Slot::Open(conn) => (conn, false),
            other => {
                if other == Slot::Closed {
                    c.report.reconnects += 1;
                }
                let ns = c.namespace.clone();
                match self.open(&src, &ns, &load.target, load.protocol, service.clone()) {
                    Ok(conn) => {
                        if let Some(c) = self.traffic.clients.get_mut(i) {
                            c.report.sockets += 1;
                        }
                        (conn, true)
                    }
                    Err(f) => return Some((*f).into_request(now, name, service)),
                }
            }
        };
        let (answer, upstream, closes) = self.exchange(&conn, load.protocol, &load.target.path, 0);
        conn.requests += 1;
        let req = Request {
            at: now,
            client: name,
            service,
            dst: Some(conn.dst),
            trace: Some(conn.trace.clone()),
            outcome: conn.trace.outcome.clone(),
            answer,
            connection: Some(ConnUse {
                id: conn.id,
                opened,
            }),
            upstream,
        };
        let slot = if load.keepalive && !closes {
            Slot::Open(conn)
        } else {
            self.close_conn(&conn, Close::Fin);
            Slot::Idle
        };
        if let Some(s) = self
            .traffic
            .clients
            .get_mut(i)
            .and_then(|c| c.slots.get_mut(k))
        {
            *s = slot;
        }
        Some(req)
    }

    /// The outside user: one connection per request to the Service's outside address.
    fn send_external(
        &mut self,
        i: usize,
        src: &proxy::Client,
        name: String,
        service: Option<NamespacedName>,
    ) -> Request {
        let now = self.now;
        let Some(svc) = service.clone() else {
            let f = Box::new(Failed {
                dst: None,
                trace: None,
                outcome: Outcome::Unreachable(proxy::Unreachable::NoSuchService),
            });
            return (*f).into_request(now, name, service);
        };
        let dst = match self.destination(i, &svc) {
            Ok((dst, _)) => dst,
            Err(u) => {
                let f = Box::new(Failed {
                    dst: None,
                    trace: None,
                    outcome: Outcome::Unreachable(u),
                });
                return (*f).into_request(now, name, service);
            }
        };
        let mut conn = match self.connect_to(src, dst, None, service.clone()) {
            Ok(conn) => conn,
            Err(f) => return (*f).into_request(now, name, service),
        };
        if let Some(c) = self.traffic.clients.get_mut(i) {
            c.report.sockets += 1;
        }
        let (answer, upstream, _) = self.exchange(&conn, AppProtocol::Http1, "/", 0);
        conn.requests += 1;
        self.close_conn(&conn, Close::Fin);
        Request {
            at: now,
            client: name,
            service,
            dst: Some(dst),
            trace: Some(conn.trace.clone()),
            outcome: conn.trace.outcome.clone(),
            answer,
            connection: Some(ConnUse {
                id: conn.id,
                opened: true,
            }),
            upstream,
        }
    }

    /// Where a client sends from; `None` while it cannot send: its pod is not Running on
    /// a known node with an IP, its container is not running, or the pod is terminating
    /// and its program has exited (a shell loop, ignoring SIGTERM, sends on).
    pub(in crate::world) fn client_sender(&self, c: &super::Client) -> Option<proxy::Client> {
        match &c.kind {
            ClientKind::External { ip } => Some(proxy::Client::External { ip: *ip }),
            ClientKind::InCluster { pod, .. } => {
                let p = self.pods.get(pod)?;
                let loop_ = matches!(c.load.tool, Tool::Curl | Tool::Wget);
                if p.metadata.is_terminating() && !loop_ {
                    return None;
                }
                let running = self
                    .kubelet
                    .get(pod)
                    .and_then(|r| r.containers.get(c.container))
                    .is_some_and(|r| r.running);
                if !running
                    || p.status.phase != PodPhase::Running
                    || !self.nodes.contains(&p.spec.node_name)
                {
                    return None;
                }
                Some(proxy::Client::Pod {
                    node: p.spec.node_name.clone(),
                    ip: p.status.pod_ip.parse().ok()?,
                })
            }
        }
    }

    /// A Running pod's address and node, as a sender.
    pub(in crate::world) fn pod_sender(&self, pod: &NamespacedName) -> Option<proxy::Client> {
        let p = self.pods.get(pod)?;
        if p.status.phase != PodPhase::Running || !self.nodes.contains(&p.spec.node_name) {
            return None;
        }
        Some(proxy::Client::Pod {
            node: p.spec.node_name.clone(),
            ip: p.status.pod_ip.parse().ok()?,
        })
    }

    /// Opens a connection from a pod in `namespace` to `target`: its host resolved
    /// through the pod's resolver (the first hop), then connected.
    fn open(
        &mut self,
        src: &proxy::Client,
        namespace: &str,
        target: &Target,
        protocol: AppProtocol,
        service: Option<NamespacedName>,
    ) -> Result<Conn, Box<Failed>> {
        let (dns, ip) = match target.ip() {
            Some(ip) => (None, ip),
            None => {
                let r = self.resolve(namespace, &target.host);
                match (r.address, r.unreachable()) {
                    (Some(a), _) => (Some(r.hop.clone()), a),
                    (None, why) => {
                        let hops = vec![self.client_hop(src), r.hop.clone()];
                        let outcome =
                            Outcome::Unreachable(why.unwrap_or(proxy::Unreachable::NoSuchService));
                        return Err(Box::new(Failed {
                            dst: None,
                            trace: Some(Trace {
                                hops,
                                outcome: outcome.clone(),
                            }),
                            outcome,
                        }));
                    }
                }
            }
        };
        let _ = protocol;
        self.connect_to(src, (ip, target.port), dns, service)
    }

    fn client_hop(&self, src: &proxy::Client) -> Hop {
        match src {
            proxy::Client::Pod { node, ip } => Hop::Client {
                ip: *ip,
                node: Some(Arc::from(node.as_str())),
            },
            proxy::Client::External { ip } => Hop::Client {
                ip: *ip,
                node: None,
            },
            proxy::Client::Node { node } => Hop::Client {
                ip: IpAddr::from([0, 0, 0, 0]),
                node: Some(Arc::from(node.as_str())),
            },
        }
    }

    /// Connects to `dst`: through kube-proxy (recorded in conntrack), or straight to the
    /// pod holding a pod-network address. The pod must have a running container
    /// listening on the port, or it answers with a reset.
    fn connect_to(
        &mut self,
        src: &proxy::Client,
        dst: (IpAddr, u16),
        dns: Option<Hop>,
        service: Option<NamespacedName>,
    ) -> Result<Conn, Box<Failed>> {
        let pod_network = self
            .dataplane
            .config()
            .cluster_cidr
            .is_some_and(|c| c.contains(dst.0));
        let (mut trace, tracked) = if pod_network {
            (self.direct(src, dst), None)
        } else {
            let req = proxy::Request {
                client: src.clone(),
                dst: dst.0,
                port: dst.1,
                protocol: Protocol::Tcp,
            };
            self.dataplane.connect(&req, self.now, &mut self.rng)
        };
        if let Some(h) = dns {
            let at = trace.hops.len().min(1);
            trace.hops.insert(at, h);
        }
        let fail = |w: &mut World, mut trace: Trace, outcome: Option<Outcome>| {
            if let Some(id) = tracked {
                w.dataplane.disconnect(id, w.now, Close::Reset);
            }
            if let Some(o) = outcome {
                trace.outcome = o;
            }
            Box::new(Failed {
                dst: Some(dst),
                outcome: trace.outcome.clone(),
                trace: Some(trace),
            })
        };
        let Outcome::Served { pod, ip, port, .. } = &mut trace.outcome else {
            return Err(fail(self, trace, None));
        };
        // The pod behind the endpoint answers: its targetRef, or else whichever pod
        // holds the IP. When none does (it is gone), nothing answers.
        if !pod.as_deref().is_some_and(|p| self.pods.contains(p)) {
            let holder = match ip {
                IpAddr::V4(v4) => self.pods.by_ip(*v4).cloned(),
                IpAddr::V6(_) => None,
            };
            match holder {
                Some(p) => *pod = Some(Arc::new(p)),
                None => {
                    let o = Outcome::Dropped(DropReason::NoPodAtAddress);
                    return Err(fail(self, trace, Some(o)));
                }
            }
        }
        let (pod, endpoint) = (pod.clone(), (*ip, *port));
        let listener = pod.as_deref().and_then(|p| self.listener(p, endpoint.1));
        let Some(container) = listener else {
            let o = Outcome::Refused(RefuseReason::NotListening);
            return Err(fail(self, trace, Some(o)));
        };
        Ok(Conn {
            id: self.traffic.next_conn_id(),
            tracked,
            pod,
            container,
            endpoint,
            dst,
            service,
            trace: Arc::new(trace),
            opened: self.now,
            requests: 0,
        })
    }

    /// A connection to a pod-network address: no kube-proxy rule matches it; the pod
    /// holding the address answers, or nothing does.
    fn direct(&self, src: &proxy::Client, dst: (IpAddr, u16)) -> Trace {
        let hops = vec![self.client_hop(src)];
        let holder = match dst.0 {
            IpAddr::V4(v4) => self.pods.by_ip(v4).and_then(|k| self.pods.get(k)),
            IpAddr::V6(_) => None,
        };
        let Some(p) = holder else {
            return Trace {
                hops,
                outcome: Outcome::Dropped(DropReason::NoPodAtAddress),
            };
        };
        let node: Arc<str> = Arc::from(p.spec.node_name.as_str());
        let (src_ip, src_node) = match src {
            proxy::Client::Pod { ip, node } => (*ip, Some(node.as_str())),
            proxy::Client::External { ip } => (*ip, None),
            proxy::Client::Node { node } => (IpAddr::from([0, 0, 0, 0]), Some(node.as_str())),
        };
        let mut hops = hops;
        hops.push(Hop::Endpoint {
            ip: dst.0,
            port: dst.1,
            node: node.clone(),
        });
        Trace {
            hops,
            outcome: Outcome::Served {
                service: None,
                pod: Some(Arc::new(p.metadata.key())),
                ip: dst.0,
                port: dst.1,
                crossed_nodes: src_node != Some(&*node),
                node,
                source_seen: src_ip,
            },
        }
    }

    /// The container of `pod` whose running app listens on `port`.
    fn listener(&self, pod: &NamespacedName, port: u16) -> Option<usize> {
        self.kubelet.get(pod)?.containers.iter().position(|c| {
            c.running && matches!(&*c.app, App::Server(s) if s.listens(port).is_some())
        })
    }

    /// The app at the other end of `conn` answers a request for `path`, calling its
    /// upstreams first. Returns the answer, the upstream calls, and whether the server
    /// closes the connection after answering.
    fn exchange(
        &mut self,
        conn: &Conn,
        protocol: AppProtocol,
        path: &str,
        depth: usize,
    ) -> (Option<Answer>, Vec<Request>, bool) {
        let Some(pod) = conn.pod.clone() else {
            return (None, Vec::new(), true);
        };
        let Some((healthy, app)) = self.kubelet.get(&pod).and_then(|rt| {
            let c = rt.containers.get(conn.container)?;
            Some((rt.healthy, c.app.clone()))
        }) else {
            return (None, Vec::new(), true);
        };
        let App::Server(spec) = &*app else {
            return (Some(Answer::ProtocolError), Vec::new(), true);
        };
        if !spec.speaks(conn.endpoint.1, protocol == AppProtocol::Grpc) {
            return (Some(Answer::ProtocolError), Vec::new(), true);
        }
        if !healthy {
            // The playground's broken app: its readiness probe fails, and so does every
            // request it is sent.
            return (Some(Answer::Status(503)), Vec::new(), !spec.keepalive);
        }
        let mut status = spec.status(path);
        let mut calls = Vec::with_capacity(spec.upstreams.len());
        for (u, target) in spec.upstreams.iter().enumerate() {
            let r = self.call_upstream(
                &pod,
                conn.container,
                u,
                target,
                spec.upstream_keepalive,
                depth + 1,
            );
            if !r.ok() {
                status = 500;
            }
            calls.push(r);
        }
        (Some(Answer::Status(status)), calls, !spec.keepalive)
    }

    /// App `container` of `pod` calls its upstream `u` for a request it serves.
    fn call_upstream(
        &mut self,
        pod: &NamespacedName,
        container: usize,
        u: usize,
        target: &Target,
        keepalive: bool,
        depth: usize,
    ) -> Request {
        let now = self.now;
        let service = target.named_service(&pod.namespace, CLUSTER_DOMAIN);
        let failed = |outcome: Outcome| {
            Box::new(Failed {
                dst: None,
                trace: None,
                outcome,
            })
        };
        if depth > MAX_CHAIN_DEPTH {
            return failed(Outcome::Dropped(DropReason::CallLoop)).into_request(
                now,
                pod.name.clone(),
                service,
            );
        }
        let Some(src) = self.pod_sender(pod) else {
            return failed(Outcome::Dropped(DropReason::UnknownNode)).into_request(
                now,
                pod.name.clone(),
                service,
            );
        };
        let key = (pod.clone(), container, u);
        let (mut conn, opened) = match self.traffic.upstreams.remove(&key) {
            Some(Slot::Open(conn)) => (conn, false),
            _ => match self.open(
                &src,
                &pod.namespace,
                target,
                AppProtocol::Http1,
                service.clone(),
            ) {
                Ok(conn) => (conn, true),
                Err(f) => return (*f).into_request(now, pod.name.clone(), service),
            },
        };
        let (answer, upstream, closes) =
            self.exchange(&conn, AppProtocol::Http1, &target.path, depth);
        conn.requests += 1;
        let req = Request {
            at: now,
            client: pod.name.clone(),
            service,
            dst: Some(conn.dst),
            trace: Some(conn.trace.clone()),
            outcome: conn.trace.outcome.clone(),
            answer,
            connection: Some(ConnUse {
                id: conn.id,
                opened,
            }),
            upstream,
        };
        if keepalive && !closes && self.pods.contains(pod) {
            self.traffic.upstreams.insert(key, Slot::Open(conn));
        } else {
            self.close_conn(&conn, Close::Fin);
        }
        req
    }
}
