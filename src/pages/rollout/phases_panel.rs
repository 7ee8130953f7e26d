//! The "Rollout phases" panel: its bar (count, failure policy, actions, collapse) and the
//! phases.

use super::actions::RolloutActions;
use super::phases::PhasesList;
use crate::components::collapsible::CollapseToggle;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use rollout_api::RolloutDetail;

/// The phases of the rollout under a bar with the actions menu and a collapse toggle.
#[component]
pub fn PhasesPanel(
    /// The rollout shown.
    detail: Signal<RolloutDetail>,
    /// The current time (server clock), for durations and countdowns.
    now: Signal<DateTime<Utc>>,
    /// Whether the phases are collapsed (`?phases=hidden`).
    hidden: Memo<bool>,
    /// Collapses or expands them.
    on_toggle: Callback<()>,
    /// Called with the rollout as the server answered an action.
    on_done: Callback<RolloutDetail>,
) -> impl IntoView {
    let count = move || {
        detail.with(|d| {
            format!(
                "{} phases · failure policy {}",
                d.phases.len(),
                d.failure_policy
            )
        })
    };
    view! {
        <section
            class="phases-panel"
            class=("phases-panel--collapsed", hidden)
            aria-labelledby="phases-title"
        >
            <div class="phases-panel__bar">
                <h2 id="phases-title" class="phases-panel__title">
                    "Rollout phases"
                </h2>
                <span class="phases-panel__count muted">{count}</span>
                <div class="phases-panel__tools">
                    <RolloutActions detail=detail on_done=on_done />
                    <CollapseToggle
                        expanded=Signal::derive(move || !hidden.get())
                        controls="phases-body"
                        label="Rollout phases"
                        on_toggle=on_toggle
                    />
                </div>
            </div>
            <div id="phases-body" class="phases-panel__body" hidden=hidden>
                <PhasesList detail=detail now=now />
            </div>
        </section>
    }
}
