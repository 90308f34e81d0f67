//! One new connection through the data path: who sent it, where it went, what
//! happened.

use std::net::IpAddr;
use std::sync::Arc;

use super::types::{Protocol, ServicePortName};
use crate::objects::NamespacedName;

/// Who opens the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Client {
    /// A pod (its IP is in the pod CIDR) on a node.
    Pod {
        /// The node the pod runs on.
        node: String,
        /// The pod's IP.
        ip: IpAddr,
    },
    /// A process on a node's host network (source address type LOCAL).
    Node {
        /// The node.
        node: String,
    },
    /// A machine outside the cluster.
    External {
        /// Its address.
        ip: IpAddr,
    },
}

/// A new connection to `dst:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The sender.
    pub client: Client,
    /// The destination address: a ClusterIP, a node IP, an LB IP or an external IP.
    pub dst: IpAddr,
    /// The destination port (the Service port, or the node port on a node IP).
    pub port: u16,
    /// The protocol.
    pub protocol: Protocol,
}

/// How a packet was captured by kube-proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capture {
    /// `KUBE-SERVICES … cluster IP`.
    ClusterIp,
    /// `KUBE-NODEPORTS`.
    NodePort,
    /// `KUBE-SERVICES … loadbalancer IP`.
    LoadBalancerIp,
    /// `KUBE-SERVICES … external IP`.
    ExternalIp,
}

/// One step of a connection's path. Names are shared (`Arc`), so a trace costs no
/// string copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hop {
    /// The sender.
    Client {
        /// Source address.
        ip: IpAddr,
        /// The node, for a pod or host client.
        node: Option<Arc<str>>,
    },
    /// The sender's stub resolver asked the cluster DNS for the host before connecting.
    Dns {
        /// The host as the client wrote it.
        name: Arc<str>,
        /// The name that answered (absolute), when one did.
        answered_as: Option<Arc<str>>,
        /// The nameserver asked (the `kube-dns` Service's ClusterIP).
        server: IpAddr,
        /// How many queries the search list took.
        queries: u16,
        /// The address connected to, when the name resolved.
        address: Option<IpAddr>,
    },
    /// The external load balancer forwarding to a node.
    LoadBalancer {
        /// The LB's IP.
        ip: IpAddr,
        /// The node it chose.
        to_node: Arc<str>,
    },
    /// kube-proxy on a node matched the packet.
    Capture {
        /// The node.
        node: Arc<str>,
        /// The destination that matched.
        dst: IpAddr,
        /// The destination port.
        port: u16,
        /// Which rule matched.
        via: Capture,
        /// The Service port.
        service: Arc<ServicePortName>,
    },
    /// Destination NAT to the chosen endpoint (plus SNAT when masqueraded).
    Dnat {
        /// The node doing the NAT.
        node: Arc<str>,
        /// The endpoint address.
        to: IpAddr,
        /// The endpoint port.
        to_port: u16,
        /// The source address after SNAT, when masqueraded.
        snat_to: Option<IpAddr>,
    },
    /// The endpoint pod.
    Endpoint {
        /// Pod IP.
        ip: IpAddr,
        /// Target port.
        port: u16,
        /// Its node.
        node: Arc<str>,
    },
}

/// Why a connection was refused at once (ICMP port-unreachable / TCP RST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefuseReason {
    /// The Service has no ready or serving-terminating endpoint anywhere (REJECT).
    NoEndpoints,
    /// nftables: a ClusterIP hit on a port the Service does not expose.
    PortNotExposed,
    /// The pod answered with a reset: nothing listens on that port in it (the app
    /// listens elsewhere, or its container is not running).
    NotListening,
}

/// Why a connection was silently dropped (the client times out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// `Local` policy and no local endpoint on the receiving node (DROP).
    NoLocalEndpoints,
    /// A ClusterIP is only routable inside the cluster.
    ClusterIpFromOutside,
    /// Nothing answers at this address and port.
    NoSuchService,
    /// The load balancer found no healthy node (every health check answered 503).
    NoHealthyNodes,
    /// The client's node is unknown to the data plane.
    UnknownNode,
    /// The source is outside `loadBalancerSourceRanges`.
    SourceRangeBlocked,
    /// A pod address no pod holds any more (its pod was replaced): nothing answers.
    NoPodAtAddress,
    /// An app's call to its upstream went deeper than the playground follows (apps
    /// calling each other in a loop).
    CallLoop,
}

impl RefuseReason {
    /// A one-line explanation.
    pub fn describe(self) -> &'static str {
        match self {
            RefuseReason::NoEndpoints => {
                "connection refused: the Service has no endpoints (REJECT)"
            }
            RefuseReason::PortNotExposed => {
                "connection refused: the ClusterIP does not expose this port (nftables reject)"
            }
            RefuseReason::NotListening => {
                "connection refused: nothing listens on that port in the pod"
            }
        }
    }
}

impl DropReason {
    /// A one-line explanation.
    pub fn describe(self) -> &'static str {
        match self {
            DropReason::NoLocalEndpoints => {
                "timed out: Local traffic policy and no local endpoint on this node (DROP)"
            }
            DropReason::ClusterIpFromOutside => {
                "timed out: a ClusterIP is only reachable from inside the cluster"
            }
            DropReason::NoSuchService => "timed out: no Service answers at this address and port",
            DropReason::NoHealthyNodes => {
                "timed out: the load balancer has no node passing its health check"
            }
            DropReason::UnknownNode => "timed out: the client's node is not part of the data plane",
            DropReason::SourceRangeBlocked => {
                "timed out: the source is outside the Service's loadBalancerSourceRanges"
            }
            DropReason::CallLoop => {
                "timed out: the apps' calls loop back on themselves (followed 8 deep)"
            }
            DropReason::NoPodAtAddress => {
                "timed out: no pod has this address any more (its pod was replaced)"
            }
        }
    }
}

/// Why a client had nothing to send to: the request never reached kube-proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// The name exists but has no address (DNS answered without records).
    NoAddress,
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
            Unreachable::NoAddress => {
                "unreachable: the name has no address (DNS answered no records)"
            }
        }
    }
}

/// What happened to a request: the one outcome type of the data plane, the world's
/// request log and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An endpoint answered.
    Served {
        /// The Service port; `None` for a connection straight to a pod's address.
        service: Option<Arc<ServicePortName>>,
        /// The pod behind the endpoint (its `targetRef`), when the endpoint has one.
        pod: Option<Arc<NamespacedName>>,
        /// Endpoint IP.
        ip: IpAddr,
        /// Endpoint port.
        port: u16,
        /// The endpoint's node.
        node: Arc<str>,
        /// The source address the pod sees.
        source_seen: IpAddr,
        /// Whether the packet crossed from the capturing node to another node.
        crossed_nodes: bool,
    },
    /// Refused immediately.
    Refused(RefuseReason),
    /// Dropped: the client times out.
    Dropped(DropReason),
    /// The client had no address to send to (never from the data plane itself).
    Unreachable(Unreachable),
}

impl Outcome {
    /// The pod that served the request, if one did.
    pub fn pod(&self) -> Option<&NamespacedName> {
        match self {
            Outcome::Served { pod, .. } => pod.as_deref(),
            _ => None,
        }
    }

    /// Whether an endpoint answered.
    pub fn is_served(&self) -> bool {
        matches!(self, Outcome::Served { .. })
    }

    /// A one-line explanation of a request that was not served.
    pub fn describe(&self) -> &'static str {
        match self {
            Outcome::Served { .. } => "served",
            Outcome::Refused(r) => r.describe(),
            Outcome::Dropped(d) => d.describe(),
            Outcome::Unreachable(u) => u.describe(),
        }
    }
}

/// The path and the outcome of one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The hops, client first.
    pub hops: Vec<Hop>,
    /// The outcome.
    pub outcome: Outcome,
}

impl Trace {
    /// The node a request from outside the cluster entered by: the one the load
    /// balancer chose, or the one whose node port it addressed. `None` for a request
    /// sent from inside (a pod or a node), which its own node's kube-proxy handles.
    pub fn entry_node(&self) -> Option<&str> {
        if matches!(self.hops.first(), Some(Hop::Client { node: Some(_), .. })) {
            return None;
        }
        self.hops.iter().find_map(|h| match h {
            Hop::LoadBalancer { to_node, .. } => Some(&**to_node),
            Hop::Capture { node, .. } => Some(&**node),
            _ => None,
        })
    }

    /// The serving endpoint, if any.
    pub fn endpoint(&self) -> Option<(IpAddr, u16)> {
        match &self.outcome {
            Outcome::Served { ip, port, .. } => Some((*ip, *port)),
            _ => None,
        }
    }
}
