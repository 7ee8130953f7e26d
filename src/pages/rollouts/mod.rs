//! `/rollouts`: every rollout of a date window, filtered, searched and sorted in the browser (so
//! typing is instant), summarised for the filter on screen, and kept live by the stream.
//! The URL holds the whole view: a filtered list is a link, and back / forward restore it.

mod data;
mod filters;
mod row;
mod states;
mod table;

use crate::components::summary_bar::SummaryBar;
use crate::context::live::expect_live;
use crate::context::server_info::expect_server_info;
use crate::model::list::{count_text, ListQuery, SortKey};
use data::{ListData, Load};
use filters::RolloutFilters;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use states::{ListState, StateNotice};
use table::RolloutTable;
use wasm_bindgen::JsCast;

const TITLE_ID: &str = "rollouts-title";

#[component]
pub fn RolloutsPage() -> impl IntoView {
    let live = expect_live();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|m| ListQuery::from_lookup(|k| m.get(k))));
    let navigate = use_navigate();
    let on_change = Callback::new(move |(q, replace): (ListQuery, bool)| {
        let options = NavigateOptions {
            replace,
            scroll: false,
            ..Default::default()
        };
        navigate(&q.href(), options);
    });
    let on_sort = Callback::new(move |key: SortKey| {
        on_change.run((query.get_untracked().sorted_by(key), false));
    });

    // Load the date window and follow the stream.
    // Durations tick and the date window moves with the server's clock.
    let now = expect_server_info().now;
    let data = ListData::new(live, now);
    let range = Memo::new(move |_| query.with(|q| q.range));
    Effect::new(move |_| data.load_range(range.get()));
    let on_retry = Callback::new(move |()| data.refresh());

    // Filter, sort and summarise in the browser.
    let rows = data.rows;
    let visible = Memo::new(move |_| {
        let q = query.get();
        rows.with(|r| r.visible(&q, now.get_untracked()))
    });
    let summary = Memo::new(move |_| visible.with(|ix| rows.with(|r| r.summary(ix))));
    let facets = Memo::new(move |_| {
        let q = query.get();
        rows.with(|r| r.facets(&q))
    });
    let state = Memo::new(move |_| {
        let (loaded, shown) = (rows.with(|r| r.len()), visible.with(|v| v.len()));
        match data.load.get() {
            Load::Failed(e) if loaded == 0 => ListState::Unreachable(e),
            Load::Loading { .. } if loaded == 0 => ListState::Loading,
            _ if loaded == 0 => ListState::Empty,
            _ if shown == 0 => ListState::NoMatch { hidden: loaded },
            _ => ListState::Table,
        }
    });

    // "/" jumps to the search box from anywhere on the page.
    let search_ref = NodeRef::<Input>::new();
    let slash = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if let (false, Some(input)) = (typing, search_ref.get_untracked()) {
            ev.prevent_default();
            let _ = input.focus();
            input.select();
        }
    });
    on_cleanup(move || slash.remove());

    let count = move || {
        let shown = visible.with(|v| v.len());
        count_text(shown, rows.with(|r| r.len()), query.with(|q| q.range))
    };
    let refreshing =
        move || matches!(data.load.get(), Load::Loading { .. }) && rows.with(|r| !r.is_empty());
    let refresh_failed = move || match data.load.get() {
        Load::Failed(e) if rows.with(|r| !r.is_empty()) => Some(view! {
            <div class="rollouts__banner" role="alert">
                <span>{format!("The list could not be refreshed: {e}. It may be out of date.")}</span>
                <button type="button" class="btn" on:click=move |_| data.refresh()>"Retry"</button>
            </div>
        }),
        _ => None,
    };

    view! {
        <section class="rollouts" aria-labelledby=TITLE_ID>
            <header class="rollouts__head">
                <h1 class="page__title rollouts__title" id=TITLE_ID>"Rollouts"</h1>
                <p class="rollouts__count" aria-live="polite">
                    {count}
                    <Show when=refreshing>
                        <span class="rollouts__refreshing">" · refreshing…"</span>
                    </Show>
                </p>
                <p class="rollouts__keys muted" aria-hidden="true">
                    <kbd>"/"</kbd>" search · "<kbd>"↑"</kbd><kbd>"↓"</kbd>" rows · "<kbd>"Enter"</kbd>" open"
                </p>
            </header>
            <SummaryBar summary=summary/>
            <RolloutFilters query=query facets=facets on_change=on_change search_ref=search_ref/>
            {refresh_failed}
            {move || match state.get() {
                ListState::Table => view! {
                    <RolloutTable rows=rows.into() visible=visible query=query on_sort=on_sort
                        now=now labelledby=TITLE_ID/>
                }
                .into_any(),
                other => view! {
                    <StateNotice state=other query=query load=data.load.into() on_change=on_change
                        on_retry=on_retry/>
                }
                .into_any(),
            }}
        </section>
    }
}
