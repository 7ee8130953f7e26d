//! The route table, under the top bar, with the app-wide contexts provided first.

use crate::components::command_palette::CommandPalette;
use crate::components::controller_banner::ControllerBanner;
use crate::components::snapshot_banner::SnapshotBanner;
use crate::components::top_bar::TopBar;
use crate::context::{
    fleet::provide_fleet, live::provide_live, palette::provide_palette,
    server_info::provide_server_info,
};
use crate::dom::shell;
use crate::pages::{
    apply::ApplyPage,
    attention::AttentionPage,
    audit::AuditPage,
    clusters::{ClusterEventsPage, ClustersPage},
    not_found::NotFound,
    rollout::RolloutPage,
    rollouts::RolloutsPage,
    workload::WorkloadPage,
    workloads::WorkloadsPage,
};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let live = provide_live();
    provide_server_info(live);
    provide_fleet(live);
    provide_palette();
    view! {
        <Router>
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            <TopBar />
            <HandOverOnNavigation />
            <CommandPalette />
            <main id="main" class="page">
                <ControllerBanner />
                <SnapshotBanner />
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/rollouts" /> } />
                    <Route path=path!("/rollouts") view=RolloutsPage />
                    <Route path=path!("/rollouts/:id") view=RolloutPage />
                    <Route path=path!("/workloads") view=WorkloadsPage />
                    <Route path=path!("/workloads/:cluster/:namespace/:name") view=WorkloadPage />
                    <Route path=path!("/clusters") view=ClustersPage />
                    <Route path=path!("/clusters/:id/events") view=ClusterEventsPage />
                    <Route path=path!("/attention") view=AttentionPage />
                    <Route path=path!("/audit") view=AuditPage />
                    <Route path=path!("/apply") view=ApplyPage />
                </Routes>
            </main>
        </Router>
    }
}

/// Going to another page while the server's first screen still stands in for this one (a link
/// in it, the palette, back) hands over to the app at once: the shell shows only the page it
/// was made for.
#[component]
fn HandOverOnNavigation() -> impl IntoView {
    let path = use_location().pathname;
    Effect::new(move |before: Option<String>| {
        let now = path.get();
        if before.is_some_and(|b| b != now) {
            shell::reveal();
            // What was typed into the first screen's form was for the page left behind.
            shell::take_carried();
        }
        now
    });
}
