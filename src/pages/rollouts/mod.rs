//! `/rollouts`: every rollout of a date window, filtered, searched and sorted in the browser (so
//! typing is instant), summarised for the filter on screen, and kept live by the stream.
//! The URL holds the whole view: a filtered list is a link, and back / forward restore it.

mod data;
mod filters;
mod head;
mod row;
mod states;
mod table;

use crate::components::summary_bar::SummaryBar;
use crate::dom::keys::focus_on_slash;
use crate::dom::shell;
use crate::model::list::ListQuery;
use data::{use_list_view, ListState, Load};
use filters::RolloutFilters;
use head::ListHead;
use leptos::html::Input;
use leptos::prelude::*;
use states::StateNotice;
use table::RolloutTable;

const TITLE_ID: &str = "rollouts-title";

#[component]
pub fn RolloutsPage() -> impl IntoView {
    let list = use_list_view();
    let (data, query, rows, visible, now) = (
        list.data,
        list.query,
        list.data.rows,
        list.visible,
        list.now,
    );
    let on_retry = Callback::new(move |()| data.refresh());
    // "/" jumps to the search box from anywhere on the page.
    let search_ref = NodeRef::<Input>::new();
    focus_on_slash(search_ref);
    // The first load has ended (rows, nothing, or an error): this page takes over from the
    // server's first screen of it, carrying on with what a person already typed or chose there.
    Effect::new(move |_| {
        if list.state.get() == ListState::Loading {
            return;
        }
        shell::reveal();
        let Some(carried) = shell::take_carried() else {
            return;
        };
        if let Some(fields) = carried.fields {
            let field = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            list.on_change.run((ListQuery::from_lookup(field), true));
        }
        if carried.search_focused {
            if let Some(input) = search_ref.get_untracked() {
                let _ = input.focus();
            }
        }
    });

    let refresh_failed = move || match data.load.get() {
        Load::Failed(e) if rows.with(|r| !r.is_empty()) => {
            let text = format!("The list could not be refreshed: {e}. It may be out of date.");
            Some(view! {
                <div class="rollouts__banner" role="alert">
                    <span>{text}</span>
                    <button type="button" class="btn" on:click=move |_| data.refresh()>
                        "Retry"
                    </button>
                </div>
            })
        }
        _ => None,
    };
    let body = move || match list.state.get() {
        ListState::Table => view! {
            <RolloutTable
                rows=rows.into()
                visible=visible
                query=query
                on_sort=list.on_sort
                now=now
                labelledby=TITLE_ID
            />
        }
        .into_any(),
        other => view! {
            <StateNotice
                state=other
                query=query
                load=data.load.into()
                on_change=list.on_change
                on_retry=on_retry
            />
        }
        .into_any(),
    };

    view! {
        <section class="rollouts" aria-labelledby=TITLE_ID>
            <ListHead list=list title_id=TITLE_ID />
            <SummaryBar summary=list.summary />
            <RolloutFilters
                query=query
                facets=list.facets
                on_change=list.on_change
                search_ref=search_ref
            />
            {refresh_failed}
            {body}
        </section>
    }
}
