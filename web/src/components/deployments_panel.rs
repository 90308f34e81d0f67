//! Workloads: every Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! ReplicationController, Job and CronJob with its pods as the core counts them (over
//! owner references); replicas (`−`, `+`, a number box) where the kind scales, and a
//! Deployment's pod-template labels. A Deployment's controls are `[data-deployment]`,
//! any other kind's `[data-workload="<Kind>:<name>"]`.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::text_box::TextBox;
use crate::model::DeploymentView;
use crate::state::{EditAction, Field};

/// Props of [`DeploymentsPanel`].
#[derive(Properties, PartialEq)]
pub struct DeploymentsPanelProps {
    /// One entry per workload.
    pub deployments: Rc<Vec<DeploymentView>>,
    /// Scale and label edits.
    pub on_edit: Callback<EditAction>,
}

/// The workloads panel.
#[component]
pub fn DeploymentsPanel(props: &DeploymentsPanelProps) -> Html {
    html! {
        <section class="panel deployments-panel" aria-labelledby="deployments-title">
            <h2 id="deployments-title">{ "Workloads" }</h2>
            if props.deployments.is_empty() { <p class="empty">{ "no workloads" }</p> }
            // Keyed rows in a list of their own keep their boxes (and focus) in place.
            <>{ for props.deployments.iter().map(|d| workload(d, &props.on_edit)) }</>
        </section>
    }
}

/// `2/3 ready`, with what else is worth a word.
fn counts(d: &DeploymentView) -> String {
    let mut text = match d.kind {
        "Job" => format!(
            "{}/{} complete, {} running",
            d.succeeded, d.replicas, d.pods
        ),
        "CronJob" => format!("{} job(s) running, {} pod(s)", d.replicas, d.pods),
        "DaemonSet" => format!("{}/{} ready on {} node(s)", d.ready, d.pods, d.replicas),
        _ => format!("{}/{} ready", d.ready, d.replicas),
    };
    if d.kind != "Job"
        && d.kind != "DaemonSet"
        && d.pods != usize::try_from(d.replicas).unwrap_or(0)
    {
        text.push_str(&format!(", {} running", d.pods));
    }
    text
}

fn workload(d: &DeploymentView, on_edit: &Callback<EditAction>) -> Html {
    let scale = |to: i64| {
        let name = d.name.clone();
        on_edit.reform(move |_: MouseEvent| EditAction::Scale(name.clone(), to))
    };
    let replicas = i64::from(d.replicas);
    let is_deployment = d.kind == "Deployment";
    let dom_id = d.name.replace([':', '/'], "-");
    html! {
        <div class={classes!("deployment", d.colour.class())} key={d.name.clone()}
            data-deployment={is_deployment.then(|| d.name.clone())}
            data-workload={(!is_deployment).then(|| d.name.clone())} data-kind={d.kind}>
            <h3>
                <span class="svc-name">{ &d.title }</span>{ " " }
                <span class="muted" data-counts="">{ counts(d) }</span>
            </h3>
            if d.scalable {
                <div class="scale" role="group" aria-label={format!("replicas of {} {}", d.kind, d.title)}>
                    <button data-action="scale-down" onclick={scale(replicas - 1)} disabled={replicas <= 0}
                        aria-label={format!("scale {} down to {}", d.title, replicas - 1)}>{ "−" }</button>
                    <TextBox field={Field::Replicas(d.name.clone())} action="scale" kind="number" apply_on_blur=true
                        value={d.replicas_draft.clone().unwrap_or_else(|| d.replicas.to_string())}
                        error={d.replicas_error.clone()} id={format!("replicas-{dom_id}")}
                        label={format!("replicas of {} {}; Enter applies", d.kind, d.title)} on_edit={on_edit.clone()} />
                    <button data-action="scale-up" onclick={scale(replicas + 1)}
                        aria-label={format!("scale {} up to {}", d.title, replicas + 1)}>{ "+" }</button>
                </div>
            }
            if d.labels_editable {
                <label class="labels-box">
                    <span class="muted">{ "template labels" }</span>
                    <TextBox field={Field::TemplateLabels(d.name.clone())} action="template-labels"
                        value={d.labels_draft.clone().unwrap_or_else(|| d.template_labels.clone())}
                        error={d.labels_error.clone()} id={format!("template-{dom_id}")}
                        label={format!("pod-template labels of Deployment {}: key=value pairs; Enter applies", d.name)}
                        on_edit={on_edit.clone()} />
                </label>
            }
        </div>
    }
}
