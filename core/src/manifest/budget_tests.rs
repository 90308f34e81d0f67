use crate::manifest::import;

use crate::objects::build::node_in_zone;
use crate::world::Command;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn deployment(name: &str, app: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n"
    )
}

fn service(name: &str, app: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app: {app}\n  ports:\n  - port: 80\n"
    )
}

fn refusals(docs: &[String]) -> Vec<String> {
    let report = import(&docs.join("---\n")).map(|_| Vec::new());
    report.unwrap_or_else(|e| e.0.iter().map(ToString::to_string).collect())
}

#[test]
fn every_service_counts_the_pods_it_selects() {
    // 1,000 pods selected by 10 Services: 10,000 endpoints fit, the 11th Service not.
    let mut docs = vec![deployment("web", "web", 1_000)];
    docs.extend((0..10).map(|i| service(&format!("s{i}"), "web")));
    assert_eq!(refusals(&docs), Vec::<String>::new());
    docs.push(service("s10", "web"));
    assert_eq!(
        refusals(&docs),
        [
            "document 12, line 125, column 5: Service/s10: spec.selector: Invalid value: map[app:web]: 11000 endpoints in all with this one: must have at most 10000 endpoints (svcplay's limit MAX_ENDPOINTS; see README, Limits)"
        ]
    );
    // Services first, pods after: the pods are refused where they are asked for.
    let mut docs: Vec<String> = (0..11).map(|i| service(&format!("s{i}"), "web")).collect();
    docs.push(deployment("web", "web", 1_000));
    let e = refusals(&docs);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("Deployment/web: spec.replicas: Invalid value: 1000: 11000 endpoints in all with these pods"), "{e:?}");
}

#[test]
fn services_and_nodes_are_counted_with_what_the_world_holds() {
    let mut world = crate::World::new(1);
    world
        .apply(Command::Create {
            objects: vec![node_in_zone("n0", "z").into()],
        })
        .unwrap();
    let nodes: String = (1..=10)
        .map(|i| format!("---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n{i}\n"))
        .collect();
    let e = crate::manifest::apply_import(&mut world, &nodes).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert!(
        e.0[0].to_string().ends_with("Node/n10: metadata.name: Invalid value: \"n10\": 11 in all with this one: must have at most 10 Nodes (svcplay's limit MAX_NODES; see README, Limits)"),
        "{}",
        e.0[0]
    );
    assert_eq!(world.nodes().len(), 1, "nothing applied");
    let services: Vec<String> = (0..101).map(|i| service(&format!("s{i}"), "x")).collect();
    let e = refusals(&services);
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("Service/s100: metadata.name: Invalid value: \"s100\": 101 in all with this one: must have at most 100 Services"), "{e:?}");
}

#[test]
fn a_service_in_another_namespace_selects_nothing_here() {
    let mut docs = vec![deployment("web", "web", 1_000)];
    docs.extend((0..10).map(|i| service(&format!("s{i}"), "web")));
    let other = service("s10", "web").replace("name: s10", "name: s10\n  namespace: other");
    docs.push(other);
    assert_eq!(refusals(&docs), Vec::<String>::new());
}
