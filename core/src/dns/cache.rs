//! What the kubernetes plugin keeps of the API objects it watches: stripped Services,
//! EndpointSlices turned into `Endpoints` (ready addresses only), pods by IP, and the
//! namespaces that exist, with the indexes its lookups use.
//!
//! Upstream: coredns/coredns@4b26cced `plugin/kubernetes/object/{service.go,
//! endpoint.go, pod.go}` (`ToService`, `EndpointSliceToEndpoints`, `ToPod`) and
//! `controller.go` (the indexers; pods listed with `status.phase!=Succeeded,
//! status.phase!=Failed,status.phase!=Unknown`).

use std::collections::{BTreeMap, BTreeSet};

use crate::objects::{EndpointSlice, Pod, PodPhase, Service, ServiceType};

/// A port of a Service or of a slice; `port == -1` is the sentinel CoreDNS adds when
/// there are none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PortRec {
    pub name: String,
    pub protocol: String,
    pub port: i32,
}

impl PortRec {
    fn sentinel() -> Vec<PortRec> {
        vec![PortRec {
            name: String::new(),
            protocol: String::new(),
            port: -1,
        }]
    }
}

/// `object.Service`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SvcRec {
    pub name: String,
    pub namespace: String,
    pub external_name_type: bool,
    pub cluster_ips: Vec<String>,
    pub external_name: String,
    pub ports: Vec<PortRec>,
}

impl SvcRec {
    /// `ClusterIPs[0] == "None"`.
    pub fn headless(&self) -> bool {
        self.cluster_ips.first().is_some_and(|ip| ip == "None")
    }
}

/// `object.EndpointAddress`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AddrRec {
    pub ip: String,
    pub hostname: String,
    pub target_ref_name: String,
}

/// `object.Endpoints`: one per EndpointSlice, its one subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EpRec {
    /// The `kubernetes.io/service-name` label (empty when absent).
    pub service: String,
    pub namespace: String,
    pub addresses: Vec<AddrRec>,
    pub ports: Vec<PortRec>,
}

impl EpRec {
    /// `Index`: `service.namespace`.
    pub fn index(&self) -> String {
        format!("{}.{}", self.service, self.namespace)
    }
}

/// The objects as the plugin's informers hold them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Cache {
    pub services: Vec<SvcRec>,
    pub endpoints: Vec<EpRec>,
    /// `(pod IP, namespace)` of each pod the informer keeps.
    pub pods: Vec<(String, String)>,
    pub namespaces: BTreeSet<String>,
    by_service: BTreeMap<(String, String), Vec<usize>>,
    by_endpoints: BTreeMap<(String, String), Vec<usize>>,
    by_cluster_ip: BTreeMap<String, Vec<usize>>,
    by_endpoint_ip: BTreeMap<String, Vec<usize>>,
}

impl Cache {
    /// Builds the cache from the objects, in their order.
    pub fn build<'a>(
        services: impl IntoIterator<Item = &'a Service>,
        slices: impl IntoIterator<Item = &'a EndpointSlice>,
        pods: impl IntoIterator<Item = &'a Pod>,
        namespaces: impl IntoIterator<Item = String>,
    ) -> Cache {
        let mut c = Cache {
            services: services.into_iter().map(to_service).collect(),
            endpoints: slices.into_iter().map(to_endpoints).collect(),
            pods: pods
                .into_iter()
                .filter(|p| listed(p))
                .map(|p| (p.status.pod_ip.clone(), p.metadata.namespace.clone()))
                .collect(),
            namespaces: namespaces.into_iter().collect(),
            ..Cache::default()
        };
        for (i, s) in c.services.iter().enumerate() {
            let key = (s.namespace.clone(), s.name.clone());
            c.by_service.entry(key).or_default().push(i);
            for ip in &s.cluster_ips {
                c.by_cluster_ip.entry(ip.clone()).or_default().push(i);
            }
        }
        for (i, e) in c.endpoints.iter().enumerate() {
            let key = (e.namespace.clone(), e.service.clone());
            c.by_endpoints.entry(key).or_default().push(i);
            for a in &e.addresses {
                let at = c.by_endpoint_ip.entry(a.ip.clone()).or_default();
                if at.last() != Some(&i) {
                    at.push(i);
                }
            }
        }
        c
    }

    /// `SvcIndex(name.namespace)`.
    pub fn services_named(&self, namespace: &str, name: &str) -> impl Iterator<Item = &SvcRec> {
        self.lookup(&self.by_service, namespace, name)
            .iter()
            .filter_map(|&i| self.services.get(i))
    }

    /// `EpIndex(name.namespace)`.
    pub fn endpoints_of(&self, namespace: &str, service: &str) -> impl Iterator<Item = &EpRec> {
        self.lookup(&self.by_endpoints, namespace, service)
            .iter()
            .filter_map(|&i| self.endpoints.get(i))
    }

    /// `SvcIndexReverse(ip)`: Services with `ip` among their cluster IPs.
    pub fn services_with_ip(&self, ip: &str) -> impl Iterator<Item = &SvcRec> {
        self.by_cluster_ip
            .get(ip)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.services.get(i))
    }

    /// `EpIndexReverse(ip)`: Endpoints with `ip` among their ready addresses.
    pub fn endpoints_with_ip(&self, ip: &str) -> impl Iterator<Item = &EpRec> {
        self.by_endpoint_ip
            .get(ip)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.endpoints.get(i))
    }

    /// `GetNamespaceByName(ns) == nil`.
    pub fn namespace_exists(&self, namespace: &str) -> bool {
        self.namespaces.contains(namespace)
    }

    fn lookup<'a>(
        &self,
        map: &'a BTreeMap<(String, String), Vec<usize>>,
        namespace: &str,
        name: &str,
    ) -> &'a [usize] {
        map.get(&(namespace.to_owned(), name.to_owned()))
            .map_or(&[][..], Vec::as_slice)
    }
}

/// `object.ToService`: `clusterIPs`, or `[clusterIP]`; a `-1` port when there are none.
fn to_service(s: &Service) -> SvcRec {
    let cluster_ips = if s.spec.cluster_ips.is_empty() {
        vec![s.spec.cluster_ip.clone()]
    } else {
        s.spec.cluster_ips.clone()
    };
    let ports = if s.spec.ports.is_empty() {
        PortRec::sentinel()
    } else {
        s.spec
            .ports
            .iter()
            .map(|p| PortRec {
                name: p.name.clone(),
                protocol: p.protocol.as_str().to_owned(),
                port: p.port,
            })
            .collect()
    };
    SvcRec {
        name: s.metadata.name.clone(),
        namespace: s.metadata.namespace.clone(),
        external_name_type: s.spec.type_ == ServiceType::ExternalName,
        cluster_ips,
        external_name: s.spec.external_name.clone(),
        ports,
    }
}

/// `object.EndpointSliceToEndpoints`: only endpoints whose `ready` condition holds; a
/// target ref name only when shorter than 64 octets; a `-1` port when there are none.
///
/// The EndpointSlice controller already sets `ready` for every endpoint of a Service
/// with `publishNotReadyAddresses`, which is how such Services publish not-ready pods.
fn to_endpoints(slice: &EndpointSlice) -> EpRec {
    let ports = if slice.ports.is_empty() {
        PortRec::sentinel()
    } else {
        slice
            .ports
            .iter()
            .map(|p| PortRec {
                name: p.name.clone(),
                protocol: p.protocol.as_str().to_owned(),
                port: p.port,
            })
            .collect()
    };
    let mut addresses = Vec::new();
    for end in slice.endpoints.iter().filter(|e| e.conditions.ready) {
        let target_ref_name = end
            .target_ref
            .as_ref()
            .map(|r| r.name.clone())
            .filter(|n| n.len() < 64)
            .unwrap_or_default();
        for a in &end.addresses {
            addresses.push(AddrRec {
                ip: a.clone(),
                hostname: end.hostname.clone().unwrap_or_default(),
                target_ref_name: target_ref_name.clone(),
            });
        }
    }
    EpRec {
        service: slice.service_name().unwrap_or_default().to_owned(),
        namespace: slice.metadata.namespace.clone(),
        addresses,
        ports,
    }
}

/// Whether the pod informer holds `p`: its list skips Succeeded, Failed and Unknown
/// pods.
///
/// Simplification: upstream `ToPod` drops an *add* of a pod that already has a
/// deletion timestamp but keeps the version it saw before termination began; the
/// world's pods are always seen before they terminate, so terminating pods are kept.
fn listed(p: &Pod) -> bool {
    !matches!(
        p.status.phase,
        PodPhase::Succeeded | PodPhase::Failed | PodPhase::Unknown
    )
}
