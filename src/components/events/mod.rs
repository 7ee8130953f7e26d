//! A list of Kubernetes events — a rollout's (its Events tab) or a cluster's outside rollouts
//! (their own page): newest first, live, filterable, exportable, read a page at a time.

mod data;
mod row;
mod toolbar;

pub use data::EventsData;

use crate::components::icon::{Icon, IconKind};
use crate::components::virtual_list::VirtualList;
use crate::model::events::{EventLog, EventPaging, EventsOf};
use crate::model::list::group_digits;
use leptos::prelude::*;
use row::event_row;
use toolbar::EventsToolbar;

const ROW_HEIGHT: f64 = 34.0;

/// Events table with type and text filters, live additions, Export (CSV, JSON) and Copy.
#[component]
pub fn EventsList(
    /// The events shown (see [`EventsData::new`]).
    data: EventsData,
) -> impl IntoView {
    let (log, shown, now) = (data.log, data.shown, data.now);
    let empty = Signal::derive(move || shown.with(Vec::is_empty));
    let notice = move || {
        let (class, text) = match data.fetched.get() {
            None => ("muted", "Loading events…"),
            Some(Err(e)) => {
                let text = format!("Events could not be read: {e}");
                return Some(
                    view! {
                        <p role="alert" class="error">
                            {text}
                        </p>
                    }
                    .into_any(),
                );
            }
            Some(Ok(_)) if log.with(EventLog::is_empty) => {
                ("app-view__empty", data.of.with(EventsOf::none_yet))
            }
            Some(Ok(_)) if empty.get() => ("app-view__empty", "No event matches the filter."),
            _ => return None,
        };
        Some(view! { <p class=class>{text}</p> }.into_any())
    };
    let row = move |n: usize| data.row(n).map(|e| event_row(e, n, now));
    view! {
        <EventsToolbar data=data empty=empty />
        {notice}
        <div
            class="events"
            role="table"
            aria-label="Kubernetes events"
            aria-rowcount=move || shown.with(Vec::len) + 1
            hidden=move || empty.get()
        >
            <div role="rowgroup">
                <div role="row" class="events__row events__row--head" aria-rowindex="1">
                    <span role="columnheader">"Time"</span>
                    <span role="columnheader">"Type"</span>
                    <span role="columnheader">"Reason"</span>
                    <span role="columnheader">"Object"</span>
                    <span role="columnheader">"Message"</span>
                </div>
            </div>
            <VirtualList
                len=Signal::derive(move || shown.with(Vec::len))
                row_height=ROW_HEIGHT
                row=row
                class="events__body"
                role="rowgroup"
                on_end=Callback::new(move |()| data.reached_end())
            />
        </div>
        <EventsFooter data=data />
    }
}

/// Below the list: how many are loaded, "Load older events" while some are not, and — once
/// the oldest kept event is loaded — how many older ones retention removed.
#[component]
fn EventsFooter(data: EventsData) -> impl IntoView {
    let paging = data.paging;
    let ready = move || matches!(data.fetched.get(), Some(Ok(_)));
    let loading = move || paging.with(|p| p.loading);
    let status = move || {
        let (loaded, total) = (data.loaded.get(), data.total.get());
        if loading() {
            format!(
                "Loading older events… ({} of {} loaded)",
                group_digits(loaded),
                group_digits(total)
            )
        } else if loaded < total {
            format!(
                "{} of {} events loaded.",
                group_digits(loaded),
                group_digits(total)
            )
        } else {
            String::new()
        }
    };
    view! {
        <div class="events__footer" hidden=move || !ready()>
            <p class="muted events__status" role="status" aria-live="polite">
                {status}
            </p>
            {move || {
                paging
                    .with(|p| p.error.clone())
                    .map(|e| {
                        view! {
                            <p role="alert" class="error">
                                {e}
                            </p>
                        }
                    })
            }}
            {move || {
                (!paging.with(EventPaging::complete))
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="btn"
                                disabled=loading
                                on:click=move |_| data.load_older()
                            >
                                "Load older events"
                            </button>
                        }
                    })
            }}
            {move || {
                paging
                    .with(|p| p.complete().then(|| p.retention_notice()).flatten())
                    .map(|text| {
                        view! {
                            <p class="events__retention" data-testid="events-retention">
                                <Icon kind=IconKind::Info />
                                {text}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
