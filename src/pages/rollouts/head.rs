//! The top of the rollouts page: its title, how many rollouts are shown, and the keys.

use super::data::{ListView, Load};
use crate::model::list::count_text;
use leptos::prelude::*;

/// "Rollouts", "12 of 52 rollouts in the last 7 days · refreshing…", and the keyboard hints.
#[component]
pub fn ListHead(
    /// The list on the page.
    list: ListView,
    /// Id of the title (it names the page's section and the table).
    title_id: &'static str,
) -> impl IntoView {
    let (rows, load) = (list.data.rows, list.data.load);
    let count = move || {
        let shown = list.visible.with(|v| v.len());
        count_text(shown, rows.with(|r| r.len()), list.query.with(|q| q.range))
    };
    let refreshing =
        move || matches!(load.get(), Load::Loading { .. }) && rows.with(|r| !r.is_empty());
    view! {
        <header class="rollouts__head">
            <h1 class="page__title rollouts__title" id=title_id>
                "Rollouts"
            </h1>
            <p class="rollouts__count" aria-live="polite">
                {count}
                <Show when=refreshing>
                    <span class="rollouts__refreshing">" · refreshing…"</span>
                </Show>
            </p>
            <p class="rollouts__keys muted" aria-hidden="true">
                <kbd>"/"</kbd>
                " search · "
                <kbd>"↑"</kbd>
                <kbd>"↓"</kbd>
                " rows · "
                <kbd>"Enter"</kbd>
                " open"
            </p>
        </header>
    }
}
