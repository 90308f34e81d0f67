//! The cluster's DNS as the world runs it: kubeadm's `kube-system/kube-dns` Service at
//! the tenth address of the Service range (10.96.0.10 by default), CoreDNS's
//! kubernetes plugin answering from the world's objects ([`ClusterDns`], kubeadm's
//! Corefile stanza), and every pod's `/etc/resolv.conf` for `dnsPolicy: ClusterFirst`.
//!
//! The read accessors are what a console needs: [`World::cluster_dns`] (the server as
//! of now), [`World::resolv_conf`] (a pod's resolver) and [`World::nslookup`]
//! (`kubectl exec POD -- nslookup …` in busybox's words). Clients resolve their
//! targets through the same server, once per new connection (Go's resolver and curl
//! keep no cache), and the lookup is the first hop of the connection's trace.
//!
//! The server is rebuilt from the objects only when something it reads may have changed
//! (a command, a Service sync) and only when a lookup needs it; the answers for each
//! `(namespace, name)` asked are kept until then. A lookup is a pure function of the
//! objects, so the cache never changes a run.
//!
//! Upstream: kubernetes/kubernetes@008b3652 `cmd/kubeadm/app/phases/addons/dns/`
//! (`manifests.go`: the `kube-dns` Service, its labels and ports; `dns.go`
//! `GetDNSIP`: the tenth address of the Service subnet), `cmd/kubeadm/app/constants`.
//! Simplification: CoreDNS runs as a cluster component, not as pods: the `kube-dns`
//! Service exists with kubeadm's selector, ports and address but has no endpoints, and
//! the pods' queries reach CoreDNS without passing kube-proxy, which programs no rules
//! for it (the rules a real cluster has for it would need CoreDNS's pods). Every pod uses
//! `dnsPolicy: ClusterFirst` (the default); `hostNetwork` pods, `dnsConfig` and the
//! node's own search domains are not modelled. A Service range too small to hold its
//! tenth address (kubeadm refuses such a range) leaves the cluster without DNS.

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use super::World;
use crate::apiserver::cluster_ip::{Cidr, ip_to_u128, u128_to_ip};
use crate::dns::resolver::{Failure, ServedAt, search};
use crate::dns::{
    ClusterDns, DnsConfig, NslookupOutput, Rcode, ResolvConf, RrType, Upstream, nslookup,
};
use crate::error::CommandError;
use crate::objects::service::ServicePort;
use crate::objects::{IntOrString, Labels, NamespacedName, ObjectMeta, Protocol, Service};
use crate::proxy::{Hop, Unreachable};

/// The cluster domain (`--cluster-domain`; kubeadm's default).
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// Which address of the Service range the DNS Service gets (kubeadm: the tenth).
pub const DNS_SERVICE_INDEX: u128 = 10;

/// What a client's lookup of a host found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The lookup as a hop of the connection's trace.
    pub hop: Hop,
    /// The address to connect to (the first of the answer, as Go's dialer tries it
    /// first), when the name resolved.
    pub address: Option<IpAddr>,
}

impl Resolved {
    /// Why nothing can be addressed, when the name did not resolve.
    pub fn unreachable(&self) -> Option<Unreachable> {
        match &self.hop {
            Hop::Dns {
                address: None,
                answered_as: None,
                ..
            } => Some(Unreachable::NoSuchService),
            Hop::Dns { address: None, .. } => Some(Unreachable::NoAddress),
            _ => None,
        }
    }
}

/// The DNS server built for one state of the objects, and the lookups made since.
#[derive(Debug, Clone)]
struct Built {
    generation: u64,
    dns: ClusterDns,
    lookups: HashMap<String, HashMap<String, Arc<Resolved>>>,
}

/// The world's DNS: a generation bumped whenever the objects may have changed, and the
/// server and lookups of the last generation asked about.
#[derive(Debug, Clone, Default)]
pub(crate) struct DnsState {
    generation: u64,
    built: RefCell<Option<Built>>,
}

impl DnsState {
    /// The objects CoreDNS watches may have changed.
    pub(crate) fn changed(&mut self) {
        self.generation = self.generation.wrapping_add(1);
    }
}

/// Whether `key` is the `kube-system/kube-dns` Service.
pub(crate) fn is_kube_dns(key: &NamespacedName) -> bool {
    key.namespace == "kube-system" && key.name == "kube-dns"
}

/// The tenth address of the Service range, as kubeadm computes `clusterDNS`.
pub(crate) fn dns_service_address(service_cidr: &str) -> Option<IpAddr> {
    let cidr = Cidr::parse(service_cidr).ok()?;
    let ip = u128_to_ip(
        ip_to_u128(cidr.network).checked_add(DNS_SERVICE_INDEX)?,
        cidr.network.is_ipv4(),
    );
    cidr.contains(ip).then_some(ip)
}

/// kubeadm's `kube-system/kube-dns` Service at `ip`.
pub(crate) fn kube_dns_service(ip: IpAddr) -> Service {
    let mut s = Service {
        metadata: ObjectMeta::named("kube-system", "kube-dns"),
        ..Service::default()
    };
    s.metadata.labels = Labels::from([
        ("k8s-app".to_owned(), "kube-dns".to_owned()),
        (
            "kubernetes.io/cluster-service".to_owned(),
            "true".to_owned(),
        ),
        ("kubernetes.io/name".to_owned(), "CoreDNS".to_owned()),
    ]);
    s.spec.selector = Some(Labels::from([(
        "k8s-app".to_owned(),
        "kube-dns".to_owned(),
    )]));
    s.spec.cluster_ip = ip.to_string();
    let port = |name: &str, protocol: Protocol, port: i32| ServicePort {
        name: name.to_owned(),
        protocol,
        port,
        target_port: IntOrString::Int(port),
        ..ServicePort::default()
    };
    s.spec.ports = vec![
        port("dns", Protocol::Udp, 53),
        port("dns-tcp", Protocol::Tcp, 53),
        port("metrics", Protocol::Tcp, 9153),
    ];
    s
}

impl World {
    /// The `kube-dns` Service's address, the nameserver of every pod; `None` when the
    /// Service range has no tenth address.
    pub fn dns_service_ip(&self) -> Option<IpAddr> {
        let key = NamespacedName::new("kube-system", "kube-dns");
        self.services
            .get(&key)
            .and_then(|s| s.spec.cluster_ip.parse().ok())
    }

    /// The cluster DNS server as CoreDNS would answer now, built from the world's
    /// Services, EndpointSlices, pods and namespaces (kubeadm's Corefile stanza).
    pub fn cluster_dns(&self) -> ClusterDns {
        self.with_dns(|dns, _| dns.clone())
    }

    /// The `/etc/resolv.conf` of a pod (`dnsPolicy: ClusterFirst`); `None` when there
    /// is no such pod.
    pub fn resolv_conf(&self, pod: &NamespacedName) -> Option<ResolvConf> {
        self.pods.get(pod)?;
        let servers: Vec<String> = self
            .dns_service_ip()
            .map(|ip| ip.to_string())
            .into_iter()
            .collect();
        Some(ResolvConf::cluster_first(
            &pod.namespace,
            CLUSTER_DOMAIN,
            &servers,
        ))
    }

    /// `kubectl exec POD -- nslookup ARGS`: busybox's output in the pod. Refused as
    /// kubectl refuses when the pod does not exist or is not running.
    pub fn nslookup(
        &self,
        pod: &NamespacedName,
        args: &[&str],
    ) -> Result<NslookupOutput, CommandError> {
        let p = self.pod_or_not_found(pod)?;
        if p.status.phase != crate::objects::PodPhase::Running {
            return Err(CommandError::PodNotRunning {
                name: pod.name.clone(),
                phase: format!("{:?}", p.status.phase),
            });
        }
        let conf = self
            .resolv_conf(pod)
            .unwrap_or_else(|| ResolvConf::cluster_first(&pod.namespace, CLUSTER_DOMAIN, &[]));
        Ok(self.with_dns(|dns, _| {
            let at = conf.nameservers.clone();
            nslookup(
                args,
                &conf,
                &ServedAt {
                    dns,
                    addresses: &at,
                },
            )
        }))
    }

    /// Resolves `host` as a pod in `namespace` would before connecting: the search list,
    /// A then AAAA per candidate (Go's resolver asks both), against the cluster DNS.
    pub(crate) fn resolve(&self, namespace: &str, host: &str) -> Arc<Resolved> {
        let cached =
            self.with_dns(|_, lookups| lookups.get(namespace).and_then(|m| m.get(host)).cloned());
        if let Some(r) = cached {
            return r;
        }
        let server = self.dns_service_ip();
        let resolved = Arc::new(self.with_dns(|dns, _| lookup(dns, namespace, host, server)));
        if let Ok(mut b) = self.dns.built.try_borrow_mut()
            && let Some(b) = b.as_mut()
        {
            b.lookups
                .entry(namespace.to_owned())
                .or_default()
                .insert(host.to_owned(), resolved.clone());
        }
        resolved
    }

    /// Runs `f` on the server of the current generation (building it first if needed).
    fn with_dns<T>(
        &self,
        f: impl FnOnce(&ClusterDns, &HashMap<String, HashMap<String, Arc<Resolved>>>) -> T,
    ) -> T {
        let fresh = |w: &World| Built {
            generation: w.dns.generation,
            dns: w.build_dns(),
            lookups: HashMap::new(),
        };
        match self.dns.built.try_borrow_mut() {
            Ok(mut slot) => {
                if slot
                    .as_ref()
                    .is_none_or(|b| b.generation != self.dns.generation)
                {
                    *slot = Some(fresh(self));
                }
                match slot.as_ref() {
                    Some(b) => f(&b.dns, &b.lookups),
                    None => {
                        let b = fresh(self);
                        f(&b.dns, &b.lookups)
                    }
                }
            }
            Err(_) => {
                let b = fresh(self);
                f(&b.dns, &b.lookups)
            }
        }
    }

    #[allow(clippy::expect_used)]
    fn build_dns(&self) -> ClusterDns {
        // kubeadm's stanza is a constant, valid by construction (the test
        // `kubeadms_dns_config_is_valid` checks it); no user input reaches it.
        ClusterDns::from_objects(
            &DnsConfig::kubeadm(CLUSTER_DOMAIN),
            self.services.all().values(),
            self.slices.all().values(),
            self.pods.all().values().map(|p| &**p),
            self.namespaces.iter().cloned(),
            Upstream::none(),
        )
        .expect("kubeadm's DNS configuration is valid")
    }
}

/// One stub-resolver lookup against `dns` at `server`.
fn lookup(dns: &ClusterDns, namespace: &str, host: &str, server: Option<IpAddr>) -> Resolved {
    let servers: Vec<String> = server.map(|ip| ip.to_string()).into_iter().collect();
    let conf = ResolvConf::cluster_first(namespace, CLUSTER_DOMAIN, &servers);
    let hop = |answered_as: Option<Arc<str>>, queries: usize, address: Option<IpAddr>| Hop::Dns {
        name: Arc::from(host),
        answered_as,
        server: server.unwrap_or(IpAddr::from([0, 0, 0, 0])),
        queries: u16::try_from(queries).unwrap_or(u16::MAX),
        address,
    };
    let Ok(r) = search(
        &conf,
        host,
        &[RrType::A, RrType::Aaaa],
        &ServedAt {
            dns,
            addresses: &servers,
        },
    ) else {
        return Resolved {
            hop: hop(None, 0, None),
            address: None,
        };
    };
    let queries = r.exchanges.len();
    let address = r.addresses().first().copied();
    let answered_as = match &r.result {
        Ok(responses) => responses
            .first()
            .map(|resp| Arc::from(resp.question.name.as_str())),
        Err(Failure::NoData) => r
            .exchanges
            .iter()
            .find(|e| {
                e.response
                    .as_ref()
                    .is_some_and(|x| x.rcode == Rcode::NoError)
            })
            .map(|e| Arc::from(e.question.name.as_str())),
        Err(_) => None,
    };
    Resolved {
        hop: hop(answered_as, queries, address),
        address,
    }
}
