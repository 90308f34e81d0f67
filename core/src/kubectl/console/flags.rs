//! kubectl's flags as spf13/pflag parses them: `--name=value`, `--name value`, `-n
//! value`, `-nvalue`, `-n=value`, bundled boolean shorthands (`-Aw`), `--flag=false`
//! for booleans, flags anywhere among the arguments, `--` ending them; errors in
//! pflag's words (`unknown flag: --x`, `unknown shorthand flag: 'x' in -x`, `flag needs
//! an argument: --namespace`, `invalid argument "x" for "--replicas" flag: …`).
//! Upstream: spf13/pflag@v1.0.6 `flag.go` (`parseLongArg`, `parseSingleShortArg`,
//! `failf`), `bool.go`, `int32.go`, `string_slice.go`; kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/util/templates/templater.go` (`getFlagFormat`, the `Options:` section).

use std::collections::BTreeMap;

/// What a flag holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// `true`/`false`; given alone it is `true`.
    Bool,
    /// A string.
    Str,
    /// An integer.
    Int,
    /// A comma-separated list, repeatable (`StringSlice`).
    List,
}

/// One flag a command takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagSpec {
    /// The long name, without `--`.
    pub long: &'static str,
    /// The shorthand, if any.
    pub short: Option<char>,
    /// What it holds.
    pub kind: FlagKind,
    /// The default as `--help` shows it (`false`, `''`, `0`, `[]`, `-1`).
    pub default: &'static str,
    /// The usage sentence.
    pub usage: &'static str,
}

impl FlagSpec {
    /// A flag.
    pub const fn new(
        long: &'static str,
        short: Option<char>,
        kind: FlagKind,
        default: &'static str,
        usage: &'static str,
    ) -> FlagSpec {
        FlagSpec {
            long,
            short,
            kind,
            default,
            usage,
        }
    }
}

/// `-n, --namespace`: kubectl's global flag every command takes.
pub const NAMESPACE: FlagSpec = FlagSpec::new(
    "namespace",
    Some('n'),
    FlagKind::Str,
    "",
    "If present, the namespace scope for this CLI request",
);

/// `-h, --help`.
pub const HELP: FlagSpec = FlagSpec::new("help", Some('h'), FlagKind::Bool, "false", "help");

/// Parsed flags and the positional arguments, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Flag values by long name (a list flag's values joined by `,` per use, in order).
    pub values: BTreeMap<&'static str, Vec<String>>,
    /// Positional arguments.
    pub args: Vec<String>,
    /// How many positional arguments came before `--` (`ArgsLenAtDash`), if it was given.
    pub dash: Option<usize>,
}

impl Parsed {
    /// Whether a flag was given.
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// A string flag's last value.
    pub fn str(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// A boolean flag (given alone means `true`).
    pub fn bool(&self, long: &str) -> bool {
        self.str(long) == Some("true")
    }

    /// An integer flag's value.
    pub fn int(&self, long: &str) -> Option<i64> {
        self.str(long).and_then(|s| s.parse().ok())
    }

    /// A list flag's values, every use split at commas.
    pub fn list(&self, long: &str) -> Vec<String> {
        self.values
            .get(long)
            .into_iter()
            .flatten()
            .flat_map(|v| v.split(',').map(str::to_owned))
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// Parses `args` against the command's flags (and the global ones).
pub fn parse(args: &[String], specs: &[FlagSpec]) -> Result<Parsed, String> {
    let find_long = |name: &str| {
        specs
            .iter()
            .chain([&NAMESPACE, &HELP])
            .find(|s| s.long == name)
    };
    let find_short = |c: char| {
        specs
            .iter()
            .chain([&NAMESPACE, &HELP])
            .find(|s| s.short == Some(c))
    };
    let mut out = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            out.dash = Some(out.args.len());
            out.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let spec = find_long(name).ok_or_else(|| format!("unknown flag: --{name}"))?;
            let value = match (inline, spec.kind) {
                (Some(v), _) => v,
                (None, FlagKind::Bool) => "true".to_owned(),
                (None, _) => {
                    let v = args
                        .get(i)
                        .ok_or_else(|| format!("flag needs an argument: --{name}"))?;
                    i += 1;
                    v.clone()
                }
            };
            set(&mut out, spec, value, &format!("--{name}"))?;
        } else if let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let chars: Vec<char> = shorts.chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let spec = find_short(c)
                    .ok_or_else(|| format!("unknown shorthand flag: '{c}' in -{shorts}"))?;
                let rest: String = chars[j + 1..].iter().collect();
                if spec.kind == FlagKind::Bool {
                    match rest.strip_prefix('=') {
                        Some(v) => {
                            set(&mut out, spec, v.to_owned(), &format!("-{c}"))?;
                            break;
                        }
                        None => set(&mut out, spec, "true".to_owned(), &format!("-{c}"))?,
                    }
                    j += 1;
                    continue;
                }
                let value = if let Some(v) = rest.strip_prefix('=') {
                    v.to_owned()
                } else if !rest.is_empty() {
                    rest
                } else {
                    let v = args
                        .get(i)
                        .ok_or_else(|| format!("flag needs an argument: '{c}' in -{shorts}"))?;
                    i += 1;
                    v.clone()
                };
                set(&mut out, spec, value, &format!("-{c}"))?;
                break;
            }
        } else {
            out.args.push(arg.clone());
        }
    }
    Ok(out)
}

/// Checks and stores one value.
fn set(out: &mut Parsed, spec: &FlagSpec, value: String, shown: &str) -> Result<(), String> {
    let flag = if shown.starts_with("--") {
        shown.to_owned()
    } else {
        format!("{shown}, --{}", spec.long)
    };
    let bad = |why: String| format!("invalid argument {value:?} for \"{flag}\" flag: {why}");
    let value = match spec.kind {
        FlagKind::Bool => match value.as_str() {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => "true".to_owned(),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => "false".to_owned(),
            _ => {
                return Err(bad(format!(
                    "strconv.ParseBool: parsing {value:?}: invalid syntax"
                )));
            }
        },
        FlagKind::Int => match value.parse::<i32>() {
            Ok(n) => n.to_string(),
            Err(e) => {
                let why = if matches!(
                    e.kind(),
                    std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
                ) {
                    "value out of range"
                } else {
                    "invalid syntax"
                };
                return Err(bad(format!("strconv.ParseInt: parsing {value:?}: {why}")));
            }
        },
        FlagKind::Str | FlagKind::List => value,
    };
    out.values.entry(spec.long).or_default().push(value);
    Ok(())
}

/// The `Options:` section of `--help`: every flag sorted by name (pflag's order), as
/// `getFlagFormat` writes it, the usage on the next line after a tab.
pub fn options_text(specs: &[FlagSpec]) -> String {
    let mut sorted: Vec<&FlagSpec> = specs.iter().collect();
    crate::sort::sort_by_key(&mut sorted, |s| s.long);
    let mut out = String::new();
    for s in sorted {
        let value = match s.kind {
            FlagKind::Str => format!("'{}'", s.default),
            _ => s.default.to_owned(),
        };
        match s.short {
            Some(c) => out.push_str(&format!("    -{c}, --{}={value}:\n", s.long)),
            None => out.push_str(&format!("    --{}={value}:\n", s.long)),
        }
        out.push_str(&format!("\t{}\n\n", s.usage));
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SPECS: &[FlagSpec] = &[
        FlagSpec::new("output", Some('o'), FlagKind::Str, "", "Output format."),
        FlagSpec::new("all-namespaces", Some('A'), FlagKind::Bool, "false", "All."),
        FlagSpec::new("replicas", None, FlagKind::Int, "0", "Replicas."),
        FlagSpec::new("tcp", None, FlagKind::List, "[]", "Ports."),
    ];

    fn p(line: &str) -> Result<Parsed, String> {
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        parse(&args, SPECS)
    }

    #[test]
    fn every_spelling_pflag_takes() {
        let a = p("pods -o wide -nkube-system x --replicas=3 -A").unwrap();
        assert_eq!(a.args, ["pods", "x"]);
        assert_eq!(a.str("output"), Some("wide"));
        assert_eq!(a.str("namespace"), Some("kube-system"));
        assert_eq!(a.int("replicas"), Some(3));
        assert!(a.bool("all-namespaces"));
        let b = p("-o=yaml --all-namespaces=false --tcp 80:8080,443 --tcp=9").unwrap();
        assert_eq!(b.str("output"), Some("yaml"));
        assert!(!b.bool("all-namespaces"));
        assert_eq!(b.list("tcp"), ["80:8080", "443", "9"]);
        let c = p("exec web -- nslookup -type=srv prod").unwrap();
        assert_eq!(c.args, ["exec", "web", "nslookup", "-type=srv", "prod"]);
        assert_eq!(c.dash, Some(2));
    }

    #[test]
    fn mistakes_in_pflag_s_words() {
        assert_eq!(p("--bogus").unwrap_err(), "unknown flag: --bogus");
        assert_eq!(p("-z").unwrap_err(), "unknown shorthand flag: 'z' in -z");
        assert_eq!(p("-Az").unwrap_err(), "unknown shorthand flag: 'z' in -Az");
        assert_eq!(
            p("pods -n").unwrap_err(),
            "flag needs an argument: 'n' in -n"
        );
        assert_eq!(
            p("--namespace").unwrap_err(),
            "flag needs an argument: --namespace"
        );
        assert_eq!(
            p("--replicas=x").unwrap_err(),
            "invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            p("--replicas 99999999999").unwrap_err(),
            "invalid argument \"99999999999\" for \"--replicas\" flag: strconv.ParseInt: parsing \"99999999999\": value out of range"
        );
        assert_eq!(
            p("-A=maybe").unwrap_err(),
            "invalid argument \"maybe\" for \"-A, --all-namespaces\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
    }

    #[test]
    fn options_are_sorted_with_their_defaults() {
        assert_eq!(
            options_text(&SPECS[..2]),
            "    -A, --all-namespaces=false:\n\tAll.\n\n    -o, --output='':\n\tOutput format."
        );
    }
}
