//! The rollout page's data: the rollout as the server last gave it (refetched when the stream
//! says it or its cluster changed, after a gap, and every 10 s while the server or the stream
//! is down), whether it is missing or unreachable, and the page state kept in the URL
//! (`?phases=hidden`, `?details=1`).

use crate::api::client::{self, ApiError};
use crate::api::follow::follow;
use crate::api::stream::{LiveMessage, LiveStatus};
use crate::context::live::expect_live;
use crate::model::rollout_view::{banners, unreachable_banner, Banner};
use crate::url::{use_query_writer, with_key};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};
use rollout_api::{Definition, RolloutDetail, StreamMessage};
use std::time::Duration;

/// How often the rollout is re-read while live updates are off.
const POLL: Duration = Duration::from_secs(10);

/// The rollout of the page's `:id`. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct RolloutData {
    pub id: Memo<String>,
    detail: LocalResource<Result<RolloutDetail, ApiError>>,
    /// The last rollout the server gave (kept on screen while it cannot be reached).
    pub known: RwSignal<Option<RolloutDetail>>,
    /// Why and since when the server cannot be read.
    pub failing_since: RwSignal<Option<(String, DateTime<Utc>)>>,
    pub not_found: RwSignal<bool>,
    /// Since when live updates are off.
    offline_since: RwSignal<Option<DateTime<Utc>>>,
}

impl RolloutData {
    /// Reads the rollout named by the route and keeps it current.
    pub fn new() -> RolloutData {
        let params = use_params_map();
        let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
        let detail = LocalResource::new(move || {
            let id = id.get();
            async move { client::rollout(&id).await }
        });
        let data = RolloutData {
            id,
            detail,
            known: RwSignal::new(None),
            failing_since: RwSignal::new(None),
            not_found: RwSignal::new(false),
            offline_since: RwSignal::new(None),
        };
        Effect::new(move |_| {
            if let Some(result) = detail.get() {
                data.take(result);
            }
        });
        data.follow_stream();
        data
    }

    /// Files the server's answer: the rollout, "not found", or the failure and since when.
    fn take(self, result: Result<RolloutDetail, ApiError>) {
        match result {
            Ok(d) => {
                self.known.set(Some(d));
                // Only when they change: the page's outer view reads both, and a needless
                // notification would rebuild the whole page (closing the open dialog, menu and
                // details, dropping focus) on every live update.
                if self.failing_since.with_untracked(Option::is_some) {
                    self.failing_since.set(None);
                }
                if self.not_found.get_untracked() {
                    self.not_found.set(false);
                }
            }
            Err(e) if e.is_not_found() => {
                if !self.not_found.get_untracked() {
                    self.not_found.set(true);
                }
            }
            Err(e) => self.failing_since.update(|f| {
                if f.is_none() {
                    *f = Some((format!("The server could not be read ({e})"), Utc::now()));
                }
            }),
        }
    }

    /// Live updates: refetch when this rollout (or its cluster) changed, or after a gap; poll
    /// while the stream or the server is down.
    fn follow_stream(self) {
        let live = expect_live();
        let concerns_us = move |messages: &[LiveMessage]| {
            let id = self.id.get_untracked();
            let cluster = self
                .known
                .with_untracked(|k| k.as_ref().map(|d| d.cluster_id.clone()));
            messages.iter().any(|m| match m {
                StreamMessage::Rollout { rollout } => rollout.id == id,
                StreamMessage::Cluster { cluster: c } => Some(&c.id) == cluster.as_ref(),
                StreamMessage::Resync
                | StreamMessage::Event { .. }
                | StreamMessage::Workload { .. } => false,
            })
        };
        follow(
            live,
            move |messages| {
                if concerns_us(&messages) {
                    self.refetch();
                }
            },
            move || self.refetch(),
        );
        Effect::new(move |_| match live.status.get() {
            LiveStatus::Live | LiveStatus::Connecting => self.offline_since.set(None),
            _ => self.offline_since.update(|s| {
                s.get_or_insert_with(Utc::now);
            }),
        });
        let down = move || {
            self.offline_since.get_untracked().is_some()
                || self.failing_since.get_untracked().is_some()
        };
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if down() {
                    self.refetch();
                }
            },
            POLL,
        ) {
            on_cleanup(move || handle.clear());
        }
    }

    /// Reads the rollout again.
    pub fn refetch(self) {
        self.detail.refetch();
    }

    /// True once the rollout of the current `:id` is known.
    pub fn ready(self) -> Memo<bool> {
        Memo::new(move |_| {
            self.known
                .with(|k| k.as_ref().is_some_and(|d| d.id == self.id.get()))
        })
    }

    /// The known rollout (read only once [`ready`](Self::ready)).
    pub fn shown(self) -> Signal<RolloutDetail> {
        Signal::derive(move || self.known.get().expect("shown only once known"))
    }

    /// The banners: the server or the stream being down first, then the rollout's own.
    pub fn banners(self) -> Signal<Vec<Banner>> {
        Signal::derive(move || {
            let mut out = Vec::new();
            if let Some((reason, since)) = self.failing_since.get() {
                out.push(unreachable_banner(&reason, since));
            } else if let Some(since) = self.offline_since.get() {
                out.push(unreachable_banner(
                    "Live updates from the server are off",
                    since,
                ));
            }
            out.extend(
                self.known
                    .with(|k| k.as_ref().map(banners).unwrap_or_default()),
            );
            out
        })
    }

    /// The Strategy and RolloutSpec names, for file names.
    pub fn names(self) -> Signal<(String, String)> {
        Signal::derive(move || {
            self.known.with(|k| {
                k.as_ref()
                    .map(|d| (d.strategy_name.clone(), d.rollout_spec.clone()))
                    .unwrap_or_default()
            })
        })
    }

    /// `/definition`, read while `open` (the details drawer) is true.
    pub fn definition(
        self,
        open: Memo<bool>,
    ) -> LocalResource<Option<Result<Definition, ApiError>>> {
        LocalResource::new(move || {
            let (open, id) = (open.get(), self.id.get());
            async move {
                if open {
                    Some(client::definition(&id).await)
                } else {
                    None
                }
            }
        })
    }
}

/// The page state kept in the URL, written in place.
#[derive(Clone, Copy)]
pub struct PageState {
    /// `?phases=hidden`: the phases panel is collapsed.
    pub phases_hidden: Memo<bool>,
    /// `?details=1`: the details drawer is open.
    pub details_open: Memo<bool>,
    pub toggle_phases: Callback<()>,
    pub open_details: Callback<()>,
    pub close_details: Callback<()>,
}

/// Reads and writes the page state in the URL.
pub fn use_page_state() -> PageState {
    let location = use_location();
    let flag = move |key: &'static str, value: &'static str| {
        Memo::new(move |_| location.query.read().get(key).as_deref() == Some(value))
    };
    let phases_hidden = flag("phases", "hidden");
    let details_open = flag("details", "1");
    let write_query = StoredValue::new(use_query_writer());
    let set = move |key: &'static str, value: Option<&'static str>| {
        write_query.with_value(|w| w(&|pairs| with_key(&pairs, key, value)));
    };
    PageState {
        phases_hidden,
        details_open,
        toggle_phases: Callback::new(move |()| {
            set(
                "phases",
                (!phases_hidden.get_untracked()).then_some("hidden"),
            )
        }),
        open_details: Callback::new(move |()| set("details", Some("1"))),
        close_details: Callback::new(move |()| set("details", None)),
    }
}
