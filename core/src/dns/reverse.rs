//! Reverse lookups and the DNS server's own names: PTR targets for cluster IPs and
//! ready endpoint addresses, and the NS records of a zone.
//!
//! Upstream: coredns/coredns@4b26cced `plugin/kubernetes/reverse.go` (`Reverse`,
//! `serviceRecordForIP`) and `ns.go` (`nsAddrs`, `isDefaultNS`).

use std::net::IpAddr;

use super::cluster::ClusterDns;
use super::name;
use super::records::{Ask, Backend, Found, Miss, endpoint_hostname};

impl ClusterDns {
    /// `Reverse`: the names a reverse name points to.
    /// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/reverse.go` `Reverse`.
    pub(super) fn reverse(&self, ask: &Ask) -> Found {
        let Some(ip) = name::address_from_reverse(&ask.name) else {
            return self.records(ask).map(|_| Vec::new());
        };
        let found = self.service_record_for_ip(&ip);
        if found.is_empty() {
            Err(Miss::NoItems)
        } else {
            Ok(found)
        }
    }

    /// A Service with `ip` as a cluster IP (the first one), else every ready endpoint
    /// with that address.
    /// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/reverse.go` `serviceRecordForIP`.
    ///
    /// Simplification: an EndpointSlice without the `kubernetes.io/service-name` label
    /// names no Service, so it gives no PTR (upstream would build a name with an empty
    /// label from it).
    fn service_record_for_ip(&self, ip: &str) -> Vec<Backend> {
        let Some(primary) = self.config.primary_zone() else {
            return Vec::new();
        };
        let restricted = !self.config.namespaces.is_empty();
        let ptr = |host: String| Backend {
            host,
            port: 0,
            ttl: self.config.ttl,
            target: String::new(),
            text: String::new(),
        };
        for svc in self.cache.services_with_ip(ip) {
            if restricted && !self.namespace_exposed(&svc.namespace) {
                continue;
            }
            return vec![ptr(format!("{}.{}.svc.{primary}", svc.name, svc.namespace))];
        }
        let mut out = Vec::new();
        for ep in self.cache.endpoints_with_ip(ip) {
            if (restricted && !self.namespace_exposed(&ep.namespace)) || ep.service.is_empty() {
                continue;
            }
            for addr in ep.addresses.iter().filter(|a| a.ip == ip) {
                let host = endpoint_hostname(addr, self.config.endpoint_pod_names);
                out.push(ptr(format!("{host}.{}.svc.{primary}", ep.index())));
            }
        }
        out
    }

    /// The names and addresses of the DNS server itself: the Services whose endpoints
    /// hold one of `server_ips`, else `ns.dns.<zone>` at those IPs.
    /// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/ns.go`
    /// `nsAddrs(external=false, headless=false, zone)`.
    pub(super) fn ns_addrs(&self, zone: &str) -> Vec<(String, IpAddr)> {
        let mut out = Vec::new();
        let mut found_endpoint = false;
        let locals: Vec<IpAddr> = self
            .config
            .server_ips
            .iter()
            .filter_map(|s| name::go_parse_ip(s))
            .collect();
        for local in &locals {
            for ep in self.cache.endpoints_with_ip(&name::go_ip_string(*local)) {
                found_endpoint = true;
                for svc in self.cache.services_named(&ep.namespace, &ep.service) {
                    let svc_name = format!("{}.{}.svc.{zone}", svc.name, svc.namespace);
                    if svc.headless() {
                        for a in &ep.addresses {
                            let host = endpoint_hostname(a, self.config.endpoint_pod_names);
                            if let Some(ip) = name::go_parse_ip(&a.ip) {
                                out.push((format!("{host}.{svc_name}"), ip));
                            }
                        }
                    } else {
                        for ip in svc.cluster_ips.iter().filter_map(|s| name::go_parse_ip(s)) {
                            out.push((svc_name.clone(), ip));
                        }
                    }
                }
            }
        }
        if !found_endpoint {
            out = locals
                .into_iter()
                .map(|ip| (format!("{}{zone}", name::DEFAULT_NS_NAME), ip))
                .collect();
        }
        out
    }
}
