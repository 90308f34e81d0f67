//! The `kube-proxy` nftables table as knftables' fake holds it: chains with their
//! rules, sets and maps with their elements, printed as `Fake.Dump` prints them (the
//! table, then each chain and its rules, each set and its elements, each map and its
//! elements; chains, sets and maps by name, rules and elements in the order added).
//!
//! Upstream: kubernetes-sigs/knftables@69a6e3f2 `fake.go` (`Dump`, element and object
//! `writeOperation`), kubernetes/kubernetes `pkg/proxy/nftables/proxier.go`
//! (`nftElementStorage.ensureElem`).

use std::collections::BTreeMap;

/// The table's contents, as knftables' fake holds them.
#[derive(Default)]
pub(crate) struct Table {
    /// Chain name → (`{ … }` spec or empty, rules).
    pub(crate) chains: BTreeMap<String, (String, Vec<String>)>,
    /// Set name → (spec, elements as (key, comment, value)).
    pub(crate) sets: BTreeMap<String, (String, Vec<Element>)>,
    pub(crate) maps: BTreeMap<String, (String, Vec<Element>)>,
}

#[derive(Clone, PartialEq)]
pub(crate) struct Element {
    pub(crate) key: String,
    pub(crate) comment: Option<String>,
    pub(crate) value: Option<String>,
}

impl Table {
    pub(crate) fn chain(&mut self, name: &str) -> &mut Vec<String> {
        &mut self.chains.entry(name.to_owned()).or_default().1
    }

    pub(crate) fn chain_with(&mut self, name: &str, spec: &str) {
        self.chains.entry(name.to_owned()).or_default().0 = spec.to_owned();
    }

    pub(crate) fn rule(&mut self, chain: &str, rule: String) {
        self.chain(chain).push(rule);
    }

    /// `nftElementStorage.ensureElem`: a key already present keeps its place unless
    /// its value changes (then it is deleted and added again).
    pub(crate) fn element(&mut self, map: bool, name: &str, e: Element) {
        let list = if map { &mut self.maps } else { &mut self.sets };
        let elements = &mut list.entry(name.to_owned()).or_default().1;
        if let Some(i) = elements.iter().position(|x| x.key == e.key) {
            if elements.get(i).is_some_and(|x| x.value == e.value) {
                return;
            }
            elements.remove(i);
        }
        elements.push(e);
    }

    pub(crate) fn write(&self, family: &str) -> String {
        let head = |kind: &str| format!("add {kind} {family} kube-proxy");
        let mut out = format!(
            "{} {{ comment \"rules for kube-proxy\" ; }}\n",
            head("table")
        );
        for (name, (spec, rules)) in &self.chains {
            out.push_str(&format!("{} {name}{spec}\n", head("chain")));
            for r in rules {
                out.push_str(&format!("{} {name} {r}\n", head("rule")));
            }
        }
        for (kind, list) in [("set", &self.sets), ("map", &self.maps)] {
            for (name, (spec, elements)) in list {
                out.push_str(&format!("{} {name} {spec}\n", head(kind)));
                for e in elements {
                    let comment = e
                        .comment
                        .as_ref()
                        .map(|c| format!(" comment \"{c}\""))
                        .unwrap_or_default();
                    let value = e
                        .value
                        .as_ref()
                        .map(|v| format!(" : {v}"))
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "{} {name} {{ {}{comment}{value} }}\n",
                        head("element"),
                        e.key
                    ));
                }
            }
        }
        out
    }
}
