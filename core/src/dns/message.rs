//! Queries and answers: record types, response codes, resource records and their text
//! in miekg/dns's presentation form (`owner<TAB>ttl<TAB>IN<TAB>TYPE<TAB>rdata`, the
//! `dns.RR.String()` CoreDNS's tests compare).
//!
//! Simplification: the class is always IN (CoreDNS's kubernetes plugin answers IN
//! whatever the question's class); EDNS0, DNSSEC and truncation are not modelled.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::name::{self, NameError};

/// A record or query type. Upstream: miekg/dns@fa041eed `types.go` (codes from RFC 1035 and
/// successors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RrType {
    /// An IPv4 address.
    A,
    /// A name server.
    Ns,
    /// An alias.
    Cname,
    /// The start of a zone of authority.
    Soa,
    /// A pointer, for reverse lookups.
    Ptr,
    /// Host information.
    Hinfo,
    /// A mail exchanger.
    Mx,
    /// Text.
    Txt,
    /// An IPv6 address.
    Aaaa,
    /// A service location (RFC 2782).
    Srv,
    /// An incremental zone transfer.
    Ixfr,
    /// A zone transfer.
    Axfr,
    /// Every type (`*`).
    Any,
    /// Any other type, by its number (`TYPE123`).
    Other(u16),
}

const NAMED: [(RrType, &str, u16); 13] = [
    (RrType::A, "A", 1),
    (RrType::Ns, "NS", 2),
    (RrType::Cname, "CNAME", 5),
    (RrType::Soa, "SOA", 6),
    (RrType::Ptr, "PTR", 12),
    (RrType::Hinfo, "HINFO", 13),
    (RrType::Mx, "MX", 15),
    (RrType::Txt, "TXT", 16),
    (RrType::Aaaa, "AAAA", 28),
    (RrType::Srv, "SRV", 33),
    (RrType::Ixfr, "IXFR", 251),
    (RrType::Axfr, "AXFR", 252),
    (RrType::Any, "ANY", 255),
];

impl RrType {
    /// The type's number.
    pub fn code(self) -> u16 {
        match self {
            RrType::Other(n) => n,
            t => NAMED.iter().find(|(k, _, _)| *k == t).map_or(0, |e| e.2),
        }
    }

    /// The type with number `code` (a named variant when there is one).
    pub fn from_code(code: u16) -> RrType {
        NAMED
            .iter()
            .find(|e| e.2 == code)
            .map_or(RrType::Other(code), |e| e.0)
    }

    /// Parses a mnemonic (`srv`, `AAAA`) or `TYPEnnn`, ignoring case.
    pub fn parse(s: &str) -> Option<RrType> {
        if let Some(e) = NAMED.iter().find(|e| e.1.eq_ignore_ascii_case(s)) {
            return Some(e.0);
        }
        let digits = s.get(..4).filter(|p| p.eq_ignore_ascii_case("TYPE"))?;
        let n = s.get(digits.len()..)?.parse::<u16>().ok()?;
        Some(RrType::from_code(n))
    }
}

impl fmt::Display for RrType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match NAMED.iter().find(|e| e.0 == *self) {
            Some(e) => f.write_str(e.1),
            None => write!(f, "TYPE{}", self.code()),
        }
    }
}

/// A response code. Upstream: miekg/dns@fa041eed `msg.go` `RcodeToString`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rcode {
    /// The name exists (the answer may still be empty: NODATA).
    NoError,
    /// The query was malformed.
    FormErr,
    /// The server failed.
    ServFail,
    /// The name does not exist.
    NxDomain,
    /// Not implemented.
    NotImp,
    /// The server refuses.
    Refused,
}

impl Rcode {
    /// The code's number.
    pub fn code(self) -> u8 {
        match self {
            Rcode::NoError => 0,
            Rcode::FormErr => 1,
            Rcode::ServFail => 2,
            Rcode::NxDomain => 3,
            Rcode::NotImp => 4,
            Rcode::Refused => 5,
        }
    }

    /// The name miekg/dns (and `dig`) prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Rcode::NoError => "NOERROR",
            Rcode::FormErr => "FORMERR",
            Rcode::ServFail => "SERVFAIL",
            Rcode::NxDomain => "NXDOMAIN",
            Rcode::NotImp => "NOTIMP",
            Rcode::Refused => "REFUSED",
        }
    }

    /// Parses [`Rcode::as_str`]'s spelling.
    pub fn parse(s: &str) -> Option<Rcode> {
        [
            Rcode::NoError,
            Rcode::FormErr,
            Rcode::ServFail,
            Rcode::NxDomain,
            Rcode::NotImp,
            Rcode::Refused,
        ]
        .into_iter()
        .find(|r| r.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A question: an absolute name (case as asked) and a type; the class is IN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The name, with its trailing dot.
    pub name: String,
    /// The type asked for.
    pub qtype: RrType,
}

impl Question {
    /// A question for `name` (made absolute, as a stub resolver sends every name).
    pub fn new(name: &str, qtype: RrType) -> Result<Question, NameError> {
        name::check(name)?;
        Ok(Question {
            name: name::fqdn(name),
            qtype,
        })
    }
}

/// The data of a resource record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RData {
    /// An IPv4 address.
    A(Ipv4Addr),
    /// An IPv6 address.
    Aaaa(Ipv6Addr),
    /// The canonical name this name aliases.
    Cname(String),
    /// The name a reverse name points to.
    Ptr(String),
    /// A name server's name.
    Ns(String),
    /// A service location.
    Srv {
        /// Lower is tried first.
        priority: u16,
        /// Relative share among equal priorities.
        weight: u16,
        /// The port.
        port: u16,
        /// The host.
        target: String,
    },
    /// A mail exchanger.
    Mx {
        /// Lower is preferred.
        preference: u16,
        /// The host.
        exchange: String,
    },
    /// Character strings.
    Txt(Vec<String>),
    /// A zone's start of authority.
    Soa(Soa),
}

/// The fields of an SOA record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soa {
    /// MNAME: the primary name server.
    pub ns: String,
    /// RNAME: the responsible mailbox, as a name.
    pub mbox: String,
    /// The zone's serial.
    pub serial: u32,
    /// Seconds before a secondary refreshes.
    pub refresh: u32,
    /// Seconds before a failed refresh is retried.
    pub retry: u32,
    /// Seconds after which a secondary stops answering.
    pub expire: u32,
    /// The TTL of negative answers (RFC 2308).
    pub minttl: u32,
}

impl RData {
    /// The record type this data belongs to.
    pub fn rtype(&self) -> RrType {
        match self {
            RData::A(_) => RrType::A,
            RData::Aaaa(_) => RrType::Aaaa,
            RData::Cname(_) => RrType::Cname,
            RData::Ptr(_) => RrType::Ptr,
            RData::Ns(_) => RrType::Ns,
            RData::Srv { .. } => RrType::Srv,
            RData::Mx { .. } => RrType::Mx,
            RData::Txt(_) => RrType::Txt,
            RData::Soa(_) => RrType::Soa,
        }
    }
}

impl fmt::Display for RData {
    /// The rdata as miekg/dns presents it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RData::A(ip) => write!(f, "{ip}"),
            RData::Aaaa(ip) => write!(f, "{ip}"),
            RData::Cname(n) | RData::Ptr(n) | RData::Ns(n) => f.write_str(&name::present(n)),
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => write!(f, "{priority} {weight} {port} {}", name::present(target)),
            RData::Mx {
                preference,
                exchange,
            } => write!(f, "{preference} {}", name::present(exchange)),
            RData::Txt(strings) => {
                let quoted: Vec<String> = strings.iter().map(|s| quote_txt(s)).collect();
                f.write_str(&quoted.join(" "))
            }
            RData::Soa(s) => write!(
                f,
                "{} {} {} {} {} {} {}",
                name::present(&s.ns),
                name::present(&s.mbox),
                s.serial,
                s.refresh,
                s.retry,
                s.expire,
                s.minttl
            ),
        }
    }
}

/// A character string in quotes, `"` and `\` escaped, non-printables as `\DDD`.
/// Upstream: miekg/dns@fa041eed `types.go` `sprintTxt`.
fn quote_txt(s: &str) -> String {
    let mut out = String::from("\"");
    for b in s.bytes() {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0..=0x1f | 0x7f..=0xff => out.push_str(&format!("\\{b:03}")),
            _ => out.push(char::from(b)),
        }
    }
    out.push('"');
    out
}

/// A resource record of class IN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rr {
    /// The owner name, absolute.
    pub owner: String,
    /// Seconds a cache may keep it.
    pub ttl: u32,
    /// The data, which also gives the type.
    pub data: RData,
}

impl Rr {
    /// The record's type.
    pub fn rtype(&self) -> RrType {
        self.data.rtype()
    }
}

impl fmt::Display for Rr {
    /// `owner<TAB>ttl<TAB>IN<TAB>TYPE<TAB>rdata`.
    /// Upstream: miekg/dns@fa041eed `dns.go` `RR_Header.String`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\t{}\tIN\t{}\t{}",
            name::present(&self.owner),
            self.ttl,
            self.rtype(),
            self.data
        )
    }
}

/// A response: the header bits that matter here and the three sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The question answered.
    pub question: Question,
    /// The response code.
    pub rcode: Rcode,
    /// The AA bit: the server is authoritative for the name.
    pub authoritative: bool,
    /// The answer section.
    pub answer: Vec<Rr>,
    /// The authority section (the zone's SOA on NXDOMAIN and NODATA).
    pub authority: Vec<Rr>,
    /// The additional section.
    pub additional: Vec<Rr>,
}

impl Response {
    /// An empty response to `question` with `rcode`.
    pub fn new(question: &Question, rcode: Rcode, authoritative: bool) -> Response {
        Response {
            question: question.clone(),
            rcode,
            authoritative,
            answer: Vec::new(),
            authority: Vec::new(),
            additional: Vec::new(),
        }
    }

    /// NOERROR with an empty answer: the name exists, without this type.
    pub fn is_nodata(&self) -> bool {
        self.rcode == Rcode::NoError && self.answer.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_parse_and_print() {
        assert_eq!(RrType::parse("srv"), Some(RrType::Srv));
        assert_eq!(RrType::parse("TYPE33"), Some(RrType::Srv));
        assert_eq!(RrType::parse("type99"), Some(RrType::Other(99)));
        assert_eq!(RrType::parse("bogus"), None);
        assert_eq!(RrType::Other(99).to_string(), "TYPE99");
        assert_eq!(RrType::Aaaa.code(), 28);
        assert_eq!(RrType::from_code(13), RrType::Hinfo);
    }

    #[test]
    fn records_print_as_miekg_dns() {
        let a = Rr {
            owner: "svc1.testns.svc.cluster.local.".into(),
            ttl: 5,
            data: RData::A("10.0.0.1".parse().unwrap()),
        };
        assert_eq!(
            a.to_string(),
            "svc1.testns.svc.cluster.local.\t5\tIN\tA\t10.0.0.1"
        );
        let srv = Rr {
            owner: "_http._tcp.svc1.testns.svc.cluster.local.".into(),
            ttl: 5,
            data: RData::Srv {
                priority: 0,
                weight: 100,
                port: 80,
                target: "svc1.testns.svc.cluster.local.".into(),
            },
        };
        assert_eq!(
            srv.to_string(),
            "_http._tcp.svc1.testns.svc.cluster.local.\t5\tIN\tSRV\t0 100 80 svc1.testns.svc.cluster.local."
        );
        let txt = Rr {
            owner: "dns-version.cluster.local.".into(),
            ttl: 28800,
            data: RData::Txt(vec!["1.1.0".into(), "a\"b".into()]),
        };
        assert_eq!(
            txt.to_string(),
            "dns-version.cluster.local.\t28800\tIN\tTXT\t\"1.1.0\" \"a\\\"b\""
        );
        let soa = Rr {
            owner: "cluster.local.".into(),
            ttl: 5,
            data: RData::Soa(Soa {
                ns: "ns.dns.cluster.local.".into(),
                mbox: "hostmaster.cluster.local.".into(),
                serial: 3,
                refresh: 7200,
                retry: 1800,
                expire: 86400,
                minttl: 5,
            }),
        };
        assert_eq!(
            soa.to_string(),
            "cluster.local.\t5\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 3 7200 1800 86400 5"
        );
    }

    #[test]
    fn questions_are_absolute_and_valid() {
        let q = Question::new("My-Svc", RrType::A).unwrap();
        assert_eq!(q.name, "My-Svc.");
        assert!(Question::new("a..b", RrType::A).is_err());
    }
}
