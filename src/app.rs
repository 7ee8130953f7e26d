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
use leptos::wasm_split::wasm_split;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy, LazyRoute};

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
                    <Route path=path!("/rollouts/:id") view=lazy(RolloutPageRoute) />
                    <Route path=path!("/workloads") view=lazy(WorkloadsPageRoute) />
                    <Route
                        path=path!("/workloads/:cluster/:namespace/:name")
                        view=lazy(WorkloadPageRoute)
                    />
                    <Route path=path!("/clusters") view=lazy(ClustersPageRoute) />
                    <Route path=path!("/clusters/:id/events") view=lazy(ClusterEventsPageRoute) />
                    <Route path=path!("/attention") view=lazy(AttentionPageRoute) />
                    <Route path=path!("/audit") view=lazy(AuditPageRoute) />
                    <Route path=path!("/apply") view=lazy(ApplyPageRoute) />
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

/// Every page but the rollouts list (the page most people open first, with the shell and the
/// router) is in a lazy part of the wasm, run on the first visit: the rollout page in one part,
/// the other pages together in another (scripts/wasm-split/ builds them; code both use goes to
/// a third). The page loader fetches the part of the page opened alongside the main wasm, and
/// the rollout page's a little after start (scripts/post-build.mjs): the parts' names and which
/// pages they hold are known there too.
///
/// `lazy_page!(Route, Page, part, load, preload)` makes `Route` show `Page` from the wasm part
/// `part`; `load` and `preload` name its loaders (the router runs `preload` before the page).
macro_rules! lazy_page {
    ($route:ident, $page:ident, $part:ident, $load:ident, $preload:ident) => {
        struct $route;
        #[wasm_split($part, wasm_split_path = ::leptos::wasm_split, preload($preload))]
        fn $load() -> AnyView {
            shell::part_loaded();
            view! { <$page /> }.into_any()
        }
        impl LazyRoute for $route {
            fn data() -> Self {
                shell::part_pending();
                Self
            }
            async fn view(_this: Self) -> AnyView {
                $load().await
            }
            async fn preload() {
                $preload().await
            }
        }
    };
}
/// The route view of a lazy page, named by its unit struct.
fn lazy<T: LazyRoute>(_route: T) -> Lazy<T> {
    Lazy::new()
}

lazy_page!(
    RolloutPageRoute,
    RolloutPage,
    rollout,
    load_rollout,
    preload_rollout
);
lazy_page!(
    WorkloadsPageRoute,
    WorkloadsPage,
    pages,
    load_workloads,
    preload_workloads
);
lazy_page!(
    WorkloadPageRoute,
    WorkloadPage,
    pages,
    load_workload,
    preload_workload
);
lazy_page!(
    ClustersPageRoute,
    ClustersPage,
    pages,
    load_clusters,
    preload_clusters
);
lazy_page!(
    ClusterEventsPageRoute,
    ClusterEventsPage,
    pages,
    load_cluster_events,
    preload_cluster_events
);
lazy_page!(
    AttentionPageRoute,
    AttentionPage,
    pages,
    load_attention,
    preload_attention
);
lazy_page!(AuditPageRoute, AuditPage, pages, load_audit, preload_audit);
lazy_page!(ApplyPageRoute, ApplyPage, pages, load_apply, preload_apply);
