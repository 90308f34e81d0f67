//! Cron schedules as the CronJob controller reads them: robfig/cron v3's
//! `ParseStandard` (five fields — minute, hour, day of month, month, day of week — or a
//! descriptor such as `@hourly` and `@every 1h30m`), and the next time a schedule
//! fires.
//!
//! Upstream: robfig/cron@v3.0.1 `parser.go` (`Parse`, `normalizeFields`, `getField`,
//! `getRange`, `parseDescriptor`), `spec.go` (`SpecSchedule.Next`, `dayMatches`),
//! `constantdelay.go` (`Every`); golang/go `src/time/format.go` (`ParseDuration`).
//! Simplification: schedules are read in UTC with simulated time zero at
//! 1970-01-01T00:00:00Z (a Thursday); a `timeZone` or a `TZ=` prefix is not applied.

use crate::objects::time::{civil_from_days, days_from_civil};
use crate::validation::gofmt::quote;

/// The bit robfig/cron sets for a field written `*` or `?` (it changes how day of
/// month and day of week combine).
const STAR_BIT: u64 = 1 << 63;

struct Bounds {
    min: u64,
    max: u64,
    names: &'static [(&'static str, u64)],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// A parsed schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Five fields (or a descriptor that stands for five), as bit sets.
    Spec {
        /// Minutes 0–59.
        minute: u64,
        /// Hours 0–23.
        hour: u64,
        /// Days of the month 1–31.
        dom: u64,
        /// Months 1–12.
        month: u64,
        /// Days of the week 0 (Sunday)–6.
        dow: u64,
    },
    /// `@every <duration>`: a fixed delay in whole seconds (at least one).
    Every {
        /// The delay, in seconds.
        seconds: u64,
    },
}

/// `cron.ParseStandard`: the schedule, or robfig/cron's error message.
pub fn parse_standard(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        // The zone is read by the caller's validation (which refuses it in a CronJob).
        spec = spec.split_once(' ').map_or("", |(_, rest)| rest.trim());
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    Ok(Schedule::Spec {
        minute: get_field(fields[0], &MINUTES)?,
        hour: get_field(fields[1], &HOURS)?,
        dom: get_field(fields[2], &DOM)?,
        month: get_field(fields[3], &MONTHS)?,
        dow: get_field(fields[4], &DOW)?,
    })
}

fn all(b: &Bounds) -> u64 {
    bits(b.min, b.max, 1) | STAR_BIT
}

fn parse_descriptor(d: &str) -> Result<Schedule, String> {
    let one = |b: &Bounds| 1u64 << b.min;
    let spec = |minute, hour, dom, month, dow| Schedule::Spec {
        minute,
        hour,
        dom,
        month,
        dow,
    };
    Ok(match d {
        "@yearly" | "@annually" => spec(
            one(&MINUTES),
            one(&HOURS),
            one(&DOM),
            one(&MONTHS),
            all(&DOW),
        ),
        "@monthly" => spec(
            one(&MINUTES),
            one(&HOURS),
            one(&DOM),
            all(&MONTHS),
            all(&DOW),
        ),
        "@weekly" => spec(
            one(&MINUTES),
            one(&HOURS),
            all(&DOM),
            all(&MONTHS),
            one(&DOW),
        ),
        "@daily" | "@midnight" => spec(
            one(&MINUTES),
            one(&HOURS),
            all(&DOM),
            all(&MONTHS),
            all(&DOW),
        ),
        "@hourly" => spec(
            one(&MINUTES),
            all(&HOURS),
            all(&DOM),
            all(&MONTHS),
            all(&DOW),
        ),
        _ => {
            let Some(text) = d.strip_prefix("@every ") else {
                return Err(format!("unrecognized descriptor: {d}"));
            };
            let nanos =
                parse_duration(text).map_err(|e| format!("failed to parse duration {d}: {e}"))?;
            // `Every`: under a second is a second; whole seconds only.
            let seconds = (nanos / 1_000_000_000).max(1);
            Schedule::Every {
                seconds: u64::try_from(seconds).unwrap_or(1),
            }
        }
    })
}

fn get_field(field: &str, b: &Bounds) -> Result<u64, String> {
    let mut out = 0;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        out |= get_range(expr, b)?;
    }
    Ok(out)
}

fn get_range(expr: &str, b: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step
        .first()
        .copied()
        .unwrap_or("")
        .split('-')
        .collect();
    let single = low_and_high.len() == 1;
    let first = low_and_high.first().copied().unwrap_or("");
    let (start, mut end, mut extra);
    if first == "*" || first == "?" {
        (start, end, extra) = (b.min, b.max, STAR_BIT);
    } else {
        start = int_or_name(first, b)?;
        end = match low_and_high.len() {
            1 => start,
            2 => int_or_name(low_and_high.get(1).copied().unwrap_or(""), b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step.get(1).copied().unwrap_or(""))?;
            if single {
                end = b.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < b.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        ));
    }
    if end > b.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            b.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(bits(start, end, step) | extra)
}

fn int_or_name(expr: &str, b: &Bounds) -> Result<u64, String> {
    let lower = expr.to_lowercase();
    match b.names.iter().find(|(n, _)| *n == lower) {
        Some((_, v)) => Ok(*v),
        None => must_parse_int(expr),
    }
}

/// `mustParseInt`: Go's `strconv.Atoi`, then no negatives.
fn must_parse_int(expr: &str) -> Result<u64, String> {
    let num = atoi(expr).map_err(|why| {
        format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {}: {why}",
            quote(expr)
        )
    })?;
    u64::try_from(num).map_err(|_| format!("negative number ({num}) not allowed: {expr}"))
}

/// `strconv.Atoi` on 64 bits: an optional sign and decimal digits.
fn atoi(s: &str) -> Result<i64, &'static str> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err("invalid syntax");
    }
    s.parse::<i64>().map_err(|_| "value out of range")
}

fn bits(min: u64, max: u64, step: u64) -> u64 {
    let mut out = 0u64;
    let mut i = min;
    while i <= max && i < 64 {
        out |= 1 << i;
        i = i.saturating_add(step.max(1));
    }
    out
}

/// Go's `time.ParseDuration`, in nanoseconds.
fn parse_duration(text: &str) -> Result<i128, String> {
    let bad = || format!("time: invalid duration {}", quote(text));
    let (neg, mut s) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(bad());
    }
    let mut total: i128 = 0;
    while !s.is_empty() {
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, rest) = s.split_at(int_len);
        let (frac_part, rest) = match rest.strip_prefix('.') {
            Some(r) => {
                let n = r.bytes().take_while(u8::is_ascii_digit).count();
                r.split_at(n)
            }
            None => ("", rest),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        let unit_len = rest
            .bytes()
            .take_while(|c| *c != b'.' && !c.is_ascii_digit())
            .count();
        let (unit, rest) = rest.split_at(unit_len);
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {}", quote(text)));
        }
        let scale: i128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(unit),
                    quote(text)
                ));
            }
        };
        let whole: i128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| bad())?
        };
        let mut value = whole.checked_mul(scale).ok_or_else(bad)?;
        let mut place = scale;
        for c in frac_part.bytes().take(30) {
            place /= 10;
            value += i128::from(c - b'0') * place;
        }
        total = total.checked_add(value).ok_or_else(bad)?;
        if total > i128::from(i64::MAX) {
            return Err(bad());
        }
        s = rest;
    }
    Ok(if neg { -total } else { total })
}

impl Schedule {
    /// The first time the schedule fires strictly after `after` (Unix seconds); `None`
    /// when nothing matches within five years, as robfig/cron gives up then.
    pub fn next_after(&self, after: i64) -> Option<i64> {
        match *self {
            Schedule::Every { seconds } => Some(after.checked_add(i64::try_from(seconds).ok()?)?),
            Schedule::Spec {
                minute,
                hour,
                dom,
                month,
                dow,
            } => {
                let start = after.checked_add(1)?;
                let first_day = start.div_euclid(86_400);
                let (year, _, _) = civil_from_days(first_day);
                let last_day = days_from_civil(year + 5, 1, 1);
                for day in first_day..last_day {
                    let (_, m, d) = civil_from_days(day);
                    // 1970-01-01 was a Thursday (4).
                    let weekday = (day + 4).rem_euclid(7);
                    if month & (1 << m) == 0 || !day_matches(dom, dow, d, weekday) {
                        continue;
                    }
                    let day_start = day * 86_400;
                    for h in 0..24 {
                        if hour & (1 << h) == 0 {
                            continue;
                        }
                        for mi in 0..60 {
                            let t = day_start + h * 3600 + mi * 60;
                            if minute & (1 << mi) != 0 && t >= start {
                                return Some(t);
                            }
                        }
                    }
                }
                None
            }
        }
    }
}

/// `dayMatches`: with `*` in either day field both must match, otherwise either.
fn day_matches(dom: u64, dow: u64, day: i64, weekday: i64) -> bool {
    let dom_match = dom & (1 << day) != 0;
    let dow_match = dow & (1 << weekday) != 0;
    if dom & STAR_BIT != 0 || dow & STAR_BIT != 0 {
        dom_match && dow_match
    } else {
        dom_match || dow_match
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn next(spec: &str, after: i64) -> Option<i64> {
        parse_standard(spec).ok().and_then(|s| s.next_after(after))
    }

    #[test]
    fn errors_are_robfig_cron_s_words() {
        let cases = [
            ("", "empty spec string"),
            ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
            ("60 * * * *", "end of range (60) above maximum (59): 60"),
            (
                "5-1 * * * *",
                "beginning of range (5) beyond end of range (1): 5-1",
            ),
            (
                "*/0 * * * *",
                "step of range should be a positive number: */0",
            ),
            (
                "x * * * *",
                "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
            ),
            ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
            ("1/2/3 * * * *", "too many slashes: 1/2/3"),
            ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
            ("@fortnightly", "unrecognized descriptor: @fortnightly"),
            (
                "@every 5",
                "failed to parse duration @every 5: time: missing unit in duration \"5\"",
            ),
            (
                "@every 5y",
                "failed to parse duration @every 5y: time: unknown unit \"y\" in duration \"5y\"",
            ),
        ];
        for (spec, want) in cases {
            assert_eq!(parse_standard(spec), Err(want.to_owned()), "{spec:?}");
        }
    }

    #[test]
    fn next_times_follow_the_fields() {
        // 1970-01-01 00:00 is a Thursday.
        assert_eq!(next("* * * * *", 0), Some(60));
        assert_eq!(next("*/5 * * * *", 0), Some(300));
        assert_eq!(next("*/5 * * * *", 300), Some(600));
        assert_eq!(next("0 * * * *", 59), Some(3600));
        assert_eq!(next("@hourly", 3600), Some(7200));
        assert_eq!(next("30 2 * * *", 0), Some(2 * 3600 + 1800));
        // Monday is 1970-01-05.
        assert_eq!(next("0 0 * * mon", 0), Some(4 * 86_400));
        // Both day fields restricted: either matches (the 2nd, a Friday).
        assert_eq!(next("0 0 2 * mon", 0), Some(86_400));
        // February 29 next comes in 1972.
        assert_eq!(
            next("0 0 29 feb *", 0),
            Some(days_from_civil(1972, 2, 29) * 86_400)
        );
        // February 30 never comes: robfig/cron gives up after five years.
        assert_eq!(next("0 0 30 2 *", 0), None);
        assert_eq!(next("@every 90s", 10), Some(100));
        assert_eq!(next("@every 1h30m", 0), Some(5400));
        assert_eq!(next("@every 1.5h", 0), Some(5400));
    }
}
