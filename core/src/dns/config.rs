//! The kubernetes plugin's configuration: the Corefile stanza
//! `kubernetes ZONES { pods …; namespaces …; ttl …; fallthrough …; … }`.
//!
//! Upstream: coredns/coredns@4b26cced `plugin/kubernetes/setup.go` `ParseStanza` (option
//! names, defaults and error texts) and `kubernetes.go` `New` (defaults).
//!
//! Simplification: the options that talk to the API server (`endpoint`, `tls`,
//! `kubeconfig`, `labels`, `namespace_labels`, `noendpoints`), `multicluster`, `zonal`
//! and `autopath` are not modelled.

use std::collections::BTreeSet;
use std::fmt;

use thiserror::Error;

use super::name;

/// The plugin's default TTL.
/// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/kubernetes.go` `defaultTTL`.
pub const DEFAULT_TTL: u32 = 5;
/// The largest TTL the `ttl` option accepts.
pub const MAX_TTL: u32 = 3600;
/// The cluster domain kubeadm and the kubelet use by default.
pub const DEFAULT_CLUSTER_DOMAIN: &str = "cluster.local";

/// How `<a-b-c-d>.<ns>.pod.<zone>` names are answered (the `pods` option).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PodMode {
    /// Pod names are NXDOMAIN (the plugin's default).
    #[default]
    Disabled,
    /// Answered only when a pod with that IP exists in that namespace.
    Verified,
    /// Answered for any address in any existing namespace (kube-dns compatible).
    Insecure,
}

impl PodMode {
    /// The Corefile spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PodMode::Disabled => "disabled",
            PodMode::Verified => "verified",
            PodMode::Insecure => "insecure",
        }
    }

    /// Parses the Corefile spelling, refusing others in CoreDNS's words.
    pub fn parse(s: &str) -> Result<PodMode, DnsConfigError> {
        match s {
            "disabled" => Ok(PodMode::Disabled),
            "verified" => Ok(PodMode::Verified),
            "insecure" => Ok(PodMode::Insecure),
            _ => Err(DnsConfigError::PodMode { value: s.into() }),
        }
    }
}

impl fmt::Display for PodMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a configuration is refused, in CoreDNS's words.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DnsConfigError {
    /// `pods` with an unknown mode.
    #[error("wrong value for pods: {value},  must be one of: disabled, verified, insecure")]
    PodMode {
        /// The value given.
        value: String,
    },
    /// `ttl` out of range.
    #[error("ttl must be in range [0, 3600]: {ttl}")]
    Ttl {
        /// The value given.
        ttl: u32,
    },
    /// Only reverse zones were given.
    #[error("non-reverse zone name must be used")]
    NoForwardZone,
    /// A zone that is not a domain name.
    #[error("zone: {0}")]
    Zone(#[from] name::NameError),
}

/// The kubernetes plugin's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsConfig {
    /// The zones served, absolute; normalised to lower case when the server is built.
    pub zones: Vec<String>,
    /// The TTL of every answer (`ttl`), 0..=3600.
    pub ttl: u32,
    /// How pod names are answered (`pods`).
    pub pods: PodMode,
    /// The namespaces exposed (`namespaces`); empty exposes every namespace.
    pub namespaces: BTreeSet<String>,
    /// Zones whose NXDOMAIN answers fall through to the next plugin, the upstream
    /// (`fallthrough`); `["."]` is every zone, empty is none.
    pub fallthrough: Vec<String>,
    /// Use the pod's name for an endpoint without `hostname` (`endpoint_pod_names`).
    pub endpoint_pod_names: bool,
    /// NXDOMAIN for a ClusterIP Service without endpoints (`ignore empty_service`).
    pub ignore_empty_service: bool,
    /// The addresses CoreDNS itself listens on (its pods' IPs): they name the zone's
    /// NS records and `ns.dns.<zone>` (`localIPs`, found at startup upstream).
    pub server_ips: Vec<String>,
    /// The SOA serial: upstream, the Unix time of the last change the plugin saw.
    pub serial: u32,
}

impl Default for DnsConfig {
    /// The plugin's own defaults for `kubernetes cluster.local`.
    fn default() -> Self {
        DnsConfig {
            zones: vec![format!("{DEFAULT_CLUSTER_DOMAIN}.")],
            ttl: DEFAULT_TTL,
            pods: PodMode::Disabled,
            namespaces: BTreeSet::new(),
            fallthrough: Vec::new(),
            endpoint_pod_names: false,
            ignore_empty_service: false,
            server_ips: Vec::new(),
            serial: 0,
        }
    }
}

impl DnsConfig {
    /// The stanza kubeadm writes into the `coredns` ConfigMap:
    /// `kubernetes <domain> in-addr.arpa ip6.arpa { pods insecure; fallthrough
    /// in-addr.arpa ip6.arpa; ttl 30 }`.
    ///
    /// Upstream: kubernetes/kubernetes@008b3652
    /// `cmd/kubeadm/app/phases/addons/dns/manifests.go` `CoreDNSConfigMap`.
    pub fn kubeadm(cluster_domain: &str) -> DnsConfig {
        DnsConfig {
            zones: vec![
                name::fqdn(cluster_domain),
                "in-addr.arpa.".into(),
                "ip6.arpa.".into(),
            ],
            ttl: 30,
            pods: PodMode::Insecure,
            fallthrough: vec!["in-addr.arpa.".into(), "ip6.arpa.".into()],
            ..DnsConfig::default()
        }
    }

    /// Checks the settings and returns them normalised (zones lower-case and absolute).
    pub fn validated(&self) -> Result<DnsConfig, DnsConfigError> {
        if self.ttl > MAX_TTL {
            return Err(DnsConfigError::Ttl { ttl: self.ttl });
        }
        let mut out = self.clone();
        for z in out.zones.iter_mut().chain(out.fallthrough.iter_mut()) {
            name::check(z)?;
            *z = name::fqdn(&z.to_ascii_lowercase());
        }
        if out.primary_zone().is_none() {
            return Err(DnsConfigError::NoForwardZone);
        }
        Ok(out)
    }

    /// The first zone that is not a reverse zone: PTR targets are named in it.
    /// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/setup.go` `primaryZoneIndex`.
    pub fn primary_zone(&self) -> Option<&str> {
        self.zones
            .iter()
            .find(|z| name::is_reverse(z) == 0)
            .map(String::as_str)
    }

    /// Whether NXDOMAIN for `name` falls through.
    /// Upstream: coredns/coredns@4b26cced `plugin/pkg/fall/fall.go` `F.Through`.
    pub fn falls_through(&self, name: &str) -> bool {
        name::zone_match(&self.fallthrough, name).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_use_corednss_words() {
        assert_eq!(
            PodMode::parse("sometimes").unwrap_err().to_string(),
            "wrong value for pods: sometimes,  must be one of: disabled, verified, insecure"
        );
        let bad = DnsConfig {
            ttl: 3601,
            ..DnsConfig::default()
        };
        assert_eq!(
            bad.validated().unwrap_err().to_string(),
            "ttl must be in range [0, 3600]: 3601"
        );
        let reverse_only = DnsConfig {
            zones: vec!["0.10.in-addr.arpa.".into()],
            ..DnsConfig::default()
        };
        assert_eq!(
            reverse_only.validated().unwrap_err(),
            DnsConfigError::NoForwardZone
        );
    }

    #[test]
    fn kubeadm_stanza_and_normalisation() {
        let k = DnsConfig::kubeadm("Cluster.Local").validated().unwrap();
        assert_eq!(k.zones, ["cluster.local.", "in-addr.arpa.", "ip6.arpa."]);
        assert_eq!(k.primary_zone(), Some("cluster.local."));
        assert_eq!((k.ttl, k.pods), (30, PodMode::Insecure));
        assert!(k.falls_through("1.0.96.10.in-addr.arpa."));
        assert!(!k.falls_through("x.cluster.local."));
    }
}
