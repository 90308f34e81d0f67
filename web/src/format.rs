//! Pure display helpers: speeds, times, shares, pod names. Tested natively.

use svcplay_core::SimTime;

/// The speeds offered, in hundredths of simulated time per wall time (100 = ×1).
pub const SPEEDS: [u32; 7] = [25, 50, 100, 200, 300, 500, 1000];

/// `×0.25`, `×1`, `×10`.
pub fn speed_label(hundredths: u32) -> String {
    let whole = hundredths / 100;
    let frac = hundredths % 100;
    if frac == 0 {
        format!("×{whole}")
    } else if frac.is_multiple_of(10) {
        format!("×{whole}.{}", frac / 10)
    } else {
        format!("×{whole}.{frac:02}")
    }
}

/// Simulated time the way the toolbar clock shows it: `t = 12.3 s`.
pub fn clock(now: SimTime) -> String {
    let ms = now.as_millis();
    format!("t = {}.{} s", ms / 1000, (ms % 1000) / 100)
}

/// A share in whole percent: `0.4366` → `44%`.
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.0}%", (share * 100.0).clamp(0.0, 100.0))
    } else {
        "–".to_owned()
    }
}

/// Splits a generated pod name into its stable prefix and its random suffix:
/// `prod-7dkf9s8x2q-ab3cd` → (`prod-7dkf9s8x2q-`, `ab3cd`). A name without a dash is
/// all suffix.
pub fn split_pod_name(name: &str) -> (&str, &str) {
    match name.rfind('-') {
        Some(i) => name.split_at(i + 1),
        None => ("", name),
    }
}

/// A pod's short label in narrow places (the share bars): the random suffix that tells a
/// ReplicaSet's pods apart, but the whole name when the suffix is a StatefulSet's
/// ordinal (`web-0`, not a bare `0`).
pub fn pod_label(name: &str) -> &str {
    let (_, suffix) = split_pod_name(name);
    if !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit()) {
        name
    } else {
        suffix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn speed_labels() {
        let labels: Vec<String> = SPEEDS.iter().map(|&s| speed_label(s)).collect();
        assert_eq!(labels, ["×0.25", "×0.5", "×1", "×2", "×3", "×5", "×10"]);
    }

    #[test]
    fn clock_shows_tenths() {
        assert_eq!(clock(SimTime(0)), "t = 0.0 s");
        assert_eq!(clock(SimTime(12_345)), "t = 12.3 s");
    }

    #[test]
    fn percent_rounds_and_clamps() {
        assert_eq!(percent(0.4366), "44%");
        assert_eq!(percent(1.7), "100%");
        assert_eq!(percent(f64::NAN), "–");
    }

    #[test]
    fn pod_name_split() {
        assert_eq!(
            split_pod_name("prod-7dkf9s8x2q-ab3cd"),
            ("prod-7dkf9s8x2q-", "ab3cd")
        );
        assert_eq!(split_pod_name("solo"), ("", "solo"));
        assert_eq!(pod_label("prod-7dkf9s8x2q-ab3cd"), "ab3cd");
        assert_eq!(pod_label("cassandra-0"), "cassandra-0");
        assert_eq!(pod_label("web-12"), "web-12");
        assert_eq!(pod_label("solo"), "solo");
    }
}
