//! Every lesson, as data: its file parses and its world builds; for every step the
//! goal is unmet when the step begins, met after "show me", and met too by the other
//! path, each run from the same starting world.

use super::*;
use crate::World;
use crate::kubectl::Console;

fn run(world: &mut World, lines: &[String]) -> Result<(), String> {
    run_lines(world, &mut Console::new(), lines)
}

fn met_within(world: &mut World, goal: &[Predicate], baseline: &mut Baseline) -> Option<u64> {
    wait_for_goal(world, goal, baseline)
}

#[test]
fn every_lesson_file_parses_and_its_world_builds() {
    let lessons = catalogue().unwrap();
    assert_eq!(lessons.len(), FILES.len());
    assert_eq!(lessons.len(), 14);
    for ((file, _), lesson) in FILES.iter().zip(&lessons) {
        lesson_world(file, lesson).unwrap();
    }
}

#[test]
fn every_step_is_unmet_at_first_and_met_by_show_me_and_by_another_path() {
    let mut checked = 0;
    for ((file, _), lesson) in FILES.iter().zip(catalogue().unwrap()) {
        let mut world = lesson_world(file, &lesson).unwrap();
        for (i, step) in lesson.steps.iter().enumerate() {
            let at = format!("{file} step {}", i + 1);
            let mut baseline = Baseline::take(&world);
            baseline.observe(&world);
            assert!(
                !all_hold(&step.goal, &world, &baseline),
                "{at}: goal already met"
            );
            // Another path, from the same world.
            let mut other = world.clone();
            let mut other_base = baseline.clone();
            run(&mut other, &step.other_path).unwrap_or_else(|e| panic!("{at}: {e}"));
            assert!(
                met_within(&mut other, &step.goal, &mut other_base).is_some(),
                "{at}: the other path does not meet the goal"
            );
            // Show me, which the next step continues from.
            run(&mut world, &step.show_me).unwrap_or_else(|e| panic!("{at}: {e}"));
            assert!(
                met_within(&mut world, &step.goal, &mut baseline).is_some(),
                "{at}: show me does not meet the goal"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 19);
}

#[test]
fn doing_nothing_meets_no_goal() {
    for ((file, _), lesson) in FILES.iter().zip(catalogue().unwrap()) {
        let mut world = lesson_world(file, &lesson).unwrap();
        let step = &lesson.steps[0];
        let mut baseline = Baseline::take(&world);
        assert_eq!(
            met_within(&mut world, &step.goal, &mut baseline),
            None,
            "{file}: the first goal is met by waiting"
        );
    }
}

#[test]
fn readiness_goal_is_met_after_three_failed_probes_not_before() {
    let lessons = catalogue().unwrap();
    let lesson = &lessons[4];
    let mut world = lesson_world(FILES[4].0, lesson).unwrap();
    let mut baseline = Baseline::take(&world);
    run(&mut world, &lesson.steps[0].show_me).unwrap();
    let waited = met_within(&mut world, &lesson.steps[0].goal, &mut baseline).unwrap();
    // Probes every 10 s; the third failure marks the pod not ready.
    assert!((20_000..=30_000).contains(&waited), "waited {waited} ms");
}

#[test]
fn a_bad_lesson_file_is_refused_with_its_reason() {
    let unknown = "title: t\nsteps:\n  - text: x\n    focus: pods\n    goal: [ { no_such_goal: {} } ]\n    show_me: [kubectl get pods]\n    other_path: [kubectl get pods]\n    done: d\n";
    let e = parse("x.yaml", unknown).unwrap_err();
    assert!(e.to_string().starts_with("x.yaml: "), "{e}");
    assert!(e.message.contains("no_such_goal"), "{e}");
    let long = format!(
        "title: t\nsteps:\n  - text: {}\n    focus: pods\n    goal: [ {{ pod_replaced: {{ deployment: prod }} }} ]\n    show_me: [kubectl get pods]\n    other_path: [kubectl get pods]\n    done: d\n",
        "word ".repeat(81)
    );
    assert_eq!(
        parse("x.yaml", &long).unwrap_err().message,
        "steps[0]: text has 81 words (at most 80)"
    );
    let bad_line = unknown
        .replace(
            "{ no_such_goal: {} }",
            "{ pod_replaced: { deployment: prod } }",
        )
        .replace("show_me: [kubectl get pods]", "show_me: [rm -rf pods]");
    assert_eq!(
        parse("x.yaml", &bad_line).unwrap_err().message,
        "steps[0]: unknown show-me line \"rm -rf pods\""
    );
    let lesson = parse(
        "y.yaml",
        &unknown.replace(
            "{ no_such_goal: {} }",
            "{ ready_endpoints: { service: nope, at_least: 1 } }",
        ),
    )
    .unwrap();
    assert_eq!(
        lesson_world("y.yaml", &lesson).unwrap_err().message,
        "goal names Service \"nope\", which the scenario does not have"
    );
}

#[test]
fn placeholders_name_live_and_broken_pods() {
    let lessons = catalogue().unwrap();
    let mut world = lesson_world(FILES[0].0, &lessons[0]).unwrap();
    let pods: Vec<String> = world
        .pods_of_deployment(&crate::objects::NamespacedName::default_ns("prod"))
        .iter()
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(pods.len(), 2);
    assert_eq!(
        action::fill("kubectl delete pod {pod:prod}", &world).unwrap(),
        format!("kubectl delete pod {}", pods[0])
    );
    run(&mut world, &[format!("break pod {}", pods[1])]).unwrap();
    assert_eq!(
        action::fill("heal pod {broken_pod:prod}", &world).unwrap(),
        format!("heal pod {}", pods[1])
    );
    assert_eq!(
        action::fill("{pod:nope}", &world).unwrap_err(),
        "{pod:nope}: the Deployment has no live pod"
    );
    assert_eq!(
        action::fill(r#"-p '{"spec":{}}'"#, &world).unwrap(),
        r#"-p '{"spec":{}}'"#
    );
}

#[test]
fn a_returning_learner_gets_the_world_of_a_later_step() {
    let lessons = catalogue().unwrap();
    let (file, lesson) = (FILES[5].0, &lessons[5]);
    let world = world_at_step(file, lesson, 1).unwrap();
    let prod = crate::objects::NamespacedName::default_ns("prod");
    assert_eq!(
        world.service(&prod).unwrap().spec.type_,
        crate::objects::ServiceType::NodePort
    );
    let mut b = Baseline::take(&world);
    b.observe(&world);
    assert!(!all_hold(&lesson.steps[1].goal, &world, &b));
}

#[test]
fn a_scale_up_leaves_the_kept_alive_connection_on_its_pod_until_more_connections() {
    let lessons = catalogue().unwrap();
    let (file, lesson) = (FILES[12].0, &lessons[12]);
    let mut world = lesson_world(file, lesson).unwrap();
    let backend = crate::objects::NamespacedName::default_ns("backend");
    assert_eq!(world.connections_per_pod(&backend).len(), 1);
    let mut b = Baseline::take(&world);
    run(&mut world, &lesson.steps[0].show_me).unwrap();
    met_within(&mut world, &lesson.steps[0].goal, &mut b).unwrap();
    world.step(5_000);
    assert_eq!(world.ready_endpoints(&backend).len(), 6);
    let per_pod = world.connections_per_pod(&backend);
    assert_eq!(per_pod.values().sum::<usize>(), 1, "{per_pod:?}");
    let serving = world
        .ready_endpoints(&backend)
        .iter()
        .filter(|p| {
            world.requests_served(&crate::objects::NamespacedName::new(
                &p.metadata.namespace,
                &p.metadata.name,
            )) > 0
        })
        .count();
    assert_eq!(serving, 1, "only the pinned pod has served");
    let mut b = Baseline::take(&world);
    run(&mut world, &lesson.steps[1].show_me).unwrap();
    met_within(&mut world, &lesson.steps[1].goal, &mut b).unwrap();
    world.step(2_000);
    let per_pod = world.connections_per_pod(&backend);
    assert_eq!(per_pod.values().sum::<usize>(), 6, "{per_pod:?}");
    assert!(per_pod.len() >= 3, "{per_pod:?}");
}

#[test]
fn a_name_resolves_once_the_service_exists_and_stays_with_no_pods() {
    let lessons = catalogue().unwrap();
    let (file, lesson) = (FILES[13].0, &lessons[13]);
    let mut world = lesson_world(file, lesson).unwrap();
    let mut console = Console::new();
    let out = console.run(&mut world, "kubectl exec shopper -- nslookup api.shop");
    assert!(!out.ok);
    assert!(
        out.text().contains("can't resolve 'api.shop'"),
        "{}",
        out.text()
    );
    world_at_step(file, lesson, 2).unwrap();
    let mut b = Baseline::take(&world);
    run(&mut world, &lesson.steps[0].show_me).unwrap();
    met_within(&mut world, &lesson.steps[0].goal, &mut b).unwrap();
    let ip = world
        .service(&predicate::key("shop/api"))
        .unwrap()
        .spec
        .cluster_ip
        .clone();
    let out = console.run(&mut world, "kubectl exec shopper -- nslookup api.shop");
    assert!(
        out.text()
            .contains(&format!("Address 1: {ip} api.shop.svc.cluster.local")),
        "{}",
        out.text()
    );
    // The short name is looked up in default first, and nowhere finds api.
    assert!(
        !console
            .run(&mut world, "kubectl exec shopper -- nslookup api")
            .ok
    );
}

#[test]
fn a_saved_lesson_world_comes_back_on_the_lessons_own_cloud_and_bad_ones_are_refused() {
    use crate::scenario::share::{encode_fragment, world_to_scenario};
    let lessons = catalogue().unwrap();
    // Lesson 10: the cloud has no load-balancer addresses; the learner made prod a
    // LoadBalancer and scaled it to 4, then left.
    let (file, lesson) = (FILES[9].0, &lessons[9]);
    let mut world = lesson_world(file, lesson).unwrap();
    run(
        &mut world,
        &[
            "kubectl patch service prod -p '{\"spec\":{\"type\":\"LoadBalancer\"}}'".into(),
            "kubectl scale deployment prod --replicas=4".into(),
        ],
    )
    .unwrap();
    let fragment = encode_fragment(&world_to_scenario(
        &world,
        crate::scenario::DEFAULT_SEED,
        Default::default(),
    ));
    let back = restore_world(file, lesson, &fragment).unwrap();
    let prod = crate::objects::NamespacedName::default_ns("prod");
    let service = back.service(&prod).unwrap();
    assert_eq!(service.spec.type_.as_str(), "LoadBalancer");
    assert!(
        service.status.load_balancer.ingress.is_empty(),
        "still <pending>: the lesson's cloud has no addresses"
    );
    assert_eq!(back.pods_of_deployment(&prod).len(), 4);
    // The step's goal reads the restored world as it read the one left.
    let step0 = &lesson.steps[0].goal;
    let mut baseline = Baseline::take(&back);
    baseline.observe(&back);
    assert!(all_hold(step0, &back, &baseline));

    // Corrupt, over the limit, or missing what the lesson's goals name: refused.
    let e = restore_world(file, lesson, "s=1.!!!").unwrap_err();
    assert!(e.message.contains("base64"), "{e}");
    let huge = format!("s=1.{}", "A".repeat(crate::limits::MAX_LINK_BYTES));
    let e = restore_world(file, lesson, &huge).unwrap_err();
    assert!(e.message.contains("MAX_LINK_BYTES"), "{e}");
    run(&mut world, &["kubectl delete service prod".into()]).unwrap();
    let without_prod = encode_fragment(&world_to_scenario(
        &world,
        crate::scenario::DEFAULT_SEED,
        Default::default(),
    ));
    let e = restore_world(file, lesson, &without_prod).unwrap_err();
    assert!(e.message.contains("Service \"prod\""), "{e}");
}
