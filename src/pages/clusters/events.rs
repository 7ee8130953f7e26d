//! `/clusters/:id/events`: the cluster's Kubernetes events that belong to no rollout (a workload
//! going live at its first revision), in the list the rollout's Events tab uses — newest first,
//! live, filterable, exportable, and what retention removed.

use crate::api::client::ApiError;
use crate::components::events::{EventsData, EventsList};
use crate::context::fleet::expect_fleet;
use crate::model::events::EventsOf;
use crate::url;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ClusterEventsPage() -> impl IntoView {
    let fleet = expect_fleet();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let data = EventsData::new(Memo::new(move |_| EventsOf::Cluster(id.get())).into());
    // The cluster's name once the fleet is read (its id until then, or for one it lacks).
    let name = Memo::new(move |_| {
        let id = id.get();
        fleet
            .clusters
            .with(|all| all.iter().find(|c| c.id == id).map(|c| c.name.clone()))
            .unwrap_or(id)
    });
    let failure = Memo::new(move |_| match data.fetched.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    let not_found =
        Memo::new(move |_| failure.with(|f| f.as_ref().is_some_and(ApiError::is_not_found)));
    let body = move || match failure.get() {
        Some(e) => view! {
            <div class="list-state list-state--error" role="alert">
                <h2>"The cluster's events could not be read"</h2>
                <p>{e.to_string()}</p>
                <button type="button" class="btn" on:click=move |_| data.fetched.refetch()>
                    "Retry"
                </button>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="app-view app-view__panel">
                <EventsList data=data />
            </div>
        }
        .into_any(),
    };
    let missing = move || {
        let text = format!(
            "There is no cluster with the ID {}. It may have been mistyped, or the link is old.",
            id.get()
        );
        view! {
            <section class="empty-state" aria-labelledby="cluster-nf">
                <h1 id="cluster-nf">"Cluster not found"</h1>
                <p>{text}</p>
                <A href="/clusters">"Go to the clusters"</A>
            </section>
        }
    };
    view! {
        <Show when=move || !not_found.get() fallback=missing>
            <article class="workload" aria-labelledby="cluster-events-title">
                <header>
                    <p class="workload__crumbs">
                        <A href=move || url::cluster(&id.get())>"Clusters"</A>
                        " / "
                        <span class="mono">{id}</span>
                    </p>
                    <h1 class="page__title workload__title" id="cluster-events-title">
                        {move || format!("Events of {} that belong to no rollout", name.get())}
                    </h1>
                    <p class="muted">
                        "Kubernetes events on this cluster outside any rollout, such as a workload going live at its first revision. Newest first; new ones appear as they happen."
                    </p>
                </header>
                {body}
            </article>
        </Show>
    }
}
