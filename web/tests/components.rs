//! Component tests in headless Chromium: each component renders what its view structs
//! say, with the stable test hooks, and the playground wires clicks to the reducer.
//! Run: `cargo test -p svcplay-web --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]
// A test that cannot find its DOM should fail loudly, so unwrap is fine here.
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::rc::Rc;

use svcplay_web::app::{Playground, PlaygroundProps};
use svcplay_web::components::client_card::{ClientCard, ClientCardProps, MANY_STREAMS};
use svcplay_web::components::event_log::{EventLog, EventLogProps};
use svcplay_web::components::pod_card::{PodCard, PodCardProps};
use svcplay_web::components::service_card::{ServiceCard, ServiceCardProps};
use svcplay_web::components::share_panel::{SharePanel, SharePanelProps};
use svcplay_web::components::text_box::{TextBox, TextBoxProps};
use svcplay_web::model::{
    ClientTarget, ClientView, EventView, Layer, PodState, PodView, ProbeControl, ServiceView,
    ShareRow, ShareView,
};
use svcplay_web::palette::Colour;
use svcplay_web::state::{EditAction, Field, PodCommand, ScenarioKind};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Element, HtmlElement, HtmlInputElement, InputEvent, InputEventInit, KeyboardEvent,
    KeyboardEventInit,
};
use yew::{BaseComponent, Callback};

wasm_bindgen_test_configure!(run_in_browser);

fn root() -> Element {
    let doc = web_sys::window().and_then(|w| w.document()).unwrap();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

async fn render<C: BaseComponent>(props: C::Properties) -> Element {
    let root = root();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

fn input_value(el: &Element, selector: &str) -> String {
    el.query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into::<HtmlInputElement>()
        .unwrap()
        .value()
}

/// Types `text` into the box as a user would: sets the value and fires `input`.
fn type_into(el: &Element, selector: &str, text: &str) {
    let input: HtmlInputElement = el
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value(text);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let e = InputEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&e).unwrap();
}

/// Presses a key in the box.
fn press(el: &Element, selector: &str, key: &str) {
    let input = el.query_selector(selector).unwrap().unwrap();
    let init = KeyboardEventInit::new();
    init.set_bubbles(true);
    init.set_key(key);
    let e = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&e).unwrap();
}

/// Picks `value` in a `<select>` as a user would: sets it and fires a bubbling `change`.
fn choose(el: &Element, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = el
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    select.set_value(value);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let e = InputEvent::new_with_event_init_dict("change", &init).unwrap();
    select.dispatch_event(&e).unwrap();
}

fn has_class(el: &Element, class: &str) -> bool {
    el.class_name().split_whitespace().any(|c| c == class)
}

fn pod(name: &str, state: PodState) -> PodView {
    PodView {
        name: name.to_owned(),
        ip: "10.244.0.7".to_owned(),
        labels: vec!["app=prod".to_owned()],
        state,
        serving: state == PodState::Ready,
        requests: 42,
        colour: Colour::Index(1),
        can_kill: state != PodState::Terminating,
        ..PodView::default()
    }
}

#[wasm_bindgen_test]
async fn default_scenario_draws_three_pods_two_services_two_clients() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let pods = all(&root, "[data-pod]");
    assert_eq!(pods.len(), 4, "dev, two prod and the client pod");
    for p in &pods {
        assert_eq!(
            all(p, "button[data-action=\"kill\"]").len(),
            1,
            "every pod has a kill button"
        );
        assert_eq!(
            all(p, "button[data-action=\"break\"]").len(),
            1,
            "every pod's app can be broken"
        );
        assert!(attr(p, "data-requests").parse::<u64>().is_ok());
    }
    let services = all(&root, "[data-service]");
    let names: Vec<String> = services.iter().map(|s| attr(s, "data-service")).collect();
    assert_eq!(
        names,
        ["dev", "prod"],
        "the built-in kubernetes Service is not drawn"
    );
    assert!(services.iter().all(|s| attr(s, "data-type") == "ClusterIP"));
    assert!(services.iter().all(|s| s.has_attribute("data-cluster-ip")));
    assert_eq!(
        all(&root, "[data-service] [data-layer=\"ClusterIP\"]").len(),
        2
    );
    assert_eq!(
        input_value(&services[1], "input[data-action=\"selector\"]"),
        "app=prod",
        "the selector is shown in its box"
    );
    let clients: Vec<String> = all(&root, "[data-client]")
        .iter()
        .map(|c| attr(c, "data-client"))
        .collect();
    assert_eq!(
        clients,
        ["user", "client"],
        "the user outside, the client pod inside"
    );
    assert_eq!(all(&root, "canvas.flights").len(), 1);
    assert!(
        !all(&root, "[data-event^=\"deployment/\"]").is_empty(),
        "the core's events from building the world are logged"
    );
}

#[wasm_bindgen_test]
async fn kill_button_marks_the_pod_terminating() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let victim = all(&root, "[data-pod^=\"prod\"]")
        .into_iter()
        .next()
        .unwrap();
    let name = attr(&victim, "data-pod");
    let button: HtmlElement = victim
        .query_selector("button[data-action=\"kill\"]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    yew::scheduler::flush().await;
    let victim = root
        .query_selector(&format!("[data-pod=\"{name}\"]"))
        .unwrap()
        .unwrap();
    assert_eq!(attr(&victim, "data-state"), "terminating");
    assert_eq!(attr(&victim, "data-ready"), "false");
    assert!(
        victim
            .query_selector("button[data-action=\"kill\"]:disabled")
            .unwrap()
            .is_some()
    );
    assert_eq!(
        all(&root, "[data-pod]").len(),
        5,
        "the Deployment started a replacement"
    );
    assert!(
        root.text_content()
            .unwrap_or_default()
            .contains(&format!("pod/{name}")),
        "the event log shows it"
    );
}

#[wasm_bindgen_test]
async fn toolbar_pauses_and_steps() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let click = |sel: &str| {
        let b: HtmlElement = root
            .query_selector(sel)
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        b.click();
    };
    assert!(
        root.query_selector("button[data-action=\"step\"]:disabled")
            .unwrap()
            .is_some(),
        "no step while playing"
    );
    click("button[data-action=\"play\"]");
    yew::scheduler::flush().await;
    let play = root
        .query_selector("button[data-action=\"play\"]")
        .unwrap()
        .unwrap();
    assert_eq!(attr(&play, "aria-pressed"), "false");
    let clock = || {
        root.query_selector(".clock")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap_or_default()
    };
    let before = clock();
    click("button[data-action=\"step\"]");
    yew::scheduler::flush().await;
    assert_ne!(clock(), before, "a step moves the clock");
    click("button[data-action=\"reset\"]");
    yew::scheduler::flush().await;
    assert_eq!(clock(), "t = 0.0 s");
}

#[wasm_bindgen_test]
async fn pod_card_hooks_states_and_kill_callback() {
    let got: Rc<RefCell<Vec<(String, PodCommand)>>> = Rc::default();
    let on_command = {
        let got = got.clone();
        Callback::from(move |c| got.borrow_mut().push(c))
    };
    let root = render::<PodCard>(PodCardProps {
        pod: pod("prod-abc-x2k9q", PodState::Ready),
        on_command,
    })
    .await;
    let el = root.query_selector("[data-pod]").unwrap().unwrap();
    assert_eq!(attr(&el, "data-pod"), "prod-abc-x2k9q");
    assert_eq!(
        (attr(&el, "data-ready"), attr(&el, "data-requests")),
        ("true".to_owned(), "42".to_owned())
    );
    assert!(has_class(&el, "ready") && has_class(&el, "c1"));
    assert_eq!(
        attr(&el, "tabindex"),
        "0",
        "keyboard focus shows the labels"
    );
    assert!(
        el.query_selector("[role=tooltip]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap_or_default()
            .contains("app=prod")
    );
    let kill: HtmlElement = el
        .query_selector("button[data-action=\"kill\"]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(attr(&kill, "aria-label"), "delete pod prod-abc-x2k9q");
    assert_eq!(attr(&kill, "title"), "delete pod");
    kill.click();
    assert_eq!(
        *got.borrow(),
        [("prod-abc-x2k9q".to_owned(), PodCommand::Kill)]
    );

    let on_command = Callback::from(|_| {});
    let root = render::<PodCard>(PodCardProps {
        pod: pod("old", PodState::Terminating),
        on_command,
    })
    .await;
    let el = root.query_selector("[data-pod]").unwrap().unwrap();
    assert!(has_class(&el, "terminating"));
    assert_eq!(attr(&el, "data-ready"), "false");
    assert!(
        el.text_content()
            .unwrap_or_default()
            .contains("Terminating"),
        "the state is a word too"
    );
    assert!(
        el.query_selector("button[data-action=\"kill\"]:disabled")
            .unwrap()
            .is_some()
    );
}

#[wasm_bindgen_test]
async fn user_strings_are_text_not_markup() {
    let name = "<img src=x onerror=alert(1)>";
    let on_command = Callback::from(|_| {});
    let root = render::<PodCard>(PodCardProps {
        pod: pod(name, PodState::Pending),
        on_command,
    })
    .await;
    assert!(all(&root, "img").is_empty());
    assert!(root.text_content().unwrap_or_default().contains(name));
}

#[wasm_bindgen_test]
async fn service_layers_nest_outermost_first() {
    let service = ServiceView {
        name: "web".to_owned(),
        type_name: "NodePort".to_owned(),
        layers: vec![
            Layer::ClusterIp(Some("10.96.0.10".to_owned())),
            Layer::NodePort(30080),
        ],
        selector: "app=web".to_owned(),
        colour: Colour::Index(0),
        endpoints: vec!["a".to_owned(), "b".to_owned()],
        refused: 3,
        refusing: true,
        ..ServiceView::default()
    };
    let root = render::<ServiceCard>(ServiceCardProps {
        service,
        compact: false,
        on_edit: Callback::noop(),
    })
    .await;
    let el = root
        .query_selector("[data-service=\"web\"]")
        .unwrap()
        .unwrap();
    assert_eq!(attr(&el, "data-type"), "NodePort");
    assert_eq!(attr(&el, "data-cluster-ip"), "10.96.0.10");
    assert_eq!(attr(&el, "data-node-port"), "30080");
    assert!(
        el.query_selector("[data-layer=\"NodePort\"] > [data-layer=\"ClusterIP\"]")
            .unwrap()
            .is_some()
    );
    let text = el.text_content().unwrap_or_default();
    assert!(text.contains("2 ready endpoints") && text.contains("3 refused"));
    assert_eq!(
        input_value(&el, "input[data-action=\"selector\"]"),
        "app=web"
    );
    assert!(has_class(&el, "refusing"));
}

#[wasm_bindgen_test]
async fn share_bars_use_geometry_and_show_the_expected_split() {
    let shares = Rc::new(vec![ShareView {
        service: "prod".to_owned(),
        colour: Colour::Index(1),
        total: 14,
        refused: 1,
        lost: 1,
        unresolved: 2,
        reached: 10,
        rows: vec![
            ShareRow {
                pod: "prod-x-aaaaa".to_owned(),
                served: 7,
                share: 0.7,
                expected: 0.5,
                connections: 2,
            },
            ShareRow {
                pod: "prod-x-bbbbb".to_owned(),
                served: 3,
                share: 0.3,
                expected: 0.5,
                connections: 0,
            },
        ],
    }]);
    let root = render::<SharePanel>(SharePanelProps { shares }).await;
    let fills = all(&root, ".bar-fill");
    assert_eq!(
        fills.iter().map(|f| attr(f, "width")).collect::<Vec<_>>(),
        ["70.00", "30.00"]
    );
    assert_eq!(
        all(&root, ".bar-expected")
            .iter()
            .map(|t| attr(t, "x"))
            .collect::<Vec<_>>(),
        ["50.00", "50.00"]
    );
    assert!(
        all(&root, "[style]").is_empty(),
        "no inline styles: the CSP forbids them"
    );
    assert!(root.text_content().unwrap_or_default().contains("70%"));
    let conns: Vec<String> = all(&root, "[data-share-pod]")
        .iter()
        .map(|r| attr(r, "data-connections"))
        .collect();
    assert_eq!(conns, ["2", "0"], "open connections per pod");
    // Requests that never reached a pod are kept apart from the split, DNS failures
    // named on their own.
    let never = all(&root, "[data-never]");
    assert_eq!(never.len(), 1);
    assert_eq!(
        never[0].text_content().unwrap_or_default(),
        "4 never reached a pod: 1 refused (no ready endpoint), 1 dropped or unreachable, 2 not resolved by DNS. Not part of the split below."
    );
    assert!(root.text_content().unwrap_or_default().contains("2 conn"));
}

/// The tick is the core's expectation: with `prod` a LoadBalancer under
/// `externalTrafficPolicy: Local` and `internalTrafficPolicy: Local`, the client pod on
/// node-b (8/s) reaches only node-b's prod pod and the user outside (2/s) goes half to
/// each node's, so the ticks are 90 % and 10 %, where an equal split would say 50 %.
#[wasm_bindgen_test]
async fn share_ticks_are_the_core_s_expectation_under_local_policies() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let prod = |root: &Element| {
        root.query_selector("[data-service=\"prod\"]")
            .unwrap()
            .unwrap()
    };
    choose(&prod(&root), "select[data-action=\"type\"]", "LoadBalancer");
    yew::scheduler::flush().await;
    choose(
        &prod(&root),
        "select[data-action=\"external-traffic-policy\"]",
        "Local",
    );
    yew::scheduler::flush().await;
    choose(
        &prod(&root),
        "select[data-action=\"internal-traffic-policy\"]",
        "Local",
    );
    // Pods start after 2 s of simulated time; then the clients send.
    yew::platform::time::sleep(std::time::Duration::from_millis(3_500)).await;
    yew::scheduler::flush().await;
    assert_eq!(attr(&prod(&root), "data-type"), "LoadBalancer");
    let ticks = |svc: &str| {
        let mut t: Vec<String> = all(&root, &format!("[data-share=\"{svc}\"] [data-share-pod]"))
            .iter()
            .map(|r| attr(r, "data-expected"))
            .collect();
        t.sort();
        t
    };
    assert_eq!(ticks("prod"), ["0.1000", "0.9000"]);
    assert_eq!(ticks("dev"), ["1.0000"]);
    let note = root
        .query_selector(".share-panel .panel-note")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(
        note.contains("kube-proxy's split of each client's new connections"),
        "{note}"
    );
}

#[wasm_bindgen_test]
async fn empty_states_are_honest() {
    let root = render::<EventLog>(EventLogProps {
        events: Rc::default(),
    })
    .await;
    assert_eq!(
        root.text_content().unwrap_or_default(),
        "Eventsno events yet"
    );
    let events = Rc::new(vec![EventView {
        warning: true,
        reason: "FailedToUpdateEndpointSlices".to_owned(),
        object: "service/web".to_owned(),
        ..EventView::default()
    }]);
    let root = render::<EventLog>(EventLogProps { events }).await;
    assert_eq!(all(&root, ".events li.warning").len(), 1);
    let root = render::<SharePanel>(SharePanelProps {
        shares: Rc::default(),
    })
    .await;
    assert!(
        root.text_content()
            .unwrap_or_default()
            .contains("no Services")
    );
}

#[wasm_bindgen_test]
async fn requests_fly_on_the_canvas_and_reach_the_counters() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    // Pods start after 2 s of simulated time; the clients send 12 requests a second.
    yew::platform::time::sleep(std::time::Duration::from_millis(3_500)).await;
    yew::scheduler::flush().await;
    let canvas = root.query_selector("canvas.flights").unwrap().unwrap();
    let in_flight: usize = attr(&canvas, "data-flights").parse().unwrap_or(0);
    assert!(in_flight > 0, "requests are in flight on the canvas");
    let canvas: HtmlElement = canvas.dyn_into().unwrap();
    assert!(
        canvas
            .style()
            .get_property_value("width")
            .unwrap()
            .ends_with("px"),
        "placed over the map through the CSSOM"
    );
    let served: u64 = all(&root, "[data-pod]")
        .iter()
        .map(|p| attr(p, "data-requests").parse::<u64>().unwrap_or(0))
        .sum();
    assert!(served > 0, "pods count the requests they served");
    assert!(
        root.text_content().unwrap_or_default().contains("requests"),
        "the share panel counts them"
    );
}

#[wasm_bindgen_test]
async fn break_and_heal_buttons_send_their_commands_and_matches_are_marked() {
    let got: Rc<RefCell<Vec<(String, PodCommand)>>> = Rc::default();
    let on_command = {
        let got = got.clone();
        Callback::from(move |c| got.borrow_mut().push(c))
    };
    let mut view = pod("prod-abc-x2k9q", PodState::Ready);
    view.probe = ProbeControl::CanBreak;
    view.highlight = Some(true);
    let root = render::<PodCard>(PodCardProps {
        pod: view.clone(),
        on_command: on_command.clone(),
    })
    .await;
    let el = root.query_selector("[data-pod]").unwrap().unwrap();
    assert_eq!(attr(&el, "data-match"), "true");
    assert!(has_class(&el, "match"));
    assert!(el.query_selector("[data-action=heal]").unwrap().is_none());
    let b: HtmlElement = el
        .query_selector("button[data-action=break]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(
        attr(&b, "aria-label"),
        "fail readiness probe of pod prod-abc-x2k9q"
    );
    assert_eq!(attr(&b, "title"), "fail readiness probe");
    b.click();
    let card: HtmlElement = el.clone().dyn_into().unwrap();
    card.click();
    view.probe = ProbeControl::CanHeal;
    view.state = PodState::NotReady;
    view.serving = false;
    view.highlight = Some(false);
    let root = render::<PodCard>(PodCardProps {
        pod: view,
        on_command,
    })
    .await;
    let el = root.query_selector("[data-pod]").unwrap().unwrap();
    assert_eq!(
        (
            attr(&el, "data-ready"),
            attr(&el, "data-state"),
            attr(&el, "data-match")
        ),
        (
            "false".to_owned(),
            "not-ready".to_owned(),
            "false".to_owned()
        )
    );
    assert!(el.text_content().unwrap_or_default().contains("Not ready"));
    let h: HtmlElement = el
        .query_selector("button[data-action=heal]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    h.click();
    let name = "prod-abc-x2k9q".to_owned();
    assert_eq!(
        *got.borrow(),
        [
            (name.clone(), PodCommand::Break),
            (name.clone(), PodCommand::Explain),
            (name, PodCommand::Heal)
        ],
        "the button's click does not also pick the card"
    );
}

#[wasm_bindgen_test]
async fn text_box_sends_type_apply_cancel_and_shows_the_error_inline() {
    let got: Rc<RefCell<Vec<EditAction>>> = Rc::default();
    let on_edit = {
        let got = got.clone();
        Callback::from(move |a| got.borrow_mut().push(a))
    };
    let field = Field::Selector("dev".to_owned());
    let root = render::<TextBox>(TextBoxProps {
        field: field.clone(),
        value: "app in (".to_owned(),
        error: Some("found '', expected: ',', ')' or identifier".to_owned()),
        label: "selector of Service dev".to_owned(),
        action: "selector",
        kind: "text",
        inputmode: None,
        apply_on_blur: false,
        placeholder: None,
        list: None,
        id: "selector-dev".to_owned(),
        on_edit,
    })
    .await;
    let input = root.query_selector("input").unwrap().unwrap();
    assert_eq!(attr(&input, "aria-invalid"), "true");
    assert_eq!(attr(&input, "aria-describedby"), "selector-dev-error");
    let err = root.query_selector("#selector-dev-error").unwrap().unwrap();
    assert_eq!(attr(&err, "role"), "alert");
    assert_eq!(
        err.text_content().unwrap_or_default(),
        "found '', expected: ',', ')' or identifier"
    );
    type_into(&root, "input", "app=prod");
    press(&root, "input", "Enter");
    press(&root, "input", "Escape");
    assert_eq!(
        *got.borrow(),
        [
            EditAction::Type(field.clone(), "app=prod".to_owned()),
            EditAction::Apply(field.clone()),
            EditAction::Cancel(field)
        ]
    );
}

#[wasm_bindgen_test]
async fn playground_selector_box_previews_applies_and_refuses() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let dev = root
        .query_selector("[data-service=\"dev\"]")
        .unwrap()
        .unwrap();
    let sel = "input[data-action=\"selector\"]";
    assert_eq!(input_value(&dev, sel), "app=dev");
    type_into(&dev, sel, "app=prod");
    yew::scheduler::flush().await;
    let marks: Vec<(String, String)> = all(&root, "[data-pod]")
        .iter()
        .map(|p| (attr(p, "data-pod")[..4].to_owned(), attr(p, "data-match")))
        .collect();
    assert_eq!(marks.len(), 4);
    assert!(
        marks
            .iter()
            .all(|(n, m)| (n == "prod") == (m == "true") && !m.is_empty()),
        "{marks:?}"
    );
    press(&dev, sel, "Enter");
    yew::scheduler::flush().await;
    assert!(all(&root, "[data-pod][data-match]").is_empty(), "applied");
    let dev = root
        .query_selector("[data-service=\"dev\"]")
        .unwrap()
        .unwrap();
    assert_eq!(input_value(&dev, sel), "app=prod");
    type_into(&dev, sel, "app=-bad-");
    press(&dev, sel, "Enter");
    yew::scheduler::flush().await;
    let err = root
        .query_selector("[data-service=\"dev\"] [data-error=\"selector\"]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(
        err.starts_with(
            "service \"dev\": unable to parse requirement: values[0][app]: Invalid value: \"-bad-\""
        ),
        "{err}"
    );
    let dev_panel = root
        .query_selector("[data-endpoints=\"dev\"] h3")
        .unwrap()
        .unwrap();
    assert!(
        dev_panel
            .text_content()
            .unwrap_or_default()
            .contains("app=prod"),
        "the selector in force did not change"
    );
}

#[wasm_bindgen_test]
async fn playground_scale_box_and_buttons() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let box_sel = "[data-deployment=\"prod\"] input[data-action=\"scale\"]";
    assert_eq!(input_value(&root, box_sel), "2");
    type_into(&root, box_sel, "5000");
    press(&root, box_sel, "Enter");
    yew::scheduler::flush().await;
    let err = root
        .query_selector("[data-deployment=\"prod\"] [data-error=\"scale\"]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert_eq!(
        err,
        "deployment \"prod\": spec.replicas must be 0..=1000, got 5000"
    );
    assert_eq!(
        all(&root, "[data-pod^=\"prod-\"]").len(),
        2,
        "nothing changed"
    );
    type_into(&root, box_sel, "4");
    press(&root, box_sel, "Enter");
    yew::scheduler::flush().await;
    assert_eq!(all(&root, "[data-pod^=\"prod-\"]").len(), 4);
    let up: HtmlElement = root
        .query_selector("[data-deployment=\"prod\"] button[data-action=\"scale-up\"]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    up.click();
    yew::scheduler::flush().await;
    assert_eq!(input_value(&root, box_sel), "5");
    let down: HtmlElement = root
        .query_selector("[data-deployment=\"dev\"] button[data-action=\"scale-down\"]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    down.click();
    yew::scheduler::flush().await;
    assert_eq!(
        input_value(
            &root,
            "[data-deployment=\"dev\"] input[data-action=\"scale\"]"
        ),
        "0"
    );
    assert!(
        all(&root, "[data-pod^=\"dev-\"]")
            .iter()
            .all(|p| attr(p, "data-state") == "terminating"),
        "dev scaled to 0: its pod is on its way out"
    );
    assert!(
        root.query_selector(
            "[data-deployment=\"dev\"] button[data-action=\"scale-down\"]:disabled"
        )
        .unwrap()
        .is_some(),
        "no scaling below 0"
    );
}

/// The rate box of one client stream, inside the card's `data-client` element.
fn rate_box(client: &str, service: &str) -> String {
    format!("[data-client=\"{client}\"] [data-target=\"{service}\"] input[data-action=\"rate\"]")
}

#[wasm_bindgen_test]
async fn client_card_rate_box_buttons_and_inline_error() {
    let got: Rc<RefCell<Vec<EditAction>>> = Rc::default();
    let on_edit = {
        let got = got.clone();
        Callback::from(move |a| got.borrow_mut().push(a))
    };
    let error = "client \"client\" (to service \"prod\"): rate: must be between 0 and 1000 requests per second, got \"abc\"";
    let target = |service: &str, rate: u32| ClientTarget {
        service: service.to_owned(),
        rate_per_sec: rate,
        colour: Colour::Index(0),
        ..ClientTarget::default()
    };
    let root = render::<ClientCard>(ClientCardProps {
        client: ClientView {
            name: "client".to_owned(),
            inside: true,
            targets: vec![
                target("dev", 0),
                ClientTarget {
                    rate_draft: Some("abc".to_owned()),
                    rate_error: Some(error.to_owned()),
                    ..target("prod", 8)
                },
            ],
            add_error: None,
        },
        on_edit,
    })
    .await;
    let dev = root
        .query_selector(&rate_box("client", "dev"))
        .unwrap()
        .unwrap();
    assert_eq!(input_value(&root, &rate_box("client", "dev")), "0");
    assert_eq!(attr(&dev, "inputmode"), "numeric");
    assert_eq!(attr(&dev, "aria-invalid"), "false");
    assert_eq!(
        attr(&dev, "aria-label"),
        "rate: requests per second from client to Service dev (0 to 1000); Enter applies"
    );
    assert!(
        root.query_selector("[data-target=\"dev\"] button[data-action=\"rate-down\"]:disabled")
            .unwrap()
            .is_some(),
        "no rate below 0"
    );
    let prod = root
        .query_selector(&rate_box("client", "prod"))
        .unwrap()
        .unwrap();
    assert_eq!(
        input_value(&root, &rate_box("client", "prod")),
        "abc",
        "the draft stays"
    );
    assert_eq!(attr(&prod, "aria-invalid"), "true");
    assert_eq!(attr(&prod, "aria-describedby"), "rate-client-prod-error");
    let err = root
        .query_selector("[data-client=\"client\"] [data-target=\"prod\"] [data-error=\"rate\"]")
        .unwrap()
        .unwrap();
    assert_eq!(err.text_content().unwrap_or_default(), error);
    assert_eq!(attr(&err, "role"), "alert");
    let li = root
        .query_selector("[data-target=\"prod\"]")
        .unwrap()
        .unwrap();
    assert_eq!(
        attr(&li, "data-rate"),
        "8",
        "the rate in force, not the draft"
    );
    let up: HtmlElement = root
        .query_selector("[data-target=\"prod\"] button[data-action=\"rate-up\"]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    up.click();
    type_into(&root, &rate_box("client", "dev"), "12");
    press(&root, &rate_box("client", "dev"), "Enter");
    let dev_field = Field::Rate("client".to_owned(), "dev".to_owned());
    assert_eq!(
        *got.borrow(),
        [
            EditAction::Rate("client".to_owned(), "prod".to_owned(), 9),
            EditAction::Type(dev_field.clone(), "12".to_owned()),
            EditAction::Apply(dev_field),
        ]
    );
}

#[wasm_bindgen_test]
async fn a_client_of_many_streams_folds_them_behind_a_summary() {
    let target = |i: usize| ClientTarget {
        service: format!("shop/svc-{i}"),
        rate_per_sec: 2,
        retargetable: true,
        colour: Colour::Index(0),
        ..ClientTarget::default()
    };
    let card = |n: usize| ClientCardProps {
        client: ClientView {
            name: "loadgen".to_owned(),
            inside: true,
            targets: (0..n).map(target).collect(),
            add_error: None,
        },
        on_edit: Callback::noop(),
    };
    let root = render::<ClientCard>(card(MANY_STREAMS + 1)).await;
    let el = root
        .query_selector("[data-client=\"loadgen\"]")
        .unwrap()
        .unwrap();
    assert!(has_class(&el, "many"));
    let details = root
        .query_selector("details.client-streams")
        .unwrap()
        .unwrap();
    assert!(!details.has_attribute("open"), "folded until opened");
    assert_eq!(
        root.query_selector("details.client-streams > summary")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap_or_default(),
        "7 streams to 7 Services"
    );
    assert_eq!(
        all(&root, "details.client-streams li[data-target]").len(),
        7
    );
    assert_eq!(
        input_value(
            &root,
            "[data-target=\"shop/svc-3\"] input[data-action=\"target\"]"
        ),
        "shop/svc-3"
    );
    let root = render::<ClientCard>(card(MANY_STREAMS)).await;
    assert!(all(&root, "details").is_empty(), "six streams stay open");
    assert_eq!(all(&root, "li[data-target]").len(), 6);
}

#[wasm_bindgen_test]
async fn playground_rate_box_refuses_bad_numbers_and_applies_good_ones() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let prod = rate_box("client", "prod");
    let rate_of = |root: &Element| {
        attr(
            &root
                .query_selector("[data-client=\"client\"] [data-target=\"prod\"]")
                .unwrap()
                .unwrap(),
            "data-rate",
        )
    };
    assert_eq!(input_value(&root, &prod), "8");
    assert_eq!(input_value(&root, &rate_box("client", "dev")), "4");
    assert_eq!(input_value(&root, &rate_box("user", "prod")), "2");
    for (text, got) in [
        ("abc", "\"abc\""),
        ("-1", "\"-1\""),
        ("1.5", "\"1.5\""),
        ("5000", "5000"),
    ] {
        type_into(&root, &prod, text);
        press(&root, &prod, "Enter");
        yew::scheduler::flush().await;
        let err = root
            .query_selector("[data-client=\"client\"] [data-error=\"rate\"]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap_or_default();
        assert_eq!(
            err,
            format!(
                "client \"client\" (to service \"prod\"): rate: must be between 0 and 1000 requests per second, got {got}"
            )
        );
        assert_eq!(rate_of(&root), "8", "{text} changed nothing");
    }
    type_into(&root, &prod, "40");
    press(&root, &prod, "Enter");
    yew::scheduler::flush().await;
    assert_eq!(rate_of(&root), "40");
    assert!(
        all(&root, "[data-error=\"rate\"]").is_empty(),
        "the error is gone"
    );
    let down: HtmlElement = root
        .query_selector("[data-client=\"user\"] button[data-action=\"rate-down\"]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    down.click();
    yew::scheduler::flush().await;
    assert_eq!(input_value(&root, &rate_box("user", "prod")), "1");
    assert!(
        !all(&root, "[data-event=\"client/user\"]").is_empty(),
        "the change is in the event log"
    );
}

#[wasm_bindgen_test]
async fn playground_target_box_offers_every_service_and_refuses_a_second_stream() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let target = "[data-client=\"client\"] [data-target=\"prod\"] input[data-action=\"target\"]";
    assert_eq!(input_value(&root, target), "prod");
    let input = root.query_selector(target).unwrap().unwrap();
    assert_eq!(attr(&input, "list"), "service-names");
    let offered: Vec<String> = all(&root, "datalist#service-names option")
        .iter()
        .map(|o| attr(o, "value"))
        .collect();
    assert_eq!(offered, ["dev", "prod"]);
    assert!(
        all(
            &root,
            "[data-client=\"user\"] input[data-action=\"target\"]"
        )
        .is_empty(),
        "the outside user has no command line to edit"
    );
    type_into(&root, target, "dev");
    press(&root, target, "Enter");
    yew::scheduler::flush().await;
    let err = root
        .query_selector("[data-client=\"client\"] [data-target=\"prod\"] [data-error=\"target\"]")
        .unwrap()
        .unwrap();
    assert_eq!(
        err.text_content().unwrap_or_default(),
        "client \"client\" already sends requests to service \"dev\""
    );
    assert_eq!(input_value(&root, target), "dev", "the draft stays");
    assert_eq!(
        all(&root, "[data-client=\"client\"] li[data-target]")
            .iter()
            .map(|li| attr(li, "data-target"))
            .collect::<Vec<_>>(),
        ["dev", "prod"],
        "nothing changed"
    );
    press(&root, target, "Escape");
    yew::scheduler::flush().await;
    assert_eq!(input_value(&root, target), "prod");
}

/// Marks a DOM node so that a later look can tell whether it is still the same node.
fn mark(el: &Element) {
    js_sys::Reflect::set(el, &"svcplayMark".into(), &true.into()).unwrap();
}

fn marked(el: &Element) -> bool {
    js_sys::Reflect::get(el, &"svcplayMark".into())
        .unwrap()
        .is_truthy()
}

#[wasm_bindgen_test]
async fn cards_keep_their_dom_and_focus_when_pods_come_and_go() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let kill = "[data-pod^=\"prod-\"] button[data-action=\"kill\"]";
    let first: HtmlElement = root
        .query_selector(kill)
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let name = first
        .closest("[data-pod]")
        .unwrap()
        .unwrap()
        .get_attribute("data-pod")
        .unwrap();
    mark(&first);
    first.focus().unwrap();
    let service = root
        .query_selector("[data-service=\"prod\"]")
        .unwrap()
        .unwrap();
    mark(&service);
    let box_sel = "[data-deployment=\"prod\"] input[data-action=\"scale\"]";
    type_into(&root, box_sel, "12");
    press(&root, box_sel, "Enter");
    yew::scheduler::flush().await;
    assert_eq!(all(&root, "[data-pod^=\"prod-\"]").len(), 12);
    let same = root
        .query_selector(&format!(
            "[data-pod=\"{name}\"] button[data-action=\"kill\"]"
        ))
        .unwrap()
        .unwrap();
    assert!(marked(&same), "the card of {name} was not rebuilt");
    let svc = root
        .query_selector("[data-service=\"prod\"]")
        .unwrap()
        .unwrap();
    assert!(marked(&svc), "the Service card was not rebuilt");
    first.focus().unwrap();
    let dev_down: HtmlElement = root
        .query_selector("[data-deployment=\"dev\"] button[data-action=\"scale-down\"]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    dev_down.click();
    first.focus().unwrap();
    yew::scheduler::flush().await;
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .unwrap();
    assert!(marked(&active), "focus stays on {name}'s kill button");
}

#[wasm_bindgen_test]
async fn the_outside_users_line_is_blocked_at_a_cluster_ip_and_enters_by_the_load_balancer() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
        learner: Default::default(),
    })
    .await;
    let target = "[data-client=\"user\"] [data-target=\"prod\"]";
    let stream = || root.query_selector(target).unwrap().unwrap();
    let blocked = || {
        let canvas = root.query_selector("canvas.routes").unwrap().unwrap();
        attr(&canvas, "data-blocked")
    };
    // The canvas covers only the visible part of the map: bring it into view, then let
    // the traffic layer paint a few frames.
    root.scroll_into_view();
    let frames = || yew::platform::time::sleep(std::time::Duration::from_millis(300));
    frames().await;
    assert_eq!(attr(&stream(), "data-route"), "unreachable");
    assert!(
        stream()
            .text_content()
            .unwrap_or_default()
            .contains("only reachable inside the cluster"),
        "the core's reason is shown"
    );
    assert_eq!(
        blocked(),
        "1",
        "the user's line is drawn blocked at the cluster edge"
    );
    assert_eq!(
        all(
            &root,
            "[data-client=\"client\"] [data-route=\"cluster-ip\"]"
        )
        .len(),
        2,
        "the client pod inside reaches dev and prod by their ClusterIPs"
    );

    choose(
        &root,
        "[data-service=\"prod\"] select[data-action=\"type\"]",
        "LoadBalancer",
    );
    yew::scheduler::flush().await;
    frames().await;
    assert_eq!(attr(&stream(), "data-route"), "load-balancer");
    assert!(
        stream()
            .text_content()
            .unwrap_or_default()
            .contains("via the load balancer 203.0.113.10:80"),
        "{:?}",
        stream().text_content()
    );
    assert_eq!(blocked(), "0", "the line now goes through to the Service");
}
