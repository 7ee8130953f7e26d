//! A "Copy" button that says what it copied ("Copied 123 events") or why it could not.

use crate::components::download::copy_text;
use crate::components::icon::{Icon, IconKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    Copied(String),
    Refused(String),
}

/// A text button named "Copy". The content is produced when pressed; the outcome stays
/// visible for a few seconds in a `role="status"` region next to it.
#[component]
pub fn ClipboardButton(
    /// Produces the text to copy and the confirmation to show, e.g. "Copied 123 events".
    content: Callback<(), (String, String)>,
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
                Duration::from_secs(4),
            );
        });
    };
    view! {
        <span class="clipboard-button">
            <button
                type="button"
                class="app-button"
                disabled=move || disabled.get()
                on:click=on_click
            >
                {move || {
                    let kind = if matches!(outcome.get(), Outcome::Copied(_)) { IconKind::Check } else { IconKind::Copy };
                    view! { <Icon kind=kind/> }
                }}
                <span>"Copy"</span>
            </button>
            <span
                class="clipboard-button__note"
                class:clipboard-button__note--error=move || matches!(outcome.get(), Outcome::Refused(_))
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
