//! Property tests of the manifest writer and reader: whatever strings an object holds
//! (annotations, images, port names, selector values), the YAML the exporter writes
//! imports back to the same object, and neither side panics on any text.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use proptest::prelude::*;
use svcplay_core::manifest::{Object, export, import, import_lenient};
use svcplay_core::objects::{
    Container, Deployment, IntOrString, LabelSelector, ObjectMeta, PodSpec, PodTemplate, Service,
    ServicePort, ServiceSpec, WorkloadSpec,
};
use svcplay_core::objects::{Protocol, ServiceType};

/// Any text, with the characters YAML gives meaning to over-represented.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[-?:,\\[\\]{}#&*!|>'\"%@` \t\n0-9a-zA-Z._~]{0,12}",
        prop::sample::select(vec![
            "yes",
            "No",
            "on",
            "OFF",
            "~",
            "null",
            "true",
            "1.0",
            "0x1F",
            "0o17",
            "1_000",
            "12:30",
            "2024-01-01",
            ".inf",
            "-.NaN",
            "- a",
            "a: b",
            "a #b",
            "'",
            "\"",
            "",
            " lead",
            "trail ",
            "10.96.0.1",
            "1e3",
            "+1",
        ])
        .prop_map(str::to_owned),
    ]
}

fn label_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]([-a-z0-9_.]{0,8}[a-z0-9])?",
        prop::sample::select(vec![
            "yes", "1.0", "0x1F", "true", "null", "on", "007", "1e3"
        ])
        .prop_map(str::to_owned),
    ]
}

fn objects() -> impl Strategy<Value = Vec<Object>> {
    (
        prop::collection::btree_map("[a-z]{1,6}(/[a-z]{1,6})?", text(), 0..4),
        label_value(),
        // An image must be set and has no surrounding blanks (validation refuses those).
        text().prop_filter("an image", |s| !s.is_empty() && s.trim() == s),
        text(),
        1..65_535i32,
    )
        .prop_map(|(annotations, app, image, description, port)| {
            let labels = BTreeMap::from([("app".to_owned(), app)]);
            let mut meta = ObjectMeta::named("default", "web");
            meta.labels = labels.clone();
            meta.annotations = annotations.clone();
            meta.annotations.insert("description".into(), description);
            let service = Service {
                metadata: meta.clone(),
                spec: ServiceSpec {
                    type_: ServiceType::ClusterIp,
                    selector: Some(labels.clone()),
                    ports: vec![ServicePort {
                        name: "http".into(),
                        protocol: Protocol::Tcp,
                        port,
                        target_port: IntOrString::String("http".into()),
                        ..ServicePort::default()
                    }],
                    ..ServiceSpec::default()
                },
                ..Service::default()
            };
            let deployment = Deployment {
                metadata: meta,
                spec: WorkloadSpec {
                    replicas: Some(1),
                    selector: Some(LabelSelector {
                        match_labels: labels.clone(),
                        match_expressions: Vec::new(),
                    }),
                    template: PodTemplate {
                        metadata: ObjectMeta {
                            labels,
                            annotations,
                            ..ObjectMeta::default()
                        },
                        spec: PodSpec {
                            containers: vec![Container {
                                name: "web".into(),
                                image,
                                ..Container::default()
                            }],
                            ..PodSpec::default()
                        },
                    },
                },
                ..Deployment::default()
            };
            vec![Object::Service(service), Object::Deployment(deployment)]
        })
}

/// What an import keeps of an object: the fields a user writes.
fn user_fields(o: &Object) -> (BTreeMap<String, String>, BTreeMap<String, String>, String) {
    let m = o.meta();
    let extra = match o {
        Object::Deployment(d) => format!(
            "{:?} {:?}",
            d.spec.template.metadata.annotations, d.spec.template.spec.containers[0].image
        ),
        Object::Service(s) => format!("{:?} {:?}", s.spec.selector, s.spec.ports[0].port),
        _ => String::new(),
    };
    (m.labels.clone(), m.annotations.clone(), extra)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn export_then_import_keeps_every_string(objects in objects()) {
        let yaml = export(&objects);
        let back = import(&yaml).map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
        prop_assert_eq!(back.objects.len(), objects.len());
        for (a, b) in objects.iter().zip(&back.objects) {
            prop_assert_eq!(user_fields(a), user_fields(b), "{}", yaml);
        }
        // Once defaulted by the import, export and import are a fixed point.
        let once = export(&back.objects);
        let again = import(&once).map_err(|e| TestCaseError::fail(format!("{e}\n{once}")))?;
        prop_assert_eq!(&again.objects, &back.objects);
        prop_assert_eq!(export(&again.objects), once);
    }

    #[test]
    fn reading_any_text_never_panics(s in ".{0,300}") {
        let _ = import_lenient(&s);
    }

    #[test]
    fn reading_mangled_manifests_never_panics(objects in objects(), cut in 0usize..2_000, junk in ".{0,3}") {
        let yaml = export(&objects);
        let at = yaml.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(yaml.len());
        let _ = import_lenient(&format!("{}{junk}{}", &yaml[..at], &yaml[at..]));
    }
}
