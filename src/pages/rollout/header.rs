//! The top of the detailed rollout page: where it runs, its id, then the top line.

use crate::components::copy_button::CopyButton;
use crate::components::icon::{Icon, IconKind};
use crate::components::status_icon::StatusIcon;
use crate::model::rollout_view::rollout_duration;
use crate::model::time::{format_exact, format_short};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use rollout_api::{RolloutDetail, RolloutStatus};

/// Back link, cluster / namespace / rollout id (copyable), and the top line: SpotDeployment
/// name, strategy type, status, start time and duration (ticking while it runs), with the
/// "Rollout details" button on the right.
#[component]
pub fn RolloutHeader(
    /// The rollout shown.
    #[prop(into)]
    detail: Signal<RolloutDetail>,
    /// The current time (server clock), for the running duration.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
    /// Opens the details drawer.
    on_details: Callback<()>,
    /// Whether the details drawer is open (for `aria-expanded`).
    #[prop(into)]
    details_open: Signal<bool>,
) -> impl IntoView {
    let d = move || detail.get();
    let id = Signal::derive(move || detail.with(|d| d.id.clone()));
    let kind = move || detail.with(|d| d.strategy_type.label());
    let copy_id = Callback::new(move |()| (id.get_untracked(), "Copied".to_string()));
    let running = move || detail.with(|d| d.end_time.is_none());
    // A pending rollout has not started: it waits (for the operator) since it was created.
    let pending = move || detail.with(|d| d.status == RolloutStatus::Pending);
    view! {
        <header class="rollout-header">
            <A href="/rollouts" attr:class="rollout-header__back">
                <Icon kind=IconKind::ChevronLeft />
                "Rollouts"
            </A>
            <dl class="rollout-header__where">
                <div>
                    <dt>"Cluster"</dt>
                    <dd>{move || detail.with(|d| d.cluster_id.clone())}</dd>
                </div>
                <div>
                    <dt>"Namespace"</dt>
                    <dd>{move || detail.with(|d| d.namespace.clone())}</dd>
                </div>
                <div>
                    <dt>"Rollout ID"</dt>
                    <dd class="rollout-header__id">
                        <code>{move || id.get()}</code>
                        <CopyButton
                            content=copy_id
                            label="Copy rollout ID"
                            icon_only=true
                            ghost=true
                        />
                    </dd>
                </div>
            </dl>
            <div class="rollout-header__top">
                // The status icon beside the heading, not in it: the page's name is the
                // SpotDeployment's, the status is said by the icon and the word after the type.
                <div class="rollout-header__name">
                    {move || view! { <StatusIcon status=d().status precise=true /> }}
                    <h1>{move || detail.with(|d| d.spot_deployment.name.clone())}</h1>
                </div>
                <span class="chip chip--type">{kind}</span>
                <span class="rollout-header__status">
                    {move || detail.with(|d| d.status.label())}
                </span>
                <span
                    class="rollout-header__time"
                    title=move || detail.with(|d| format_exact(d.start_time))
                >
                    {move || if pending() { "Created " } else { "Started " }}
                    <time datetime=move || {
                        detail.with(|d| d.start_time.to_rfc3339())
                    }>{move || detail.with(|d| format_short(d.start_time))}</time>
                </span>
                <span class="rollout-header__time">
                    {move || match (pending(), running()) {
                        (true, _) => "Waiting for ",
                        (false, true) => "Running for ",
                        (false, false) => "Took ",
                    }}
                    <span
                        class="rollout-header__duration"
                        class=("rollout-header__duration--ticking", running)
                    >
                        {move || detail.with(|d| rollout_duration(d, now.get()))}
                    </span>
                </span>
                <button
                    type="button"
                    class="btn rollout-header__details"
                    aria-haspopup="dialog"
                    aria-expanded=move || if details_open.get() { "true" } else { "false" }
                    on:click=move |_| on_details.run(())
                >
                    "Rollout details"
                </button>
            </div>
        </header>
    }
}
