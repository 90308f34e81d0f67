//! The NodePort allocator and the rules for which ports of a Service get one.
//!
//! Upstream: kubernetes/kubernetes@v1.31.0 `pkg/registry/core/service/portallocator/allocator.go`
//! (`calculateRangeOffset`, `ErrAllocated`, `ErrNotInRange`) and
//! `pkg/registry/core/service/storage/alloc.go` (`initNodePorts`, `updateNodePorts`,
//! `allocHealthCheckNodePort`).

use thiserror::Error;

use super::bitmap::Bitmap;
use crate::sim::SimRng;

/// The default `--service-node-port-range`: 30000–32767.
pub const DEFAULT_NODE_PORT_RANGE: PortRange = PortRange {
    base: 30000,
    size: 2768,
};

/// A contiguous range of ports `base..base+size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PortRange {
    /// The first port.
    pub base: u16,
    /// How many ports.
    pub size: u16,
}

impl PortRange {
    /// The last port of the range.
    pub fn last(&self) -> u32 {
        u32::from(self.base) + u32::from(self.size).saturating_sub(1)
    }

    /// Whether `port` is inside.
    pub fn contains(&self, port: i32) -> bool {
        i64::from(port) >= i64::from(self.base) && i64::from(port) <= i64::from(self.last())
    }

    /// Parses `30000-32767` (both ends included).
    pub fn parse(s: &str) -> Option<Self> {
        let (a, b) = s.split_once('-')?;
        let (a, b): (u16, u16) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        (a <= b && a > 0).then(|| PortRange {
            base: a,
            size: b - a + 1,
        })
    }
}

impl std::fmt::Display for PortRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.base, self.last())
    }
}

/// The static-band size of a port range: 0 for ≤ 16 ports, otherwise
/// `min(max(16, size/32), 128)`; 86 for the default range.
/// Upstream: kubernetes/kubernetes@v1.31.0
/// `pkg/registry/core/service/portallocator/allocator.go` `calculateRangeOffset`.
pub fn static_band_size(size: u64) -> u64 {
    if size <= 16 {
        0
    } else {
        (size / 32).clamp(16, 128)
    }
}

/// Why a node port could not be allocated. Messages are upstream's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PortAllocError {
    /// The requested port is taken by some Service (any protocol).
    #[error("provided port is already allocated")]
    AlreadyAllocated,
    /// The requested port is outside the range.
    #[error("provided port is not in the valid range. The range of valid ports is {range}")]
    NotInRange {
        /// The configured range.
        range: PortRange,
    },
    /// Every port is taken.
    #[error("range is full")]
    Full,
}

/// The cluster-wide node-port allocator. It counts port numbers only: one number
/// cannot serve two Services, whatever their protocols.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodePortAllocator {
    range: PortRange,
    bitmap: Bitmap,
}

impl NodePortAllocator {
    /// An allocator over `range`.
    pub fn new(range: PortRange) -> Self {
        let size = u64::from(range.size);
        NodePortAllocator {
            range,
            bitmap: Bitmap::new(size, static_band_size(size)),
        }
    }

    /// The range.
    pub fn range(&self) -> PortRange {
        self.range
    }

    /// How many ports are free.
    pub fn free(&self) -> u64 {
        self.bitmap.free()
    }

    /// How many ports are in the static band.
    pub fn static_size(&self) -> u64 {
        self.bitmap.static_size()
    }

    fn offset(&self, port: i32) -> Option<u64> {
        self.range
            .contains(port)
            .then(|| u64::try_from(i64::from(port) - i64::from(self.range.base)).ok())?
    }

    /// Whether `port` is taken.
    pub fn is_allocated(&self, port: i32) -> bool {
        self.offset(port).is_some_and(|o| self.bitmap.has(o))
    }

    /// Takes a requested port, in either band.
    pub fn allocate(&mut self, port: i32) -> Result<(), PortAllocError> {
        let off = self
            .offset(port)
            .ok_or(PortAllocError::NotInRange { range: self.range })?;
        if self.bitmap.take(off) {
            Ok(())
        } else {
            Err(PortAllocError::AlreadyAllocated)
        }
    }

    /// Takes the next port by the random-start scan (dynamic band first).
    pub fn allocate_next(&mut self, rng: &mut SimRng) -> Result<i32, PortAllocError> {
        let off = self.bitmap.take_next(rng).ok_or(PortAllocError::Full)?;
        Ok(i32::from(self.range.base) + i32::try_from(off).unwrap_or(0))
    }

    /// Frees a port; a free or foreign port is a no-op.
    pub fn release(&mut self, port: i32) {
        if let Some(off) = self.offset(port) {
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

    #[test]
    fn default_range_prefers_ports_above_the_static_band() {
        let mut a = NodePortAllocator::new(DEFAULT_NODE_PORT_RANGE);
        assert_eq!(a.static_size(), 86);
        let mut rng = SimRng::new(5);
        for _ in 0..(2768 - 86) {
            let p = a.allocate_next(&mut rng).unwrap();
            assert!((30086..=32767).contains(&p), "{p}");
        }
        let p = a.allocate_next(&mut rng).unwrap();
        assert!((30000..30086).contains(&p));
    }

    #[test]
    fn errors_use_upstream_words() {
        let mut a = NodePortAllocator::new(DEFAULT_NODE_PORT_RANGE);
        assert_eq!(a.allocate(30000), Ok(()));
        assert_eq!(
            a.allocate(30000).unwrap_err().to_string(),
            "provided port is already allocated"
        );
        assert_eq!(
            a.allocate(8080).unwrap_err().to_string(),
            "provided port is not in the valid range. The range of valid ports is 30000-32767"
        );
        a.release(30000);
        assert!(!a.is_allocated(30000));
        assert_eq!(
            PortRange::parse("30000-32767"),
            Some(DEFAULT_NODE_PORT_RANGE)
        );
        assert_eq!(PortRange::parse("5-1"), None);
    }
}
