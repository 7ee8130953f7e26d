//! `/clusters`: each cluster with its operator, last heartbeat (relative and exact), whether the
//! heartbeat is lost and since when, its live rollouts, and what a lost heartbeat means now.

mod card;
mod events;

use crate::context::fleet::{expect_fleet, FleetLoad};
use card::ClusterCard;
pub use events::ClusterEventsPage;
use leptos::prelude::*;

#[component]
pub fn ClustersPage() -> impl IntoView {
    let fleet = expect_fleet();
    let clusters = Memo::new(move |_| {
        let mut all = fleet.clusters.get();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all
    });
    let body = move || match fleet.load.get() {
        FleetLoad::Loading if clusters.with(Vec::is_empty) => view! {
            <p class="list-state" role="status">
                "Loading clusters…"
            </p>
        }
        .into_any(),
        FleetLoad::Failed(e) if clusters.with(Vec::is_empty) => view! {
            <div class="list-state list-state--error" role="alert">
                <h2>"The clusters could not be loaded"</h2>
                <p>{e.to_string()}</p>
                <button type="button" class="btn" on:click=move |_| fleet.reload()>
                    "Retry"
                </button>
            </div>
        }
        .into_any(),
        _ => view! {
            <ul class="clusters__list">
                <For
                    each=move || clusters.get()
                    key=|c| (
                        c.id.clone(),
                        c.heartbeat_stale,
                        c.last_heartbeat_time,
                        c.operator.running,
                    )
                    let:cluster
                >
                    <ClusterCard cluster=cluster />
                </For>
            </ul>
        }
        .into_any(),
    };
    view! {
        <section class="clusters" aria-labelledby="clusters-title">
            <header class="rollouts__head">
                <h1 class="page__title rollouts__title" id="clusters-title">
                    "Clusters"
                </h1>
                <p class="rollouts__count">
                    {move || format!("{} clusters", clusters.with(Vec::len))}
                </p>
            </header>
            {body}
        </section>
    }
}
