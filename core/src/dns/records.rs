//! From a query name to the plugin's internal records (`msg.Service`): the name's
//! grammar, Services and their endpoints, pods, and what each query type looks at.
//!
//! Upstream: coredns/coredns@4b26cced `plugin/kubernetes/parse.go` (`parseRequest`),
//! `kubernetes.go` (`Services`, `Records`, `findServices`, `findPods`,
//! `endpointHostname`), `namespace.go` (`namespaceExposed`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::cache::AddrRec;
use super::cluster::ClusterDns;
use super::message::RrType;
use super::name::{self, eq_fold};

/// The schema version the `dns-version` TXT record carries.
/// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/kubernetes.go` `DNSSchemaVersion`.
pub const DNS_SCHEMA_VERSION: &str = "1.1.0";
/// The TTL of the `dns-version` record.
const DNS_VERSION_TTL: u32 = 28800;

/// One record the plugin found (`msg.Service`): `host` is an address or, for an
/// ExternalName Service, a name; `target` is the name the record's key spells
/// (`msg.Domain(Key)`), which SRV and NS records point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Backend {
    pub host: String,
    pub port: i32,
    pub ttl: u32,
    pub target: String,
    pub text: String,
}

/// What `host` holds. Upstream: coredns/coredns@4b26cced `plugin/etcd/msg/type.go` `HostType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HostType {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Cname,
    Txt,
}

impl Backend {
    pub fn host_type(&self) -> HostType {
        match name::go_parse_ip(&self.host) {
            Some(IpAddr::V4(v4)) => HostType::A(v4),
            Some(IpAddr::V6(v6)) => HostType::Aaaa(v6),
            None if self.text.is_empty() => HostType::Cname,
            None => HostType::Txt,
        }
    }
}

/// Why a name does not exist. Every one is a name error (`IsNameError`): NXDOMAIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Miss {
    /// `no items found`.
    NoItems,
    /// `namespace is not exposed`: not in `namespaces`, or it does not exist.
    NamespaceNotExposed,
    /// `invalid query name`: not of the schema's shape.
    InvalidRequest,
}

/// Records found, or why the name does not exist.
pub(super) type Found = Result<Vec<Backend>, Miss>;

/// A question as the plugin sees it (`request.Request`): the name as asked, the name
/// lower-cased, the type, and the zone (the asked name's own suffix, case kept).
#[derive(Debug, Clone)]
pub(super) struct Ask<'a> {
    pub qname: String,
    pub name: String,
    pub qtype: RrType,
    pub zone: &'a str,
}

impl<'a> Ask<'a> {
    pub fn new(qname: &str, qtype: RrType, zone: &'a str) -> Ask<'a> {
        let qname = name::fqdn(qname);
        Ask {
            name: qname.to_ascii_lowercase(),
            qname,
            qtype,
            zone,
        }
    }

    /// The same question about another name (`NewWithQuestion`).
    pub fn with(&self, qname: &str, qtype: RrType) -> Ask<'a> {
        Ask::new(qname, qtype, self.zone)
    }
}

/// The parts of `[_port._proto.|endpoint.]service.namespace.(svc|pod).zone`; unparsed
/// parts are empty.
/// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/parse.go` `recordRequest`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RecordRequest {
    pub port: String,
    pub protocol: String,
    pub endpoint: String,
    pub service: String,
    pub namespace: String,
    pub pod_or_svc: String,
}

/// Splits a lower-cased query name.
/// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/parse.go` `parseRequest` (multicluster
/// and zonal names off).
pub(super) fn parse_request(name: &str, zone: &str) -> Result<RecordRequest, Miss> {
    let mut r = RecordRequest::default();
    let base = name::trim_zone(name, zone);
    if base.is_empty() || base == "svc" || base == "pod" {
        return Ok(r);
    }
    let segs = name::labels(&base);
    let mut rest = segs.as_slice();
    let mut next = || {
        let (last, before) = rest.split_last()?;
        rest = before;
        Some((*last).to_owned())
    };
    let Some(kind) = next() else { return Ok(r) };
    if kind != "pod" && kind != "svc" {
        return Err(Miss::InvalidRequest);
    }
    r.pod_or_svc = kind;
    let Some(namespace) = next() else {
        return Ok(r);
    };
    r.namespace = namespace;
    let Some(service) = next() else { return Ok(r) };
    r.service = service;
    match rest {
        [] => {}
        [endpoint] => r.endpoint = (*endpoint).to_owned(),
        [port, protocol] => {
            r.port = strip_underscore(port).to_owned();
            r.protocol = strip_underscore(protocol).to_owned();
        }
        _ => return Err(Miss::InvalidRequest),
    }
    Ok(r)
}

fn strip_underscore(s: &str) -> &str {
    s.strip_prefix('_').unwrap_or(s)
}

/// The name a key spells: `path` (outermost first, e.g. `svc, ns, name`) under `zone`.
/// Upstream: coredns/coredns@4b26cced `plugin/etcd/msg/path.go`
/// `msg.Domain(strings.Join([msg.Path(zone), …], "/"))`.
pub(super) fn key_domain(zone: &str, path: &[&str]) -> String {
    let mut labels: Vec<&str> = path
        .iter()
        .rev()
        .copied()
        .filter(|l| !l.is_empty())
        .collect();
    labels.extend(name::labels(zone));
    format!("{}.", labels.join("."))
}

/// An endpoint's DNS label: its `hostname`, else (with `endpoint_pod_names`) its pod's
/// name, else its IP with dashes.
/// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/kubernetes.go` `endpointHostname`.
pub(super) fn endpoint_hostname(addr: &AddrRec, endpoint_pod_names: bool) -> String {
    if !addr.hostname.is_empty() {
        return addr.hostname.clone();
    }
    if endpoint_pod_names && !addr.target_ref_name.is_empty() {
        return addr.target_ref_name.clone();
    }
    if addr.ip.contains('.') {
        return addr.ip.replace('.', "-");
    }
    if addr.ip.contains(':') {
        let h = addr.ip.replace(':', "-");
        return if h.ends_with('-') { h + "0" } else { h };
    }
    String::new()
}

/// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/kubernetes.go` `matchPortAndProtocol` (the
/// query's parts may be empty).
fn match_port_and_protocol(q_port: &str, port: &str, q_proto: &str, proto: &str) -> bool {
    (q_port.is_empty() || eq_fold(q_port, port)) && (q_proto.is_empty() || eq_fold(q_proto, proto))
}

impl ClusterDns {
    /// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/namespace.go` `namespaceExposed`.
    pub(super) fn namespace_exposed(&self, namespace: &str) -> bool {
        let ns = &self.config.namespaces;
        (ns.is_empty() || ns.contains(namespace)) && self.cache.namespace_exists(namespace)
    }

    /// `Services`: what a query of `ask.qtype` finds.
    /// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/kubernetes.go` `Services`.
    pub(super) fn services(&self, ask: &Ask) -> Found {
        match ask.qtype {
            RrType::Txt => {
                let t = name::trim_zone(&ask.name, ask.zone);
                if name::labels(&t) == ["dns-version"] {
                    return Ok(vec![Backend {
                        host: String::new(),
                        port: 0,
                        ttl: DNS_VERSION_TTL,
                        target: ask.qname.clone(),
                        text: DNS_SCHEMA_VERSION.into(),
                    }]);
                }
                // NODATA when the name holds records of another type, else NXDOMAIN.
                return match self.records(ask) {
                    Ok(found) if !found.is_empty() => Ok(Vec::new()),
                    _ => Err(Miss::NoItems),
                };
            }
            RrType::Ns => {
                let ttl = self.config.ttl;
                return Ok(self
                    .ns_addrs(ask.zone)
                    .into_iter()
                    .map(|(owner, ip)| Backend {
                        host: name::go_ip_string(ip),
                        port: 0,
                        ttl,
                        target: owner,
                        text: String::new(),
                    })
                    .collect());
            }
            _ => {}
        }
        if name::is_default_ns(&ask.name, ask.zone) {
            let want_v4 = ask.qtype == RrType::A;
            let want_v6 = ask.qtype == RrType::Aaaa;
            return Ok(self
                .ns_addrs(ask.zone)
                .into_iter()
                .filter(|(_, ip)| (ip.is_ipv4() && want_v4) || (ip.is_ipv6() && want_v6))
                .map(|(_, ip)| Backend {
                    host: name::go_ip_string(ip),
                    port: 0,
                    ttl: self.config.ttl,
                    target: ask.qname.clone(),
                    text: String::new(),
                })
                .collect());
        }
        let found = self.records(ask)?;
        if ask.qtype != RrType::Srv {
            return Ok(found);
        }
        // SRV for ExternalName Services is not implemented upstream: drop those.
        Ok(found
            .into_iter()
            .filter(|b| b.host_type() != HostType::Cname)
            .collect())
    }

    /// `Records`: Services, endpoints or pods for a forward name.
    pub(super) fn records(&self, ask: &Ask) -> Found {
        let r = parse_request(&ask.name, ask.zone)?;
        if r.pod_or_svc.is_empty() {
            return Ok(Vec::new());
        }
        if name::is_reverse(&ask.name) > 0 {
            return Err(Miss::NoItems);
        }
        if !self.namespace_exposed(&r.namespace) {
            return Err(Miss::NamespaceNotExposed);
        }
        if r.pod_or_svc == "pod" {
            self.find_pods(&r, ask.zone)
        } else {
            self.find_services(&r, ask.zone)
        }
    }

    /// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/kubernetes.go` `findPods`.
    fn find_pods(&self, r: &RecordRequest, zone: &str) -> Found {
        if self.config.pods == super::PodMode::Disabled || !self.namespace_exposed(&r.namespace) {
            return Err(Miss::NoItems);
        }
        let podname = &r.service;
        if podname.is_empty() {
            return Ok(Vec::new());
        }
        let ip = if podname.matches('-').count() == 3 && !podname.contains("--") {
            podname.replace('-', ".")
        } else {
            podname.replace('-', ":")
        };
        let backend = || Backend {
            host: ip.clone(),
            port: 0,
            ttl: self.config.ttl,
            target: key_domain(zone, &["pod", &r.namespace, podname]),
            text: String::new(),
        };
        if self.config.pods == super::PodMode::Insecure {
            return match name::go_parse_ip(&ip) {
                Some(_) => Ok(vec![backend()]),
                None => Err(Miss::NoItems),
            };
        }
        let found: Vec<Backend> = self
            .cache
            .pods
            .iter()
            .filter(|(pod_ip, ns)| *pod_ip == ip && eq_fold(&r.namespace, ns))
            .map(|_| backend())
            .collect();
        if found.is_empty() {
            Err(Miss::NoItems)
        } else {
            Ok(found)
        }
    }

    /// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/kubernetes.go`
    /// `findServices` (zonal names off).
    fn find_services(&self, r: &RecordRequest, zone: &str) -> Found {
        if r.service.is_empty() {
            return Ok(Vec::new());
        }
        let mut miss = Some(Miss::NoItems);
        let mut out = Vec::new();
        let ttl = self.config.ttl;
        for svc in self.cache.services_named(&r.namespace, &r.service) {
            if self.config.ignore_empty_service && !svc.external_name_type && !svc.headless() {
                let addresses: usize = self
                    .cache
                    .endpoints_of(&svc.namespace, &svc.name)
                    .map(|e| e.addresses.len())
                    .sum();
                if addresses == 0 {
                    continue;
                }
            }
            if svc.external_name_type {
                if !r.endpoint.is_empty() || !r.port.is_empty() || !r.protocol.is_empty() {
                    continue;
                }
                let b = Backend {
                    host: svc.external_name.clone(),
                    port: 0,
                    ttl,
                    target: key_domain(zone, &["svc", &svc.namespace, &svc.name]),
                    text: String::new(),
                };
                if b.host_type() == HostType::Cname {
                    out.push(b);
                    miss = None;
                }
                continue;
            }
            if svc.headless() || !r.endpoint.is_empty() {
                for ep in self.cache.endpoints_of(&svc.namespace, &svc.name) {
                    for addr in &ep.addresses {
                        let host = endpoint_hostname(addr, self.config.endpoint_pod_names);
                        if !r.endpoint.is_empty() && !eq_fold(&r.endpoint, &host) {
                            continue;
                        }
                        for p in &ep.ports {
                            if !match_port_and_protocol(&r.port, &p.name, &r.protocol, &p.protocol)
                            {
                                continue;
                            }
                            out.push(Backend {
                                host: addr.ip.clone(),
                                port: p.port,
                                ttl,
                                target: key_domain(
                                    zone,
                                    &["svc", &svc.namespace, &svc.name, &host],
                                ),
                                text: String::new(),
                            });
                            miss = None;
                        }
                    }
                }
                continue;
            }
            for p in &svc.ports {
                if !match_port_and_protocol(&r.port, &p.name, &r.protocol, &p.protocol) {
                    continue;
                }
                miss = None;
                for ip in &svc.cluster_ips {
                    out.push(Backend {
                        host: ip.clone(),
                        port: p.port,
                        ttl,
                        target: key_domain(zone, &["svc", &svc.namespace, &svc.name]),
                        text: String::new(),
                    });
                }
            }
        }
        match miss {
            Some(m) => Err(m),
            None => Ok(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(name: &str) -> Result<RecordRequest, Miss> {
        parse_request(name, "cluster.local.")
    }

    #[test]
    fn parse_request_reads_the_schema() {
        let r = parsed("_http._tcp.svc1.testns.svc.cluster.local.").unwrap();
        assert_eq!(
            (r.port.as_str(), r.protocol.as_str(), r.service.as_str()),
            ("http", "tcp", "svc1")
        );
        assert_eq!(
            (r.namespace.as_str(), r.pod_or_svc.as_str()),
            ("testns", "svc")
        );
        let e = parsed("ep1a.svc1.testns.svc.cluster.local.").unwrap();
        assert_eq!(e.endpoint, "ep1a");
        assert_eq!(parsed("svc.cluster.local."), Ok(RecordRequest::default()));
        assert_eq!(parsed("foo.cluster.local."), Err(Miss::InvalidRequest));
        assert_eq!(
            parsed("a.b.c.svc1.testns.svc.cluster.local."),
            Err(Miss::InvalidRequest)
        );
        let ns_only = parsed("testns.svc.cluster.local.").unwrap();
        assert_eq!(
            (ns_only.namespace.as_str(), ns_only.service.as_str()),
            ("testns", "")
        );
    }

    #[test]
    fn endpoint_hostnames_follow_coredns() {
        let addr = |ip: &str, hostname: &str| AddrRec {
            ip: ip.into(),
            hostname: hostname.into(),
            target_ref_name: "web-0".into(),
        };
        assert_eq!(
            endpoint_hostname(&addr("172.0.0.2", ""), false),
            "172-0-0-2"
        );
        assert_eq!(endpoint_hostname(&addr("172.0.0.2", "ep1a"), false), "ep1a");
        assert_eq!(endpoint_hostname(&addr("172.0.0.2", ""), true), "web-0");
        assert_eq!(
            endpoint_hostname(&addr("5678:abcd::", ""), false),
            "5678-abcd--0"
        );
    }

    #[test]
    fn key_domains_keep_the_zones_case() {
        assert_eq!(
            key_domain("Cluster.Local.", &["svc", "ns", "web", "web-0"]),
            "web-0.web.ns.svc.Cluster.Local."
        );
        assert_eq!(key_domain(".", &["svc", "ns", "web"]), "web.ns.svc.");
    }
}
