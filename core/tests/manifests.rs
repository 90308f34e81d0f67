//! Real-world manifests (guestbook, Online Boutique, bookinfo) load, round-trip through
//! export, and give every Service the endpoints its Deployments' pods give it; broken
//! manifests fail with the document, line, column and field of each error.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use svcplay_core::World;
use svcplay_core::manifest::{
    ImportErrors, NoticeKind, Object, Problem, apply_import, export, export_world, import,
};

use svcplay_core::objects::build::node_in_zone;
use svcplay_core::objects::{NamespacedName, Protocol, ServiceType};
use svcplay_core::world::Command;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const GUESTBOOK: &str = include_str!("manifests/guestbook/guestbook-all-in-one.yaml");
const BOUTIQUE: &str = include_str!("manifests/online-boutique/kubernetes-manifests.yaml");
const BOOKINFO: &str = include_str!("manifests/bookinfo/bookinfo.yaml");

fn kinds(text: &str) -> BTreeMap<&'static str, usize> {
    let report = import(text).unwrap_or_else(|e| panic!("{e}"));
    let mut out = BTreeMap::new();
    for o in &report.objects {
        *out.entry(o.kind()).or_insert(0) += 1;
    }
    out
}

fn world_with(text: &str) -> World {
    let mut w = World::new(7);
    for (i, zone) in ["zone-a", "zone-b", "zone-c"].iter().enumerate() {
        w.apply(Command::Create {
            objects: vec![node_in_zone(&format!("node-{i}"), zone).into()],
        })
        .unwrap();
    }
    apply_import(&mut w, text).unwrap_or_else(|e| panic!("{e}"));
    // Probes: Online Boutique's longest initial delay is 20 s, periods up to 15 s.
    w.step(60_000);
    w
}

fn ready_counts(w: &World) -> BTreeMap<String, usize> {
    w.services()
        .keys()
        .filter(|s| !w.is_built_in_service(s))
        .map(|s| (s.name.clone(), w.ready_endpoints(s).len()))
        .collect()
}

fn expect(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[test]
fn every_app_loads_with_its_kinds_and_skips_service_accounts_with_a_notice() {
    assert_eq!(
        kinds(GUESTBOOK),
        BTreeMap::from([("Deployment", 3), ("Service", 3)])
    );
    assert_eq!(
        kinds(BOOKINFO),
        BTreeMap::from([("Deployment", 6), ("Service", 4)])
    );
    assert_eq!(
        kinds(BOUTIQUE),
        BTreeMap::from([("Deployment", 12), ("Service", 12)])
    );
    let report = import(BOOKINFO).unwrap_or_else(|e| panic!("{e}"));
    let skipped: Vec<_> = report
        .notices
        .iter()
        .filter(
            |n| matches!(&n.kind, NoticeKind::UnknownKind { kind, .. } if kind == "ServiceAccount"),
        )
        .map(|n| (n.document, n.position.line))
        .collect();
    assert_eq!(skipped, vec![(2, 46), (5, 97), (8, 148), (13, 292)]);
    let unknown: Vec<_> = report
        .notices
        .iter()
        .filter(|n| n.kind == NoticeKind::UnknownField && n.document == 3)
        .map(|n| n.field.as_str())
        .collect();
    assert_eq!(
        unknown,
        vec![
            "spec.template.spec.serviceAccountName",
            "spec.template.spec.containers[0].imagePullPolicy",
        ]
    );
}

#[test]
fn guestbook_services_get_their_deployments_pods() {
    let w = world_with(GUESTBOOK);
    let want = expect(&[("frontend", 3), ("redis-master", 1), ("redis-replica", 2)]);
    assert_eq!(ready_counts(&w), want);
}

#[test]
fn bookinfo_reviews_gets_all_three_versions() {
    let w = world_with(BOOKINFO);
    let want = expect(&[
        ("details", 1),
        ("productpage", 1),
        ("ratings", 1),
        ("reviews", 3),
    ]);
    assert_eq!(ready_counts(&w), want);
    let mut reviews: Vec<String> = w
        .ready_endpoints(&NamespacedName::default_ns("reviews"))
        .iter()
        .map(|p| {
            p.metadata
                .labels
                .get("version")
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    reviews.sort();
    assert_eq!(reviews, ["v1", "v2", "v3"]);
}

#[test]
fn online_boutique_every_service_has_its_one_pod_and_frontend_external_gets_node_ports() {
    let w = world_with(BOUTIQUE);
    let mut want: BTreeMap<String, usize> = BTreeMap::new();
    for s in [
        "adservice",
        "cartservice",
        "checkoutservice",
        "currencyservice",
        "emailservice",
        "frontend",
        "frontend-external",
        "paymentservice",
        "productcatalogservice",
        "recommendationservice",
        "redis-cart",
        "shippingservice",
    ] {
        want.insert(s.to_owned(), 1);
    }
    assert_eq!(
        ready_counts(&w).into_iter().filter(|(_, n)| *n > 0).count(),
        12
    );
    let counts = ready_counts(&w);
    for (s, n) in &want {
        assert_eq!(counts.get(s), Some(n), "service {s}");
    }
    let ext = &w.services()[&NamespacedName::default_ns("frontend-external")];
    assert_eq!(ext.spec.type_, ServiceType::LoadBalancer);
    let port = ext.spec.ports[0].node_port;
    assert!((30000..=32767).contains(&port), "node port {port}");
    assert!(
        ext.spec.cluster_ip.starts_with("10."),
        "{}",
        ext.spec.cluster_ip
    );
    // The simulated cloud's load balancer gives it the first address of its pool.
    let ingress: Vec<&str> = ext
        .status
        .load_balancer
        .ingress
        .iter()
        .map(|i| i.ip.as_str())
        .collect();
    assert_eq!(ingress, ["203.0.113.10"]);
}

#[test]
fn import_of_export_reproduces_the_objects() {
    for text in [GUESTBOOK, BOUTIQUE, BOOKINFO] {
        let first = import(text).unwrap_or_else(|e| panic!("{e}"));
        let yaml = export(&first.objects);
        let again = import(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(again.objects, first.objects);
        assert!(again.notices.is_empty(), "{:?}", again.notices);
    }
}

#[test]
fn a_world_exports_what_the_user_made_and_imports_to_the_same_endpoints() {
    let w = world_with(BOOKINFO);
    let yaml = export_world(&w);
    assert!(!yaml.contains("uid:"), "{yaml}");
    assert!(!yaml.contains("pod-template-hash"), "{yaml}");
    // Nothing the cluster allocated or reports: the next cluster allocates its own.
    for server_set in ["clusterIP", "ipFamilies", "nodePort:", "status:"] {
        assert!(!yaml.contains(server_set), "{server_set} in\n{yaml}");
    }
    let mut again = World::new(7);
    apply_import(&mut again, &yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    again.step(60_000);
    assert_eq!(ready_counts(&again), ready_counts(&w));
    assert_eq!(
        export_world(&again),
        yaml,
        "an export imports to the same world"
    );
}

fn errors(text: &str) -> ImportErrors {
    match import(text) {
        Ok(r) => panic!("imported {} objects", r.objects.len()),
        Err(e) => e,
    }
}

fn first(text: &str) -> (usize, usize, usize, String, String) {
    let e = &errors(text).0[0];
    (
        e.document,
        e.line(),
        e.column(),
        e.field.clone(),
        e.problem.to_string(),
    )
}

#[test]
fn a_type_error_deep_in_the_second_document_has_its_position_and_path() {
    let text = format!(
        "{}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers:\n      - name: a\n        image: x\n        ports:\n        - containerPort: eighty\n",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"
    );
    assert_eq!(
        first(&text),
        (
            2,
            17,
            26,
            "spec.template.spec.containers[0].ports[0].containerPort".to_owned(),
            "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32".to_owned()
        )
    );
}

#[test]
fn a_syntax_error_has_the_parser_s_position() {
    let (doc, line, col, field, msg) = first(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [Service\nmetadata: {}\n",
    );
    assert_eq!((doc, line, col, field.as_str()), (2, 6, 9, ""));
    assert!(msg.contains("did not find expected ',' or ']'"), "{msg}");
}

const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports:\n  - port: 80\n    nodePort: {port}\n";

fn svc(name: &str, port: u16) -> String {
    SVC.replace("{name}", name)
        .replace("{port}", &port.to_string())
}

#[test]
fn a_node_port_requested_twice_and_a_name_used_twice_are_refused_where_they_are() {
    let text = [svc("a", 30080), svc("b", 30080), svc("a", 30081)].join("---\n");
    let errs = errors(&text).0;
    let got: Vec<_> = errs
        .iter()
        .map(|e| (e.document, e.line(), e.column(), e.to_string()))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, 21, 15, "document 2, line 21, column 15: Service/b: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated".to_owned()),
            (3, 26, 9, "document 3, line 26, column 9: Service/a: metadata.name: Duplicate value: \"a\": also defined in document 1".to_owned()),
        ]
    );
}

#[test]
fn invalid_labels_selectors_and_a_selector_that_misses_its_template_are_field_errors() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {\"bad key!\": x}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: c, image: i}]\n";
    let errs = errors(text).0;
    let got: Vec<_> = errs.iter().map(|e| (e.line(), e.field.clone())).collect();
    assert_eq!(
        got,
        vec![
            (5, "metadata.labels".to_owned()),
            (9, "spec.template.metadata.labels".to_owned())
        ]
    );
    let Problem::Field(f) = &errs[1].problem else {
        panic!("{:?}", errs[1])
    };
    assert_eq!(
        f.to_string(),
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`"
    );
}

#[test]
fn a_list_is_read_item_by_item_and_unknown_kinds_are_notices() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec:\n    ports: [{port: 80}]\n    bogus: 1\n";
    let r = import(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.objects.len(), 1);
    let Object::Service(s) = &r.objects[0] else {
        panic!()
    };
    assert_eq!(s.spec.ports[0].target_port.to_string(), "80");
    assert_eq!(s.spec.ports[0].protocol, Protocol::Tcp);
    let notes: Vec<String> = r.notices.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        vec![
            "document 1, line 4, column 3: skipped v1 ConfigMap: kind not modelled by the playground",
            "document 1, line 12, column 12: ignored field items[1].spec.bogus: not modelled",
        ]
    );
}

#[test]
fn json_imports_like_yaml() {
    let text = r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"app": "web"}},
 "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": "x"}]}]}}"#;
    let (doc, line, col, field, _) = first(text);
    assert_eq!(
        (doc, line, col, field.as_str()),
        (1, 2, 82, "spec.containers[0].ports[0].containerPort")
    );
}

#[test]
fn apply_import_changes_nothing_when_anything_is_wrong() {
    let mut w = world_with(GUESTBOOK);
    let before = w.dump();
    // One good Service, then one that clashes with the world's `frontend`.
    let text = [svc("fresh", 30500), svc("frontend", 30501)].join("---\n");
    let errs = apply_import(&mut w, &text)
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
    assert_eq!(errs.len(), 1);
    assert_eq!((errs[0].document, errs[0].line()), (2, 15));
    assert_eq!(w.dump(), before);
    // A node port the world already holds (guestbook's frontend is a NodePort) is refused.
    let taken = w.services()[&NamespacedName::default_ns("frontend")]
        .spec
        .ports[0]
        .node_port;
    assert!((30000..=32767).contains(&taken), "{taken}");
    let errs = apply_import(&mut w, &svc("other", taken as u16))
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(
        (errs[0].field.as_str(), errs[0].line()),
        ("spec.ports[0].nodePort", 10)
    );
    assert_eq!(
        errs[0].problem.to_string(),
        format!(
            "spec.ports[0].nodePort: Invalid value: {taken}: provided port is already allocated"
        )
    );
    assert_eq!(w.dump(), before);
    apply_import(&mut w, &svc("fresh", 30500)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        w.services()[&NamespacedName::default_ns("fresh")]
            .spec
            .ports[0]
            .node_port,
        30500
    );
}

#[test]
fn nodes_read_their_api_status_and_export_it_back() {
    let text = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  uid: 8c1d-ab\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\n  labels: {topology.kubernetes.io/zone: z1}\nspec: {podCIDR: 10.244.7.0/24}\nstatus:\n  addresses: [{type: InternalIP, address: 192.168.5.5}, {type: Hostname, address: n1}]\n  conditions: [{type: Ready, status: \"False\", reason: KubeletNotReady}]\n  capacity: {cpu: \"4\"}\n";
    let r = import(text).unwrap_or_else(|e| panic!("{e}"));
    let Object::Node(n) = &r.objects[0] else {
        panic!()
    };
    assert_eq!(
        (n.status.node_ip.as_str(), n.status.ready),
        ("192.168.5.5", false)
    );
    assert_eq!(n.spec.pod_cidr, "10.244.7.0/24");
    let fields: Vec<(&str, &NoticeKind)> = r
        .notices
        .iter()
        .map(|n| (n.field.as_str(), &n.kind))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("metadata.uid", &NoticeKind::ServerSet),
            ("metadata.creationTimestamp", &NoticeKind::ServerSet),
            ("status.conditions[0].reason", &NoticeKind::UnknownField),
            ("status.capacity", &NoticeKind::UnknownField),
        ]
    );
    // `kubectl apply` takes no status: the export leaves the node's out (its address
    // is the kubelet's to report); a link's scenario keeps it (see `share`).
    let yaml = export(&r.objects);
    assert!(
        !yaml.contains("status") && !yaml.contains("192.168.5.5"),
        "{yaml}"
    );
    let again = import(&yaml).unwrap_or_else(|e| panic!("{e}")).objects;
    let Object::Node(m) = &again[0] else {
        panic!("{again:?}")
    };
    assert_eq!(
        (m.metadata.name.as_str(), m.spec.pod_cidr.as_str(), m.zone()),
        ("n1", "10.244.7.0/24", Some("z1"))
    );
    assert_eq!(
        m.status.node_ip, "",
        "the next cluster's kubelet reports it"
    );
}

#[test]
fn lenient_import_keeps_the_good_objects_and_names_the_bad_ones() {
    let text = [svc("a", 30080), svc("b", 30080), svc("c", 0)].join("---\n");
    let (report, errs) = svcplay_core::manifest::import_lenient(&text);
    let names: Vec<&str> = report
        .objects
        .iter()
        .map(|o| o.meta().name.as_str())
        .collect();
    assert_eq!(names, ["a", "c"]);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].object.as_deref(), Some("Service/b"));
}

#[test]
fn wrong_types_read_as_the_api_server_reports_them() {
    let svc = |spec: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {{version: 2}}\nspec:\n{spec}"
        )
    };
    let msgs = |text: &str| -> Vec<String> {
        errors(text)
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.problem))
            .collect()
    };
    assert_eq!(
        msgs(&svc("  ports:\n  - port: 80\n    targetPort: true\n")),
        vec![
            "metadata.labels.version: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
            "spec.ports[0].targetPort: json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32",
        ]
    );
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  terminationGracePeriodSeconds: -5\n  containers:\n  - name: c\n    ports: 8080\n";
    assert_eq!(
        msgs(pod),
        vec![
            "spec.terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0",
            "spec.containers[0].ports: json: cannot unmarshal number into Go struct field Container.spec.containers.ports of type []v1.ContainerPort",
        ]
    );
    let port = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 99999999999\n      protocol: HTTP\n";
    assert_eq!(
        msgs(port),
        vec![
            "spec.containers[0].ports[0].containerPort: json: cannot unmarshal number 99999999999 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
        ],
        "a document that does not decode is refused before validation, as the API server does"
    );
    let protocol = port
        .replace("99999999999", "8080")
        .replace("- name: c\n", "- name: c\n    image: agnhost\n");
    assert_eq!(
        msgs(&protocol),
        vec![
            "spec.containers[0].ports[0].protocol: spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        ]
    );
}

#[test]
fn null_leaves_a_field_at_its_zero_value_as_in_go() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: null\nspec:\n  selector: {app: web}\n  type: null\n  ports:\n  - port: 80\n    name: ~\n";
    let report = import(text).unwrap_or_else(|e| panic!("{e}"));
    let Object::Service(s) = &report.objects[0] else {
        panic!("{:?}", report.objects)
    };
    assert!(s.metadata.labels.is_empty());
    assert_eq!(s.spec.type_, ServiceType::ClusterIp, "defaulted after null");
    assert_eq!(s.spec.ports[0].name, "");
}

#[test]
fn imported_nodes_keep_their_address_pod_cidr_and_labels() {
    let node = |name: &str, ip: &str, cidr: &str| {
        format!(
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels: {{kubernetes.io/hostname: {name}, disktype: ssd}}\nspec: {{podCIDR: {cidr}}}\nstatus:\n  addresses: [{{type: InternalIP, address: {ip}}}]\n---\n"
        )
    };
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n";
    let text = format!(
        "{}{}{deploy}",
        node("w1", "10.0.3.7", "172.16.4.0/26"),
        node("w2", "10.0.3.8", "172.16.4.64/26")
    );
    let mut w = World::new(1);
    apply_import(&mut w, &text).unwrap_or_else(|e| panic!("{e}"));
    w.step(5_000);
    let n = &w.nodes()["w1"];
    assert_eq!(n.status.node_ip, "10.0.3.7");
    assert_eq!(n.spec.pod_cidr, "172.16.4.0/26");
    assert_eq!(
        n.metadata.labels.get("disktype").map(String::as_str),
        Some("ssd")
    );
    let mut ips: Vec<(String, String)> = w
        .pods()
        .values()
        .map(|p| (p.spec.node_name.clone(), p.status.pod_ip.clone()))
        .collect();
    ips.sort();
    for (node, ip) in &ips {
        let inside = match node.as_str() {
            "w1" => {
                ip.starts_with("172.16.4.")
                    && ip
                        .rsplit('.')
                        .next()
                        .and_then(|h| h.parse::<u8>().ok())
                        .is_some_and(|h| (2..=62).contains(&h))
            }
            "w2" => ip
                .rsplit('.')
                .next()
                .and_then(|h| h.parse::<u8>().ok())
                .is_some_and(|h| (66..=126).contains(&h)),
            _ => false,
        };
        assert!(inside, "{node} {ip}");
    }
    assert_eq!(ips.len(), 2);

    // Refused, all or nothing: a taken address, an overlapping range, IPv6, a bad CIDR.
    let mut refused = |text: String| {
        let before = w.nodes().len();
        let e = apply_import(&mut w, &text).expect_err("refused");
        assert_eq!(w.nodes().len(), before, "nothing applied");
        e.0[0].problem.to_string()
    };
    assert_eq!(
        refused(node("w3", "10.0.3.7", "172.16.5.0/24")),
        "nodes \"w3\": status.addresses[InternalIP]: 10.0.3.7 is already the address of node \"w1\""
    );
    assert_eq!(
        refused(node("w3", "10.0.3.9", "172.16.4.0/24")),
        "nodes \"w3\": spec.podCIDR: 172.16.4.0/24 overlaps the pod CIDR of node \"w1\""
    );
    assert_eq!(
        refused(node("w3", "fd00::9", "172.16.5.0/24")),
        "nodes \"w3\": status.addresses[InternalIP]: \"fd00::9\" is not an IPv4 address (the playground models IPv4 only)"
    );
    assert_eq!(
        refused(node("w3", "10.0.3.9", "172.16.5.0/33")),
        "nodes \"w3\": spec.podCIDR: \"172.16.5.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
    );
}

#[test]
fn type_errors_name_the_go_struct_of_each_kind() {
    let doc = |kind: &str| {
        format!(
            "apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: web}}\nspec:\n  replicas: two\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers: [{{name: web, image: nginx}}]\n"
        )
    };
    for (kind, go) in [
        ("Deployment", "DeploymentSpec"),
        ("ReplicaSet", "ReplicaSetSpec"),
    ] {
        let e = &errors(&doc(kind)).0[0];
        assert_eq!(
            e.problem.to_string(),
            format!(
                "json: cannot unmarshal string into Go struct field {go}.spec.replicas of type int32"
            )
        );
    }
}

#[test]
fn yaml_merge_keys_apply_as_kubernetes_applies_them() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - &base {name: web, image: 'nginx:1.27', ports: [{containerPort: 80}]}\n      - <<: *base\n        name: sidecar\n";
    let r = import(text).unwrap_or_else(|e| panic!("{e}"));
    let Object::Deployment(d) = &r.objects[0] else {
        panic!("{:?}", r.objects)
    };
    let c = &d.spec.template.spec.containers;
    assert_eq!(
        c.iter()
            .map(|c| (c.name.as_str(), c.image.as_str(), c.ports[0].container_port))
            .collect::<Vec<_>>(),
        vec![("web", "nginx:1.27", 80), ("sidecar", "nginx:1.27", 80)]
    );
    assert!(r.notices.is_empty(), "{:?}", r.notices);
    let bad = "apiVersion: v1\nkind: Service\nmetadata:\n  <<: 5\n  name: x\n";
    let e = &errors(bad).0[0];
    assert!(matches!(e.problem, Problem::Syntax(_)), "{e}");
}

#[test]
fn a_cordoned_node_takes_no_new_pods() {
    let text = "apiVersion: v1\nkind: Node\nmetadata: {name: open}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: cordoned}\nspec: {unschedulable: true}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n";
    let mut w = World::new(3);
    apply_import(&mut w, text).unwrap_or_else(|e| panic!("{e}"));
    w.step(5_000);
    let nodes: Vec<&str> = w
        .pods()
        .values()
        .map(|p| p.spec.node_name.as_str())
        .collect();
    assert_eq!(nodes, vec!["open"; 4]);
    assert!(w.nodes()["cordoned"].spec.unschedulable);
}
