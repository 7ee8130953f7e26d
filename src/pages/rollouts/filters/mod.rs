//! The filter bar: date range, cluster, namespace, SpotDeployment, status and text search. Each
//! control writes a new [`ListQuery`] into the URL; the search is debounced so typing stays
//! smooth and the URL is replaced (not pushed) while typing.

mod date_range;
mod search;

use crate::components::facet_select::FacetSelect;
use crate::model::list::ListQuery;
use crate::model::list_rows::Facets;
use date_range::DateRangeFields;
use leptos::html::Input;
use leptos::prelude::*;
use rollout_api::StatusGroup;
use search::SearchText;

/// The controls above the rollouts table.
#[component]
pub fn RolloutFilters(
    /// The view the URL describes now.
    query: Memo<ListQuery>,
    /// The choices each select offers.
    facets: Memo<Facets>,
    /// Called with the new view and whether it replaces the current history entry.
    on_change: Callback<(ListQuery, bool)>,
    /// The search box, so the page can focus it on "/".
    search_ref: NodeRef<Input>,
) -> impl IntoView {
    // A choice in a select: the view it leads to, from the view now.
    let choose = move |to: fn(&ListQuery, Option<String>) -> ListQuery| {
        Callback::new(move |v: String| {
            let value = (!v.is_empty()).then_some(v);
            on_change.run((to(&query.get_untracked(), value), false))
        })
    };
    let search = SearchText::new(query, on_change);
    let text = search.text;
    let on_search_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && !text.get_untracked().is_empty() {
            ev.prevent_default();
            search.type_text(String::new());
        }
    };
    let clear = move |_| {
        search.forget();
        on_change.run((query.get_untracked().cleared(), false));
    };
    let facet =
        move |f: fn(&Facets) -> &Vec<String>| Signal::derive(move || facets.with(|x| f(x).clone()));
    let value = move |f: fn(&ListQuery) -> &Option<String>| {
        Signal::derive(move || query.with(|q| f(q).clone()))
    };

    view! {
        <form
            class="filters"
            role="search"
            aria-label="Filter rollouts"
            on:submit=|ev| ev.prevent_default()
        >
            <DateRangeFields query=query on_change=on_change />
            <FacetSelect
                label="Cluster"
                all="All clusters"
                options=facet(|f| &f.clusters)
                value=value(|q| &q.cluster)
                on_pick=choose(ListQuery::with_cluster)
            />
            <FacetSelect
                label="Namespace"
                all="All namespaces"
                options=facet(|f| &f.namespaces)
                value=value(|q| &q.namespace)
                on_pick=choose(ListQuery::with_namespace)
            />
            <FacetSelect
                label="SpotDeployment"
                all="All SpotDeployments"
                options=facet(|f| &f.spot_deployments)
                value=value(|q| &q.spot_deployment)
                on_pick=choose(ListQuery::with_spot_deployment)
            />
            <StatusSelect
                query=query
                facets=facets
                on_pick=Callback::new(move |s| {
                    on_change.run((query.get_untracked().with_status(s), false))
                })
            />
            <label class="filters__field filters__field--search">
                <span class="filters__label">"Search"</span>
                <input
                    class="filters__control"
                    type="search"
                    node_ref=search_ref
                    placeholder="Name, image, id, namespace…   ( / )"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |ev| search.type_text(event_target_value(&ev))
                    on:keydown=on_search_key
                />
            </label>
            <Show when=move || query.with(|q| q.has_filters())>
                <button type="button" class="btn btn--link filters__clear" on:click=clear>
                    "Clear filters"
                </button>
            </Show>
        </form>
    }
}

/// The status select: every status group with how many rows it would show.
#[component]
fn StatusSelect(
    /// The view the URL describes now.
    query: Memo<ListQuery>,
    /// The counts per status group.
    facets: Memo<Facets>,
    /// Called with the chosen group (None for all).
    on_pick: Callback<Option<StatusGroup>>,
) -> impl IntoView {
    let options = move || {
        facets
            .with(|f| f.status_counts.clone())
            .into_iter()
            .map(|(g, n)| {
                view! {
                    <option value=g.key() prop:selected=move || query.with(|q| q.status == Some(g))>
                        {format!("{} ({n})", g.label())}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <label class="filters__field">
            <span class="filters__label">"Status"</span>
            <select
                class="filters__control"
                on:change=move |ev| on_pick.run(StatusGroup::from_key(&event_target_value(&ev)))
            >
                <option value="" prop:selected=move || query.with(|q| q.status.is_none())>
                    "All statuses"
                </option>
                {options}
            </select>
        </label>
    }
}
