//! A rollout status as an icon, and the status → icon and colour table for the whole console.

use crate::components::icon::Icon;
use leptos::prelude::*;
pub use rollout_api::icon::{status_visual, tone_modifier};
use rollout_api::RolloutStatus;

/// A rollout status as an icon with `role="img"` and the status as its accessible name.
#[component]
pub fn StatusIcon(
    /// The status to draw.
    status: RolloutStatus,
    /// Use the precise label ("Failure policy paused") instead of the list group ("Paused").
    #[prop(optional)]
    precise: bool,
) -> impl IntoView {
    let v = status_visual(status);
    let label = if precise {
        status.label()
    } else {
        status.group().label()
    };
    view! {
        <span
            class=format!("status-icon status-icon--{}", v.modifier)
            role="img"
            aria-label=label
            title=label
        >
            <Icon kind=v.icon />
        </span>
    }
}
