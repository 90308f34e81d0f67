//! How kubectl writes a span of time: `5m`, `3m10s`, `47h`, `2y1d`.
//!
//! [`human_duration`] is the AGE formatter of every `kubectl get` table (about two or
//! three significant figures); [`short_human_duration`] is its one-unit sibling.
//! [`translate_timestamp_since`] is the printers' AGE cell: `<unknown>` for a zero
//! timestamp, else the time since it. Durations are Go `time.Duration`s: signed
//! nanoseconds.
//! Upstream: kubernetes/kubernetes@008b3652959ca58af8be3fb5b6ecfe9ae7638282
//! `staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go`;
//! OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4 (a snapshot of
//! kubernetes/kubernetes) `pkg/printers/internalversion/printers.go`
//! `translateTimestampSince`.

use crate::sim::SimTime;

const SECOND: i64 = 1_000_000_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;

/// Nanoseconds from simulated milliseconds, saturating at Go's `time.Duration` range.
pub fn nanos_from_millis(ms: i64) -> i64 {
    ms.saturating_mul(1_000_000)
}

/// `HumanDuration`: up to two units, precise near the present, coarse far from it.
///
/// Up to two seconds in the future counts as now (`0s`: clocks drift); further is
/// `<invalid>`.
pub fn human_duration(d: i64) -> String {
    // Go's `int(d.Seconds())` truncates towards zero, as integer division does.
    let seconds = d / SECOND;
    if seconds < -1 {
        return "<invalid>".to_owned();
    } else if seconds < 0 {
        return "0s".to_owned();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = d / MINUTE;
    if minutes < 10 {
        let s = (d / SECOND) % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = d / HOUR;
    if hours < 8 {
        let m = (d / MINUTE) % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        format!("{hours}h{m}m")
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        format!("{}d{h}h", hours / 24)
    } else if hours < 24 * 365 * 2 {
        format!("{}d", hours / 24)
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        format!("{}y{dy}d", hours / 24 / 365)
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

/// `ShortHumanDuration`: one unit, truncated (`59s`, `59m`, `23h`, `364d`, `1y`).
///
/// Go computes the larger units in floating point (`int(d.Minutes())`); for the
/// non-negative spans that reach them, integer division truncates the same way.
pub fn short_human_duration(d: i64) -> String {
    let seconds = d / SECOND;
    if seconds < -1 {
        "<invalid>".to_owned()
    } else if seconds < 0 {
        "0s".to_owned()
    } else if seconds < 60 {
        format!("{seconds}s")
    } else if d / MINUTE < 60 {
        format!("{}m", d / MINUTE)
    } else if d / HOUR < 24 {
        format!("{}h", d / HOUR)
    } else if d / HOUR < 24 * 365 {
        format!("{}d", d / HOUR / 24)
    } else {
        format!("{}y", d / HOUR / 24 / 365)
    }
}

/// The span from `then` to `now` as a Go duration (negative when `then` is later).
pub fn since(then: SimTime, now: SimTime) -> i64 {
    let ms = if now >= then {
        i64::try_from(now.millis_since(then)).unwrap_or(i64::MAX)
    } else {
        i64::try_from(then.millis_since(now)).map_or(i64::MIN, |d| -d)
    };
    nanos_from_millis(ms)
}

/// `translateTimestampSince`: the AGE of a timestamp, `<unknown>` when it is unset (Go's
/// zero time).
pub fn translate_timestamp_since(timestamp: Option<SimTime>, now: SimTime) -> String {
    match timestamp {
        None => "<unknown>".to_owned(),
        Some(t) => human_duration(since(t, now)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Upstream: apimachinery@008b3652 `duration_test.go` `TestShortHumanDurationBoundaries`.
    #[test]
    fn short_form_keeps_one_unit() {
        const MS: i64 = 1_000_000;
        const DAY: i64 = 24 * HOUR;
        let cases = [
            (-2 * SECOND, "<invalid>"),
            (-2 * SECOND + 1, "0s"),
            (0, "0s"),
            (SECOND - MS, "0s"),
            (SECOND, "1s"),
            (2 * SECOND - MS, "1s"),
            (MINUTE - MS, "59s"),
            (MINUTE, "1m"),
            (2 * MINUTE - MS, "1m"),
            (HOUR - MS, "59m"),
            (HOUR, "1h"),
            (2 * HOUR - MS, "1h"),
            (DAY - MS, "23h"),
            (DAY, "1d"),
            (2 * DAY - MS, "1d"),
            (365 * DAY - MS, "364d"),
            (365 * DAY, "1y"),
            (2 * 365 * DAY - MS, "1y"),
            (2 * 365 * DAY, "2y"),
        ];
        for (d, want) in cases {
            assert_eq!(short_human_duration(d), want, "{d}");
        }
    }

    /// Upstream: apimachinery@008b3652 `duration_test.go` `TestHumanDuration` (the
    /// boundaries are conformance vectors).
    #[test]
    fn long_form_keeps_two_units_near_the_present() {
        let cases = [
            (SECOND, "1s"),
            (70 * SECOND, "70s"),
            (190 * SECOND, "3m10s"),
            (70 * MINUTE, "70m"),
            (47 * HOUR, "47h"),
            (49 * HOUR, "2d1h"),
            ((8 * 24 + 2) * HOUR, "8d"),
            (367 * 24 * HOUR, "367d"),
            ((365 * 2 * 24 + 25) * HOUR, "2y1d"),
            ((365 * 8 * 24 + 2) * HOUR, "8y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(d), want, "{d}");
        }
    }

    #[test]
    fn ages_count_from_simulated_milliseconds_both_ways() {
        let now = SimTime::from_secs(1000);
        assert_eq!(
            translate_timestamp_since(Some(SimTime::from_secs(700)), now),
            "5m"
        );
        assert_eq!(translate_timestamp_since(None, now), "<unknown>");
        assert_eq!(
            translate_timestamp_since(Some(now.plus_millis(1900)), now),
            "0s"
        );
        assert_eq!(
            translate_timestamp_since(Some(now.plus_millis(2100)), now),
            "<invalid>"
        );
        assert_eq!(since(SimTime(u64::MAX), SimTime::ZERO), i64::MIN);
        assert_eq!(human_duration(i64::MAX), "292y");
    }
}
