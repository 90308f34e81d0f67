//! The core's findings as a list: severity, rule, object and field, the cause in one
//! sentence and the fix. Used by the explain panel for the picked Service and for a
//! checked text.

use yew::prelude::*;

use crate::model::FindingView;

/// Props of [`Findings`].
#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    /// The findings.
    pub findings: Vec<FindingView>,
    /// `data-findings` value, for tests and styling.
    pub kind: AttrValue,
}

/// A list of findings; nothing when empty.
#[component]
pub fn Findings(props: &FindingsProps) -> Html {
    html! {
        <ul class="findings" data-findings={props.kind.clone()}>
            { for props.findings.iter().map(|f| {
                let at = f.line.map(|l| format!(" (line {l})")).unwrap_or_default();
                html! {
                    <li class={classes!("finding", format!("sev-{}", f.severity))} data-rule={f.rule}>
                        <p class="cause">
                            <span class="severity">{ f.severity }</span>{ " " }
                            <code>{ f.rule }</code>{ " " }
                            <span class="where">{ format!("{} {}{at}", f.object, f.field) }</span>
                        </p>
                        <p class="message">{ &f.message }</p>
                        <p class="fix">{ "Fix: " }{ &f.fix }</p>
                    </li>
                }
            }) }
        </ul>
    }
}
