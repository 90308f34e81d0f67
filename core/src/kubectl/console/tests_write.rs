//! Table tests of the verbs that change the world, per verb and kind: kubectl's success
//! line, or its error, and the change in the world (a refused line changes nothing).

use super::tests_read::{run, small_world};
use super::*;
use crate::objects::NamespacedName;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn key(name: &str) -> NamespacedName {
    NamespacedName::default_ns(name)
}

/// `(line, stdout, stderr)`: each runs in turn on one world.
fn table(w: &mut World, cases: &[(&str, &str, &str)]) {
    for (line, out, err) in cases {
        let before = w.dump();
        let got = run(w, line);
        let ok = err.is_empty() || err.starts_with("No resources found");
        assert_eq!(
            (got.stdout.as_str(), got.stderr.as_str(), got.ok),
            (*out, *err, ok),
            "{line}"
        );
        if !got.ok && got.stdout.is_empty() {
            assert_eq!(w.dump(), before, "a refused line changes nothing: {line}");
        }
    }
}

#[test]
fn scale_per_kind() {
    let mut w = small_world();
    table(
        &mut w,
        &[
            (
                "kubectl scale deploy/web --replicas=5",
                "deployment.apps/web scaled\n",
                "",
            ),
            (
                "kubectl scale --replicas=3 deployment web",
                "deployment.apps/web scaled\n",
                "",
            ),
            (
                "kubectl scale deploy web --current-replicas=2 --replicas=4",
                "",
                "error: Expected replicas to be 2, was 3\n",
            ),
            (
                "kubectl scale deploy web",
                "",
                "error: required flag(s) \"replicas\" not set\n",
            ),
            (
                "kubectl scale deploy web --replicas=-1",
                "",
                "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n",
            ),
            (
                "kubectl scale deploy nope --replicas=1",
                "",
                "Error from server (NotFound): deployments.apps \"nope\" not found\n",
            ),
            (
                "kubectl scale svc web --replicas=1",
                "",
                "Error from server (NotFound): the server could not find the requested resource\n",
            ),
            (
                "kubectl scale deploy --replicas=1",
                "",
                "error: resource(s) were provided, but no name was specified\n",
            ),
        ],
    );
    assert_eq!(w.deployments()[&key("web")].spec.replicas, Some(3));
}

#[test]
fn delete_per_kind() {
    let mut w = small_world();
    let pod = w.pods().keys().next().unwrap().name.clone();
    let first = format!("pod \"{pod}\" deleted from default namespace\n");
    table(
        &mut w,
        &[
            (&format!("kubectl delete pod {pod}"), &first, ""),
            // A second delete of a terminating pod answers with the object again.
            (&format!("kubectl delete po/{pod}"), &first, ""),
            (
                "kubectl delete pod nope",
                "",
                "Error from server (NotFound): pods \"nope\" not found\n",
            ),
            ("kubectl delete pod nope --ignore-not-found", "", ""),
            ("kubectl delete svc web -o name", "service/web\n", ""),
            (
                "kubectl delete deploy web",
                "deployment.apps \"web\" deleted from default namespace\n",
                "",
            ),
            (
                "kubectl delete node node-a",
                "node \"node-a\" deleted\n",
                "",
            ),
            (
                "kubectl delete pods -l app=nothing",
                "",
                "No resources found\n",
            ),
            (
                "kubectl delete ep web",
                "",
                "Error from server (NotFound): endpoints \"web\" not found\n",
            ),
            (
                "kubectl delete pods -o wide x",
                "",
                "error: unexpected -o output mode: wide. We only support '-o name'\n",
            ),
        ],
    );
    assert!(!w.services().contains_key(&key("web")));
    assert!(!w.deployments().contains_key(&key("web")));
    assert!(w.nodes().is_empty());
}

#[test]
fn label_per_kind() {
    let mut w = small_world();
    let pod = w.pods().keys().next().unwrap().name.clone();
    table(
        &mut w,
        &[
            (
                "kubectl label svc web tier=front",
                "service/web labeled\n",
                "",
            ),
            (
                "kubectl label svc web tier=front",
                "service/web not labeled\n",
                "",
            ),
            (
                "kubectl label svc web tier=back",
                "",
                "error: 'tier' already has a value (front), and --overwrite is false\n",
            ),
            (
                "kubectl label svc web tier=back --overwrite",
                "service/web labeled\n",
                "",
            ),
            (
                "kubectl label svc web tier- team=a",
                "service/web modified\n",
                "",
            ),
            (
                "kubectl label deploy web team=a",
                "deployment.apps/web labeled\n",
                "",
            ),
            (
                &format!("kubectl label pod {pod} canary=true"),
                &format!("pod/{pod} labeled\n"),
                "",
            ),
            (
                &format!("kubectl label pod {pod} gone-"),
                &format!("label \"gone\" not found.\npod/{pod} not labeled\n"),
                "",
            ),
            (
                "kubectl label svc web 'a=b c'",
                "",
                "error: invalid label value: \"a=b c\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n",
            ),
            (
                "kubectl label svc web a=b extra",
                "",
                "error: all resources must be specified before label changes: extra\n",
            ),
            (
                "kubectl label svc web",
                "",
                "error: at least one label update is required\n",
            ),
            ("kubectl label svc web --list", "team=a\n", ""),
            (
                "kubectl label node node-a x=y",
                "",
                "error: labeling node is not modelled by the playground's console (it labels pods, services and deployments)\n",
            ),
        ],
    );
    assert_eq!(
        w.services()[&key("web")]
            .metadata
            .labels
            .get("team")
            .map(String::as_str),
        Some("a")
    );
    assert!(w.pods()[&key(&pod)].metadata.labels.contains_key("canary"));
}

#[test]
fn create_expose_and_set_selector() {
    let mut w = small_world();
    table(
        &mut w,
        &[
            (
                "kubectl create deployment api --image=registry.k8s.io/echoserver:1.10 --replicas=2 --port=8080",
                "deployment.apps/api created\n",
                "",
            ),
            (
                "kubectl create deploy api --image=nginx",
                "",
                "Error from server (AlreadyExists): deployments.apps \"api\" already exists\n",
            ),
            (
                "kubectl create deployment Bad --image=nginx",
                "",
                "The Deployment \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n",
            ),
            (
                "kubectl create deployment x",
                "",
                "error: required flag(s) \"image\" not set\n",
            ),
            ("kubectl expose deployment api", "service/api exposed\n", ""),
            (
                "kubectl expose deploy web --name=web-np --type=NodePort --port=80 --target-port=http",
                "service/web-np exposed\n",
                "",
            ),
            (
                "kubectl expose deploy web --name=bad --port=70000",
                "",
                "The Service \"bad\" is invalid: \n* spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n",
            ),
            (
                "kubectl expose node node-a",
                "",
                "error: cannot expose a Node\n",
            ),
            (
                "kubectl create service nodeport nodes --tcp=80:8080",
                "service/nodes created\n",
                "",
            ),
            (
                "kubectl create service clusterip x --tcp=70000",
                "",
                "error: strconv.ParseUint: parsing \"70000\": value out of range\n",
            ),
            (
                "kubectl create service loadbalancer x",
                "",
                "error: at least one tcp port specifier must be provided\n",
            ),
            (
                "kubectl set selector svc nodes app=api",
                "service/nodes selector updated\n",
                "",
            ),
            (
                "kubectl set selector deploy web app=api",
                "",
                "error: setting a selector is only supported for Services\n",
            ),
        ],
    );
    let api = &w.services()[&key("api")];
    assert_eq!(
        (
            api.spec.ports[0].port,
            api.spec.ports[0].target_port.to_string().as_str()
        ),
        (8080, "8080")
    );
    assert_eq!(api.spec.selector, Some(crate::objects::build::app("api")));
    let port = w.services()[&key("web-np")].spec.ports[0].node_port;
    assert!(port >= 30000);
    let nodes = &w.services()[&key("nodes")];
    assert_eq!(nodes.spec.ports[0].name, "80-8080");
    assert_eq!(nodes.spec.selector, Some(crate::objects::build::app("api")));
    let d = &w.deployments()[&key("api")];
    assert_eq!(d.spec.template.spec.containers[0].name, "echoserver");
    let out = run(&mut w, "kubectl get svc web-np");
    assert!(
        out.stdout.contains(&format!("80:{port}/TCP")),
        "{}",
        out.stdout
    );
}

#[test]
fn apply_patch_rollout_and_cordon() {
    let mut w = small_world();
    let mut c = Console::new();
    let manifest = "apiVersion: v1\nkind: Service\nmetadata:\n  name: echo\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n";
    let out = c.run_with_stdin(&mut w, "kubectl apply -f -", Some(manifest));
    assert_eq!(
        (out.stdout.as_str(), out.ok),
        ("service/echo created\n", true)
    );
    let out = c.run_with_stdin(&mut w, "kubectl apply -f -", Some(manifest));
    assert_eq!(out.stdout, "service/echo unchanged\n");
    let nodeport = manifest.replace("spec:\n", "spec:\n  type: NodePort\n");
    let out = c.run_with_stdin(&mut w, "kubectl apply -f -", Some(&nodeport));
    assert_eq!(out.stdout, "service/echo configured\n");
    let out = c.run_with_stdin(&mut w, "kubectl create -f -", Some(manifest));
    assert_eq!(
        out.stderr,
        "Error from server (AlreadyExists): error when creating \"STDIN\": services \"echo\" already exists\n"
    );
    let bad = manifest.replace("port: 80", "port: 70000");
    let out = c.run_with_stdin(&mut w, "kubectl apply -f -", Some(&bad));
    assert_eq!(
        out.stderr,
        "The Service \"echo\" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n"
    );
    assert_eq!(
        c.run(&mut w, "kubectl apply -f -").stderr,
        "error: no objects passed to apply\n"
    );
    assert_eq!(
        c.run(&mut w, "kubectl apply -f app.yaml").stderr,
        "error: the path \"app.yaml\" does not exist\n"
    );
    table(
        &mut w,
        &[
            (
                "kubectl patch svc echo --type=merge -p '{\"spec\":{\"type\":\"LoadBalancer\"}}'",
                "service/echo patched\n",
                "",
            ),
            (
                "kubectl patch svc echo -p '{\"spec\":{\"type\":\"LoadBalancer\"}}'",
                "service/echo patched (no change)\n",
                "",
            ),
            (
                "kubectl patch deploy web -p '{\"spec\":{\"replicas\":3}}'",
                "deployment.apps/web patched\n",
                "",
            ),
            (
                "kubectl patch svc echo -p 'spec: {ports: [{port: 70000}]}' --type=merge",
                "",
                "The Service \"echo\" is invalid: \n* spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n",
            ),
            (
                "kubectl patch svc echo --type=json -p '[]'",
                "",
                "error: --type=json is not modelled by the playground's console (use --type=merge or strategic)\n",
            ),
            (
                "kubectl patch svc echo",
                "",
                "error: must specify --patch or --patch-file containing the contents of the patch\n",
            ),
            (
                "kubectl rollout restart deployment/web",
                "deployment.apps/web restarted\n",
                "",
            ),
            (
                "kubectl rollout restart deploy web",
                "",
                "failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another\n",
            ),
            (
                "kubectl rollout restart svc/echo",
                "",
                "error: services \"echo\" restarting is not supported\n",
            ),
            ("kubectl cordon node-a", "node/node-a cordoned\n", ""),
            (
                "kubectl cordon node-a",
                "node/node-a already cordoned\n",
                "",
            ),
            ("kubectl uncordon node-a", "node/node-a uncordoned\n", ""),
            (
                "kubectl cordon nope",
                "",
                "Error from server (NotFound): nodes \"nope\" not found\n",
            ),
            (
                "kubectl cordon",
                "",
                "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n",
            ),
        ],
    );
    assert_eq!(
        w.services()[&key("echo")].spec.type_.as_str(),
        "LoadBalancer"
    );
    // The restart replaced the pods: the old ones run out their grace period.
    let terminating = w
        .pods()
        .values()
        .filter(|p| p.metadata.is_terminating())
        .count();
    assert_eq!(terminating, 3);
    let new = w
        .pods()
        .values()
        .filter(|p| !p.metadata.is_terminating())
        .filter(|p| p.metadata.annotations.contains_key(edit::RESTARTED_AT))
        .count();
    assert_eq!(new, 3);
}
