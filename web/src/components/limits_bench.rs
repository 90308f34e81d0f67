//! `?bench=limits`: builds the world at Kubernetes' published limits (5,000 nodes,
//! 150,000 pods, 10,000 Services; `&scale=4` for a quarter) in the page's wasm, phase by
//! phase, and shows each phase's time and what was built — counts, never 150,000 cards.
//!
//! Each phase runs in its own task (a `setTimeout` after the previous result is drawn),
//! so the page paints between phases; a phase itself holds the main thread. When done,
//! `<html data-limits-bench>` holds the figures as `phase=ms` pairs for
//! `tests/bench/limits.mjs`.

use std::cell::RefCell;

use svcplay_core::World;
use svcplay_core::scenario::limits::{self, Shape};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The phases, in order.
const PHASES: [&str; 4] = ["nodes", "deployments", "services", "first_reconcile"];

/// Props of [`LimitsBench`].
#[derive(Properties, PartialEq)]
pub struct LimitsBenchProps {
    /// Kubernetes' limits divided by this (1: the full limits).
    pub scale: usize,
}

/// What has been measured so far.
#[derive(Clone, PartialEq, Default)]
struct Report {
    /// Milliseconds per finished phase.
    ms: Vec<f64>,
    /// Nodes, pods, serving pods, Services, EndpointSlices once built.
    counts: Option<[usize; 5]>,
    error: Option<String>,
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn run_phase(world: &RefCell<Option<World>>, shape: &Shape, phase: usize) -> Result<(), String> {
    let mut slot = world.borrow_mut();
    if phase == 0 {
        *slot = Some(limits::empty(1).map_err(|e| e.to_string())?);
    }
    let w = slot.as_mut().ok_or("no world")?;
    let r = match phase {
        0 => limits::add_nodes(w, shape),
        1 => limits::add_deployments(w, shape),
        2 => limits::add_services(w, shape),
        _ => {
            limits::first_reconcile(w);
            Ok(())
        }
    };
    r.map_err(|e| e.to_string())
}

fn counts(w: &World) -> [usize; 5] {
    let serving = w.pods().values().filter(|p| World::is_serving(p)).count();
    [
        w.nodes().len(),
        w.pods().len(),
        serving,
        w.services().len(),
        w.endpoint_slices().len(),
    ]
}

fn publish(report: &Report) {
    let pairs: Vec<String> = PHASES
        .iter()
        .zip(&report.ms)
        .map(|(p, ms)| format!("{p}={ms:.1}"))
        .collect();
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        root.set_attribute("data-limits-bench", &pairs.join(" "))
            .ok();
    }
}

/// The page behind `?bench=limits`.
#[component]
pub fn LimitsBench(props: &LimitsBenchProps) -> Html {
    let shape = Shape::limits(props.scale);
    let report = use_state(Report::default);
    let world = use_mut_ref(|| None::<World>);
    {
        let (report, world) = (report.clone(), world.clone());
        use_effect_with(report.ms.len(), move |&done| {
            if done < PHASES.len() && report.error.is_none() {
                let task = Closure::once(move || {
                    let start = now();
                    let result = run_phase(&world, &shape, done);
                    let mut next = (*report).clone();
                    match result {
                        Ok(()) => next.ms.push(now() - start),
                        Err(e) => next.error = Some(e),
                    }
                    if next.ms.len() == PHASES.len() {
                        next.counts = world.borrow().as_ref().map(counts);
                        publish(&next);
                    }
                    report.set(next);
                });
                if let Some(w) = web_sys::window() {
                    w.set_timeout_with_callback_and_timeout_and_arguments_0(
                        task.as_ref().unchecked_ref(),
                        0,
                    )
                    .ok();
                }
                task.forget();
            }
        });
    }
    let total: f64 = report.ms.iter().sum();
    let rows = PHASES.iter().enumerate().map(|(i, p)| {
        let cell = match report.ms.get(i) {
            Some(ms) => format!("{ms:.0} ms"),
            None if i == report.ms.len() && report.error.is_none() => "running…".to_owned(),
            None => String::new(),
        };
        html! { <tr><td>{ *p }</td><td class="num">{ cell }</td></tr> }
    });
    let built = report.counts.map(|[n, p, s, svc, sl]| {
        html! {
            <p class="limits-built">
                { format!("{n} nodes, {p} pods ({s} serving), {svc} Services, {sl} EndpointSlices; {total:.0} ms in all") }
            </p>
        }
    });
    html! {
        <main class="limits-bench">
            <h1>{ format!("Kubernetes' limits in this tab (1/{})", props.scale.max(1)) }</h1>
            <p>{ format!("{} nodes, {} Deployments of {} replicas, one Service each, built by the page's own wasm.", shape.nodes, shape.services, shape.replicas) }</p>
            <table><tbody>{ for rows }</tbody></table>
            { for built }
            { for report.error.as_ref().map(|e| html! { <p class="error">{ e.clone() }</p> }) }
        </main>
    }
}

/// `?bench=limits` asks for this page, `&scale=N` for 1/N of the limits (default 1).
pub fn limits_scale(query: &str) -> Option<usize> {
    let q = query.trim_start_matches('?');
    let mut pairs = q.split('&');
    if !pairs.clone().any(|p| p == "bench=limits") {
        return None;
    }
    let scale = pairs
        .find_map(|p| p.strip_prefix("scale="))
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|s| (1..=1_000).contains(s))
        .unwrap_or(1);
    Some(scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_query_picks_the_page_and_its_scale() {
        assert_eq!(limits_scale("?bench=limits"), Some(1));
        assert_eq!(limits_scale("?bench=limits&scale=4"), Some(4));
        assert_eq!(limits_scale("?scale=4&bench=limits"), Some(4));
        assert_eq!(limits_scale("?bench=limits&scale=0"), Some(1));
        assert_eq!(limits_scale("?bench=frames"), None);
    }
}
