//! The values kube-proxy works from: service ports, endpoints, nodes.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use super::sloppy::{parse_cidr_sloppy, parse_ip_sloppy};
use crate::apiserver::cluster_ip::Cidr;
pub use crate::objects::Protocol;
use crate::objects::{NamespacedName, Service, ServiceType, SessionAffinity, TrafficPolicy};

/// `namespace/name:port` — kube-proxy's `ServicePortName`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServicePortName {
    /// The Service's namespace.
    pub namespace: String,
    /// The Service's name.
    pub name: String,
    /// The port's name (empty for a single unnamed port).
    pub port: String,
}

impl fmt::Display for ServicePortName {
    /// Upstream: kubernetes/kubernetes@v1.31.0 `pkg/proxy/types.go` `ServicePortName.String`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)?;
        if !self.port.is_empty() {
            write!(f, ":{}", self.port)?;
        }
        Ok(())
    }
}

/// What kube-proxy knows about one port of one Service.
/// Upstream: kubernetes/kubernetes@78fc8e44 `pkg/proxy/serviceport.go` `BaseServicePortInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePortInfo {
    /// `namespace/name:port`.
    pub name: ServicePortName,
    /// The protocol.
    pub protocol: Protocol,
    /// The ClusterIP.
    pub cluster_ip: IpAddr,
    /// The Service port.
    pub port: u16,
    /// The node port, 0 when none.
    pub node_port: u16,
    /// `status.loadBalancer.ingress[].ip` (ipMode VIP).
    pub load_balancer_ips: Vec<IpAddr>,
    /// `spec.externalIPs`.
    pub external_ips: Vec<IpAddr>,
    /// `spec.loadBalancerSourceRanges`, trimmed and parsed (unparseable ones dropped).
    pub load_balancer_source_ranges: Vec<Cidr>,
    /// `externalTrafficPolicy: Local`.
    pub external_policy_local: bool,
    /// `internalTrafficPolicy: Local`.
    pub internal_policy_local: bool,
    /// ClientIP affinity timeout in seconds; `None` without affinity.
    pub affinity_timeout_secs: Option<u32>,
    /// `spec.healthCheckNodePort`, 0 when none.
    pub health_check_node_port: u16,
}

impl ServicePortInfo {
    /// The ports kube-proxy programs for a Service, read as kube-proxy reads the object
    /// (no API defaults: an empty `type` is ClusterIP, absent policies are Cluster).
    /// None for ExternalName, headless Services or a ClusterIP that is not an address;
    /// otherwise one per port. Addresses are parsed sloppily (leading zeros allowed) and
    /// kept only in the ClusterIP's family; `loadBalancerSourceRanges` are trimmed and
    /// parsed as CIDRs (bad ones dropped); the health-check node port only counts for a
    /// LoadBalancer with `externalTrafficPolicy: Local`.
    ///
    /// Upstream: kubernetes/kubernetes@78fc8e44 `pkg/proxy/serviceport.go` `newBaseServiceInfo`,
    /// `pkg/proxy/servicechangetracker.go` (`ShouldSkipService`,
    /// `GetClusterIPByFamily`), `pkg/api/v1/service/util.go` (`ExternalPolicyLocal`,
    /// `InternalPolicyLocal`, `NeedsHealthCheck`).
    /// Simplification: single-stack; the proxier's family is the ClusterIP's
    /// (`clusterIPs`/`ipFamilies` are not read).
    pub fn from_service(svc: &Service) -> Vec<ServicePortInfo> {
        let spec = &svc.spec;
        let ty = spec.effective_type();
        let Some(cluster_ip) = parse_ip_sloppy(&spec.cluster_ip) else {
            return Vec::new();
        };
        if ty == ServiceType::ExternalName {
            return Vec::new();
        }
        let same_family = |ip: &IpAddr| ip.is_ipv4() == cluster_ip.is_ipv4();
        let lb_ips: Vec<IpAddr> = svc
            .status
            .load_balancer
            .ingress
            .iter()
            .filter(|i| i.ip_mode.as_deref().is_none_or(|m| m == "VIP"))
            .filter_map(|i| parse_ip_sloppy(&i.ip))
            .filter(same_family)
            .collect();
        let external_ips: Vec<IpAddr> = spec
            .external_ips
            .iter()
            .filter_map(|s| parse_ip_sloppy(s))
            .filter(same_family)
            .collect();
        let source_ranges: Vec<Cidr> = spec
            .load_balancer_source_ranges
            .iter()
            .filter_map(|s| parse_cidr_sloppy(s.trim()))
            .filter(|c| same_family(&c.network))
            .collect();
        let external_policy_local = matches!(ty, ServiceType::NodePort | ServiceType::LoadBalancer)
            && spec.external_traffic_policy == TrafficPolicy::Local;
        let health_check_node_port = if ty == ServiceType::LoadBalancer && external_policy_local {
            u16::try_from(spec.health_check_node_port).unwrap_or(0)
        } else {
            0
        };
        let affinity = (spec.session_affinity == SessionAffinity::ClientIp).then(|| {
            let t = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref()?.timeout_seconds);
            u32::try_from(t.unwrap_or(crate::objects::service::DEFAULT_CLIENT_IP_AFFINITY_SECONDS))
                .unwrap_or(0)
        });
        spec.ports
            .iter()
            .filter_map(|p| {
                Some(ServicePortInfo {
                    name: ServicePortName {
                        namespace: svc.metadata.namespace.clone(),
                        name: svc.metadata.name.clone(),
                        port: p.name.clone(),
                    },
                    protocol: match &p.protocol {
                        Protocol::Unset => Protocol::Tcp,
                        known if known.is_known() => known.clone(),
                        _ => return None,
                    },
                    cluster_ip,
                    port: u16::try_from(p.port).ok().filter(|p| *p > 0)?,
                    node_port: u16::try_from(p.node_port).unwrap_or(0),
                    load_balancer_ips: lb_ips.clone(),
                    external_ips: external_ips.clone(),
                    load_balancer_source_ranges: source_ranges.clone(),
                    external_policy_local,
                    internal_policy_local: spec.internal_traffic_policy == TrafficPolicy::Local,
                    affinity_timeout_secs: affinity,
                    health_check_node_port,
                })
            })
            .collect()
    }

    /// A node port, an LB VIP or an external IP.
    /// Upstream: kubernetes/kubernetes@78fc8e44 `pkg/proxy/serviceport.go` `ExternallyAccessible`.
    pub fn externally_accessible(&self) -> bool {
        self.node_port != 0 || !self.load_balancer_ips.is_empty() || !self.external_ips.is_empty()
    }

    /// Whether the cluster-wide endpoint list is used (`UsesClusterEndpoints`).
    pub fn uses_cluster_endpoints(&self) -> bool {
        !self.internal_policy_local || self.externally_accessible()
    }

    /// Whether the node-local endpoint list is used (`UsesLocalEndpoints`).
    pub fn uses_local_endpoints(&self) -> bool {
        self.internal_policy_local || (self.external_policy_local && self.externally_accessible())
    }

    /// `externalTrafficPolicy: Local` that takes effect (`ExternalPolicyLocal`).
    pub fn external_local(&self) -> bool {
        self.external_policy_local && self.externally_accessible()
    }
}

/// One endpoint of one service port, as kube-proxy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The pod behind it (the slice endpoint's `targetRef`), when there is one.
    pub pod: Option<Arc<NamespacedName>>,
    /// The pod IP.
    pub ip: IpAddr,
    /// The resolved target port.
    pub port: u16,
    /// `nodeName`.
    pub node: String,
    /// `zone`.
    pub zone: Option<String>,
    /// `conditions.ready`.
    pub ready: bool,
    /// `conditions.serving`.
    pub serving: bool,
    /// `conditions.terminating`.
    pub terminating: bool,
    /// `hints.forZones[].name`.
    pub zone_hints: Vec<String>,
}

impl Endpoint {
    /// A ready, serving endpoint on a node, without hints.
    pub fn ready(ip: IpAddr, port: u16, node: &str) -> Self {
        Endpoint {
            pod: None,
            ip,
            port,
            node: node.to_owned(),
            zone: None,
            ready: true,
            serving: true,
            terminating: false,
            zone_hints: Vec::new(),
        }
    }

    /// `ip:port` as kube-proxy prints it (IPv6 in brackets).
    pub fn addr(&self) -> String {
        match self.ip {
            IpAddr::V4(v4) => format!("{v4}:{}", self.port),
            IpAddr::V6(v6) => format!("[{v6}]:{}", self.port),
        }
    }
}

/// A node, as its kube-proxy knows itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    /// The node name.
    pub name: String,
    /// The node's IP (NodePorts listen on it).
    pub ip: IpAddr,
    /// `topology.kubernetes.io/zone`.
    pub zone: Option<String>,
}
