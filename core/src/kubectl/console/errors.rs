//! kubectl's error text: what `cmdutil.CheckErr` prints for an API error
//! (`Error from server (NotFound): pods "x" not found`, `The Service "x" is invalid:
//! …` with one cause inline or several as `* ` lines), a usage error, and cobra's
//! unknown command with its suggestions.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/util/helpers.go` (`checkErr`, `StandardErrorMessage`, `MultilineError`,
//! `UsageErrorf`); spf13/cobra@v1.9.1 `command.go` (`findSuggestions`,
//! `SuggestionsFor`, `ld`).

use super::resource::Kind;
use crate::error::CommandError;

/// kubectl's top-level commands (all of them, as cobra suggests among them), sorted as
/// cobra sorts them.
const KUBECTL_COMMANDS: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "debug",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "help",
    "kustomize",
    "label",
    "logs",
    "options",
    "patch",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
];

/// `Error: unknown command "foo" for "kubectl"`, with cobra's `Did you mean this?`
/// (cobra prints it, with its own `Error:` prefix and a line end after the message).
/// A real kubectl command the console does not run is named as such.
pub(crate) fn unknown_command(word: &str) -> String {
    if KUBECTL_COMMANDS.contains(&word) {
        return format!(
            "error: kubectl {word} is not modelled by the playground's console (kubectl --help lists what it runs)"
        );
    }
    let lower = word.to_lowercase();
    let suggestions: Vec<&str> = KUBECTL_COMMANDS
        .iter()
        .copied()
        .filter(|c| levenshtein(&lower, c) <= 2 || c.starts_with(&lower))
        .collect();
    let mut out = format!("Error: unknown command {word:?} for \"kubectl\"");
    if !suggestions.is_empty() {
        out.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            out.push_str(&format!("\t{s}\n"));
        }
        out.push('\n');
    }
    out
}

/// cobra's `ld` (case already folded).
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `error: MSG\nSee 'kubectl VERB -h' for help and examples`.
pub(crate) fn usage(path: &str, message: &str) -> String {
    format!("error: {message}\nSee '{path} -h' for help and examples")
}

/// `Error from server (NotFound): pods "x" not found`.
pub(crate) fn not_found(kind: Kind, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} {name:?} not found",
        kind.resource()
    )
}

/// What kubectl prints for a refused command.
pub(crate) fn server(e: &CommandError) -> String {
    use CommandError as E;
    match e {
        E::PodNotFound { .. }
        | E::DeploymentNotFound { .. }
        | E::ServiceNotFound { .. }
        | E::NodeNotFound { .. }
        | E::NamespaceNotFound { .. } => format!("Error from server (NotFound): {e}"),
        E::AlreadyExists { kind, name } => {
            format!("Error from server (AlreadyExists): {kind} {name:?} already exists")
        }
        E::Invalid {
            kind, name, errors, ..
        } => {
            let kind = kind.split('.').next().unwrap_or(kind);
            let prefix = format!("The {kind} {name:?} is invalid: ");
            // `statusCausesToAggrError` drops repeated causes.
            let causes = crate::validation::field::dedup(errors.clone());
            match causes.as_slice() {
                [] => format!("{prefix}{e}"),
                [one] => format!("{prefix}{one}"),
                many => {
                    let mut out = format!("{prefix}\n");
                    for err in many {
                        out.push_str(&format!("* {err}\n"));
                    }
                    out
                }
            }
        }
        E::InvalidLabel { object, detail } => {
            let (kind, name) = object.split_once(' ').unwrap_or(("object", object));
            let mut k = kind.to_owned();
            if let Some(first) = k.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("The {k} {name} is invalid: {detail}")
        }
        E::ReplicasOutOfRange { .. } => {
            format!("error: {e} (a limit of the playground, not of Kubernetes)")
        }
        E::Batch(all) => all
            .iter()
            .map(|(_, e)| server(e))
            .collect::<Vec<_>>()
            .join("\n"),
        other => format!("error: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::field::{Error, Path};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// cobra's own test vector: `TestSuggestions` (`"rot"` suggests `root`); here
    /// kubectl's commands.
    #[test]
    fn unknown_commands_get_cobra_s_suggestions() {
        assert_eq!(
            unknown_command("frobnicate"),
            "Error: unknown command \"frobnicate\" for \"kubectl\""
        );
        // Within cobra's distance of 2: `foo` → `top`.
        assert_eq!(
            unknown_command("foo"),
            "Error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n\n"
        );
        assert_eq!(
            unknown_command("gte"),
            "Error: unknown command \"gte\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\n"
        );
        assert_eq!(
            unknown_command("desc"),
            "Error: unknown command \"desc\" for \"kubectl\"\n\nDid you mean this?\n\tdescribe\n\n"
        );
    }

    #[test]
    fn api_errors_in_kubectl_s_words() {
        assert_eq!(
            server(&CommandError::PodNotFound { name: "x".into() }),
            "Error from server (NotFound): pods \"x\" not found"
        );
        assert_eq!(
            not_found(Kind::Deployment, "web"),
            "Error from server (NotFound): deployments.apps \"web\" not found"
        );
        let port = Path::new("spec").child("ports").index(0).child("port");
        let one = Error::invalid(&port, 70000, "must be between 1 and 65535, inclusive");
        let e = crate::apiserver::validate::invalid("Service", "x", vec![one.clone()]);
        assert_eq!(
            server(&e),
            "The Service \"x\" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"
        );
        let two = Error::required(&Path::new("spec").child("selector"), "");
        let e = crate::apiserver::validate::invalid("Deployment.apps", "web", vec![one, two]);
        assert_eq!(
            server(&e),
            "The Deployment \"web\" is invalid: \n* spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.selector: Required value\n"
        );
        assert_eq!(
            server(&CommandError::AlreadyExists {
                kind: "services",
                name: "x".into()
            }),
            "Error from server (AlreadyExists): services \"x\" already exists"
        );
    }
}
