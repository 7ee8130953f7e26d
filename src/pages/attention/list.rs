//! A list of attention items: reason, subject and place, why, how long it has waited, and the
//! link to act. Used by the Attention page and by the Detailed Workload page.

use crate::context::server_info::expect_server_info;
use crate::model::attention::AttentionItem;
use crate::model::time::format_exact;
use leptos::prelude::*;

#[component]
pub fn AttentionList(
    /// The items, in order.
    #[prop(into)]
    items: Signal<Vec<AttentionItem>>,
    /// What to say when there is none.
    empty: &'static str,
) -> impl IntoView {
    let now = expect_server_info().now;
    let item = move |it: AttentionItem| {
        let since = it.since;
        let waited = {
            let it = it.clone();
            move || it.waited(now.get())
        };
        let label = format!("{}: {}", it.action, it.subject);
        view! {
            <li class="attention__item">
                <span class=format!(
                    "attention__reason badge badge--{}",
                    it.reason.modifier(),
                )>{it.reason.label()}</span>
                <div class="attention__body">
                    <p class="attention__subject">
                        <strong>{it.subject.clone()}</strong>
                        <span class="muted">{format!(" · {}", it.place)}</span>
                    </p>
                    <p class="attention__why">{it.why.clone()}</p>
                </div>
                <span
                    class="attention__age"
                    title=since.map(|t| format!("since {}", format_exact(t))).unwrap_or_default()
                >
                    {waited}
                </span>
                <a class="btn attention__act" href=it.href.clone() aria-label=label>
                    {it.action}
                </a>
            </li>
        }
    };
    view! {
        <Show
            when=move || items.with(|i| !i.is_empty())
            fallback=move || {
                view! {
                    <p class="attention__empty" role="status">
                        {empty}
                    </p>
                }
            }
        >
            <ul class="attention__list">
                <For each=move || items.get() key=AttentionItem::key children=item />
            </ul>
        </Show>
    }
}
