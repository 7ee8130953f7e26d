//! The page's data: loads every rollout of the date window (following `nextCursor`), then keeps
//! it live by following the stream — upserts applied in order, a full re-list whenever the
//! stream cannot tell the whole story (`resync`, a reconnect, lost messages).

use crate::api::client::{self, ApiError};
use crate::api::follow::Follow;
use crate::api::stream::{LiveMessage, LiveStream};
use crate::context::live::expect_live;
use crate::context::server_info::expect_server_info;
use crate::model::list::{DateRange, ListQuery, SortKey};
use crate::model::list_rows::{Facets, RolloutRows};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use rollout_api::{ListSummary, StreamMessage, Timestamp};

/// Which message the list area shows.
#[derive(Debug, Clone, PartialEq)]
pub enum ListState {
    Loading,
    Unreachable(ApiError),
    /// Nothing at all in the date range.
    Empty,
    /// Rows loaded, but the filters hide every one of them.
    NoMatch {
        hidden: usize,
    },
    Table,
}

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
    follow: Follow,
    clock: Signal<Timestamp>,
}

impl ListData {
    /// `clock`: the server's now, which date windows are measured from. Follows `live` from
    /// the start: updates are applied as they come, anything else re-lists.
    pub fn new(live: LiveStream, clock: Signal<Timestamp>) -> ListData {
        let data = ListData {
            rows: RwSignal::new(RolloutRows::default()),
            load: RwSignal::new(Load::Loading {
                loaded: 0,
                total: 0,
            }),
            loaded_at: RwSignal::new(None),
            range: StoredValue::new(DateRange::default()),
            generation: StoredValue::new(0),
            follow: Follow::new(live),
            clock,
        };
        data.follow
            .start(move |messages| data.apply(messages), move || data.refresh());
        data
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
        let mark = self.follow.mark();
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
                    self.loaded_at.try_set(Some(now));
                    self.load.try_set(Load::Ready);
                    // What the stream said while the pages arrived, applied over them.
                    self.follow.resume(mark);
                }
                Err(e) => {
                    self.load.try_set(Load::Failed(e));
                }
            }
        });
    }

    /// Applies rollout updates from the stream, in order. While a load is under way (or
    /// failed) they are left alone: the load resumes the stream from where it started.
    fn apply(self, messages: Vec<LiveMessage>) {
        if self.load.try_get_untracked() != Some(Load::Ready) {
            return;
        }
        let updates: Vec<_> = messages
            .into_iter()
            .filter_map(|m| match m {
                StreamMessage::Rollout { rollout } => Some(rollout),
                _ => None,
            })
            .collect();
        if !updates.is_empty() {
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

/// The list as the URL asks to see it: the view, how to change it, and what it shows.
#[derive(Clone, Copy)]
pub struct ListView {
    pub data: ListData,
    /// The view (filters, search, sort, date range) the URL describes.
    pub query: Memo<ListQuery>,
    /// Goes to another view; `true` replaces the history entry (typing), `false` pushes one.
    pub on_change: Callback<(ListQuery, bool)>,
    pub on_sort: Callback<SortKey>,
    /// Indices into the rows of what the view shows, in order.
    pub visible: Memo<Vec<usize>>,
    pub summary: Memo<ListSummary>,
    pub facets: Memo<Facets>,
    pub state: Memo<ListState>,
    /// The server's now, ticking: durations and the date window follow it.
    pub now: Signal<Timestamp>,
}

/// Loads the date window the URL asks for, follows the stream, and filters, sorts and
/// summarises the rows in the browser (so typing is instant).
pub fn use_list_view() -> ListView {
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
    let now = expect_server_info().now;
    let data = ListData::new(expect_live(), now);
    let range = Memo::new(move |_| query.with(|q| q.range));
    Effect::new(move |_| data.load_range(range.get()));

    let rows = data.rows;
    let visible = Memo::new(move |_| {
        let q = query.get();
        rows.with(|r| r.visible(&q, now.get_untracked()))
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
    ListView {
        data,
        query,
        on_change,
        on_sort,
        visible,
        summary: Memo::new(move |_| visible.with(|ix| rows.with(|r| r.summary(ix)))),
        facets: Memo::new(move |_| {
            let q = query.get();
            rows.with(|r| r.facets(&q))
        }),
        state,
        now,
    }
}
