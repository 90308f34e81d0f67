//! The world's kube-proxy: one [`Dataplane`] for every node, kept in sync per Service.
//!
//! After the EndpointSlice controller syncs a Service (or the Service changes), only
//! that Service's ports are reprogrammed, from the Service and its EndpointSlices
//! (conditions, node, zone, and the port resolved per Service port name). Adding or
//! removing a node reprograms everything, as every port's per-node lists change.
//!
//! Upstream: kubernetes/kubernetes `pkg/proxy/endpointslicecache.go`
//! (`endpointInfoByServicePort`: one endpoint per slice endpoint whose slice carries the
//! port name), `pkg/proxy/node.go`.
//! Simplification: one address per endpoint (the first); topology hints are not read.

use std::net::IpAddr;

use super::World;
use crate::apiserver::RegistryConfig;
use crate::apiserver::cluster_ip::Cidr;
use crate::apiserver::node_port::PortRange;
use crate::error::CommandError;
use crate::objects::node::ZONE_LABEL;
use crate::objects::{EndpointSlice, Protocol as ApiProtocol, Service};
use crate::proxy::{
    Dataplane, Endpoint, NodeInfo, Protocol, ProxyConfig, ProxyMode, ServicePortInfo,
    rules_iptables, rules_nft,
};

/// The pod CIDR every node's range is carved from (kubeadm's flannel default).
pub const CLUSTER_CIDR: &str = "10.244.0.0/16";

/// How the simulated cluster is configured: the API server's ranges, the cloud's
/// load-balancer addresses, kube-proxy's mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// `--service-cluster-ip-range` (default `10.96.0.0/12`).
    pub service_cidr: String,
    /// `--service-node-port-range` (default 30000-32767).
    pub node_port_range: PortRange,
    /// Addresses the simulated cloud hands to LoadBalancer Services (default
    /// `203.0.113.10`–`203.0.113.19`); empty leaves them `<pending>`.
    pub load_balancer_pool: Vec<IpAddr>,
    /// kube-proxy's `--proxy-mode` (default iptables).
    pub proxy_mode: ProxyMode,
    /// The most pods the world may ask for in all (default
    /// [`MAX_PODS`](crate::limits::MAX_PODS); benchmarks raise it).
    pub max_pods: u32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        let r = RegistryConfig::default();
        ClusterConfig {
            service_cidr: r.service_cidr,
            node_port_range: r.node_port_range,
            load_balancer_pool: r.load_balancer_pool,
            proxy_mode: ProxyMode::Iptables,
            max_pods: crate::limits::MAX_PODS,
        }
    }
}

impl ClusterConfig {
    pub(super) fn registry_config(&self) -> RegistryConfig {
        RegistryConfig {
            service_cidr: self.service_cidr.clone(),
            node_port_range: self.node_port_range,
            load_balancer_pool: self.load_balancer_pool.clone(),
            load_balancer_class: None,
        }
    }

    pub(super) fn proxy_config(&self) -> Result<ProxyConfig, CommandError> {
        let bad = |e: crate::apiserver::cluster_ip::CidrError| CommandError::InvalidConfig {
            detail: e.to_string(),
        };
        Ok(ProxyConfig {
            mode: self.proxy_mode,
            cluster_cidr: Some(Cidr::parse(CLUSTER_CIDR).map_err(bad)?),
            service_cidr: Some(Cidr::parse(&self.service_cidr).map_err(bad)?),
        })
    }
}

/// Which kube-proxy rules [`World::rules`] renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulesFormat {
    /// `iptables-save` output (proxy mode iptables).
    Iptables,
    /// `nft list table ip kube-proxy` output (proxy mode nftables).
    Nftables,
}

impl World {
    /// The cluster's kube-proxy state (read-only; route with [`World::step`]'s traffic).
    pub fn dataplane(&self) -> &Dataplane {
        &self.dataplane
    }

    /// The cluster configuration the world was built with.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// The rules kube-proxy would program on `node`, in the chosen format.
    pub fn rules(&self, node: &str, format: RulesFormat) -> Result<String, CommandError> {
        let out = match format {
            RulesFormat::Iptables => rules_iptables::render(&self.dataplane, node),
            RulesFormat::Nftables => rules_nft::render(&self.dataplane, node),
        };
        out.ok_or_else(|| CommandError::NoProxyState {
            name: node.to_owned(),
        })
    }

    /// Switches kube-proxy's mode on every node (balancing state starts afresh).
    pub fn set_proxy_mode(&mut self, mode: ProxyMode) {
        self.config.proxy_mode = mode;
        self.dataplane.set_mode(mode);
        self.event(
            "Node",
            "kube-proxy",
            format!("kube-proxy now runs in {mode:?} mode on every node"),
        );
    }

    /// Reprograms one Service's ports from the Service and its EndpointSlices.
    pub(super) fn program_service(&mut self, name: &str) {
        let Some(svc) = self.services.get(name) else {
            return;
        };
        let ports = self.proxy_ports(svc);
        let (ns, n) = (svc.metadata.namespace.clone(), svc.metadata.name.clone());
        self.dataplane.update_service(&ns, &n, ports);
    }

    fn proxy_ports(&self, svc: &Service) -> Vec<(ServicePortInfo, Vec<Endpoint>)> {
        let slices = self.endpoint_slices_for(&svc.metadata.name);
        ServicePortInfo::from_service(svc)
            .into_iter()
            .map(|info| {
                let eps = endpoints_for(&slices, &info.name.port, info.protocol);
                (info, eps)
            })
            .collect()
    }

    /// Reprograms every node and every Service (after a node joins or leaves).
    pub(super) fn resync_dataplane(&mut self) {
        let nodes = self
            .nodes
            .values()
            .filter_map(|n| {
                Some(NodeInfo {
                    name: n.metadata.name.clone(),
                    ip: n.status.node_ip.parse().ok()?,
                    zone: n.metadata.labels.get(ZONE_LABEL).cloned(),
                })
            })
            .collect();
        let ports = self
            .services
            .values()
            .flat_map(|s| self.proxy_ports(s))
            .collect();
        self.dataplane.sync(nodes, ports);
    }
}

fn same_protocol(a: ApiProtocol, b: Protocol) -> bool {
    matches!(
        (a, b),
        (ApiProtocol::Tcp, Protocol::Tcp)
            | (ApiProtocol::Udp, Protocol::Udp)
            | (ApiProtocol::Sctp, Protocol::Sctp)
    )
}

/// The endpoints of one service port: every endpoint of every slice that carries a port
/// of that name and protocol, with that slice's port number.
fn endpoints_for(slices: &[&EndpointSlice], port_name: &str, protocol: Protocol) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for s in slices {
        let Some(p) = s
            .ports
            .iter()
            .find(|p| p.name == port_name && same_protocol(p.protocol, protocol))
        else {
            continue;
        };
        let Ok(port) = u16::try_from(p.port) else {
            continue;
        };
        for e in &s.endpoints {
            let Ok(ip) = e.address().parse::<IpAddr>() else {
                continue;
            };
            out.push(Endpoint {
                ip,
                port,
                node: e.node_name.clone().unwrap_or_default(),
                zone: e.zone.clone(),
                ready: e.conditions.ready,
                serving: e.conditions.serving,
                terminating: e.conditions.terminating,
                zone_hints: Vec::new(),
            });
        }
    }
    out.sort_by_key(|e| (e.ip, e.port));
    out
}
