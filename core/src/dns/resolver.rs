//! A pod's stub resolver: the `/etc/resolv.conf` the kubelet writes for
//! `dnsPolicy: ClusterFirst`, and the search-list walk of glibc's `res_nsearch`, which
//! records every query it sends (the DNS hop of a request's trace).
//!
//! Upstream: kubernetes/kubernetes@04791b49 `pkg/kubelet/network/dns/dns.go`
//! (`generateSearchesForDNSClusterFirst`, `defaultDNSOptions`) and bminor/glibc@05dec22d
//! `resolv/res_query.c` (`__res_context_search`, `__res_context_query`).
//!
//! Simplification: one attempt per nameserver (glibc's default is `attempts:2` with a
//! 5 s timeout each); A and AAAA are sent one after the other, not in parallel;
//! `/etc/hosts` is not consulted.

use std::net::IpAddr;

use super::cluster::ClusterDns;
use super::config::DEFAULT_CLUSTER_DOMAIN;
use super::message::{Question, RData, Rcode, Response, RrType};
use super::name::{self, NameError};

/// The kubelet's `ndots` for ClusterFirst pods.
/// Upstream: kubernetes/kubernetes@51bd0b65 `pkg/kubelet/network/dns/dns.go` `defaultDNSOptions`.
pub const CLUSTER_FIRST_NDOTS: usize = 5;

/// Something that answers DNS queries sent to an address.
pub trait Nameserver {
    /// The response of the server at `server` to `question`, or `None` when nothing
    /// answers there (the query times out).
    fn exchange(&self, server: &str, question: &Question) -> Option<Response>;
}

/// The cluster DNS server reachable at `addresses` (the DNS Service's ClusterIP, its
/// pods' IPs); nothing answers anywhere else.
#[derive(Debug, Clone, Copy)]
pub struct ServedAt<'a> {
    /// The server.
    pub dns: &'a ClusterDns,
    /// Where it answers.
    pub addresses: &'a [String],
}

impl Nameserver for ServedAt<'_> {
    fn exchange(&self, server: &str, question: &Question) -> Option<Response> {
        self.addresses
            .iter()
            .any(|a| a == server)
            .then(|| self.dns.serve(question))
    }
}

/// A resolver configuration: `/etc/resolv.conf`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvConf {
    /// `search`: domains appended to short names, in order.
    pub search: Vec<String>,
    /// `nameserver` lines, in order.
    pub nameservers: Vec<String>,
    /// `options ndots:N`: names with fewer dots try the search list first.
    pub ndots: usize,
}

impl ResolvConf {
    /// What the kubelet writes for a pod in `namespace` with `dnsPolicy: ClusterFirst`
    /// (the node's own search list taken as empty): `search <ns>.svc.<domain>
    /// svc.<domain> <domain>`, the cluster DNS Service's IPs, `options ndots:5`.
    pub fn cluster_first(namespace: &str, cluster_domain: &str, cluster_dns: &[String]) -> Self {
        let domain = cluster_domain.trim_end_matches('.');
        let domain = if domain.is_empty() {
            DEFAULT_CLUSTER_DOMAIN
        } else {
            domain
        };
        let mut search: Vec<String> = Vec::new();
        for s in [
            format!("{namespace}.svc.{domain}"),
            format!("svc.{domain}"),
            domain.to_owned(),
        ] {
            if !search.contains(&s) {
                search.push(s);
            }
        }
        ResolvConf {
            search,
            nameservers: cluster_dns.to_vec(),
            ndots: CLUSTER_FIRST_NDOTS,
        }
    }

    /// The file's text as the container runtime writes it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if !self.search.is_empty() {
            out.push_str(&format!("search {}\n", self.search.join(" ")));
        }
        for ns in &self.nameservers {
            out.push_str(&format!("nameserver {ns}\n"));
        }
        out.push_str(&format!("options ndots:{}\n", self.ndots));
        out
    }
}

/// One query sent and what came back (`None`: no answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The server asked.
    pub server: String,
    /// The question.
    pub question: Question,
    /// The response, if any arrived.
    pub response: Option<Response>,
}

/// Why a lookup failed: glibc's `h_errno`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// `HOST_NOT_FOUND`: NXDOMAIN (or nothing was asked).
    HostNotFound,
    /// `NO_DATA`: the name exists without records of the type.
    NoData,
    /// `TRY_AGAIN`: SERVFAIL, or no server answered.
    TryAgain,
    /// `NO_RECOVERY`: REFUSED, FORMERR, NOTIMP, or a name too long to send.
    NoRecovery,
}

/// What a lookup did: every query in order, and the answering responses (one per type
/// asked, for the name that answered) or the failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Every query sent, in order.
    pub exchanges: Vec<Exchange>,
    /// The responses for the name that answered, or why none did.
    pub result: Result<Vec<Response>, Failure>,
}

impl Resolution {
    /// The addresses of the answer, each following the CNAME chain from the asked name
    /// as glibc's `getanswer` does.
    ///
    /// Simplification: A before AAAA, in answer order; glibc sorts by RFC 6724, which
    /// puts IPv4 first for a pod with only an IPv4 address, as this model's pods are.
    pub fn addresses(&self) -> Vec<IpAddr> {
        let Ok(responses) = &self.result else {
            return Vec::new();
        };
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for r in responses {
            let mut current = r.question.name.clone();
            for rr in &r.answer {
                if !name::eq_fold(&rr.owner, &current) {
                    continue;
                }
                match &rr.data {
                    RData::Cname(target) => current = target.clone(),
                    RData::A(ip) if r.question.qtype == RrType::A => v4.push(IpAddr::V4(*ip)),
                    RData::Aaaa(ip) if r.question.qtype == RrType::Aaaa => {
                        v6.push(IpAddr::V6(*ip));
                    }
                    _ => {}
                }
            }
        }
        v4.extend(v6);
        v4
    }
}

/// Looks `name` up with the search list, asking each type in `qtypes` per candidate
/// name, as glibc's `res_nsearch` does: a name with a trailing dot is asked only as is;
/// a name with at least `ndots` dots is asked as is first; otherwise the search domains
/// come first and the name as is last. NXDOMAIN, NODATA and SERVFAIL move on to the next
/// candidate; anything else stops the search.
pub fn search(
    conf: &ResolvConf,
    name: &str,
    qtypes: &[RrType],
    ns: &dyn Nameserver,
) -> Result<Resolution, NameError> {
    name::check(name)?;
    let mut exchanges = Vec::new();
    let dots = name.matches('.').count();
    let trailing_dot = name.ends_with('.');
    // h_errno: "true if we never query", then whatever the last query set.
    let mut last = Failure::HostNotFound;
    let mut saved: Option<Failure> = None;
    let (mut got_nodata, mut got_servfail, mut tried_as_is, mut root_on_list) =
        (false, false, false, false);
    if dots >= conf.ndots || trailing_dot {
        match query(conf, name, qtypes, ns, &mut exchanges) {
            Ok(r) => return Ok(done(exchanges, Ok(r))),
            Err((f, _)) if trailing_dot => return Ok(done(exchanges, Err(f))),
            Err((f, _)) => saved = Some(f),
        }
        tried_as_is = true;
    }
    if !trailing_dot {
        for domain in &conf.search {
            let domain = domain.strip_prefix('.').unwrap_or(domain);
            root_on_list |= domain.is_empty();
            let candidate = format!("{name}.{domain}");
            let (failure, servfail) = match query(conf, &candidate, qtypes, ns, &mut exchanges) {
                Ok(r) => return Ok(done(exchanges, Ok(r))),
                Err(f) => f,
            };
            last = failure;
            match failure {
                Failure::NoData => got_nodata = true,
                Failure::HostNotFound => {}
                Failure::TryAgain if servfail => got_servfail = true,
                Failure::TryAgain | Failure::NoRecovery => break,
            }
        }
    }
    if !(tried_as_is || root_on_list) {
        match query(conf, name, qtypes, ns, &mut exchanges) {
            Ok(r) => return Ok(done(exchanges, Ok(r))),
            Err((f, _)) => last = f,
        }
    }
    let failure = match saved {
        Some(f) => f,
        None if got_nodata => Failure::NoData,
        None if got_servfail => Failure::TryAgain,
        None => last,
    };
    Ok(done(exchanges, Err(failure)))
}

fn done(exchanges: Vec<Exchange>, result: Result<Vec<Response>, Failure>) -> Resolution {
    Resolution { exchanges, result }
}

/// Asks one name (each type) of the nameservers in order; the failure carries whether
/// it came from a SERVFAIL response.
/// Upstream: bminor/glibc@f282cdbe `resolv/res_query.c` `__res_context_query`.
fn query(
    conf: &ResolvConf,
    name: &str,
    qtypes: &[RrType],
    ns: &dyn Nameserver,
    exchanges: &mut Vec<Exchange>,
) -> Result<Vec<Response>, (Failure, bool)> {
    let mut responses = Vec::new();
    for &qtype in qtypes {
        let Ok(q) = Question::new(name, qtype) else {
            return Err((Failure::NoRecovery, false));
        };
        match send(conf, &q, ns, exchanges) {
            Some(r) => responses.push(r),
            None => return Err((Failure::TryAgain, false)),
        }
    }
    let answered = |r: &Response| r.rcode == Rcode::NoError && !r.answer.is_empty();
    if responses.iter().any(answered) {
        return Ok(responses);
    }
    let failure = classify(&responses);
    let servfail = responses
        .first()
        .is_some_and(|r| r.rcode == Rcode::ServFail);
    Err((failure, servfail))
}

/// The `h_errno` of responses without answers: the first one's rcode, or the second's
/// when the first is NOERROR.
fn classify(responses: &[Response]) -> Failure {
    let first = responses.first().map_or(Rcode::NoError, |r| r.rcode);
    let code = match responses.get(1) {
        Some(second) if first == Rcode::NoError => second.rcode,
        _ => first,
    };
    match code {
        Rcode::NxDomain => Failure::HostNotFound,
        Rcode::ServFail => Failure::TryAgain,
        Rcode::NoError => Failure::NoData,
        Rcode::FormErr | Rcode::NotImp | Rcode::Refused => Failure::NoRecovery,
    }
}

/// Sends `q` to each nameserver in turn until one answers with something other than
/// SERVFAIL, NOTIMP or REFUSED (glibc's `res_send` moves on after those).
fn send(
    conf: &ResolvConf,
    q: &Question,
    ns: &dyn Nameserver,
    exchanges: &mut Vec<Exchange>,
) -> Option<Response> {
    let mut last = None;
    for server in &conf.nameservers {
        let response = ns.exchange(server, q);
        exchanges.push(Exchange {
            server: server.clone(),
            question: q.clone(),
            response: response.clone(),
        });
        match response {
            Some(r) if matches!(r.rcode, Rcode::ServFail | Rcode::NotImp | Rcode::Refused) => {
                last = Some(r);
            }
            Some(r) => return Some(r),
            None => {}
        }
    }
    last
}
