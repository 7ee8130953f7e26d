//! The bar at the top of every page: the console's name, the main navigation (with the count of
//! what waits in the attention inbox), the engine it talks to and whether live updates flow.

use crate::components::live_indicator::LiveIndicator;
use crate::components::theme_select::ThemeSelect;
use crate::context::fleet::expect_fleet;
use crate::context::palette::expect_palette;
use crate::context::server_info::expect_server_info;
use crate::model::kubernetes::source_badge;
use leptos::prelude::*;
use leptos_router::components::A;

/// Brand link, main navigation, the server badge and the live indicator.
#[component]
pub fn TopBar() -> impl IntoView {
    let fleet = expect_fleet();
    let waiting = Memo::new(move |_| fleet.attention.with(Vec::len));
    let palette = expect_palette();
    view! {
        <header class="topbar">
            <A href="/rollouts" attr:class="topbar__brand">
                <span class="topbar__logo" aria-hidden="true"></span>
                "Rollout Console"
            </A>
            <nav class="topbar__nav" aria-label="Main">
                <A href="/rollouts">"Rollouts"</A>
                <A href="/workloads">"Workloads"</A>
                <A href="/clusters">"Clusters"</A>
                <A href="/attention">
                    "Attention"
                    <span
                        class="topbar__count"
                        class=("topbar__count--none", move || waiting.get() == 0)
                    >
                        <span class="visually-hidden">" ("</span>
                        {move || waiting.get()}
                        <span class="visually-hidden">" waiting)"</span>
                    </span>
                </A>
                <A href="/audit">"Audit"</A>
                <A href="/apply">"Apply"</A>
            </nav>
            <div class="topbar__right">
                <button
                    type="button"
                    class="btn topbar__palette"
                    aria-haspopup="dialog"
                    aria-keyshortcuts="Control+K Meta+K"
                    on:click=move |_| palette.open.set(true)
                >
                    "Go to…"
                    <kbd class="topbar__kbd">"Ctrl K"</kbd>
                </button>
                <ThemeSelect />
                <ServerBadge />
                <LiveIndicator />
            </div>
        </header>
    }
}

/// What serves the console (the engine and its version, or a snapshot) as the server reports it: the first thing the console reads.
#[component]
fn ServerBadge() -> impl IntoView {
    let info = expect_server_info();
    move || match info.health.get() {
        None => view! { <span class="topbar__server">"Connecting…"</span> }.into_any(),
        Some(Ok(h)) => {
            let text = source_badge(&h);
            view! {
                <span class="topbar__server" title="What serves this console">
                    {text}
                </span>
            }
            .into_any()
        }
        Some(Err(e)) => {
            let text = format!("API unreachable: {e}");
            view! { <span class="topbar__server topbar__server--down">{text}</span> }.into_any()
        }
    }
}
