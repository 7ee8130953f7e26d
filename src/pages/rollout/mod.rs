//! `/rollouts/:id`: the detailed rollout page. Owns the rollout's data (refetched when the live
//! stream says it changed, or after a reconnect), the clock for durations and countdowns, and
//! the page state kept in the URL (`?phases=hidden`, `?details=1`).

pub mod actions;
pub mod app_view;
pub mod banners;
pub mod details_drawer;
pub mod header;
pub mod phases;
pub mod summary_line;
pub mod verification;

use crate::api::client::{self, ApiError};
use crate::api::follow::follow;
use crate::api::stream::LiveStatus;
use crate::components::collapsible::CollapseToggle;
use crate::context::live::expect_live;
use crate::context::server_info::expect_server_info;
use crate::model::rollout_view::{banners, unreachable_banner};
use crate::url::{self, use_query_writer, with_key};
use actions::RolloutActions;
use app_view::ApplicationView;
use banners::RolloutBanners;
use chrono::{DateTime, Utc};
use details_drawer::DetailsDrawer;
use header::RolloutHeader;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use phases::PhasesList;
use rollout_api::{RolloutDetail, StreamMessage};
use std::time::Duration;
use summary_line::SummaryLine;

type Fetched = Result<RolloutDetail, ApiError>;

#[component]
pub fn RolloutPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let location = use_location();
    let go_to = use_navigate();
    let live = expect_live();

    // Durations and countdowns follow the server's clock.
    let now = expect_server_info().now;

    let detail: LocalResource<Fetched> = LocalResource::new(move || {
        let id = id.get();
        async move { client::rollout(&id).await }
    });
    // The last rollout the server gave (kept on screen while it cannot be reached).
    let known = RwSignal::new(None::<RolloutDetail>);
    let failing_since = RwSignal::new(None::<(String, DateTime<Utc>)>);
    let not_found = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(result) = detail.get() else {
            return;
        };
        match result {
            Ok(d) => {
                known.set(Some(d));
                // Only when they change: the page's outer view reads both, and a needless
                // notification would rebuild the whole page (closing the open dialog, menu and
                // details, dropping focus) on every live update.
                if failing_since.with_untracked(Option::is_some) {
                    failing_since.set(None);
                }
                if not_found.get_untracked() {
                    not_found.set(false);
                }
            }
            Err(e) if e.is_not_found() => {
                if !not_found.get_untracked() {
                    not_found.set(true);
                }
            }
            Err(e) => failing_since.update(|f| {
                if f.is_none() {
                    *f = Some((format!("The server could not be read ({e})"), Utc::now()));
                }
            }),
        }
    });

    // Live updates: refetch when this rollout (or its cluster) changed, or after a gap.
    follow(
        live,
        move |messages| {
            let id = id.get_untracked();
            let cluster = known.with_untracked(|k| k.as_ref().map(|d| d.cluster_id.clone()));
            let concerns_us = messages.iter().any(|m| match m {
                StreamMessage::Rollout { rollout } => rollout.id == id,
                StreamMessage::Cluster { cluster: c } => Some(&c.id) == cluster.as_ref(),
                StreamMessage::Resync | StreamMessage::Event { .. } => false,
            });
            if concerns_us {
                detail.refetch();
            }
        },
        move || detail.refetch(),
    );
    // Since when live updates are off (the banner says so).
    let offline_since = RwSignal::new(None::<DateTime<Utc>>);
    Effect::new(move |_| match live.status.get() {
        LiveStatus::Live | LiveStatus::Connecting => offline_since.set(None),
        _ => offline_since.update(|s| {
            s.get_or_insert_with(Utc::now);
        }),
    });
    // While the stream is down, poll every 10 s.
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let down =
                offline_since.get_untracked().is_some() || failing_since.get_untracked().is_some();
            if down {
                detail.refetch();
            }
        },
        Duration::from_secs(10),
    ) {
        on_cleanup(move || handle.clear());
    }

    // Page state in the URL.
    let query_flag = move |key: &'static str, value: &'static str| {
        Memo::new(move |_| location.query.read().get(key).as_deref() == Some(value))
    };
    let phases_hidden = query_flag("phases", "hidden");
    let details_open = query_flag("details", "1");
    let write_query = use_query_writer();
    let set_query = move |key: &'static str, value: Option<&'static str>| {
        write_query(&|pairs| with_key(&pairs, key, value));
    };
    let set_query = StoredValue::new(set_query);
    let toggle_phases = Callback::new(move |_| {
        let hide = !phases_hidden.get_untracked();
        set_query.with_value(|f| f("phases", hide.then_some("hidden")));
    });
    let open_details = Callback::new(move |_| set_query.with_value(|f| f("details", Some("1"))));
    let close_details = Callback::new(move |_| set_query.with_value(|f| f("details", None)));

    let definition = LocalResource::new(move || {
        let (open, id) = (details_open.get(), id.get());
        async move {
            if open {
                Some(client::definition(&id).await)
            } else {
                None
            }
        }
    });

    let on_done = Callback::new(move |d: RolloutDetail| {
        if d.id != id.get_untracked() {
            go_to(&url::rollout(&d.id), NavigateOptions::default());
        } else {
            known.set(Some(d));
        }
    });

    let ready = Memo::new(move |_| known.with(|k| k.as_ref().is_some_and(|d| d.id == id.get())));
    let shown = Signal::derive(move || known.get().expect("shown only once known"));
    let all_banners = Signal::derive(move || {
        let mut out = Vec::new();
        if let Some((reason, since)) = failing_since.get() {
            out.push(unreachable_banner(&reason, since));
        } else if let Some(since) = offline_since.get() {
            out.push(unreachable_banner(
                "Live updates from the server are off",
                since,
            ));
        }
        out.extend(known.with(|k| k.as_ref().map(banners).unwrap_or_default()));
        out
    });
    let names = Signal::derive(move || {
        known.with(|k| {
            k.as_ref()
                .map(|d| (d.strategy_name.clone(), d.rollout_spec.clone()))
                .unwrap_or_default()
        })
    });

    move || {
        if not_found.get() {
            return view! {
                <section class="empty-state" aria-labelledby="rollout-nf">
                    <h1 id="rollout-nf">"Rollout not found"</h1>
                    <p>{format!("There is no rollout with the ID {}. It may have been mistyped, or the link is old.", id.get())}</p>
                    <A href=url::ROLLOUTS>"Go to the rollouts list"</A>
                </section>
            }
            .into_any();
        }
        if !ready.get() {
            return match failing_since.get() {
                Some((reason, _)) => view! {
                    <section class="empty-state">
                        <h1>"The rollout could not be loaded"</h1>
                        <p role="alert">{reason}</p>
                        <button type="button" class="btn" on:click=move |_| detail.refetch()>"Try again"</button>
                    </section>
                }
                .into_any(),
                None => view! { <p class="muted rollout-loading" role="status">"Loading rollout…"</p> }.into_any(),
            };
        }
        view! {
            <div class="rollout-page">
                <RolloutHeader detail=shown now=now on_details=open_details details_open=details_open/>
                <RolloutBanners banners=all_banners now=now/>
                <SummaryLine detail=shown/>
                <section class="phases-panel" class:phases-panel--collapsed=phases_hidden aria-labelledby="phases-title">
                    <div class="phases-panel__bar">
                        <h2 id="phases-title" class="phases-panel__title">"Rollout phases"</h2>
                        <span class="phases-panel__count muted">
                            {move || shown.with(|d| format!("{} phases · failure policy {}", d.phases.len(), d.failure_policy))}
                        </span>
                        <div class="phases-panel__tools">
                            <RolloutActions detail=shown on_done=on_done/>
                            <CollapseToggle
                                expanded=Signal::derive(move || !phases_hidden.get())
                                controls="phases-body"
                                label="Rollout phases"
                                on_toggle=toggle_phases
                            />
                        </div>
                    </div>
                    <div id="phases-body" class="phases-panel__body" hidden=phases_hidden>
                        <PhasesList detail=shown now=now/>
                    </div>
                </section>
                <ApplicationView rollout_id=Signal::derive(move || id.get())/>
                <DetailsDrawer open=details_open on_close=close_details definition=definition names=names/>
            </div>
        }
        .into_any()
    }
}
