//! The page's data: loads every rollout of the date window (following `nextCursor`), then keeps
//! it live from the stream — upserts applied in order, a full re-list on `resync`, on a
//! reconnect, or when the stream buffer lost messages.

use crate::api::client::{self, ApiError};
use crate::api::stream::LiveStream;
use crate::model::list::{DateRange, ListQuery};
use crate::model::list_rows::RolloutRows;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rollout_api::{StreamMessage, Timestamp};

/// Where loading stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    /// Pages arriving: `loaded` of `total` rows so far (0 of 0 before the first page).
    Loading {
        loaded: usize,
        total: usize,
    },
    Ready,
    Failed(ApiError),
}

/// The loaded rows and how they got there. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct ListData {
    pub rows: RwSignal<RolloutRows>,
    pub load: RwSignal<Load>,
    /// When the rows were last loaded in full.
    pub loaded_at: RwSignal<Option<Timestamp>>,
    range: StoredValue<DateRange>,
    generation: StoredValue<u64>,
    cursor: StoredValue<u64>,
    live: LiveStream,
    clock: Signal<Timestamp>,
}

impl ListData {
    /// `clock`: the server's now, which date windows are measured from.
    pub fn new(live: LiveStream, clock: Signal<Timestamp>) -> ListData {
        ListData {
            rows: RwSignal::new(RolloutRows::default()),
            load: RwSignal::new(Load::Loading {
                loaded: 0,
                total: 0,
            }),
            loaded_at: RwSignal::new(None),
            range: StoredValue::new(DateRange::default()),
            generation: StoredValue::new(0),
            cursor: StoredValue::new(live.cursor()),
            live,
            clock,
        }
    }

    /// The time the date window is measured from.
    pub fn now(&self) -> Timestamp {
        self.clock.get_untracked()
    }

    /// Loads `range` from scratch, dropping the rows of another window first.
    pub fn load_range(self, range: DateRange) {
        let other = self.range.get_value() != range;
        self.range.set_value(range);
        if other {
            self.rows.set(RolloutRows::default());
            self.loaded_at.set(None);
        }
        self.fetch();
    }

    /// Re-lists the current window, keeping the rows on screen until the new ones arrive.
    pub fn refresh(self) {
        self.fetch();
    }

    fn fetch(self) {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let current = move || self.generation.try_get_value() == Some(generation);
        let start_cursor = self.live.cursor();
        let now = self.now();
        let range = self.range.get_value();
        let window = range.window(now);
        let query = ListQuery {
            range,
            ..ListQuery::default()
        }
        .api_query(now);
        self.load.set(Load::Loading {
            loaded: 0,
            total: 0,
        });
        spawn_local(async move {
            let progress = move |loaded, total| {
                if current() {
                    self.load.try_set(Load::Loading { loaded, total });
                }
            };
            let result = client::all_rollouts(&query, progress).await;
            if !current() {
                return;
            }
            match result {
                Ok(items) => {
                    self.rows.try_set(RolloutRows::new(items, window));
                    self.cursor.try_set_value(start_cursor);
                    self.loaded_at.try_set(Some(now));
                    self.load.try_set(Load::Ready);
                    self.catch_up();
                }
                Err(e) => {
                    self.load.try_set(Load::Failed(e));
                }
            }
        });
    }

    /// Applies what the stream said since the last look. Call when `live.version` changes.
    pub fn catch_up(self) {
        if self.load.try_get_untracked() != Some(Load::Ready) {
            // A load is under way (it catches up when it lands) or failed (retry re-lists).
            return;
        }
        let Some(cursor) = self.cursor.try_get_value() else {
            return;
        };
        let Some((messages, next)) = self.live.since(cursor) else {
            // Messages were dropped from the buffer: only a re-list tells the truth now.
            self.cursor.set_value(self.live.cursor());
            self.refresh();
            return;
        };
        self.cursor.set_value(next);
        let mut resync = false;
        let mut updates = Vec::new();
        for m in messages {
            match m {
                StreamMessage::Rollout { rollout } => updates.push(rollout),
                StreamMessage::Resync => resync = true,
                StreamMessage::Event { .. } | StreamMessage::Cluster { .. } => {}
            }
        }
        if resync {
            self.refresh();
        } else if !updates.is_empty() {
            self.rows.maybe_update(|rows| {
                // Every update is applied; the rows changed if any of them did.
                let mut changed = false;
                for r in updates {
                    changed |= rows.upsert(r);
                }
                changed
            });
        }
    }
}
