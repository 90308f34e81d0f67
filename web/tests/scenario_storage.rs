//! The autosave and share helpers in a real browser: localStorage round trips, a corrupt
//! autosave is an error (not a panic), links and `?embed` are read as the app reads them.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::panic)]

use svcplay_core::scenario::share::{ShareError, decode_fragment, encode_fragment};
use svcplay_web::share::{self, Start};
use svcplay_web::state::ScenarioKind;
use svcplay_web::state::scenario::default_scenario;
use svcplay_web::storage;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn autosave_round_trips_through_local_storage() {
    storage::clear().unwrap();
    assert_eq!(storage::load(), Ok(None));
    let mut s = default_scenario();
    s.settings.speed_percent = Some(300);
    storage::save(&s).unwrap();
    assert_eq!(storage::load(), Ok(Some(s.clone())));
    assert_eq!(
        storage::startup(false, ScenarioKind::Default),
        Some(Start::Autosave(s))
    );
    assert_eq!(
        storage::startup(true, ScenarioKind::Default),
        Some(Start::Default(None)),
        "embed mode never reads the autosave"
    );
    assert_eq!(storage::startup(false, ScenarioKind::Stress), None);
    storage::clear().unwrap();
}

#[wasm_bindgen_test]
fn a_corrupt_autosave_is_a_quiet_error() {
    storage::save_fragment("s=1.@@@").unwrap();
    let e = storage::load().unwrap_err();
    assert!(e.contains("invalid base64 at character 1"), "{e}");
    match storage::startup(false, ScenarioKind::Default) {
        Some(Start::Default(Some(notice))) => assert_eq!(notice, e),
        other => panic!("{other:?}"),
    }
    let state = storage::initial_state(
        ScenarioKind::Default,
        storage::startup(false, ScenarioKind::Default),
    );
    assert_eq!(state.view.menu.notice.as_deref(), Some(e.as_str()));
    let default = svcplay_core::scenario::default_world(svcplay_core::scenario::DEFAULT_SEED);
    assert_eq!(
        state.sim().world.services().keys().collect::<Vec<_>>(),
        default.services().keys().collect::<Vec<_>>(),
        "the default scenario"
    );
    storage::clear().unwrap();
}

#[wasm_bindgen_test]
fn links_decode_as_the_app_reads_them() {
    let fragment = encode_fragment(&default_scenario());
    let hash = format!("#{fragment}");
    assert_eq!(
        share::fragment_scenario(&hash),
        Some(decode_fragment(&fragment))
    );
    assert_eq!(
        share::fragment_scenario("#s=9.AAAA"),
        Some(Err(ShareError::UnknownVersion("9".into())))
    );
    let (base, _, _) = share::location();
    assert!(base.starts_with("http"), "{base}");
    let snippet = share::iframe_snippet(&base, &fragment);
    assert!(snippet.contains(&format!("?embed#{fragment}")));
    assert!(share::is_embed("?embed"));
}
