//! ClientIP session affinity: `(service port, client IP) → endpoint` with a sliding
//! timeout.
//!
//! iptables puts one `-m recent --rcheck --seconds T --reap` rule per endpoint before
//! the random rules, and the endpoint chain records the source with `--set`, so every
//! new connection restarts the timer. A pin whose endpoint has left the usable list is
//! ignored and the normal algorithm picks again.
//! Upstream: kubernetes/kubernetes@531be812 `pkg/proxy/iptables/proxier.go`
//! `writeServiceToEndpointRules`;
//! nftables uses one address set per endpoint with a timeout, IPVS a persistent
//! virtual server.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::sim::SimTime;

/// One pin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pin {
    /// The endpoint the client sticks to.
    pub endpoint: (IpAddr, u16),
    /// The last new connection that used it.
    pub last_seen: SimTime,
}

/// The affinity table of one node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AffinityTable {
    pins: HashMap<(u64, IpAddr), Pin>,
}

impl AffinityTable {
    /// The pinned endpoint for `client` on service port `key`, if the pin is younger
    /// than `timeout_secs` and `usable` accepts its endpoint. Expired pins are removed.
    pub fn lookup(
        &mut self,
        key: u64,
        client: IpAddr,
        now: SimTime,
        timeout_secs: u32,
        usable: impl Fn((IpAddr, u16)) -> bool,
    ) -> Option<(IpAddr, u16)> {
        let pin = *self.pins.get(&(key, client))?;
        if now.millis_since(pin.last_seen) > u64::from(timeout_secs) * 1000 {
            self.pins.remove(&(key, client));
            return None;
        }
        usable(pin.endpoint).then_some(pin.endpoint)
    }

    /// Records (or refreshes) a pin at `now`.
    pub fn record(&mut self, key: u64, client: IpAddr, endpoint: (IpAddr, u16), now: SimTime) {
        self.pins.insert(
            (key, client),
            Pin {
                endpoint,
                last_seen: now,
            },
        );
    }

    /// The pin, if any, without expiring it.
    pub fn get(&self, key: u64, client: IpAddr) -> Option<Pin> {
        self.pins.get(&(key, client)).copied()
    }

    /// How many pins are held.
    pub fn len(&self) -> usize {
        self.pins.len()
    }

    /// Whether no pin is held.
    pub fn is_empty(&self) -> bool {
        self.pins.is_empty()
    }

    /// Drops every pin older than `timeout_secs` at `now` (`--reap`).
    pub fn reap(&mut self, now: SimTime, timeout_secs: impl Fn(u64) -> Option<u32>) {
        self.pins.retain(|(key, _), pin| {
            timeout_secs(*key)
                .is_some_and(|t| now.millis_since(pin.last_seen) <= u64::from(t) * 1000)
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn pin_slides_and_expires() {
        let mut t = AffinityTable::default();
        let c = IpAddr::from([1, 1, 1, 1]);
        let ep = (IpAddr::from([10, 0, 0, 1]), 80);
        t.record(7, c, ep, SimTime::from_secs(0));
        assert_eq!(
            t.lookup(7, c, SimTime::from_secs(10), 10, |_| true),
            Some(ep)
        );
        t.record(7, c, ep, SimTime::from_secs(10));
        assert_eq!(
            t.lookup(7, c, SimTime::from_secs(20), 10, |_| true),
            Some(ep)
        );
        assert_eq!(t.lookup(7, c, SimTime::from_secs(20), 10, |_| false), None);
        assert_eq!(t.lookup(7, c, SimTime(20_001), 10, |_| true), None);
        assert!(t.is_empty());
    }
}
