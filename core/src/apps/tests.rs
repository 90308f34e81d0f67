use super::*;
use crate::objects::{ContainerPort, EnvVar};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn container(image: &str, command: &[&str], args: &[&str]) -> Container {
    Container {
        name: "c".into(),
        image: image.into(),
        command: command.iter().map(|s| (*s).to_owned()).collect(),
        args: args.iter().map(|s| (*s).to_owned()).collect(),
        ..Container::default()
    }
}

#[test]
fn images_and_entrypoints() {
    assert_eq!(
        image_repository("registry.k8s.io/e2e-test-images/agnhost:2.53"),
        "e2e-test-images/agnhost"
    );
    assert_eq!(image_repository("fortio/fortio:1.69.0"), "fortio/fortio");
    assert_eq!(image_repository("localhost:5000/x/y@sha256:abc"), "x/y");
    let agn = container(
        "registry.k8s.io/e2e-test-images/agnhost:2.53",
        &[],
        &["netexec", "--http-port=9090"],
    );
    let App::Server(s) = app_of(&agn) else {
        panic!("netexec serves")
    };
    assert_eq!(
        (s.kind, s.listens(9090), s.listens(8080), s.sigterm_exit_ms),
        (ServerKind::Netexec, Some(false), None, Some(0))
    );
    assert_eq!(
        s.answer("/hostname", "web-abc", 0),
        (200, "web-abc".to_owned())
    );
    assert_eq!(
        s.answer("/echo?msg=hi&code=503", "p", 0),
        (503, "hi".to_owned())
    );
    let App::Server(f) = app_of(&container("fortio/fortio", &[], &[])) else {
        panic!()
    };
    assert_eq!(
        (f.kind, f.listens(8079), f.listens(8080)),
        (ServerKind::FortioServer, Some(true), Some(false)),
        "the image's default command is `server`"
    );
    let App::Load(l) = app_of(&container(
        "fortio/fortio",
        &[],
        &["load", "-qps", "5", "http://prod/"],
    )) else {
        panic!()
    };
    assert_eq!(l.millirate(), 5_000);
    let App::Load(c) = app_of(&container(
        "curlimages/curl",
        &["sh", "-c"],
        &["while true; do curl -s http://prod/; sleep 1; done"],
    )) else {
        panic!()
    };
    assert_eq!(c.tool, Tool::Curl);
    assert_eq!(
        app_of(&container("hashicorp/http-echo", &[], &[])),
        App::Refused {
            program: "http-echo",
            message: "Missing -text option!".into()
        }
    );
    let App::Server(e) = app_of(&container(
        "hashicorp/http-echo",
        &[],
        &["-listen=:8080", "-text=hello"],
    )) else {
        panic!()
    };
    assert_eq!(
        (e.listens(8080), e.answer("/", "p", 0)),
        (Some(false), (200, "hello\n".to_owned()))
    );
}

#[test]
fn fake_service_declares_its_upstreams_in_its_environment() {
    let mut c = container("nicholasjackson/fake-service:v0.26.2", &[], &[]);
    c.env = vec![
        EnvVar {
            name: "NAME".into(),
            value: "frontend".into(),
        },
        EnvVar {
            name: "UPSTREAM_URIS".into(),
            value: "http://backend:9090, http://10.244.1.7:9090".into(),
        },
    ];
    let App::Server(s) = app_of(&c) else { panic!() };
    assert_eq!(s.listens(9090), Some(false));
    assert!(
        !s.keepalive && !s.upstream_keepalive,
        "fake-service's defaults: no keep-alive either way"
    );
    let hosts: Vec<&str> = s.upstreams.iter().map(|t| t.host.as_str()).collect();
    assert_eq!(hosts, ["backend", "10.244.1.7"]);
}

#[test]
fn unknown_apps_serve_their_declared_ports() {
    let mut c = container("nginx", &[], &[]);
    let App::Server(any) = app_of(&c) else {
        panic!()
    };
    assert_eq!(any.listens(1234), Some(false), "no declared port: any");
    c.ports = vec![ContainerPort {
        name: "http".into(),
        container_port: 80,
        ..ContainerPort::default()
    }];
    let App::Server(s) = app_of(&c) else { panic!() };
    assert_eq!((s.listens(80), s.listens(81)), (Some(false), None));
    assert!(s.speaks(80, true), "an unknown app answers gRPC too");
}

#[test]
fn card_edits_land_in_the_command_line() {
    let c = container(
        "fortio/fortio",
        &[],
        &["load", "-qps", "8", "-c", "1", "-t", "0", "http://prod/"],
    );
    let e = edit_container(
        &c,
        &LoadEdit {
            rate: Some(12),
            ..LoadEdit::default()
        },
    )
    .unwrap();
    assert!(e.command.is_empty());
    assert_eq!(e.args.join(" "), "load -qps 12 -c 1 -t 0 http://prod/");
    assert!(
        edit_container(
            &c,
            &LoadEdit {
                rate: Some(0),
                ..LoadEdit::default()
            }
        )
        .unwrap_err()
        .contains("not a pause")
    );
    let sh = container(
        "busybox",
        &[
            "sh",
            "-c",
            "while true; do wget -qO- http://prod/; sleep 1; done",
        ],
        &[],
    );
    let e = edit_container(
        &sh,
        &LoadEdit {
            rate: Some(2),
            ..LoadEdit::default()
        },
    )
    .unwrap();
    assert_eq!(
        e.command[2],
        "while true; do wget -qO- http://prod/; sleep 0.5; done"
    );
    assert!(edit_container(&container("nginx", &[], &[]), &LoadEdit::default()).is_err());
}
