//! Resource types as kubectl's REST mapper resolves them (plural, singular, short
//! name, with or without the group, any case), and the arguments that name objects:
//! `TYPE`, `TYPE NAME…`, `TYPE/NAME…`, `TYPE1,TYPE2 [NAME…]`.
//! Upstream: kubernetes/cli-runtime@69e8693b2560484b0b950d56006157200ab67947
//! `pkg/resource/builder.go` (`ResourceTypeOrNameArgs`, `normalizeMultipleResourcesArgs`,
//! `splitResourceTypeName`); the short names from each resource's storage
//! (`ShortNames()` in kubernetes `pkg/registry/*/rest/storage.go`).

/// A kind the console knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `pods`, `po`.
    Pod,
    /// `services`, `svc`.
    Service,
    /// `endpoints`, `ep`.
    Endpoints,
    /// `endpointslices.discovery.k8s.io`.
    EndpointSlice,
    /// `deployments.apps`, `deploy`.
    Deployment,
    /// `replicasets.apps`, `rs`.
    ReplicaSet,
    /// `nodes`, `no`.
    Node,
    /// `events`, `ev`.
    Event,
    /// `namespaces`, `ns`.
    Namespace,
}

/// Every kind, in the order `kubectl api-resources` sorts them here.
pub const KINDS: [Kind; 9] = [
    Kind::Pod,
    Kind::Service,
    Kind::Endpoints,
    Kind::EndpointSlice,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::Node,
    Kind::Event,
    Kind::Namespace,
];

impl Kind {
    /// `(plural, singular, short names, group)`.
    fn names(
        self,
    ) -> (
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static str,
    ) {
        match self {
            Kind::Pod => ("pods", "pod", &["po"], ""),
            Kind::Service => ("services", "service", &["svc"], ""),
            Kind::Endpoints => ("endpoints", "endpoints", &["ep"], ""),
            Kind::EndpointSlice => ("endpointslices", "endpointslice", &[], "discovery.k8s.io"),
            Kind::Deployment => ("deployments", "deployment", &["deploy"], "apps"),
            Kind::ReplicaSet => ("replicasets", "replicaset", &["rs"], "apps"),
            Kind::Node => ("nodes", "node", &["no"], ""),
            Kind::Event => ("events", "event", &["ev"], ""),
            Kind::Namespace => ("namespaces", "namespace", &["ns"], ""),
        }
    }

    /// Resolves a type as typed (`po`, `Pods`, `deployments.apps`, `deployment.v1.apps`).
    pub fn parse(text: &str) -> Option<Kind> {
        let lower = text.to_ascii_lowercase();
        KINDS.into_iter().find(|k| {
            let (plural, singular, short, group) = k.names();
            let bare = [plural, singular].into_iter().chain(short.iter().copied());
            let mut all: Vec<String> = bare.map(str::to_owned).collect();
            if !group.is_empty() {
                for n in [plural, singular] {
                    all.push(format!("{n}.{group}"));
                    all.push(format!("{n}.v1.{group}"));
                }
            } else {
                all.push(format!("{plural}.v1"));
            }
            all.contains(&lower)
        })
    }

    /// The plural resource with its group, as `Error from server (NotFound)` names it:
    /// `pods`, `deployments.apps`.
    pub fn resource(self) -> String {
        let (plural, _, _, group) = self.names();
        if group.is_empty() {
            plural.to_owned()
        } else {
            format!("{plural}.{group}")
        }
    }

    /// The plural alone (`pods`, `deployments`).
    pub fn plural(self) -> &'static str {
        self.names().0
    }

    /// The lower-case kind with its group, as `-o name` and the success lines print it:
    /// `pod`, `deployment.apps`, `endpointslice.discovery.k8s.io`.
    pub fn name_prefix(self) -> String {
        let (_, singular, _, group) = self.names();
        if group.is_empty() {
            singular.to_owned()
        } else {
            format!("{singular}.{group}")
        }
    }

    /// The `Kind` as the API names it (`Pod`, `Deployment`).
    pub fn kind(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Node => "Node",
            Kind::Event => "Event",
            Kind::Namespace => "Namespace",
        }
    }

    /// Whether objects of the kind live in a namespace.
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Node | Kind::Namespace)
    }

    /// The names completion offers for the type (plural, singular, short names).
    pub fn spellings(self) -> Vec<&'static str> {
        let (plural, singular, short, _) = self.names();
        let mut v = vec![plural];
        if singular != plural {
            v.push(singular);
        }
        v.extend(short.iter().copied());
        v
    }
}

/// What the arguments ask for: per type (in order) the names given, or none for "all".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `(kind, names)`; an empty list means every object of the kind.
    pub items: Vec<(Kind, Vec<String>)>,
}

/// `error: the server doesn't have a resource type "x"`.
pub fn unknown_type(text: &str) -> String {
    format!("the server doesn't have a resource type {text:?}")
}

/// Reads `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…`.
pub fn parse_args(args: &[String]) -> Result<Request, String> {
    let Some(first) = args.first() else {
        return Ok(Request { items: Vec::new() });
    };
    if args.iter().any(|a| a.contains('/')) {
        // Every argument must then be TYPE/NAME.
        let mut items: Vec<(Kind, Vec<String>)> = Vec::new();
        for a in args {
            let Some((t, name)) = a.split_once('/') else {
                return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_owned());
            };
            if name.is_empty() {
                return Err(
                    "arguments in resource/name form must have a single resource and name"
                        .to_owned(),
                );
            }
            let kind = Kind::parse(t).ok_or_else(|| unknown_type(t))?;
            match items.last_mut() {
                Some((k, names)) if *k == kind => names.push(name.to_owned()),
                _ => items.push((kind, vec![name.to_owned()])),
            }
        }
        return Ok(Request { items });
    }
    let names: Vec<String> = args[1..].to_vec();
    let mut items = Vec::new();
    for t in first.split(',').filter(|t| !t.is_empty()) {
        let kind = Kind::parse(t).ok_or_else(|| unknown_type(t))?;
        items.push((kind, names.clone()));
    }
    Ok(Request { items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn every_spelling_resolves() {
        for (text, kind) in [
            ("po", Kind::Pod),
            ("Pods", Kind::Pod),
            ("svc", Kind::Service),
            ("ep", Kind::Endpoints),
            ("endpointslices", Kind::EndpointSlice),
            ("endpointslice.discovery.k8s.io", Kind::EndpointSlice),
            ("deploy", Kind::Deployment),
            ("deployments.v1.apps", Kind::Deployment),
            ("rs", Kind::ReplicaSet),
            ("no", Kind::Node),
            ("ev", Kind::Event),
            ("ns", Kind::Namespace),
        ] {
            assert_eq!(Kind::parse(text), Some(kind), "{text}");
        }
        assert_eq!(Kind::parse("foo"), None);
        assert_eq!(Kind::Deployment.resource(), "deployments.apps");
        assert_eq!(
            Kind::EndpointSlice.name_prefix(),
            "endpointslice.discovery.k8s.io"
        );
    }

    #[test]
    fn arguments_name_objects_in_every_form() {
        let r = parse_args(&args("svc,pods a b")).unwrap();
        assert_eq!(
            r.items,
            [
                (Kind::Service, vec!["a".to_owned(), "b".to_owned()]),
                (Kind::Pod, vec!["a".to_owned(), "b".to_owned()])
            ]
        );
        let r = parse_args(&args("deploy/prod svc/prod svc/dev")).unwrap();
        assert_eq!(
            r.items,
            [
                (Kind::Deployment, vec!["prod".to_owned()]),
                (Kind::Service, vec!["prod".to_owned(), "dev".to_owned()])
            ]
        );
        assert_eq!(
            parse_args(&args("pods x/y")).unwrap_err(),
            "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"
        );
        assert_eq!(
            parse_args(&args("foo")).unwrap_err(),
            "the server doesn't have a resource type \"foo\""
        );
    }
}
