//! Tab completion for a console line, computed from the grammar and the world:
//! commands, subcommands, flags, resource types, `TYPE/` names, object names, and the
//! values of `-n`, `-o` and `--type`.

use super::Console;
use super::help::{command, commands};
use super::objects::names;
use super::resource::{KINDS, Kind};
use crate::World;

/// The words a line may start with.
const FIRST: &[&str] = &["help", "kubectl", "sleep", "traffic", "why"];

/// What Tab offers for the word under the cursor (the end of the line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// Where the word being completed starts (a byte offset into the line).
    pub start: usize,
    /// The candidates, sorted, without duplicates.
    pub candidates: Vec<String>,
}

impl Completion {
    /// The line after Tab: one candidate replaces the word (and a space follows unless it
    /// ends in `/` or `=`); several extend it to their common prefix.
    pub fn apply(&self, line: &str) -> String {
        let head = line.get(..self.start).unwrap_or(line);
        match self.candidates.as_slice() {
            [] => line.to_owned(),
            [one] => {
                let space = if one.ends_with('/') || one.ends_with('=') {
                    ""
                } else {
                    " "
                };
                format!("{head}{one}{space}")
            }
            many => {
                let mut prefix = many[0].clone();
                for c in &many[1..] {
                    while !c.starts_with(&prefix) {
                        prefix.pop();
                    }
                }
                let word = line.get(self.start..).unwrap_or_default();
                if prefix.len() > word.len() {
                    format!("{head}{prefix}")
                } else {
                    line.to_owned()
                }
            }
        }
    }
}

impl Console {
    /// The completions for the last word of `line`.
    pub fn complete(&self, world: &World, line: &str) -> Completion {
        let start = line.rfind(char::is_whitespace).map_or(0, |i| {
            i + line[i..].chars().next().map_or(1, char::len_utf8)
        });
        let word = &line[start..];
        let done: Vec<&str> = line[..start].split_whitespace().collect();
        let namespace = namespace_of(&done).unwrap_or(&self.namespace).to_owned();
        let pool = candidates(world, &done, word, &namespace);
        let mut candidates: Vec<String> =
            pool.into_iter().filter(|c| c.starts_with(word)).collect();
        crate::sort::sort(&mut candidates);
        candidates.dedup();
        Completion { start, candidates }
    }
}

/// The `-n`/`--namespace` value already typed.
fn namespace_of<'a>(done: &[&'a str]) -> Option<&'a str> {
    done.iter().enumerate().find_map(|(i, w)| {
        if *w == "-n" || *w == "--namespace" {
            done.get(i + 1).copied()
        } else {
            w.strip_prefix("--namespace=")
                .or_else(|| w.strip_prefix("-n").filter(|v| !v.is_empty()))
        }
    })
}

fn kind_words() -> Vec<String> {
    KINDS
        .iter()
        .flat_map(|k| k.spellings())
        .map(str::to_owned)
        .collect()
}

fn candidates(world: &World, done: &[&str], word: &str, ns: &str) -> Vec<String> {
    let Some((first, rest)) = done.split_first() else {
        return FIRST.iter().map(|s| (*s).to_owned()).collect();
    };
    match *first {
        "why" => {
            let kind = if rest.is_empty() {
                Kind::Service
            } else {
                Kind::Pod
            };
            let prefix = if rest.is_empty() { "svc/" } else { "pod/" };
            return names(world, kind, ns)
                .into_iter()
                .map(|n| format!("{prefix}{n}"))
                .collect();
        }
        "traffic" => return vec!["--window".into(), "-o".into(), "json".into(), "-A".into()],
        "kubectl" => {}
        _ => return Vec::new(),
    }
    // The command path typed so far.
    let args: Vec<&str> = rest.to_vec();
    let mut path: Vec<&str> = Vec::new();
    let mut positional: Vec<&str> = Vec::new();
    let mut previous_flag: Option<&str> = None;
    for a in &args {
        if a.starts_with('-') {
            previous_flag = (!a.contains('=')).then_some(*a);
            continue;
        }
        if previous_flag.take().is_some_and(takes_value) {
            continue;
        }
        let mut next = path.clone();
        next.push(a);
        if command(&next).is_some() && positional.is_empty() {
            path = next;
        } else {
            positional.push(a);
        }
    }
    if let Some(flag) = previous_flag.filter(|f| takes_value(f)) {
        return match flag {
            "-n" | "--namespace" => world.namespaces().iter().cloned().collect(),
            "-o" | "--output" => ["json", "name", "wide", "yaml"].map(str::to_owned).to_vec(),
            "--type" => [
                "ClusterIP",
                "LoadBalancer",
                "NodePort",
                "merge",
                "strategic",
            ]
            .map(str::to_owned)
            .to_vec(),
            _ => Vec::new(),
        };
    }
    if path.is_empty() {
        return commands()
            .filter(|c| c.words.len() == 1)
            .map(|c| c.words[0].to_owned())
            .collect();
    }
    let Some(cmd) = command(&path) else {
        return Vec::new();
    };
    if word.starts_with('-') {
        return cmd
            .flags
            .iter()
            .map(|f| format!("--{}", f.long))
            .chain(["--namespace".to_owned(), "--help".to_owned()])
            .collect();
    }
    if !cmd.subs.is_empty() && positional.is_empty() {
        return cmd.subs.iter().map(|s| (*s).to_owned()).collect();
    }
    // Node verbs take node names; `exec` a pod; `create` names a new object.
    match path.as_slice() {
        ["cordon"] | ["uncordon"] => return names(world, Kind::Node, ns),
        ["exec"] => return names(world, Kind::Pod, ns),
        ["create", ..] | ["apply"] => return Vec::new(),
        _ => {}
    }
    if let Some((t, _)) = word.split_once('/') {
        return Kind::parse(t).map_or_else(Vec::new, |k| {
            names(world, k, ns)
                .into_iter()
                .map(|n| format!("{t}/{n}"))
                .collect()
        });
    }
    match positional.first() {
        None => kind_words(),
        Some(t) if !t.contains('/') => t
            .split(',')
            .next_back()
            .and_then(Kind::parse)
            .map_or_else(Vec::new, |k| names(world, k, ns)),
        Some(_) => kind_words().into_iter().map(|k| format!("{k}/")).collect(),
    }
}

/// Whether a flag takes the next word as its value.
fn takes_value(flag: &str) -> bool {
    let bools = [
        "-A",
        "--all-namespaces",
        "--all",
        "--show-labels",
        "--no-headers",
        "--show-kind",
        "--overwrite",
        "--list",
        "--ignore-not-found",
        "--show-events",
        "-h",
        "--help",
        "-i",
        "-t",
        "-q",
        "--stdin",
        "--tty",
        "--quiet",
    ];
    !bools.contains(&flag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_world;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn c(line: &str) -> Vec<String> {
        let mut w = default_world(1);
        w.step(3_000);
        Console::new().complete(&w, line).candidates
    }

    #[test]
    fn completes_commands_kinds_names_and_flag_values() {
        assert_eq!(c("kub"), ["kubectl"]);
        assert_eq!(c("kubectl sc"), ["scale"]);
        assert_eq!(c("kubectl get s"), ["service", "services", "svc"]);
        assert_eq!(c("kubectl get svc "), ["dev", "kubernetes", "prod"]);
        assert_eq!(c("kubectl describe deploy/p"), ["deploy/prod"]);
        assert_eq!(c("kubectl create "), ["deployment", "service"]);
        assert_eq!(c("kubectl create service n"), ["nodeport"]);
        assert_eq!(
            c("kubectl get pods -n kube-"),
            ["kube-node-lease", "kube-public", "kube-system"]
        );
        assert_eq!(c("kubectl get pods -o y"), ["yaml"]);
        assert_eq!(c("kubectl cordon node-"), ["node-a", "node-b"]);
        assert_eq!(c("kubectl scale --rep"), ["--replicas"]);
        assert_eq!(c("why svc/p"), ["svc/prod"]);
        let pods = c("kubectl get pods pro");
        assert_eq!(pods.len(), 2);
        assert!(pods.iter().all(|p| p.starts_with("prod-")));
    }

    #[test]
    fn tab_extends_to_the_common_prefix_or_the_one_candidate() {
        let w = default_world(1);
        let console = Console::new();
        let line = "kubectl get deploy/p";
        assert_eq!(
            console.complete(&w, line).apply(line),
            "kubectl get deploy/prod "
        );
        let line = "kubectl get se";
        assert_eq!(
            console.complete(&w, line).apply(line),
            "kubectl get service"
        );
        let line = "kubectl describe svc/";
        assert_eq!(console.complete(&w, line).apply(line), line);
    }
}
