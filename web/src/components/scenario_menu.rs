//! The scenario menu: Import YAML, Export YAML, Share, Embed, their dialogs, and the
//! dismissible notice; plus [`EmbedBar`], the only control `?embed` mode shows.
//!
//! User text (pasted YAML, the core's messages) is only ever a text node or a textarea's
//! value.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::share;
use crate::state::{
    Dialog, IMPORT_AT_ONCE_BYTES, ImportOutcome, ImportProgress, MenuAction, MenuView,
};
use std::rc::Rc;

/// Props of [`ScenarioMenu`].
#[derive(Properties, PartialEq)]
pub struct ScenarioMenuProps {
    /// What the menu shows.
    pub menu: MenuView,
    /// Sends a menu action.
    pub on_menu: Callback<MenuAction>,
    /// The open lesson (0-based): Embed then offers that lesson's snippet.
    #[prop_or_default]
    pub lesson: Option<usize>,
}

/// The menu's buttons, the open dialog and the notice.
#[component]
pub fn ScenarioMenu(props: &ScenarioMenuProps) -> Html {
    let send = |a: MenuAction| props.on_menu.reform(move |_: MouseEvent| a.clone());
    // Share puts the scenario in the address bar, once per new fragment.
    let shared = match &props.menu.dialog {
        Some(Dialog::Link {
            embed: false,
            fragment,
        }) => Some(fragment.clone()),
        _ => None,
    };
    use_effect_with(shared, |shared| {
        if let Some(fragment) = shared {
            share::set_fragment(fragment);
        }
    });
    html! {
        <>
            <div class="scenario-menu" role="toolbar" aria-label="scenario">
                <button data-action="new-empty" onclick={send(MenuAction::NewEmpty)}
                    title="three nodes and nothing else: a cluster to import into">{ "New empty cluster" }</button>
                <button data-action="import" onclick={send(MenuAction::OpenImport)}>{ "Import YAML" }</button>
                <button data-action="export" onclick={send(MenuAction::Export)}>{ "Export YAML" }</button>
                <button data-action="share" onclick={send(MenuAction::Link(false))}>{ "Share" }</button>
                <button data-action="embed" onclick={send(MenuAction::Link(true))}>{ "Embed" }</button>
            </div>
            if let Some(notice) = &props.menu.notice {
                <p class="notice" role="status" data-notice="">
                    <span>{ notice.to_string() }</span>
                    <button data-action="dismiss" onclick={send(MenuAction::Dismiss)}
                        aria-label="dismiss this message">{ "×" }</button>
                </p>
            }
            { match &props.menu.dialog {
                None => html! {},
                Some(Dialog::Import(outcome)) => html! {
                    <ImportDialog outcome={outcome.clone()} progress={props.menu.importing}
                        traffic={!props.menu.no_traffic} on_menu={props.on_menu.clone()} />
                },
                Some(Dialog::Export(yaml)) => html! {
                    <TextDialog kind="export" title="Export YAML" text={yaml.to_string()}
                        multiline=true on_close={send(MenuAction::Close)} />
                },
                Some(Dialog::Link { embed, fragment }) => {
                    let (base, _, _) = share::location();
                    let lesson = props
                        .lesson
                        .and_then(|i| crate::state::lesson::catalogue().get(i).map(|l| (i, l)));
                    let (kind, title, text) = if let (true, Some((i, l))) = (*embed, lesson) {
                        ("embed", "Embed this lesson", crate::lesson_progress::lesson_snippet(&base, i, &l.title))
                    } else if *embed {
                        ("embed", "Embed this scenario", share::iframe_snippet(&base, fragment))
                    } else {
                        ("share", "Share this scenario", share::share_url(&base, fragment))
                    };
                    html! { <TextDialog kind={kind} title={title} text={text} multiline={*embed}
                        on_close={send(MenuAction::Close)} copy_at_once=true /> }
                }
            } }
        </>
    }
}

/// Props of [`ImportDialog`].
#[derive(Properties, PartialEq)]
struct ImportDialogProps {
    outcome: Option<ImportOutcome>,
    /// How far a running import got.
    progress: Option<ImportProgress>,
    /// Whether imported Services get traffic.
    traffic: bool,
    on_menu: Callback<MenuAction>,
}

/// Lines of an import's outcome shown at most; the rest are counted (`svcplay check`
/// lists them all). Hundreds of list items cost a long frame to lay out.
const MAX_OUTCOME_LINES: usize = 50;

#[component]
fn ImportDialog(props: &ImportDialogProps) -> Html {
    let area = use_node_ref();
    // A paste larger than IMPORT_AT_ONCE_BYTES is kept here, not in the box: megabytes of
    // text in a textarea cost Chromium 100-250 ms whenever it is laid out, emptied or
    // hidden (measured with Argo CD's 1.9 MB install), so the box never gets it.
    let pasted = use_state(|| None::<Rc<str>>);
    let apply = {
        let (area, on_menu, pasted) = (area.clone(), props.on_menu.clone(), pasted.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(text) = pasted.as_ref() {
                on_menu.emit(MenuAction::Import(text.to_string()));
            } else if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                on_menu.emit(MenuAction::Import(a.value()));
            }
        })
    };
    let onpaste = {
        let pasted = pasted.clone();
        Callback::from(move |e: Event| {
            let text = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(web_sys::ClipboardEvent::clipboard_data)
                .and_then(|d| d.get_data("text/plain").ok());
            if let Some(text) = text
                && text.len() > IMPORT_AT_ONCE_BYTES
            {
                e.prevent_default();
                pasted.set(Some(text.into()));
            }
        })
    };
    let clear_pasted = {
        let pasted = pasted.clone();
        Callback::from(move |_: MouseEvent| pasted.set(None))
    };
    let pasted_note = pasted.as_ref().map(|text| {
        let lines = text.lines().count();
        html! {
            <p class="pasted" data-pasted={text.len().to_string()}>
                { format!("Pasted {} KB ({lines} lines): too large to show here; Import reads it as it is. ", text.len() / 1024) }
                <button data-action="clear-pasted" onclick={clear_pasted}>{ "Clear" }</button>
            </p>
        }
    });
    let close = props.on_menu.reform(|_: MouseEvent| MenuAction::Close);
    let traffic = props.on_menu.reform(|e: Event| {
        let on = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .is_some_and(|i| i.checked());
        MenuAction::SetTraffic(on)
    });
    let progress = props.progress.map(|p| {
        let what = if p.stage == "reading" {
            format!(
                "Reading and checking: {} of {} KB",
                p.done / 1024,
                p.total.max(1) / 1024
            )
        } else {
            format!("Creating objects: {} of {}", p.done, p.total)
        };
        html! {
            <div class="import-progress" data-import-progress={p.stage} role="status">
                <progress max={p.total.max(1).to_string()} value={p.done.to_string()}></progress>
                <span>{ what }</span>
            </div>
        }
    });
    let outcome = props.outcome.as_ref().map(|o| {
        let (state, head, class) = if o.applied {
            ("applied", "Imported.", "import-notices")
        } else {
            ("refused", "Nothing was applied:", "import-errors")
        };
        html! {
            <div class="outcome" data-outcome={state} role={if o.applied { "status" } else { "alert" }}>
                <p>{ head }</p>
                <ul class={class}>
                    { for o.lines.iter().take(MAX_OUTCOME_LINES).map(|l| html! { <li>{ l.clone() }</li> }) }
                    if o.lines.len() > MAX_OUTCOME_LINES {
                        <li class="more">{ format!("… and {} more (svcplay check -f FILE lists them all)", o.lines.len() - MAX_OUTCOME_LINES) }</li>
                    }
                </ul>
            </div>
        }
    });
    html! {
        <section class="dialog" role="dialog" aria-label="Import YAML" data-dialog="import">
            <h2>{ "Import YAML" }</h2>
            <p class="hint">{ "Paste manifests: Services, Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs, Pods, Namespaces or Nodes (several documents separated by ---). All or nothing: on any error nothing is applied. Objects in a namespace that does not exist yet create it (with a note)." }</p>
            // Hidden while a large paste stands in for it.
            <textarea ref={area} data-field="import" rows="14" spellcheck="false" onpaste={onpaste}
                aria-label="manifests to import" hidden={pasted.is_some()} />
            { for pasted_note }
            // Always one element here: a child appearing before the buttons would shift
            // Yew's positional matching and remount the textarea, losing the user's text.
            <div class="outcome-slot">{ for progress }{ for outcome }</div>
            <label class="traffic-box">
                <input type="checkbox" data-field="traffic-to-all" checked={props.traffic} onchange={traffic} />
                { " send traffic to every Service (a client pod, 2 requests/s each)" }
            </label>
            <div class="dialog-buttons">
                <button data-action="apply-import" onclick={apply} disabled={props.progress.is_some()}>{ "Import" }</button>
                <button data-action="close" onclick={close}>{ "Close" }</button>
            </div>
        </section>
    }
}

/// Props of [`TextDialog`].
#[derive(Properties, PartialEq)]
struct TextDialogProps {
    kind: AttrValue,
    title: AttrValue,
    text: String,
    multiline: bool,
    on_close: Callback<MouseEvent>,
    #[prop_or_default]
    copy_at_once: bool,
}

/// Read-only text with a copy button; without a clipboard the text is selected.
#[component]
fn TextDialog(props: &TextDialogProps) -> Html {
    let field = use_node_ref();
    let copied = use_state(|| None::<bool>);
    let copy = {
        let (field, copied, text) = (field.clone(), copied.clone(), props.text.clone());
        Callback::from(move |()| {
            let (field, copied) = (field.clone(), copied.clone());
            share::copy(&text, move |ok| {
                copied.set(Some(ok));
                if !ok {
                    select(&field);
                }
            });
        })
    };
    {
        let (copy, at_once) = (copy.clone(), props.copy_at_once);
        use_effect_with(props.text.clone(), move |_| {
            if at_once {
                copy.emit(());
            }
        });
    }
    let status = match *copied {
        Some(true) => "Copied to the clipboard.",
        Some(false) => "Select the text and copy it (the clipboard is not available).",
        None => "",
    };
    html! {
        <section class="dialog" role="dialog" aria-label={props.title.clone()} data-dialog={props.kind.clone()}>
            <h2>{ props.title.clone() }</h2>
            if props.multiline {
                <textarea ref={field.clone()} readonly=true rows="14" spellcheck="false"
                    data-field={props.kind.clone()} value={props.text.clone()} />
            } else {
                <input ref={field.clone()} readonly=true type="text" data-field={props.kind.clone()}
                    value={props.text.clone()} aria-label="link" />
            }
            <p class="copy-status" role="status">{ status }</p>
            <div class="dialog-buttons">
                <button data-action="copy" onclick={copy.reform(|_: MouseEvent| ())}>{ "Copy" }</button>
                <button data-action="close" onclick={props.on_close.clone()}>{ "Close" }</button>
            </div>
        </section>
    }
}

fn select(field: &NodeRef) {
    if let Some(el) = field.get() {
        if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
            let _ = i.focus();
            i.select();
        } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
            let _ = t.focus();
            t.select();
        }
    }
}

/// Props of [`EmbedBar`].
#[derive(Properties, PartialEq)]
pub struct EmbedBarProps {
    /// Whether time runs.
    pub playing: bool,
    /// Play or pause.
    pub on_toggle: Callback<()>,
    /// The embedded lesson (0-based): "open in svcplay" opens it there.
    #[prop_or_default]
    pub lesson: Option<usize>,
}

/// Embed mode's whole chrome: play/pause and a link to the full playground with the same
/// scenario.
#[component]
pub fn EmbedBar(props: &EmbedBarProps) -> Html {
    let (base, _, hash) = share::location();
    let label = if props.playing {
        "❚❚ Pause"
    } else {
        "▶ Play"
    };
    html! {
        <div class="embed-bar" role="toolbar" aria-label="simulation controls">
            <button data-action="play" aria-pressed={props.playing.to_string()}
                onclick={props.on_toggle.reform(|_: MouseEvent| ())}>{ label }</button>
            <a class="open-full" target="_blank" rel="noopener" href={match props.lesson {
                Some(i) => format!("{base}?lesson={}", i + 1),
                None => format!("{base}{hash}"),
            }}>
                { "open in svcplay ↗" }
            </a>
        </div>
    }
}
