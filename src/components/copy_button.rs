//! The one "Copy" button: copies a text and says what it copied ("Copied 123 events") or why
//! it could not.

use crate::components::icon::{Icon, IconKind};
use crate::dom::download::copy_text;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    Copied(String),
    Refused(String),
}

/// How long the outcome stays on screen.
const SHOWN: Duration = Duration::from_secs(4);

/// A button that puts a text on the clipboard. The text is produced when pressed; the outcome
/// stays visible for a few seconds in a `role="status"` region next to it.
#[component]
pub fn CopyButton(
    /// Produces the text to copy and the confirmation to show, e.g. "Copied 123 events".
    content: Callback<(), (String, String)>,
    /// Accessible name (and tooltip), e.g. "Copy rollout ID"; it contains the visible word.
    #[prop(into)]
    label: String,
    /// Only the icon is drawn (the label is then the whole name).
    #[prop(optional)]
    icon_only: bool,
    /// A quiet button without a frame (in running text and headers).
    #[prop(optional)]
    ghost: bool,
    /// Greys the button out (nothing to copy yet).
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let outcome = RwSignal::new(Outcome::Idle);
    let generation = StoredValue::new(0u64);
    let on_click = move |_| {
        let (text, note) = content.run(());
        spawn_local(async move {
            let result = copy_text(&text).await;
            outcome.set(match result {
                Ok(()) => Outcome::Copied(note),
                Err(e) => Outcome::Refused(format!("Copy failed: {e}")),
            });
            generation.update_value(|g| *g += 1);
            let mine = generation.get_value();
            set_timeout(
                move || {
                    if generation.get_value() == mine {
                        outcome.set(Outcome::Idle);
                    }
                },
                SHOWN,
            );
        });
    };
    let copied = move || matches!(outcome.get(), Outcome::Copied(_));
    // The name is the visible word unless told otherwise (no aria-label needed then).
    let name = (icon_only || label != "Copy").then(|| label.clone());
    view! {
        <span class="copy-button">
            <button
                type="button"
                class="btn copy-button__btn"
                class=("btn--ghost", ghost)
                class=("btn--icon", icon_only)
                class=("copy-button__btn--done", copied)
                aria-label=name.clone()
                title=name
                disabled=move || disabled.get()
                on:click=on_click
            >
                {move || {
                    let kind = if copied() { IconKind::Check } else { IconKind::Copy };
                    view! { <Icon kind=kind /> }
                }}
                {(!icon_only).then(|| view! { <span>"Copy"</span> })}
            </button>
            <span
                class="copy-button__status"
                class=(
                    "copy-button__status--error",
                    move || matches!(outcome.get(), Outcome::Refused(_)),
                )
                role="status"
            >
                {move || match outcome.get() {
                    Outcome::Idle => String::new(),
                    Outcome::Copied(m) | Outcome::Refused(m) => m,
                }}
            </span>
        </span>
    }
}
