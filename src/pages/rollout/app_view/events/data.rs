//! The Events tab's data: the rollout's events (fetched, then appended from the stream), the
//! type and text filter kept in the URL, and what the filter shows.

use super::super::export::save;
use crate::api::client::{self, ApiError};
use crate::api::follow::follow;
use crate::context::live::expect_live;
use crate::context::server_info::expect_server_info;
use crate::dom::debounce::Debounce;
use crate::model::events::{
    filter_from_query, filter_pairs, reference_now, EventFilter, EventLog, TEXT_KEY, TYPE_KEY,
};
use crate::model::export::{self, count_noun, ExportFile};
use crate::url::{use_query_writer, with_key};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use rollout_api::{Event, EventType, StreamMessage};
use std::time::Duration;

/// How long the text filter waits after the last keystroke.
const TYPING: Duration = Duration::from_millis(150);

/// The events of one rollout and the filtered view of them. `Copy`.
#[derive(Clone, Copy)]
pub struct EventsData {
    pub rollout_id: Signal<String>,
    pub fetched: LocalResource<Result<Vec<Event>, ApiError>>,
    pub log: RwSignal<EventLog>,
    pub filter: FilterInput,
    /// Positions (newest first) of the events the filter lets through.
    pub shown: Memo<Vec<usize>>,
    pub total: Memo<usize>,
    /// What relative times are measured from (the server's clock).
    pub now: Memo<DateTime<Utc>>,
}

impl EventsData {
    /// Reads the events of `rollout_id` and follows the stream: this rollout's new events are
    /// appended; after a gap, a resync or a reconnect the list is read again.
    pub fn new(rollout_id: Signal<String>) -> EventsData {
        let fetched = LocalResource::new(move || {
            let id = rollout_id.get();
            async move { client::events(&id).await }
        });
        let log = RwSignal::new(EventLog::default());
        Effect::new(move |_| {
            if let Some(Ok(list)) = fetched.get() {
                log.update(|l| l.replace(list));
            }
        });
        follow(
            expect_live(),
            move |messages| {
                let id = rollout_id.get_untracked();
                let mine: Vec<Event> = messages
                    .into_iter()
                    .filter_map(|m| match m {
                        StreamMessage::Event { event }
                            if event.rollout_id.as_deref() == Some(&id) =>
                        {
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
        let filter = use_filter_input();
        let shown = Memo::new(move |_| log.with(|l| l.filter(&filter.applied.get())));
        let server_now = expect_server_info().now;
        let now = Memo::new(move |_| {
            let newest = log.with(|l| l.newest(0).map(|e| e.last_timestamp));
            reference_now(server_now.get(), newest)
        });
        EventsData {
            rollout_id,
            fetched,
            log,
            filter,
            shown,
            total: Memo::new(move |_| log.with(EventLog::len)),
            now,
        }
    }

    /// The `n`-th event the filter shows.
    pub fn row(self, n: usize) -> Option<Event> {
        let pos = self.shown.with(|s| s.get(n).copied())?;
        self.log.with(|l| l.newest(pos).cloned())
    }

    /// Saves the shown events as CSV or JSON.
    pub fn export(self, file: ExportFile) {
        let text = self.shown.with_untracked(|pos| {
            self.log.with_untracked(|l| match file {
                ExportFile::EventsJson => export::events_json(l.pick(pos)),
                _ => export::events_csv(l.pick(pos)),
            })
        });
        save(file, &self.rollout_id.get_untracked(), &text);
    }

    /// The shown events as CSV, and the confirmation to show.
    pub fn copy(self) -> (String, String) {
        self.shown.with_untracked(|pos| {
            let text = self.log.with_untracked(|l| export::events_csv(l.pick(pos)));
            let what = count_noun(pos.len(), "event", "events");
            (text, format!("Copied {what} as CSV"))
        })
    }
}

/// The filter controls' state: read from the URL when the tab opens and kept in it (replacing
/// the entry), so a link opens the same filtered view. The text applies 150 ms after the last
/// keystroke.
#[derive(Clone, Copy)]
pub struct FilterInput {
    pub kind: RwSignal<Option<EventType>>,
    /// The text as typed.
    pub typed: RwSignal<String>,
    text: RwSignal<String>,
    debounce: Debounce,
    /// The filter in force.
    pub applied: Memo<EventFilter>,
}

impl FilterInput {
    /// Takes a keystroke in the text box.
    pub fn type_text(self, value: String) {
        self.typed.set(value.clone());
        let text = self.text;
        self.debounce.call(move || text.set(value));
    }
}

fn use_filter_input() -> FilterInput {
    let location = use_location();
    let from_url = location
        .query
        .with_untracked(|q| filter_from_query(q.get_str(TYPE_KEY), q.get_str(TEXT_KEY)));
    let kind = RwSignal::new(from_url.kind);
    let text = RwSignal::new(from_url.text.clone());
    let applied = Memo::new(move |_| EventFilter {
        kind: kind.get(),
        text: text.get(),
    });
    let write_query = use_query_writer();
    Effect::new(move |first: Option<()>| {
        let f = applied.get();
        if first.is_some() {
            write_query(&|pairs| with_key(&filter_pairs(&pairs, &f), "tab", Some("events")));
        }
    });
    FilterInput {
        kind,
        typed: RwSignal::new(from_url.text),
        text,
        debounce: Debounce::new(TYPING),
        applied,
    }
}
