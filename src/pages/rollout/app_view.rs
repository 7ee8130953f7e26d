//! The application view: Events / Resources / CRD diff tabs (lower part of `/rollouts/:id`).

use leptos::prelude::*;

/// Tabs with the Kubernetes events, resources and CRD diff of one rollout.
#[component]
pub fn ApplicationView(
    /// The rollout shown.
    #[prop(into)]
    rollout_id: Signal<String>,
) -> impl IntoView {
    view! {
        <section class="app-view" aria-label="Application view">
            <p class="muted">{move || format!("Application view of {}", rollout_id.get())}</p>
        </section>
    }
}
