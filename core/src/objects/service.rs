//! Services: the stable front of a set of pods.
//!
//! Enum-like fields are API string enums ([`super::api_enum`]): a wrong value still
//! loads and validation names it in Kubernetes' words, while code compares variants.
//! Upstream: kubernetes/api@10b39a39 `core/v1/types.go` `ServiceSpec`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::api_enum::api_enum;
use super::{Labels, ObjectMeta};

/// A `v1` Service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    #[serde(default)]
    pub spec: ServiceSpec,
    /// `status`: the load balancer's ingress points.
    #[serde(default, skip_serializing_if = "ServiceStatus::is_empty")]
    pub status: ServiceStatus,
}

/// `spec` of a Service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName` (defaulted to ClusterIP).
    #[serde(
        default,
        rename = "type",
        skip_serializing_if = "ServiceType::is_unset"
    )]
    pub type_: ServiceType,
    /// The selector: equality only. `None` (and `{}`) means the Service gets no managed
    /// endpoints, not "every pod".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<Labels>,
    /// The ports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ServicePort>,
    /// The virtual IP: empty asks for one to be allocated, `None` makes a headless Service.
    #[serde(
        default,
        rename = "clusterIP",
        skip_serializing_if = "String::is_empty"
    )]
    pub cluster_ip: String,
    /// All cluster IPs; `clusterIPs[0]` equals `clusterIP`.
    #[serde(default, rename = "clusterIPs", skip_serializing_if = "Vec::is_empty")]
    pub cluster_ips: Vec<String>,
    /// `IPv4` / `IPv6`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_families: Vec<String>,
    /// `SingleStack`, `PreferDualStack`, `RequireDualStack`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_family_policy: Option<String>,
    /// Extra IPs on which kube-proxy accepts traffic for this Service.
    #[serde(default, rename = "externalIPs", skip_serializing_if = "Vec::is_empty")]
    pub external_ips: Vec<String>,
    /// `None` or `ClientIP`.
    #[serde(default, skip_serializing_if = "SessionAffinity::is_unset")]
    pub session_affinity: SessionAffinity,
    /// The ClientIP affinity timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_affinity_config: Option<SessionAffinityConfig>,
    /// `Cluster` or `Local`, for traffic from outside the cluster.
    #[serde(default, skip_serializing_if = "TrafficPolicy::is_unset")]
    pub external_traffic_policy: TrafficPolicy,
    /// `Cluster` or `Local`, for traffic to the ClusterIP from inside.
    #[serde(default, skip_serializing_if = "TrafficPolicy::is_unset")]
    pub internal_traffic_policy: TrafficPolicy,
    /// The node port answering load-balancer health checks (LoadBalancer + Local).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub health_check_node_port: i32,
    /// The load-balancer implementation that should handle this Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_class: Option<String>,
    /// Whether a LoadBalancer gets node ports (defaulted to true for LoadBalancer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocate_load_balancer_node_ports: Option<bool>,
    /// CIDRs allowed to reach the load balancer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancer_source_ranges: Vec<String>,
    /// The DNS name an ExternalName Service aliases.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub external_name: String,
    /// Publish endpoints whether or not their pods are ready.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub publish_not_ready_addresses: bool,
    /// `PreferClose` and friends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_distribution: Option<String>,
}

fn is_zero(v: &i32) -> bool {
    *v == 0
}

/// `sessionAffinityConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAffinityConfig {
    /// `clientIP`.
    #[serde(default, rename = "clientIP", skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<ClientIpConfig>,
}

/// `sessionAffinityConfig.clientIP`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientIpConfig {
    /// Seconds of silence after which affinity expires (default 10800, range 1..=86400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i32>,
}

/// `service.beta.kubernetes.io/load-balancer-source-ranges`.
pub const ANNOTATION_LB_SOURCE_RANGES: &str =
    "service.beta.kubernetes.io/load-balancer-source-ranges";

/// The default ClientIP affinity timeout.
/// Upstream: kubernetes/api@10b39a39 `core/v1/types.go` `DefaultClientIPServiceAffinitySeconds`.
pub const DEFAULT_CLIENT_IP_AFFINITY_SECONDS: i32 = 10800;

/// A Service port.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    /// The port's name; required when the Service has more than one port.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `TCP`, `UDP` or `SCTP` (defaulted to TCP).
    #[serde(default, skip_serializing_if = "Protocol::is_unset")]
    pub protocol: Protocol,
    /// The port on the ClusterIP.
    #[serde(default)]
    pub port: i32,
    /// The pod port: a number, or a container port's name looked up per pod.
    #[serde(default, skip_serializing_if = "IntOrString::is_unset")]
    pub target_port: IntOrString,
    /// The port opened on every node (NodePort and LoadBalancer); 0 asks for one.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub node_port: i32,
    /// `appProtocol`, copied into EndpointSlices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
}

/// A port given as a number or a name, as `targetPort` is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrString {
    /// A port number.
    Int(i32),
    /// A container port's name.
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl IntOrString {
    /// `0` or `""`: not given (defaulting then copies `port`).
    pub fn is_unset(&self) -> bool {
        match self {
            IntOrString::Int(n) => *n == 0,
            IntOrString::String(s) => s.is_empty(),
        }
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(n) => write!(f, "{n}"),
            IntOrString::String(s) => f.write_str(s),
        }
    }
}

/// `status` of a Service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStatus {
    /// `status.loadBalancer`.
    #[serde(default)]
    pub load_balancer: LoadBalancerStatus,
}

impl ServiceStatus {
    fn is_empty(&self) -> bool {
        self.load_balancer.ingress.is_empty()
    }
}

/// `status.loadBalancer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerStatus {
    /// Where the load balancer listens; empty means `<pending>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<LoadBalancerIngress>,
}

/// One load-balancer ingress point.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerIngress {
    /// The external IP.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ip: String,
    /// Or a hostname.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// `VIP` or `Proxy`; defaulted to `VIP` when `ip` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_mode: Option<String>,
}

api_enum! {
    /// `spec.type`: the four Service types, each wrapping the one before (but
    /// ExternalName). Unset reads as ClusterIP wherever the API server has not
    /// defaulted it yet (kube-proxy does the same).
    pub enum ServiceType {
        /// A virtual IP reachable inside the cluster.
        ClusterIp = "ClusterIP",
        /// ClusterIP plus a port on every node.
        NodePort = "NodePort",
        /// NodePort plus an external load balancer.
        LoadBalancer = "LoadBalancer",
        /// A DNS CNAME; no proxying.
        ExternalName = "ExternalName",
    }
}

impl ServiceType {
    /// The types a user picks from, innermost layer first.
    pub const LAYERS: [ServiceType; 4] = [
        ServiceType::ClusterIp,
        ServiceType::NodePort,
        ServiceType::LoadBalancer,
        ServiceType::ExternalName,
    ];

    /// Whether the Service gets node ports (NodePort, and LoadBalancer unless
    /// `allocateLoadBalancerNodePorts: false`, which the caller checks).
    pub fn has_node_ports(&self) -> bool {
        matches!(self, ServiceType::NodePort | ServiceType::LoadBalancer)
    }
}

api_enum! {
    /// `externalTrafficPolicy` / `internalTrafficPolicy`.
    pub enum TrafficPolicy {
        /// Any ready endpoint in the cluster.
        Cluster = "Cluster",
        /// Only endpoints on the node that received the traffic.
        Local = "Local",
    }
}

api_enum! {
    /// `sessionAffinity`.
    pub enum SessionAffinity {
        /// Every new connection is balanced afresh.
        None = "None",
        /// Connections from one client IP stick to one endpoint until a timeout.
        ClientIp = "ClientIP",
    }
}

api_enum! {
    /// A port's protocol (`TCP`, `UDP`, `SCTP`), for Service, container and endpoint
    /// ports alike.
    pub enum Protocol {
        /// TCP.
        Tcp = "TCP",
        /// UDP.
        Udp = "UDP",
        /// SCTP.
        Sctp = "SCTP",
    }
}

impl Protocol {
    /// The protocol in effect: unset is TCP (the API default); `None` for a spelling
    /// the API does not know.
    pub fn effective(&self) -> Option<Protocol> {
        match self {
            Protocol::Unset => Some(Protocol::Tcp),
            Protocol::Other(_) => None,
            known => Some(known.clone()),
        }
    }

    /// The lower-case name kube-proxy uses in chain-name hashes and rules (`tcp`);
    /// unset is `tcp` (the API default). kube-proxy never programs a port whose
    /// protocol it does not know (`ServicePortInfo::from_service` drops it), so any
    /// other text gives `""`.
    pub fn lower(&self) -> &'static str {
        match self {
            Protocol::Unset | Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Sctp => "sctp",
            Protocol::Other(_) => "",
        }
    }
}

/// An IP family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum IpFamily {
    /// IPv4.
    IPv4,
    /// IPv6.
    IPv6,
}

/// One layer of how a Service is exposed. The types are layers, not alternatives: a
/// NodePort Service keeps its ClusterIP, a LoadBalancer keeps both. The page draws these
/// and the world's clients address them, so both read one description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layer {
    /// The virtual IP inside the cluster (`None`: headless, or not allocated).
    ClusterIp(Option<String>),
    /// The port opened on every node, for the Service's first port.
    NodePort(u16),
    /// The external load balancer's address, IP or hostname (`None`: `<pending>`).
    LoadBalancer(Option<String>),
}

impl Layer {
    /// The API name of the type this layer adds.
    pub fn type_name(&self) -> &'static str {
        match self {
            Layer::ClusterIp(_) => "ClusterIP",
            Layer::NodePort(_) => "NodePort",
            Layer::LoadBalancer(_) => "LoadBalancer",
        }
    }

    /// Where it listens, as a person reads it (`<pending>` for a load balancer that
    /// has no address yet).
    pub fn address(&self) -> String {
        match self {
            Layer::ClusterIp(Some(ip)) => ip.clone(),
            Layer::ClusterIp(None) => "no IP allocated".to_owned(),
            Layer::NodePort(port) => format!("<node IP>:{port}"),
            Layer::LoadBalancer(Some(a)) => a.clone(),
            Layer::LoadBalancer(None) => "<pending>".to_owned(),
        }
    }
}

impl Service {
    /// How the Service is exposed, innermost layer first: its ClusterIP; a node port
    /// (NodePort and LoadBalancer, when the first port has one); the load balancer's
    /// first ingress (LoadBalancer). ExternalName has no layer.
    pub fn layers(&self) -> Vec<Layer> {
        let spec = &self.spec;
        let ty = spec.effective_type();
        if ty == ServiceType::ExternalName {
            return Vec::new();
        }
        let ip = Some(spec.cluster_ip.clone()).filter(|ip| !ip.is_empty() && ip != "None");
        let mut layers = vec![Layer::ClusterIp(ip)];
        if ty.has_node_ports()
            && let Some(port) = spec
                .ports
                .first()
                .and_then(|p| u16::try_from(p.node_port).ok())
                .filter(|p| *p > 0)
        {
            layers.push(Layer::NodePort(port));
        }
        if ty == ServiceType::LoadBalancer {
            let addr = self.status.load_balancer.ingress.first().map(|i| {
                if i.ip.is_empty() {
                    i.hostname.clone()
                } else {
                    i.ip.clone()
                }
            });
            layers.push(Layer::LoadBalancer(addr.filter(|a| !a.is_empty())));
        }
        layers
    }
}

impl ServiceSpec {
    /// The type, with unset read as ClusterIP (what kube-proxy and the controllers do
    /// with an object the API server has not defaulted).
    pub fn effective_type(&self) -> ServiceType {
        match &self.type_ {
            ServiceType::Unset => ServiceType::ClusterIp,
            t => t.clone(),
        }
    }

    /// Whether `clusterIP` is `None`.
    pub fn is_headless(&self) -> bool {
        self.cluster_ip == "None"
    }

    /// The selector if it would select anything: `None` and `{}` both give `None`
    /// (b.6: an empty selector means no managed endpoints, not every pod).
    pub fn effective_selector(&self) -> Option<&Labels> {
        self.selector.as_ref().filter(|s| !s.is_empty())
    }

    /// Whether `externalTrafficPolicy` is `Local`.
    pub fn external_local(&self) -> bool {
        self.external_traffic_policy == TrafficPolicy::Local
    }

    /// Whether `internalTrafficPolicy` is `Local`.
    pub fn internal_local(&self) -> bool {
        self.internal_traffic_policy == TrafficPolicy::Local
    }

    /// Whether `sessionAffinity` is `ClientIP`.
    pub fn client_ip_affinity(&self) -> bool {
        self.session_affinity == SessionAffinity::ClientIp
    }
}
