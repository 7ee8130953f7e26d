//! The summary line: type vs Stable, images, services, traffic split and replicas.

use crate::components::replica_icon::ReplicaIcon;
use crate::model::rollout_view::{image_parts, replica_views};
use leptos::prelude::*;
use rollout_api::text::services_text;
use rollout_api::{RolloutDetail, VersionStatus};

fn replicas(v: Option<VersionStatus>, version: &'static str) -> impl IntoView {
    let Some(v) = v else {
        return view! { <span class="muted">"none"</span> }.into_any();
    };
    let icons = replica_views(&v, version);
    let count = format!("{}/{} ready", v.replicas.ready, v.replicas.desired);
    view! {
        <span class="summary__replicas">
            <span class=format!("summary__who summary__who--{version}")>{version}</span>
            <span class="summary__icons">
                {icons
                    .into_iter()
                    .map(|r| {
                        view! { <ReplicaIcon label=r.label health=r.health version=version /> }
                    })
                    .collect_view()}
            </span>
            <span class="summary__count">{count}</span>
        </span>
    }
    .into_any()
}

/// An image, its name and tag always whole, the registry path shortened if need be.
fn image(full: String, version: &'static str) -> impl IntoView {
    let (path, name) = image_parts(&full);
    let (path, name) = (path.to_string(), name.to_string());
    view! {
        <code class=format!("summary__image summary__image--{version}") title=full>
            <span class="summary__repo">{path}</span>
            <span class="summary__tag">{name}</span>
        </code>
    }
}

/// One line with what runs where: rollout type vs Stable, image stable → new, Kubernetes
/// services, the traffic split (percentages and a bar) and every replica as an icon.
#[component]
pub fn SummaryLine(
    /// The rollout shown.
    #[prop(into)]
    detail: Signal<RolloutDetail>,
) -> impl IntoView {
    let stable = move || detail.with(|d| d.stable_version_status.clone());
    let new = move || detail.with(|d| d.new_version_status.clone());
    let kind = move || detail.with(|d| d.strategy_type.label());
    let stable_pct = move || stable().map(|s| s.traffic_percentage).unwrap_or(0);
    let new_pct = move || new().traffic_percentage;
    let services = move || detail.with(services_text);
    view! {
        <section class="summary" aria-label="Summary">
            <div class="summary__item">
                <span class="summary__label">"Rollout type"</span>
                <span class="summary__value">
                    <span class="chip chip--canary">{kind}</span>
                    <span class="muted">" vs "</span>
                    <span class="chip chip--stable">"Stable"</span>
                </span>
            </div>
            <div class="summary__item summary__item--wide">
                <span class="summary__label">"Image"</span>
                <span class="summary__value summary__images">
                    {move || image(
                        stable().map(|s| s.version).unwrap_or_else(|| "none".into()),
                        "stable",
                    )} <span class="summary__arrow" aria-hidden="true">
                        "→"
                    </span> <span class="visually-hidden">" to "</span>
                    {move || image(new().version, "canary")}
                </span>
            </div>
            <div class="summary__item">
                <span class="summary__label">"Kubernetes service"</span>
                <span class="summary__value">
                    <code>{services}</code>
                </span>
            </div>
            <div class="summary__item">
                <span class="summary__label">"Traffic split"</span>
                <span class="summary__value summary__traffic">
                    <span>
                        <span class="summary__who summary__who--stable">"Stable "</span>
                        {move || format!("{}%", stable_pct())}
                        " · "
                        <span class="summary__who summary__who--canary">"Canary "</span>
                        {move || format!("{}%", new_pct())}
                    </span>
                    <span
                        class="traffic-bar"
                        role="img"
                        aria-label=move || {
                            format!("Traffic: stable {}%, canary {}%", stable_pct(), new_pct())
                        }
                        // CSSOM custom properties: allowed by the CSP, unlike a style attribute.
                        style=("--stable", move || format!("{}%", stable_pct()))
                        style=("--canary", move || format!("{}%", new_pct()))
                    >
                        <span class="traffic-bar__stable"></span>
                        <span class="traffic-bar__canary"></span>
                    </span>
                </span>
            </div>
            <div class="summary__item summary__item--wide">
                <span class="summary__label">"Replicas"</span>
                <span class="summary__value summary__replica-rows">
                    {move || replicas(stable(), "stable")} {move || replicas(Some(new()), "canary")}
                </span>
            </div>
        </section>
    }
}
