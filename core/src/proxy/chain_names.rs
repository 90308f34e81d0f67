//! kube-proxy's chain names: base32 of a SHA-256, truncated.
//!
//! Upstream: kubernetes/kubernetes@531be812 `pkg/proxy/iptables/proxier.go` `portProtoHash`,
//! `servicePortPolicyClusterChain` (`KUBE-SVC-`), `servicePortPolicyLocalChainName`
//! (`KUBE-SVL-`), `serviceExternalChainName` (`KUBE-EXT-`), `serviceFirewallChainName`
//! (`KUBE-FW-`), `servicePortEndpointChainName` (`KUBE-SEP-`); and
//! `pkg/proxy/nftables/proxier.go` `hashAndTruncate`, `servicePortChainNameBase`,
//! `servicePortEndpointChainNameBase`.

use sha2::{Digest, Sha256};

use super::types::{Endpoint, Protocol, ServicePortName};

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 with padding, as Go's `base32.StdEncoding`.
pub fn base32_std(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < chars {
                let idx = usize::try_from((v >> (35 - 5 * i)) & 31).unwrap_or(0);
                out.push(char::from(BASE32[idx]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn hash16(input: &str) -> String {
    let digest = Sha256::digest(input.as_bytes());
    let mut s = base32_std(&digest);
    s.truncate(16);
    s
}

/// `portProtoHash`: the 16-character hash of `servicePortName + protocol`.
pub fn port_proto_hash(name: &ServicePortName, protocol: &Protocol) -> String {
    port_proto_hash_str(&name.to_string(), protocol.lower())
}

/// [`port_proto_hash`] on the strings kube-proxy hashes: `servicePortName` is
/// `namespace/name:port` (`ServicePortName.String`), `protocol` lowercase.
pub fn port_proto_hash_str(service_port_name: &str, protocol: &str) -> String {
    hash16(&format!("{service_port_name}{protocol}"))
}

/// `KUBE-SVC-…`: the Cluster-policy chain.
pub fn svc_chain(name: &ServicePortName, protocol: &Protocol) -> String {
    format!("KUBE-SVC-{}", port_proto_hash(name, protocol))
}

/// `KUBE-SVL-…`: the Local-policy chain.
pub fn svl_chain(name: &ServicePortName, protocol: &Protocol) -> String {
    format!("KUBE-SVL-{}", port_proto_hash(name, protocol))
}

/// `KUBE-EXT-…`: the external-destinations chain.
pub fn ext_chain(name: &ServicePortName, protocol: &Protocol) -> String {
    format!("KUBE-EXT-{}", port_proto_hash(name, protocol))
}

/// `KUBE-FW-…`: the load-balancer source-range firewall chain.
pub fn fw_chain(name: &ServicePortName, protocol: &Protocol) -> String {
    format!("KUBE-FW-{}", port_proto_hash(name, protocol))
}

/// `KUBE-SEP-…`: one endpoint's chain (hash of name + protocol + `ip:port`).
pub fn sep_chain(name: &ServicePortName, protocol: &Protocol, ep: &Endpoint) -> String {
    sep_chain_str(&name.to_string(), protocol.lower(), &ep.addr())
}

/// [`sep_chain`] on strings: `endpoint` is `ip:port` (`[ip]:port` for IPv6).
pub fn sep_chain_str(service_port_name: &str, protocol: &str, endpoint: &str) -> String {
    format!(
        "KUBE-SEP-{}",
        hash16(&format!("{service_port_name}{protocol}{endpoint}"))
    )
}

/// nftables `hashAndTruncate`: `HASH8-name`, cut to `chainNameBaseLengthMax` (256
/// minus the 16-character prefix allowance) with `...`.
pub fn hash_and_truncate(name: &str) -> String {
    const CHAIN_NAME_BASE_LENGTH_MAX: usize = 256 - 16;
    let digest = Sha256::digest(name.as_bytes());
    let encoded = base32_std(&digest);
    let mut out = format!("{}-{name}", encoded.get(..8).unwrap_or(""));
    if out.len() > CHAIN_NAME_BASE_LENGTH_MAX {
        let mut cut = CHAIN_NAME_BASE_LENGTH_MAX - 3;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("...");
    }
    out
}

/// nftables `servicePortChainNameBase`: `HASH-namespace/name/protocol/portName`.
pub fn nft_service_base(name: &ServicePortName, protocol: &Protocol) -> String {
    nft_service_base_str(&name.namespace, &name.name, protocol.lower(), &name.port)
}

/// [`nft_service_base`] on strings.
pub fn nft_service_base_str(namespace: &str, name: &str, protocol: &str, port: &str) -> String {
    hash_and_truncate(&format!("{namespace}/{name}/{protocol}/{port}"))
}

/// nftables `servicePortEndpointChainNameBase`: `HASH-ns/name/proto/port__ip/port`.
pub fn nft_endpoint_base(name: &ServicePortName, protocol: &Protocol, ep: &Endpoint) -> String {
    nft_endpoint_base_parts(
        &name.namespace,
        &name.name,
        protocol.lower(),
        &name.port,
        &ep.ip.to_string(),
        &ep.port.to_string(),
    )
}

/// [`nft_endpoint_base`] on strings; `endpoint` is `ip:port` (`[ip]:port` for IPv6),
/// split as Go's `net.SplitHostPort` does. `None` when it has no port.
pub fn nft_endpoint_base_str(
    namespace: &str,
    name: &str,
    protocol: &str,
    port: &str,
    endpoint: &str,
) -> Option<String> {
    let (ip, ep_port) = match endpoint.strip_prefix('[') {
        Some(rest) => {
            let (ip, tail) = rest.split_once(']')?;
            (ip, tail.strip_prefix(':')?)
        }
        None => endpoint.rsplit_once(':')?,
    };
    Some(nft_endpoint_base_parts(
        namespace, name, protocol, port, ip, ep_port,
    ))
}

fn nft_endpoint_base_parts(
    namespace: &str,
    name: &str,
    protocol: &str,
    port: &str,
    ip: &str,
    ep_port: &str,
) -> String {
    let ip = ip.replace(':', ".");
    hash_and_truncate(&format!(
        "{namespace}/{name}/{protocol}/{port}__{ip}/{ep_port}"
    ))
}

/// A stable 64-bit key for a service port (FNV-1a of its name and protocol), used to
/// keep affinity and balancing state across re-syncs.
pub fn port_key(name: &ServicePortName, protocol: &Protocol) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!("{name}/{}", protocol.lower());
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn spn(ns: &str, name: &str, port: &str) -> ServicePortName {
        ServicePortName {
            namespace: ns.into(),
            name: name.into(),
            port: port.into(),
        }
    }

    #[test]
    fn base32_matches_rfc4648_vectors() {
        assert_eq!(base32_std(b""), "");
        assert_eq!(base32_std(b"f"), "MY======");
        assert_eq!(base32_std(b"fo"), "MZXQ====");
        assert_eq!(base32_std(b"foob"), "MZXW6YQ=");
        assert_eq!(base32_std(b"foobar"), "MZXW6YTBOI======");
    }

    #[test]
    fn chain_names_match_well_known_clusters() {
        // Every kubeadm cluster has these chains; they appear in countless
        // `iptables-save` dumps.
        assert_eq!(
            svc_chain(&spn("default", "kubernetes", "https"), &Protocol::Tcp),
            "KUBE-SVC-NPX46M4PTMTKRN6Y"
        );
        assert_eq!(
            svc_chain(&spn("kube-system", "kube-dns", "dns"), &Protocol::Udp),
            "KUBE-SVC-TCOU7JCQXEZGVUNU"
        );
        assert_eq!(
            svc_chain(&spn("kube-system", "kube-dns", "dns-tcp"), &Protocol::Tcp),
            "KUBE-SVC-ERIFXISQEP7F7OF4"
        );
        assert_eq!(
            svc_chain(&spn("kube-system", "kube-dns", "metrics"), &Protocol::Tcp),
            "KUBE-SVC-JD5MR3NA4I4DYORP"
        );
    }

    #[test]
    fn nft_names_split_endpoints_and_truncate_long_names() {
        assert_eq!(
            nft_endpoint_base_str("ns1", "svc1", "udp", "dns", "[fd00:10:180::1]:53").unwrap(),
            "XXE7ST3B-ns1/svc1/udp/dns__fd00.10.180..1/53"
        );
        assert_eq!(
            nft_endpoint_base_str("a", "b", "tcp", "p", "10.0.0.1"),
            None
        );
        let long = "n".repeat(300);
        let cut = hash_and_truncate(&long);
        assert_eq!(cut.len(), 240);
        assert!(cut.ends_with("nnn..."));
        assert_eq!(
            hash_and_truncate("ns1/svc1/tcp/p80"),
            "ULMVA6XW-ns1/svc1/tcp/p80"
        );
    }
}
