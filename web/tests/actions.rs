//! Reducer tests for the playground's commands: readiness, scale, selector and label
//! boxes, the pod filter, explain, and the event log. Each drives `AppState::apply` and
//! reads the outcome back from the core's world and from the frame the DOM draws.
//! Runs natively (`cargo test -p svcplay-web`) and in Chromium (`--target wasm32-unknown-unknown`).
#![allow(clippy::unwrap_used, clippy::panic)]

use svcplay_web::components::event_log::shown;
use svcplay_web::model::from_world::{self, Frame, frame};
use svcplay_web::state::{Action, AppState, EditAction, Field, PodCommand};

use svcplay_core::objects::NamespacedName;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The default scenario after 3 s: every pod Ready.
fn running() -> AppState {
    let mut s = AppState::default();
    for _ in 0..12 {
        s.apply(Action::Tick(250.0));
    }
    s
}

fn draw(s: &AppState) -> Frame {
    let sim = s.sim();
    frame(&sim.world, &sim.log, true, &s.view.edits)
}

fn edit(s: &mut AppState, a: EditAction) {
    assert!(
        s.apply(Action::Edit(a)),
        "an edit refreshes the DOM at once"
    );
}

fn typed(s: &mut AppState, field: Field, text: &str) {
    edit(s, EditAction::Type(field.clone(), text.to_owned()));
    edit(s, EditAction::Apply(field));
}

fn pods_of(s: &AppState, prefix: &str) -> Vec<String> {
    let sim = s.sim();
    sim.world
        .pods()
        .keys()
        .filter(|n| n.name.starts_with(prefix))
        .map(|n| n.name.clone())
        .collect()
}

/// Advances simulated time by about `secs` at ×100.
fn run_for(s: &mut AppState, secs: u64) {
    s.apply(Action::Speed(10_000));
    for _ in 0..(secs * 1000).div_ceil(25_000) {
        s.apply(Action::Tick(250.0));
    }
    s.apply(Action::Speed(100));
}

fn service(f: &Frame, name: &str) -> svcplay_web::model::ServiceView {
    f.scene
        .services
        .iter()
        .find(|s| s.name == name)
        .cloned()
        .unwrap_or_default()
}

fn endpoint(f: &Frame, service: &str, pod: &str) -> Option<(bool, bool, bool)> {
    f.endpoints
        .iter()
        .find(|e| e.service == service)?
        .slices
        .iter()
        .flat_map(|s| &s.rows)
        .find(|r| r.pod == pod)
        .map(|r| (r.ready, r.serving, r.terminating))
}

#[test]
fn break_makes_the_pod_not_ready_after_its_probe_fails_and_heal_brings_it_back() {
    let mut s = running();
    let pod = pods_of(&s, "prod-")[0].clone();
    let card = |f: &Frame| {
        f.scene
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .find(|p| p.name == pod)
            .map(|p| (p.state, p.serving, p.probe))
    };
    use svcplay_web::model::{PodState, ProbeControl};
    assert_eq!(
        card(&draw(&s)),
        Some((PodState::Ready, true, ProbeControl::CanBreak))
    );
    s.apply(Action::Pod(pod.clone(), PodCommand::Break));
    assert_eq!(s.view.error, None);
    assert_eq!(
        card(&draw(&s)),
        Some((PodState::Ready, true, ProbeControl::CanHeal)),
        "still Ready until the probe has failed failureThreshold times"
    );
    run_for(&mut s, 31);
    let f = draw(&s);
    assert_eq!(
        card(&f),
        Some((PodState::NotReady, false, ProbeControl::CanHeal))
    );
    assert_eq!(
        endpoint(&f, "prod", &pod),
        Some((false, false, false)),
        "the slice keeps it, not ready"
    );
    s.apply(Action::Pod(pod.clone(), PodCommand::Heal));
    run_for(&mut s, 11);
    let f = draw(&s);
    assert_eq!(
        card(&f),
        Some((PodState::Ready, true, ProbeControl::CanBreak))
    );
    assert_eq!(endpoint(&f, "prod", &pod), Some((true, true, false)));
    s.apply(Action::Pod("nope".to_owned(), PodCommand::Break));
    assert_eq!(s.view.error.as_deref(), Some("pods \"nope\" not found"));
}

#[test]
fn scale_buttons_and_box_set_replicas_and_refusals_change_nothing() {
    let mut s = running();
    let replicas = |s: &AppState| {
        s.sim().world.deployments()[&NamespacedName::default_ns("prod")]
            .spec
            .replicas
    };
    edit(&mut s, EditAction::Scale("prod".to_owned(), 10));
    assert_eq!(replicas(&s), Some(10));
    assert_eq!(pods_of(&s, "prod-").len(), 10);
    let field = Field::Replicas("prod".to_owned());
    for (text, words) in [
        (
            "5000",
            "deployment \"prod\": spec.replicas must be 0..=1000, got 5000",
        ),
        (
            "-1",
            "deployment \"prod\": spec.replicas must be 0..=1000, got -1",
        ),
        (
            "abc",
            "deployment \"prod\": spec.replicas: Invalid value: \"abc\": must be a whole number",
        ),
    ] {
        typed(&mut s, field.clone(), text);
        assert_eq!(s.view.edits.error(&field).map(String::as_str), Some(words));
        assert_eq!(replicas(&s), Some(10), "{text} changed nothing");
        let d = draw(&s).deployments[1].clone();
        assert_eq!(
            (d.replicas_draft.as_deref(), d.replicas_error.as_deref()),
            (Some(text), Some(words)),
            "the box keeps the text and shows why"
        );
    }
    typed(&mut s, field.clone(), "1");
    assert_eq!(replicas(&s), Some(1));
    assert_eq!(s.view.edits.error(&field), None);
    assert_eq!(
        s.view.edits.draft(&field),
        None,
        "applied: the box shows spec.replicas again"
    );
    run_for(&mut s, 31);
    assert_eq!(pods_of(&s, "prod-").len(), 1, "the extra pods are gone");
}

#[test]
fn a_selector_draft_highlights_live_and_enter_applies_it() {
    let mut s = running();
    let field = Field::Selector("dev".to_owned());
    edit(
        &mut s,
        EditAction::Type(field.clone(), "app=prod".to_owned()),
    );
    let f = draw(&s);
    let marks: Vec<(bool, Option<bool>)> = f
        .scene
        .nodes
        .iter()
        .flat_map(|n| &n.pods)
        .map(|p| (p.name.starts_with("prod-"), p.highlight))
        .collect();
    assert_eq!(marks.len(), 4, "dev, two prod and the client pod");
    assert!(marks.iter().all(|&(prod, h)| h == Some(prod)), "{marks:?}");
    assert_eq!(
        s.sim()
            .world
            .ready_endpoints(&NamespacedName::default_ns("dev"))[0]
            .metadata
            .labels["app"],
        "dev",
        "a draft routes nothing"
    );
    edit(&mut s, EditAction::Apply(field.clone()));
    let routed: Vec<String> = s
        .sim()
        .world
        .ready_endpoints(&NamespacedName::default_ns("dev"))
        .iter()
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(routed, pods_of(&s, "prod-"));
    assert!(
        draw(&s)
            .scene
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .all(|p| p.highlight.is_none()),
        "applied: nothing previews any more"
    );
}

#[test]
fn invalid_selectors_show_kubernetes_words_and_keep_the_old_routing() {
    let mut s = running();
    let field = Field::Selector("prod".to_owned());
    let before = s.sim().world.services()[&NamespacedName::default_ns("prod")]
        .spec
        .selector
        .clone();
    for (text, words) in [
        ("app==a,", "found '', expected: identifier after ','"),
        (
            "app=-bad-",
            "Invalid value: \"-bad-\": a valid label must be an empty string or consist of alphanumeric characters",
        ),
        ("app in (", "found '', expected:"),
        (
            "app in (dev,prod)",
            "only key=value requirements are allowed",
        ),
    ] {
        typed(&mut s, field.clone(), text);
        let err = s.view.edits.error(&field).cloned().unwrap_or_default();
        assert!(
            err.starts_with("service \"prod\": ") && err.contains(words),
            "{text}: {err}"
        );
        assert_eq!(
            s.sim().world.services()[&NamespacedName::default_ns("prod")]
                .spec
                .selector,
            before
        );
        assert_eq!(
            s.sim()
                .world
                .ready_endpoints(&NamespacedName::default_ns("prod"))
                .len(),
            2,
            "{text}"
        );
        let card = service(&draw(&s), "prod");
        assert_eq!(card.selector_error, Some(err));
        assert_eq!(card.selector_draft.as_deref(), Some(text));
    }
    edit(&mut s, EditAction::Cancel(field.clone()));
    assert_eq!(s.view.edits.error(&field), None);
    assert_eq!(service(&draw(&s), "prod").selector_draft, None);
}

#[test]
fn the_pod_filter_takes_the_full_grammar() {
    let mut s = running();
    edit(
        &mut s,
        EditAction::Type(Field::PodFilter, "app in (dev,prod),!canary".to_owned()),
    );
    let f = draw(&s);
    assert_eq!((f.filter.matched, f.filter.error.clone()), (Some(3), None));
    edit(
        &mut s,
        EditAction::Type(Field::PodFilter, "app notin (dev,client)".to_owned()),
    );
    let f = draw(&s);
    assert_eq!(f.filter.matched, Some(2));
    let lit: Vec<bool> = f
        .scene
        .nodes
        .iter()
        .flat_map(|n| &n.pods)
        .filter(|p| p.highlight == Some(true))
        .map(|p| p.name.starts_with("prod-"))
        .collect();
    assert_eq!(lit, [true, true]);
    edit(
        &mut s,
        EditAction::Type(Field::PodFilter, "app in (".to_owned()),
    );
    let f = draw(&s);
    assert_eq!(f.filter.matched, None);
    assert_eq!(
        f.filter.error,
        svcplay_core::selector::Selector::parse("app in (")
            .err()
            .map(|e| e.to_string()),
        "the core parser's own words"
    );
    assert!(f.filter.error.is_some());
}

#[test]
fn labels_boxes_relabel_pods_and_templates_through_the_core() {
    let mut s = running();
    let pod = pods_of(&s, "dev-")[0].clone();
    edit(&mut s, EditAction::ExplainPod(pod.clone()));
    let field = Field::PodLabels(pod.clone());
    typed(
        &mut s,
        field.clone(),
        "app=dev,tier=web,pod-template-hash=x",
    );
    assert_eq!(s.view.edits.error(&field), None);
    assert_eq!(
        s.sim().world.pods()[&NamespacedName::default_ns(&pod)]
            .metadata
            .labels["tier"],
        "web"
    );
    typed(&mut s, field.clone(), "k=a b");
    let err = s.view.edits.error(&field).cloned().unwrap_or_default();
    assert!(err.contains("Invalid value: \"a b\""), "{err}");
    assert_eq!(
        s.sim().world.pods()[&NamespacedName::default_ns(&pod)]
            .metadata
            .labels["tier"],
        "web"
    );

    let template = Field::TemplateLabels("prod".to_owned());
    typed(&mut s, template.clone(), "app=other");
    let err = s.view.edits.error(&template).cloned().unwrap_or_default();
    assert!(
        err.contains("`selector` does not match template `labels`"),
        "{err}"
    );
    typed(&mut s, template.clone(), "app=prod,track=stable");
    assert_eq!(s.view.edits.error(&template), None);
    assert_eq!(
        draw(&s).deployments[1].template_labels,
        "app=prod,track=stable"
    );
}

#[test]
fn explain_answers_for_the_picked_service_and_pod() {
    let mut s = running();
    let prod = pods_of(&s, "prod-")[0].clone();
    let dev = pods_of(&s, "dev-")[0].clone();
    edit(&mut s, EditAction::ExplainService("prod".to_owned()));
    edit(&mut s, EditAction::ExplainPod(prod.clone()));
    let x = draw(&s).explain.clone();
    assert_eq!(x.is_endpoint, Some(true));
    assert!(
        x.headline
            .contains("(ready true, serving true, terminating false)"),
        "{}",
        x.headline
    );
    assert_eq!(x.reasons, ["the pod is Ready"]);
    assert!(
        s.apply(Action::Pod(dev.clone(), PodCommand::Explain)),
        "a click on the card picks it"
    );
    assert_eq!(s.view.edits.explain_pod.as_deref(), Some(dev.as_str()));
    let x = draw(&s).explain.clone();
    assert_eq!(x.is_endpoint, Some(false));
    assert_eq!(x.reasons, ["selector wants app=prod, the pod has app=dev"]);
    s.apply(Action::Pod(prod.clone(), PodCommand::Kill));
    edit(&mut s, EditAction::ExplainPod(prod));
    let x = draw(&s).explain.clone();
    assert!(
        x.headline
            .contains("(ready false, serving true, terminating true)"),
        "{}",
        x.headline
    );
}

#[test]
fn the_event_log_holds_the_cores_events_newest_last_and_filters() {
    let mut s = running();
    let pod = pods_of(&s, "prod-")[0].clone();
    s.apply(Action::Pod(pod.clone(), PodCommand::Kill));
    edit(&mut s, EditAction::Scale("dev".to_owned(), 2));
    let sim = s.sim();
    // Newest first, as the events panel shows them.
    let views = from_world::events(sim.events.iter(), usize::MAX);
    let last = views
        .iter()
        .find(|e| e.object == "deployment/dev")
        .cloned()
        .unwrap_or_default();
    assert_eq!(last.message, "deployment dev scaled to 2 replica(s)");
    assert!(
        views
            .first()
            .is_some_and(|e| e.object.starts_with("pod/dev-")),
        "the ReplicaSet's new pod is the newest event"
    );
    let killed = views
        .iter()
        .find(|e| e.object == format!("pod/{pod}"))
        .cloned()
        .unwrap_or_default();
    assert!(
        killed.message.contains("is Terminating"),
        "{}",
        killed.message
    );
    assert!(shown(&killed, "TERMINATING"));
    assert!(shown(&killed, ""));
    assert!(!shown(&last, "terminating"));
    let times: Vec<_> = sim.events.iter().map(|e| e.at).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
}

#[test]
fn service_type_round_trip_allocates_and_releases_through_the_core() {
    let mut s = running();
    let layers = |s: &AppState| service(&draw(s), "prod").layers;
    use svcplay_web::model::Layer;
    let ip = match &layers(&s)[..] {
        [Layer::ClusterIp(Some(ip))] => ip.clone(),
        other => panic!("a ClusterIP Service has one layer with its IP: {other:?}"),
    };
    edit(
        &mut s,
        EditAction::ServiceType("prod".to_owned(), "NodePort".to_owned()),
    );
    let port = match &layers(&s)[..] {
        [Layer::ClusterIp(Some(same)), Layer::NodePort(p)] if *same == ip => *p,
        other => panic!("NodePort wraps the same ClusterIP: {other:?}"),
    };
    assert!((30_000..=32_767).contains(&port), "{port}");
    edit(
        &mut s,
        EditAction::ServiceType("prod".to_owned(), "LoadBalancer".to_owned()),
    );
    assert!(matches!(
        &layers(&s)[..],
        [Layer::ClusterIp(Some(_)), Layer::NodePort(p), Layer::LoadBalancer(_)] if *p == port
    ));
    edit(
        &mut s,
        EditAction::ExternalPolicy("prod".to_owned(), "Local".to_owned()),
    );
    assert_eq!(service(&draw(&s), "prod").external_policy, "Local");
    edit(
        &mut s,
        EditAction::ExternalPolicy("prod".to_owned(), "Sideways".to_owned()),
    );
    let err = service(&draw(&s), "prod").spec_error.unwrap_or_default();
    assert!(err.contains("Sideways"), "the core's refusal: {err}");
    edit(
        &mut s,
        EditAction::ServiceType("prod".to_owned(), "ClusterIP".to_owned()),
    );
    assert!(matches!(&layers(&s)[..], [Layer::ClusterIp(Some(_))]));
    assert_eq!(service(&draw(&s), "prod").spec_error, None);
    edit(
        &mut s,
        EditAction::Affinity("prod".to_owned(), Some(10_800)),
    );
    assert_eq!(service(&draw(&s), "prod").affinity, "ClientIP");

    // The rules follow kube-proxy's mode: iptables text in iptables mode.
    let r = draw(&s).rules.clone();
    assert_eq!(r.node.as_deref(), Some("node-a"));
    assert!(
        r.text.starts_with("*filter\n"),
        "{}",
        &r.text[..r.text.len().min(200)]
    );
    edit(&mut s, EditAction::ProxyMode("nftables".to_owned()));
    let r = draw(&s).rules.clone();
    assert_eq!(r.proxy_mode, "nftables");
    assert!(
        r.text.starts_with("add table ip kube-proxy"),
        "{}",
        &r.text[..r.text.len().min(200)]
    );
    edit(&mut s, EditAction::ProxyMode("carrier-pigeon".to_owned()));
    assert!(
        draw(&s)
            .rules
            .proxy_error
            .as_deref()
            .is_some_and(|e| e.contains("carrier-pigeon"))
    );
}

#[test]
fn rate_box_and_buttons_set_a_clients_rate_and_refusals_change_nothing() {
    let mut s = running();
    let rate = |s: &AppState, client: &str, service: &str| {
        s.sim()
            .world
            .clients()
            .iter()
            .find(|c| c.name == client && c.service.as_ref().is_some_and(|s| s.name == service))
            .map(|c| c.rate_per_sec())
    };
    let target = |s: &AppState, client: &str, service: &str| {
        draw(s)
            .scene
            .clients
            .iter()
            .find(|c| c.name == client)
            .and_then(|c| c.targets.iter().find(|t| t.service == service).cloned())
            .unwrap_or_default()
    };
    assert_eq!(
        target(&s, "client", "prod").rate_per_sec,
        8,
        "the model exposes the rate"
    );
    let field = Field::Rate("client".to_owned(), "prod".to_owned());
    let words = |got: &str| {
        format!(
            "client \"client\" (to service \"prod\"): rate: must be between 0 and 1000 requests per second, got {got}"
        )
    };
    for (text, got) in [
        ("abc", "\"abc\""),
        ("-1", "\"-1\""),
        ("1.5", "\"1.5\""),
        ("", "\"\""),
        ("5000", "5000"),
    ] {
        let events = s.sim().events.len();
        typed(&mut s, field.clone(), text);
        assert_eq!(s.view.edits.error(&field), Some(&words(got)));
        assert_eq!(
            rate(&s, "client", "prod"),
            Some(8),
            "{text:?} changed nothing"
        );
        assert_eq!(s.sim().events.len(), events, "a refusal is not an event");
        let t = target(&s, "client", "prod");
        assert_eq!(
            (t.rate_per_sec, t.rate_draft.as_deref(), t.rate_error),
            (8, Some(text), Some(words(got))),
            "the box keeps the text and shows why"
        );
    }
    // Paused, with prod's pods ready: 10 steps of 100 ms at 40 req/s are exactly 40
    // requests (the credit under one request carried from before adds no whole one).
    s.apply(Action::TogglePlay);
    typed(&mut s, field.clone(), " 40 ");
    assert_eq!(rate(&s, "client", "prod"), Some(40));
    assert_eq!(
        (s.view.edits.error(&field), s.view.edits.draft(&field)),
        (None, None)
    );
    assert_eq!(
        rate(&s, "client", "dev"),
        Some(4),
        "the client's other stream is untouched"
    );
    let logged = from_world::events(s.sim().events.iter(), 1)
        .pop()
        .unwrap_or_default();
    assert_eq!(
        (logged.object.as_str(), logged.message.as_str()),
        (
            "client/client",
            "client client sends 40 requests per second to service prod (was 8/s)"
        )
    );
    let served = |s: &AppState| -> u64 {
        let sim = s.sim();
        pods_of(s, "prod-")
            .iter()
            .map(|p| sim.world.requests_served(&NamespacedName::default_ns(p)))
            .sum()
    };
    let before = served(&s);
    for _ in 0..10 {
        s.apply(Action::Step);
    }
    assert_eq!(served(&s) - before, 40);
    // The buttons: − to 0 pauses the outside user; + past the limit is refused.
    edit(
        &mut s,
        EditAction::Rate("user".to_owned(), "prod".to_owned(), 0),
    );
    assert_eq!(rate(&s, "user", "prod"), Some(0));
    edit(
        &mut s,
        EditAction::Rate("client".to_owned(), "dev".to_owned(), 1_001),
    );
    assert_eq!(rate(&s, "client", "dev"), Some(4));
    assert_eq!(
        s.view
            .edits
            .error(&Field::Rate("client".to_owned(), "dev".to_owned()))
            .map(String::as_str),
        Some(
            "client \"client\" (to service \"dev\"): rate: must be between 0 and 1000 requests per second, got 1001"
        )
    );
    // The autosave and share link carry the new rates: the user as a playground
    // object, the client pod's in its fortio command line.
    let scenario = s.scenario();
    let rates: Vec<(String, String, u32)> = scenario
        .clients
        .into_iter()
        .map(|c| (c.name, c.service, c.rate))
        .collect();
    assert_eq!(rates, [("user".to_owned(), "prod".to_owned(), 0)]);
    assert!(
        scenario.objects.contains("    - '-qps'\n    - '40'\n    - '-c'\n    - '1'\n    - '-t'\n    - '0'\n    - '-keepalive=false'\n    - http://prod/hostname"),
        "{}",
        scenario.objects
    );
}
