//! What the server said about itself (`/api/v1/health`): version, read-only, auth, and its
//! clock, which every duration and countdown on screen follows.

use crate::api::client::{self, ApiError};
use crate::api::follow::follow;
use crate::api::stream::LiveStream;
use crate::model::server_clock::ServerClock;
use chrono::Utc;
use leptos::prelude::*;
use rollout_api::{Health, Timestamp};
use std::time::Duration;

/// `/health` as last read, and the server's clock. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct ServerInfo {
    pub health: LocalResource<Result<Health, ApiError>>,
    /// The server's now, ticking every second (standing still under a manual clock).
    pub now: Signal<Timestamp>,
}

/// How long stream activity waits before `/health` is read again: a busy stream costs one
/// small request every 5 s at most (a real clock needs no re-reading; the count does).
const HEALTH_REFRESH: Duration = Duration::from_secs(5);

impl ServerInfo {
    /// True once the server said it refuses mutations.
    pub fn read_only(&self) -> bool {
        self.health
            .get()
            .and_then(|h| h.ok())
            .is_some_and(|h| h.read_only)
    }

    /// True once the server said every action needs a reason (`serve --require-reason`).
    pub fn require_reason(&self) -> bool {
        self.health
            .get()
            .and_then(|h| h.ok())
            .is_some_and(|h| h.require_reason)
    }
}

/// Reads `/health`, again (debounced) when the stream reports changes or reconnects, so the
/// rollout count and a manual clock stay current; makes it available below.
pub fn provide_server_info(live: LiveStream) -> ServerInfo {
    let health = LocalResource::new(client::health);
    let clock = RwSignal::new(ServerClock::browser(Utc::now()));
    Effect::new(move |_| {
        if let Some(Ok(h)) = health.get() {
            clock.set(ServerClock::from_health(&h, Utc::now()));
        }
    });
    let pending = StoredValue::new(false);
    let reread = move || {
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        set_timeout(
            move || {
                pending.set_value(false);
                health.refetch();
            },
            HEALTH_REFRESH,
        );
    };
    follow(live, move |_| reread(), reread);
    // A manual clock moves only when someone advances it, and an advance that changes
    // nothing sends nothing on the stream: ask for the server's time every few seconds.
    let tick = RwSignal::new(Utc::now());
    let ticks = StoredValue::new(0u32);
    if let Ok(handle) = set_interval_with_handle(
        move || {
            tick.set(Utc::now());
            ticks.update_value(|t| *t += 1);
            // A quiet stream says nothing about a controller that stopped (or runs again):
            // read /health every 15 s anyway, every 3 s while it is stopped.
            let stopped = health
                .get_untracked()
                .and_then(|h| h.ok())
                .and_then(|h| h.tick)
                .is_some_and(|t| t.controller_error.is_some());
            let every = if clock.get_untracked().is_manual() || stopped {
                3
            } else {
                15
            };
            if ticks.get_value().is_multiple_of(every) {
                health.refetch();
            }
        },
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let now = Memo::new(move |_| clock.get().now(tick.get()));
    let info = ServerInfo {
        health,
        now: now.into(),
    };
    provide_context(info);
    info
}

/// The server's info and clock (provided by the app).
pub fn expect_server_info() -> ServerInfo {
    expect_context::<ServerInfo>()
}
