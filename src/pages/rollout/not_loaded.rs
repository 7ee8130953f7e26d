//! What the rollout page says while there is no rollout to show.

use crate::url;
use leptos::prelude::*;
use leptos_router::components::A;

/// Why the page has no rollout to show.
#[derive(Debug, Clone, PartialEq)]
pub enum NotLoaded {
    Loading,
    /// The server does not know this id.
    NotFound(String),
    /// The server could not be read (the reason, for the user).
    Failed(String),
}

/// "Loading rollout…", "Rollout not found" with a way back to the list, or the failure with
/// "Try again".
#[component]
pub fn RolloutNotLoaded(
    /// What happened.
    state: NotLoaded,
    /// Reads the rollout again.
    on_retry: Callback<()>,
) -> impl IntoView {
    match state {
        NotLoaded::Loading => view! {
            <p class="muted rollout-loading" role="status">
                "Loading rollout…"
            </p>
        }
        .into_any(),
        NotLoaded::NotFound(id) => {
            let text = format!(
                "There is no rollout with the ID {id}. It may have been mistyped, or the link is \
                 old."
            );
            view! {
                <section class="empty-state" aria-labelledby="rollout-nf">
                    <h1 id="rollout-nf">"Rollout not found"</h1>
                    <p>{text}</p>
                    <A href=url::ROLLOUTS>"Go to the rollouts list"</A>
                </section>
            }
            .into_any()
        }
        NotLoaded::Failed(reason) => view! {
            <section class="empty-state">
                <h1>"The rollout could not be loaded"</h1>
                <p role="alert">{reason}</p>
                <button type="button" class="btn" on:click=move |_| on_retry.run(())>
                    "Try again"
                </button>
            </section>
        }
        .into_any(),
    }
}
