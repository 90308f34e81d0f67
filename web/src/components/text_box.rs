//! A small text box bound to one [`Field`]: typing sends `Type` (previews update), Enter
//! sends `Apply`, Escape `Cancel`; the refusal shows inline next to it, announced.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::{EditAction, Field};

/// Props of [`TextBox`].
#[derive(Properties, PartialEq)]
pub struct TextBoxProps {
    /// The box.
    pub field: Field,
    /// The text shown: the draft while editing, else the current value.
    pub value: String,
    /// Why the last apply was refused.
    #[prop_or_default]
    pub error: Option<String>,
    /// The accessible name.
    pub label: String,
    /// The `data-action` hook.
    pub action: &'static str,
    /// `number` for replicas; `text` otherwise.
    #[prop_or("text")]
    pub kind: &'static str,
    /// The `inputmode` hint for on-screen keyboards (`numeric` for a whole number typed
    /// into a `text` box, so any text reaches the core's checks and its error).
    #[prop_or_default]
    pub inputmode: Option<&'static str>,
    /// Also apply when the box loses focus.
    #[prop_or_default]
    pub apply_on_blur: bool,
    /// A hint shown as placeholder.
    #[prop_or_default]
    pub placeholder: Option<String>,
    /// The id of a `<datalist>` whose options the box offers.
    #[prop_or_default]
    pub list: Option<&'static str>,
    /// The DOM id of the error (unique on the page).
    pub id: String,
    /// Edits go here.
    pub on_edit: Callback<EditAction>,
}

/// The text box and its inline error.
#[component]
pub fn TextBox(props: &TextBoxProps) -> Html {
    let oninput = {
        let (field, cb) = (props.field.clone(), props.on_edit.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                cb.emit(EditAction::Type(field.clone(), input.value()));
            }
        })
    };
    let onkeydown = {
        let (field, cb) = (props.field.clone(), props.on_edit.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                cb.emit(EditAction::Apply(field.clone()));
            }
            "Escape" => cb.emit(EditAction::Cancel(field.clone())),
            _ => {}
        })
    };
    let onblur = props.apply_on_blur.then(|| {
        let (field, cb) = (props.field.clone(), props.on_edit.clone());
        Callback::from(move |_: FocusEvent| cb.emit(EditAction::Apply(field.clone())))
    });
    let error_id = format!("{}-error", props.id);
    html! {
        <span class="text-box">
            <input type={props.kind} inputmode={props.inputmode} list={props.list} data-action={props.action} value={props.value.clone()}
                aria-label={props.label.clone()} aria-invalid={props.error.is_some().to_string()}
                aria-describedby={props.error.is_some().then(|| error_id.clone())}
                placeholder={props.placeholder.clone()} spellcheck="false" autocomplete="off"
                {oninput} {onkeydown} {onblur} />
            if let Some(err) = &props.error {
                <span class="field-error" id={error_id} role="alert" data-error={props.action}>{ err }</span>
            }
        </span>
    }
}
