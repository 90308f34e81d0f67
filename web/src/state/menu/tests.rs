use super::*;
use crate::state::Action;
use crate::state::scenario::default_scenario;
use svcplay_core::objects::NamespacedName;

const APP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: web
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
  - port: 80
";

fn outcome(s: &AppState) -> ImportOutcome {
    match &s.view.menu.dialog {
        Some(Dialog::Import(Some(o))) => o.clone(),
        other => panic!("no import outcome: {other:?}"),
    }
}

#[test]
fn import_applies_everything_and_bumps_the_revision() {
    let mut s = AppState::default();
    s.apply(Action::Menu(MenuAction::OpenImport));
    s.apply(Action::Menu(MenuAction::Import(APP.into())));
    assert!(outcome(&s).applied, "{:?}", outcome(&s));
    assert_eq!(s.view.menu.revision, 1);
    let sim = s.sim();
    assert!(
        sim.world
            .services()
            .contains_key(&NamespacedName::default_ns("shop"))
    );
    let shop = sim
        .world
        .pods()
        .keys()
        .filter(|p| p.name.starts_with("shop-"))
        .count();
    assert_eq!(shop, 2);
}

#[test]
fn a_refused_import_changes_nothing_and_says_where() {
    let mut s = AppState::default();
    let before = s
        .sim()
        .world
        .pods()
        .keys()
        .map(|k| (**k).clone())
        .collect::<Vec<_>>();
    let bad = APP.replace("port: 80", "port: 99999");
    s.apply(Action::Menu(MenuAction::Import(bad)));
    let o = outcome(&s);
    assert!(!o.applied);
    assert!(
        o.lines
            .iter()
            .any(|l| l.starts_with("document 2, line 27, column 11")
                && l.contains("spec.ports[0].port: Invalid value: 99999")),
        "{:?}",
        o.lines
    );
    assert_eq!(s.view.menu.revision, 0);
    assert_eq!(
        s.sim()
            .world
            .pods()
            .keys()
            .map(|k| (**k).clone())
            .collect::<Vec<_>>(),
        before
    );
    assert!(
        !s.sim()
            .world
            .services()
            .contains_key(&NamespacedName::default_ns("shop"))
    );
}

#[test]
fn a_link_loads_the_same_scenario() {
    let mut a = AppState::default();
    a.apply(Action::Menu(MenuAction::Import(APP.into())));
    a.apply(Action::Speed(200));
    a.apply(Action::Menu(MenuAction::Link(false)));
    let Some(Dialog::Link { fragment, embed }) = a.view.menu.dialog.clone() else {
        panic!("no link")
    };
    assert!(!embed);
    let scenario = svcplay_core::scenario::share::decode_fragment(&fragment).unwrap();
    let mut b = AppState::default();
    b.apply(Action::Menu(MenuAction::Load(scenario.into())));
    assert_eq!(b.view.speed_percent, 200);
    assert_eq!(b.view.menu.notice, None);
    assert_eq!(
        export_world(&b.sim().world),
        export_world(&a.sim().world),
        "same objects"
    );
    let mut c = AppState::default();
    c.load(&b.scenario());
    for s in [&mut b, &mut c] {
        s.apply(Action::TogglePlay);
        for _ in 0..30 {
            s.apply(Action::Step);
        }
    }
    let pods = |s: &AppState| {
        s.sim()
            .world
            .pods()
            .keys()
            .map(|k| (**k).clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(pods(&b), pods(&c), "same run");
}

#[test]
fn a_scenario_that_does_not_build_keeps_the_world_and_says_why() {
    let mut s = AppState::default();
    let before = export_world(&s.sim().world);
    let mut bad = default_scenario();
    bad.objects.push_str("---\nkind: Service\n");
    s.apply(Action::Menu(MenuAction::Load(bad.into())));
    let notice = s.view.menu.notice.clone().unwrap_or_default();
    assert!(notice.contains("apiVersion not set"), "{notice}");
    assert_eq!(export_world(&s.sim().world), before);
    s.apply(Action::Menu(MenuAction::Dismiss));
    assert_eq!(s.view.menu.notice, None);
}

#[test]
fn reset_moves_the_revision_so_autosave_saves_it() {
    let mut s = AppState::default();
    s.apply(Action::Menu(MenuAction::Import(APP.into())));
    s.apply(Action::Reset);
    assert_eq!(s.view.menu.revision, 2);
    assert!(
        !s.sim()
            .world
            .services()
            .contains_key(&NamespacedName::default_ns("shop"))
    );
}

#[test]
fn an_import_over_the_pod_limit_is_refused() {
    let mut s = AppState::default();
    s.apply(Action::Menu(MenuAction::Import(
        APP.replace("replicas: 2", "replicas: 998"),
    )));
    let o = outcome(&s);
    assert!(!o.applied);
    // The four pods already asked for (three app pods and the client pod) count.
    let line = &o.lines[0];
    assert!(line.starts_with("document 1, line "), "{line}");
    assert!(
        line.ends_with("spec.replicas: Invalid value: 998: 1002 pods in all with this object: must have at most 1000 pods (svcplay's limit MAX_PODS; see README, Limits)"),
        "{line}"
    );
    // Three app pods and the client pod.
    assert_eq!(s.sim().world.pods().len(), 4);
    s.apply(Action::Menu(MenuAction::Import(
        APP.replace("replicas: 2", "replicas: 996"),
    )));
    assert!(outcome(&s).applied);
}

#[test]
fn an_import_gives_every_service_a_fortio_stream_from_loadgen_unless_unticked() {
    let mut s = AppState::new(crate::state::ScenarioKind::Empty);
    s.apply(Action::Menu(MenuAction::Import(APP.into())));
    assert!(outcome(&s).applied, "{:?}", outcome(&s));
    let sim = s.sim();
    let pod = &sim.world.pods()[&NamespacedName::default_ns("loadgen")];
    let args: Vec<&[String]> = pod
        .spec
        .containers
        .iter()
        .map(|c| c.args.as_slice())
        .collect();
    assert_eq!(args.len(), 1, "one stream: the only Service is shop");
    assert_eq!(
        args[0].last().map(String::as_str),
        Some("http://shop.default:80/")
    );
    let streams: Vec<Option<NamespacedName>> = sim
        .world
        .clients()
        .iter()
        .filter(|c| c.name == "loadgen")
        .map(|c| c.service.clone())
        .collect();
    assert_eq!(streams, [Some(NamespacedName::default_ns("shop"))]);
    drop(sim);
    let mut quiet = AppState::new(crate::state::ScenarioKind::Empty);
    quiet.apply(Action::Menu(MenuAction::SetTraffic(false)));
    quiet.apply(Action::Menu(MenuAction::Import(APP.into())));
    assert!(
        !quiet
            .sim()
            .world
            .pods()
            .contains_key(&NamespacedName::default_ns("loadgen"))
    );
}
