//! The workloads table: one row per workload, sortable headers, arrow keys between rows.

use crate::components::workload_status_icon::WorkloadStatusIcon;
use crate::context::server_info::expect_server_info;
use crate::dom::keys::on_row_key;
use crate::model::list_rows::short_image;
use crate::model::time::{format_exact, format_relative};
use crate::model::workloads::{WorkloadQuery, WorkloadRow, WorkloadSort};
use leptos::prelude::*;

/// The table of workloads (every row is in the DOM: workloads number in the hundreds).
#[component]
pub fn WorkloadTable(
    /// The rows to show, in order.
    rows: Memo<Vec<WorkloadRow>>,
    /// The view (for `aria-sort` and the header arrows).
    query: Memo<WorkloadQuery>,
    /// Called when a column header is clicked.
    on_sort: Callback<WorkloadSort>,
    /// Id of the element naming the table.
    labelledby: &'static str,
) -> impl IntoView {
    let now = expect_server_info().now;
    let arrow = move |k: WorkloadSort| {
        query.with(|q| match (q.sort == k, q.aria_sort(k)) {
            (true, "ascending") => "▲",
            (true, _) => "▼",
            _ => "",
        })
    };
    let row = move |(pos, r): (usize, WorkloadRow)| {
        let since = r.live_since;
        view! {
            <tr class="rollouts-table__row">
                <td class="rollouts-table__cell rollouts-table__cell--name">
                    <WorkloadStatusIcon status=r.status />
                    <a href=r.href.clone() class="rollouts-table__link" data-pos=pos.to_string()>
                        {r.name.clone()}
                    </a>
                </td>
                <td class="rollouts-table__cell">{r.status.label()}</td>
                <td class="rollouts-table__cell">{r.kind.clone()}</td>
                <td class="rollouts-table__cell">{r.cluster_id.clone()}</td>
                <td class="rollouts-table__cell">{r.namespace.clone()}</td>
                <td class="rollouts-table__cell mono" title=r.image.clone()>
                    {short_image(&r.image).to_string()}
                    {r
                        .desired_image
                        .as_ref()
                        .map(|d| {
                            view! {
                                <span class="workloads__desired" title=format!("Desired: {d}")>
                                    {format!(" → {}", short_image(d))}
                                </span>
                            }
                        })}
                </td>
                <td class="rollouts-table__cell" title=since.map(format_exact).unwrap_or_default()>
                    {move || {
                        since.map(|t| format_relative(t, now.get())).unwrap_or_else(|| "—".into())
                    }}
                </td>
                <td
                    class="rollouts-table__cell rollouts-table__cell--num"
                    class=("workloads__short", r.ready < r.desired)
                >
                    {r.ready_text()}
                </td>
                <td class="rollouts-table__cell rollouts-table__cell--num">{r.revisions}</td>
            </tr>
        }
    };
    view! {
        <div class="workloads__scroll">
            <table class="rollouts-table workloads-table" aria-labelledby=labelledby>
                <thead>
                    <tr>
                        {WorkloadSort::ALL
                            .map(|k| {
                                view! {
                                    <th
                                        scope="col"
                                        class="rollouts-table__head"
                                        aria-sort=move || query.with(|q| q.aria_sort(k))
                                    >
                                        <button
                                            type="button"
                                            class="sort-button"
                                            on:click=move |_| on_sort.run(k)
                                        >
                                            {k.label()}
                                            <span class="sort-button__arrow" aria-hidden="true">
                                                {move || arrow(k)}
                                            </span>
                                        </button>
                                    </th>
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody on:keydown=on_row_key>
                    <For
                        each=move || rows.get().into_iter().enumerate()
                        key=|(pos, r)| (*pos, r.clone())
                        children=row
                    />
                </tbody>
            </table>
        </div>
    }
}
