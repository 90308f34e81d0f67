//! Reading the pinned tool versions out of the repository's own files.
//!
//! The versions are never written twice in xtask: wasm-bindgen comes from `Cargo.lock`
//! (the CLI must equal the crate), and Trunk.toml's `[tools]` table names what Trunk will
//! accept on PATH in offline mode.

/// The trunk release the build is verified with (0.22 needs a newer Rust than 1.95).
pub const TRUNK_VERSION: &str = "0.21.14";

/// The version of package `name` in a `Cargo.lock` text, if it is locked exactly once.
///
/// Two versions of the same package (possible for other crates) give `None`, so the caller
/// reports the ambiguity instead of picking one.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let mut found = Vec::new();
    let mut lines = lock.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line == format!("name = \"{name}\"")
            && let Some(v) = lines.next().and_then(|l| quoted_value(l, "version"))
        {
            found.push(v);
        }
    }
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The string value of `key = "value"` inside the `[section]` of a small TOML file.
///
/// Enough for Trunk.toml's flat tables; comments after the value are ignored.
pub fn toml_value(text: &str, section: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_section = line == format!("[{section}]");
        } else if in_section && let Some(v) = quoted_value(line, key) {
            return Some(v);
        }
    }
    None
}

/// `value` from a line `key = "value"` (optionally followed by a comment).
fn quoted_value(line: &str, key: &str) -> Option<String> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_owned())
}

/// The version word a tool prints for `--version`: `trunk 0.21.14` → `0.21.14`,
/// `wasm-opt version 132 (version_132)` → `version_132` (the form Trunk.toml uses).
pub fn reported_version(output: &str) -> Option<String> {
    let line = output.lines().next()?.trim();
    if let Some(start) = line.find("(version_") {
        let inner = &line[start + 1..];
        return inner.find(')').map(|end| inner[..end].to_owned());
    }
    line.split_whitespace().nth(1).map(str::to_owned)
}

/// Major version of `node --version` output (`v20.20.2` → 20).
pub fn node_major(output: &str) -> Option<u32> {
    output
        .trim()
        .strip_prefix('v')?
        .split('.')
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.99"

[[package]]
name = "twice"
version = "1.0.0"

[[package]]
name = "twice"
version = "2.0.0"
"#;

    #[test]
    fn finds_the_exact_package_not_a_prefix() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen-backend").as_deref(),
            Some("0.2.99")
        );
        assert_eq!(locked_version(LOCK, "wasm"), None);
    }

    #[test]
    fn two_locked_versions_are_ambiguous() {
        assert_eq!(locked_version(LOCK, "twice"), None);
    }

    #[test]
    fn reads_trunk_tools_table_with_comments() {
        let trunk = "[build]\nwasm_bindgen = \"wrong\"\n\n[tools]\nwasm_bindgen = \"0.2.130\" # equal to Cargo.lock\nwasm_opt = \"version_132\"\n";
        assert_eq!(
            toml_value(trunk, "tools", "wasm_bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            toml_value(trunk, "tools", "wasm_opt").as_deref(),
            Some("version_132")
        );
        assert_eq!(toml_value(trunk, "build", "wasm_opt"), None);
        assert_eq!(toml_value(trunk, "tools", "missing"), None);
    }

    #[test]
    fn the_repository_pins_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
        let trunk = std::fs::read_to_string(root.join("Trunk.toml")).unwrap_or_default();
        let locked = locked_version(&lock, "wasm-bindgen");
        assert!(
            locked.is_some(),
            "Cargo.lock locks wasm-bindgen exactly once"
        );
        assert_eq!(
            locked,
            toml_value(&trunk, "tools", "wasm_bindgen"),
            "Trunk.toml [tools] wasm_bindgen"
        );
    }

    #[test]
    fn parses_tool_version_lines() {
        assert_eq!(
            reported_version("trunk 0.21.14\n").as_deref(),
            Some("0.21.14")
        );
        assert_eq!(
            reported_version("wasm-bindgen 0.2.130").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            reported_version("wasm-opt version 132 (version_132)\n").as_deref(),
            Some("version_132")
        );
        assert_eq!(reported_version(""), None);
    }

    #[test]
    fn parses_node_major() {
        assert_eq!(node_major("v20.20.2\n"), Some(20));
        assert_eq!(node_major("v18.19.0"), Some(18));
        assert_eq!(node_major("20.1.0"), None);
    }
}
