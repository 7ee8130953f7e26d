//! Router table, top bar and the app-wide contexts.

use crate::api::{self, stream::LiveStream};
use crate::components::live_indicator::LiveIndicator;
use crate::model::server_clock::ServerClock;
use crate::pages::{not_found::NotFound, rollout::RolloutPage, rollouts::RolloutsPage};
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::path;
use rollout_api::Timestamp;
use std::time::Duration;

#[component]
pub fn App() -> impl IntoView {
    let live = LiveStream::start();
    provide_context(live);
    provide_context(ServerInfo::start(live));
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="topbar">
                <A href="/rollouts" attr:class="topbar__brand">
                    <span class="topbar__logo" aria-hidden="true"></span>
                    "Rollout Console"
                </A>
                <nav class="topbar__nav" aria-label="Main">
                    <A href="/rollouts">"Rollouts"</A>
                </nav>
                <div class="topbar__right">
                    <ServerBadge/>
                    <LiveIndicator/>
                </div>
            </header>
            <main id="main" class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/rollouts"/> }/>
                    <Route path=path!("/rollouts") view=RolloutsPage/>
                    <Route path=path!("/rollouts/:id") view=RolloutPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// What the server said about itself (`/api/v1/health`): version, read-only, auth, and its
/// clock, which every duration and countdown on screen follows.
#[derive(Clone, Copy)]
pub struct ServerInfo {
    pub health: LocalResource<Result<rollout_api::Health, api::client::ApiError>>,
    /// The server's now, ticking every second (standing still under a manual clock).
    pub now: Signal<Timestamp>,
}

/// How long stream activity waits before `/health` is read again: a busy stream costs one
/// small request every 5 s at most (a real clock needs no re-reading; the count does).
const HEALTH_REFRESH: Duration = Duration::from_secs(5);

impl ServerInfo {
    /// Reads `/health`, again after a reconnect and (debounced) when the stream reports
    /// changes, so the rollout count and a manual clock stay current.
    fn start(live: LiveStream) -> ServerInfo {
        let health = LocalResource::new(api::client::health);
        let clock = RwSignal::new(ServerClock::browser(Utc::now()));
        Effect::new(move |_| {
            if let Some(Ok(h)) = health.get() {
                clock.set(ServerClock::from_health(&h, Utc::now()));
            }
        });
        let pending = StoredValue::new(false);
        Effect::new(move |prev: Option<()>| {
            live.version.track();
            live.reconnects.track();
            if prev.is_none() || pending.get_value() {
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
        });
        // A manual clock moves only when someone advances it, and an advance that changes
        // nothing sends nothing on the stream: ask for the server's time every few seconds.
        let tick = RwSignal::new(Utc::now());
        let ticks = StoredValue::new(0u32);
        if let Ok(handle) = set_interval_with_handle(
            move || {
                tick.set(Utc::now());
                ticks.update_value(|t| *t += 1);
                if clock.get_untracked().is_manual() && ticks.get_value().is_multiple_of(3) {
                    health.refetch();
                }
            },
            Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
        let now = Memo::new(move |_| clock.get().now(tick.get()));
        ServerInfo {
            health,
            now: now.into(),
        }
    }

    /// True once the server said it refuses mutations.
    pub fn read_only(&self) -> bool {
        self.health
            .get()
            .and_then(|h| h.ok())
            .is_some_and(|h| h.read_only)
    }
}

pub fn expect_server_info() -> ServerInfo {
    expect_context::<ServerInfo>()
}

/// The engine's version as the server reports it: the first thing the console reads.
#[component]
fn ServerBadge() -> impl IntoView {
    let info = expect_server_info();
    move || {
        match info.health.get() {
        None => view! { <span class="topbar__server">"Connecting…"</span> }.into_any(),
        Some(Ok(h)) => {
            let mode = if h.read_only { " · read-only" } else { "" };
            view! {
                <span class="topbar__server" title="Rollout engine serving this console">
                    {format!("engine {} · {} rollouts{mode}", h.version, h.rollouts)}
                </span>
            }
            .into_any()
        }
        Some(Err(e)) => view! {
            <span class="topbar__server topbar__server--down">{format!("API unreachable: {e}")}</span>
        }
        .into_any(),
    }
    }
}
