//! The ClusterIP allocator: a bitmap over the Service CIDR.
//!
//! The network address is never handed out, nor (IPv4) the broadcast address; an IPv6
//! range is capped at 65536 addresses as the legacy bitmap is. Positions count from
//! the first usable address (network + 1), which is also the `kubernetes` Service's IP.
//!
//! Upstream: kubernetes/kubernetes@281014fc `pkg/registry/core/service/ipallocator/bitmap.go`
//! `NewAllocatorCIDRRange`, `calculateRangeOffset`, `Allocate`, `AllocateNext`.
//! Simplification: one family per allocator (no dual-stack pairs); the newer
//! IPAddress-object allocator is not modelled (it follows the same policy).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use thiserror::Error;

use super::bitmap::Bitmap;
use crate::sim::SimRng;

/// kubeadm's default Service CIDR (`DefaultServicesSubnet`).
pub const DEFAULT_SERVICE_CIDR: &str = "10.96.0.0/12";

/// A parsed CIDR, masked to its network address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    /// The network address.
    pub network: IpAddr,
    /// The prefix length.
    pub prefix: u8,
}

/// Why a CIDR string was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CidrError {
    /// Not `<ip>/<prefix>` with a valid address and prefix.
    #[error("invalid CIDR address: {0}")]
    Invalid(String),
    /// Fewer than 8 addresses (`--service-cluster-ip-range` needs at least 8).
    #[error("the service cluster IP range {0} must contain at least 8 addresses")]
    TooSmall(String),
}

impl Cidr {
    /// Parses `a.b.c.d/n` or an IPv6 CIDR, masking host bits as Go's `ParseCIDR` does.
    pub fn parse(s: &str) -> Result<Self, CidrError> {
        let bad = || CidrError::Invalid(s.to_owned());
        let (ip, prefix) = s.split_once('/').ok_or_else(bad)?;
        let ip = IpAddr::from_str(ip).map_err(|_| bad())?;
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) || prefix.len() > 3 {
            return Err(bad());
        }
        let prefix: u8 = prefix.parse().map_err(|_| bad())?;
        let bits = if ip.is_ipv4() { 32 } else { 128 };
        if prefix > bits {
            return Err(bad());
        }
        let value = ip_to_u128(ip) & mask(bits, prefix);
        Ok(Cidr {
            network: u128_to_ip(value, ip.is_ipv4()),
            prefix,
        })
    }

    /// The address width: 32 or 128.
    pub fn bits(&self) -> u8 {
        if self.network.is_ipv4() { 32 } else { 128 }
    }

    /// How many addresses the CIDR spans, network and broadcast included (saturating).
    pub fn size(&self) -> u128 {
        let host_bits = u32::from(self.bits() - self.prefix);
        1u128.checked_shl(host_bits).unwrap_or(u128::MAX)
    }

    /// Whether `ip` lies inside the CIDR.
    pub fn contains(&self, ip: IpAddr) -> bool {
        ip.is_ipv4() == self.network.is_ipv4()
            && ip_to_u128(ip) & mask(self.bits(), self.prefix) == ip_to_u128(self.network)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

fn mask(bits: u8, prefix: u8) -> u128 {
    let all = if bits == 32 {
        u128::from(u32::MAX)
    } else {
        u128::MAX
    };
    let host = u32::from(bits - prefix);
    all & !(1u128.checked_shl(host).map_or(u128::MAX, |v| v - 1))
}

/// An address as a number (IPv4 in the low 32 bits).
pub fn ip_to_u128(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// The address for a number, in the given family.
pub fn u128_to_ip(v: u128, v4: bool) -> IpAddr {
    if v4 {
        IpAddr::from(
            u32::try_from(v & u128::from(u32::MAX))
                .unwrap_or(0)
                .to_be_bytes(),
        )
    } else {
        IpAddr::from(v.to_be_bytes())
    }
}

/// The static-band size of a Service CIDR: 0 for ≤ 16 addresses, otherwise
/// `min(max(16, size/16), 256)`.
/// Upstream: kubernetes/kubernetes@2e090810 `pkg/registry/core/service/ipallocator/bitmap.go`
/// `calculateRangeOffset` (KEP-3070).
pub fn static_band_size(cidr: &Cidr) -> u64 {
    let size = cidr.size();
    if size <= 16 {
        return 0;
    }
    u64::try_from((size / 16).clamp(16, 256)).unwrap_or(256)
}

/// Why a ClusterIP could not be allocated. Messages are upstream's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IpAllocError {
    /// The requested IP is taken (`ErrAllocated`).
    #[error("provided IP is already allocated")]
    AlreadyAllocated,
    /// The requested IP is outside the usable range (`ErrNotInRange`).
    #[error("provided IP {ip} is not in the valid range")]
    NotInRange {
        /// The IP asked for.
        ip: IpAddr,
        /// The Service CIDR.
        range: String,
    },
    /// Every usable address is taken (`ErrFull`).
    #[error("range is full")]
    Full,
}

/// The ClusterIP allocator of one Service CIDR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterIpAllocator {
    cidr: Cidr,
    /// The number of the first usable address (network + 1).
    base: u128,
    bitmap: Bitmap,
}

impl ClusterIpAllocator {
    /// An allocator over `cidr` (e.g. `10.96.0.0/12`), however small: a range with no
    /// usable address (a /32) exists with 0 free, and its next allocation is
    /// "range is full", as upstream's `NewInMemory`.
    pub fn new(cidr: &str) -> Result<Self, CidrError> {
        Ok(Self::over(Cidr::parse(cidr)?))
    }

    /// An allocator over a parsed CIDR.
    /// Upstream: kubernetes/kubernetes@2e090810 `pkg/registry/core/service/ipallocator/bitmap.go`
    /// `NewAllocatorCIDRRange` (the network address and, for IPv4, the broadcast
    /// address are never handed out; a whole-mask range has none left).
    pub fn over(cidr: Cidr) -> Self {
        let mut max = cidr.size();
        if cidr.network.is_ipv4() {
            max = max.saturating_sub(1); // the broadcast address
        } else {
            max = max.min(65536);
        }
        max = max.saturating_sub(1); // the network address
        let size = u64::try_from(max).unwrap_or(u64::MAX);
        let base = ip_to_u128(cidr.network) + 1;
        ClusterIpAllocator {
            cidr,
            base,
            bitmap: Bitmap::new(size, static_band_size(&cidr)),
        }
    }

    /// The Service CIDR.
    pub fn cidr(&self) -> Cidr {
        self.cidr
    }

    /// The first usable address, reserved for `default/kubernetes`.
    pub fn first_address(&self) -> IpAddr {
        u128_to_ip(self.base, self.cidr.network.is_ipv4())
    }

    /// How many addresses are free.
    pub fn free(&self) -> u64 {
        self.bitmap.free()
    }

    /// How many addresses are taken.
    pub fn used(&self) -> u64 {
        self.bitmap.used()
    }

    /// The static-band size.
    pub fn static_size(&self) -> u64 {
        self.bitmap.static_size()
    }

    fn offset(&self, ip: IpAddr) -> Option<u64> {
        if ip.is_ipv4() != self.cidr.network.is_ipv4() || !self.cidr.contains(ip) {
            return None;
        }
        let off = ip_to_u128(ip).checked_sub(self.base)?;
        u64::try_from(off).ok().filter(|o| *o < self.bitmap.size())
    }

    /// Whether `ip` is a usable address of this range.
    pub fn in_range(&self, ip: IpAddr) -> bool {
        self.offset(ip).is_some()
    }

    /// Whether `ip` is taken.
    pub fn is_allocated(&self, ip: IpAddr) -> bool {
        self.offset(ip).is_some_and(|o| self.bitmap.has(o))
    }

    /// Takes a requested address, in either band.
    pub fn allocate(&mut self, ip: IpAddr) -> Result<(), IpAllocError> {
        let off = self.offset(ip).ok_or_else(|| IpAllocError::NotInRange {
            ip,
            range: self.cidr.to_string(),
        })?;
        if self.bitmap.take(off) {
            Ok(())
        } else {
            Err(IpAllocError::AlreadyAllocated)
        }
    }

    /// Takes the next address by the random-start scan (dynamic band first).
    pub fn allocate_next(&mut self, rng: &mut SimRng) -> Result<IpAddr, IpAllocError> {
        let off = self.bitmap.take_next(rng).ok_or(IpAllocError::Full)?;
        Ok(u128_to_ip(
            self.base + u128::from(off),
            self.cidr.network.is_ipv4(),
        ))
    }

    /// Frees an address; a free or foreign address is a no-op.
    pub fn release(&mut self, ip: IpAddr) {
        if let Some(off) = self.offset(ip) {
            self.bitmap.release(off);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn kubeadm_range_has_a_256_static_band_and_the_kubernetes_ip_first() {
        let mut a = ClusterIpAllocator::new(DEFAULT_SERVICE_CIDR).unwrap();
        assert_eq!(a.first_address(), ip("10.96.0.1"));
        assert_eq!(a.static_size(), 256);
        assert_eq!(a.free(), 1_048_574);
        let mut rng = SimRng::new(3);
        for _ in 0..50 {
            let got = a.allocate_next(&mut rng).unwrap();
            // The dynamic band starts at 10.96.1.1.
            assert!(ip_to_u128(got) >= ip_to_u128(ip("10.96.1.1")), "{got}");
        }
    }

    #[test]
    fn requests_errors_and_release() {
        let mut a = ClusterIpAllocator::new("10.0.0.0/24").unwrap();
        assert_eq!(a.allocate(ip("10.0.0.10")), Ok(()));
        assert_eq!(
            a.allocate(ip("10.0.0.10")).unwrap_err().to_string(),
            "provided IP is already allocated"
        );
        assert_eq!(
            a.allocate(ip("10.0.1.10")).unwrap_err().to_string(),
            "provided IP 10.0.1.10 is not in the valid range"
        );
        assert!(a.allocate(ip("10.0.0.255")).is_err());
        assert!(a.allocate(ip("10.0.0.0")).is_err());
        a.release(ip("10.0.0.10"));
        a.release(ip("10.0.0.10"));
        assert_eq!(a.free(), 254);
    }

    #[test]
    fn small_range_fills_up() {
        let mut a = ClusterIpAllocator::over(Cidr::parse("192.168.1.240/30").unwrap());
        let mut rng = SimRng::new(1);
        assert_eq!(a.free(), 2);
        a.allocate_next(&mut rng).unwrap();
        a.allocate_next(&mut rng).unwrap();
        assert_eq!(a.allocate_next(&mut rng), Err(IpAllocError::Full));
        assert_eq!(
            a.allocate_next(&mut rng).unwrap_err().to_string(),
            "range is full"
        );
    }

    #[test]
    fn a_range_without_usable_addresses_is_full_from_the_start() {
        let mut rng = SimRng::new(1);
        for cidr in ["10.0.0.7/32", "10.0.0.6/31", "2001:db8::1/128"] {
            let mut a = ClusterIpAllocator::new(cidr).unwrap();
            assert_eq!(a.free(), 0, "{cidr}");
            assert_eq!(
                a.allocate_next(&mut rng).unwrap_err().to_string(),
                "range is full",
                "{cidr}"
            );
        }
    }

    #[test]
    fn bad_cidrs_are_errors() {
        assert!(ClusterIpAllocator::new("10.0.0.0").is_err());
        assert!(ClusterIpAllocator::new("10.0.0.0/33").is_err());
        assert!(ClusterIpAllocator::new("nonsense/8").is_err());
    }
}
