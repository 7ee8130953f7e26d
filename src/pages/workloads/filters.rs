//! The workloads filter bar: cluster, namespace, status and text, each written into the URL
//! (the text as you type, replacing the history entry).

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
    let select = move |label: &'static str,
                       all: &'static str,
                       options: Signal<Vec<(String, String)>>,
                       value: Signal<String>,
                       on: Callback<String>| {
        view! {
            <label class="filters__field">
                <span class="filters__label">{label}</span>
                <select
                    class="filters__control"
                    on:change=move |ev| on.run(event_target_value(&ev))
                >
                    <option value="" prop:selected=move || value.with(String::is_empty)>
                        {all}
                    </option>
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(key, text)| {
                                let k = key.clone();
                                view! {
                                    <option value=key prop:selected=move || value.with(|v| *v == k)>
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    let pairs = |v: Vec<String>| v.into_iter().map(|x| (x.clone(), x)).collect::<Vec<_>>();
    view! {
        <form
            class="filters"
            role="search"
            aria-label="Filter workloads"
            on:submit=|ev| ev.prevent_default()
        >
            {select(
                "Cluster",
                "All clusters",
                Signal::derive(move || pairs(choices.with(|c| c.0.clone()))),
                Signal::derive(move || query.with(|q| q.cluster.clone().unwrap_or_default())),
                Callback::new(move |v: String| set(false, &|q| q.cluster = pick(v.clone()))),
            )}
            {select(
                "Namespace",
                "All namespaces",
                Signal::derive(move || pairs(choices.with(|c| c.1.clone()))),
                Signal::derive(move || query.with(|q| q.namespace.clone().unwrap_or_default())),
                Callback::new(move |v: String| set(false, &|q| q.namespace = pick(v.clone()))),
            )}
            {select(
                "Status",
                "All statuses",
                Signal::derive(|| {
                    WorkloadStatus::ALL
                        .map(|s| (s.key().to_string(), s.label().to_string()))
                        .to_vec()
                }),
                Signal::derive(move || {
                    query.with(|q| q.status.map(|s| s.key().to_string()).unwrap_or_default())
                }),
                Callback::new(move |v: String| set(
                    false,
                    &|q| q.status = WorkloadStatus::from_key(&v),
                )),
            )}
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
