//! Domain names as miekg/dns and CoreDNS handle them: validity, labels, zone matching,
//! reverse names, and addresses parsed and printed as Go's `net` package does.
//!
//! Names are kept as the client typed them (case preserved, see RFC 4343); every
//! comparison folds ASCII case, as `dns.CompareDomainName` and CoreDNS's `match` do.
//!
//! Simplification: escaped characters in presentation form (`\.`, `\DDD`) are not
//! parsed; a backslash is an ordinary character of a label. Kubernetes names never
//! contain one.

use std::net::IpAddr;

use thiserror::Error;

/// The longest name on the wire, in octets (RFC 1035 2.3.4).
pub const MAX_NAME_OCTETS: usize = 255;
/// The longest label, in octets (RFC 1035 2.3.4).
pub const MAX_LABEL_OCTETS: usize = 63;

/// Why a string is not a domain name a resolver would send.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NameError {
    /// Nothing was given.
    #[error("domain name must not be empty")]
    Empty,
    /// Two dots in a row, or a leading dot.
    #[error("domain name \"{name}\" has an empty label")]
    EmptyLabel {
        /// The name given.
        name: String,
    },
    /// A label longer than 63 octets.
    #[error("domain name \"{name}\" has a label longer than 63 octets")]
    LabelTooLong {
        /// The name given.
        name: String,
    },
    /// More than 255 octets on the wire.
    #[error("domain name \"{name}\" is longer than 255 octets")]
    TooLong {
        /// The name given.
        name: String,
    },
}

/// Checks that `name` can be sent in a query (absolute or relative).
///
/// Upstream: miekg/dns@fa041eed `defaults.go` `IsDomainName` (label and
/// name lengths, empty labels).
pub fn check(name: &str) -> Result<(), NameError> {
    if name.is_empty() {
        return Err(NameError::Empty);
    }
    if name == "." {
        return Ok(());
    }
    let body = name.strip_suffix('.').unwrap_or(name);
    for label in body.split('.') {
        if label.is_empty() {
            return Err(NameError::EmptyLabel { name: name.into() });
        }
        if label.len() > MAX_LABEL_OCTETS {
            return Err(NameError::LabelTooLong { name: name.into() });
        }
    }
    // One length octet per label plus the root octet.
    if body.len() + 2 > MAX_NAME_OCTETS {
        return Err(NameError::TooLong { name: name.into() });
    }
    Ok(())
}

/// `name` with a trailing dot. Upstream: miekg/dns@fa041eed `defaults.go` `Fqdn`.
pub fn fqdn(name: &str) -> String {
    if name.ends_with('.') {
        name.to_owned()
    } else {
        format!("{name}.")
    }
}

/// The labels of `name`, leftmost first; the root has none.
/// Upstream: miekg/dns@fa041eed `labels.go` `SplitDomainName`.
pub fn labels(name: &str) -> Vec<&str> {
    let body = name.strip_suffix('.').unwrap_or(name);
    if body.is_empty() {
        Vec::new()
    } else {
        body.split('.').collect()
    }
}

/// Whether `a` and `b` are equal ignoring ASCII case.
/// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/kubernetes.go` `match`
/// (`strings.EqualFold`; Kubernetes names are ASCII).
pub fn eq_fold(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Whether `child` is `parent` or below it, ignoring case.
/// Upstream: miekg/dns@fa041eed `defaults.go` `IsSubDomain`
/// (`CompareDomainName == CountLabel(parent)`).
pub fn is_subdomain(parent: &str, child: &str) -> bool {
    let (p, c) = (labels(parent), labels(child));
    p.len() <= c.len()
        && p.iter()
            .rev()
            .zip(c.iter().rev())
            .all(|(a, b)| eq_fold(a, b))
}

/// The most specific of `zones` that holds `qname`: the longest, the first of equal
/// length. Upstream: coredns/coredns@4b26cced `plugin/normalize.go` `Zones.Matches`.
pub fn zone_match<'a>(zones: &'a [String], qname: &str) -> Option<&'a str> {
    let mut best: Option<&'a str> = None;
    for z in zones {
        if is_subdomain(z, qname) && best.is_none_or(|b| z.len() > b.len()) {
            best = Some(z);
        }
    }
    best
}

/// `name` without the labels of `zone` and without a trailing dot; empty when the zone
/// is as long as the name.
/// Upstream: coredns/coredns@4b26cced `plugin/pkg/dnsutil/zone.go` `TrimZone`.
pub fn trim_zone(name: &str, zone: &str) -> String {
    let l = labels(name);
    let keep = l.len().saturating_sub(labels(zone).len());
    l.get(..keep).map(|k| k.join(".")).unwrap_or_default()
}

/// The reverse tree suffix for IPv4 addresses.
pub const IP4_ARPA: &str = ".in-addr.arpa.";
/// The reverse tree suffix for IPv6 addresses.
pub const IP6_ARPA: &str = ".ip6.arpa.";

/// 1 for a name under `in-addr.arpa.`, 2 under `ip6.arpa.`, 0 otherwise.
/// Upstream: coredns/coredns@4b26cced `plugin/pkg/dnsutil/reverse.go`
/// `IsReverse` (case-sensitive, as
/// it is called on the lower-cased name).
pub fn is_reverse(name: &str) -> u8 {
    if name.ends_with(IP4_ARPA) {
        1
    } else if name.ends_with(IP6_ARPA) {
        2
    } else {
        0
    }
}

/// The address a reverse name stands for, printed as Go prints it; `None` when the name
/// is not a whole address. Upstream: coredns/coredns@4b26cced `plugin/pkg/dnsutil/reverse.go`
/// `ExtractAddressFromReverse`.
pub fn address_from_reverse(name: &str) -> Option<String> {
    if let Some(search) = name.strip_suffix(IP4_ARPA) {
        let mut parts: Vec<&str> = search.split('.').collect();
        parts.reverse();
        let ip = go_parse_ip(&parts.join("."))?;
        return match ip {
            IpAddr::V4(v4) => Some(v4.to_string()),
            IpAddr::V6(_) => None,
        };
    }
    let search = name.strip_suffix(IP6_ARPA)?;
    let mut parts: Vec<&str> = search.split('.').collect();
    parts.reverse();
    let groups: Vec<String> = parts.chunks_exact(4).map(|c| c.concat()).collect();
    go_parse_ip(&groups.join(":")).map(go_ip_string)
}

/// The reverse name of `ip` (`d.c.b.a.in-addr.arpa.`, or the 32 nibbles under
/// `ip6.arpa.`). Upstream: miekg/dns@fa041eed `defaults.go` `ReverseAddr`.
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa.")
        }
        IpAddr::V6(v6) => {
            let mut s = String::with_capacity(73);
            for byte in v6.octets().iter().rev() {
                s.push_str(&format!("{:x}.{:x}.", byte & 0xf, byte >> 4));
            }
            s.push_str("ip6.arpa.");
            s
        }
    }
}

/// Parses an address as Go's `net.ParseIP` does, folding an IPv4-mapped IPv6 address
/// to IPv4 (`To4() != nil`), which is how CoreDNS picks A over AAAA
/// (`msg.Service.HostType`).
pub fn go_parse_ip(s: &str) -> Option<IpAddr> {
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V6(v6) => Some(v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4)),
        v4 => Some(v4),
    }
}

/// `ip` as Go's `net.IP.String` prints it (RFC 5952; IPv4-mapped as dotted quad).
pub fn go_ip_string(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => v6.to_string(),
        },
        v4 => v4.to_string(),
    }
}

/// Escapes a name for presentation: the label specials (space `'` `@` `;` `(` `)` `"`
/// `\`) get a backslash, other non-printable octets become `\DDD`.
/// Upstream: miekg/dns@fa041eed `types.go` `sprintName`.
pub fn present(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, label) in name.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        for b in label.bytes() {
            match b {
                b' ' | b'\'' | b'@' | b';' | b'(' | b')' | b'"' | b'\\' => {
                    out.push('\\');
                    out.push(char::from(b));
                }
                0..=0x1f | 0x7f..=0xff => out.push_str(&format!("\\{b:03}")),
                _ => out.push(char::from(b)),
            }
        }
    }
    out
}

/// The NS record's own name below a zone.
/// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/ns.go` `defaultNSName`.
pub(crate) const DEFAULT_NS_NAME: &str = "ns.dns.";

/// Whether `name` is `ns.dns.<zone>`.
/// Upstream: coredns/coredns@4b26cced `plugin/kubernetes/ns.go` `isDefaultNS`.
pub(crate) fn is_default_ns(name: &str, zone: &str) -> bool {
    name.starts_with(DEFAULT_NS_NAME) && name.find(zone) == Some(DEFAULT_NS_NAME.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_follows_rfc_1035_limits() {
        assert_eq!(check("."), Ok(()));
        assert_eq!(check("my-svc"), Ok(()));
        assert_eq!(check("my-svc.default.svc.cluster.local."), Ok(()));
        assert_eq!(check(""), Err(NameError::Empty));
        assert!(matches!(check("a..b"), Err(NameError::EmptyLabel { .. })));
        assert!(matches!(check(".a"), Err(NameError::EmptyLabel { .. })));
        assert!(matches!(
            check(&"a".repeat(64)),
            Err(NameError::LabelTooLong { .. })
        ));
        let long = vec!["a".repeat(63); 4].join(".");
        assert_eq!(long.len(), 255);
        assert!(matches!(check(&long), Err(NameError::TooLong { .. })));
        assert_eq!(check(&long[2..]), Ok(()));
    }

    #[test]
    fn subdomains_and_zones_fold_case() {
        assert!(is_subdomain(
            "cluster.local.",
            "svc1.testns.svc.Cluster.Local."
        ));
        assert!(is_subdomain("cluster.local.", "cluster.local."));
        assert!(!is_subdomain("cluster.local.", "local."));
        assert!(!is_subdomain("cluster.local.", "xcluster.local."));
        assert!(is_subdomain(".", "anything."));
        let zones = vec!["in-addr.arpa.".to_owned(), "0.10.in-addr.arpa.".to_owned()];
        assert_eq!(
            zone_match(&zones, "1.0.0.10.in-addr.arpa."),
            Some("0.10.in-addr.arpa.")
        );
        assert_eq!(zone_match(&zones, "example.org."), None);
        assert_eq!(
            trim_zone("a.b.cluster.local.", "cluster.local."),
            "a.b".to_owned()
        );
        assert_eq!(trim_zone("cluster.local.", "cluster.local."), "");
    }

    #[test]
    fn reverse_names_round_trip() {
        assert_eq!(
            address_from_reverse("100.0.0.10.in-addr.arpa."),
            Some("10.0.0.100".into())
        );
        assert_eq!(address_from_reverse("0.0.10.in-addr.arpa."), None);
        assert_eq!(address_from_reverse("example.org."), None);
        let six = "6.a.b.9.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.";
        assert_eq!(address_from_reverse(six), Some("fd00:77:30::2:9ba6".into()));
        let ip: IpAddr = "fd00:77:30::2:9ba6".parse().unwrap();
        assert_eq!(reverse_name(ip), six);
        assert_eq!(
            reverse_name("10.96.0.10".parse().unwrap()),
            "10.0.96.10.in-addr.arpa."
        );
    }

    #[test]
    fn addresses_parse_and_print_as_go_does() {
        assert_eq!(
            go_parse_ip("::ffff:1.2.3.4"),
            Some("1.2.3.4".parse().unwrap())
        );
        assert_eq!(go_parse_ip("010.0.0.1"), None);
        assert_eq!(go_parse_ip("None"), None);
        assert_eq!(go_ip_string("10::3".parse().unwrap()), "10::3");
    }

    #[test]
    fn presentation_escapes_specials() {
        assert_eq!(present("a b.c\"d."), "a\\ b.c\\\"d.");
        assert_eq!(present("x\u{1}."), "x\\001.");
        assert_eq!(present("my-svc.default."), "my-svc.default.");
    }

    #[test]
    fn default_ns_is_ns_dns_under_the_zone() {
        assert!(is_default_ns("ns.dns.cluster.local.", "cluster.local."));
        assert!(!is_default_ns("x.ns.dns.cluster.local.", "cluster.local."));
        assert!(!is_default_ns("ns.dns.example.", "cluster.local."));
    }
}
