//! Cluster DNS: how clients find Services by name.
//!
//! [`ClusterDns`] answers queries as CoreDNS's kubernetes plugin does (the Kubernetes
//! DNS specification, kubernetes/dns@9aa70b8f `docs/specification.md`, schema 1.1.0):
//! A/AAAA for a ClusterIP Service, one record per ready endpoint of a headless Service,
//! SRV per named port, PTR for cluster IPs and endpoint addresses, CNAME for an
//! ExternalName Service, `<a-b-c-d>.<ns>.pod` names, NXDOMAIN otherwise with the zone's
//! SOA in the authority section. It is built from the core's objects ([`crate::objects`])
//! and a [`DnsConfig`] (the Corefile stanza); names outside its zones go to an
//! [`Upstream`] table.
//!
//! A pod reaches it through its stub resolver: [`ResolvConf`] is the file the kubelet
//! writes for `dnsPolicy: ClusterFirst`, and [`resolver::search`] tries a short name
//! against the search list as glibc does, recording every query for a request's trace.
//! [`nslookup()`] prints what busybox's `nslookup` prints in a pod.
//!
//! Module map: `name` (names, zones, reverse names), `message` (types, codes, records
//! in miekg/dns's text form), `config`, `cache` (the plugin's view of the objects),
//! `records` (query name to records), `reverse` (PTR and NS names), `lookup` (records per query type), `server` (the
//! handler), `upstream`, `resolver`, `nslookup`.
//!
//! Upstream: coredns/coredns@4b26cced `plugin/kubernetes/`, `plugin/backend_lookup.go`.

mod cache;
mod cluster;
pub mod config;
mod lookup;
pub mod message;
pub mod name;
pub mod nslookup;
mod records;
pub mod resolver;
mod reverse;
mod server;
pub mod upstream;

pub use cluster::ClusterDns;
pub use config::{DnsConfig, DnsConfigError, PodMode};
pub use message::{Question, RData, Rcode, Response, Rr, RrType, Soa};
pub use name::NameError;
pub use nslookup::{NslookupOutput, nslookup};
pub use records::DNS_SCHEMA_VERSION;
pub use resolver::{Exchange, Nameserver, Resolution, ResolvConf};
pub use upstream::Upstream;

#[cfg(test)]
mod tests;
