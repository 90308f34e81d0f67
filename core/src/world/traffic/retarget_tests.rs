//! A stream pointed at an imported Service: one `EditClient` that rewrites the client
//! pod's target, recorded, exported, and whose requests then reach the new Service's
//! pods; refusals (a bad URL, a second stream to one Service) change nothing.

#![allow(clippy::unwrap_used)]

use crate::World;
use crate::apps::LoadEdit;
use crate::manifest::{apply_import, export_world};
use crate::objects::NamespacedName;
use crate::scenario::{self, DEFAULT_SEED};
use crate::world::Command;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const SHOP: &str = "apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: carts, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: carts}}
  template:
    metadata: {labels: {app: carts}}
    spec:
      containers: [{name: carts, image: weaveworksdemos/carts, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: carts, namespace: shop}
spec:
  selector: {app: carts}
  ports: [{port: 8081, targetPort: 8080}]
";

/// The default world with `shop/carts` imported, every pod ready, logs drained.
fn with_shop() -> World {
    let mut w = scenario::default_world(DEFAULT_SEED);
    apply_import(&mut w, SHOP).unwrap();
    w.step(5_000);
    w.drain_requests();
    w.drain_events();
    w
}

fn retarget(client: &str, from: &str, url: &str) -> Command {
    Command::EditClient {
        client: client.into(),
        service: NamespacedName::default_ns(from),
        edit: LoadEdit {
            target: Some(url.into()),
            ..LoadEdit::default()
        },
    }
}

fn served_by_carts(w: &World) -> u64 {
    w.pods()
        .keys()
        .filter(|p| p.namespace == "shop")
        .map(|p| w.requests_served(p))
        .sum()
}

#[test]
fn a_stream_retargeted_to_an_imported_service_reaches_its_pods() {
    let mut w = with_shop();
    let carts = NamespacedName::new("shop", "carts");
    let url = w
        .retarget_url("client", &NamespacedName::default_ns("prod"), &carts)
        .unwrap();
    assert_eq!(
        url, "http://carts.shop:8081/hostname",
        "scheme and path kept"
    );
    assert_eq!(served_by_carts(&w), 0);
    w.apply(retarget("client", "prod", &url)).unwrap();
    // The pod's command line says it, so an export runs the same traffic.
    let pod = w.pod(&NamespacedName::default_ns("client")).unwrap();
    let prod = pod
        .spec
        .containers
        .iter()
        .find(|c| c.name == "prod")
        .unwrap();
    assert_eq!(
        prod.args.join(" "),
        "load -qps 8 -c 1 -t 0 -keepalive=false http://carts.shop:8081/hostname"
    );
    assert!(export_world(&w).contains("- http://carts.shop:8081/hostname\n"));
    let stream = w
        .clients()
        .iter()
        .find(|c| c.load.target.port == 8081)
        .unwrap();
    assert_eq!(stream.service.as_ref(), Some(&carts));
    assert!(matches!(
        w.history().unwrap().last().map(|r| &r.command),
        Some(Command::EditClient { .. })
    ));
    assert_eq!(
        w.drain_events()
            .into_iter()
            .map(|e| e.message)
            .collect::<Vec<_>>(),
        [
            "client client now sends to http://carts.shop:8081/hostname instead of http://prod/hostname"
        ]
    );
    w.step(1_000);
    let to_carts = w
        .drain_requests()
        .iter()
        .filter(|r| r.client == "client" && r.service.as_ref() == Some(&carts))
        .count();
    assert_eq!(to_carts, 8, "-qps 8 for one second");
    assert_eq!(served_by_carts(&w), 8);
    // The card finds the stream under its new Service.
    w.apply(Command::SetClientRate {
        client: "client".into(),
        service: carts,
        rate_per_sec: 3,
    })
    .unwrap();
}

#[test]
fn a_bad_target_or_a_second_stream_to_one_service_changes_nothing() {
    let mut w = with_shop();
    let before = w.dump();
    let history = w.history().unwrap().len();
    let err = w
        .apply(retarget("client", "prod", "ftp://carts.shop/"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "client \"client\": target: Invalid value: \"ftp://carts.shop/\": unsupported protocol scheme \"ftp\""
    );
    let err = w
        .apply(retarget("client", "prod", "http://dev/"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "client \"client\" already sends requests to service \"dev\""
    );
    let err = w
        .apply(retarget("user", "prod", "http://dev/"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "client \"user\": the outside user opens one connection per request; only its rate changes"
    );
    let missing = NamespacedName::new("shop", "orders");
    assert_eq!(
        w.retarget_url("client", &NamespacedName::default_ns("prod"), &missing)
            .unwrap_err()
            .to_string(),
        "services \"orders\" not found"
    );
    assert_eq!(w.dump(), before);
    assert_eq!(w.history().unwrap().len(), history);
}
