//! The cluster DNS server's state: its settings, the cache of what CoreDNS watches
//! (Services, EndpointSlices, pods, namespaces), and where names outside its zones go.
//! Answering is in `server` (and `lookup`, `records`, `reverse`).

use std::collections::BTreeSet;

use super::cache::Cache;
use super::config::{DnsConfig, DnsConfigError};
use super::upstream::Upstream;
use crate::objects::{EndpointSlice, Pod, Service};

/// The cluster's DNS server, built from the objects CoreDNS watches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterDns {
    pub(super) config: DnsConfig,
    pub(super) cache: Cache,
    pub(super) upstream: Upstream,
}

impl ClusterDns {
    /// A server for `config` over these objects: `namespaces` are the namespaces that
    /// exist; names outside the zones (and NXDOMAIN in `fallthrough` zones) go to
    /// `upstream`.
    pub fn new(
        config: &DnsConfig,
        services: &[Service],
        slices: &[EndpointSlice],
        pods: &[Pod],
        namespaces: impl IntoIterator<Item = String>,
        upstream: Upstream,
    ) -> Result<ClusterDns, DnsConfigError> {
        Self::from_objects(config, services, slices, pods, namespaces, upstream)
    }

    /// [`ClusterDns::new`] over any iteration of the objects (a world's maps, without
    /// copying them into slices first).
    pub fn from_objects<'a>(
        config: &DnsConfig,
        services: impl IntoIterator<Item = &'a Service>,
        slices: impl IntoIterator<Item = &'a EndpointSlice>,
        pods: impl IntoIterator<Item = &'a Pod>,
        namespaces: impl IntoIterator<Item = String>,
        upstream: Upstream,
    ) -> Result<ClusterDns, DnsConfigError> {
        Ok(ClusterDns {
            config: config.validated()?,
            cache: Cache::build(services, slices, pods, namespaces),
            upstream,
        })
    }

    /// The settings in force (zones normalised).
    pub fn config(&self) -> &DnsConfig {
        &self.config
    }

    /// The namespaces the server knows to exist.
    pub fn namespaces(&self) -> &BTreeSet<String> {
        &self.cache.namespaces
    }
}
