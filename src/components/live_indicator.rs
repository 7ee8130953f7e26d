use crate::api::stream::LiveStatus;
use crate::context::live::expect_live;
use leptos::prelude::*;

/// Shows whether live updates are flowing: Live, Reconnecting or Offline.
#[component]
pub fn LiveIndicator() -> impl IntoView {
    let live = expect_live();
    let status = live.status;
    view! {
        <span
            class="live"
            class=("live--on", move || status.get() == LiveStatus::Live)
            class=(
                "live--retry",
                move || matches!(status.get(), LiveStatus::Reconnecting | LiveStatus::Connecting),
            )
            class=("live--off", move || status.get() == LiveStatus::Offline)
            role="status"
            title="Live updates from the server"
        >
            <span class="live__dot" aria-hidden="true"></span>
            {move || status.get().label()}
        </span>
    }
}
