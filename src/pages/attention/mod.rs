//! `/attention`: one queue, across clusters and namespaces, of everything waiting for a person —
//! why it is here, how long it has waited, and a link to act. Live from the fleet context.

mod list;

pub use list::AttentionList;

use crate::components::banner::Banner;
use crate::context::fleet::{expect_fleet, FleetLoad};
use leptos::prelude::*;

#[component]
pub fn AttentionPage() -> impl IntoView {
    let fleet = expect_fleet();
    let items = fleet.attention;
    let count = move || match items.with(Vec::len) {
        0 => "Nothing waiting".to_string(),
        1 => "1 item waiting, longest first".to_string(),
        n => format!("{n} items waiting, longest first"),
    };
    let problem = move || {
        match fleet.load.get() {
        FleetLoad::Failed(e) => Some(view! {
            <Banner tone="danger" alert=true title=format!("The inbox could not be refreshed: {e}")>
                <button type="button" class="btn" on:click=move |_| fleet.reload()>
                    "Retry"
                </button>
            </Banner>
        }.into_any()),
        _ if !fleet.unread.with(|u| u.is_empty()) => Some(view! {
            <Banner
                tone="attention"
                title="Some rollouts could not be read: the inbox may miss them"
            >
                <button type="button" class="btn" on:click=move |_| fleet.reload()>
                    "Read again"
                </button>
            </Banner>
        }.into_any()),
        _ => None,
    }
    };
    view! {
        <section class="attention" aria-labelledby="attention-title">
            <header class="rollouts__head">
                <h1 class="page__title rollouts__title" id="attention-title">
                    "Attention"
                </h1>
                <p class="rollouts__count" aria-live="polite">
                    {count}
                </p>
            </header>
            {problem}
            <Show
                when=move || fleet.load.get() != FleetLoad::Loading
                fallback=|| {
                    view! {
                        <p class="list-state" role="status">
                            "Loading…"
                        </p>
                    }
                }
            >
                <AttentionList
                    items=items
                    empty="Nothing needs you. Paused rollouts, invalid specs, Degraded workloads, verifications without data and silent operators show up here."
                />
            </Show>
        </section>
    }
}
