//! The verbs that generate objects: `create deployment`, `create service
//! clusterip|nodeport|loadbalancer`, `expose`. kubectl builds the object client-side
//! exactly as its generators do, then the API server defaults and validates it
//! ([`Command::Create`]).
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/create/create_deployment.go` (`createDeployment`, `buildPodSpec`),
//! `pkg/cmd/create/create_service.go` (`createService`, `parsePorts`, `Validate`),
//! `pkg/cmd/create/create.go` (`NameFromCommandArgs`), `pkg/cmd/expose/expose.go`
//! (`RunExpose`, `createService`), `pkg/polymorphichelpers/mapbasedselectorforobject.go`,
//! `portsforobject.go`, `protocolsforobject.go`, `canbeexposed.go`;
//! kubernetes/utils `net/port.go` (`ParsePort`).
//!
//! Simplification: a container's command after `--` is not modelled (the simulated app
//! serves whatever it runs); an image name with `_` or `.` gets a suffix derived from the
//! image (kubectl draws five random characters).

use super::errors::{server, usage};
use super::objects::find;
use super::resource::{self, Kind};
use super::{Ctx, Parsed};
use crate::manifest::LiveObject;
use crate::objects::{
    Container, ContainerPort, Deployment, IntOrString, LabelSelector, Labels, Object, ObjectMeta,
    Protocol, Service, ServicePort, SessionAffinity,
};
use crate::validation::content::{is_valid_port_name, is_valid_port_num};
use crate::world::Command;

/// `NameFromCommandArgs`: exactly one name before `--`.
fn one_name(p: &Parsed, path: &str) -> Result<String, String> {
    let before_dash = p.dash.unwrap_or(p.args.len());
    match &p.args[..before_dash] {
        [name] => Ok(name.clone()),
        other => Err(usage(
            path,
            &format!("exactly one NAME is required, got {}", other.len()),
        )),
    }
}

/// Creates objects through the world; kubectl's line on success.
fn create(ctx: &mut Ctx, object: Object, line: String) -> Result<(), String> {
    ctx.world
        .apply(Command::Create {
            objects: vec![object],
        })
        .map_err(|e| server(&e))?;
    ctx.print(&line);
    Ok(())
}

fn app_labels(name: &str) -> Labels {
    Labels::from([("app".to_owned(), name.to_owned())])
}

/// `kubectl create deployment NAME --image=IMAGE…`.
pub(crate) fn deployment(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    // cobra checks required flags before the command runs.
    let images = p.list("image");
    if images.is_empty() {
        return Err("error: required flag(s) \"image\" not set".into());
    }
    let name = one_name(p, "kubectl create deployment")?;
    if images.len() > 1 && p.dash.is_some_and(|d| d < p.args.len()) {
        return Err("error: cannot specify multiple --image options and command".into());
    }
    let labels = app_labels(&name);
    let mut d = Deployment {
        metadata: ObjectMeta::named(&ctx.namespace(p), &name),
        ..Deployment::default()
    };
    d.metadata.labels = labels.clone();
    d.spec.replicas = Some(i32::try_from(p.int("replicas").unwrap_or(1)).unwrap_or(1));
    d.spec.selector = Some(LabelSelector {
        match_labels: labels.clone(),
        ..LabelSelector::default()
    });
    d.spec.template.metadata.labels = labels;
    d.spec.template.spec.containers = images
        .iter()
        .map(|image| Container {
            name: container_name(image),
            image: image.clone(),
            ..Container::default()
        })
        .collect();
    let port = p.int("port").unwrap_or(-1);
    if port >= 0
        && let Some(c) = d.spec.template.spec.containers.first_mut()
    {
        c.ports = vec![ContainerPort {
            container_port: i32::try_from(port).unwrap_or(0),
            protocol: Protocol::Tcp,
            ..ContainerPort::default()
        }];
    }
    create(
        ctx,
        Object::Deployment(d),
        format!("deployment.apps/{name} created\n"),
    )
}

/// `buildPodSpec`'s container name: the image's last path part, without tag or digest.
fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let name = last.split(':').next().unwrap_or(last);
    let name = name.split('@').next().unwrap_or(name);
    if name.contains(['_', '.']) {
        let clean = name.replace(['_', '.'], "-");
        let suffix = digest(image);
        format!("{clean}-{suffix}")
    } else {
        name.to_owned()
    }
}

/// Five characters of Kubernetes' name alphabet derived from `text` (FNV-1a).
fn digest(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    let alphabet = b"bcdfghjklmnpqrstvwxz2456789";
    (0..5)
        .map(|i| {
            let at = (h >> (i * 5)) as usize % alphabet.len();
            alphabet.get(at).copied().unwrap_or(b'x') as char
        })
        .collect()
}

/// `parsePorts`: `PORT[:TARGET]`.
fn parse_ports(spec: &str) -> Result<(i32, IntOrString), String> {
    let mut parts = spec.split(':');
    let first = parts.next().unwrap_or_default();
    let port: u16 = first.parse().map_err(|e: std::num::ParseIntError| {
        let why = match e.kind() {
            std::num::IntErrorKind::PosOverflow => "value out of range",
            _ => "invalid syntax",
        };
        format!("error: strconv.ParseUint: parsing {first:?}: {why}")
    })?;
    let Some(target) = parts.next() else {
        return Ok((i32::from(port), IntOrString::Int(i32::from(port))));
    };
    let target = match target.parse::<i64>() {
        Ok(n) => {
            let errs = is_valid_port_num(n);
            if !errs.is_empty() {
                return Err(format!("error: {}", errs.join(",")));
            }
            IntOrString::Int(i32::try_from(n).unwrap_or(0))
        }
        Err(_) => {
            let errs = is_valid_port_name(target);
            if !errs.is_empty() {
                return Err(format!("error: {}", errs.join(",")));
            }
            IntOrString::String(target.to_owned())
        }
    };
    Ok((i32::from(port), target))
}

/// `create service TYPE NAME --tcp=…`.
fn service(ctx: &mut Ctx, p: &Parsed, type_: &str) -> Result<(), String> {
    let path = format!("kubectl create service {}", type_.to_lowercase());
    let name = one_name(p, &path)?;
    let cluster_ip = p.str("clusterip").unwrap_or("");
    let tcp = p.list("tcp");
    if cluster_ip == "None" && type_ != "ClusterIP" {
        return Err("error: ClusterIP=None can only be used with ClusterIP service type".into());
    }
    if cluster_ip != "None" && tcp.is_empty() {
        return Err("error: at least one tcp port specifier must be provided".into());
    }
    let node_port = i32::try_from(p.int("node-port").unwrap_or(0)).unwrap_or(0);
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port, target_port) = parse_ports(spec)?;
        ports.push(ServicePort {
            name: spec.replace(':', "-"),
            port,
            target_port,
            protocol: Protocol::Tcp,
            node_port,
            ..ServicePort::default()
        });
    }
    let mut s = Service {
        metadata: ObjectMeta::named(&ctx.namespace(p), &name),
        ..Service::default()
    };
    s.metadata.labels = app_labels(&name);
    s.spec.type_ = type_.into();
    s.spec.selector = Some(app_labels(&name));
    s.spec.ports = ports;
    if !cluster_ip.is_empty() {
        s.spec.cluster_ip = cluster_ip.to_owned();
    }
    create(ctx, Object::Service(s), format!("service/{name} created\n"))
}

/// `kubectl create service clusterip`.
pub(crate) fn service_clusterip(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    service(ctx, p, "ClusterIP")
}

/// `kubectl create service nodeport`.
pub(crate) fn service_nodeport(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    service(ctx, p, "NodePort")
}

/// `kubectl create service loadbalancer`.
pub(crate) fn service_loadbalancer(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    service(ctx, p, "LoadBalancer")
}

/// What `expose` reads of the object it exposes: selector, ports (with their
/// protocols) and labels.
struct Exposed {
    selector: Labels,
    ports: Vec<(i32, Protocol)>,
    labels: Labels,
}

fn introspect(o: &LiveObject) -> Result<Exposed, String> {
    let from_containers = |cs: &[Container]| -> Vec<(i32, Protocol)> {
        cs.iter()
            .flat_map(|c| {
                c.ports
                    .iter()
                    .map(|p| (p.container_port, p.protocol.clone()))
            })
            .collect()
    };
    let match_labels = |sel: Option<&LabelSelector>| -> Result<Labels, String> {
        let sel = sel.cloned().unwrap_or_default();
        if !sel.match_expressions.is_empty() {
            return Err("error: couldn't retrieve selectors via --selector flag or introspection: couldn't convert expressions to map-based selector format".into());
        }
        Ok(sel.match_labels)
    };
    Ok(match o {
        LiveObject::Pod(p) => Exposed {
            selector: p.metadata.labels.clone(),
            ports: from_containers(&p.spec.containers),
            labels: p.metadata.labels.clone(),
        },
        LiveObject::Service(s) => Exposed {
            selector: s.spec.selector.clone().unwrap_or_default(),
            ports: s
                .spec
                .ports
                .iter()
                .map(|p| (p.port, p.protocol.clone()))
                .collect(),
            labels: s.metadata.labels.clone(),
        },
        LiveObject::Deployment(d) => Exposed {
            selector: match_labels(d.spec.selector.as_ref())?,
            ports: from_containers(&d.spec.template.spec.containers),
            labels: d.metadata.labels.clone(),
        },
        LiveObject::ReplicaSet(r) => Exposed {
            selector: match_labels(r.spec.selector.as_ref())?,
            ports: from_containers(&r.spec.template.spec.containers),
            labels: r.metadata.labels.clone(),
        },
        other => return Err(format!("error: cannot expose a {}", other.kind())),
    })
}

/// `kubectl expose TYPE NAME`.
pub(crate) fn expose(ctx: &mut Ctx, p: &Parsed) -> Result<(), String> {
    let request = resource::parse_args(&p.args).map_err(|e| format!("error: {e}"))?;
    let target = match request.items.as_slice() {
        [(kind, names)] if names.len() == 1 => (*kind, names[0].clone()),
        [] => return Err(super::targets::NO_RESOURCES.to_owned()),
        _ => return Err("error: resource(s) were provided, but no name was specified".into()),
    };
    let ns = ctx.namespace(p);
    let Some(object) = find(ctx.world, target.0, &ns, &target.1) else {
        return Err(super::errors::not_found(target.0, &target.1));
    };
    if !matches!(
        target.0,
        Kind::Pod | Kind::Service | Kind::Deployment | Kind::ReplicaSet
    ) {
        return Err(format!("error: cannot expose a {}", object.kind()));
    }
    let found = introspect(&object)?;
    let selector = match p.str("selector") {
        Some(s) => crate::labels::parse_labels_map(s).map_err(|e| format!("error: {e}"))?,
        None => found.selector,
    };
    if selector.is_empty() {
        return Err("error: selector must be specified".into());
    }
    let labels = match p.str("labels") {
        Some(s) => crate::labels::parse_labels_map(s).map_err(|e| format!("error: {e}"))?,
        None => found.labels,
    };
    let name: String = p
        .str("name")
        .map(str::to_owned)
        .unwrap_or_else(|| target.1.chars().take(63).collect());
    let protocol = p.str("protocol").map(Protocol::from);
    let ports: Vec<(String, i32, Protocol)> = match p.str("port") {
        Some(text) => {
            let n: i32 = text
                .parse()
                .map_err(|_| format!("error: strconv.Atoi: parsing {text:?}: invalid syntax"))?;
            let proto = protocol.clone().unwrap_or_else(|| {
                found
                    .ports
                    .iter()
                    .find(|(p, _)| *p == n)
                    .map_or(Protocol::Tcp, |(_, pr)| pr.clone())
            });
            vec![(String::new(), n, proto)]
        }
        None => {
            if found.ports.is_empty() {
                return Err("error: couldn't find port via --port flag or introspection".into());
            }
            let many = found.ports.len() > 1;
            found
                .ports
                .iter()
                .enumerate()
                .map(|(i, (n, pr))| {
                    let name = if many {
                        format!("port-{}", i + 1)
                    } else {
                        String::new()
                    };
                    (name, *n, protocol.clone().unwrap_or_else(|| pr.clone()))
                })
                .collect()
        }
    };
    let target_port = p.str("target-port").map(|t| match t.parse::<i32>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::String(t.to_owned()),
    });
    let mut s = Service {
        metadata: ObjectMeta::named(&ns, &name),
        ..Service::default()
    };
    s.metadata.labels = labels;
    s.spec.selector = Some(selector);
    s.spec.ports = ports
        .into_iter()
        .map(|(port_name, port, protocol)| ServicePort {
            name: port_name,
            port,
            target_port: target_port.clone().unwrap_or(IntOrString::Int(port)),
            protocol,
            ..ServicePort::default()
        })
        .collect();
    if let Some(t) = p.str("type") {
        s.spec.type_ = t.into();
    }
    match p.str("session-affinity") {
        None | Some("") => {}
        Some("None") => s.spec.session_affinity = SessionAffinity::None,
        Some("ClientIP") => s.spec.session_affinity = SessionAffinity::ClientIp,
        Some(other) => return Err(format!("error: unknown session affinity: {other}")),
    }
    if let Some(ip) = p.str("cluster-ip") {
        s.spec.cluster_ip = ip.to_owned();
    }
    create(ctx, Object::Service(s), format!("service/{name} exposed\n"))
}
