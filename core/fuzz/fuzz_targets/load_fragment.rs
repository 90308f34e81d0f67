//! Fuzzes share links end to end, as the page loads them: `load_fragment` (size checks,
//! base64, inflate, the JSON's nesting, the JSON, the limits, the importer, the world),
//! then a few simulated seconds of the world, then its link again. Each input is read
//! three ways: as a fragment, as the packed JSON payload, and as the objects of a
//! scenario (so the vendored manifests seed it). Nothing may panic; whatever loads must
//! export to a link that loads to the same objects.
//!
//! Run from `core/` for ten minutes (see README, "Fuzzing"): `RUSTC_BOOTSTRAP=1 cargo
//! fuzz run load_fragment corpus/load_fragment ../tests/manifests/*/ --
//! -max_total_time=600 -timeout=5 -rss_limit_mb=1024 -max_len=32768`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use svcplay_core::limits::MAX_LINK_BYTES;
use svcplay_core::manifest::export_world;
use svcplay_core::scenario::DEFAULT_SEED;
use svcplay_core::scenario::share::{
    Scenario, Settings, encode_fragment, load_fragment, pack_json, world_to_scenario,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let as_objects = encode_fragment(&Scenario {
        seed: DEFAULT_SEED,
        objects: text.to_string(),
        clients: Vec::new(),
        settings: Settings::default(),
    });
    for fragment in [text.to_string(), pack_json(data), as_objects] {
        let Ok((scenario, mut world)) = load_fragment(&fragment) else { continue };
        world.step(3_000);
        let again = encode_fragment(&world_to_scenario(&world, scenario.seed, scenario.settings));
        if again.len() > MAX_LINK_BYTES {
            continue;
        }
        let (_, reloaded) = load_fragment(&again).expect("an exported link loads");
        assert_eq!(export_world(&reloaded), export_world(&world), "{fragment:?}");
    }
});
