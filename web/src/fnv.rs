//! FNV-1a (64-bit) as a `Hasher`, for maps the page looks names up in on every
//! animation frame. SipHash, the standard maps' default, resists keys chosen to collide;
//! the page's maps hold its own world's names, and FNV costs a fraction per lookup.
//! Upstream: the FNV-1a definition (offset basis 0xcbf29ce484222325, prime 0x100000001b3),
//! <http://www.isthe.com/chongo/tech/comp/fnv/>.

use std::hash::Hasher;

/// FNV-1a over the bytes written.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn matches_the_reference_values() {
        let hash = |s: &str| {
            let mut h = Fnv::default();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }
}
