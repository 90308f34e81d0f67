//! docs/embed.html embeds a playground from a share fragment: the fragment there must
//! still decode, with this build's codec, to the scenario the page says it shows (the
//! default scenario with `prod` scaled to 4). Print a fresh fragment with
//! `SVCPLAY_PRINT_FRAGMENT=1 cargo test -p svcplay-core --test share_docs -- --nocapture`.

#![cfg(not(target_arch = "wasm32"))]

use svcplay_core::objects::Deployment;
use svcplay_core::objects::NamespacedName;
use svcplay_core::scenario::share::{
    Settings, decode_fragment, encode_fragment, scenario_to_world, world_to_scenario,
};
use svcplay_core::scenario::{DEFAULT_SEED, default_world};
use svcplay_core::world::Command;

fn prod_replicas(d: Option<&Deployment>) -> Option<i32> {
    d.and_then(|d| d.spec.replicas)
}

#[test]
fn the_embed_example_fragment_decodes_to_prod_scaled_to_4() {
    let mut world = default_world(DEFAULT_SEED);
    world
        .apply(Command::ScaleDeployment {
            deployment: NamespacedName::default_ns("prod"),
            replicas: 4,
        })
        .unwrap();
    let fresh = encode_fragment(&world_to_scenario(
        &world,
        DEFAULT_SEED,
        Settings::default(),
    ));
    if std::env::var_os("SVCPLAY_PRINT_FRAGMENT").is_some() {
        println!("{fresh}");
    }
    let page = include_str!("../../docs/embed.html");
    let start = page
        .find("#s=1.")
        .expect("docs/embed.html has a share fragment")
        + 1;
    let end = page[start..].find('"').map_or(page.len(), |n| start + n);
    let scenario = decode_fragment(&page[start..end]).unwrap();
    let mut built = scenario_to_world(&scenario).unwrap();
    built.step(5_000);
    assert_eq!(
        prod_replicas(built.deployments().get(&NamespacedName::default_ns("prod"))),
        Some(4)
    );
    let prod = built
        .pods()
        .keys()
        .filter(|p| p.name.starts_with("prod-"))
        .count();
    assert_eq!(prod, 4);
    let user_services = built
        .services()
        .keys()
        .filter(|s| !built.is_built_in_service(s))
        .count();
    assert_eq!(user_services, 2);
    // The page's link is the one this build writes for that scenario: regenerate it
    // (see the module doc) when the scenario format or the default scenario changes.
    assert_eq!(scenario, decode_fragment(&fresh).unwrap());
}
