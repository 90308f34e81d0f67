//! A small cluster behind kubeadm's CoreDNS: the stub resolver's search order and
//! busybox's `nslookup` texts against it.

use super::nslookup::nslookup;
use super::resolver::{Failure, ServedAt, search};
use super::*;
use crate::controllers::endpointslice::rules::pod_to_endpoint;
use crate::objects::endpoint_slice::SERVICE_NAME_LABEL;
use crate::objects::{
    EndpointPort, EndpointSlice, ObjectMeta, Pod, PodPhase, Protocol, Service, ServicePort,
};

const DNS_IP: &str = "10.96.0.10";

fn service(ns: &str, name: &str, cluster_ip: &str, ports: &[(&str, &str, i32)]) -> Service {
    let mut s = Service {
        metadata: ObjectMeta::named(ns, name),
        ..Service::default()
    };
    s.spec.type_ = "ClusterIP".into();
    s.spec.cluster_ip = cluster_ip.into();
    s.spec.cluster_ips = vec![cluster_ip.into()];
    s.spec.ports = ports
        .iter()
        .map(|(n, proto, port)| ServicePort {
            name: (*n).into(),
            protocol: (*proto).into(),
            port: *port,
            ..ServicePort::default()
        })
        .collect();
    s
}

fn pod(ns: &str, name: &str, ip: &str, ready: bool, subdomain: &str) -> Pod {
    let mut p = Pod {
        metadata: ObjectMeta::named(ns, name),
        ..Pod::default()
    };
    p.status.phase = PodPhase::Running;
    p.status.pod_ip = ip.into();
    p.status.ready = ready;
    if !subdomain.is_empty() {
        p.spec.hostname = name.into();
        p.spec.subdomain = subdomain.into();
    }
    p
}

/// The slice the EndpointSlice controller writes for `svc` over `pods`.
fn slice(svc: &Service, pods: &[&Pod]) -> EndpointSlice {
    let mut meta = ObjectMeta::named(
        &svc.metadata.namespace,
        &format!("{}-x1", svc.metadata.name),
    );
    meta.labels
        .insert(SERVICE_NAME_LABEL.into(), svc.metadata.name.clone());
    EndpointSlice {
        metadata: meta,
        address_type: "IPv4".into(),
        endpoints: pods.iter().map(|p| pod_to_endpoint(svc, p, None)).collect(),
        ports: svc
            .spec
            .ports
            .iter()
            .map(|p| EndpointPort {
                name: p.name.clone(),
                port: p.port,
                protocol: p.protocol.effective().unwrap_or(Protocol::Tcp),
                app_protocol: None,
            })
            .collect(),
    }
}

/// kube-dns; `web` (ClusterIP); `db` (headless: db-0 ready, db-1 not); `peers`
/// (headless with publishNotReadyAddresses: cache-0 ready, cache-1 not); `search`
/// (ExternalName to www.example.com); `api` in namespace `shop`.
fn cluster() -> ClusterDns {
    let kube_dns = service("kube-system", "kube-dns", DNS_IP, &[("dns", "UDP", 53)]);
    let coredns = pod("kube-system", "coredns-1", "10.244.0.5", true, "");
    let web = service("default", "web", "10.96.0.20", &[("http", "TCP", 80)]);
    let web_pods = [
        pod("default", "web-a", "10.244.1.10", true, ""),
        pod("default", "web-b", "10.244.1.11", true, ""),
    ];
    let db = service("default", "db", "None", &[("pg", "TCP", 5432)]);
    let db_pods = [
        pod("default", "db-0", "10.244.1.20", true, "db"),
        pod("default", "db-1", "10.244.1.21", false, "db"),
    ];
    let mut peers = service("default", "peers", "None", &[("gossip", "TCP", 7946)]);
    peers.spec.publish_not_ready_addresses = true;
    let cache_pods = [
        pod("default", "cache-0", "10.244.1.30", true, ""),
        pod("default", "cache-1", "10.244.1.31", false, ""),
    ];
    let mut ext = service("default", "search", "", &[]);
    ext.spec.type_ = "ExternalName".into();
    ext.spec.cluster_ips.clear();
    ext.spec.external_name = "www.example.com".into();
    let api = service("shop", "api", "10.96.0.30", &[("http", "TCP", 8080)]);
    let slices = [
        slice(&kube_dns, &[&coredns]),
        slice(&web, &[&web_pods[0], &web_pods[1]]),
        slice(&db, &[&db_pods[0], &db_pods[1]]),
        slice(&peers, &[&cache_pods[0], &cache_pods[1]]),
    ];
    let pods: Vec<Pod> = [coredns]
        .into_iter()
        .chain(web_pods)
        .chain(db_pods)
        .chain(cache_pods)
        .collect();
    let mut upstream = Upstream::none();
    upstream.add(Rr {
        owner: "www.example.com.".into(),
        ttl: 300,
        data: RData::A("192.0.2.53".parse().unwrap()),
    });
    let namespaces = ["default", "kube-system", "shop"].map(String::from);
    let config = DnsConfig {
        server_ips: vec!["10.244.0.5".into()],
        ..DnsConfig::kubeadm("cluster.local")
    };
    ClusterDns::new(
        &config,
        &[kube_dns, web, db, peers, ext, api],
        &slices,
        &pods,
        namespaces,
        upstream,
    )
    .unwrap()
}

fn conf(ns: &str) -> ResolvConf {
    ResolvConf::cluster_first(ns, "cluster.local", &[DNS_IP.to_owned()])
}

/// Every question sent, as `NAME TYPE`.
fn asked(r: &Resolution) -> Vec<String> {
    r.exchanges
        .iter()
        .map(|e| format!("{} {}", e.question.name, e.question.qtype))
        .collect()
}

fn lookup(ns: &str, name: &str) -> Resolution {
    let dns = cluster();
    let at = [DNS_IP.to_owned()];
    let server = ServedAt {
        dns: &dns,
        addresses: &at,
    };
    search(&conf(ns), name, &[RrType::A, RrType::Aaaa], &server).unwrap()
}

#[test]
fn resolv_conf_is_the_kubelets() {
    assert_eq!(
        conf("shop").render(),
        "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
}

#[test]
fn a_short_name_resolves_in_the_pods_namespace_first() {
    let r = lookup("default", "web");
    assert_eq!(
        asked(&r),
        [
            "web.default.svc.cluster.local. A",
            "web.default.svc.cluster.local. AAAA"
        ]
    );
    assert_eq!(
        r.addresses(),
        ["10.96.0.20".parse::<std::net::IpAddr>().unwrap()]
    );
}

#[test]
fn service_dot_namespace_reaches_another_namespace_on_the_second_try() {
    let r = lookup("default", "api.shop");
    assert_eq!(
        asked(&r),
        [
            "api.shop.default.svc.cluster.local. A",
            "api.shop.default.svc.cluster.local. AAAA",
            "api.shop.svc.cluster.local. A",
            "api.shop.svc.cluster.local. AAAA",
        ]
    );
    assert_eq!(
        r.addresses(),
        ["10.96.0.30".parse::<std::net::IpAddr>().unwrap()]
    );
    // The same short name from the other namespace is not found there.
    let from_shop = lookup("shop", "web");
    assert_eq!(from_shop.result, Err(Failure::HostNotFound));
    assert_eq!(
        from_shop.exchanges.len(),
        8,
        "three search domains, then as is"
    );
}

#[test]
fn a_trailing_dot_is_absolute() {
    let r = lookup("shop", "web.default.svc.cluster.local.");
    assert_eq!(
        asked(&r),
        [
            "web.default.svc.cluster.local. A",
            "web.default.svc.cluster.local. AAAA"
        ]
    );
    assert!(r.result.is_ok());
}

#[test]
fn an_fqdn_without_the_dot_walks_the_search_list_first() {
    // Four dots are fewer than ndots:5.
    let r = lookup("default", "web.default.svc.cluster.local");
    let names: Vec<String> = asked(&r).into_iter().step_by(2).collect();
    assert_eq!(
        names,
        [
            "web.default.svc.cluster.local.default.svc.cluster.local. A",
            "web.default.svc.cluster.local.svc.cluster.local. A",
            "web.default.svc.cluster.local.cluster.local. A",
            "web.default.svc.cluster.local. A",
        ]
    );
    assert_eq!(
        r.addresses(),
        ["10.96.0.20".parse::<std::net::IpAddr>().unwrap()]
    );
}

#[test]
fn enough_dots_try_the_name_as_is_first() {
    let r = lookup("default", "a.b.c.d.e.f");
    let names: Vec<String> = asked(&r).into_iter().step_by(2).collect();
    assert_eq!(
        names,
        [
            "a.b.c.d.e.f. A",
            "a.b.c.d.e.f.default.svc.cluster.local. A",
            "a.b.c.d.e.f.svc.cluster.local. A",
            "a.b.c.d.e.f.cluster.local. A",
        ]
    );
    assert_eq!(r.result, Err(Failure::HostNotFound));
}

#[test]
fn a_silent_server_stops_the_search() {
    let dns = cluster();
    let nowhere: [String; 0] = [];
    let server = ServedAt {
        dns: &dns,
        addresses: &nowhere,
    };
    let r = search(&conf("default"), "web", &[RrType::A], &server).unwrap();
    assert_eq!(
        asked(&r),
        ["web.default.svc.cluster.local. A", "web. A"],
        "the first timeout ends the search list; the name is still tried as is"
    );
    assert!(r.exchanges.iter().all(|e| e.response.is_none()));
    assert_eq!(r.result, Err(Failure::TryAgain));
}

fn run(ns: &str, args: &[&str]) -> nslookup::NslookupOutput {
    let dns = cluster();
    let at = [DNS_IP.to_owned()];
    let server = ServedAt {
        dns: &dns,
        addresses: &at,
    };
    nslookup(args, &conf(ns), &server)
}

const SERVER_1_28: &str =
    "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n";

#[test]
fn nslookup_a_cluster_ip_service() {
    let out = run("default", &["web"]);
    assert_eq!(
        out.stdout,
        format!(
            "{SERVER_1_28}Name:      web\nAddress 1: 10.96.0.20 web.default.svc.cluster.local\n"
        )
    );
    assert_eq!((out.stderr.as_str(), out.exit_code), ("", 0));
    let asked: Vec<String> = out
        .exchanges
        .iter()
        .map(|e| format!("{} {}", e.question.name, e.question.qtype))
        .collect();
    assert_eq!(
        asked,
        [
            "10.0.96.10.in-addr.arpa. PTR",
            "web.default.svc.cluster.local. A",
            "web.default.svc.cluster.local. AAAA",
            "20.0.96.10.in-addr.arpa. PTR",
        ]
    );
}

#[test]
fn nslookup_a_headless_service_lists_ready_endpoints_only() {
    let out = run("default", &["db"]);
    assert_eq!(
        out.stdout,
        format!(
            "{SERVER_1_28}Name:      db\nAddress 1: 10.244.1.20 db-0.db.default.svc.cluster.local\n"
        )
    );
    let one = run("default", &["db-1.db"]);
    assert_eq!(one.stderr, "nslookup: can't resolve 'db-1.db'\n");
}

#[test]
fn nslookup_publish_not_ready_addresses_lists_every_endpoint() {
    let out = run("default", &["peers"]);
    assert_eq!(
        out.stdout,
        format!(
            "{SERVER_1_28}Name:      peers\n\
             Address 1: 10.244.1.30 10-244-1-30.peers.default.svc.cluster.local\n\
             Address 2: 10.244.1.31 10-244-1-31.peers.default.svc.cluster.local\n"
        )
    );
}

#[test]
fn nslookup_an_external_name_follows_the_cname() {
    let out = run("default", &["search"]);
    assert_eq!(
        out.stdout,
        format!("{SERVER_1_28}Name:      search\nAddress 1: 192.0.2.53\n")
    );
}

#[test]
fn nslookup_an_unknown_name_cannot_resolve() {
    let out = run("default", &["nope"]);
    assert_eq!(out.stdout, SERVER_1_28);
    assert_eq!(out.stderr, "nslookup: can't resolve 'nope'\n");
    assert_eq!(out.exit_code, 1);
}

#[test]
fn nslookup_across_namespaces() {
    let out = run("default", &["api.shop"]);
    assert_eq!(
        out.stdout,
        format!(
            "{SERVER_1_28}Name:      api.shop\nAddress 1: 10.96.0.30 api.shop.svc.cluster.local\n"
        )
    );
}

#[test]
fn nslookup_srv_uses_busybox_1_36_format() {
    let out = run(
        "default",
        &["-type=srv", "_http._tcp.web.default.svc.cluster.local"],
    );
    assert_eq!(
        out.stdout,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\
         _http._tcp.web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local\n\n"
    );
    assert_eq!(out.exit_code, 0);
    let headless = run("default", &["-type=SRV", "db.default.svc.cluster.local"]);
    assert_eq!(
        headless.stdout,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\
         db.default.svc.cluster.local\tservice = 0 100 5432 db-0.db.default.svc.cluster.local\n\n"
    );
}

#[test]
fn nslookup_srv_of_a_short_name_asks_every_search_domain() {
    let out = run("default", &["-type=srv", "web"]);
    assert_eq!(
        out.stdout,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\
         web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local\n\n\
         ** server can't find web.svc.cluster.local: NXDOMAIN\n\n\
         ** server can't find web.cluster.local: NXDOMAIN\n\n"
    );
    assert_eq!(out.exit_code, 1);
}

#[test]
fn nslookup_usage_and_bad_types() {
    let bad = run("default", &["-type=nope", "web"]);
    assert_eq!(bad.stderr, "nslookup: invalid query type \"nope\"\n");
    assert_eq!(bad.exit_code, 1);
    let none = run("default", &[]);
    assert!(
        none.stderr
            .starts_with("BusyBox v1.28.4 multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n")
    );
    assert_eq!(none.exit_code, 1);
}

#[test]
fn nslookup_a_server_that_does_not_answer() {
    let out = run("default", &["web", "10.0.0.99"]);
    assert_eq!(out.stdout, "Server:    10.0.0.99\nAddress 1: 10.0.0.99\n\n");
    assert_eq!(out.stderr, "nslookup: can't resolve 'web'\n");
    let srv = run("default", &["-type=a", "web", "10.0.0.99"]);
    assert_eq!(
        srv.stdout,
        ";; connection timed out; no servers could be reached\n\n"
    );
}

#[test]
fn the_apex_names_the_dns_service_and_its_soa() {
    let dns = cluster();
    let ask = |name: &str, t: RrType| {
        let r = dns.serve(&Question::new(name, t).unwrap());
        let text = |rrs: &[Rr]| rrs.iter().map(ToString::to_string).collect::<Vec<_>>();
        (
            r.rcode,
            text(&r.answer),
            text(&r.authority),
            text(&r.additional),
        )
    };
    assert_eq!(
        ask("cluster.local.", RrType::Ns),
        (
            Rcode::NoError,
            vec!["cluster.local.\t30\tIN\tNS\tkube-dns.kube-system.svc.cluster.local.".into()],
            vec![],
            vec!["kube-dns.kube-system.svc.cluster.local.\t30\tIN\tA\t10.96.0.10".into()]
        )
    );
    let soa = "cluster.local.\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 0 7200 1800 86400 30";
    assert_eq!(
        ask("cluster.local.", RrType::Soa),
        (Rcode::NoError, vec![soa.into()], vec![], vec![])
    );
    assert_eq!(
        ask("nope.default.svc.cluster.local.", RrType::A),
        (Rcode::NxDomain, vec![], vec![soa.into()], vec![])
    );
    assert_eq!(
        ask("10-244-1-10.default.pod.cluster.local.", RrType::A),
        (
            Rcode::NoError,
            vec!["10-244-1-10.default.pod.cluster.local.\t30\tIN\tA\t10.244.1.10".into()],
            vec![],
            vec![]
        )
    );
    // A transfer is refused; an ExternalName answers CNAME for CNAME.
    assert_eq!(ask("cluster.local.", RrType::Axfr).0, Rcode::Refused);
    assert_eq!(
        ask("search.default.svc.cluster.local.", RrType::Cname).1,
        ["search.default.svc.cluster.local.\t30\tIN\tCNAME\twww.example.com."]
    );
}

#[test]
fn nslookup_soa_prints_busybox_1_36_fields() {
    let out = run("default", &["-type=soa", "cluster.local"]);
    assert_eq!(
        out.stdout,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\
         cluster.local\n\torigin = ns.dns.cluster.local\n\tmail addr = hostmaster.cluster.local\n\
         \tserial = 0\n\trefresh = 7200\n\tretry = 1800\n\texpire = 86400\n\tminimum = 30\n\n"
    );
}
