//! From the plugin's records to resource records, per query type: addresses with
//! CNAME chasing, SRV with weights and glue, CNAME, TXT, PTR, NS and the zone's SOA.
//!
//! Upstream: coredns/coredns@4b26cced `plugin/backend_lookup.go` (`A`, `AAAA`, `SRV`,
//! `CNAME`, `TXT`, `PTR`, `NS`, `SOA`, `checkForApex`).
//!
//! Simplification: truncation (the `TC` bit of an upstream answer) is not modelled, and
//! MX answers nothing because the kubernetes plugin never makes mail records.

use std::collections::BTreeSet;

use super::cluster::ClusterDns;
use super::message::{RData, Rr, RrType, Soa};
use super::name;
use super::records::{Ask, Backend, Found, HostType, Miss};

/// How many CNAMEs an address answer may chain.
/// Upstream: coredns/coredns@4b26cced `plugin/backend_lookup.go` `maxCnameChainLength`.
const MAX_CNAME_CHAIN: usize = 10;
/// The longest TTL of the SOA record itself.
const MAX_SOA_TTL: u32 = 300;

/// Which address family an address lookup answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    V4,
    V6,
}

impl ClusterDns {
    /// `A` / `AAAA`: the addresses of the name, following an ExternalName's CNAME inside
    /// the zone (recursively) or through the server again (`Lookup`) outside it.
    pub(super) fn addresses(
        &self,
        ask: &Ask,
        family: Family,
        previous: &[Rr],
        depth: usize,
    ) -> Result<Vec<Rr>, Miss> {
        let found = self.check_for_apex(ask)?;
        let mut records = Vec::new();
        let mut seen = BTreeSet::new();
        for serv in &found {
            match serv.host_type() {
                HostType::Cname => {
                    let target = name::fqdn(&serv.host);
                    if ask.name == target || name::is_subdomain(&ask.name, &target) {
                        continue; // x CNAME x is a direct loop
                    }
                    let cname = Rr {
                        owner: ask.qname.clone(),
                        ttl: serv.ttl,
                        data: RData::Cname(target.clone()),
                    };
                    let duplicate = previous
                        .iter()
                        .any(|r| matches!(&r.data, RData::Cname(t) if *t == target));
                    if previous.len() > MAX_CNAME_CHAIN || duplicate {
                        continue;
                    }
                    if name::is_subdomain(ask.zone, &target) {
                        let mut chain = previous.to_vec();
                        chain.push(cname.clone());
                        let next = ask.with(&target, ask.qtype);
                        match self.addresses(&next, family, &chain, depth) {
                            Ok(next) if !next.is_empty() => {
                                records.push(cname);
                                records.extend(next);
                            }
                            _ => {}
                        }
                        continue;
                    }
                    let reply = self.lookup(&target, ask.qtype, depth);
                    records.push(cname);
                    records.extend(reply.answer);
                }
                HostType::A(ip) if family == Family::V4 && seen.insert(serv.host.clone()) => {
                    records.push(address(ask, serv, RData::A(ip)));
                }
                HostType::Aaaa(ip) if family == Family::V6 && seen.insert(serv.host.clone()) => {
                    records.push(address(ask, serv, RData::Aaaa(ip)));
                }
                _ => {}
            }
        }
        Ok(records)
    }

    /// `SRV`: one record per (target, port) with weights shared per priority, and the
    /// targets' addresses as glue.
    pub(super) fn srv(&self, ask: &Ask) -> Result<(Vec<Rr>, Vec<Rr>), Miss> {
        let found = self.services(ask)?;
        // Every record has priority 0 and weight 0 (read as 100) here.
        let total = 100.0 * found.len() as f64;
        let mut records = Vec::new();
        let mut extra = Vec::new();
        let mut dup_srv = BTreeSet::new();
        let mut dup_addr = BTreeSet::new();
        for serv in found.iter().filter(|s| s.port != -1) {
            let weight = ((100.0 / total) * 100.0).floor() as u16;
            let weight = weight.max(1);
            let data = match serv.host_type() {
                HostType::A(ip) => RData::A(ip),
                HostType::Aaaa(ip) => RData::Aaaa(ip),
                // ExternalName records were dropped by `services` for SRV.
                HostType::Cname | HostType::Txt => continue,
            };
            let port = serv.port as u16;
            if dup_srv.insert((serv.target.clone(), port)) {
                records.push(Rr {
                    owner: ask.qname.clone(),
                    ttl: serv.ttl,
                    data: RData::Srv {
                        priority: 0,
                        weight,
                        port,
                        target: serv.target.clone(),
                    },
                });
            }
            if dup_addr.insert((serv.target.clone(), serv.host.clone())) {
                extra.push(Rr {
                    owner: serv.target.clone(),
                    ttl: serv.ttl,
                    data,
                });
            }
        }
        Ok((records, extra))
    }

    /// `CNAME`: the first record's name, when it is a name.
    pub(super) fn cname(&self, ask: &Ask) -> Result<Vec<Rr>, Miss> {
        let found = self.services(ask)?;
        Ok(found
            .first()
            .filter(|s| name::go_parse_ip(&s.host).is_none())
            .map(|s| Rr {
                owner: ask.qname.clone(),
                ttl: s.ttl,
                data: RData::Cname(name::fqdn(&s.host)),
            })
            .into_iter()
            .collect())
    }

    /// `TXT`: only `dns-version.<zone>` has one.
    pub(super) fn txt(&self, ask: &Ask) -> Result<Vec<Rr>, Miss> {
        let found = self.services(ask)?;
        let mut seen = BTreeSet::new();
        Ok(found
            .iter()
            .filter(|s| s.host_type() == HostType::Txt && seen.insert(s.text.clone()))
            .map(|s| Rr {
                owner: ask.qname.clone(),
                ttl: s.ttl,
                data: RData::Txt(vec![s.text.clone()]),
            })
            .collect())
    }

    /// `PTR`: the distinct names the reverse lookup found.
    pub(super) fn ptr(&self, ask: &Ask) -> Result<Vec<Rr>, Miss> {
        let found = self.reverse(ask)?;
        let mut seen = BTreeSet::new();
        Ok(found
            .iter()
            .filter(|s| name::go_parse_ip(&s.host).is_none() && seen.insert(s.host.clone()))
            .map(|s| Rr {
                owner: ask.qname.clone(),
                ttl: s.ttl,
                data: RData::Ptr(name::fqdn(&s.host)),
            })
            .collect())
    }

    /// `NS` at the apex: the server's names, with their addresses as glue.
    pub(super) fn ns(&self, ask: &Ask) -> Result<(Vec<Rr>, Vec<Rr>), Miss> {
        let probe = ask.with(&format!("ns.dns.{}", ask.zone), RrType::Ns);
        let found = self.services(&probe)?;
        let mut records = Vec::new();
        let mut extra = Vec::new();
        let mut seen = BTreeSet::new();
        for serv in &found {
            let data = match serv.host_type() {
                HostType::A(ip) => RData::A(ip),
                HostType::Aaaa(ip) => RData::Aaaa(ip),
                HostType::Cname | HostType::Txt => continue,
            };
            extra.push(Rr {
                owner: serv.target.clone(),
                ttl: serv.ttl,
                data,
            });
            if seen.insert(serv.target.clone()) {
                records.push(Rr {
                    owner: ask.qname.clone(),
                    ttl: serv.ttl,
                    data: RData::Ns(serv.target.clone()),
                });
            }
        }
        Ok((records, extra))
    }

    /// The zone's SOA, as NXDOMAIN and NODATA answers carry it.
    pub(super) fn soa(&self, zone: &str) -> Rr {
        let ttl = self.config.ttl;
        Rr {
            owner: zone.to_owned(),
            ttl: ttl.min(MAX_SOA_TTL),
            data: RData::Soa(Soa {
                ns: join("ns.dns", zone),
                mbox: join("hostmaster", zone),
                serial: self.config.serial,
                refresh: 7200,
                retry: 1800,
                expire: 86400,
                minttl: ttl,
            }),
        }
    }

    /// At the apex, address queries look at `apex.dns.<zone>` first.
    fn check_for_apex(&self, ask: &Ask) -> Found {
        if ask.name != ask.zone {
            return self.services(ask);
        }
        let probe = ask.with(&format!("apex.dns.{}", ask.zone), ask.qtype);
        match self.services(&probe) {
            Ok(found) => Ok(found),
            Err(_) => self.services(ask),
        }
    }
}

/// An address record for the asked name.
fn address(ask: &Ask, serv: &Backend, data: RData) -> Rr {
    Rr {
        owner: ask.qname.clone(),
        ttl: serv.ttl,
        data,
    }
}

/// `label.zone`, the root zone giving `label.`.
/// Upstream: coredns/coredns@4b26cced `plugin/pkg/dnsutil/join.go` `dnsutil.Join`.
fn join(label: &str, zone: &str) -> String {
    if zone == "." {
        format!("{label}.")
    } else {
        format!("{label}.{zone}")
    }
}
