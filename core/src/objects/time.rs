//! RFC 3339 timestamps (`metav1.Time`) and the [`Epoch`] that maps them onto simulated
//! time.
//!
//! The core keeps every timestamp as a [`SimTime`]: milliseconds since the world began.
//! A cluster (and kubectl) writes `2025-06-01T12:00:00Z`. An [`Epoch`] names the wall-clock
//! instant of `SimTime` zero, so a dump of a live cluster can be read onto the simulated
//! clock and a simulated time can be written as the cluster would write it.
//!
//! Parsing takes what Go's `time.RFC3339` layout takes (`metav1.Time.UnmarshalJSON`):
//! a date, `T`, a time with optional fractional seconds, and `Z` or a `±hh:mm` offset.
//! Formatting writes UTC at second precision, as `metav1.Time.MarshalJSON` does.
//! Upstream: kubernetes/apimachinery@eed236ce `pkg/apis/meta/v1/time.go`; golang/go
//! `src/time/format.go` (`RFC3339`).
//!
//! Simplification: times are kept to the millisecond (fractional seconds below that are
//! dropped), and years run 0000–9999 as the layout allows.

use std::fmt;

use thiserror::Error;

use crate::sim::SimTime;

/// Why a timestamp could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimeError {
    /// Not `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, or a field out of range.
    #[error("invalid RFC 3339 time {text:?}: want the form 2006-01-02T15:04:05Z")]
    Invalid {
        /// The text given.
        text: String,
    },
    /// The time lies before the epoch, where simulated time cannot go.
    #[error("time {text:?} is before the simulation's epoch {epoch}")]
    BeforeEpoch {
        /// The text given.
        text: String,
        /// The epoch, in RFC 3339.
        epoch: String,
    },
}

/// The wall-clock instant of simulated time zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Epoch {
    unix_millis: i64,
}

impl Epoch {
    /// 1970-01-01T00:00:00Z: simulated milliseconds are then Unix milliseconds.
    pub const UNIX: Epoch = Epoch { unix_millis: 0 };

    /// An epoch at `unix_millis` milliseconds after 1970-01-01T00:00:00Z.
    pub const fn from_unix_millis(unix_millis: i64) -> Epoch {
        Epoch { unix_millis }
    }

    /// An epoch at an RFC 3339 time.
    pub fn parse(text: &str) -> Result<Epoch, TimeError> {
        parse_rfc3339(text).map(Epoch::from_unix_millis)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub const fn unix_millis(self) -> i64 {
        self.unix_millis
    }

    /// The simulated time of an RFC 3339 timestamp; an error if it is before the epoch.
    pub fn sim_time(self, text: &str) -> Result<SimTime, TimeError> {
        let unix = parse_rfc3339(text)?;
        let since = unix.checked_sub(self.unix_millis);
        match since.and_then(|ms| u64::try_from(ms).ok()) {
            Some(ms) => Ok(SimTime(ms)),
            None => Err(TimeError::BeforeEpoch {
                text: text.to_owned(),
                epoch: format_rfc3339(self.unix_millis),
            }),
        }
    }

    /// A simulated time as the cluster writes it: UTC, whole seconds.
    pub fn format(self, t: SimTime) -> String {
        let ms = i64::try_from(t.as_millis()).unwrap_or(i64::MAX);
        format_rfc3339(self.unix_millis.saturating_add(ms))
    }
}

impl fmt::Display for Epoch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_rfc3339(self.unix_millis))
    }
}

/// Days from 1970-01-01 to the proleptic Gregorian date `y-m-d`.
/// Upstream: HowardHinnant/HowardHinnant.github.io@032ddc0e `date_algorithms.html`: Howard Hinnant,
/// "chrono-Compatible Low-Level Date Algorithms",
/// `days_from_civil`.
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `(y, m, d)` of a day count from 1970-01-01 (`civil_from_days`, same source).
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Reads `n` ASCII digits at `at`.
fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    s.iter().try_fold(0i64, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

/// Milliseconds since 1970-01-01T00:00:00Z of an RFC 3339 time.
pub fn parse_rfc3339(text: &str) -> Result<i64, TimeError> {
    let invalid = || TimeError::Invalid {
        text: text.to_owned(),
    };
    let b = text.as_bytes();
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (
        digits(b, 0, 4),
        digits(b, 5, 2),
        digits(b, 8, 2),
        digits(b, 11, 2),
        digits(b, 14, 2),
        digits(b, 17, 2),
    ) else {
        return Err(invalid());
    };
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return Err(invalid());
    }
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
        return Err(invalid());
    }
    let mut at = 19;
    let mut millis = 0;
    if sep(at, b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 3 {
                millis = millis * 10 + i64::from(b[at] - b'0');
            }
            at += 1;
        }
        if at == start {
            return Err(invalid());
        }
        for _ in (at - start)..3 {
            millis *= 10;
        }
    }
    let offset_minutes = match b.get(at) {
        Some(b'Z') if at + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if at + 6 == b.len() && sep(at + 3, b':') => {
            let (Some(oh), Some(om)) = (digits(b, at + 1, 2), digits(b, at + 4, 2)) else {
                return Err(invalid());
            };
            if oh > 23 || om > 59 {
                return Err(invalid());
            }
            let m = oh * 60 + om;
            if *sign == b'-' { -m } else { m }
        }
        _ => return Err(invalid()),
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
    Ok(secs * 1000 + millis)
}

/// An instant as RFC 3339 in UTC at second precision (`2025-06-01T12:00:00Z`).
pub fn format_rfc3339(unix_millis: i64) -> String {
    let secs = unix_millis.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// An instant as Go's `time.RFC1123Z` formats it in UTC (`Mon, 02 Jan 2006 15:04:05
/// -0700`), as `kubectl describe` prints times.
/// Upstream: golang/go@53ce81ef `src/time/format.go` (`RFC1123Z`).
pub fn format_rfc1123z(unix_millis: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = unix_millis.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let weekday = DAYS[usize::try_from(days.rem_euclid(7)).unwrap_or(0)];
    let month = MONTHS[usize::try_from(m - 1).unwrap_or(0) % 12];
    format!(
        "{weekday}, {d:02} {month} {y:04} {:02}:{:02}:{:02} +0000",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1123z_names_the_weekday_and_month() {
        // `TZ=UTC date -d @1748779200 -R`: Sun, 01 Jun 2025 12:00:00 +0000.
        assert_eq!(
            format_rfc1123z(1_748_779_200_000),
            "Sun, 01 Jun 2025 12:00:00 +0000"
        );
        assert_eq!(format_rfc1123z(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    }

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn known_instants_parse_to_unix_milliseconds() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok(0));
        // `date -u -d 2025-06-01T12:00:00Z +%s` = 1748779200.
        assert_eq!(parse_rfc3339("2025-06-01T12:00:00Z"), Ok(1_748_779_200_000));
        assert_eq!(parse_rfc3339("2000-02-29T23:59:59Z"), Ok(951_868_799_000));
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), Ok(-1000));
        // Offsets move the instant; fractional seconds keep milliseconds.
        assert_eq!(
            parse_rfc3339("2025-06-01T14:00:00+02:00"),
            Ok(1_748_779_200_000)
        );
        assert_eq!(
            parse_rfc3339("2025-06-01T11:30:00.5-00:30"),
            Ok(1_748_779_200_500)
        );
        assert_eq!(
            parse_rfc3339("2025-06-01T12:00:00.123456Z"),
            Ok(1_748_779_200_123)
        );
    }

    #[test]
    fn malformed_times_are_refused_with_the_text() {
        for bad in [
            "",
            "2025-06-01",
            "2025-06-01 12:00:00Z",
            "2025-13-01T12:00:00Z",
            "2025-02-29T12:00:00Z",
            "2025-06-01T24:00:00Z",
            "2025-06-01T12:00:00",
            "2025-06-01T12:00:00.Z",
            "2025-06-01T12:00:00+0200",
            "2025-06-01T12:00:00Zjunk",
            "२०२५-06-01T12:00:00Z",
        ] {
            assert_eq!(
                parse_rfc3339(bad),
                Err(TimeError::Invalid {
                    text: bad.to_owned()
                }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn formatting_is_utc_whole_seconds_and_round_trips() {
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(1_748_779_200_999), "2025-06-01T12:00:00Z");
        assert_eq!(format_rfc3339(-1), "1969-12-31T23:59:59Z");
        for t in [
            "1999-12-31T23:59:59Z",
            "2024-02-29T00:00:01Z",
            "2038-01-19T03:14:08Z",
        ] {
            assert_eq!(parse_rfc3339(t).map(format_rfc3339).as_deref(), Ok(t));
        }
    }

    #[test]
    fn an_epoch_maps_timestamps_onto_simulated_time() {
        let epoch = Epoch::parse("2025-06-01T12:00:00Z").unwrap();
        assert_eq!(epoch.sim_time("2025-06-01T12:00:00Z"), Ok(SimTime::ZERO));
        assert_eq!(
            epoch.sim_time("2025-06-01T12:05:00Z"),
            Ok(SimTime::from_secs(300))
        );
        assert_eq!(epoch.format(SimTime::from_secs(90)), "2025-06-01T12:01:30Z");
        assert_eq!(
            epoch.sim_time("2025-06-01T11:59:59Z"),
            Err(TimeError::BeforeEpoch {
                text: "2025-06-01T11:59:59Z".into(),
                epoch: "2025-06-01T12:00:00Z".into()
            })
        );
        assert_eq!(
            Epoch::UNIX.sim_time("1970-01-01T00:00:01Z"),
            Ok(SimTime(1000))
        );
    }
}
