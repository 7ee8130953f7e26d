//! The filter bar: date range, cluster, namespace, SpotDeployment, status and text search. Each
//! control writes a new [`ListQuery`] into the URL; the search is debounced so typing stays
//! smooth and the URL is replaced (not pushed) while typing.

use crate::model::list::{DateRange, ListQuery, Preset};
use crate::model::list_rows::Facets;
use chrono::NaiveDate;
use leptos::html::Input;
use leptos::prelude::*;
use rollout_api::StatusGroup;
use std::time::Duration;

const SEARCH_DEBOUNCE: Duration = Duration::from_millis(100);

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
    let set = move |f: &dyn Fn(&mut ListQuery)| {
        let mut q = query.get_untracked();
        f(&mut q);
        on_change.run((q, false));
    };
    let pick = |v: String| (!v.is_empty()).then_some(v);

    // The search box keeps its own text; the URL follows 100 ms after the last key.
    let text = RwSignal::new(query.get_untracked().q);
    let pushed = StoredValue::new(query.get_untracked().q);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let q = query.with(|q| q.q.clone());
        if q != pushed.get_value() {
            // Back / forward or a link changed the search: show it.
            pushed.set_value(q.clone());
            text.set(q);
        }
    });
    let on_search = move |value: String| {
        text.set(value.clone());
        if let Some(t) = timer.get_value() {
            t.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                pushed.set_value(value.clone());
                let mut q = query.get_untracked();
                q.q = value.clone();
                on_change.run((q, true));
            },
            SEARCH_DEBOUNCE,
        );
        timer.set_value(handle.ok());
    };

    let range_key = move || match query.with(|q| q.range) {
        DateRange::Last(p) => p.key().to_string(),
        DateRange::Custom { .. } => "custom".to_string(),
    };
    let custom = move || matches!(query.with(|q| q.range), DateRange::Custom { .. });
    let on_range = move |key: String| {
        set(&|q| {
            q.range = match Preset::from_key(&key) {
                Some(p) => DateRange::Last(p),
                None => {
                    let today = chrono::Utc::now().date_naive();
                    DateRange::Custom {
                        from: today.checked_sub_days(chrono::Days::new(7)),
                        to: Some(today),
                    }
                }
            }
        })
    };
    let on_date = move |which: &'static str, value: String| {
        let d = NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok();
        set(&|q| {
            if let DateRange::Custom { from, to } = &mut q.range {
                match which {
                    "from" => *from = d,
                    _ => *to = d,
                }
            }
        })
    };
    let date_value = move |which: &'static str| match query.with(|q| q.range) {
        DateRange::Custom { from, to } => {
            let d = if which == "from" { from } else { to };
            d.map(|d| d.to_string()).unwrap_or_default()
        }
        DateRange::Last(_) => String::new(),
    };

    view! {
        <form class="filters" role="search" aria-label="Filter rollouts" on:submit=|ev| ev.prevent_default()>
            <label class="filters__field">
                <span class="filters__label">"Date range"</span>
                <select class="filters__control" on:change=move |ev| on_range(event_target_value(&ev))>
                    {Preset::ALL.into_iter().map(|p| view! {
                        <option value=p.key() prop:selected=move || range_key() == p.key()>{p.label()}</option>
                    }).collect_view()}
                    <option value="custom" prop:selected=move || range_key() == "custom">"Custom range"</option>
                </select>
            </label>
            <Show when=custom>
                <label class="filters__field">
                    <span class="filters__label">"From"</span>
                    <input class="filters__control" type="date" prop:value=move || date_value("from")
                        on:change=move |ev| on_date("from", event_target_value(&ev))/>
                </label>
                <label class="filters__field">
                    <span class="filters__label">"To"</span>
                    <input class="filters__control" type="date" prop:value=move || date_value("to")
                        on:change=move |ev| on_date("to", event_target_value(&ev))/>
                </label>
            </Show>
            <FacetSelect label="Cluster" all="All clusters"
                options=Signal::derive(move || facets.with(|f| f.clusters.clone()))
                value=Signal::derive(move || query.with(|q| q.cluster.clone()))
                on_pick=Callback::new(move |v: String| set(&|q| {
                    q.cluster = pick(v.clone());
                    q.namespace = None;
                    q.spot_deployment = None;
                }))/>
            <FacetSelect label="Namespace" all="All namespaces"
                options=Signal::derive(move || facets.with(|f| f.namespaces.clone()))
                value=Signal::derive(move || query.with(|q| q.namespace.clone()))
                on_pick=Callback::new(move |v: String| set(&|q| {
                    q.namespace = pick(v.clone());
                    q.spot_deployment = None;
                }))/>
            <FacetSelect label="SpotDeployment" all="All SpotDeployments"
                options=Signal::derive(move || facets.with(|f| f.spot_deployments.clone()))
                value=Signal::derive(move || query.with(|q| q.spot_deployment.clone()))
                on_pick=Callback::new(move |v: String| set(&|q| q.spot_deployment = pick(v.clone())))/>
            <label class="filters__field">
                <span class="filters__label">"Status"</span>
                <select class="filters__control" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(&|q| q.status = StatusGroup::from_key(&v));
                }>
                    <option value="" prop:selected=move || query.with(|q| q.status.is_none())>"All statuses"</option>
                    {move || facets.with(|f| f.status_counts.clone()).into_iter().map(|(g, n)| view! {
                        <option value=g.key() prop:selected=move || query.with(|q| q.status == Some(g))>
                            {format!("{} ({n})", g.label())}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <label class="filters__field filters__field--search">
                <span class="filters__label">"Search"</span>
                <input class="filters__control" type="search" node_ref=search_ref
                    placeholder="Name, image, id, namespace…   ( / )" autocomplete="off" spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |ev| on_search(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Escape" && !text.get_untracked().is_empty() {
                        ev.prevent_default();
                        on_search(String::new());
                    }/>
            </label>
            <Show when=move || query.with(|q| q.has_filters())>
                <button type="button" class="btn btn--link filters__clear"
                    on:click=move |_| {
                        pushed.set_value(String::new());
                        text.set(String::new());
                        on_change.run((query.get_untracked().cleared(), false));
                    }>
                    "Clear filters"
                </button>
            </Show>
        </form>
    }
}

/// One labelled select over a facet's values, with an "all" choice first.
#[component]
fn FacetSelect(
    /// The visible label and accessible name.
    label: &'static str,
    /// The text of the empty choice, e.g. "All clusters".
    all: &'static str,
    /// The values to offer.
    options: Signal<Vec<String>>,
    /// The chosen value, if any.
    value: Signal<Option<String>>,
    /// Called with the chosen value ("" for all).
    on_pick: Callback<String>,
) -> impl IntoView {
    view! {
        <label class="filters__field">
            <span class="filters__label">{label}</span>
            <select class="filters__control" on:change=move |ev| on_pick.run(event_target_value(&ev))>
                <option value="" prop:selected=move || value.with(|v| v.is_none())>{all}</option>
                {move || options.get().into_iter().map(|o| {
                    let selected = {
                        let o = o.clone();
                        move || value.with(|v| v.as_deref() == Some(o.as_str()))
                    };
                    view! { <option value=o.clone() prop:selected=selected>{o.clone()}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}
