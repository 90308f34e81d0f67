//! `World::set_client_rate` and `World::edit_client`: exact request counts, pauses,
//! kept credit, refusals that change nothing, edits written into the command line, and
//! the rates carried by a scenario link.

use super::*;
use crate::World;
use crate::apps::{AppProtocol, LoadEdit, MAX_CLIENT_RATE};
use crate::scenario::share::{Settings, encode_fragment, load_fragment, world_to_scenario};
use crate::scenario::{self, DEFAULT_SEED};

use crate::world::Command;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The default world after 5 s: every pod Running and Ready, requests drained.
fn running() -> World {
    let mut w = scenario::default_world(DEFAULT_SEED);
    w.step(5_000);
    w.drain_requests();
    w.drain_events();
    w
}

/// Requests drained from `client` to `service`.
fn sent(w: &mut World, client: &str, service: &str) -> usize {
    w.drain_requests()
        .iter()
        .filter(|r| r.client == client && r.service.as_ref().is_some_and(|s| s.name == service))
        .count()
}

fn served_by(w: &World, prefix: &str) -> u64 {
    w.pods()
        .keys()
        .filter(|p| p.name.starts_with(prefix))
        .map(|p| w.requests_served(p))
        .sum()
}

fn credit(w: &World, client: &str, service: &str) -> u64 {
    w.clients()
        .iter()
        .find(|c| c.name == client && c.service.as_ref().is_some_and(|s| s.name == service))
        .map_or(u64::MAX, |c| c.credit_at(w.now()))
}

fn rate(w: &World, client: &str, service: &str) -> Option<u32> {
    w.clients()
        .iter()
        .find(|c| c.name == client && c.service.as_ref().is_some_and(|s| s.name == service))
        .map(|c| c.rate_per_sec())
}

#[test]
fn twenty_per_second_for_ten_seconds_is_exactly_two_hundred_requests() {
    let mut w = running();
    let prod_before = served_by(&w, "prod-");
    let dev_before = served_by(&w, "dev-");
    w.apply(Command::SetClientRate {
        client: "client".into(),
        service: NamespacedName::default_ns("prod"),
        rate_per_sec: 20,
    })
    .unwrap();
    assert_eq!(rate(&w, "client", "prod"), Some(20));
    assert_eq!(
        rate(&w, "client", "dev"),
        Some(4),
        "the dev stream is untouched"
    );
    // Uneven steps (animation frames of 16 ms, a long one, single ms) add up to 10 s.
    let mut left = 10_000u64;
    let mut requests = Vec::new();
    for step in [16, 1, 333, 7, 4_000].iter().cycle() {
        let ms = (*step).min(left);
        w.step(ms);
        requests.extend(w.drain_requests());
        left -= ms;
        if left == 0 {
            break;
        }
    }
    let count = |client: &str, service: &str| {
        requests
            .iter()
            .filter(|r| r.client == client && r.service.as_ref().is_some_and(|s| s.name == service))
            .count()
    };
    // 20 req/s × 10 s = 200, plus at most the credit under one request kept from before
    // the change: floor((credit + 200 × 10⁶) / 10⁶) = 200 for any credit < 10⁶.
    assert_eq!(count("client", "prod"), 200);
    assert_eq!(count("client", "dev"), 40, "4 req/s × 10 s");
    assert_eq!(
        count("user", "prod"),
        20,
        "2 req/s × 10 s (unreachable: ClusterIP)"
    );
    assert_eq!(
        served_by(&w, "prod-") - prod_before,
        200,
        "every one served"
    );
    assert_eq!(served_by(&w, "dev-") - dev_before, 40);
}

#[test]
fn rate_zero_pauses_the_user_and_keeps_its_credit() {
    let mut w = scenario::default_world(DEFAULT_SEED);
    w.step(5_123);
    w.drain_requests();
    // 2 req/s × 5.123 s = 10.246 requests: 10 sent, 246 thousandths carried.
    assert_eq!(credit(&w, "user", "prod"), 246_000);
    w.apply(Command::SetClientRate {
        client: "user".into(),
        service: NamespacedName::default_ns("prod"),
        rate_per_sec: 0,
    })
    .unwrap();
    w.step(10_000);
    assert_eq!(
        sent(&mut w, "user", "prod"),
        0,
        "a paused stream sends nothing"
    );
    assert_eq!(
        credit(&w, "user", "prod"),
        246_000,
        "and keeps what it had earned"
    );
    // Resuming at 1 req/s: the first request is due when the credit reaches a whole
    // one, 754 ms later; the fraction was not lost and nothing bursts.
    w.apply(Command::SetClientRate {
        client: "user".into(),
        service: NamespacedName::default_ns("prod"),
        rate_per_sec: 1,
    })
    .unwrap();
    w.step(753);
    assert_eq!(sent(&mut w, "user", "prod"), 0);
    w.step(1);
    assert_eq!(sent(&mut w, "user", "prod"), 1);
    assert_eq!(credit(&w, "user", "prod"), 0);
    // Jumping to the maximum sends one request per ms, never more.
    w.apply(Command::SetClientRate {
        client: "user".into(),
        service: NamespacedName::default_ns("prod"),
        rate_per_sec: MAX_CLIENT_RATE,
    })
    .unwrap();
    w.step(1);
    assert_eq!(sent(&mut w, "user", "prod"), 1);
    w.step(250);
    assert_eq!(sent(&mut w, "user", "prod"), 250);
}

#[test]
fn fortio_has_no_pause_its_qps_zero_means_no_limit() {
    let mut w = running();
    let before = w.dump();
    let err = w
        .apply(Command::SetClientRate {
            client: "client".into(),
            service: NamespacedName::default_ns("prod"),
            rate_per_sec: 0,
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "client \"client\": fortio: -qps 0 means no rate limit, not a pause; delete the client pod to stop it"
    );
    assert_eq!(w.dump(), before);
}

#[test]
fn a_card_edit_is_written_into_the_pods_command_line() {
    let mut w = running();
    w.apply(Command::EditClient {
        client: "client".into(),
        service: NamespacedName::default_ns("prod"),
        edit: LoadEdit {
            rate: Some(12),
            connections: Some(2),
            keepalive: Some(true),
            protocol: Some(AppProtocol::Http2),
            target: None,
        },
    })
    .unwrap();
    let pod = w.pod(&NamespacedName::default_ns("client")).unwrap();
    let prod = pod
        .spec
        .containers
        .iter()
        .find(|c| c.name == "prod")
        .unwrap();
    assert_eq!(
        prod.args.join(" "),
        "load -qps 12 -c 2 -t 0 -h2 http://prod/hostname",
        "-keepalive=false went away, -h2 came"
    );
    let c = w
        .clients()
        .iter()
        .find(|c| c.load.target.host == "prod")
        .unwrap();
    assert_eq!(
        (
            c.rate_per_sec(),
            c.load.connections,
            c.load.keepalive,
            c.load.protocol
        ),
        (12, 2, true, AppProtocol::Http2)
    );
    w.step(1_000);
    let reqs = w.drain_requests();
    let prod_reqs: Vec<&Request> = reqs
        .iter()
        .filter(|r| r.client == "client" && r.service.as_ref().is_some_and(|s| s.name == "prod"))
        .collect();
    assert_eq!(prod_reqs.len(), 12);
    let conns: std::collections::BTreeSet<u64> = prod_reqs
        .iter()
        .filter_map(|r| r.connection.map(|c| c.id))
        .collect();
    assert_eq!(conns.len(), 2, "HTTP/2 over -c 2 connections, kept open");
    let events: Vec<String> = w.drain_events().into_iter().map(|e| e.message).collect();
    assert_eq!(
        events,
        [
            "client client restarted its load generator to service prod (12/s): fortio -qps 12 -c 2, keep-alive, h2 → http://prod/hostname"
        ]
    );
}

#[test]
fn a_change_is_logged_once_and_a_no_op_is_not() {
    let mut w = running();
    w.apply(Command::SetClientRate {
        client: "user".into(),
        service: NamespacedName::default_ns("prod"),
        rate_per_sec: 40,
    })
    .unwrap();
    w.apply(Command::SetClientRate {
        client: "client".into(),
        service: NamespacedName::default_ns("dev"),
        rate_per_sec: 6,
    })
    .unwrap();
    w.apply(Command::SetClientRate {
        client: "client".into(),
        service: NamespacedName::default_ns("dev"),
        rate_per_sec: 6,
    })
    .unwrap();
    let events: Vec<(&str, String, String)> = w
        .drain_events()
        .into_iter()
        .map(|e| (e.kind, e.name, e.message))
        .collect();
    assert_eq!(
        events,
        [
            (
                "Client",
                "user".to_owned(),
                "client user sends 40 requests per second to service prod (was 2/s)".to_owned()
            ),
            (
                "Client",
                "client".to_owned(),
                "client client sends 6 requests per second to service dev (was 4/s)".to_owned()
            ),
        ]
    );
}

#[test]
fn refusals_name_the_problem_and_change_nothing() {
    let mut w = running();
    w.step(123);
    let before = w.dump();
    let cases = [
        ("nobody", "prod", 5, "client \"nobody\" not found"),
        (
            "client",
            "nope",
            5,
            "client \"client\" sends no requests to service \"nope\"",
        ),
        (
            "user",
            "prod",
            1_001,
            "client \"user\" (to service \"prod\"): rate: must be between 0 and 1000 requests per second, got 1001",
        ),
        (
            "client",
            "prod",
            u32::MAX,
            "client \"client\" (to service \"prod\"): rate: must be between 0 and 1000 requests per second, got 4294967295",
        ),
    ];
    for (client, service, rate, words) in cases {
        let err = w
            .apply(Command::SetClientRate {
                client: client.into(),
                service: NamespacedName::default_ns(service),
                rate_per_sec: rate,
            })
            .unwrap_err();
        assert_eq!(err.to_string(), words);
        assert_eq!(
            w.dump(),
            before,
            "{client}/{service}/{rate} changed nothing"
        );
    }
    assert!(w.drain_events().is_empty(), "a refusal is not an event");
}

#[test]
fn the_same_commands_give_the_same_run() {
    let run = || {
        let mut w = scenario::default_world(7);
        w.step(3_210);
        w.apply(Command::SetClientRate {
            client: "client".into(),
            service: NamespacedName::default_ns("prod"),
            rate_per_sec: 37,
        })
        .unwrap();
        w.step(4_567);
        w.apply(Command::SetClientRate {
            client: "user".into(),
            service: NamespacedName::default_ns("prod"),
            rate_per_sec: 0,
        })
        .unwrap();
        w.apply(Command::SetClientRate {
            client: "user".into(),
            service: NamespacedName::default_ns("prod"),
            rate_per_sec: 999,
        })
        .unwrap();
        w.step(890);
        w.apply(Command::SetClientRate {
            client: "client".into(),
            service: NamespacedName::default_ns("prod"),
            rate_per_sec: 5,
        })
        .unwrap();
        w.step(2_000);
        w.dump()
    };
    assert_eq!(run(), run());
}

#[test]
fn a_scenario_link_carries_the_changed_rate() {
    let mut w = running();
    w.apply(Command::SetClientRate {
        client: "client".into(),
        service: NamespacedName::default_ns("prod"),
        rate_per_sec: 40,
    })
    .unwrap();
    w.apply(Command::SetClientRate {
        client: "user".into(),
        service: NamespacedName::default_ns("prod"),
        rate_per_sec: 0,
    })
    .unwrap();
    let scenario = world_to_scenario(&w, DEFAULT_SEED, Settings::default());
    let users: Vec<(&str, &str, u32)> = scenario
        .clients
        .iter()
        .map(|c| (c.name.as_str(), c.service.as_str(), c.rate))
        .collect();
    assert_eq!(
        users,
        [("user", "prod", 0)],
        "only the outside user is a playground object"
    );
    assert!(
        scenario.objects.contains("    - '-qps'\n    - '40'\n"),
        "the client pod's command line carries its rate:\n{}",
        scenario.objects
    );
    let (back, mut loaded) = load_fragment(&encode_fragment(&scenario)).unwrap();
    assert_eq!(back, scenario);
    assert_eq!(rate(&loaded, "client", "prod"), Some(40));
    assert_eq!(rate(&loaded, "user", "prod"), Some(0));
    assert_eq!(rate(&loaded, "client", "dev"), Some(4));
    // The loaded world starts at time zero and sends at the carried rates.
    loaded.step(2_000);
    loaded.drain_requests();
    loaded.step(10_000);
    let requests = loaded.drain_requests();
    let count = |c: &str, s: &str| {
        requests
            .iter()
            .filter(|r| r.client == c && r.service.as_ref().is_some_and(|x| x.name == s))
            .count()
    };
    assert_eq!(
        (
            count("client", "prod"),
            count("user", "prod"),
            count("client", "dev")
        ),
        (400, 0, 40)
    );
}

#[test]
fn an_undrained_queue_keeps_the_last_window_of_requests_and_counts_them_all() {
    let mut w = running();
    let prod_before = served_by(&w, "prod-");
    w.apply(Command::SetClientRate {
        client: "client".into(),
        service: NamespacedName::default_ns("prod"),
        rate_per_sec: 100,
    })
    .unwrap();
    // A minute in steps of 1 s, as a headless program would, and nobody drains.
    for _ in 0..60 {
        w.step(1_000);
    }
    let now = w.now().as_millis();
    let kept = w.drain_requests();
    let from_client = kept
        .iter()
        .filter(|r| r.client == "client" && r.service.as_ref().is_some_and(|s| s.name == "prod"))
        .count();
    // 100 req/s: the queue holds the last 10 s of them (the window's two ends both
    // count, so 1,000 or 1,001), not the minute's 6,000.
    assert!(
        (1_000..=1_001).contains(&from_client),
        "{from_client} requests kept"
    );
    assert!(
        kept.iter()
            .all(|r| r.at.as_millis() + PENDING_REQUESTS_WINDOW_MILLIS >= now - 1_000),
        "nothing older than the window before the newest request"
    );
    assert_eq!(
        served_by(&w, "prod-") - prod_before,
        6_000,
        "the counters saw every request of the minute"
    );
}
