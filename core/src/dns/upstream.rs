//! The world outside the cluster, as the `forward` plugin would reach it: a fixed table
//! of records, answered non-authoritatively, following CNAMEs within the table.
//!
//! Simplification: the simulated cluster has no Internet. Names outside the cluster's
//! zones are answered from this table; with the default empty table every such name is
//! NXDOMAIN (a real cluster would ask the node's resolvers).

use std::collections::BTreeMap;

use super::message::{Question, RData, Rcode, Response, Rr, RrType};

/// How many CNAMEs an upstream answer follows.
const MAX_CHAIN: usize = 8;

/// A fixed table of outside records, keyed by lower-cased owner name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Upstream {
    records: BTreeMap<String, Vec<Rr>>,
}

impl Upstream {
    /// No outside names at all.
    pub fn none() -> Upstream {
        Upstream::default()
    }

    /// Adds a record (its owner made absolute).
    pub fn add(&mut self, mut rr: Rr) {
        rr.owner = super::name::fqdn(&rr.owner);
        self.records
            .entry(rr.owner.to_ascii_lowercase())
            .or_default()
            .push(rr);
    }

    /// The answer a recursive resolver would give from this table: the records of the
    /// asked type (every type for ANY), after following CNAMEs; NXDOMAIN when the final
    /// name has no records at all.
    pub fn resolve(&self, q: &Question) -> Response {
        let mut r = Response::new(q, Rcode::NoError, false);
        let mut current = q.name.to_ascii_lowercase();
        for _ in 0..=MAX_CHAIN {
            let Some(rrs) = self.records.get(&current) else {
                r.rcode = Rcode::NxDomain;
                break;
            };
            let wanted: Vec<&Rr> = rrs
                .iter()
                .filter(|rr| q.qtype == RrType::Any || rr.rtype() == q.qtype)
                .collect();
            if !wanted.is_empty() {
                r.answer.extend(wanted.into_iter().cloned());
                break;
            }
            let alias = rrs.iter().find_map(|rr| match &rr.data {
                RData::Cname(target) => Some((rr, target.to_ascii_lowercase())),
                _ => None,
            });
            match alias {
                Some((rr, target)) => {
                    r.answer.push(rr.clone());
                    current = target;
                }
                None => break,
            }
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Upstream {
        let mut u = Upstream::none();
        u.add(Rr {
            owner: "www.example.com".into(),
            ttl: 300,
            data: RData::A("192.0.2.53".parse().unwrap()),
        });
        u.add(Rr {
            owner: "example.com.".into(),
            ttl: 300,
            data: RData::Cname("www.example.com.".into()),
        });
        u
    }

    #[test]
    fn answers_follow_cnames_and_tell_nodata_from_nxdomain() {
        let u = table();
        let a = u.resolve(&Question::new("Example.com", RrType::A).unwrap());
        assert_eq!(a.rcode, Rcode::NoError);
        assert!(!a.authoritative);
        let text: Vec<String> = a.answer.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "example.com.\t300\tIN\tCNAME\twww.example.com.",
                "www.example.com.\t300\tIN\tA\t192.0.2.53"
            ]
        );
        let aaaa = u.resolve(&Question::new("www.example.com", RrType::Aaaa).unwrap());
        assert!(aaaa.is_nodata());
        let none = u.resolve(&Question::new("google.com", RrType::A).unwrap());
        assert_eq!(none.rcode, Rcode::NxDomain);
    }
}
