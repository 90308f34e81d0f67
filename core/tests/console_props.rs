//! Property tests of the console: any line — words of kubectl's grammar mixed with
//! nonsense — runs without panicking, prints a bounded amount, and a line that fails
//! without printing any success leaves the world exactly as it was (every change is a
//! `Command`, and a refused command changes nothing). Tab completion never panics
//! either, on any prefix.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use svcplay_core::kubectl::Console;
use svcplay_core::kubectl::console::MAX_OUTPUT_BYTES;
use svcplay_core::scenario::default_world;

/// Words a line is made of: the grammar's, the world's names, and nonsense.
fn word() -> BoxedStrategy<String> {
    let vocabulary = [
        "kubectl",
        "get",
        "describe",
        "scale",
        "delete",
        "label",
        "expose",
        "create",
        "deployment",
        "service",
        "nodeport",
        "clusterip",
        "loadbalancer",
        "apply",
        "patch",
        "set",
        "selector",
        "rollout",
        "restart",
        "cordon",
        "uncordon",
        "exec",
        "--",
        "nslookup",
        "help",
        "traffic",
        "why",
        "sleep",
        "pods",
        "po",
        "svc",
        "deploy",
        "rs",
        "no",
        "ns",
        "ev",
        "ep",
        "endpointslices",
        "prod",
        "dev",
        "client",
        "node-a",
        "svc/prod",
        "deploy/prod",
        "pod/client",
        "-o",
        "wide",
        "yaml",
        "json",
        "name",
        "-n",
        "default",
        "kube-system",
        "-A",
        "-l",
        "app=prod",
        "--show-labels",
        "--replicas=3",
        "--replicas",
        "0",
        "-1",
        "70000",
        "--port=80",
        "--type=NodePort",
        "--image=nginx",
        "--tcp=80:8080",
        "--overwrite",
        "tier=web",
        "tier-",
        "-p",
        "{\"spec\":{\"type\":\"NodePort\"}}",
        "--type=merge",
        "-f",
        "-",
        "--window",
        "5s",
        "30s",
        "--help",
        "'",
        "\"",
        "\\",
        "#",
        "<<EOF",
        "x=y=z",
        "🙂",
        "",
    ];
    prop_oneof![
        4 => prop::sample::select(vocabulary.to_vec()).prop_map(str::to_owned),
        1 => "[ -~]{0,12}",
    ]
    .boxed()
}

fn line() -> BoxedStrategy<String> {
    prop::collection::vec(word(), 0..9)
        .prop_map(|w| w.join(" "))
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_line_runs_bounded_and_a_refusal_changes_nothing(lines in prop::collection::vec(line(), 1..6)) {
        let mut world = default_world(9);
        world.step(3_000);
        let mut console = Console::new();
        for l in &lines {
            let before = world.dump();
            let now = world.now();
            let out = console.run(&mut world, l);
            prop_assert!(out.stdout.len() <= MAX_OUTPUT_BYTES + 64);
            prop_assert!(out.stderr.len() <= MAX_OUTPUT_BYTES + 64);
            if !out.ok && out.stdout.is_empty() && world.now() == now {
                prop_assert_eq!(world.dump(), before, "refused: {}", l);
            }
            let _ = console.complete(&world, l);
        }
    }
}
