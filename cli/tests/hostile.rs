//! The CLI under issue 13's reproducers: a column too wide for `format!`, input with no
//! end, an endless `--settle`, a BOM in every file, replicas over the cap. Inputs are
//! generated here and given on standard input or as temporary files.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `svcplay` with `stdin`: (exit status, stdout, stderr, time taken).
fn svcplay(args: &[&str], stdin: &str) -> (i32, String, String, Duration) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_svcplay"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run svcplay");
    let mut input = child.stdin.take().unwrap();
    // svcplay may stop reading early (a limit); a broken pipe is then expected.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed(),
    )
}

/// A Service with 1,701 external IPs made by one alias (6.9 KB of YAML).
fn wide_service() -> String {
    let ip = "2001:0db8:0000:0000:0000:0000:0000:0001";
    let mut ips = vec![format!("&a \"{ip}\"")];
    ips.extend((1..1_701).map(|_| "*a".to_owned()));
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: big\nspec:\n  selector:\n    app: x\n  ports:\n  - port: 80\n  externalIPs: [{}]\n",
        ips.join(", ")
    )
}

#[test]
fn a_column_wider_than_65535_characters_prints() {
    // Issue 13, item 1: exit 134, "Formatting argument out of range".
    let text = wide_service();
    assert!(text.len() < 7_000, "{}", text.len());
    let (code, out, err, _) = svcplay(&["check", "-f", "-"], &text);
    assert_eq!(code, 1, "a selector matching no pods is a problem: {err}");
    let row = out.lines().find(|l| l.contains(" big ")).unwrap();
    assert!(row.len() > 65_535, "{}", row.len());
    assert!(row.ends_with("   0/0"), "the last column is still aligned");
    let header = out.lines().next().unwrap();
    assert_eq!(
        header.find("ENDPOINTS"),
        Some(row.len() - 3),
        "ENDPOINTS sits above its cells"
    );
    let (code, out, _, _) = svcplay(&["check", "-f", "-", "-o", "json"], &text);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["services"][0]["externalIPs"].as_array().unwrap().len(),
        1_701
    );
}

#[test]
fn input_with_no_end_is_refused_at_the_size_limit() {
    // Item 4: `-f /dev/zero` ran out of memory.
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_svcplay"))
        .args(["check", "-f", "/dev/zero"])
        .output()
        .unwrap();
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: reading /dev/zero: input: Too long: may not be more than 4194304 bytes (svcplay's limit MAX_INPUT_BYTES; see README, Limits)\n"
    );
    // The same through stdin, one byte past the limit.
    let big = format!("# {}\n", "x".repeat(4 * 1024 * 1024));
    let (code, _, err, _) = svcplay(&["check", "-f", "-"], &big);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("MAX_INPUT_BYTES"), "{err}");
}

#[test]
fn settle_is_capped() {
    // Item 4: `--settle 18446744073709551615` never ended.
    let (code, out, err, took) = svcplay(
        &["check", "-f", "-", "--settle", "18446744073709551615"],
        &wide_service(),
    );
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("error: invalid value '18446744073709551615' for '--settle <SECONDS>': --settle: Invalid value: 18446744073709551615: must be no greater than 3600 seconds (svcplay's limit MAX_SETTLE_SECONDS; see README, Limits)"),
        "{err}"
    );
    assert!(took < Duration::from_secs(10));
    let (code, _, err, _) = svcplay(&["check", "-f", "-", "--settle", "3600"], &wide_service());
    assert_eq!(code, 1, "{err}");
}

#[test]
fn every_file_may_start_with_a_byte_order_mark() {
    // Item 5: kubectl accepts a BOM; svcplay said "Object 'Kind' is missing".
    let dir = std::env::temp_dir().join(format!("svcplay-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let doc = |name: &str| {
        format!(
            "\u{feff}apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  ports:\n  - port: 80\n"
        )
    };
    let (a, b) = (dir.join("a.yaml"), dir.join("b.yaml"));
    std::fs::write(&a, doc("first")).unwrap();
    std::fs::write(&b, doc("second")).unwrap();
    let (code, out, err, _) = svcplay(
        &[
            "check",
            "-f",
            a.to_str().unwrap(),
            "-f",
            b.to_str().unwrap(),
            // Selectorless Services without EndpointSlices are warnings.
            "--fail-on",
            "error",
        ],
        "",
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(" first ") && out.contains(" second "), "{out}");
}

#[test]
fn replicas_over_the_cap_are_a_problem_with_a_position_not_an_abort() {
    // Item 5: the whole check stopped at line 1, column 1.
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2000\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: nginx\n";
    let (code, out, err, _) = svcplay(&["check", "-f", "-"], text);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains(" web "), "the Service is still checked: {out}");
    assert!(
        out.contains("  error rejected Deployment/web spec.replicas (stdin:16): the object is over one of svcplay's limits and was left out: spec.replicas: Invalid value: 2000: must be no greater than 1000 pods (svcplay's limit MAX_REPLICAS; see README, Limits)\n"),
        "{out}"
    );
}
