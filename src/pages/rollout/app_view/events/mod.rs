//! The Events tab: the rollout's Kubernetes events, newest first, live, filterable, exportable.

use super::export::{export_items, save};
use crate::api::client::{self, ApiError};
use crate::api::follow::follow;
use crate::components::copy_button::CopyButton;
use crate::components::icon::{Icon, IconKind};
use crate::components::menu::{Menu, MenuButton};
use crate::components::virtual_list::VirtualList;
use crate::context::live::expect_live;
use crate::context::server_info::expect_server_info;
use crate::model::events::{
    filter_from_query, filter_pairs, parse_kind, reference_now, EventFilter, EventLog, TEXT_KEY,
    TYPE_KEY,
};
use crate::model::export::{self, count_noun, export_label, ExportFile};
use crate::model::time::{format_exact, format_relative};
use crate::url::{use_query_writer, with_key};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use rollout_api::{Event, EventType, StreamMessage};
use std::time::Duration;

const ROW_HEIGHT: f64 = 34.0;

type Fetched = Result<Vec<Event>, ApiError>;

/// Events table with type and text filters, live additions, Export (CSV, JSON) and Copy.
#[component]
pub fn EventsTab(
    /// The rollout whose events are shown.
    #[prop(into)]
    rollout_id: Signal<String>,
) -> impl IntoView {
    let live = expect_live();
    let fetched: LocalResource<Fetched> = LocalResource::new(move || {
        let id = rollout_id.get();
        async move { client::events(&id).await }
    });
    let log = RwSignal::new(EventLog::default());
    Effect::new(move |_| {
        if let Some(Ok(list)) = fetched.get() {
            log.update(|l| l.replace(list));
        }
    });

    // Live: append this rollout's events; refetch after a gap, a resync or a reconnect.
    follow(
        live,
        move |messages| {
            let id = rollout_id.get_untracked();
            let mine: Vec<Event> = messages
                .into_iter()
                .filter_map(|m| match m {
                    StreamMessage::Event { event } if event.rollout_id.as_deref() == Some(&id) => {
                        Some(event)
                    }
                    _ => None,
                })
                .collect();
            if !mine.is_empty() {
                log.update(|l| {
                    for e in mine {
                        l.push(e);
                    }
                });
            }
        },
        move || fetched.refetch(),
    );

    // Filters: from the URL when the tab opens, and kept in it (replacing the entry), so a link
    // opens the same filtered view. The text is applied 150 ms after the last keystroke.
    let location = use_location();
    let write_query = use_query_writer();
    let from_url = location
        .query
        .with_untracked(|q| filter_from_query(q.get_str(TYPE_KEY), q.get_str(TEXT_KEY)));
    let kind = RwSignal::new(from_url.kind);
    let typed = RwSignal::new(from_url.text.clone());
    let text = RwSignal::new(from_url.text);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_text = move |value: String| {
        typed.set(value.clone());
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(move || text.set(value), Duration::from_millis(150));
        pending.set_value(handle.ok());
    };
    let filter = Memo::new(move |_| EventFilter {
        kind: kind.get(),
        text: text.get(),
    });
    Effect::new(move |first: Option<()>| {
        let f = filter.get();
        if first.is_none() {
            return;
        }
        write_query(&|pairs| with_key(&filter_pairs(&pairs, &f), "tab", Some("events")));
    });
    let shown = Memo::new(move |_| log.with(|l| l.filter(&filter.get())));
    let total = Memo::new(move |_| log.with(EventLog::len));

    // Relative times follow the server's clock.
    let server_now = expect_server_info().now;
    let now = Memo::new(move |_| {
        let newest = log.with(|l| l.newest(0).map(|e| e.last_timestamp));
        reference_now(server_now.get(), newest)
    });

    let filtered = move || filter.with(EventFilter::is_active);
    let label = Signal::derive(move || export_label(shown.with(Vec::len), total.get(), filtered()));
    let formats = Signal::derive(move || {
        export_items(
            &[ExportFile::EventsCsv, ExportFile::EventsJson],
            &rollout_id.get(),
        )
    });
    let on_export = Callback::new(move |file: ExportFile| {
        let text = shown.with_untracked(|pos| {
            log.with_untracked(|l| match file {
                ExportFile::EventsJson => export::events_json(l.pick(pos)),
                _ => export::events_csv(l.pick(pos)),
            })
        });
        save(file, &rollout_id.get_untracked(), &text);
    });
    let copy = Callback::new(move |()| {
        shown.with_untracked(|pos| {
            let text = log.with_untracked(|l| export::events_csv(l.pick(pos)));
            (
                text,
                format!("Copied {} as CSV", count_noun(pos.len(), "event", "events")),
            )
        })
    });
    let empty = Signal::derive(move || shown.with(Vec::is_empty));

    let row = move |n: usize| {
        let pos = shown.with(|s| s.get(n).copied());
        let event = pos.and_then(|p| log.with(|l| l.newest(p).cloned()));
        event.map(|e| event_row(e, n, now))
    };

    view! {
        <div class="app-view__toolbar">
            <label class="app-view__field">
                <span>"Type"</span>
                <select on:change=move |ev| kind.set(parse_kind(&event_target_value(&ev)))>
                    <option value="all" prop:selected=move || kind.get().is_none()>"All types"</option>
                    <option value="Normal" prop:selected=move || kind.get() == Some(EventType::Normal)>"Normal"</option>
                    <option value="Warning" prop:selected=move || kind.get() == Some(EventType::Warning)>"Warning"</option>
                </select>
            </label>
            <input
                type="search"
                class="app-view__search"
                aria-label="Filter events"
                placeholder="Filter by reason, object or message"
                prop:value=move || typed.get()
                on:input=move |ev| on_text(event_target_value(&ev))
            />
            <span class="app-view__count muted">
                {move || if filtered() {
                    format!("{} of {}", shown.with(Vec::len), count_noun(total.get(), "event", "events"))
                } else {
                    count_noun(total.get(), "event", "events")
                }}
            </span>
            <span class="app-view__actions">
                <Menu label=label items=formats on_select=on_export disabled=empty
                    button=MenuButton::Text(IconKind::Download) menu_label="Export formats"/>
                <CopyButton content=copy label="Copy" disabled=empty/>
            </span>
        </div>
        {move || match fetched.get() {
            None => Some(view! { <p class="muted">"Loading events…"</p> }.into_any()),
            Some(Err(e)) => Some(view! { <p role="alert" class="error">{format!("Events could not be read: {e}")}</p> }.into_any()),
            Some(Ok(_)) if log.with(EventLog::is_empty) => Some(view! { <p class="app-view__empty">"No events recorded for this rollout yet."</p> }.into_any()),
            Some(Ok(_)) if empty.get() => Some(view! { <p class="app-view__empty">"No event matches the filter."</p> }.into_any()),
            _ => None,
        }}
        <div class="events" role="table" aria-label="Kubernetes events" aria-rowcount=move || shown.with(Vec::len) + 1 hidden=move || empty.get()>
            <div role="rowgroup">
                <div role="row" class="events__row events__row--head" aria-rowindex="1">
                    <span role="columnheader">"Time"</span>
                    <span role="columnheader">"Type"</span>
                    <span role="columnheader">"Reason"</span>
                    <span role="columnheader">"Object"</span>
                    <span role="columnheader">"Message"</span>
                </div>
            </div>
            <VirtualList len=Signal::derive(move || shown.with(Vec::len)) row_height=ROW_HEIGHT row=row class="events__body" role="rowgroup"/>
        </div>
    }
}

fn event_row(e: Event, n: usize, now: Memo<chrono::DateTime<chrono::Utc>>) -> impl IntoView {
    let warning = e.kind == EventType::Warning;
    let at = e.last_timestamp;
    let (reason, object, message) = (e.reason.clone(), e.object.clone(), e.message.clone());
    view! {
        <div role="row" class="events__row" class:events__row--warning=warning aria-rowindex=n + 2>
            <span role="cell" class="events__time">
                <time datetime=export::timestamp(at) title=format_exact(at)>{move || format_relative(at, now.get())}</time>
            </span>
            <span role="cell" class="events__type" class:events__type--warning=warning>
                {warning.then(|| view! { <Icon kind=IconKind::Warning/> })}
                {export::event_type_label(e.kind)}
            </span>
            <span role="cell" class="events__reason" title=reason>{e.reason}</span>
            <span role="cell" class="events__object mono" title=object>{e.object}</span>
            <span role="cell" class="events__message" title=message>{e.message}</span>
        </div>
    }
}
