//! The world's kube-proxy: one [`Dataplane`] for every node, kept in sync per Service.
//!
//! When the Service changes, that Service's ports are reprogrammed whole, from the
//! Service and its EndpointSlices (conditions, node, zone, the pod behind each endpoint,
//! and the port resolved per Service port name). When only pods changed, the
//! EndpointSlice controller says which slices it rewrote and only the endpoints that
//! differ in them are patched, one entry each (`program_slices`). A node joining costs
//! that node (and the Services with endpoints already on it); a node leaving
//! reprograms everything.
//!
//! Upstream: kubernetes/kubernetes@c2c7d507 `pkg/proxy/endpointslicecache.go`
//! (`endpointInfoByServicePort`: one endpoint per slice endpoint whose slice carries the
//! port name), `pkg/proxy/node.go`.
//! Simplification: one address per endpoint (the first); topology hints are not read.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use super::World;
use super::command::{Change, Verb};
use crate::apiserver::RegistryConfig;
use crate::apiserver::cluster_ip::Cidr;
use crate::apiserver::node_port::PortRange;
use crate::error::CommandError;
use crate::objects::node::ZONE_LABEL;
use crate::objects::{EndpointSlice, NamespacedName, Node, Service};
use crate::proxy::slices::endpoints_for_port;
use crate::proxy::{
    Dataplane, Endpoint, NodeInfo, PortPatch, ProxyConfig, ProxyMode, ServicePortInfo,
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
    /// The `iptables-restore` input kube-proxy writes (proxy mode iptables).
    Iptables,
    /// The nft transaction kube-proxy writes for its `kube-proxy` table (proxy mode
    /// nftables).
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
    pub(super) fn set_proxy_mode(&mut self, mode: ProxyMode) -> Change {
        self.config.proxy_mode = mode;
        self.dataplane.set_mode(mode);
        let key = NamespacedName::new("", "kube-proxy");
        self.event(
            "Node",
            &key,
            format!("kube-proxy now runs in {mode:?} mode on every node"),
        );
        Change::new("kube-proxy", key, Verb::Configured)
    }

    /// Reprograms one Service's ports from the Service and its EndpointSlices.
    pub(crate) fn program_service(&mut self, key: &NamespacedName) {
        let Some(svc) = self.services.get(key) else {
            return;
        };
        let ports = self.proxy_ports(svc);
        self.dataplane
            .update_service(&key.namespace, &key.name, ports);
    }

    /// Reprograms only the endpoints of one Service's slices named in `scope` (they were
    /// `before`, they are as stored now): one data-plane entry per changed endpoint
    /// ([`Dataplane::patch_service`]), whatever the size of the Service. Falls back to
    /// [`World::program_service`] when the patch does not fit what is programmed.
    pub(crate) fn program_slices(
        &mut self,
        key: &NamespacedName,
        before: &[EndpointSlice],
        scope: &BTreeSet<String>,
    ) {
        let Some(svc) = self.services.get(key) else {
            return self.program_service(key);
        };
        if super::cluster_dns::is_kube_dns(key) {
            return; // No rules (see `proxy_ports`).
        }
        let before: Vec<&EndpointSlice> = before.iter().collect();
        let after: Vec<&EndpointSlice> = scope
            .iter()
            .filter_map(|n| self.slices.get(&NamespacedName::new(&key.namespace, n)))
            .collect();
        // An address also listed by a slice that did not change (two pods sharing an
        // IP) is resolved by kube-proxy's cache across all slices: reprogram whole.
        let shared = before.iter().chain(&after).any(|s| {
            s.endpoints
                .iter()
                .any(|e| !self.slices.address_within(key, e.address(), scope))
        });
        if shared {
            return self.program_service(key);
        }
        let patches = ServicePortInfo::from_service(svc)
            .into_iter()
            .map(|info| {
                let ipv6 = info.cluster_ip.is_ipv6();
                let (name, proto) = (&info.name.port, &info.protocol);
                let mut was: BTreeMap<(IpAddr, u16), Endpoint> =
                    endpoints_for_port(&before, name, proto, ipv6)
                        .into_iter()
                        .map(|e| ((e.ip, e.port), e))
                        .collect();
                // Only what changed: an endpoint of a rewritten slice that is as it was
                // costs nothing.
                let upserted: Vec<Endpoint> = endpoints_for_port(&after, name, proto, ipv6)
                    .into_iter()
                    .filter(|e| was.remove(&(e.ip, e.port)).is_none_or(|old| old != *e))
                    .collect();
                let removed = was.into_keys().collect();
                PortPatch {
                    info,
                    removed,
                    upserted,
                }
            })
            .collect();
        if !self
            .dataplane
            .patch_service(&key.namespace, &key.name, patches)
        {
            self.program_service(key);
        }
    }

    /// The data plane a rebuild from the current Services and slices programs (the
    /// oracle tests compare it with the incrementally maintained one).
    #[doc(hidden)]
    pub fn dataplane_from_scratch(&self) -> Dataplane {
        let mut w = self.clone();
        w.resync_dataplane();
        w.dataplane
    }

    fn proxy_ports(&self, svc: &Service) -> Vec<(ServicePortInfo, Vec<Endpoint>)> {
        let key = svc.metadata.key();
        if super::cluster_dns::is_kube_dns(&key) {
            // CoreDNS is a cluster component here, not pods behind kube-proxy (see
            // `cluster_dns`): its Service gets no rules, rather than REJECT rules for a
            // DNS that works.
            return Vec::new();
        }
        let slices = self.slices.of_service(&key);
        ServicePortInfo::from_service(svc)
            .into_iter()
            .map(|info| {
                let ipv6 = info.cluster_ip.is_ipv6();
                let eps = endpoints_for_port(&slices, &info.name.port, &info.protocol, ipv6);
                (info, eps)
            })
            .collect()
    }

    /// A node joined: every node's kube-proxy learns it (node ports, Local policies).
    pub(super) fn program_node_joined(&mut self, node: &str) {
        match self.nodes.get(node).and_then(node_info) {
            Some(info) => {
                self.dataplane.add_node(info);
            }
            None => self.resync_dataplane(),
        }
    }

    /// A node left.
    pub(super) fn program_node_left(&mut self, _node: &str) {
        self.resync_dataplane();
    }

    /// Reprograms every node and every Service.
    fn resync_dataplane(&mut self) {
        let nodes = self.nodes.all().values().filter_map(node_info).collect();
        let ports = self
            .services
            .all()
            .values()
            .flat_map(|s| self.proxy_ports(s))
            .collect();
        self.dataplane.sync(nodes, ports);
    }
}

/// What kube-proxy knows of a node: name, IP, zone (`None` without an IPv4 address).
fn node_info(n: &Node) -> Option<NodeInfo> {
    Some(NodeInfo {
        name: n.metadata.name.clone(),
        ip: n.status.node_ip.parse().ok()?,
        zone: n.metadata.labels.get(ZONE_LABEL).cloned(),
    })
}
