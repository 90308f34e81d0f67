//! The cluster DNS of a running world, as `kubectl exec POD -- nslookup NAME` prints it
//! (busybox): a ClusterIP Service, a headless Service (ready endpoints only, and every
//! endpoint with `publishNotReadyAddresses`), an ExternalName, an unknown name, another
//! namespace, SRV records; and the pod's resolv.conf.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use svcplay_core::World;
use svcplay_core::objects::build::{app, client_pod, http_service, node_in_zone, web_deployment};
use svcplay_core::objects::{
    Container, Namespace, NamespacedName, Object, ObjectMeta, ServiceType,
};
use svcplay_core::world::Command;

fn ns(name: &str) -> Object {
    Object::Namespace(Namespace {
        metadata: ObjectMeta::named("", name),
        ..Namespace::default()
    })
}

/// web (ClusterIP), db (headless, one of two pods broken), db-all (headless, publishing
/// not-ready addresses), ext (ExternalName → web), and api in namespace shop; a
/// busybox pod to run nslookup in.
fn world() -> World {
    let mut w = World::new(5);
    let d = |n: &str| NamespacedName::default_ns(n);
    let mut db = http_service(&d("db"), app("db"));
    db.spec.cluster_ip = "None".into();
    let mut db_all = http_service(&d("db-all"), app("db"));
    db_all.spec.cluster_ip = "None".into();
    db_all.spec.publish_not_ready_addresses = true;
    let mut ext = http_service(&d("ext"), app("none"));
    ext.spec.type_ = ServiceType::ExternalName;
    ext.spec.external_name = "web.default.svc.cluster.local".into();
    ext.spec.selector = None;
    ext.spec.ports.clear();
    let shop = NamespacedName::new("shop", "api");
    let tools = client_pod(
        &d("tools"),
        vec![Container {
            name: "busybox".into(),
            image: "busybox:1.28".into(),
            command: vec!["sleep".into(), "3600".into()],
            ..Container::default()
        }],
    );
    w.apply(Command::Create {
        objects: vec![
            ns("shop"),
            node_in_zone("node-a", "zone-a").into(),
            web_deployment(&d("web"), app("web"), 1).into(),
            http_service(&d("web"), app("web")).into(),
            web_deployment(&d("db"), app("db"), 2).into(),
            db.into(),
            db_all.into(),
            ext.into(),
            web_deployment(&shop, app("api"), 1).into(),
            http_service(&shop, app("api")).into(),
            tools.into(),
        ],
    })
    .unwrap();
    w.step(3_000);
    let broken = w
        .pods()
        .keys()
        .find(|p| p.name.starts_with("db-"))
        .map(|k| (**k).clone())
        .unwrap();
    w.apply(Command::BreakPod { pod: broken }).unwrap();
    w.step(40_000);
    w
}

fn nslookup(w: &World, args: &[&str]) -> (String, String, i32) {
    let out = w
        .nslookup(&NamespacedName::default_ns("tools"), args)
        .unwrap();
    (out.stdout, out.stderr, out.exit_code)
}

fn ip(w: &World, ns: &str, svc: &str) -> String {
    w.services()[&NamespacedName::new(ns, svc)]
        .spec
        .cluster_ip
        .clone()
}

fn pod_ips(w: &World, prefix: &str, ready_only: bool) -> Vec<String> {
    let mut ips: Vec<String> = w
        .pods()
        .values()
        .filter(|p| p.metadata.name.starts_with(prefix) && (!ready_only || p.status.ready))
        .map(|p| p.status.pod_ip.clone())
        .collect();
    ips.sort();
    ips
}

const SERVER: &str =
    "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n";

#[test]
fn a_pods_resolv_conf_is_the_kubelets() {
    let w = world();
    let conf = w.resolv_conf(&NamespacedName::default_ns("tools")).unwrap();
    assert_eq!(
        conf.render(),
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
    assert!(
        w.resolv_conf(&NamespacedName::default_ns("nobody"))
            .is_none()
    );
}

#[test]
fn nslookup_a_cluster_ip_service() {
    let w = world();
    let web = ip(&w, "default", "web");
    assert_eq!(
        nslookup(&w, &["web"]),
        (
            format!("{SERVER}Name:      web\nAddress 1: {web} web.default.svc.cluster.local\n"),
            String::new(),
            0
        )
    );
}

#[test]
fn nslookup_a_headless_service_lists_ready_endpoints_only() {
    let w = world();
    let ready = pod_ips(&w, "db-", true);
    let all = pod_ips(&w, "db-", false);
    assert_eq!((ready.len(), all.len()), (1, 2), "one db pod is broken");
    let (out, _, code) = nslookup(&w, &["db"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("Address ") && !l.contains("10.96.0.10"))
        .collect();
    let dashed = |ip: &str| ip.replace('.', "-");
    assert_eq!(
        lines,
        [format!(
            "Address 1: {} {}.db.default.svc.cluster.local",
            ready[0],
            dashed(&ready[0])
        )]
    );
    let (out, _, _) = nslookup(&w, &["db-all"]);
    let n = out
        .lines()
        .filter(|l| l.starts_with("Address ") && !l.contains("10.96.0.10"))
        .count();
    assert_eq!(n, 2, "publishNotReadyAddresses: both\n{out}");
}

#[test]
fn nslookup_an_external_name_follows_its_cname() {
    let w = world();
    let web = ip(&w, "default", "web");
    assert_eq!(
        nslookup(&w, &["ext"]).0,
        format!("{SERVER}Name:      ext\nAddress 1: {web} web.default.svc.cluster.local\n")
    );
    let (out, _, code) = nslookup(&w, &["-type=cname", "ext.default.svc.cluster.local"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "ext.default.svc.cluster.local\tcanonical name = web.default.svc.cluster.local"
        ),
        "{out}"
    );
}

#[test]
fn nslookup_an_unknown_name_cannot_resolve() {
    let w = world();
    assert_eq!(
        nslookup(&w, &["nope"]),
        (
            SERVER.to_owned(),
            "nslookup: can't resolve 'nope'\n".to_owned(),
            1
        )
    );
}

#[test]
fn nslookup_across_namespaces() {
    let w = world();
    let api = ip(&w, "shop", "api");
    assert_eq!(
        nslookup(&w, &["api.shop"]).0,
        format!("{SERVER}Name:      api.shop\nAddress 1: {api} api.shop.svc.cluster.local\n")
    );
    assert_eq!(
        nslookup(&w, &["api"]).2,
        1,
        "not in the pod's own namespace"
    );
}

#[test]
fn nslookup_srv_names_the_port() {
    let w = world();
    let (out, _, code) = nslookup(
        &w,
        &["-type=srv", "_http._tcp.web.default.svc.cluster.local"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("_http._tcp.web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local"),
        "{out}"
    );
}

#[test]
fn nslookup_in_a_pod_that_is_not_running_is_refused() {
    let mut w = World::new(1);
    w.apply(Command::Create {
        objects: vec![
            client_pod(
                &NamespacedName::default_ns("p"),
                vec![Container {
                    name: "c".into(),
                    image: "busybox".into(),
                    ..Container::default()
                }],
            )
            .into(),
        ],
    })
    .unwrap();
    let err = w
        .nslookup(&NamespacedName::default_ns("p"), &["web"])
        .unwrap_err();
    assert!(err.to_string().contains("Pending"), "{err}");
    let err = w
        .nslookup(&NamespacedName::default_ns("q"), &["web"])
        .unwrap_err();
    assert_eq!(err.to_string(), "pods \"q\" not found");
}
