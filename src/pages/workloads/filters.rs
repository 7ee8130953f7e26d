//! The workloads filter bar: cluster, namespace, status and text, each written into the URL
//! (the text as you type, replacing the history entry).

use crate::components::facet_select::FacetSelect;
use crate::model::workloads::{WorkloadQuery, WorkloadStatus};
use leptos::prelude::*;

/// The controls above the workloads table.
#[component]
pub fn WorkloadFilters(
    /// The view the URL describes now.
    query: Memo<WorkloadQuery>,
    /// The clusters and namespaces present.
    choices: Memo<(Vec<String>, Vec<String>)>,
    /// Called with the new view and whether it replaces the current history entry.
    on_change: Callback<(WorkloadQuery, bool)>,
) -> impl IntoView {
    let set = move |replace: bool, f: &dyn Fn(&mut WorkloadQuery)| {
        let mut q = query.get_untracked();
        f(&mut q);
        on_change.run((q, replace));
    };
    let pick = |v: String| (!v.is_empty()).then_some(v);
    let status_key = move || query.with(|q| q.status.map(|s| s.key()).unwrap_or_default());
    view! {
        <form
            class="filters"
            role="search"
            aria-label="Filter workloads"
            on:submit=|ev| ev.prevent_default()
        >
            <FacetSelect
                label="Cluster"
                all="All clusters"
                options=Signal::derive(move || choices.with(|c| c.0.clone()))
                value=Signal::derive(move || query.with(|q| q.cluster.clone()))
                on_pick=Callback::new(move |v: String| set(false, &|q| q.cluster = pick(v.clone())))
            />
            <FacetSelect
                label="Namespace"
                all="All namespaces"
                options=Signal::derive(move || choices.with(|c| c.1.clone()))
                value=Signal::derive(move || query.with(|q| q.namespace.clone()))
                on_pick=Callback::new(move |v: String| set(
                    false,
                    &|q| q.namespace = pick(v.clone()),
                ))
            />
            <label class="filters__field">
                <span class="filters__label">"Status"</span>
                <select
                    class="filters__control"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(false, &|q| q.status = WorkloadStatus::from_key(&v))
                    }
                >
                    <option value="" prop:selected=move || status_key().is_empty()>
                        "All statuses"
                    </option>
                    {WorkloadStatus::ALL
                        .map(|s| {
                            view! {
                                <option value=s.key() prop:selected=move || status_key() == s.key()>
                                    {s.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="filters__field filters__field--search">
                <span class="filters__label">"Search"</span>
                <input
                    class="filters__control"
                    type="search"
                    placeholder="Name, image, cluster, namespace…"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || query.with(|q| q.q.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        set(true, &|q| q.q = v.clone())
                    }
                />
            </label>
            <Show when=move || query.with(WorkloadQuery::has_filters)>
                <button
                    type="button"
                    class="btn btn--ghost filters__clear"
                    on:click=move |_| on_change.run((query.get_untracked().cleared(), false))
                >
                    "Clear filters"
                </button>
            </Show>
        </form>
    }
}
