//! kube-proxy's "sloppy" address parsing: IPv4 fields with leading zeros are read as
//! decimal, as Go's `net.ParseIP` did before Go 1.17.
//!
//! kube-proxy reads every address in a Service or EndpointSlice this way, so an old
//! object holding `172.30.0.041` still works and is written out canonically
//! (`172.30.0.41`).
//!
//! Upstream: kubernetes/utils@cf1189d6 `net/ipnet.go` + `net/parse.go` (`ParseIPSloppy`,
//! `ParseCIDRSloppy`, forked from Go 1.16 `net.parseIPv4` / `dtoi`).
//! Simplification: an IPv6 address with an embedded, zero-padded IPv4 tail is refused
//! (Rust's parser reads the IPv6 part).

use std::net::{IpAddr, Ipv4Addr};

use crate::apiserver::cluster_ip::Cidr;

/// Go's `dtoi`: the leading decimal digits of `s`, their count; `None` without digits
/// or when the value reaches 0xFFFFFF (`big`).
fn dtoi(s: &str) -> Option<(u32, usize)> {
    const BIG: u32 = 0xFF_FFFF;
    let mut n: u32 = 0;
    let mut used = 0;
    for b in s.bytes().take_while(u8::is_ascii_digit) {
        n = n * 10 + u32::from(b - b'0');
        if n >= BIG {
            return None;
        }
        used += 1;
    }
    (used > 0).then_some((n, used))
}

fn parse_ipv4_sloppy(mut s: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    for (i, octet) in octets.iter_mut().enumerate() {
        if i > 0 {
            s = s.strip_prefix('.')?;
        }
        let (n, used) = dtoi(s)?;
        *octet = u8::try_from(n).ok()?;
        s = s.get(used..)?;
    }
    s.is_empty().then_some(Ipv4Addr::from(octets))
}

/// `ParseIPSloppy`: an IPv4 address (leading zeros allowed) or an IPv6 address.
pub fn parse_ip_sloppy(s: &str) -> Option<IpAddr> {
    let dot = s.find('.');
    let colon = s.find(':');
    match (dot, colon) {
        (Some(d), Some(c)) if c < d => s.parse().ok(),
        (Some(_), _) => parse_ipv4_sloppy(s).map(IpAddr::V4),
        (None, Some(_)) => s.parse().ok(),
        (None, None) => None,
    }
}

/// `ParseCIDRSloppy`: `ip/prefix`, both read sloppily, masked to the network.
pub fn parse_cidr_sloppy(s: &str) -> Option<Cidr> {
    let (ip, prefix) = s.split_once('/')?;
    let ip = parse_ip_sloppy(ip)?;
    let (n, used) = dtoi(prefix)?;
    let bits = if ip.is_ipv4() { 32 } else { 128 };
    if used != prefix.len() || n > bits {
        return None;
    }
    Cidr::parse(&format!("{ip}/{n}")).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn leading_zeros_are_decimal() {
        assert_eq!(
            parse_ip_sloppy("172.30.0.041"),
            Some("172.30.0.41".parse().unwrap())
        );
        assert_eq!(
            parse_ip_sloppy("192.168.099.022"),
            Some("192.168.99.22".parse().unwrap())
        );
        assert_eq!(
            parse_ip_sloppy("10.180.00.001"),
            Some("10.180.0.1".parse().unwrap())
        );
        assert_eq!(parse_ip_sloppy("1.2.3.256"), None);
        assert_eq!(parse_ip_sloppy("1.2.3"), None);
        assert_eq!(parse_ip_sloppy("1.2.3.4 "), None);
        assert_eq!(parse_ip_sloppy(""), None);
        assert_eq!(
            parse_ip_sloppy("fd00:10:180::1"),
            Some("fd00:10:180::1".parse().unwrap())
        );
    }

    #[test]
    fn cidrs_are_masked_and_canonical() {
        assert_eq!(
            parse_cidr_sloppy("203.0.113.000/025").unwrap().to_string(),
            "203.0.113.0/25"
        );
        assert_eq!(
            parse_cidr_sloppy("10.1.2.3/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(parse_cidr_sloppy("10.0.0.0/33"), None);
        assert_eq!(parse_cidr_sloppy(" 203.0.113.0/25"), None);
        assert_eq!(parse_cidr_sloppy("10.0.0.0"), None);
    }
}
