//! Where a client sends: the host, port and path of a URL (or a gRPC `host:port`), and
//! which Service a host names under the cluster's DNS rules.
//!
//! Upstream: golang/go@7e6685ce `src/net/url/url.go` (scheme, authority, path; default ports
//! are the scheme's: 80 for http, 443 for https); the Kubernetes DNS specification
//! (kubernetes/dns@9aa70b8f `docs/specification.md`: `<service>.<ns>.svc.<zone>`).
//!
//! Simplification: `https` is TCP to port 443 without TLS; user info, queries and
//! fragments are kept in the path text only; IPv6 literals are not read.

use std::fmt;
use std::net::IpAddr;

use crate::objects::NamespacedName;

/// A request target.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    /// `http`, `https`, or empty for a gRPC `host:port`.
    pub scheme: String,
    /// The host as written (a name or an IPv4 address).
    pub host: String,
    /// The port (the scheme's default when the URL has none).
    pub port: u16,
    /// The path and query (`/` when empty).
    pub path: String,
}

impl Target {
    /// Reads an `http://` or `https://` URL (a URL without a scheme is taken as
    /// `http://`, as fortio does). The error is Go's `net/url` text where it has one.
    pub fn parse_url(url: &str) -> Result<Target, String> {
        let (scheme, rest) = match url.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => ("http".to_owned(), url),
        };
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err(format!("unsupported protocol scheme {scheme:?}")),
        };
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let (host, port) = host_port(authority, default_port)?;
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        Ok(Target {
            scheme,
            host,
            port,
            path,
        })
    }

    /// Reads a gRPC destination: `host:port`, `host` (then `default_port`), or a URL
    /// whose scheme is dropped.
    pub fn parse_grpc(dest: &str, default_port: u16) -> Result<Target, String> {
        let rest = dest.split_once("://").map_or(dest, |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or(rest);
        let (host, port) = host_port(authority, default_port)?;
        Ok(Target {
            scheme: String::new(),
            host,
            port,
            path: String::new(),
        })
    }

    /// The host as an address, when it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// The Service a host names, as a pod in `namespace` would find it through its
    /// search list: `svc` in the pod's namespace, `svc.ns`, `svc.ns.svc`, or
    /// `svc.ns.svc.<zone>` (with or without a final dot). `None` for an address or a name
    /// outside that shape.
    pub fn named_service(&self, namespace: &str, zone: &str) -> Option<NamespacedName> {
        if self.ip().is_some() {
            return None;
        }
        let host = self.host.trim_end_matches('.').to_ascii_lowercase();
        let zone = zone.trim_end_matches('.').to_ascii_lowercase();
        let labels: Vec<&str> = host.split('.').collect();
        let svc_at = |ns_idx: usize| -> Option<NamespacedName> {
            Some(NamespacedName::new(labels.get(ns_idx)?, labels.first()?))
        };
        match labels.len() {
            1 => Some(NamespacedName::new(namespace, labels.first()?)),
            2 => svc_at(1),
            3 if labels.get(2) == Some(&"svc") => svc_at(1),
            n if n > 3 && labels.get(2) == Some(&"svc") && labels[3..].join(".") == zone => {
                svc_at(1)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Target {
    /// The URL (or `host:port` for gRPC) as a command line would carry it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scheme.is_empty() {
            return write!(f, "{}:{}", self.host, self.port);
        }
        let default = if self.scheme == "https" { 443 } else { 80 };
        write!(f, "{}://{}", self.scheme, self.host)?;
        if self.port != default {
            write!(f, ":{}", self.port)?;
        }
        f.write_str(&self.path)
    }
}

fn host_port(authority: &str, default_port: u16) -> Result<(String, u16), String> {
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => {
            let port = p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| format!("invalid port {:?} after host", format!(":{p}")))?;
            (h, port)
        }
        None => (authority, default_port),
    };
    if host.is_empty() {
        return Err("missing host in URL".to_owned());
    }
    Ok((host.to_owned(), port))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn urls_and_grpc_destinations() {
        let t = Target::parse_url("http://prod/hostname").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("prod", 80, "/hostname")
        );
        assert_eq!(t.to_string(), "http://prod/hostname");
        let t = Target::parse_url("backend.shop:9090").unwrap();
        assert_eq!(
            (t.scheme.as_str(), t.host.as_str(), t.port, t.path.as_str()),
            ("http", "backend.shop", 9090, "/")
        );
        assert_eq!(t.to_string(), "http://backend.shop:9090/");
        assert_eq!(Target::parse_url("https://x").unwrap().port, 443);
        assert!(Target::parse_url("ftp://x").is_err());
        assert!(Target::parse_url("http://x:0/").is_err());
        assert!(Target::parse_url("http:///").is_err());
        let g = Target::parse_grpc("backend:8079", 8079).unwrap();
        assert_eq!((g.host.as_str(), g.port), ("backend", 8079));
        assert_eq!(g.to_string(), "backend:8079");
        assert_eq!(Target::parse_grpc("backend", 8079).unwrap().port, 8079);
    }

    #[test]
    fn names_as_the_search_list_finds_them() {
        let svc = |h: &str| {
            Target::parse_url(&format!("http://{h}/"))
                .unwrap()
                .named_service("shop", "cluster.local")
        };
        assert_eq!(svc("prod"), Some(NamespacedName::new("shop", "prod")));
        assert_eq!(
            svc("prod.other"),
            Some(NamespacedName::new("other", "prod"))
        );
        assert_eq!(
            svc("prod.other.svc"),
            Some(NamespacedName::new("other", "prod"))
        );
        assert_eq!(
            svc("prod.other.svc.cluster.local."),
            Some(NamespacedName::new("other", "prod"))
        );
        assert_eq!(svc("prod.other.svc.example.org"), None);
        assert_eq!(svc("10.96.0.12"), None);
        assert_eq!(svc("www.example.org"), None);
    }
}
