//! Deployments: replicas (`−`, `+`, a number box) and the pod-template labels.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::text_box::TextBox;
use crate::model::DeploymentView;
use crate::state::{EditAction, Field};

/// Props of [`DeploymentsPanel`].
#[derive(Properties, PartialEq)]
pub struct DeploymentsPanelProps {
    /// One entry per Deployment.
    pub deployments: Rc<Vec<DeploymentView>>,
    /// Scale and label edits.
    pub on_edit: Callback<EditAction>,
}

/// The Deployments panel.
#[component]
pub fn DeploymentsPanel(props: &DeploymentsPanelProps) -> Html {
    html! {
        <section class="panel deployments-panel" aria-labelledby="deployments-title">
            <h2 id="deployments-title">{ "Deployments" }</h2>
            if props.deployments.is_empty() { <p class="empty">{ "no Deployments" }</p> }
            // Keyed rows in a list of their own keep their boxes (and focus) in place.
            <>{ for props.deployments.iter().map(|d| deployment(d, &props.on_edit)) }</>
        </section>
    }
}

fn deployment(d: &DeploymentView, on_edit: &Callback<EditAction>) -> Html {
    let scale = |to: i64| {
        let name = d.name.clone();
        on_edit.reform(move |_: MouseEvent| EditAction::Scale(name.clone(), to))
    };
    let replicas = i64::from(d.replicas);
    html! {
        <div class={classes!("deployment", d.colour.class())} data-deployment={d.name.clone()} key={d.name.clone()}>
            <h3>
                <span class="svc-name">{ format!("deploy/{}", d.name) }</span>{ " " }
                <span class="muted">{ format!("{}/{} ready", d.ready, d.replicas) }</span>
            </h3>
            <div class="scale" role="group" aria-label={format!("replicas of Deployment {}", d.name)}>
                <button data-action="scale-down" onclick={scale(replicas - 1)} disabled={replicas <= 0}
                    aria-label={format!("scale {} down to {}", d.name, replicas - 1)}>{ "−" }</button>
                <TextBox field={Field::Replicas(d.name.clone())} action="scale" kind="number" apply_on_blur=true
                    value={d.replicas_draft.clone().unwrap_or_else(|| d.replicas.to_string())}
                    error={d.replicas_error.clone()} id={format!("replicas-{}", d.name)}
                    label={format!("replicas of Deployment {}; Enter applies", d.name)} on_edit={on_edit.clone()} />
                <button data-action="scale-up" onclick={scale(replicas + 1)}
                    aria-label={format!("scale {} up to {}", d.name, replicas + 1)}>{ "+" }</button>
            </div>
            <label class="labels-box">
                <span class="muted">{ "template labels" }</span>
                <TextBox field={Field::TemplateLabels(d.name.clone())} action="template-labels"
                    value={d.labels_draft.clone().unwrap_or_else(|| d.template_labels.clone())}
                    error={d.labels_error.clone()} id={format!("template-{}", d.name)}
                    label={format!("pod-template labels of Deployment {}: key=value pairs; Enter applies", d.name)}
                    on_edit={on_edit.clone()} />
            </label>
        </div>
    }
}
