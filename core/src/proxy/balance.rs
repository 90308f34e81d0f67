//! How a node picks one endpoint for a new connection.
//!
//! - iptables: endpoint i of n matches with probability `1/(n-i)`, the last always;
//!   every endpoint is picked with probability 1/n, independently per connection.
//!   Upstream: kubernetes/kubernetes@531be812 `pkg/proxy/iptables/proxier.go`
//!   `writeServiceToEndpointRules`.
//! - nftables: `numgen random mod N vmap {…}`: uniform per connection.
//!   Upstream: kubernetes/kubernetes@b0f823e6 `pkg/proxy/nftables/proxier.go`
//!   `writeServiceToEndpointRules`.
//! - IPVS `rr`: exact round robin; `lc`: the least overhead, `active × 256 + inactive`
//!   (`ip_vs_dest_conn_overhead`), first in list order on a tie; `sh`: a 256-bucket
//!   table indexed by a multiplicative hash of the source address, bucket i served by
//!   endpoint `i mod n`. A connection is active while established; once closed it stays
//!   in IPVS's table as inactive for its state's timeout: 120 s after a FIN
//!   (`TIME_WAIT`), 10 s after a reset (`CLOSE`).
//!   Upstream: torvalds/linux@6e9041c6 `net/netfilter/ipvs/ip_vs_rr.c`, `ip_vs_lc.c`, `ip_vs_sh.c`,
//!   `ip_vs_proto_tcp.c` (`tcp_timeouts`).
//!   Simplification: every endpoint weighs 1; a closed connection goes straight to its
//!   last state (no FIN_WAIT step); at most [`MAX_INACTIVE`] inactive connections are
//!   remembered per virtual server (the oldest are forgotten first).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

use crate::sim::{SimRng, SimTime};

/// How long a connection closed with FIN counts as inactive (IPVS `TIME_WAIT`).
pub const INACTIVE_AFTER_FIN_MILLIS: u64 = 120_000;
/// How long a reset connection counts as inactive (IPVS `CLOSE`).
pub const INACTIVE_AFTER_RESET_MILLIS: u64 = 10_000;
/// The most inactive connections remembered per virtual server.
pub const MAX_INACTIVE: usize = 100_000;

/// How a connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Close {
    /// A normal close (FIN).
    Fin,
    /// A reset (RST), e.g. the server process died.
    Reset,
}

/// An IPVS scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IpvsScheduler {
    /// Round robin (the default when empty).
    Rr,
    /// Least connection.
    Lc,
    /// Source hashing.
    Sh,
}

/// kube-proxy's `--proxy-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProxyMode {
    /// iptables (statistic random match).
    Iptables,
    /// nftables (numgen random vmap).
    Nftables,
    /// IPVS with a scheduler (deprecated upstream as of v1.35).
    Ipvs(IpvsScheduler),
}

impl ProxyMode {
    /// Parses [`ProxyMode::as_str`]'s spelling (`iptables`, `nftables`, `ipvs` = `ipvs/rr`,
    /// `ipvs/lc`, `ipvs/sh`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "iptables" => Some(ProxyMode::Iptables),
            "nftables" => Some(ProxyMode::Nftables),
            "ipvs" | "ipvs/rr" => Some(ProxyMode::Ipvs(IpvsScheduler::Rr)),
            "ipvs/lc" => Some(ProxyMode::Ipvs(IpvsScheduler::Lc)),
            "ipvs/sh" => Some(ProxyMode::Ipvs(IpvsScheduler::Sh)),
            _ => None,
        }
    }

    /// The `--proxy-mode` / `--ipvs-scheduler` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyMode::Iptables => "iptables",
            ProxyMode::Nftables => "nftables",
            ProxyMode::Ipvs(IpvsScheduler::Rr) => "ipvs/rr",
            ProxyMode::Ipvs(IpvsScheduler::Lc) => "ipvs/lc",
            ProxyMode::Ipvs(IpvsScheduler::Sh) => "ipvs/sh",
        }
    }
}

/// Per-virtual-server state that survives re-syncs: the rr cursor and lc's active and
/// inactive connections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BalanceState {
    next: u64,
    active: HashMap<(IpAddr, u16), u32>,
    inactive: HashMap<(IpAddr, u16), u32>,
    /// Inactive connections in expiry order, per close kind (each queue's expiries only
    /// grow, as its timeout is fixed and time only moves on).
    after_fin: VecDeque<(SimTime, (IpAddr, u16))>,
    after_reset: VecDeque<(SimTime, (IpAddr, u16))>,
}

impl BalanceState {
    /// Active connections counted against an endpoint (lc).
    pub fn active(&self, ep: (IpAddr, u16)) -> u32 {
        self.active.get(&ep).copied().unwrap_or(0)
    }

    /// Inactive connections of an endpoint still in the table at `now`.
    pub fn inactive(&self, ep: (IpAddr, u16), now: SimTime) -> u32 {
        let expired = |q: &VecDeque<(SimTime, (IpAddr, u16))>| {
            q.iter()
                .take_while(|(t, _)| *t <= now)
                .filter(|(_, e)| *e == ep)
                .count()
        };
        let gone = expired(&self.after_fin) + expired(&self.after_reset);
        self.inactive
            .get(&ep)
            .copied()
            .unwrap_or(0)
            .saturating_sub(u32::try_from(gone).unwrap_or(u32::MAX))
    }

    /// lc's overhead of an endpoint at `now`: `active × 256 + inactive`.
    /// Upstream: torvalds/linux@6e9041c6 `include/net/ip_vs.h` `ip_vs_dest_conn_overhead`.
    pub fn overhead(&self, ep: (IpAddr, u16), now: SimTime) -> u64 {
        (u64::from(self.active(ep)) << 8) + u64::from(self.inactive(ep, now))
    }

    /// A connection to `ep` opened.
    pub fn opened(&mut self, ep: (IpAddr, u16)) {
        *self.active.entry(ep).or_insert(0) += 1;
    }

    /// A connection to `ep` closed at `now`: it counts as inactive for its last state's
    /// timeout.
    pub fn closed(&mut self, ep: (IpAddr, u16), now: SimTime, how: Close) {
        if let Some(n) = self.active.get_mut(&ep) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.active.remove(&ep);
            }
        }
        self.expire(now);
        let (queue, ttl) = match how {
            Close::Fin => (&mut self.after_fin, INACTIVE_AFTER_FIN_MILLIS),
            Close::Reset => (&mut self.after_reset, INACTIVE_AFTER_RESET_MILLIS),
        };
        queue.push_back((now.plus_millis(ttl), ep));
        *self.inactive.entry(ep).or_insert(0) += 1;
        while self.after_fin.len() + self.after_reset.len() > MAX_INACTIVE {
            let older_fin = match (self.after_fin.front(), self.after_reset.front()) {
                (Some(f), Some(r)) => f.0 <= r.0,
                (f, _) => f.is_some(),
            };
            let q = if older_fin {
                &mut self.after_fin
            } else {
                &mut self.after_reset
            };
            if let Some((_, e)) = q.pop_front() {
                forget(&mut self.inactive, e);
            }
        }
    }

    /// Forgets the inactive connections whose timeout is over at `now`.
    pub fn expire(&mut self, now: SimTime) {
        for q in [&mut self.after_fin, &mut self.after_reset] {
            while q.front().is_some_and(|(t, _)| *t <= now) {
                if let Some((_, e)) = q.pop_front() {
                    forget(&mut self.inactive, e);
                }
            }
        }
    }
}

fn forget(counts: &mut HashMap<(IpAddr, u16), u32>, ep: (IpAddr, u16)) {
    if let Some(n) = counts.get_mut(&ep) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            counts.remove(&ep);
        }
    }
}

/// The iptables probability string for rule i of n: `1/(n-i)` with 10 decimals.
/// Upstream: kubernetes/kubernetes@531be812 `pkg/proxy/iptables/proxier.go` `probability`
/// (`fmt.Sprintf("%0.10f", 1.0/float64(n))`).
pub fn probability(remaining: usize) -> String {
    format!("{:.10}", 1.0 / remaining.max(1) as f64)
}

/// The IPVS sh bucket for a source address (8 table bits).
pub fn source_hash_bucket(src: IpAddr) -> u32 {
    let key = match src {
        IpAddr::V4(v4) => u32::from(v4),
        IpAddr::V6(v6) => {
            let o = v6.octets();
            u32::from_be_bytes([o[12], o[13], o[14], o[15]])
                ^ u32::from_be_bytes([o[8], o[9], o[10], o[11]])
                ^ u32::from_be_bytes([o[4], o[5], o[6], o[7]])
                ^ u32::from_be_bytes([o[0], o[1], o[2], o[3]])
        }
    };
    key.wrapping_mul(2_654_435_761) >> 24
}

/// Picks a position in `list` (non-empty) for a new connection from `src` at `now`.
/// `ep_of(i)` gives the address of list position i.
pub fn pick(
    mode: ProxyMode,
    len: usize,
    ep_of: impl Fn(usize) -> (IpAddr, u16),
    state: &mut BalanceState,
    rng: &mut SimRng,
    src: IpAddr,
    now: SimTime,
) -> usize {
    if len <= 1 {
        return 0;
    }
    match mode {
        ProxyMode::Iptables => {
            // Walk the statistic rules: rule i matches with probability 1/(len-i).
            // Drawing one uniform index is the same distribution in one step.
            rng.index(len)
        }
        ProxyMode::Nftables => rng.index(len),
        ProxyMode::Ipvs(IpvsScheduler::Rr) => {
            let at = usize::try_from(state.next % len as u64).unwrap_or(0);
            state.next = state.next.wrapping_add(1);
            at
        }
        ProxyMode::Ipvs(IpvsScheduler::Lc) => {
            state.expire(now);
            (0..len)
                .min_by_key(|i| (state.overhead(ep_of(*i), now), *i))
                .unwrap_or(0)
        }
        ProxyMode::Ipvs(IpvsScheduler::Sh) => {
            usize::try_from(source_hash_bucket(src)).unwrap_or(0) % len
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn addr(i: usize) -> (IpAddr, u16) {
        (IpAddr::from([10, 0, 0, u8::try_from(i).unwrap()]), 80)
    }

    #[test]
    fn probabilities_match_kube_proxy() {
        assert_eq!(probability(4), "0.2500000000");
        assert_eq!(probability(3), "0.3333333333");
        assert_eq!(probability(2), "0.5000000000");
    }

    #[test]
    fn the_statistic_cascade_is_uniform_so_one_draw_is_equivalent() {
        // Rule i matches with 1/(n-i) once rules 0..i have not: P(i) = 1/n for all i.
        for n in 1..=12usize {
            let mut not_yet = 1.0f64;
            for i in 0..n {
                let p = 1.0 / (n - i) as f64;
                let chosen = not_yet * p;
                assert!(
                    (chosen - 1.0 / n as f64).abs() < 1e-12,
                    "n={n} i={i}: {chosen}"
                );
                not_yet *= 1.0 - p;
            }
            assert!(not_yet.abs() < 1e-12, "the last rule always matches");
        }
    }

    #[test]
    fn lc_prefers_the_least_loaded_then_list_order() {
        let mut st = BalanceState::default();
        let mut rng = SimRng::new(1);
        let src = IpAddr::from([1, 2, 3, 4]);
        let mode = ProxyMode::Ipvs(IpvsScheduler::Lc);
        let t = SimTime::ZERO;
        let a = pick(mode, 3, addr, &mut st, &mut rng, src, t);
        assert_eq!(a, 0);
        st.opened(addr(0));
        assert_eq!(pick(mode, 3, addr, &mut st, &mut rng, src, t), 1);
        st.opened(addr(1));
        st.opened(addr(2));
        st.opened(addr(2));
        st.closed(addr(0), t, Close::Fin);
        assert_eq!(pick(mode, 3, addr, &mut st, &mut rng, src, t), 0);
    }

    #[test]
    fn lc_counts_inactive_connections_until_their_timeout() {
        let mut st = BalanceState::default();
        let mut rng = SimRng::new(1);
        let src = IpAddr::from([1, 2, 3, 4]);
        let mode = ProxyMode::Ipvs(IpvsScheduler::Lc);
        // Endpoint 0 served two connections that closed; endpoint 1 one that was reset.
        for _ in 0..2 {
            st.opened(addr(0));
            st.closed(addr(0), SimTime(1_000), Close::Fin);
        }
        st.opened(addr(1));
        st.closed(addr(1), SimTime(1_000), Close::Reset);
        assert_eq!(st.overhead(addr(0), SimTime(1_000)), 2);
        assert_eq!(
            pick(mode, 2, addr, &mut st, &mut rng, src, SimTime(2_000)),
            1,
            "one inactive beats two"
        );
        // After CLOSE's 10 s the reset one is gone; after TIME_WAIT's 120 s the others.
        assert_eq!(st.inactive(addr(1), SimTime(11_000)), 0);
        assert_eq!(st.inactive(addr(0), SimTime(120_999)), 2);
        assert_eq!(st.inactive(addr(0), SimTime(121_000)), 0);
        // An active connection weighs 256 inactive ones.
        st.opened(addr(1));
        for _ in 0..255 {
            st.closed(addr(0), SimTime(130_000), Close::Fin);
        }
        assert_eq!(
            pick(mode, 2, addr, &mut st, &mut rng, src, SimTime(130_000)),
            0
        );
        st.closed(addr(0), SimTime(130_000), Close::Fin);
        assert_eq!(
            pick(mode, 2, addr, &mut st, &mut rng, src, SimTime(130_000)),
            0,
            "a tie goes to the first in list order"
        );
        st.closed(addr(0), SimTime(130_000), Close::Fin);
        assert_eq!(
            pick(mode, 2, addr, &mut st, &mut rng, src, SimTime(130_000)),
            1
        );
    }

    #[test]
    fn sh_is_stable_per_source() {
        let mut st = BalanceState::default();
        let mut rng = SimRng::new(1);
        let mode = ProxyMode::Ipvs(IpvsScheduler::Sh);
        let src = IpAddr::from([192, 168, 7, 9]);
        let first = pick(mode, 5, addr, &mut st, &mut rng, src, SimTime::ZERO);
        for _ in 0..20 {
            assert_eq!(
                pick(mode, 5, addr, &mut st, &mut rng, src, SimTime::ZERO),
                first
            );
        }
    }
}
