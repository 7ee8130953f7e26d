use crate::components::download::copy_text;
use crate::components::icon::{Icon, IconKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

#[derive(Clone, PartialEq)]
enum CopyState {
    Idle,
    Copied,
    Failed(String),
}

/// A button that copies a text to the clipboard and says whether it worked ("Copied" or the
/// browser's reason) in a polite live region.
#[component]
pub fn CopyButton(
    /// The text put on the clipboard (read when the button is pressed).
    #[prop(into)]
    text: Signal<String>,
    /// Accessible name and tooltip, e.g. "Copy rollout ID".
    #[prop(into)]
    label: String,
    /// Words shown next to the icon, e.g. "Copy" (the label should contain them, so the
    /// visible text is part of the name); the icon alone when absent.
    #[prop(optional, into)]
    text_label: Option<String>,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let on_click = move |_| {
        let text = text.get_untracked();
        spawn_local(async move {
            let result = copy_text(&text).await;
            state.set(match result {
                Ok(()) => CopyState::Copied,
                Err(e) => CopyState::Failed(e),
            });
            set_timeout(
                move || state.set(CopyState::Idle),
                Duration::from_millis(2_000),
            );
        });
    };
    let message = move || match state.get() {
        CopyState::Idle => String::new(),
        CopyState::Copied => "Copied".into(),
        CopyState::Failed(e) => format!("Copy failed: {e}"),
    };
    let icon_only = text_label.is_none();
    view! {
        <span class=format!("copy-button {class}")>
            <button
                type="button"
                class="btn btn--ghost copy-button__btn"
                class:btn--icon=icon_only
                class:copy-button__btn--done=move || state.get() == CopyState::Copied
                aria-label=label.clone()
                title=label
                on:click=on_click
            >
                {move || {
                    let kind = if state.get() == CopyState::Copied { IconKind::Check } else { IconKind::Copy };
                    view! { <Icon kind=kind/> }
                }}
                {text_label.map(|l| view! { <span class="copy-button__text">{l}</span> })}
            </button>
            <span
                class="copy-button__status"
                class:copy-button__status--error=move || matches!(state.get(), CopyState::Failed(_))
                role="status"
            >
                {message}
            </span>
        </span>
    }
}
