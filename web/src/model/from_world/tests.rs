//! Tests of the view structs filled from a world.

use std::collections::BTreeSet;

use super::scene::*;
use super::*;
use crate::model::traffic::Anchor;
use crate::model::{Entry, Layer, PodState};
use svcplay_core::scenario::{DEFAULT_SEED, default_world};

use svcplay_core::objects::{NamespacedName, ServiceType};
use svcplay_core::world::Command;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn default_scenario_scene() {
    let mut w = default_world(DEFAULT_SEED);
    w.step(2_500);
    let f = frame(&w, &RequestLog::default(), true, &Edits::default());
    let pods: usize = f.scene.nodes.iter().map(|n| n.pods.len()).sum();
    assert_eq!(
        (f.scene.nodes.len(), pods, f.scene.services.len()),
        (2, 4, 2),
        "three app pods and the client pod; dev and prod (not default/kubernetes)"
    );
    let prod = &f.scene.services[1];
    assert_eq!(
        (prod.name.as_str(), prod.selector.as_str()),
        ("prod", "app=prod")
    );
    assert_eq!(prod.endpoints.len(), 2);
    assert!(
        matches!(&prod.layers[..], [Layer::ClusterIp(Some(ip))] if ip.starts_with("10.")),
        "the API server allocated a ClusterIP: {:?}",
        prod.layers
    );
    assert!(
        f.scene
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .all(|p| p.state == PodState::Ready)
    );
    let inside: Vec<(&str, usize)> = f
        .scene
        .clients
        .iter()
        .map(|c| (c.name.as_str(), c.targets.len()))
        .collect();
    assert_eq!(
        inside,
        [("user", 1), ("client", 2)],
        "the user outside first"
    );
    assert_eq!(
        f.traffic.routes.len(),
        3 + 3,
        "three client lines (the user's too), three endpoint lines"
    );
}

#[test]
fn killed_pod_is_terminating_and_leaves_the_endpoints() {
    let mut w = default_world(DEFAULT_SEED);
    w.step(2_500);
    let victim = w
        .pods()
        .keys()
        .find(|n| n.name.starts_with("prod"))
        .map(|n| n.name.clone())
        .unwrap_or_default();
    assert!(
        w.apply(Command::DeletePod {
            pod: NamespacedName::default_ns(&victim)
        })
        .is_ok()
    );
    let f = frame(&w, &RequestLog::default(), false, &Edits::default());
    let pod = f
        .scene
        .nodes
        .iter()
        .flat_map(|n| &n.pods)
        .find(|p| p.name == victim);
    let pod = pod.map(|p| (p.state, p.serving, p.can_kill));
    assert_eq!(pod, Some((PodState::Terminating, false, false)));
    let replacement = f
        .scene
        .nodes
        .iter()
        .flat_map(|n| &n.pods)
        .filter(|p| p.state == PodState::Pending);
    assert_eq!(replacement.count(), 1);
    assert_eq!(
        f.endpoints
            .iter()
            .find(|e| e.service == "prod")
            .into_iter()
            .flat_map(|e| &e.slices)
            .flat_map(|s| &s.rows)
            .map(|r| (r.pod == victim, r.ready, r.serving, r.terminating))
            .filter(|r| r.1 || r.0)
            .collect::<BTreeSet<_>>(),
        BTreeSet::from([(true, false, true, true), (false, true, true, false)]),
        "the killed pod stays in the slice, terminating and not ready; the survivor is ready"
    );
    assert!(
        flights(&w, &RequestLog::default(), &f.scene, false).is_empty(),
        "no flights without motion"
    );
}

#[test]
fn unreachable_requests_are_counted_but_not_drawn_as_refusals() {
    let mut w = default_world(DEFAULT_SEED);
    let mut log = RequestLog::default();
    w.step(3_000);
    log.record(w.drain_requests(), w.now());
    w.step(1_000);
    log.record(w.drain_requests(), w.now());
    let s = scene(&w, &log, &palette(&w), true, None);
    let prod = s.services.iter().find(|s| s.name == "prod");
    let prod = prod.map(|p| (p.unreachable > 0, p.refusing, p.dropped));
    assert_eq!(
        prod,
        Some((true, false, 0)),
        "the user outside cannot address a ClusterIP; nothing was refused"
    );
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("NodePort"),
    })
    .unwrap();
    let s = scene(&w, &log, &palette(&w), true, None);
    let prod = s.services.iter().find(|s| s.name == "prod");
    assert_eq!(
        prod.map(|p| p.unreachable),
        Some(0),
        "with a node port the outside gets in: the old count is not shown"
    );
}

#[test]
fn the_outside_users_route_follows_the_cores_entry() {
    let mut w = default_world(DEFAULT_SEED);
    w.step(3_000);
    let user_route = |w: &World| {
        let s = scene(w, &RequestLog::default(), &palette(w), true, None);
        let entry = s
            .clients
            .iter()
            .find(|c| c.name == "user")
            .and_then(|c| c.targets.first())
            .map(|t| t.entry.clone());
        let blocked = routes(&s)
            .iter()
            .find(|r| r.from == Anchor::Client("user".into()))
            .map(|r| r.blocked);
        (entry, blocked)
    };
    let (entry, blocked) = user_route(&w);
    assert_eq!(
        entry,
        Some(Entry::Unreachable(
            svcplay_core::proxy::Unreachable::ClusterIpOnly.describe()
        ))
    );
    assert_eq!(
        blocked,
        Some(true),
        "a ClusterIP is not reachable from outside"
    );
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("NodePort"),
    })
    .unwrap();
    let np =
        u16::try_from(w.services()[&NamespacedName::default_ns("prod")].spec.ports[0].node_port)
            .unwrap();
    assert_eq!(user_route(&w), (Some(Entry::NodePort(np)), Some(false)));
    w.apply(Command::SetServiceType {
        service: NamespacedName::default_ns("prod"),
        service_type: ServiceType::parse("LoadBalancer"),
    })
    .unwrap();
    assert_eq!(
        user_route(&w),
        (
            Some(Entry::LoadBalancer("203.0.113.10:80".to_owned())),
            Some(false)
        )
    );
    let s = scene(&w, &RequestLog::default(), &palette(&w), true, None);
    let client = s.clients.iter().find(|c| c.inside).unwrap();
    assert!(client.targets.iter().all(|t| t.entry == Entry::ClusterIp));
}

#[test]
fn pods_flash_when_requests_arrive() {
    let mut w = default_world(DEFAULT_SEED);
    let mut log = RequestLog::default();
    w.step(3_000);
    log.record(w.drain_requests(), w.now());
    w.step(1_000);
    log.record(w.drain_requests(), w.now());
    let palette = palette(&w);
    let still = scene(&w, &log, &palette, false, None);
    assert!(still.nodes.iter().flat_map(|n| &n.pods).any(|p| p.hit));
    let moving = scene(&w, &log, &palette, true, None);
    assert!(
        moving.nodes.iter().flat_map(|n| &n.pods).all(|p| !p.hit),
        "dots show arrivals"
    );
}

#[test]
fn rules_panel_text_follows_the_proxy_mode() {
    use svcplay_core::proxy::{IpvsScheduler, ProxyMode};
    let mut w = default_world(DEFAULT_SEED);
    w.step(2_500);
    let view = |w: &World| super::panels::rules(w, &Edits::default(), &mut ViewCache::default());
    let ipt = view(&w);
    assert_eq!(ipt.proxy_mode, "iptables");
    assert!(!ipt.nft && ipt.note.is_none());
    assert_eq!(ipt.format, "iptables-restore input");
    assert!(ipt.text.starts_with("*filter\n"), "{}", ipt.text);
    w.apply(Command::SetProxyMode {
        mode: ProxyMode::Nftables,
    })
    .ok();
    let nft = view(&w);
    assert!(nft.nft && nft.note.is_none());
    assert_eq!(nft.format, "nft transaction");
    assert!(
        nft.text.starts_with("add table ip kube-proxy"),
        "no iptables text under nftables mode: {}",
        nft.text
    );
    w.apply(Command::SetProxyMode {
        mode: ProxyMode::Ipvs(IpvsScheduler::Rr),
    })
    .ok();
    let ipvs = view(&w);
    assert!(!ipvs.nft);
    assert_eq!(ipvs.note, Some(super::panels::IPVS_NOTE));
    assert!(ipvs.text.starts_with("*filter\n"));
}

#[test]
fn a_client_pods_dns_failures_are_its_own_not_unreachable_from_outside() {
    // A client pod calling a name no Service has yet (lesson 14), then the Service.
    let mut w = default_world(DEFAULT_SEED);
    let manifests = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: shopper\nspec:\n  containers:\n    - name: fortio\n      image: fortio/fortio\n      args: [load, -qps, \"10\", -c, \"1\", -t, \"0\", http://api.shop/hostname]\n";
    svcplay_core::manifest::apply_import(&mut w, manifests).unwrap();
    w.step(4_000);
    let card = |w: &World| {
        let s = scene(w, &RequestLog::default(), &palette(w), true, None);
        let t = s
            .clients
            .iter()
            .find(|c| c.name == "shopper")
            .unwrap()
            .targets[0]
            .clone();
        let api = s
            .services
            .iter()
            .find(|s| s.name == "shop/api")
            .map(|s| s.unreachable);
        (t, api)
    };
    let (t, _) = card(&w);
    assert!(t.unresolved >= 10, "{t:?}");
    let line = t.dns_failure.unwrap();
    assert_eq!(
        line,
        format!(
            "{} × Unable to lookup 'api.shop' : lookup api.shop on 10.96.0.10:53: no such host",
            t.unresolved
        )
    );
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n";
    svcplay_core::manifest::apply_import(&mut w, svc).unwrap();
    let (_, api) = card(&w);
    assert_eq!(
        api,
        Some(0),
        "the Service card does not call them unreachable from outside"
    );
}

#[test]
fn explain_opens_on_a_pod_the_first_service_routes_to() {
    // Until the user picks, the explain view shows the first Service (dev) with its ready
    // endpoint, not the first pod by name (the client), which is no endpoint of anything.
    let mut w = default_world(DEFAULT_SEED);
    w.step(5_000);
    let dev_pod = w.ready_endpoints(&NamespacedName::default_ns("dev"))[0]
        .metadata
        .name
        .clone();
    let view = super::panels::explain(&w, &Edits::default(), &mut ViewCache::default());
    assert_eq!(view.service.as_deref(), Some("dev"));
    assert_eq!(view.pod.as_deref(), Some(dev_pod.as_str()));
    assert_eq!(view.is_endpoint, Some(true), "{}", view.headline);
    // A pick wins over the default.
    let picked = Edits {
        explain_pod: Some("client".to_owned()),
        ..Edits::default()
    };
    let view = super::panels::explain(&w, &picked, &mut ViewCache::default());
    assert_eq!(view.pod.as_deref(), Some("client"));
    assert_eq!(view.is_endpoint, Some(false));
}

#[test]
fn namespaces_and_the_target_boxs_choices_come_in_natural_order() {
    let mut w = default_world(DEFAULT_SEED);
    let text: String = [10, 2, 1]
        .iter()
        .map(|n| {
            format!(
                "apiVersion: v1\nkind: Namespace\nmetadata: {{name: shop-{n}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: shop-{n}}}\nspec: {{selector: {{app: web}}, ports: [{{port: 80}}]}}\n---\n"
            )
        })
        .collect();
    svcplay_core::manifest::apply_import(&mut w, &text).unwrap();
    let f = frame(&w, &RequestLog::default(), true, &Edits::default());
    let shown: Vec<&str> = f.scene.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        shown,
        ["dev", "prod", "shop-1/web", "shop-2/web", "shop-10/web"]
    );
    assert_eq!(*f.scene.service_names, shown);
}

/// The view cache changes what a refresh costs, never what it shows: with one cache
/// kept across refreshes, every frame equals the frame built from scratch — while
/// traffic runs, after commands that change the objects (a scale, a broken probe, a
/// deleted pod, new labels), when the namespace shown, a draft or the picked rules node
/// change, with and without motion.
#[test]
fn a_kept_cache_gives_the_frames_built_from_scratch() {
    let mut w = default_world(DEFAULT_SEED);
    let mut log = RequestLog::default();
    let mut cache = ViewCache::default();
    let mut edits = Edits::default();
    let deployment = w.deployments().keys().next().cloned().unwrap();
    let mut checked = 0;
    for i in 0..120 {
        w.step(100);
        let now = w.now();
        log.record(w.drain_requests(), now);
        let pod = w
            .pods()
            .keys()
            .find(|k| k.name != "client")
            .map(|k| (**k).clone())
            .unwrap();
        match i {
            20 => {
                w.apply(Command::ScaleDeployment {
                    deployment: deployment.clone(),
                    replicas: 4,
                })
                .unwrap();
            }
            40 => {
                w.apply(Command::BreakPod { pod }).unwrap();
            }
            60 => {
                w.apply(Command::DeletePod { pod }).unwrap();
            }
            70 => {
                edits.namespace = Some("default".to_owned());
                edits.rules_node = w.nodes().keys().last().cloned();
            }
            80 => {
                edits.drafts.insert(
                    crate::state::Field::Replicas(deployment.name.clone()),
                    "7".to_owned(),
                );
                w.apply(Command::SetPodLabels {
                    pod,
                    labels: [("app".to_owned(), "other".to_owned())].into(),
                })
                .unwrap();
            }
            100 => edits.namespace = Some("kube-system".to_owned()),
            _ => {}
        }
        for motion in [true, false] {
            let kept = frame_with(&w, &log, motion, &edits, &mut cache);
            assert_eq!(kept, frame(&w, &log, motion, &edits), "at step {i}");
            checked += 1;
        }
    }
    assert_eq!(checked, 240);
}

/// Traffic alone does not change the revision (so the kept parts stay), while the
/// objects' changes do.
#[test]
fn traffic_keeps_the_revision_and_commands_change_it() {
    let mut w = default_world(DEFAULT_SEED);
    w.step(5_000);
    let before = w.revision();
    w.step(2_000);
    assert!(
        !w.drain_requests().is_empty(),
        "the default world's clients send"
    );
    assert_eq!(w.revision(), before, "requests and passing time alone");
    let pod = w
        .pods()
        .keys()
        .find(|k| k.name != "client")
        .map(|k| (**k).clone())
        .unwrap();
    w.apply(Command::BreakPod { pod }).unwrap();
    assert_ne!(w.revision(), before);
}
