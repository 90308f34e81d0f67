//! `cargo xtask size`: what `dist/` weighs, raw and gzipped, as a Markdown table for
//! BENCHMARKS.md. Gzip sizes come from `gzip -9 -n` (no name or timestamp, so they are
//! reproducible) rather than a compression crate, to keep xtask dependency-free.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cmd::{Ctx, Result};

/// The kinds of file the table groups by, in display order.
const KINDS: [&str; 5] = ["wasm", "js", "css", "html", "other"];

/// Prints the sizes of every file under `dist/`, then one line per kind and a total.
pub fn print(ctx: &Ctx) -> Result {
    let dist = ctx.root.join("dist");
    if !dist.join("index.html").is_file() {
        return Err("dist/ has no release build: run `cargo xtask test` or `trunk build --release --offline` first".into());
    }
    let mut files = Vec::new();
    walk(&dist, &mut files)?;
    files.sort();
    let mut by_kind: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    println!("| file | raw bytes | gzip -9 bytes |");
    println!("|---|---:|---:|");
    for f in &files {
        let raw = std::fs::metadata(f)
            .map_err(|e| format!("{}: {e}", f.display()))?
            .len();
        let gz = gzip_len(f)?;
        let rel = f.strip_prefix(&dist).unwrap_or(f);
        println!("| {} | {raw} | {gz} |", rel.display());
        let sum = by_kind.entry(kind(f)).or_default();
        sum.0 += raw;
        sum.1 += gz;
    }
    println!();
    println!("| kind | raw | gzip -9 |");
    println!("|---|---:|---:|");
    let (mut raw_total, mut gz_total) = (0, 0);
    for k in KINDS {
        if let Some((raw, gz)) = by_kind.get(k) {
            println!("| {k} | {} | {} |", kib(*raw), kib(*gz));
            raw_total += raw;
            gz_total += gz;
        }
    }
    println!("| **total** | {} | {} |", kib(raw_total), kib(gz_total));
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn kind(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("wasm") => "wasm",
        Some("js" | "mjs") => "js",
        Some("css") => "css",
        Some("html") => "html",
        _ => "other",
    }
}

fn gzip_len(path: &Path) -> Result<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(path)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run gzip (install it: apt-get install gzip): {e}"))?;
    if !out.status.success() {
        return Err(format!("gzip failed on {}", path.display()));
    }
    Ok(out.stdout.len() as u64)
}

/// Bytes as `12 345 B (12.1 KiB)`.
fn kib(bytes: u64) -> String {
    format!("{bytes} B ({:.1} KiB)", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_extension() {
        assert_eq!(kind(Path::new("dist/svcplay-web-1a2b_bg.wasm")), "wasm");
        assert_eq!(kind(Path::new("dist/snippets/x/inline0.js")), "js");
        assert_eq!(kind(Path::new("dist/style-9f.css")), "css");
        assert_eq!(kind(Path::new("dist/index.html")), "html");
        assert_eq!(kind(Path::new("dist/favicon.ico")), "other");
    }

    #[test]
    fn gzip_of_repetitive_text_is_smaller() {
        let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
        let raw = std::fs::metadata(&lock).map(|m| m.len()).unwrap_or(0);
        let gz = gzip_len(&lock).unwrap_or(u64::MAX);
        assert!(raw > 1000 && gz > 0 && gz < raw / 2, "raw {raw}, gzip {gz}");
    }

    #[test]
    fn formats_kib() {
        assert_eq!(kib(2048), "2048 B (2.0 KiB)");
    }
}
