use super::*;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn fortio_defaults_and_flags() {
    let l = fortio(&words("http://prod/")).unwrap();
    assert_eq!(
        (
            l.flag_millirate,
            l.connections,
            l.keepalive,
            l.duration_ms,
            l.protocol
        ),
        (Some(8_000), 4, true, Some(5_000), AppProtocol::Http1),
        "fortio's own defaults: 8 qps over 4 connections for 5 s"
    );
    let l = fortio(&words(
        "-qps 20 -c 1 -t 0 -keepalive=false http://prod:8080/hostname",
    ))
    .unwrap();
    assert_eq!(
        (l.millirate(), l.connections, l.keepalive, l.duration_ms),
        (20_000, 1, false, None)
    );
    assert_eq!((l.target.port, l.target.path.as_str()), (8080, "/hostname"));
    let g = fortio(&words("-grpc -ping -qps 50 -c 2 -t 0 backend")).unwrap();
    assert_eq!(
        (g.protocol, g.keepalive, g.target.port, g.connections),
        (AppProtocol::Grpc, true, 8079, 2)
    );
    let h2 = fortio(&words("-h2 -keepalive=false http://x/")).unwrap();
    assert!(
        h2.keepalive,
        "HTTP/2 multiplexes on its connections whatever -keepalive says"
    );
    assert_eq!(
        fortio(&words("-qps 0 http://x/")).unwrap().millirate(),
        1_000_000,
        "no limit: capped"
    );
    assert_eq!(
        fortio(&words("-n 100 -t 10s http://x/")).unwrap().requests,
        Some(100)
    );
    assert_eq!(
        fortio(&words("-c 0 http://x/")).unwrap_err(),
        "invalid value \"0\" for flag -c: must be at least 1"
    );
    assert_eq!(
        fortio(&words("-qps 8")).unwrap_err(),
        "fortio load needs a url or destination"
    );
    assert_eq!(
        fortio(&words("-bogus http://x/")).unwrap_err(),
        "flag provided but not defined: -bogus"
    );
}

#[test]
fn hey_rate_is_per_worker_and_h2_shares_one_connection() {
    let l = hey(&words("-q 2 -c 5 -z 1m http://prod/")).unwrap();
    assert_eq!(
        (l.flag_rate(), l.millirate(), l.connections),
        (2, 10_000, 5)
    );
    assert_eq!((l.duration_ms, l.requests), (Some(60_000), None));
    let d = hey(&words("http://prod/")).unwrap();
    assert_eq!(
        (d.workers, d.requests, d.flag_millirate),
        (50, Some(200), None),
        "hey's defaults"
    );
    let h2 = hey(&words("-h2 -c 8 -q 1 http://prod/")).unwrap();
    assert_eq!((h2.connections, h2.workers, h2.millirate()), (1, 8, 8_000));
    assert!(
        !hey(&words("-disable-keepalive http://x/"))
            .unwrap()
            .keepalive
    );
}

#[test]
fn shell_loops() {
    let l = shell_loop("while true; do curl -s http://prod/hostname; sleep 0.125; done")
        .unwrap()
        .unwrap();
    assert_eq!(
        (l.tool, l.millirate(), l.keepalive, l.connections),
        (Tool::Curl, 8_000, false, 1)
    );
    let w = shell_loop("while sleep 1; do wget -q -O- http://web.shop:8080; done")
        .unwrap()
        .unwrap();
    assert_eq!(
        (w.tool, w.millirate(), w.target.host.as_str(), w.target.port),
        (Tool::Wget, 1_000, "web.shop", 8080)
    );
    assert!(shell_loop("echo hello").is_none());
    assert!(shell_loop("while true; do curl http://a; curl http://b; done").is_none());
    assert_eq!(
        shell_loop("while true; do curl http://x; done")
            .unwrap()
            .unwrap()
            .millirate(),
        u64::from(MAX_CLIENT_RATE) * 1000,
        "no sleep: as fast as it can, capped"
    );
}

#[test]
fn edits_rewrite_the_flags_in_place() {
    let args = words("load -qps 8 -c 4 -p 50,99 -t 0 http://prod/");
    let e = LoadEdit {
        rate: Some(20),
        connections: Some(1),
        keepalive: Some(false),
        protocol: None,
        target: None,
    };
    assert_eq!(
        edit_args(Tool::Fortio, &args, &e).unwrap(),
        words("load -qps 20 -c 1 -p 50,99 -t 0 -keepalive=false http://prod/")
    );
    let back = LoadEdit {
        keepalive: Some(true),
        protocol: Some(AppProtocol::Grpc),
        ..LoadEdit::default()
    };
    let out = edit_args(
        Tool::Fortio,
        &words("load -keepalive=false -t 0 prod:8079"),
        &back,
    )
    .unwrap();
    assert_eq!(out, words("load -t 0 -grpc -ping prod:8079"));
    assert_eq!(
        edit_args(
            Tool::Hey,
            &words("-q 2 -c 5 http://x/"),
            &LoadEdit {
                rate: Some(3),
                keepalive: Some(false),
                ..LoadEdit::default()
            }
        )
        .unwrap(),
        words("-q 3 -c 5 -disable-keepalive http://x/")
    );
    let script = vec![
        "-c".to_owned(),
        "while true; do curl -s http://x/; sleep 0.125; done".to_owned(),
    ];
    let out = edit_args(
        Tool::Curl,
        &script,
        &LoadEdit {
            rate: Some(4),
            ..LoadEdit::default()
        },
    )
    .unwrap();
    assert_eq!(out[1], "while true; do curl -s http://x/; sleep 0.25; done");
    assert!(
        edit_args(
            Tool::Curl,
            &script,
            &LoadEdit {
                keepalive: Some(true),
                ..LoadEdit::default()
            }
        )
        .is_err()
    );
    assert!(
        edit_args(
            Tool::Hey,
            &words("http://x/"),
            &LoadEdit {
                protocol: Some(AppProtocol::Grpc),
                ..LoadEdit::default()
            }
        )
        .is_err()
    );
}
