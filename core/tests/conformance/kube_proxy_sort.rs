//! The normalisation kube-proxy's own tests apply before comparing rule text, ported
//! line for line: `sortIPTablesRules` (with `iptablestest.ParseIPTablesDump` and its
//! `String`), `checkIPTablesRuleJumps`, `sortNFTablesTransaction`, and Go's
//! `sort.SliceStable` (insertion sort in blocks of 20, then `symMerge`) so that even a
//! comparator that is not a strict order sorts exactly as in Go.
//!
//! Upstream: kubernetes/kubernetes@531be81208e2274ef42e72525a26610a9622bcdf
//! `pkg/proxy/iptables/proxier_test.go` (`sortIPTablesRules`,
//! `orderByCommentServiceName`, `checkIPTablesRuleJumps`,
//! `assertIPTablesRulesEqual`), `pkg/util/iptables/testing/parse.go`;
//! kubernetes/kubernetes@803d40a57714b8d054430fedb25b48c20ba9d52c
//! `pkg/proxy/nftables/helpers_test.go` (`sortNFTablesTransaction`); Go `sort/zsortfunc.go`.

#![allow(dead_code)]

use std::collections::BTreeSet;

/// Go's `sort.SliceStable(v, less)`.
pub fn go_stable_sort<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = v.len();
    let mut block = 20;
    let (mut a, mut b) = (0, block);
    while b <= n {
        insertion_sort(v, a, b, less);
        a = b;
        b += block;
    }
    insertion_sort(v, a, n, less);
    while block < n {
        let (mut a, mut b) = (0, 2 * block);
        while b <= n {
            sym_merge(v, a, a + block, b, less);
            a = b;
            b += 2 * block;
        }
        let m = a + block;
        if m < n {
            sym_merge(v, a, m, n, less);
        }
        block *= 2;
    }
}

fn insertion_sort<T>(v: &mut [T], a: usize, b: usize, less: &dyn Fn(&T, &T) -> bool) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sym_merge<T>(v: &mut [T], a: usize, m: usize, b: usize, less: &dyn Fn(&T, &T) -> bool) {
    if m - a == 1 {
        let (mut i, mut j) = (m, b);
        while i < j {
            let h = (i + j) / 2;
            if less(&v[h], &v[a]) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        for k in a..i.saturating_sub(1) {
            v.swap(k, k + 1);
        }
        return;
    }
    if b - m == 1 {
        let (mut i, mut j) = (a, m);
        while i < j {
            let h = (i + j) / 2;
            if !less(&v[m], &v[h]) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        let mut k = m;
        while k > i {
            v.swap(k, k - 1);
            k -= 1;
        }
        return;
    }
    let mid = (a + b) / 2;
    let n = mid + m;
    let (mut start, mut r) = if m > mid { (n - b, mid) } else { (a, m) };
    let p = n - 1;
    while start < r {
        let c = (start + r) / 2;
        if !less(&v[p - c], &v[c]) {
            start = c + 1;
        } else {
            r = c;
        }
    }
    let end = n - start;
    if start < m && m < end {
        rotate(v, start, m, end);
    }
    if a < start && start < mid {
        sym_merge(v, a, start, mid, less);
    }
    if mid < end && end < b {
        sym_merge(v, mid, end, b, less);
    }
}

fn rotate<T>(v: &mut [T], a: usize, m: usize, b: usize) {
    let (mut i, mut j) = (m - a, b - m);
    while i != j {
        if i > j {
            swap_range(v, m - i, m, j);
            i -= j;
        } else {
            swap_range(v, m - i, m + j - i, i);
            j -= i;
        }
    }
    swap_range(v, m - i, m, i);
}

fn swap_range<T>(v: &mut [T], a: usize, b: usize, n: usize) {
    for i in 0..n {
        v.swap(a + i, b + i);
    }
}

/// One chain of a parsed dump.
#[derive(Debug, Clone)]
pub struct Chain {
    pub name: String,
    pub counters: String,
    pub rules: Vec<String>,
    pub deleted: bool,
}

/// One table of a parsed dump.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub chains: Vec<Chain>,
}

/// `ParseIPTablesDump`.
pub fn parse_iptables_dump(data: &str) -> Result<Vec<Table>, String> {
    let mut tables: Vec<Table> = Vec::new();
    // 0: table declaration, 1: chain declarations, 2: rules.
    let mut state = 0;
    for raw in data.trim_matches('\n').split('\n') {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if state == 0 {
            let name = line
                .strip_prefix('*')
                .ok_or_else(|| format!("table starts with {line:?}, not a table name"))?;
            tables.push(Table {
                name: name.to_owned(),
                chains: Vec::new(),
            });
            state = 1;
            continue;
        }
        let table = tables.last_mut().ok_or("no table")?;
        if state == 1 {
            if let Some((name, counters)) = chain_declaration(line) {
                table.chains.push(Chain {
                    name,
                    counters,
                    rules: Vec::new(),
                    deleted: false,
                });
                continue;
            }
            state = 2;
        }
        if let Some(rest) = line.strip_prefix("-A ") {
            let chain = rest.split(' ').next().unwrap_or("");
            let c = table
                .chains
                .iter_mut()
                .find(|c| c.name == chain)
                .ok_or_else(|| format!("error parsing rule {line:?}: no such chain {chain:?}"))?;
            if c.deleted {
                return Err(format!("cannot add rules to deleted chain {chain:?}"));
            }
            c.rules.push(line.to_owned());
        } else if let Some(chain) = line.strip_prefix("-X ") {
            let c = table
                .chains
                .iter_mut()
                .find(|c| c.name == chain)
                .ok_or_else(|| format!("error parsing rule {line:?}"))?;
            if !c.rules.is_empty() {
                return Err(format!("cannot delete chain {chain:?} after adding rules"));
            }
            c.deleted = true;
        } else if line == "COMMIT" {
            state = 0;
        } else {
            return Err(format!("error parsing rule {line:?}"));
        }
    }
    if state != 0 {
        return Err("could not parse iptables data (no COMMIT line?)".into());
    }
    Ok(tables)
}

/// `^:([^ ]*) - \[([0-9]*):([0-9]*)\]$`.
fn chain_declaration(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix(':')?;
    let (name, tail) = rest.split_once(" - [")?;
    if name.contains(' ') {
        return None;
    }
    let counters = tail.strip_suffix(']')?;
    let (p, b) = counters.split_once(':')?;
    if !p.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let num = |s: &str| s.parse::<u64>().unwrap_or(0);
    Some((name.to_owned(), format!("{}:{}", num(p), num(b))))
}

/// `IPTablesDump.String`.
pub fn dump_string(tables: &[Table]) -> String {
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("*{}\n", t.name));
        for c in &t.chains {
            out.push_str(&format!(":{} - [{}]\n", c.name, c.counters));
        }
        for c in &t.chains {
            for r in &c.rules {
                out.push_str(r);
                out.push('\n');
            }
        }
        for c in t.chains.iter().filter(|c| c.deleted) {
            out.push_str(&format!("-X {}\n", c.name));
        }
        out.push_str("COMMIT\n");
    }
    out
}

/// The words of a rule as `ParseRule` splits them (a quoted string is one word, its
/// quotes trimmed).
fn rule_words(rule: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = rule;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return words;
        }
        let word;
        if let Some(q) = rest.strip_prefix('"') {
            match q.find('"') {
                Some(end) => {
                    word = &rest[..end + 2];
                    rest = &q[end + 1..];
                }
                None => {
                    // An unterminated quote is not a word; skip the character.
                    rest = q;
                    continue;
                }
            }
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            word = &rest[..end];
            rest = &rest[end..];
        }
        words.push(word.trim_matches('"').to_owned());
    }
}

/// The `--comment` value of a rule, as `ParseRule` reads it.
fn rule_comment(rule: &str) -> Option<String> {
    let words = rule_words(rule);
    let mut w = 0;
    while w < words.len() {
        if words[w] == "-m" && w + 1 < words.len() {
            w += 2;
            continue;
        }
        if words[w] == "--comment" {
            return words.get(w + 1).cloned();
        }
        w += 1;
    }
    None
}

/// `orderByCommentServiceName`: the comment up to the first space or colon.
fn order_by_comment_service_name(a: &str, b: &str) -> bool {
    let (Some(a), Some(b)) = (rule_comment(a), rule_comment(b)) else {
        return false;
    };
    let cut = |s: &str| s.split([' ', ':']).next().unwrap_or("").to_owned();
    cut(&a) < cut(&b)
}

fn chain_rank(name: &str) -> u8 {
    match name {
        "KUBE-NODEPORTS" => 0,
        "KUBE-SERVICES" => 1,
        n if n.starts_with("KUBE-") => 2,
        _ => 3,
    }
}

/// `sortIPTablesRules`.
pub fn sort_iptables_rules(data: &str) -> Result<String, String> {
    let mut tables = parse_iptables_dump(data)?;
    go_stable_sort(&mut tables, &|a: &Table, b: &Table| a.name < b.name);
    for t in &mut tables {
        go_stable_sort(&mut t.chains, &|a: &Chain, b: &Chain| {
            (chain_rank(&a.name), &a.name) < (chain_rank(&b.name), &b.name)
        });
        let is_nat = t.name == "nat";
        for c in &mut t.chains {
            if c.name == "KUBE-NODEPORTS" || (c.name == "KUBE-SERVICES" && !is_nat) {
                if t.name == "filter" || t.name == "nat" {
                    go_stable_sort(&mut c.rules, &|a: &String, b: &String| {
                        order_by_comment_service_name(a, b)
                    });
                }
            } else if c.name == "KUBE-SERVICES" && is_nat {
                let last =
                    |r: &str| rule_comment(r).is_some_and(|c| c.contains("must be the last rule"));
                go_stable_sort(&mut c.rules, &|a: &String, b: &String| {
                    if last(a) {
                        false
                    } else if last(b) {
                        true
                    } else {
                        order_by_comment_service_name(a, b)
                    }
                });
            }
        }
    }
    Ok(dump_string(&tables))
}

/// `assertIPTablesRulesEqual`'s two sides: the expectation trimmed, the result
/// trimmed and sorted.
pub fn iptables_sides(expected: &str, result: &str) -> Result<(String, String), String> {
    let trim = |s: &str| s.trim_start_matches([' ', '\t', '\n']).to_owned();
    Ok((trim(expected), sort_iptables_rules(&trim(result))?))
}

/// `findAllMatches(lines, pattern)` for the patterns `^:([^ ]*)`, `-X ([^ ]*)`,
/// `-A ([^ ]*)`, `-j ([^ ]*)` (first match in each line).
fn all_matches(lines: &[&str], prefix: &str, anchored: bool) -> BTreeSet<String> {
    lines
        .iter()
        .filter_map(|l| {
            let at = if anchored {
                l.starts_with(prefix).then_some(0)?
            } else {
                l.find(prefix)?
            };
            let rest = &l[at + prefix.len()..];
            Some(rest.split(' ').next().unwrap_or("").to_owned())
        })
        .collect()
}

/// `checkIPTablesRuleJumps`: every jumped-to chain exists and has rules; no chain is
/// created but unused (except the fixed ones).
pub fn check_iptables_rule_jumps(data: &str) -> Result<(), String> {
    let body = data.strip_prefix('\n').unwrap_or(data);
    let raw: Vec<&str> = body.split("COMMIT\n").collect();
    if raw.len() < 3 || raw.last() != Some(&"") {
        return Err(format!(
            "bad ruleData ({} tables)",
            raw.len().saturating_sub(1)
        ));
    }
    for table in &raw[..raw.len() - 1] {
        let lines: Vec<&str> = table.trim_matches('\n').split('\n').collect();
        let name = lines
            .first()
            .and_then(|l| l.strip_prefix('*'))
            .unwrap_or("");
        let created: BTreeSet<String> =
            &all_matches(&lines, ":", true) - &all_matches(&lines, "-X ", false);
        let filled = all_matches(&lines, "-A ", false);
        let mut jumped = all_matches(&lines, "-j ", false);
        for t in [
            "ACCEPT",
            "REJECT",
            "DROP",
            "MARK",
            "RETURN",
            "DNAT",
            "SNAT",
            "MASQUERADE",
        ] {
            jumped.remove(t);
        }
        let missing: BTreeSet<_> = jumped
            .difference(&created)
            .chain(filled.difference(&created))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "some chains in {name} are used but were not created: {missing:?}"
            ));
        }
        let mut empty: BTreeSet<_> = jumped.difference(&filled).collect();
        empty.remove(&"KUBE-NODEPORTS".to_owned());
        if !empty.is_empty() {
            return Err(format!(
                "some chains in {name} are jumped to but have no rules: {empty:?}"
            ));
        }
        let fixed = [
            "KUBE-SERVICES",
            "KUBE-EXTERNAL-SERVICES",
            "KUBE-NODEPORTS",
            "KUBE-POSTROUTING",
            "KUBE-FORWARD",
            "KUBE-MARK-MASQ",
            "KUBE-PROXY-FIREWALL",
            "KUBE-FIREWALL",
        ];
        let extra: Vec<_> = created
            .difference(&jumped)
            .filter(|c| !fixed.contains(&c.as_str()))
            .collect();
        if !extra.is_empty() {
            return Err(format!(
                "some chains in {name} are created but not used: {extra:?}"
            ));
        }
    }
    Ok(())
}

fn object_order(kind: &str) -> i32 {
    match kind {
        "table" => 10,
        "chain" => 9,
        "rule" => 8,
        "set" => 7,
        "map" => 6,
        "element" => 5,
        _ => 0,
    }
}

/// `sortNFTablesTransaction`.
pub fn sort_nft_transaction(tx: &str) -> String {
    let mut lines: Vec<&str> = tx
        .split('\n')
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    go_stable_sort(&mut lines, &|li: &&str, lj: &&str| {
        let wi: Vec<&str> = li.split(' ').collect();
        let wj: Vec<&str> = lj.split(' ').collect();
        if wi.len() < 5 || wj.len() < 5 {
            return false;
        }
        if wi[1] != wj[1] {
            return object_order(wi[1]) >= object_order(wj[1]);
        }
        if wi[4] != wj[4] {
            return wi[4] < wj[4];
        }
        if wi[1] == "rule" {
            return false;
        }
        li < lj
    });
    lines.join("\n")
}
