use super::*;
use crate::limits::Limit;
use crate::scenario::{DEFAULT_SEED, default_world};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn default_scenario() -> Scenario {
    world_to_scenario(
        &default_world(DEFAULT_SEED),
        DEFAULT_SEED,
        Settings::default(),
    )
}

/// A fragment made of arbitrary JSON (as a newer or hostile writer could make it).
fn fragment_of_json(json: &str) -> String {
    pack_json(json.as_bytes())
}

fn pod_names(w: &World) -> Vec<String> {
    w.pods().keys().map(|k| k.name.clone()).collect()
}

#[test]
fn round_trip_keeps_the_scenario_and_the_run() {
    let mut s = default_scenario();
    s.settings.speed_percent = Some(250);
    let fragment = encode_fragment(&s);
    assert!(fragment.starts_with("s=1."), "{fragment}");
    assert!(
        fragment.len() < 2_000,
        "the default scenario fits a link: {}",
        fragment.len()
    );
    let back = decode_fragment(&format!("#{fragment}")).unwrap();
    assert_eq!(back, s);
    // The same scenario twice is the same run: same pods at the same time.
    let mut a = scenario_to_world(&back).unwrap();
    let mut b = scenario_to_world(&s).unwrap();
    a.step(5_000);
    b.step(5_000);
    assert_eq!(pod_names(&a), pod_names(&b));
    let user_services: Vec<&str> = a
        .services()
        .keys()
        .filter(|n| !a.is_built_in_service(n))
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(user_services, ["dev", "prod"]);
    let app_pods = a.pods().keys().filter(|p| !a.is_client_pod(p)).count();
    assert_eq!(app_pods, 3);
    assert_eq!(
        a.clients().len(),
        3,
        "two from the client pod, one from outside"
    );
    assert_eq!(a.clients(), b.clients());
    // A built world's scenario (defaults filled in by the importer) is a fixed point. It
    // pins no ClusterIP: the same seed allocates the same ones again.
    let filled = world_to_scenario(&b, DEFAULT_SEED, s.settings.clone());
    assert!(
        filled.objects.contains("sessionAffinity: None") && !filled.objects.contains("clusterIP"),
        "{}",
        filled.objects
    );
    let again = scenario_to_world(&filled).unwrap();
    assert_eq!(
        world_to_scenario(&again, DEFAULT_SEED, s.settings.clone()),
        filled
    );
    let ip = |w: &World| {
        w.services()[&crate::objects::NamespacedName::default_ns("prod")]
            .spec
            .cluster_ip
            .clone()
    };
    assert_eq!(ip(&again), ip(&b));
}

#[test]
fn defaults_are_left_out() {
    let empty = Scenario {
        seed: DEFAULT_SEED,
        objects: String::new(),
        clients: vec![],
        settings: Settings::default(),
    };
    assert_eq!(crate::scenario::share_json::to_json(&empty), "{}");
    let json = crate::scenario::share_json::to_json(&Scenario { seed: 7, ..empty });
    assert_eq!(json, r#"{"seed":7}"#);
}

#[test]
fn base64url_round_trips_every_length() {
    let bytes: Vec<u8> = (0u8..=255).collect();
    for n in 0..20 {
        let text = base64url_encode(&bytes[..n]);
        assert!(!text.contains(['+', '/', '=']));
        assert_eq!(base64url_decode(&text).unwrap(), &bytes[..n]);
    }
    assert_eq!(base64url_encode(b"svc"), "c3Zj");
}

#[test]
fn corrupt_fragments_say_what_is_wrong() {
    assert_eq!(decode_fragment("x=1.abc"), Err(ShareError::NotAScenario));
    assert_eq!(decode_fragment("s=1"), Err(ShareError::NotAScenario));
    assert_eq!(decode_fragment("s=1.ab*d"), Err(ShareError::Base64(3)));
    assert_eq!(decode_fragment("s=1.abcde"), Err(ShareError::Base64(5)));
    let e = decode_fragment("s=1.AAAA").unwrap_err();
    assert!(matches!(e, ShareError::Deflate(_)), "{e:?}");
    assert!(e.to_string().starts_with("corrupt scenario link"), "{e}");
    let e = decode_fragment(&fragment_of_json("{\"seed\": ")).unwrap_err();
    assert!(matches!(e, ShareError::Json(_)), "{e:?}");
    let e = decode_fragment(&fragment_of_json(r#"{"sede": 1}"#)).unwrap_err();
    assert!(e.to_string().contains("unknown field `sede`"), "{e}");
}

#[test]
fn invalid_objects_are_refused_with_the_importers_words() {
    let json = serde_json::json!({
        "objects": "apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\nspec:\n  ports:\n  - port: 80\n"
    });
    let s = decode_fragment(&fragment_of_json(&json.to_string())).unwrap();
    let e = scenario_to_world(&s).unwrap_err();
    let ShareError::Objects(errs) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(errs.0[0].field, "metadata.name");
    assert!(e.to_string().contains("line 4"), "{e}");
}

#[test]
fn oversized_links_and_payloads_are_refused() {
    use crate::limits::{MAX_INFLATED_BYTES, MAX_LINK_BYTES};
    let long = format!("s=1.{}", "A".repeat(MAX_LINK_BYTES));
    let e = decode_fragment(&long).unwrap_err();
    let ShareError::Limit(limit) = &e else {
        panic!("{e:?}")
    };
    assert_eq!((limit.limit, limit.found), (Limit::LinkBytes, Some(65_540)));
    assert_eq!(
        e.to_string(),
        "scenario over a limit: link: Too long: 65540: may not be more than 65536 bytes (svcplay's limit MAX_LINK_BYTES; see README, Limits)"
    );
    // 2 MiB of spaces packs into a few KiB but must not unpack past the limit.
    let bomb = format!("{{\"objects\":\"{}\"}}", " ".repeat(2 * MAX_INFLATED_BYTES));
    let fragment = fragment_of_json(&bomb);
    assert!(fragment.len() < MAX_LINK_BYTES);
    let e = decode_fragment(&fragment).unwrap_err();
    assert!(
        matches!(&e, ShareError::Limit(l) if l.limit == Limit::InflatedBytes),
        "{e:?}"
    );
    let many = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\nspec:\n  replicas: 100000\n  selector:\n    matchLabels:\n      app: big\n  template:\n    metadata:\n      labels:\n        app: big\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
    let s = Scenario {
        objects: many.into(),
        ..default_scenario()
    };
    let e = scenario_to_world(&s).unwrap_err();
    assert!(
        e.to_string()
            .contains("spec.replicas: Invalid value: 100000"),
        "{e}"
    );
    assert!(e.to_string().contains("MAX_REPLICAS"), "{e}");
}

#[test]
fn unknown_versions_are_refused() {
    let fragment = encode_fragment(&default_scenario()).replacen("s=1.", "s=2.", 1);
    let e = decode_fragment(&fragment).unwrap_err();
    assert_eq!(e, ShareError::UnknownVersion("2".into()));
    assert!(
        e.to_string().contains("version \"2\" is not supported"),
        "{e}"
    );
}

#[test]
fn links_over_a_limit_are_refused_before_anything_is_built() {
    // Issue 13: a 403-byte link that unpacked to deep nesting kept load_fragment busy
    // for a minute. The nesting is measured before the JSON is parsed.
    let deep = format!(
        "{{\"seed\":{}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let fragment = fragment_of_json(&deep);
    assert!(fragment.len() < 1_000, "{}", fragment.len());
    let e = load_fragment(&fragment).map(|_| ()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "scenario over a limit: unpacked link: Too deep: 101: must have at most 100 levels of nesting (svcplay's limit MAX_NESTING_DEPTH; see README, Limits)"
    );
    // Playback faster than the speed menu offers would step a tab to a standstill.
    let e = decode_fragment(&fragment_of_json(
        r#"{"settings":{"speed_percent":4294967295}}"#,
    ))
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "scenario over a limit: settings.speed_percent: Invalid value: 4294967295: must be no greater than 10000 hundredths (×100) (svcplay's limit MAX_SPEED_PERCENT; see README, Limits)"
    );
    let client = r#"{"name":"c","service":"s","rate":1}"#;
    let many = format!("{{\"clients\":[{}]}}", vec![client; 101].join(","));
    let e = decode_fragment(&fragment_of_json(&many)).unwrap_err();
    assert!(
        matches!(&e, ShareError::Limit(l) if l.limit == Limit::Clients),
        "{e}"
    );
    let fast = r#"{"clients":[{"name":"c","service":"s","rate":1001}]}"#;
    let e = decode_fragment(&fragment_of_json(fast)).unwrap_err();
    assert!(
        e.to_string()
            .contains("clients[0].rate: Invalid value: 1001"),
        "{e}"
    );
}

#[test]
fn client_pods_count_toward_the_total_rate() {
    // Clients inside the cluster are pods whose flags carry their rates: five fortio
    // pods at -qps 1000 each ask for 5,000 requests a second together.
    let pod = |i: usize| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: load-{i}\nspec:\n  containers:\n  - name: l\n    image: fortio/fortio\n    args: [load, -qps, \"1000\", -c, \"1\", -t, \"0\", http://web/]\n"
        )
    };
    let objects = |n: usize| (0..n).map(pod).collect::<Vec<_>>().join("---\n");
    let scenario = |n| Scenario {
        seed: 1,
        objects: objects(n),
        clients: Vec::new(),
        settings: Settings::default(),
    };
    let w = scenario_to_world(&scenario(4)).unwrap();
    assert_eq!(w.clients().len(), 4);
    let e = scenario_to_world(&scenario(5)).map(|_| ()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "scenario over a limit: clients (all rates together): Invalid value: 5000: must be no greater than 4000 requests per second (svcplay's limit MAX_TOTAL_RATE; see README, Limits)"
    );
}
