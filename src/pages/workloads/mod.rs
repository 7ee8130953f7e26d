//! `/workloads`: every workload of every cluster, filtered, searched and sorted in the browser,
//! kept live by the fleet context. The URL holds the whole view.

mod body;
mod filters;
mod table;

use crate::context::fleet::expect_fleet;
use crate::model::workloads::{facets, WorkloadQuery, WorkloadRow, WorkloadSort};
use crate::url::{self, href};
use body::WorkloadsBody;
use filters::WorkloadFilters;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

const TITLE_ID: &str = "workloads-title";

#[component]
pub fn WorkloadsPage() -> impl IntoView {
    let fleet = expect_fleet();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|m| WorkloadQuery::from_lookup(|k| m.get(k))));
    let navigate = use_navigate();
    let on_change = Callback::new(move |(q, replace): (WorkloadQuery, bool)| {
        let options = NavigateOptions {
            replace,
            scroll: false,
            ..Default::default()
        };
        let pairs = q.pairs();
        let query = url::query(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        navigate(&href(url::WORKLOADS, &query), options);
    });
    let on_sort = Callback::new(move |key: WorkloadSort| {
        on_change.run((query.get_untracked().sorted_by(key), false));
    });
    let rows = Memo::new(move |_| {
        fleet
            .workloads
            .with(|w| w.iter().map(WorkloadRow::new).collect::<Vec<_>>())
    });
    let visible = Memo::new(move |_| query.with(|q| rows.with(|r| q.apply(r))));
    let choices = Memo::new(move |_| rows.with(|r| facets(r)));
    let count = move || {
        let (shown, all) = (visible.with(Vec::len), rows.with(Vec::len));
        if shown == all {
            format!("{all} workloads")
        } else {
            format!("{shown} of {all} workloads")
        }
    };
    view! {
        <section class="workloads" aria-labelledby=TITLE_ID>
            <header class="rollouts__head">
                <h1 class="page__title rollouts__title" id=TITLE_ID>
                    "Workloads"
                </h1>
                <p class="rollouts__count" aria-live="polite">
                    {count}
                </p>
            </header>
            <WorkloadFilters query=query choices=choices on_change=on_change />
            <WorkloadsBody
                rows=rows
                visible=visible
                query=query
                on_change=on_change
                on_sort=on_sort
                labelledby=TITLE_ID
            />
        </section>
    }
}
