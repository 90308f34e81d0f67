//! Fuzzes `Selector::parse`: it must never panic, and whatever it accepts must print to
//! a canonical string that parses back to the same selector.
//! Run from `core/`: `cargo +nightly fuzz run selector_parse -- -max_total_time=60`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use svcplay_core::selector::Selector;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    if let Ok(selector) = Selector::parse(input) {
        let canonical = selector.to_string();
        let again = Selector::parse(&canonical);
        assert_eq!(again.as_ref(), Ok(&selector), "input {input:?} printed as {canonical:?}");
    }
});
