//! Fuzzes scenario links: `decode_fragment` and `scenario_to_world` must never panic on
//! any fragment, and whatever decodes must encode to a fragment that decodes to the same
//! scenario. Run from `core/`:
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run fragment_decode -- -max_total_time=60`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use svcplay_core::scenario::share::{
    decode_fragment, encode_fragment, pack_json, scenario_to_world,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The text as a fragment, and the bytes packed as the JSON payload (so the JSON,
    // the importer and the world are reached, not only base64 and inflate).
    let packed = pack_json(data);
    for fragment in [text, packed.as_str()] {
        if let Ok(s) = decode_fragment(fragment) {
            let again = decode_fragment(&encode_fragment(&s));
            assert_eq!(again.as_ref(), Ok(&s), "fragment {fragment:?}");
            let _ = scenario_to_world(&s);
        }
    }
});
