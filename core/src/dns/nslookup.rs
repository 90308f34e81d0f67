//! `nslookup` as busybox prints it inside a pod (`kubectl exec POD -- nslookup NAME`).
//!
//! Without options this is busybox 1.28.4's applet (mirror/busybox@509f987e
//! `networking/nslookup.c`; 1.28.0 through 1.28.4 share it), the `busybox:1.28` image
//! Kubernetes' "Debugging DNS Resolution" page uses: the server and then the name, each
//! through the C library (`getaddrinfo` with the pod's search list, `getnameinfo` for
//! the reverse names), `nslookup: can't resolve 'NAME'` on failure.
//!
//! Simplification: busybox 1.28.4 refuses every option with its usage text, so a
//! command line with options (`-type=srv`) is answered as busybox 1.36.1's nslookup
//! answers it (mirror/busybox@1a64f6a2 `networking/nslookup.c`, the LEDE/OpenWrt one
//! with its own resolver): it prints each reply's answer section and uses the search
//! list only for names without a dot. Of its options only `-type=`/`-querytype=` are
//! modelled; `-port`, `-retry`, `-timeout`, `-t` and `-debug` get the usage text. The
//! usage banner leaves out the build date, SERVFAIL replies are not re-sent, and a
//! `SERVER` argument must be an address (`nslookup: bad address 'x'` otherwise; busybox
//! would resolve a host name there).

use std::net::IpAddr;

use super::message::{RData, Rcode, Response, Rr, RrType};
use super::name;
use super::resolver::{self, Exchange, Nameserver, ResolvConf};

/// What the command printed and how it exited, with every query it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NslookupOutput {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The exit status.
    pub exit_code: i32,
    /// Every DNS query sent, in order.
    pub exchanges: Vec<Exchange>,
}

impl NslookupOutput {
    fn new() -> Self {
        NslookupOutput {
            stdout: String::new(),
            stderr: String::new(),
            exit_code: 0,
            exchanges: Vec::new(),
        }
    }

    fn fail(mut self, stderr: &str) -> Self {
        self.stderr.push_str(stderr);
        self.exit_code = 1;
        self
    }
}

/// busybox 1.28.4's usage text.
const USAGE_1_28: &str = "BusyBox v1.28.4 multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n";
/// busybox 1.36.1's usage text.
const USAGE_1_36: &str = "BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n";

/// The query types busybox 1.36.1 knows, in its table's order (which orders queries).
const QTYPES: [RrType; 10] = [
    RrType::Soa,
    RrType::Ns,
    RrType::A,
    RrType::Aaaa,
    RrType::Cname,
    RrType::Mx,
    RrType::Txt,
    RrType::Srv,
    RrType::Ptr,
    RrType::Any,
];

/// Runs `nslookup ARGS` in a pod whose resolver is `conf`, against `ns`.
pub fn nslookup(args: &[&str], conf: &ResolvConf, ns: &dyn Nameserver) -> NslookupOutput {
    match args.first() {
        Some(a) if a.starts_with('-') => nslookup_1_36(args, conf, ns),
        Some(_) if args.len() <= 2 => nslookup_1_28(args, conf, ns),
        _ => NslookupOutput::new().fail(USAGE_1_28),
    }
}

/// An address literal, as `xhost2sockaddr` accepts one.
fn literal(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok()
}

/// busybox 1.28.4: `server_print()`, then `print_host(HOST, "Name:")`.
fn nslookup_1_28(args: &[&str], conf: &ResolvConf, ns: &dyn Nameserver) -> NslookupOutput {
    let mut out = NslookupOutput::new();
    let host = args.first().copied().unwrap_or_default();
    let mut conf = conf.clone();
    if let Some(server) = args.get(1) {
        if literal(server).is_none() {
            return out.fail(&format!("nslookup: bad address '{server}'\n"));
        }
        conf.nameservers = vec![(*server).to_owned()];
    } else {
        // With no nameserver line the C library asks the local host.
        let first = conf.nameservers.first().cloned();
        conf.nameservers = vec![first.unwrap_or_else(|| "127.0.0.1".to_owned())];
    }
    let server = conf.nameservers.first().cloned().unwrap_or_default();
    // An address literal always "resolves"; only the name's result sets the status.
    print_host(&mut out, &server, "Server:", &conf, ns);
    out.stdout.push('\n');
    if !print_host(&mut out, host, "Name:", &conf, ns) {
        out.exit_code = 1;
    }
    out
}

/// busybox 1.28.4 `print_host`: every address of `host` with its reverse name.
fn print_host(
    out: &mut NslookupOutput,
    host: &str,
    header: &str,
    conf: &ResolvConf,
    ns: &dyn Nameserver,
) -> bool {
    let addresses = match literal(host) {
        Some(ip) => vec![ip],
        None => match resolver::search(conf, host, &[RrType::A, RrType::Aaaa], ns) {
            Ok(r) => {
                let found = r.addresses();
                out.exchanges.extend(r.exchanges);
                found
            }
            Err(_) => Vec::new(),
        },
    };
    if addresses.is_empty() {
        out.stderr
            .push_str(&format!("nslookup: can't resolve '{host}'\n"));
        return false;
    }
    out.stdout.push_str(&format!("{header:<10} {host}\n"));
    for (i, ip) in addresses.iter().enumerate() {
        let rev = reverse_lookup(out, *ip, conf, ns);
        match rev {
            Some(n) => out
                .stdout
                .push_str(&format!("Address {}: {ip} {n}\n", i + 1)),
            None => out.stdout.push_str(&format!("Address {}: {ip}\n", i + 1)),
        }
    }
    true
}

/// `getnameinfo(NI_NAMEREQD)`: the first PTR of the address's reverse name.
fn reverse_lookup(
    out: &mut NslookupOutput,
    ip: IpAddr,
    conf: &ResolvConf,
    ns: &dyn Nameserver,
) -> Option<String> {
    let r = resolver::search(conf, &name::reverse_name(ip), &[RrType::Ptr], ns).ok()?;
    out.exchanges.extend(r.exchanges.iter().cloned());
    let responses = r.result.ok()?;
    let response = responses.first()?;
    let mut current = response.question.name.clone();
    for rr in &response.answer {
        if !name::eq_fold(&rr.owner, &current) {
            continue;
        }
        match &rr.data {
            RData::Cname(t) => current = t.clone(),
            RData::Ptr(t) => return Some(t.strip_suffix('.').unwrap_or(t).to_owned()),
            _ => {}
        }
    }
    None
}

/// busybox 1.36.1's `nslookup [-type=T]... HOST [SERVER]`.
fn nslookup_1_36(args: &[&str], conf: &ResolvConf, ns: &dyn Nameserver) -> NslookupOutput {
    let out = NslookupOutput::new();
    let mut types = [false; QTYPES.len()];
    let mut rest = args;
    while let Some((arg, after)) = rest.split_first() {
        let Some(opt) = arg.strip_prefix('-') else {
            break;
        };
        rest = after;
        let (key, val) = opt.split_once('=').unwrap_or((opt, ""));
        if key != "type" && key != "querytype" {
            return out.fail(USAGE_1_36);
        }
        match QTYPES
            .iter()
            .position(|t| t.to_string().eq_ignore_ascii_case(val))
        {
            Some(i) => types[i] = true,
            None => return out.fail(&format!("nslookup: invalid query type \"{val}\"\n")),
        }
    }
    let (host, servers, search) = match rest {
        [host] => {
            let servers = if conf.nameservers.is_empty() {
                vec!["127.0.0.1".to_owned()]
            } else {
                conf.nameservers.clone()
            };
            (*host, servers, conf.search.clone())
        }
        [host, server] if literal(server).is_some() => {
            (*host, vec![(*server).to_owned()], Vec::new())
        }
        [_, server] => return out.fail(&format!("nslookup: bad address '{server}'\n")),
        _ => return out.fail(USAGE_1_36),
    };
    let mut names = Vec::new();
    for qtype in QTYPES
        .into_iter()
        .zip(types)
        .filter_map(|(t, on)| on.then_some(t))
    {
        if qtype == RrType::Ptr || search.is_empty() || host.contains('.') {
            names.push((host.to_owned(), qtype));
        } else {
            for domain in &search {
                names.push((format!("{host}.{domain}"), qtype));
            }
        }
    }
    send_queries(out, &names, &servers, ns)
}

/// Sends every query to the first server that answers and prints the replies in order.
fn send_queries(
    mut out: NslookupOutput,
    names: &[(String, RrType)],
    servers: &[String],
    ns: &dyn Nameserver,
) -> NslookupOutput {
    for server in servers {
        let mut replies: Vec<(&str, Option<Response>)> = Vec::new();
        for (qname, qtype) in names {
            let response = super::message::Question::new(qname, *qtype)
                .ok()
                .and_then(|q| {
                    let r = ns.exchange(server, &q);
                    out.exchanges.push(Exchange {
                        server: server.clone(),
                        question: q,
                        response: r.clone(),
                    });
                    r
                });
            replies.push((qname, response));
        }
        if replies.iter().all(|(_, r)| r.is_none()) {
            continue;
        }
        let address = match literal(server) {
            Some(IpAddr::V6(v6)) => format!("[{v6}]:53"),
            _ => format!("{server}:53"),
        };
        out.stdout
            .push_str(&format!("Server:\t\t{server}\nAddress:\t{address}\n\n"));
        let mut unanswered = false;
        for (qname, reply) in &replies {
            match reply {
                None => unanswered = true,
                Some(r) if r.rcode != Rcode::NoError => {
                    out.stdout
                        .push_str(&format!("** server can't find {qname}: {}\n\n", r.rcode));
                    out.exit_code = 1;
                }
                Some(r) => {
                    out.stdout.push_str(&parse_reply(r));
                    out.stdout.push('\n');
                }
            }
        }
        if unanswered {
            for (qname, _) in replies.iter().filter(|(_, r)| r.is_none()) {
                out.stdout
                    .push_str(&format!("*** Can't find {qname}: No answer\n"));
            }
            out.stdout.push('\n');
        }
        return out;
    }
    out.stdout
        .push_str(";; connection timed out; no servers could be reached\n\n");
    out.exit_code = 1;
    out
}

/// A name as `ns_rr_name` and `ns_name_uncompress` give it: no trailing dot.
fn bare(n: &str) -> String {
    let p = name::present(n);
    match p.strip_suffix('.') {
        Some("") | None => p,
        Some(s) => s.to_owned(),
    }
}

/// busybox 1.36.1 `parse_reply`: the answer section, one format per type. The format of
/// the first NS, CNAME or PTR record is reused for the later ones of the reply, as the
/// upstream code's `format` variable is.
fn parse_reply(r: &Response) -> String {
    let mut out = String::new();
    if !r.authoritative {
        out.push_str("Non-authoritative answer:\n");
    }
    let mut format: Option<&str> = None;
    for rr in &r.answer {
        out.push_str(&print_rr(rr, &mut format));
    }
    out
}

fn print_rr(rr: &Rr, format: &mut Option<&str>) -> String {
    let owner = bare(&rr.owner);
    match &rr.data {
        RData::A(ip) => format!("Name:\t{owner}\nAddress: {ip}\n"),
        RData::Aaaa(ip) => format!("Name:\t{owner}\nAddress: {ip}\n"),
        RData::Ns(n) | RData::Cname(n) | RData::Ptr(n) => {
            let label = *format.get_or_insert(match &rr.data {
                RData::Ns(_) => "nameserver",
                RData::Cname(_) => "canonical name",
                _ => "name",
            });
            format!("{owner}\t{label} = {}\n", bare(n))
        }
        RData::Mx {
            preference,
            exchange,
        } => format!(
            "{owner}\tmail exchanger = {preference} {}\n",
            bare(exchange)
        ),
        RData::Txt(strings) => match strings.first() {
            Some(s) if !s.is_empty() => format!("{owner}\ttext = \"{s}\"\n"),
            _ => String::new(),
        },
        RData::Srv {
            priority,
            weight,
            port,
            target,
        } => format!(
            "{owner}\tservice = {priority} {weight} {port} {}\n",
            bare(target)
        ),
        RData::Soa(s) => format!(
            "{owner}\n\torigin = {}\n\tmail addr = {}\n\tserial = {}\n\trefresh = {}\n\tretry = {}\n\texpire = {}\n\tminimum = {}\n",
            bare(&s.ns),
            bare(&s.mbox),
            s.serial,
            s.refresh,
            s.retry,
            s.expire,
            s.minttl
        ),
    }
}
