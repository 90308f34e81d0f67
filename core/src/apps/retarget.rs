//! A client card's new target written into a load generator's command line: the one
//! positional argument of `fortio load` and `hey` (Go's `flag` stops at the first
//! non-flag word, so it is the last word), the URL word of a shell loop's `curl` or
//! `wget`. The text is checked first with the parser the tool's run will use, and a
//! refusal names the field as the card labels it (`target`).
//!
//! Upstream: golang/go@go1.22 `src/flag/flag.go` (`parseOne`: flags end at the first
//! non-flag argument); fortio/fortio@45e18710 `cli/fortio_main.go` (one URL, or a gRPC
//! destination with `-grpc`); rakyll/hey@89858275 `hey.go` (`flag.Args()[0]`).
//!
//! Simplification: a loop's new URL is single-quoted when it holds a character the
//! shell would read (the playground reads `sh -c` scripts as words, not as a shell).

use super::flags::{Parsed, parse_go, shell_words};
use super::loadgen::{FORTIO_FLAGS, FORTIO_GRPC_PORT, HEY_FLAGS};
use super::target::Target;
use super::{LoadSpec, Tool};

/// The target text checked as `spec`'s tool reads it (a gRPC destination for fortio
/// with `-grpc`, a URL otherwise): `target: Invalid value: "…": why` when it is not one.
pub fn check_target(spec: &LoadSpec, text: &str) -> Result<Target, String> {
    let parsed = if spec.tool == Tool::Fortio && spec.target.scheme.is_empty() {
        Target::parse_grpc(text, FORTIO_GRPC_PORT)
    } else if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        // Go's `url.Parse` refuses control characters, and a space in a host.
        Err("net/url: invalid control character in URL".to_owned())
    } else {
        Target::parse_url(text)
    };
    parsed.map_err(|why| format!("target: Invalid value: {text:?}: {why}"))
}

/// `words` (after the program's name: `load …` for fortio, the flags for hey, `-c
/// SCRIPT` for a loop) with the target replaced by `url`.
pub fn set_target(tool: Tool, words: &[String], url: &str) -> Result<Vec<String>, String> {
    let mut out = words.to_vec();
    match tool {
        Tool::Fortio => {
            let flags = out.get(1..).unwrap_or_default();
            let at = 1 + last_positional(&parse_go(flags, FORTIO_FLAGS)?, flags.len())?;
            if let Some(w) = out.get_mut(at) {
                *w = url.to_owned();
            }
        }
        Tool::Hey => {
            let at = last_positional(&parse_go(&out, HEY_FLAGS)?, out.len())?;
            if let Some(w) = out.get_mut(at) {
                *w = url.to_owned();
            }
        }
        Tool::Curl | Tool::Wget => {
            let script = out.last_mut().ok_or("no script")?;
            *script = loop_with_url(script, tool.as_str(), url)?;
        }
        Tool::Outside => return Err("the outside user's target is the Service it uses".into()),
    }
    Ok(out)
}

/// Where the target is: the one positional word (a generator that reads as a load
/// generator has exactly one).
fn last_positional(p: &Parsed, len: usize) -> Result<usize, String> {
    match p.positional.len() {
        1 => Ok(len - 1),
        _ => Err("the command line has no single target to replace".into()),
    }
}

/// The loop's script with the URL of its `curl`/`wget` replaced (found as `shell_loop`
/// finds it: the word with `://`, else the last word that is no flag).
fn loop_with_url(script: &str, program: &str, url: &str) -> Result<String, String> {
    let cant = || format!("the URL of {program} in the loop's script could not be found");
    let words = shell_words(script).ok_or_else(cant)?;
    let call = words.iter().position(|w| w == program).ok_or_else(cant)?;
    let args: Vec<&String> = words[call + 1..].iter().take_while(|w| *w != ";").collect();
    let old = args
        .iter()
        .find(|w| w.contains("://"))
        .or_else(|| args.iter().rev().find(|w| !w.starts_with('-')))
        .ok_or_else(cant)?;
    let from = script.find(program).ok_or_else(cant)?;
    let at = from + script[from..].find(old.as_str()).ok_or_else(cant)?;
    let safe = |c: char| c.is_ascii_alphanumeric() || "._~:/?#@=%+,-".contains(c);
    let written = if url.chars().all(safe) {
        url.to_owned()
    } else if url.contains('\'') {
        return Err(format!(
            "target: Invalid value: {url:?}: a quote cannot go into the loop's script"
        ));
    } else {
        format!("'{url}'")
    };
    // A quoted old word: replace its quotes too.
    let (start, end) = match (
        script[..at].chars().last(),
        script[at + old.len()..].chars().next(),
    ) {
        (Some(q @ ('\'' | '"')), Some(e)) if q == e => (at - 1, at + old.len() + 1),
        _ => (at, at + old.len()),
    };
    Ok(format!("{}{written}{}", &script[..start], &script[end..]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn the_target_word_is_replaced_and_nothing_else() {
        assert_eq!(
            set_target(
                Tool::Fortio,
                &words("load -qps 2 -c 1 -t 0 -keepalive=false http://prod/hostname"),
                "http://carts.sock-shop/"
            )
            .unwrap(),
            words("load -qps 2 -c 1 -t 0 -keepalive=false http://carts.sock-shop/")
        );
        assert_eq!(
            set_target(
                Tool::Hey,
                &words("-q 2 -c 5 -z 1h http://x/"),
                "http://y:8080/a"
            )
            .unwrap(),
            words("-q 2 -c 5 -z 1h http://y:8080/a")
        );
        let script = |s: &str| vec!["-c".to_owned(), s.to_owned()];
        assert_eq!(
            set_target(
                Tool::Curl,
                &script("while true; do curl -s 'http://x/'; sleep 1; done"),
                "http://web.shop/?a=1&b=2"
            )
            .unwrap(),
            script("while true; do curl -s 'http://web.shop/?a=1&b=2'; sleep 1; done")
        );
        assert_eq!(
            set_target(
                Tool::Wget,
                &script("while sleep 1; do wget -q -O- http://x:8080; done"),
                "http://y/"
            )
            .unwrap(),
            script("while sleep 1; do wget -q -O- http://y/; done")
        );
    }

    #[test]
    fn a_bad_target_names_the_field() {
        let spec = super::super::loadgen::fortio(&words("-t 0 http://prod/")).unwrap();
        assert_eq!(
            check_target(&spec, "ftp://x").unwrap_err(),
            "target: Invalid value: \"ftp://x\": unsupported protocol scheme \"ftp\""
        );
        assert_eq!(
            check_target(&spec, "http://a b/").unwrap_err(),
            "target: Invalid value: \"http://a b/\": net/url: invalid control character in URL"
        );
        assert_eq!(
            check_target(&spec, "").unwrap_err(),
            "target: Invalid value: \"\": missing host in URL"
        );
        let grpc = super::super::loadgen::fortio(&words("-grpc -t 0 prod:8079")).unwrap();
        assert_eq!(check_target(&grpc, "carts.shop:80").unwrap().port, 80);
    }
}
