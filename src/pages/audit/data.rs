//! The Audit page's data: the filters in the URL, the entries read so far (newest first) and
//! the cursor of the next page. Kept live: the stream has no audit news, but every action
//! changes its rollout, so rollout news (gathered for a second) and every gap in the stream
//! (resync, reconnect) re-read the newest page, which joins the entries on top.

use crate::api::client::{self, ApiError};
use crate::api::follow::Follow;
use crate::context::live::expect_live;
use crate::model::audit::{append_older, audit_csv, merge_newest, AuditFilter};
use crate::model::export::CSV_MIME;
use crate::url::{pairs_of, use_query_writer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use rollout_api::{AuditEntry, AuditPage, StreamMessage};
use std::time::Duration;

/// Writes the page's query (see [`use_query_writer`]).
type QueryWriter = Box<dyn Fn(crate::url::Rewrite) + Send + Sync>;

/// How long rollout news is gathered before the newest page is read again.
const REFRESH_DEBOUNCE: Duration = Duration::from_secs(1);

#[derive(Clone, Copy)]
pub struct AuditData {
    pub filter: Memo<AuditFilter>,
    pub entries: RwSignal<Vec<AuditEntry>>,
    pub next: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// Bumped when the entries start over (new filters, news beyond a page): answers to
    /// older reads are dropped.
    generation: StoredValue<u64>,
    /// Whether the first page of the current filters is shown (news waits for it).
    ready: StoredValue<bool>,
    /// Bumped per re-read of the newest page: only the latest one's answer is used.
    refreshes: StoredValue<u64>,
    refresh_scheduled: StoredValue<bool>,
    follow: Follow,
    write_query: StoredValue<QueryWriter>,
}

impl AuditData {
    pub fn new() -> AuditData {
        let query = use_query_map();
        let filter = Memo::new(move |_| query.with(|q| AuditFilter::from_pairs(&pairs_of(q))));
        let data = AuditData {
            filter,
            entries: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
            ready: StoredValue::new(false),
            refreshes: StoredValue::new(0),
            refresh_scheduled: StoredValue::new(false),
            follow: Follow::new(expect_live()),
            write_query: StoredValue::new(Box::new(use_query_writer())),
        };
        data.follow.start(
            move |messages| {
                if messages
                    .iter()
                    .any(|m| matches!(m, StreamMessage::Rollout { .. }))
                {
                    data.schedule_refresh();
                }
            },
            move || data.refresh(),
        );
        // New filters: read from the newest entry again.
        Effect::new(move |_| {
            filter.track();
            data.reload();
        });
        data
    }

    /// Reads the first page of the current filters; the entries shown stay until it arrives.
    fn reload(self) {
        self.generation.update_value(|g| *g += 1);
        self.ready.set_value(false);
        let mark = self.follow.mark();
        let q = self.filter.with_untracked(|f| f.api_query(None));
        self.read_page(q, Read::Page, move |page| {
            self.start_over(page);
            self.ready.set_value(true);
            // News that came while the page was read asks for another look.
            self.follow.resume(mark);
        });
    }

    /// Reads the next (older) page and appends it.
    pub fn load_more(self) {
        let Some(cursor) = self.next.get_untracked() else {
            return;
        };
        if self.loading.get_untracked() {
            return;
        }
        let q = self.filter.with_untracked(|f| f.api_query(Some(&cursor)));
        self.read_page(q, Read::Page, move |page| {
            self.next.set(next_cursor(&page));
            self.entries.update(|e| append_older(e, page.entries));
        });
    }

    /// Reads one page and hands it to `then`, unless the entries started over (or, for a
    /// refresh, a newer refresh began) in the meantime; an error is shown. A page read shows
    /// `loading` meanwhile; a refresh reads quietly.
    fn read_page(self, q: String, read: Read, then: impl FnOnce(AuditPage) + 'static) {
        let generation = self.generation.get_value();
        if read == Read::Page {
            self.loading.set(true);
        }
        spawn_local(async move {
            let result = client::audit(&q).await;
            let current = self.generation.try_get_value() == Some(generation)
                && match read {
                    Read::Page => true,
                    Read::Refresh(n) => self.refreshes.try_get_value() == Some(n),
                };
            if !current {
                return;
            }
            if read == Read::Page {
                self.loading.set(false);
            }
            match result {
                Ok(page) => {
                    self.error.set(None);
                    then(page);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Re-reads the newest page in a second (news in a burst makes one read).
    fn schedule_refresh(self) {
        if self.refresh_scheduled.get_value() {
            return;
        }
        self.refresh_scheduled.set_value(true);
        set_timeout(
            move || {
                if self.refresh_scheduled.try_set_value(false).is_none() {
                    self.refresh();
                }
            },
            REFRESH_DEBOUNCE,
        );
    }

    /// Re-reads the newest page and puts what is new on top, keeping the older pages read.
    /// Before the first page is shown, the first read does it (or is tried again if it failed).
    fn refresh(self) {
        if !self.ready.get_value() {
            if !self.loading.get_untracked() {
                self.reload();
            }
            return;
        }
        let generation = self.generation.get_value();
        let refresh = self.refreshes.get_value() + 1;
        self.refreshes.set_value(refresh);
        let q = self.filter.with_untracked(|f| f.api_query(None));
        self.read_page(q, Read::Refresh(refresh), move |page| {
            let merged = self
                .entries
                .with_untracked(|shown| merge_newest(shown, &page.entries));
            match merged {
                Some(merged) => self.entries.maybe_update(|shown| {
                    let changed = *shown != merged;
                    *shown = merged;
                    changed
                }),
                None => {
                    // More news than a page: older reads in flight no longer fit.
                    self.generation.set_value(generation + 1);
                    self.loading.set(false);
                    self.start_over(page);
                }
            }
        });
    }

    /// Shows `page` alone, with its cursor.
    fn start_over(self, page: AuditPage) {
        self.next.set(next_cursor(&page));
        self.entries.set(page.entries);
    }

    /// Puts new filters in the URL (the view reads them from there).
    pub fn set_filter(self, f: AuditFilter) {
        let query = f.page_query();
        self.write_query
            .with_value(|write| write(&|_| query.clone()));
    }

    /// Saves the entries read so far as CSV.
    pub fn export(self) {
        let text = self.entries.with_untracked(|e| audit_csv(e));
        crate::dom::download::download_text("audit.csv", CSV_MIME, &text);
    }
}

/// The cursor of the page after `page` (none on the last page).
/// How a page is read: shown as loading (the first page, the next), or quietly (a refresh,
/// numbered: only the latest one counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    Page,
    Refresh(u64),
}

fn next_cursor(page: &AuditPage) -> Option<String> {
    page.next_cursor.clone().filter(|c| !c.is_empty())
}
