//! The events' data: a rollout's (or a cluster's outside rollouts) events read a page at a time
//! (the newest first, older pages as the list is scrolled to its end or "Load older events" is
//! pressed), new ones added from the stream, the type and text filter kept in the URL, and what
//! the filter shows.

use crate::api::client::{self, ApiError};
use crate::api::follow::follow;
use crate::components::export_tools::save;
use crate::context::live::expect_live;
use crate::context::server_info::expect_server_info;
use crate::dom::debounce::Debounce;
use crate::model::events::{
    filter_from_query, reference_now, EventFilter, EventLog, EventPaging, EventsOf, TEXT_KEY,
    TYPE_KEY,
};
use crate::model::export::{self, count_noun, ExportFile};
use crate::url::use_query_writer;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;
use rollout_api::{Event, EventPage, EventType, StreamMessage};
use std::time::Duration;

/// How long the text filter waits after the last keystroke.
const TYPING: Duration = Duration::from_millis(150);
/// Events per page while scrolling, and per page when everything is read for an export (the
/// server's most).
const PAGE: usize = 200;
const EXPORT_PAGE: usize = 1_000;

/// The events of one rollout (or one cluster's outside rollouts) and the filtered view of
/// them. `Copy`.
#[derive(Clone, Copy)]
pub struct EventsData {
    /// Whose events.
    pub of: Signal<EventsOf>,
    /// The first (newest) page.
    pub fetched: LocalResource<Result<EventPage, ApiError>>,
    pub log: RwSignal<EventLog>,
    /// How far the pages are read, the server's total and what retention removed.
    pub paging: RwSignal<EventPaging>,
    pub filter: FilterInput,
    /// Positions (newest first) of the events the filter lets through.
    pub shown: Memo<Vec<usize>>,
    /// Events loaded, and the owner's events in all (loaded or not).
    pub loaded: Memo<usize>,
    pub total: Memo<usize>,
    /// What relative times are measured from (the server's clock).
    pub now: Memo<DateTime<Utc>>,
}

impl EventsData {
    /// Reads the newest page of `of`'s events and follows the stream: the owner's new events
    /// are added on top; after a gap, a resync or a reconnect the newest page is read again.
    pub fn new(of: Signal<EventsOf>) -> EventsData {
        let fetched = LocalResource::new(move || {
            let of = of.get();
            async move { read_page(&of, None, PAGE).await }
        });
        let log = RwSignal::new(EventLog::default());
        let paging = RwSignal::new(EventPaging::default());
        Effect::new(move |_| {
            if let Some(Ok(page)) = fetched.get() {
                let mut kept_live = 0;
                log.update(|l| {
                    l.replace(page.events.clone());
                    kept_live = l.len() - page.events.len();
                });
                let mut p = EventPaging::first(&page);
                p.live(kept_live);
                paging.set(p);
            }
        });
        follow(
            expect_live(),
            move |messages| {
                let of = of.get_untracked();
                let mine: Vec<Event> = messages
                    .into_iter()
                    .filter_map(|m| match m {
                        StreamMessage::Event { event } => event.decode().filter(|e| of.owns(e)),
                        _ => None,
                    })
                    .collect();
                if !mine.is_empty() {
                    let mut added = 0;
                    log.update(|l| {
                        for e in mine {
                            added += usize::from(l.push(e));
                        }
                    });
                    paging.update(|p| p.live(added));
                }
            },
            move || fetched.refetch(),
        );
        let filter = use_filter_input(of);
        let shown = Memo::new(move |_| log.with(|l| l.filter(&filter.applied.get())));
        let server_now = expect_server_info().now;
        let now = Memo::new(move |_| {
            let newest = log.with(|l| l.newest(0).map(|e| e.last_timestamp));
            reference_now(server_now.get(), newest)
        });
        let loaded = Memo::new(move |_| log.with(EventLog::len));
        EventsData {
            of,
            fetched,
            log,
            paging,
            filter,
            shown,
            loaded,
            total: Memo::new(move |_| paging.with(|p| p.total_for(loaded.get()))),
            now,
        }
    }

    /// The `n`-th event the filter shows.
    pub fn row(self, n: usize) -> Option<Event> {
        let pos = self.shown.with(|s| s.get(n).copied())?;
        self.log.with(|l| l.newest(pos).cloned())
    }

    /// Reads the next older page (nothing when one is being read or none is left).
    pub fn load_older(self) {
        let Some(cursor) = self
            .paging
            .with_untracked(|p| (!p.loading).then(|| p.next_cursor.clone()).flatten())
        else {
            return;
        };
        self.paging.update(|p| {
            p.loading = true;
            p.error = None;
        });
        let of = self.of.get_untracked();
        spawn_local(async move {
            let result = read_page(&of, Some(&cursor), PAGE).await;
            self.take_page(&cursor, result);
        });
    }

    /// Scrolled to the end of the list: the next page, unless the last one failed (the
    /// button retries).
    pub fn reached_end(self) {
        if self.paging.with_untracked(|p| p.error.is_none()) {
            self.load_older();
        }
    }

    /// Adds an older page read after `cursor` (unless the list was read again meanwhile).
    /// Answers whether there is more to read.
    fn take_page(self, cursor: &str, result: Result<EventPage, ApiError>) -> bool {
        let current = self
            .paging
            .try_with_untracked(|p| p.next_cursor.as_deref() == Some(cursor))
            .unwrap_or(false);
        if !current {
            return false;
        }
        match result {
            Ok(page) => {
                self.paging.try_update(|p| p.older(&page));
                self.log.try_update(|l| l.extend(page.events));
                self.paging
                    .try_with_untracked(|p| !p.complete())
                    .unwrap_or(false)
            }
            Err(e) => {
                self.paging.try_update(|p| {
                    p.loading = false;
                    p.error = Some(format!("Older events could not be read: {e}"));
                });
                false
            }
        }
    }

    /// Reads every page not read yet (for an export of everything). Answers false when a
    /// page failed (the paging says why).
    async fn load_all(self) -> bool {
        loop {
            let Some(cursor) = self
                .paging
                .try_with_untracked(|p| p.next_cursor.clone())
                .flatten()
            else {
                return true;
            };
            self.paging.try_update(|p| {
                p.loading = true;
                p.error = None;
            });
            let of = self.of.get_untracked();
            let result = read_page(&of, Some(&cursor), EXPORT_PAGE).await;
            let failed = result.is_err();
            if !self.take_page(&cursor, result) {
                return !failed
                    && self
                        .paging
                        .try_with_untracked(EventPaging::complete)
                        .unwrap_or(false);
            }
        }
    }

    /// Saves the shown events as CSV or JSON — every event the filter lets through, reading
    /// the pages not loaded yet first.
    pub fn export(self, file: ExportFile) {
        spawn_local(async move {
            if !self.load_all().await {
                return;
            }
            let Some(text) = self.shown.try_with_untracked(|pos| {
                self.log.with_untracked(|l| match file {
                    ExportFile::EventsJson => export::events_json(l.pick(pos)),
                    _ => export::events_csv(l.pick(pos)),
                })
            }) else {
                return;
            };
            save(file, &self.file_stem().get_untracked(), &text);
        });
    }

    /// What export file names start with.
    pub fn file_stem(self) -> Signal<String> {
        let of = self.of;
        Signal::derive(move || of.with(EventsOf::file_stem))
    }

    /// The shown events as CSV, and the confirmation to show (which says when older events
    /// are not loaded yet: a copy takes what is in hand).
    pub fn copy(self) -> (String, String) {
        self.shown.with_untracked(|pos| {
            let text = self.log.with_untracked(|l| export::events_csv(l.pick(pos)));
            let what = count_noun(pos.len(), "event", "events");
            let rest = self.total.get_untracked() - self.loaded.get_untracked();
            let note = if rest > 0 {
                format!(
                    " ({} older not loaded: Export reads them all)",
                    count_noun(rest, "event", "events")
                )
            } else {
                String::new()
            };
            (text, format!("Copied {what} as CSV{note}"))
        })
    }
}

/// A page of `of`'s events, newest first: the newest `limit`, or with `cursor` (a page's
/// `nextCursor`) the `limit` older ones after that page.
async fn read_page(
    of: &EventsOf,
    cursor: Option<&str>,
    limit: usize,
) -> Result<EventPage, ApiError> {
    match of {
        EventsOf::Rollout(id) => client::events(id, cursor, limit).await,
        EventsOf::Cluster(id) => client::cluster_events(id, cursor, limit).await,
    }
}

/// The filter controls' state: read from the URL when the list opens and kept in it (replacing
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

fn use_filter_input(of: Signal<EventsOf>) -> FilterInput {
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
            let of = of.get_untracked();
            write_query(&|pairs| of.filter_query(&pairs, &f));
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
