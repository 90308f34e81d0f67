//! The cluster DNS server: CoreDNS with the kubernetes plugin, then `forward` to the
//! outside world ([`Upstream`]).
//!
//! Upstream: coredns/coredns@4b26cced `plugin/kubernetes/handler.go` `ServeDNS` (per
//! type, name errors to NXDOMAIN, empty answers to NODATA, the SOA in the authority
//! section of both) and `plugin/backend_lookup.go` `BackendError`.
//!
//! Simplification: the `cache` and `loadbalance` plugins of kubeadm's Corefile are not
//! modelled (kubeadm disables caching for the cluster domain anyway), so answers keep
//! the plugin's order; the API is always in sync (no SERVFAIL while syncing).

use super::cluster::ClusterDns;
use super::lookup::Family;
use super::message::{Question, Rcode, Response, Rr, RrType};
use super::name;
use super::records::{Ask, Miss};

/// How often a query may re-enter the server (an ExternalName whose target the server
/// itself answers) before it is refused.
/// Upstream: coredns/coredns@18d305f4 `core/dnsserver/server.go`
/// `maxreentries`.
const MAX_REENTRIES: usize = 10;

impl ClusterDns {
    /// Answers one query, as CoreDNS's kubernetes plugin (or, outside its zones, the
    /// upstream) does.
    pub fn serve(&self, question: &Question) -> Response {
        self.serve_at(question, 0)
    }

    /// A query the server sends itself (`Upstream.Lookup` re-enters the server).
    pub(super) fn lookup(&self, target: &str, qtype: RrType, depth: usize) -> Response {
        match Question::new(target, qtype) {
            Ok(q) => self.serve_at(&q, depth + 1),
            Err(_) => Response::new(
                &Question {
                    name: name::fqdn(target),
                    qtype,
                },
                Rcode::FormErr,
                false,
            ),
        }
    }

    fn serve_at(&self, q: &Question, depth: usize) -> Response {
        if depth > MAX_REENTRIES {
            return Response::new(q, Rcode::Refused, false);
        }
        let Some(matched) = name::zone_match(&self.config.zones, &q.name) else {
            return self.upstream.resolve(q);
        };
        // The zone as the query spells it (case kept).
        let zone = q
            .name
            .get(q.name.len().saturating_sub(matched.len())..)
            .unwrap_or(matched);
        let ask = Ask::new(&q.name, q.qtype, zone);
        let mut answer = Vec::new();
        let mut extra = Vec::new();
        match self.records_for(&ask, depth, &mut answer, &mut extra) {
            Err(None) => Response::new(q, Rcode::Refused, false),
            Err(Some(_)) if self.config.falls_through(&ask.name) => self.upstream.resolve(q),
            Err(Some(_)) => self.backend_error(q, zone, Rcode::NxDomain),
            Ok(()) if answer.is_empty() => self.backend_error(q, zone, Rcode::NoError),
            Ok(()) => Response {
                question: q.clone(),
                rcode: Rcode::NoError,
                authoritative: true,
                answer,
                authority: Vec::new(),
                additional: extra,
            },
        }
    }

    /// The records per type. `Err(None)` is a refused transfer, `Err(Some)` a name error.
    fn records_for(
        &self,
        ask: &Ask,
        depth: usize,
        answer: &mut Vec<Rr>,
        extra: &mut Vec<Rr>,
    ) -> Result<(), Option<Miss>> {
        match ask.qtype {
            RrType::A => *answer = self.addresses(ask, Family::V4, &[], depth)?,
            RrType::Aaaa => *answer = self.addresses(ask, Family::V6, &[], depth)?,
            RrType::Txt => *answer = self.txt(ask)?,
            RrType::Cname => *answer = self.cname(ask)?,
            RrType::Ptr => *answer = self.ptr(ask)?,
            // No mail records: only whether the name exists matters.
            RrType::Mx => {
                self.services(ask)?;
            }
            RrType::Srv => (*answer, *extra) = self.srv(ask)?,
            RrType::Soa => {
                if ask.qname == ask.zone {
                    answer.push(self.soa(ask.zone));
                }
            }
            RrType::Axfr | RrType::Ixfr => return Err(None),
            RrType::Ns if ask.name == ask.zone => (*answer, *extra) = self.ns(ask)?,
            // Any other type: an A lookup tells NODATA from NXDOMAIN.
            _ => {
                self.addresses(&ask.with(&ask.qname, RrType::A), Family::V4, &[], depth)?;
            }
        }
        Ok(())
    }

    /// An answer without records: `rcode` and the zone's SOA in the authority section.
    fn backend_error(&self, q: &Question, zone: &str, rcode: Rcode) -> Response {
        let mut r = Response::new(q, rcode, true);
        r.authority.push(self.soa(zone));
        r
    }
}
