//! Component tests in headless Chromium: each component renders what its view structs
//! say, with the stable test hooks, and the playground wires clicks to the reducer.
//! Run: `cargo test -p svcplay-web --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]
// A test that cannot find its DOM should fail loudly, so unwrap is fine here.
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::rc::Rc;

use svcplay_web::app::{Playground, PlaygroundProps};
use svcplay_web::components::event_log::{EventLog, EventLogProps};
use svcplay_web::components::pod_card::{PodCard, PodCardProps};
use svcplay_web::components::service_card::{ServiceCard, ServiceCardProps};
use svcplay_web::components::share_panel::{SharePanel, SharePanelProps};
use svcplay_web::model::{
    EventView, PodState, PodView, ServiceLayer, ServiceView, ShareRow, ShareView,
};
use svcplay_web::palette::Colour;
use svcplay_web::state::{PodCommand, ScenarioKind};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
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
    })
    .await;
    let pods = all(&root, "[data-pod]");
    assert_eq!(pods.len(), 3);
    for p in &pods {
        assert_eq!(
            all(p, "button[data-action=\"kill\"]").len(),
            1,
            "every pod has a kill button"
        );
        assert!(
            all(p, "[data-action=\"break\"],[data-action=\"heal\"]").is_empty(),
            "no probes in today's core"
        );
        assert!(attr(p, "data-requests").parse::<u64>().is_ok());
    }
    let services = all(&root, "[data-service]");
    let names: Vec<String> = services.iter().map(|s| attr(s, "data-service")).collect();
    assert_eq!(names, ["dev", "prod"]);
    assert!(services.iter().all(|s| attr(s, "data-type") == "ClusterIP"));
    assert!(services.iter().all(|s| s.has_attribute("data-cluster-ip")));
    assert_eq!(
        all(&root, "[data-service] [data-layer=\"ClusterIP\"]").len(),
        2
    );
    assert!(
        root.text_content().unwrap_or_default().contains("app=prod"),
        "the selector is shown"
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
        root.text_content()
            .unwrap_or_default()
            .contains("no events yet")
    );
}

#[wasm_bindgen_test]
async fn kill_button_marks_the_pod_terminating() {
    let root = render::<Playground>(PlaygroundProps {
        scenario: ScenarioKind::Default,
        embed: false,
        start: None,
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
        4,
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
    assert_eq!(attr(&kill, "aria-label"), "kill pod prod-abc-x2k9q");
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
            ServiceLayer::ClusterIp(Some("10.96.0.10".to_owned())),
            ServiceLayer::NodePort(30080),
        ],
        selector: "app=web".to_owned(),
        colour: Colour::Index(0),
        endpoints: vec!["a".to_owned(), "b".to_owned()],
        refused: 3,
        refusing: true,
    };
    let root = render::<ServiceCard>(ServiceCardProps { service }).await;
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
    assert!(
        text.contains("2 ready endpoints")
            && text.contains("3 refused")
            && text.contains("app=web")
    );
    assert!(has_class(&el, "refusing"));
}

#[wasm_bindgen_test]
async fn share_bars_use_geometry_and_show_the_expected_split() {
    let shares = Rc::new(vec![ShareView {
        service: "prod".to_owned(),
        colour: Colour::Index(1),
        total: 10,
        refused: 0,
        rows: vec![
            ShareRow {
                pod: "prod-x-aaaaa".to_owned(),
                served: 7,
                share: 0.7,
                expected: 0.5,
            },
            ShareRow {
                pod: "prod-x-bbbbb".to_owned(),
                served: 3,
                share: 0.3,
                expected: 0.5,
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
