//! The page's Content-Security-Policy stays strict, and the build keeps the page free of
//! inline script (Trunk's default loader is inline; `pattern_script` replaces it).
//! Whether Chromium really runs the page under it is checked by tests/bench/shots.mjs.
#![cfg(not(target_arch = "wasm32"))]

const INDEX: &str = include_str!("../../index.html");
const TRUNK: &str = include_str!("../../Trunk.toml");
const LOADER: &str = include_str!("../loader.js");

fn policy() -> &'static str {
    let start = INDEX
        .find("http-equiv=\"Content-Security-Policy\" content=\"")
        .map(|i| i + 46);
    let start = start.unwrap_or_else(|| unreachable!("index.html lost its CSP meta"));
    let len = INDEX[start..].find('"').unwrap_or(0);
    &INDEX[start..start + len]
}

#[test]
fn policy_allows_only_the_pages_own_files() {
    let p = policy();
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval';",
        "style-src 'self';",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(p.contains(directive), "missing {directive:?} in {p:?}");
    }
    for loose in ["unsafe-inline", " 'unsafe-eval'", "http:", "https:", "*"] {
        assert!(!p.contains(loose), "{loose:?} in {p:?}");
    }
}

#[test]
fn the_loader_is_a_file_not_an_inline_script() {
    assert!(
        !INDEX.contains("<script"),
        "index.html has no script of its own"
    );
    assert!(
        TRUNK
            .contains("pattern_script = \"<script type=\\\"module\\\" src=\\\"{base}loader.js\\\"")
    );
    assert!(INDEX.contains(r#"<link data-trunk rel="copy-file" href="web/loader.js" />"#));
    assert!(
        LOADER.contains("data-svcplay-js") && TRUNK.contains("data-svcplay-js=\\\"{base}{js}\\\"")
    );
}
