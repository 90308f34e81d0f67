//! The cluster settings a diagnosis needs and manifests do not say: whether a
//! load-balancer provider exists, and the node-port range.
//!
//! A LoadBalancer Service gets an address only when a controller for it runs: a cloud
//! provider's (the simulated cloud pool), none on bare metal (the Service stays
//! `<pending>`), or MetalLB handing out addresses from its `IPAddressPool` objects.
//!
//! Upstream: metallb/metallb@999899bc555ae260501b9c4901e5be0cfe106921 `api/v1beta1/ipaddresspool_types.go`
//! (`spec.addresses`: CIDRs or `first-last` ranges; `spec.autoAssign`, default true).
//!
//! Simplification: MetalLB's pool selection (`serviceAllocation`, namespace and
//! priority selectors, the `metallb.universe.tf/address-pool` annotation) is not
//! modelled: addresses come from every auto-assign pool in document order, lowest
//! first; IPv4 only; each pool contributes at most [`MAX_POOL_ADDRESSES`].

use std::net::{IpAddr, Ipv4Addr};

use super::raw::AddressPool;
use crate::apiserver::node_port::PortRange;

/// The most addresses read from one pool (a /16 would otherwise be 65,536).
pub const MAX_POOL_ADDRESSES: u32 = 256;

/// Which load-balancer controller the cluster runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LbProvider {
    /// A cloud provider's controller (the simulated cloud pool).
    #[default]
    Cloud,
    /// Bare metal without a provider: LoadBalancer Services stay `<pending>`.
    None,
    /// MetalLB, with addresses from the imported `IPAddressPool`s.
    MetalLb,
}

impl LbProvider {
    /// `cloud`, `none`, `metallb`.
    pub fn as_str(self) -> &'static str {
        match self {
            LbProvider::Cloud => "cloud",
            LbProvider::None => "none",
            LbProvider::MetalLb => "metallb",
        }
    }

    /// Parses `cloud`, `none` (or `bare-metal`), `metallb`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "cloud" => Some(LbProvider::Cloud),
            "none" | "bare-metal" | "baremetal" => Some(LbProvider::None),
            "metallb" => Some(LbProvider::MetalLb),
            _ => None,
        }
    }
}

/// The settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The load-balancer provider; `None`: not said (a dump is read as it is; for
    /// manifests MetalLB when they bring `IPAddressPool`s, else a cloud).
    pub lb_provider: Option<LbProvider>,
    /// `--service-node-port-range`.
    pub node_port_range: PortRange,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lb_provider: None,
            node_port_range: PortRange {
                base: 30000,
                size: 2768,
            },
        }
    }
}

/// The addresses of MetalLB's auto-assign pools, in order; malformed entries skipped.
pub fn pool_addresses(pools: &[AddressPool]) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for p in pools.iter().filter(|p| p.auto_assign) {
        let mut taken = 0;
        for a in &p.addresses {
            for ip in expand(a.trim()) {
                if taken >= MAX_POOL_ADDRESSES {
                    break;
                }
                out.push(IpAddr::V4(ip));
                taken += 1;
            }
        }
    }
    out
}

fn expand(a: &str) -> Vec<Ipv4Addr> {
    let range = |first: u32, last: u32| -> Vec<Ipv4Addr> {
        if last < first {
            return Vec::new();
        }
        let last = last.min(first.saturating_add(MAX_POOL_ADDRESSES - 1));
        (first..=last).map(Ipv4Addr::from).collect()
    };
    if let Some((ip, bits)) = a.split_once('/') {
        let (Ok(ip), Ok(bits)) = (ip.parse::<Ipv4Addr>(), bits.parse::<u32>()) else {
            return Vec::new();
        };
        if bits > 32 {
            return Vec::new();
        }
        let mask = if bits == 0 {
            0
        } else {
            u32::MAX << (32 - bits)
        };
        let first = u32::from(ip) & mask;
        return range(first, first | !mask);
    }
    if let Some((f, l)) = a.split_once('-') {
        let (Ok(f), Ok(l)) = (f.trim().parse::<Ipv4Addr>(), l.trim().parse::<Ipv4Addr>()) else {
            return Vec::new();
        };
        return range(u32::from(f), u32::from(l));
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_expand_cidrs_and_ranges_within_the_limit() {
        let pools = [
            AddressPool {
                name: "a".into(),
                addresses: vec![
                    "192.168.10.0/30".into(),
                    "10.0.0.5-10.0.0.6".into(),
                    "bogus".into(),
                ],
                auto_assign: true,
            },
            AddressPool {
                name: "manual".into(),
                addresses: vec!["172.16.0.0/24".into()],
                auto_assign: false,
            },
        ];
        let got: Vec<String> = pool_addresses(&pools)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            got,
            [
                "192.168.10.0",
                "192.168.10.1",
                "192.168.10.2",
                "192.168.10.3",
                "10.0.0.5",
                "10.0.0.6"
            ]
        );
        let big = [AddressPool {
            name: "b".into(),
            addresses: vec!["10.0.0.0/8".into()],
            auto_assign: true,
        }];
        assert_eq!(pool_addresses(&big).len(), 256);
    }
}
