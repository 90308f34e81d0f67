//! Command lines as the programs read them: Go's `flag` package (fortio, hey,
//! hashicorp/http-echo), `spf13/pflag` long options (agnhost), Go durations, and the
//! few words of a shell loop the playground reads.
//!
//! Upstream: golang/go@go1.22 `src/flag/flag.go` (`parseOne`: `-f`, `--f`, `-f=v`,
//! `-f v` for non-boolean flags, a boolean flag takes a value only after `=`; parsing
//! stops at the first non-flag argument or after `--`; its error texts),
//! `src/time/format.go` `ParseDuration`, `src/strconv` `ParseBool`.

use std::collections::BTreeMap;

/// Whether a flag takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A boolean flag: `-f` is true; a value only as `-f=false`.
    Bool,
    /// Any other flag: `-f v` or `-f=v`.
    Value,
}

/// The flags a program defines.
pub type FlagTable = &'static [(&'static str, Kind)];

/// A parsed command line: the flags as given (the last of a repeated flag wins) and
/// the positional arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Flag name → its text (`"true"` for a bare boolean flag).
    pub flags: BTreeMap<String, String>,
    /// What follows the flags.
    pub positional: Vec<String>,
}

impl Parsed {
    /// The text of a flag, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.flags.get(name).map(String::as_str)
    }

    /// A boolean flag's value (`default` when not given), in `strconv.ParseBool`'s words
    /// on error.
    pub fn bool(&self, name: &str, default: bool) -> Result<bool, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => parse_bool(v)
                .ok_or_else(|| format!("invalid boolean value {v:?} for -{name}: parse error")),
        }
    }

    /// A number flag (Go's `flag.Float64`).
    pub fn float(&self, name: &str, default: f64) -> Result<f64, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| format!("invalid value {v:?} for flag -{name}: parse error")),
        }
    }

    /// An integer flag (Go's `flag.Int`).
    pub fn int(&self, name: &str, default: i64) -> Result<i64, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<i64>()
                .map_err(|_| format!("invalid value {v:?} for flag -{name}: parse error")),
        }
    }

    /// A duration flag in milliseconds (Go's `flag.Duration`; `days` also accepts `d`).
    pub fn duration(&self, name: &str, default_ms: u64, days: bool) -> Result<u64, String> {
        match self.get(name) {
            None => Ok(default_ms),
            Some(v) => parse_duration_ms(v, days)
                .ok_or_else(|| format!("invalid value {v:?} for flag -{name}: parse error")),
        }
    }
}

/// Parses `args` as Go's `flag.FlagSet.Parse` does with the flags of `table`; the error
/// is the message the program prints (`flag provided but not defined: -x`).
pub fn parse_go(args: &[String], table: FlagTable) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg.len() < 2 || !arg.starts_with('-') {
            out.positional
                .extend(args.get(i - 1..).unwrap_or_default().iter().cloned());
            return Ok(out);
        }
        let mut name = &arg[1..];
        if let Some(rest) = name.strip_prefix('-') {
            if rest.is_empty() {
                // `--` ends the flags.
                out.positional
                    .extend(args.get(i..).unwrap_or_default().iter().cloned());
                return Ok(out);
            }
            name = rest;
        }
        if name.starts_with('-') || name.starts_with('=') {
            return Err(format!("bad flag syntax: {arg}"));
        }
        let (name, inline) = match name.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (name, None),
        };
        let kind = table
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, k)| *k)
            .ok_or_else(|| format!("flag provided but not defined: -{name}"))?;
        let value = match (kind, inline) {
            (_, Some(v)) => v.to_owned(),
            (Kind::Bool, None) => "true".to_owned(),
            (Kind::Value, None) => {
                let v = args
                    .get(i)
                    .ok_or_else(|| format!("flag needs an argument: -{name}"))?;
                i += 1;
                v.clone()
            }
        };
        out.flags.insert(name.to_owned(), value);
    }
    Ok(out)
}

/// `--name=value` and `--name value` long options as `spf13/pflag` reads them (agnhost's
/// cobra commands); unknown options are refused in pflag's words.
pub fn parse_pflag(args: &[String], table: FlagTable) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let Some(long) = arg.strip_prefix("--") else {
            out.positional.push(arg.clone());
            continue;
        };
        if long.is_empty() {
            out.positional
                .extend(args.get(i..).unwrap_or_default().iter().cloned());
            break;
        }
        let (name, inline) = match long.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (long, None),
        };
        let kind = table
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, k)| *k)
            .ok_or_else(|| format!("unknown flag: --{name}"))?;
        let value = match (kind, inline) {
            (_, Some(v)) => v.to_owned(),
            (Kind::Bool, None) => "true".to_owned(),
            (Kind::Value, None) => {
                let v = args
                    .get(i)
                    .ok_or_else(|| format!("flag needs an argument: --{name}"))?;
                i += 1;
                v.clone()
            }
        };
        out.flags.insert(name.to_owned(), value);
    }
    Ok(out)
}

/// `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `time.ParseDuration` in whole milliseconds (rounded down; negative durations are
/// refused here, as no flag the playground reads means anything by them); `days` adds
/// the `d` unit of fortio's `duration.Flag`.
pub fn parse_duration_ms(s: &str, days: bool) -> Option<u64> {
    if s == "0" {
        return Some(0);
    }
    let mut rest = s.strip_prefix('+').unwrap_or(s);
    if rest.is_empty() || rest.starts_with('-') {
        return None;
    }
    let mut total = 0.0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_len);
        let ms = match unit {
            "ns" => 1e-6,
            "us" | "µs" | "μs" => 1e-3,
            "ms" => 1.0,
            "s" => 1e3,
            "m" => 60e3,
            "h" => 3_600e3,
            "d" if days => 86_400e3,
            _ => return None,
        };
        total += value * ms;
        rest = next;
    }
    (total.is_finite() && total < 1e15).then_some(total as u64)
}

/// Splits a shell script into words and separators as `sh` would for the simple loops
/// the playground reads: quotes group, `;`, `&&`, `||`, `|` and newlines separate.
/// Returns `None` for what it does not read (unbalanced quotes, `$(`…`)` substitutions
/// are kept as words).
pub fn shell_words(script: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = script.chars().peekable();
    let flush = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        ch => word.push(ch),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => word.push(chars.next()?),
                        ch => word.push(ch),
                    }
                }
            }
            '\\' => {
                if let Some(ch) = chars.next()
                    && ch != '\n'
                {
                    word.push(ch);
                    in_word = true;
                }
            }
            ';' | '\n' => {
                flush(&mut word, &mut in_word, &mut words);
                words.push(";".to_owned());
            }
            '&' | '|' => {
                flush(&mut word, &mut in_word, &mut words);
                if chars.peek() == Some(&c) {
                    chars.next();
                }
                words.push(";".to_owned());
            }
            c if c.is_whitespace() => flush(&mut word, &mut in_word, &mut words),
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    flush(&mut word, &mut in_word, &mut words);
    Some(words)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const TABLE: FlagTable = &[
        ("qps", Kind::Value),
        ("c", Kind::Value),
        ("keepalive", Kind::Bool),
    ];

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn go_flag_syntax() {
        let p = parse_go(
            &words("-qps 8 --c=2 -keepalive=false http://x/ -c 9"),
            TABLE,
        )
        .unwrap();
        assert_eq!(p.get("qps"), Some("8"));
        assert_eq!(p.get("c"), Some("2"), "parsing stops at the first argument");
        assert_eq!(p.bool("keepalive", true), Ok(false));
        assert_eq!(p.positional, words("http://x/ -c 9"));
        // A boolean flag never takes the next word: it becomes an argument.
        let p = parse_go(&words("-keepalive false"), TABLE).unwrap();
        assert_eq!(
            (p.bool("keepalive", false), p.positional),
            (Ok(true), words("false"))
        );
        assert_eq!(
            parse_go(&words("-z 1"), TABLE),
            Err("flag provided but not defined: -z".into())
        );
        assert_eq!(
            parse_go(&words("-c"), TABLE),
            Err("flag needs an argument: -c".into())
        );
        let p = parse_go(&words("-c 2 -- -qps"), TABLE).unwrap();
        assert_eq!(p.positional, words("-qps"));
        assert_eq!(
            p.int("qps", 8).unwrap(),
            8,
            "an absent flag keeps its default"
        );
        let p = parse_go(&words("-qps x"), TABLE).unwrap();
        assert_eq!(
            p.float("qps", 0.0),
            Err("invalid value \"x\" for flag -qps: parse error".into())
        );
    }

    #[test]
    fn pflag_long_options() {
        const AGN: FlagTable = &[("http-port", Kind::Value), ("delay-shutdown", Kind::Value)];
        let p = parse_pflag(&words("netexec --http-port=9090 --delay-shutdown 5"), AGN).unwrap();
        assert_eq!(p.positional, words("netexec"));
        assert_eq!(
            (p.get("http-port"), p.get("delay-shutdown")),
            (Some("9090"), Some("5"))
        );
        assert_eq!(
            parse_pflag(&words("--port=1"), AGN),
            Err("unknown flag: --port".into())
        );
    }

    #[test]
    fn durations_as_go_reads_them() {
        assert_eq!(parse_duration_ms("0", false), Some(0));
        assert_eq!(parse_duration_ms("5s", false), Some(5_000));
        assert_eq!(parse_duration_ms("1m30s", false), Some(90_000));
        assert_eq!(parse_duration_ms("1.5h", false), Some(5_400_000));
        assert_eq!(parse_duration_ms("250ms", false), Some(250));
        assert_eq!(parse_duration_ms("1d", false), None);
        assert_eq!(parse_duration_ms("1d", true), Some(86_400_000));
        assert_eq!(parse_duration_ms("10", false), None, "a unit is required");
        assert_eq!(parse_duration_ms("-1s", false), None);
    }

    #[test]
    fn shell_words_split_like_sh() {
        assert_eq!(
            shell_words("while true; do curl -s 'http://a b/'; sleep 0.5; done").unwrap(),
            [
                "while",
                "true",
                ";",
                "do",
                "curl",
                "-s",
                "http://a b/",
                ";",
                "sleep",
                "0.5",
                ";",
                "done"
            ]
        );
        assert_eq!(
            shell_words("wget -qO- \"http://x\" && echo").unwrap(),
            ["wget", "-qO-", "http://x", ";", "echo"]
        );
        assert_eq!(shell_words("echo 'open"), None);
    }
}
