//! Table tests of the reading verbs (`get`, `describe`, `exec`, the playground's own
//! words, help) per kind, with exact expected text. Values the world allocates at
//! random from its seed (ClusterIPs, node ports, generated pod names) are read from the
//! world and put into the expected text; everything else is literal. Where kubectl's
//! own tests have the expected text, it is used and cited.

use super::describe::{self, service, slice};
use super::*;
use crate::objects::build::{app, http_service, node_in_zone, web_deployment};
use crate::objects::{
    Endpoint, EndpointConditions, EndpointPort, EndpointSlice, IntOrString, LoadBalancerIngress,
    NamespacedName, ObjectMeta, ObjectReference, Protocol, Service, ServicePort,
};
use crate::sim::SimTime;
use crate::world::Command;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// One node, Deployment `web` (2 pods, `app=web`), Service `web`; 30 s in.
pub(super) fn small_world() -> World {
    let mut w = World::new(7);
    let web = NamespacedName::default_ns("web");
    let objects = vec![
        node_in_zone("node-a", "zone-a").into(),
        web_deployment(&web, app("web"), 2).into(),
        http_service(&web, app("web")).into(),
    ];
    w.apply(Command::Create { objects }).unwrap();
    w.step(30_000);
    w
}

pub(super) fn run(w: &mut World, line: &str) -> LineOutput {
    Console::new().run(w, line)
}

fn ip(w: &World, svc: &str) -> String {
    w.services()[&NamespacedName::default_ns(svc)]
        .spec
        .cluster_ip
        .clone()
}

fn pods(w: &World, prefix: &str) -> Vec<String> {
    w.pods()
        .keys()
        .filter(|k| k.name.starts_with(prefix))
        .map(|k| k.name.clone())
        .collect()
}

#[test]
fn get_per_kind() {
    let mut w = small_world();
    let web_ip = ip(&w, "web");
    let [a, b] = pods(&w, "web-").try_into().unwrap();
    let rs = w.replica_sets().keys().next().unwrap().name.clone();
    let cases: Vec<(&str, String)> = vec![
        (
            "kubectl get pods",
            format!(
                "NAME                   READY   STATUS    RESTARTS   AGE\n\
                 {a}   1/1     Running   0          30s\n\
                 {b}   1/1     Running   0          30s\n"
            ),
        ),
        (
            "kubectl get po -o wide",
            format!(
                "NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n\
                 {a}   1/1     Running   0          30s   10.244.0.2   node-a   <none>           <none>\n\
                 {b}   1/1     Running   0          30s   10.244.0.3   node-a   <none>           <none>\n"
            ),
        ),
        (
            "kubectl get svc",
            format!(
                "NAME         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE\n\
                 kubernetes   ClusterIP   10.96.0.1       <none>        443/TCP   30s\n\
                 web          ClusterIP   {web_ip:<13}   <none>        80/TCP    30s\n"
            ),
        ),
        (
            "kubectl get services web -o wide",
            format!(
                "NAME   TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE   SELECTOR\n\
                 web    ClusterIP   {web_ip:<13}   <none>        80/TCP    30s   app=web\n"
            ),
        ),
        (
            "kubectl get deploy",
            "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     2            2           30s\n"
                .to_owned(),
        ),
        (
            "kubectl get rs",
            format!(
                "NAME             DESIRED   CURRENT   READY   AGE\n{rs}   2         2         2       30s\n"
            ),
        ),
        (
            "kubectl get no",
            "NAME     STATUS   ROLES    AGE   VERSION\nnode-a   Ready    <none>   30s   \n".to_owned(),
        ),
        (
            "kubectl get ns",
            "NAME              STATUS   AGE\ndefault           Active   30s\nkube-node-lease   Active   30s\nkube-public       Active   30s\nkube-system       Active   30s\n"
                .to_owned(),
        ),
        (
            "kubectl get ep",
            "NAME   ENDPOINTS                         AGE\nweb    10.244.0.2:8080,10.244.0.3:8080   30s\n"
                .to_owned(),
        ),
        (
            "kubectl get svc,deploy -o name",
            "service/kubernetes\nservice/web\ndeployment.apps/web\n".to_owned(),
        ),
        (
            "kubectl get deploy/web svc/web",
            format!(
                "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\n\
                 deployment.apps/web   2/2     2            2           30s\n\
                 \n\
                 NAME          TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE\n\
                 service/web   ClusterIP   {web_ip:<13}   <none>        80/TCP    30s\n"
            ),
        ),
        (
            "kubectl get pods -l app=web --show-labels --no-headers",
            format!(
                "{a}   1/1   Running   0     30s   app=web,pod-template-hash={}\n\
                 {b}   1/1   Running   0     30s   app=web,pod-template-hash={}\n",
                &rs[4..],
                &rs[4..]
            ),
        ),
    ];
    for (line, want) in cases {
        let out = run(&mut w, line);
        assert_eq!(out.stdout, want, "{line}");
        assert_eq!((out.stderr.as_str(), out.ok), ("", true), "{line}");
    }
    let slices = run(&mut w, "kubectl get endpointslices");
    assert!(
        slices
            .stdout
            .starts_with("NAME        ADDRESSTYPE   PORTS   ENDPOINTS               AGE\nweb-"),
        "{}",
        slices.stdout
    );
    assert!(
        slices
            .stdout
            .contains("   IPv4          8080    10.244.0.2,10.244.0.3   ")
    );
    let events = run(&mut w, "kubectl get events");
    assert!(events.stdout.starts_with("LAST SEEN   TYPE     REASON"));
    assert!(
        events
            .stdout
            .lines()
            .any(|l| l.contains("Normal   Scheduled") && l.contains("pod/web-")),
        "{}",
        events.stdout
    );
}

#[test]
fn get_errors_and_empty_lists_in_kubectl_s_words() {
    let mut w = small_world();
    let cases = [
        (
            "kubectl get pods -n nope",
            "",
            "No resources found in nope namespace.\n",
            true,
        ),
        (
            "kubectl get deploy -A -l app=none",
            "",
            "No resources found\n",
            true,
        ),
        (
            "kubectl get pod nope",
            "",
            "Error from server (NotFound): pods \"nope\" not found\n",
            false,
        ),
        (
            "kubectl get foo",
            "",
            "error: the server doesn't have a resource type \"foo\"\n",
            false,
        ),
        (
            "kubectl get pods -o toml",
            "",
            "error: unable to match a printer suitable for the output format \"toml\", allowed formats are: json,name,wide,yaml\n",
            false,
        ),
        (
            "kubectl get pods -o yaml --show-labels",
            "",
            "error: --show-labels option cannot be used with yaml printer\n",
            false,
        ),
        (
            "kubectl get pods -l 'a b'",
            "",
            "Error from server (BadRequest): Unable to find {\"\" \"v1\" \"pods\"} that match label selector \"a b\", field selector \"\": unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt\n",
            false,
        ),
        (
            "kubectl get pods --bogus",
            "",
            "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n",
            false,
        ),
        (
            "kubectl get",
            "",
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n",
            false,
        ),
        (
            "kubectl frobnicate",
            "",
            "Error: unknown command \"frobnicate\" for \"kubectl\"\n",
            false,
        ),
        (
            "kubectl get 'pods",
            "",
            "svcplay: unexpected end of line while looking for the matching `''\n",
            false,
        ),
    ];
    for (line, out, err, ok) in cases {
        let got = run(&mut w, line);
        assert_eq!(
            (got.stdout.as_str(), got.stderr.as_str(), got.ok),
            (out, err, ok),
            "{line}"
        );
    }
}

/// Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
/// `pkg/describe/describe_test.go` `TestDescribeService` "test1" and "test2" (the model
/// has no `spec.loadBalancerIP`, so their `Desired LoadBalancer IP:` line is left out).
#[test]
fn describe_service_as_upstream_tests_expect() {
    let mut s = Service {
        metadata: ObjectMeta::named("foo", "bar"),
        ..Service::default()
    };
    s.spec.type_ = "LoadBalancer".into();
    s.spec.ports = vec![ServicePort {
        name: "port-tcp".into(),
        port: 8080,
        protocol: Protocol::Tcp,
        target_port: IntOrString::Int(9527),
        node_port: 31111,
        ..ServicePort::default()
    }];
    s.spec.selector = Some(crate::objects::Labels::from([(
        "blah".to_owned(),
        "heh".to_owned(),
    )]));
    s.spec.cluster_ip = "1.2.3.4".into();
    s.spec.ip_families = vec!["IPv4".into()];
    s.spec.session_affinity = "None".into();
    s.spec.external_traffic_policy = "Local".into();
    s.spec.internal_traffic_policy = "Cluster".into();
    s.spec.health_check_node_port = 32222;
    s.status.load_balancer.ingress = vec![LoadBalancerIngress {
        ip: "5.6.7.8".into(),
        ip_mode: Some("VIP".into()),
        ..LoadBalancerIngress::default()
    }];
    let endpoint = |ip: &str, ready: bool| Endpoint {
        addresses: vec![ip.into()],
        conditions: EndpointConditions {
            ready,
            serving: ready,
            terminating: false,
        },
        ..Endpoint::default()
    };
    let slice_of = |name: &str, endpoints: Vec<Endpoint>, protocol: Protocol| EndpointSlice {
        metadata: ObjectMeta::named("foo", name),
        address_type: "IPv4".into(),
        endpoints,
        ports: vec![EndpointPort {
            name: "port-tcp".into(),
            port: 9527,
            protocol,
            app_protocol: None,
        }],
    };
    let one = slice_of(
        "bar-abcde",
        vec![
            endpoint("10.244.0.1", true),
            endpoint("10.244.0.2", true),
            endpoint("10.244.0.3", true),
        ],
        Protocol::Tcp,
    );
    let got = describe::text(|w| service::describe(w, &s, &[&one], Some(&[]), SimTime::ZERO));
    assert_eq!(
        got,
        "Name:                     bar\n\
         Namespace:                foo\n\
         Labels:                   <none>\n\
         Annotations:              <none>\n\
         Selector:                 blah=heh\n\
         Type:                     LoadBalancer\n\
         IP Families:              IPv4\n\
         IP:                       1.2.3.4\n\
         IPs:                      <none>\n\
         LoadBalancer Ingress:     5.6.7.8 (VIP)\n\
         Port:                     port-tcp  8080/TCP\n\
         TargetPort:               9527/TCP\n\
         NodePort:                 port-tcp  31111/TCP\n\
         Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.3:9527\n\
         Session Affinity:         None\n\
         External Traffic Policy:  Local\n\
         Internal Traffic Policy:  Cluster\n\
         HealthCheck NodePort:     32222\n\
         Events:                   <none>\n"
    );
    // test2: a named target port, two slices, one endpoint not ready: `+ 1 more...`.
    s.spec.ports[0].target_port = IntOrString::String("targetPort".into());
    s.spec.internal_traffic_policy = "Local".into();
    s.status.load_balancer.ingress[0].ip_mode = None;
    let a = slice_of(
        "bar-12345",
        vec![endpoint("10.244.0.1", true), endpoint("10.244.0.2", true)],
        Protocol::Udp,
    );
    let b = slice_of(
        "bar-54321",
        vec![
            endpoint("10.244.0.3", false),
            endpoint("10.244.0.4", true),
            endpoint("10.244.0.5", true),
        ],
        Protocol::Udp,
    );
    let got = describe::text(|w| service::describe(w, &s, &[&a, &b], Some(&[]), SimTime::ZERO));
    assert!(got.contains("LoadBalancer Ingress:     5.6.7.8\n"), "{got}");
    assert!(
        got.contains("TargetPort:               targetPort/TCP\n"),
        "{got}"
    );
    assert!(
        got.contains(
            "Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.4:9527 + 1 more...\n"
        ),
        "{got}"
    );
    assert!(got.contains("Internal Traffic Policy:  Local\n"), "{got}");
}

/// Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
/// `pkg/describe/describe_test.go` `TestDescribeEndpointSlice`, its expected text.
#[test]
fn describe_endpointslice_as_upstream_tests_expect() {
    let target = |name: &str| ObjectReference {
        kind: "Pod".into(),
        name: name.into(),
        ..ObjectReference::default()
    };
    let s = EndpointSlice {
        metadata: ObjectMeta::named("bar", "foo.123"),
        address_type: "IPv4".into(),
        endpoints: vec![
            Endpoint {
                addresses: vec!["1.2.3.4".into(), "1.2.3.5".into()],
                conditions: EndpointConditions {
                    ready: true,
                    ..EndpointConditions::default()
                },
                target_ref: Some(target("test-123")),
                zone: Some("us-central1-a".into()),
                node_name: Some("node-1".into()),
                ..Endpoint::default()
            },
            Endpoint {
                addresses: vec!["1.2.3.6".into(), "1.2.3.7".into()],
                conditions: EndpointConditions {
                    ready: true,
                    ..EndpointConditions::default()
                },
                target_ref: Some(target("test-124")),
                node_name: Some("node-2".into()),
                ..Endpoint::default()
            },
        ],
        ports: vec![EndpointPort {
            name: String::new(),
            port: 80,
            protocol: Protocol::Tcp,
            app_protocol: None,
        }],
    };
    let got = describe::text(|w| slice::describe(w, &s, Some(&[]), SimTime::ZERO));
    assert_eq!(
        got,
        "Name:         foo.123\n\
Namespace:    bar\n\
Labels:       <none>\n\
Annotations:  <none>\n\
AddressType:  IPv4\n\
Ports:\n\
\x20 Name     Port  Protocol\n\
\x20 ----     ----  --------\n\
\x20 <unset>  80    TCP\n\
Endpoints:\n\
\x20 - Addresses:  1.2.3.4, 1.2.3.5\n\
\x20   Conditions:\n\
\x20     Ready:    true\n\
\x20   Hostname:   <unset>\n\
\x20   TargetRef:  Pod/test-123\n\
\x20   NodeName:   node-1\n\
\x20   Zone:       us-central1-a\n\
\x20 - Addresses:  1.2.3.6, 1.2.3.7\n\
\x20   Conditions:\n\
\x20     Ready:    true\n\
\x20   Hostname:   <unset>\n\
\x20   TargetRef:  Pod/test-124\n\
\x20   NodeName:   node-2\n\
\x20   Zone:       <unset>\n\
Events:         <none>\n"
    );
}

#[test]
fn describe_per_kind_from_the_world() {
    let mut w = small_world();
    let web_ip = ip(&w, "web");
    let [a, _] = pods(&w, "web-").try_into().unwrap();
    let svc = run(&mut w, "kubectl describe svc web");
    assert_eq!(
        svc.stdout,
        format!(
            "Name:                     web\n\
             Namespace:                default\n\
             Labels:                   <none>\n\
             Annotations:              <none>\n\
             Selector:                 app=web\n\
             Type:                     ClusterIP\n\
             IP Family Policy:         SingleStack\n\
             IP Families:              IPv4\n\
             IP:                       {web_ip}\n\
             IPs:                      {web_ip}\n\
             Port:                     http  80/TCP\n\
             TargetPort:               http/TCP\n\
             Endpoints:                10.244.0.2:8080,10.244.0.3:8080\n\
             Session Affinity:         None\n\
             Internal Traffic Policy:  Cluster\n\
             Events:\n\
             \x20 Type    Reason   Age   From     Message\n\
             \x20 ----    ------   ----  ----     -------\n\
             \x20 Normal  Created  30s   svcplay  service web created: type ClusterIP, clusterIP {web_ip} allocated\n"
        )
    );
    let pod = run(&mut w, &format!("kubectl describe pod {a}")).stdout;
    for part in [
        format!("Name:             {a}\nNamespace:        default\nPriority:         0\nService Account:  default\nNode:             node-a/192.168.0.10\nStart Time:       Wed, 01 Jan 2025 00:00:02 +0000\n"),
        "Status:           Running\nIP:               10.244.0.2\nIPs:\n  IP:           10.244.0.2\n".to_owned(),
        "Containers:\n  web:\n    Container ID:   \n    Image:          registry.k8s.io/e2e-test-images/agnhost:2.53\n    Image ID:       \n    Port:           8080/TCP (http)\n    Host Port:      0/TCP (http)\n    State:          Running\n      Started:      Wed, 01 Jan 2025 00:00:02 +0000\n    Ready:          True\n    Restart Count:  0\n".to_owned(),
        "Conditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n  Initialized                 True \n  Ready                       True \n  ContainersReady             True \n  PodScheduled                True \n".to_owned(),
        "QoS Class:                    BestEffort\n".to_owned(),
        "  Normal  Scheduled  30s   default-scheduler  pod ".to_owned(),
    ] {
        assert!(pod.contains(&part), "{part}\n---\n{pod}");
    }
    let deploy = run(&mut w, "kubectl describe deploy web").stdout;
    for part in [
        "Name:                   web\nNamespace:              default\nCreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000\n",
        "Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\nStrategyType:           RollingUpdate\nMinReadySeconds:        0\nRollingUpdateStrategy:  25% max unavailable, 25% max surge\nPod Template:\n  Labels:  app=web\n  Containers:\n   web:\n",
        "Conditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      True    MinimumReplicasAvailable\n  Progressing    True    NewReplicaSetAvailable\n",
        "(2/2 replicas created)\n",
    ] {
        assert!(deploy.contains(part), "{part}\n---\n{deploy}");
    }
    let node = run(&mut w, "kubectl describe no node-a").stdout;
    for part in [
        "Name:               node-a\nRoles:              <none>\nLabels:             kubernetes.io/hostname=node-a\n                    topology.kubernetes.io/zone=zone-a\n",
        "Taints:             <none>\nUnschedulable:      false\n",
        "Addresses:\n  InternalIP:  192.168.0.10\n  Hostname:    node-a\n",
        "Non-terminated Pods:          (2 in total)\n",
    ] {
        assert!(node.contains(part), "{part}\n---\n{node}");
    }
    let missing = run(&mut w, "kubectl describe svc nope");
    assert_eq!(
        missing.stderr,
        "Error from server (NotFound): services \"nope\" not found\n"
    );
    let prefix = run(&mut w, "kubectl describe pods web-");
    assert_eq!(prefix.stdout.matches("Name:             web-").count(), 2);
    assert!(
        !prefix.stdout.contains("Events:"),
        "no events for a prefix match"
    );
}

#[test]
fn exec_nslookup_through_the_cluster_dns() {
    let mut w = small_world();
    let web_ip = ip(&w, "web");
    let [a, _] = pods(&w, "web-").try_into().unwrap();
    let out = run(&mut w, &format!("kubectl exec {a} -- nslookup web"));
    assert_eq!(
        out.stdout,
        format!(
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: {web_ip} web.default.svc.cluster.local\n"
        )
    );
    let srv = run(
        &mut w,
        &format!("kubectl exec {a} -- nslookup -type=srv _http._tcp.web.default.svc.cluster.local"),
    );
    assert!(srv.ok, "{}", srv.text());
    assert!(
        srv.stdout
            .contains("_http._tcp.web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local"),
        "{}",
        srv.stdout
    );
    let nx = run(&mut w, &format!("kubectl exec {a} -- nslookup nope"));
    assert!(!nx.ok);
    assert!(nx.stderr.ends_with("command terminated with exit code 1\n"));
    let old = run(&mut w, &format!("kubectl exec {a} nslookup web"));
    assert_eq!(
        old.stderr,
        "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"
    );
}

#[test]
fn the_playground_s_own_words_say_so() {
    let mut w = small_world();
    let mut c = Console::new();
    let why = c.run(&mut w, "why svc/web");
    assert!(
        why.stdout
            .starts_with("# svcplay why (not kubectl): the endpoints of service web\n")
    );
    assert_eq!(
        why.stdout
            .matches(" is an endpoint of service web (")
            .count(),
        2
    );
    assert!(
        c.run(&mut w, "traffic --help")
            .stdout
            .starts_with("traffic: the playground's own command (not kubectl).")
    );
    let before = w.now();
    assert!(c.run(&mut w, "sleep 1m30s").ok);
    assert_eq!(w.now().as_millis() - before.as_millis(), 90_000);
    assert_eq!(
        c.run(&mut w, "sleep 2h").stderr,
        "sleep: 2h: at most 1h of simulated time per line (a limit of the playground)\n"
    );
    let t = c.run(&mut w, "traffic");
    assert_eq!(
        t.stdout,
        "# svcplay traffic (not kubectl): the last 30s of simulated time\nno requests\n"
    );
    assert_eq!(
        c.run(&mut w, "kubectl-foo").stderr,
        "svcplay: kubectl-foo: command not found (lines start with kubectl, or are the playground's own traffic, why, sleep; try help)\n"
    );
}

/// `kubectl scale --help` as kubectl 1.32 prints it, but for the examples and options
/// the console does not take (checked against `kubectl scale --help` on 2026-12-07).
#[test]
fn help_is_kubectl_s() {
    let mut w = small_world();
    let scale = run(&mut w, "kubectl scale --help").stdout;
    assert_eq!(
        scale,
        "Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n \
Scale also allows users to specify one or more preconditions for the scale action.\n\n \
If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.\n\n\
Examples:\n  # If the deployment named mysql's current size is 2, scale mysql to 3\n  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql\n\n\
Options:\n    --all=false:\n\tSelect all resources in the namespace of the specified resource types\n\n    \
--current-replicas=-1:\n\tPrecondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.\n\n    \
--replicas=0:\n\tThe new desired number of replicas. Required.\n\n    \
-l, --selector='':\n\tSelector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.\n\n\
Usage:\n  kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]\n\n\
Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n"
    );
    let root = run(&mut w, "kubectl").stdout;
    assert!(root.starts_with("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nBasic Commands (Beginner):\n  create          Create a resource from a file or from stdin\n"));
    assert!(
        run(&mut w, "kubectl create deploy --help")
            .stdout
            .contains("Aliases:\ndeployment, deploy\n\n")
    );
    let rollout = run(&mut w, "kubectl rollout");
    assert!(!rollout.ok, "a parent alone prints its help and fails");
    assert!(
        rollout
            .stdout
            .contains("Available Commands:\n  restart       Restart a resource\n")
    );
}
