//! Comparing what two data planes program, by node and port name: the oracle tests
//! check a patched data plane against a rebuild with it.

use super::{Dataplane, Port};

impl Dataplane {
    /// The first difference between what two data planes program, read by node and
    /// port name (so the order nodes and ports were added in does not count): each
    /// port's endpoints, the nodes they are on, every node's lists, the healthy nodes
    /// and the affinity index. `None` when they program the same. For the oracle tests.
    #[doc(hidden)]
    pub fn programming_diff(&self, other: &Dataplane) -> Option<String> {
        let names = |d: &Dataplane| d.nodes().map(|n| n.name.clone()).collect::<Vec<_>>();
        if names(self) != names(other) {
            return Some(format!("nodes {:?} vs {:?}", names(self), names(other)));
        }
        fn ports(d: &Dataplane) -> Vec<&Port> {
            let mut v: Vec<&Port> = d.ports.iter().collect();
            v.sort_by(|a, b| {
                (&a.info.name, &a.info.protocol).cmp(&(&b.info.name, &b.info.protocol))
            });
            v
        }
        let (mine, theirs) = (ports(self), ports(other));
        if mine.len() != theirs.len() {
            return Some(format!("{} ports vs {}", mine.len(), theirs.len()));
        }
        let node_name = |d: &Dataplane, n: usize| d.nodes.get(n).map(|s| s.info.name.clone());
        for (a, b) in mine.into_iter().zip(theirs) {
            let what = a.info.name.to_string();
            if a.info != b.info || a.endpoints != b.endpoints {
                return Some(format!("{what}: port or endpoints differ"));
            }
            let on = |d: &Dataplane, p: &Port| {
                p.ep_node
                    .iter()
                    .map(|&n| usize::try_from(n).ok().and_then(|n| node_name(d, n)))
                    .collect::<Vec<_>>()
            };
            if on(self, a) != on(other, b) {
                return Some(format!("{what}: endpoint nodes differ"));
            }
            let healthy = |d: &Dataplane, p: &Port| {
                p.healthy_nodes
                    .iter()
                    .map(|&n| node_name(d, n))
                    .collect::<Vec<_>>()
            };
            if healthy(self, a) != healthy(other, b) {
                return Some(format!("{what}: healthy nodes differ"));
            }
            if a.index != b.index || a.tally.hinted() != b.tally.hinted() {
                return Some(format!("{what}: affinity index differs"));
            }
            let hosts = |d: &Dataplane, p: &Port| {
                let mut v: Vec<_> = p.node_views.keys().map(|&n| node_name(d, n)).collect();
                v.sort();
                v
            };
            if hosts(self, a) != hosts(other, b) {
                return Some(format!("{what}: nodes with lists of their own differ"));
            }
            for node in self.nodes() {
                let view = |d: &Dataplane, p: &Port| {
                    d.node_by_name
                        .get(&node.name)
                        .and_then(|&n| d.view(p, n))
                        .cloned()
                };
                if view(self, a) != view(other, b) {
                    return Some(format!("{what}: the lists of node {} differ", node.name));
                }
            }
        }
        None
    }
}
