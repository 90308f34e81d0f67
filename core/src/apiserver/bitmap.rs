//! The bitmap both Service allocators (ClusterIP and NodePort) are built on.
//!
//! Offsets `0..size` are split into a *static band* `[0, static_size)` and a *dynamic
//! band* `[static_size, size)`. Automatic allocation starts at a uniformly random offset
//! in the dynamic band and scans forward, wrapping inside that band; only when the
//! dynamic band is full does it do the same in the static band (KEP-3070). Users who ask
//! for a specific value may take any free offset in either band.
//!
//! Upstream: kubernetes/kubernetes@2b02db1b `pkg/registry/core/service/allocator/bitmap.go`
//! `randomScanStrategyWithOffset.AllocateBit`.

use crate::sim::SimRng;

/// A set of offsets `0..size`, with a static band at the bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    words: Vec<u64>,
    size: u64,
    static_size: u64,
    used: u64,
}

impl Bitmap {
    /// A bitmap of `size` free offsets whose first `static_size` form the static band
    /// (clamped to `size`).
    pub fn new(size: u64, static_size: u64) -> Self {
        let words = usize::try_from(size.div_ceil(64)).unwrap_or(0);
        Bitmap {
            words: vec![0; words],
            size,
            static_size: static_size.min(size),
            used: 0,
        }
    }

    /// How many offsets there are.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// How many offsets are in the static band.
    pub fn static_size(&self) -> u64 {
        self.static_size
    }

    /// How many offsets are taken.
    pub fn used(&self) -> u64 {
        self.used
    }

    /// How many offsets are free.
    pub fn free(&self) -> u64 {
        self.size - self.used
    }

    fn slot(offset: u64) -> (usize, u64) {
        (
            usize::try_from(offset / 64).unwrap_or(usize::MAX),
            1u64 << (offset % 64),
        )
    }

    /// Whether `offset` is taken (false outside the bitmap).
    pub fn has(&self, offset: u64) -> bool {
        let (w, bit) = Self::slot(offset);
        offset < self.size && self.words.get(w).is_some_and(|word| word & bit != 0)
    }

    /// Takes `offset`; false if it is outside the bitmap or already taken.
    pub fn take(&mut self, offset: u64) -> bool {
        if offset >= self.size || self.has(offset) {
            return false;
        }
        let (w, bit) = Self::slot(offset);
        if let Some(word) = self.words.get_mut(w) {
            *word |= bit;
            self.used += 1;
            return true;
        }
        false
    }

    /// Frees `offset`; freeing a free or out-of-range offset is a no-op.
    pub fn release(&mut self, offset: u64) {
        if !self.has(offset) {
            return;
        }
        let (w, bit) = Self::slot(offset);
        if let Some(word) = self.words.get_mut(w) {
            *word &= !bit;
            self.used -= 1;
        }
    }

    /// Takes a free offset by the random-start scan: dynamic band first, then the
    /// static band. `None` when everything is taken.
    pub fn take_next(&mut self, rng: &mut SimRng) -> Option<u64> {
        if self.used >= self.size {
            return None;
        }
        let (lo, hi) = (self.static_size, self.size);
        let found = self.scan(lo, hi, rng).or_else(|| self.scan(0, lo, rng))?;
        self.take(found).then_some(found)
    }

    /// The first free offset in `[lo, hi)` at or after a random start, wrapping.
    fn scan(&self, lo: u64, hi: u64, rng: &mut SimRng) -> Option<u64> {
        if hi <= lo {
            return None;
        }
        let start = lo + rng.below(hi - lo);
        self.first_free(start, hi)
            .or_else(|| self.first_free(lo, start))
    }

    /// The first free offset in `[from, to)`, skipping full words.
    fn first_free(&self, from: u64, to: u64) -> Option<u64> {
        let mut at = from;
        while at < to {
            let (w, _) = Self::slot(at);
            let word = self.words.get(w).copied().unwrap_or(u64::MAX);
            if word == u64::MAX {
                at = (at / 64 + 1) * 64;
                continue;
            }
            if word & (1u64 << (at % 64)) == 0 {
                return Some(at);
            }
            at += 1;
        }
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn dynamic_band_fills_before_static_band() {
        let mut b = Bitmap::new(100, 16);
        let mut rng = SimRng::new(1);
        for _ in 0..84 {
            let at = b.take_next(&mut rng).unwrap();
            assert!(at >= 16, "offset {at} came from the static band too early");
        }
        for _ in 0..16 {
            let at = b.take_next(&mut rng).unwrap();
            assert!(at < 16);
        }
        assert_eq!(b.take_next(&mut rng), None);
        assert_eq!(b.free(), 0);
    }

    #[test]
    fn take_and_release_are_exact() {
        let mut b = Bitmap::new(130, 0);
        assert!(b.take(129));
        assert!(!b.take(129));
        assert!(!b.take(130));
        assert_eq!(b.used(), 1);
        b.release(129);
        b.release(129);
        b.release(500);
        assert_eq!(b.used(), 0);
    }

    #[test]
    fn full_words_are_skipped_and_wrap_finds_the_hole() {
        let mut b = Bitmap::new(256, 0);
        for i in 0..256 {
            if i != 3 {
                assert!(b.take(i));
            }
        }
        let mut rng = SimRng::new(9);
        assert_eq!(b.take_next(&mut rng), Some(3));
    }
}
