//! A session is a list of commands: any sequence of commands and steps, replayed from
//! the world's history with the same seed, gives the same world byte for byte, however
//! the time between the commands was stepped.
//!
//! The same property runs on wasm32 as a seeded unit test
//! (`world::tests::replaying_the_history_gives_the_same_world`).

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use svcplay_core::World;
use svcplay_core::objects::build::app;
use svcplay_core::objects::{NamespacedName, ServiceType, TrafficPolicy};
use svcplay_core::proxy::{IpvsScheduler, ProxyMode};
use svcplay_core::scenario::default_world;
use svcplay_core::world::{ClusterConfig, Command};

#[derive(Debug, Clone)]
enum Op {
    Step(u64),
    Kill(usize),
    Break(usize),
    Heal(usize),
    Crash(usize),
    Scale(bool, i64),
    Type(bool, usize),
    Policy(bool, bool),
    Rate(bool, bool, u32),
    Relabel(usize, usize),
    Proxy(usize),
}

const TYPES: [&str; 4] = ["ClusterIP", "NodePort", "LoadBalancer", "Bogus"];
const APPS: [&str; 3] = ["dev", "prod", "other"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (1u64..6_000).prop_map(Op::Step),
        2 => any::<usize>().prop_map(Op::Kill),
        1 => any::<usize>().prop_map(Op::Break),
        1 => any::<usize>().prop_map(Op::Heal),
        1 => any::<usize>().prop_map(Op::Crash),
        2 => (any::<bool>(), 0i64..7).prop_map(|(d, n)| Op::Scale(d, n)),
        2 => (any::<bool>(), 0..TYPES.len()).prop_map(|(s, t)| Op::Type(s, t)),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(s, l)| Op::Policy(s, l)),
        2 => (any::<bool>(), any::<bool>(), 0u32..60).prop_map(|(c, s, r)| Op::Rate(c, s, r)),
        1 => (any::<usize>(), 0..APPS.len()).prop_map(|(p, a)| Op::Relabel(p, a)),
        1 => (0usize..3).prop_map(Op::Proxy),
    ]
}

fn svc(prod: bool) -> NamespacedName {
    NamespacedName::default_ns(if prod { "prod" } else { "dev" })
}

fn nth_pod(w: &World, i: usize) -> NamespacedName {
    let n = w.pods().len().max(1);
    w.pods()
        .keys()
        .nth(i % n)
        .map(|k| (**k).clone())
        .unwrap_or_default()
}

fn command(w: &World, op: &Op) -> Option<Command> {
    Some(match op {
        Op::Step(_) => return None,
        Op::Kill(i) => Command::DeletePod {
            pod: nth_pod(w, *i),
        },
        Op::Break(i) => Command::BreakPod {
            pod: nth_pod(w, *i),
        },
        Op::Heal(i) => Command::HealPod {
            pod: nth_pod(w, *i),
        },
        Op::Crash(i) => Command::CrashPod {
            pod: nth_pod(w, *i),
        },
        Op::Scale(prod, n) => Command::ScaleDeployment {
            deployment: svc(*prod),
            replicas: *n,
        },
        Op::Type(prod, t) => Command::SetServiceType {
            service: svc(*prod),
            service_type: ServiceType::parse(TYPES[*t]),
        },
        Op::Policy(prod, local) => Command::SetExternalTrafficPolicy {
            service: svc(*prod),
            policy: if *local {
                TrafficPolicy::Local
            } else {
                TrafficPolicy::Cluster
            },
        },
        Op::Rate(user, prod, r) => Command::SetClientRate {
            client: if *user { "user" } else { "client" }.to_owned(),
            service: svc(*prod),
            rate_per_sec: *r,
        },
        Op::Relabel(i, a) => Command::SetPodLabels {
            pod: nth_pod(w, *i),
            labels: app(APPS[*a]),
        },
        Op::Proxy(m) => Command::SetProxyMode {
            mode: match m {
                0 => ProxyMode::Iptables,
                1 => ProxyMode::Nftables,
                _ => ProxyMode::Ipvs(IpvsScheduler::Lc),
            },
        },
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn replaying_a_session_gives_the_same_world(
        seed in any::<u64>(),
        ops in proptest::collection::vec(op(), 1..50),
        slices in proptest::collection::vec(1u64..700, 1..8),
    ) {
        let mut w = default_world(seed);
        for op in &ops {
            match command(&w, op) {
                Some(c) => drop(w.apply(c)),
                None => {
                    let Op::Step(ms) = op else { continue };
                    w.step(*ms);
                }
            }
            w.drain_requests();
        }
        let history = w.history().expect("under the history limit").to_vec();
        // Replay, stepping between the commands in other slices than the original.
        let mut r = World::with_config(seed, ClusterConfig::default()).unwrap();
        let mut cycle = slices.iter().cycle();
        let mut advance = |r: &mut World, to: u64| {
            while r.now().as_millis() < to {
                let left = to - r.now().as_millis();
                r.step((*cycle.next().unwrap_or(&1)).min(left));
            }
        };
        for rec in &history {
            advance(&mut r, rec.at.as_millis());
            prop_assert!(r.apply(rec.command.clone()).is_ok(), "{:?}", rec.command);
        }
        advance(&mut r, w.now().as_millis());
        prop_assert_eq!(r.dump(), w.dump());
    }
}
