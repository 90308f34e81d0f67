//! Reducer test of a client card's target box: a Service's page name typed and applied
//! becomes one `EditClient` whose URL the core writes into the client pod's fortio
//! command line; the stream's requests then reach the new Service's pods, and a name
//! that is no Service is refused next to the box with the world unchanged.
//! Runs natively (`cargo test -p svcplay-web`) and in Chromium (`--target wasm32-unknown-unknown`).
#![allow(clippy::unwrap_used, clippy::panic)]

use svcplay_web::model::from_world::frame;
use svcplay_web::state::{Action, AppState, ConsoleAction, EditAction, Field};

use svcplay_core::objects::NamespacedName;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn console(s: &mut AppState, line: &str) {
    s.apply(Action::Console(ConsoleAction::Input(line.to_owned())));
    s.apply(Action::Console(ConsoleAction::Submit));
}

fn typed(s: &mut AppState, field: &Field, text: &str) {
    s.apply(Action::Edit(EditAction::Type(
        field.clone(),
        text.to_owned(),
    )));
    s.apply(Action::Edit(EditAction::Apply(field.clone())));
}

/// Requests served so far by the pods of the Deployment `prefix`.
fn served(s: &AppState, prefix: &str) -> u64 {
    let sim = s.sim();
    sim.world
        .pods()
        .keys()
        .filter(|p| p.name.starts_with(prefix))
        .map(|p| sim.world.requests_served(p))
        .sum()
}

#[test]
fn the_target_box_points_a_stream_at_another_service() {
    let mut s = AppState::default();
    // A second Service over the dev pods, in another namespace's reach: `dev2`.
    console(
        &mut s,
        "kubectl expose deployment dev --name=dev2 --port=8081 --target-port=http",
    );
    for _ in 0..12 {
        s.apply(Action::Tick(250.0));
    }
    let scene = {
        let sim = s.sim();
        frame(&sim.world, &sim.log, true, &s.view.edits).scene
    };
    assert_eq!(*scene.service_names, ["dev", "dev2", "prod"]);
    let client = scene.clients.iter().find(|c| c.name == "client").unwrap();
    let prod = client.targets.iter().find(|t| t.service == "prod").unwrap();
    assert!(prod.retargetable);
    let user = scene.clients.iter().find(|c| c.name == "user").unwrap();
    assert!(
        !user.targets[0].retargetable,
        "the outside user has no command line"
    );

    // A name that is no Service: refused next to the box, nothing changed.
    let field = Field::Target("client".into(), "prod".into());
    let before = s.sim().world.dump();
    typed(&mut s, &field, "shop/orders");
    assert_eq!(
        s.view.edits.error(&field).map(String::as_str),
        Some("services \"orders\" not found")
    );
    // A Service the client already sends to: refused, its card could not tell the two
    // streams apart.
    typed(&mut s, &field, "dev");
    assert_eq!(
        s.view.edits.error(&field).map(String::as_str),
        Some("client \"client\" already sends requests to service \"dev\"")
    );
    assert_eq!(s.sim().world.dump(), before);

    typed(&mut s, &field, "dev2");
    assert_eq!(s.view.edits.error(&field), None);
    {
        let sim = s.sim();
        let pod = sim
            .world
            .pod(&NamespacedName::default_ns("client"))
            .unwrap();
        let c = pod
            .spec
            .containers
            .iter()
            .find(|c| c.name == "prod")
            .unwrap();
        assert_eq!(
            c.args.join(" "),
            "load -qps 8 -c 1 -t 0 -keepalive=false http://dev2:8081/hostname"
        );
    }
    let scene = {
        let sim = s.sim();
        frame(&sim.world, &sim.log, true, &s.view.edits).scene
    };
    let client = scene.clients.iter().find(|c| c.name == "client").unwrap();
    let shown: Vec<&str> = client.targets.iter().map(|t| t.service.as_str()).collect();
    assert_eq!(shown, ["dev", "dev2"]);
    // The stream's requests go through dev2 to the dev pod.
    let dev_before = served(&s, "dev-");
    for _ in 0..8 {
        s.apply(Action::Tick(250.0));
    }
    let sim = s.sim();
    let now = sim.world.now();
    let via: Vec<(&str, Option<&str>)> = sim
        .log
        .within(now, 1_000)
        .filter(|f| &*f.client == "client" && &*f.service == "dev2")
        .map(|f| (&*f.service, f.pod.as_deref()))
        .collect();
    assert!(!via.is_empty());
    assert!(
        via.iter()
            .all(|(_, p)| p.is_some_and(|p| p.starts_with("dev-"))),
        "{via:?}"
    );
    drop(sim);
    assert!(served(&s, "dev-") > dev_before);
}
