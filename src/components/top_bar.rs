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
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast as _;

/// Scrolls the bar (when it is wider than the screen) so the current page's link shows.
fn current_link_in_view(bar: NodeRef<leptos::html::Header>) {
    let Some(bar) = bar.get_untracked() else {
        return;
    };
    if bar.scroll_width() <= bar.client_width() {
        return;
    }
    let Some(link) = bar
        .query_selector(".topbar__nav a[aria-current=\"page\"]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    // The bar is sticky, so it is the links' offset parent.
    let (left, right) = (link.offset_left(), link.offset_left() + link.offset_width());
    let (shown_from, width) = (bar.scroll_left(), bar.client_width());
    if left < shown_from || right > shown_from + width {
        bar.set_scroll_left((left - 16).max(0));
    }
}

/// Brand link, main navigation, the server badge and the live indicator.
#[component]
pub fn TopBar() -> impl IntoView {
    let fleet = expect_fleet();
    let waiting = Memo::new(move |_| fleet.attention.with(Vec::len));
    let palette = expect_palette();
    let bar = NodeRef::<leptos::html::Header>::new();
    // On a narrow screen the bar scrolls sideways: the current page's link is kept in view.
    let path = use_location().pathname;
    Effect::new(move |_| {
        path.track();
        // Once the links have taken the new page's `aria-current`.
        request_animation_frame(move || current_link_in_view(bar));
    });
    view! {
        <header class="topbar" node_ref=bar>
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
