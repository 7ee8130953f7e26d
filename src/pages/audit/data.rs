//! The Audit page's data: the filters in the URL, the entries read so far (newest first) and
//! the cursor of the next page.

use crate::api::client::{self, ApiError};
use crate::model::audit::{audit_csv, AuditFilter};
use crate::model::export::CSV_MIME;
use crate::url::{pairs_of, use_query_writer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use rollout_api::AuditEntry;

/// Writes the page's query (see [`use_query_writer`]).
type QueryWriter = Box<dyn Fn(crate::url::Rewrite) + Send + Sync>;

#[derive(Clone, Copy)]
pub struct AuditData {
    pub filter: Memo<AuditFilter>,
    pub entries: RwSignal<Vec<AuditEntry>>,
    pub next: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    generation: StoredValue<u64>,
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
            write_query: StoredValue::new(Box::new(use_query_writer())),
        };
        // New filters: read from the newest entry again.
        Effect::new(move |_| {
            filter.track();
            data.load(true);
        });
        data
    }

    /// Reads the first page (`fresh`) or the next one.
    pub fn load(self, fresh: bool) {
        let cursor = if fresh {
            None
        } else {
            self.next.get_untracked()
        };
        if !fresh && cursor.is_none() {
            return;
        }
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let q = self
            .filter
            .with_untracked(|f| f.api_query(cursor.as_deref()));
        self.loading.set(true);
        spawn_local(async move {
            let result = client::audit(&q).await;
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            self.loading.set(false);
            match result {
                Ok(page) => {
                    self.error.set(None);
                    self.next.set(page.next_cursor.filter(|c| !c.is_empty()));
                    self.entries.update(|e| {
                        if fresh {
                            e.clear();
                        }
                        e.extend(page.entries)
                    });
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
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
