//! What the list area shows: the table, or loading, unreachable, no workloads, nothing
//! matching — each with what to do next; and a warning when a refresh failed.

use super::table::WorkloadTable;
use crate::context::fleet::{expect_fleet, FleetLoad};
use crate::model::workloads::{WorkloadQuery, WorkloadRow, WorkloadSort};
use leptos::prelude::*;

#[component]
pub fn WorkloadsBody(
    /// Every workload's row.
    rows: Memo<Vec<WorkloadRow>>,
    /// The rows the view shows, in order.
    visible: Memo<Vec<WorkloadRow>>,
    /// The view the URL describes.
    query: Memo<WorkloadQuery>,
    /// Changes the view.
    on_change: Callback<(WorkloadQuery, bool)>,
    /// Sorts by a column.
    on_sort: Callback<WorkloadSort>,
    /// Id of the element naming the table.
    labelledby: &'static str,
) -> impl IntoView {
    let fleet = expect_fleet();
    let stale = move || match fleet.load.get() {
        FleetLoad::Failed(e) if rows.with(|r| !r.is_empty()) => Some(view! {
            <div class="rollouts__banner" role="alert">
                <span>
                    {format!("The workloads could not be refreshed: {e}. They may be out of date.")}
                </span>
                <button type="button" class="btn" on:click=move |_| fleet.reload()>
                    "Retry"
                </button>
            </div>
        }),
        _ => None,
    };
    let body = move || {
        match (fleet.load.get(), rows.with(Vec::is_empty), visible.with(Vec::is_empty)) {
        (FleetLoad::Loading, true, _) => view! {
            <p class="list-state" role="status">
                "Loading workloads…"
            </p>
        }.into_any(),
        (FleetLoad::Failed(e), true, _) => view! {
            <div class="list-state list-state--error" role="alert">
                <h2>"The workloads could not be loaded"</h2>
                <p>{e.to_string()}</p>
                <button type="button" class="btn" on:click=move |_| fleet.reload()>
                    "Retry"
                </button>
            </div>
        }.into_any(),
        (_, true, _) => view! {
            <div class="list-state">
                <h2>"No workloads yet"</h2>
                <p>"Apply a SpotDeployment (rollout-server apply -f …) and it appears here."</p>
            </div>
        }.into_any(),
        (_, false, true) => view! {
            <div class="list-state">
                <h2>"No workload matches these filters"</h2>
                <button
                    type="button"
                    class="btn btn--primary"
                    on:click=move |_| on_change.run((query.get_untracked().cleared(), false))
                >
                    "Clear filters"
                </button>
            </div>
        }.into_any(),
        _ => view! { <WorkloadTable rows=visible query=query on_sort=on_sort labelledby=labelledby /> }.into_any(),
    }
    };
    view! {
        {stale}
        {body}
    }
}
