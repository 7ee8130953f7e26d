//! `/rollouts/:id`: the detailed rollout page. Its data (the rollout, kept current by the live
//! stream, and the page state in the URL) is in `data.rs`; the page is the markup around it.

pub mod actions;
mod activity;
pub mod app_view;
pub mod banners;
mod data;
pub mod details_drawer;
pub mod header;
pub mod kubernetes;
mod not_loaded;
pub mod phases;
mod phases_panel;
pub mod summary_line;
pub mod verification;

use crate::context::server_info::expect_server_info;
use crate::dom::shell;
use crate::url;
use activity::ActivityList;
use app_view::ApplicationView;
use banners::RolloutBanners;
use data::{use_page_state, RolloutData};
use details_drawer::DetailsDrawer;
use header::RolloutHeader;
use kubernetes::KubernetesFigures;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use not_loaded::{NotLoaded, RolloutNotLoaded};
use phases_panel::PhasesPanel;
use rollout_api::RolloutDetail;
use summary_line::SummaryLine;

#[component]
pub fn RolloutPage() -> impl IntoView {
    let data = RolloutData::new();
    let page = use_page_state();
    // Durations and countdowns follow the server's clock.
    let now = expect_server_info().now;
    let definition = data.definition(page.details_open);
    let go_to = use_navigate();
    // An action may answer with another rollout (a retry starts a new one): go there.
    let on_done = Callback::new(move |d: RolloutDetail| {
        if d.id != data.id.get_untracked() {
            go_to(&url::rollout(&d.id), NavigateOptions::default());
        } else {
            data.known.set(Some(d));
        }
    });
    let on_retry = Callback::new(move |()| data.refetch());
    let ready = data.ready();
    let shown = data.shown();
    let id = Signal::derive(move || data.id.get());
    // The first load has ended (the rollout, not found, or failing): this page takes over from
    // the server's first screen of it.
    Effect::new(move |_| {
        if ready.get() || data.not_found.get() || data.failing_since.with(Option::is_some) {
            shell::reveal();
        }
    });

    move || {
        if data.not_found.get() {
            let state = NotLoaded::NotFound(data.id.get());
            return view! { <RolloutNotLoaded state=state on_retry=on_retry /> }.into_any();
        }
        if !ready.get() {
            let state = match data.failing_since.get() {
                Some((reason, _)) => NotLoaded::Failed(reason),
                None => NotLoaded::Loading,
            };
            return view! { <RolloutNotLoaded state=state on_retry=on_retry /> }.into_any();
        }
        view! {
            <div class="rollout-page">
                <RolloutHeader
                    detail=shown
                    now=now
                    on_details=page.open_details
                    details_open=page.details_open
                />
                <RolloutBanners banners=data.banners() now=now />
                <SummaryLine detail=shown />
                <KubernetesFigures info=Signal::derive(move || {
                    shown.with(|d| d.kubernetes.clone())
                }) />
                <PhasesPanel
                    detail=shown
                    now=now
                    hidden=page.phases_hidden
                    on_toggle=page.toggle_phases
                    on_done=on_done
                />
                <ActivityList detail=shown now=now />
                <ApplicationView rollout_id=id />
                <DetailsDrawer
                    open=page.details_open
                    on_close=page.close_details
                    definition=definition
                    names=data.names()
                />
            </div>
        }
        .into_any()
    }
}
