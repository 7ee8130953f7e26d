use crate::model::activity::{activity_line, newest_first, pruned_notice};
use crate::model::time::{format_exact, format_relative};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use rollout_api::RolloutDetail;

/// Who acted on this rollout, how and why, newest first ("Roll back by alice: canary error
/// rate 4 %"), with when; under it, how many older actions retention dropped, if any.
#[component]
pub fn ActivityList(
    /// The rollout shown.
    detail: Signal<RolloutDetail>,
    /// The current time (server clock), for "5m ago".
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let records = Memo::new(move |_| detail.with(|d| newest_first(&d.activity)));
    let items = move || {
        let now = now.get();
        records
            .get()
            .into_iter()
            .map(|r| {
                let line = activity_line(&r);
                view! {
                    <li class="activity__item">
                        <time
                            class="activity__time"
                            datetime=r.at.to_rfc3339()
                            title=format_exact(r.at)
                        >
                            {format_relative(r.at, now)}
                        </time>
                        <span class="activity__line">{line}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let pruned = move || {
        detail
            .with(|d| pruned_notice(d.activity_pruned, d.activity.len()))
            .map(|text| view! { <p class="activity__pruned muted">{text}</p> })
    };
    view! {
        <section class="activity" aria-labelledby="activity-title">
            <h2 class="activity__title" id="activity-title">
                "Activity"
            </h2>
            <Show
                when=move || records.with(|r| !r.is_empty())
                fallback=|| {
                    view! {
                        <p class="activity__empty muted">"No one has acted on this rollout."</p>
                    }
                }
            >
                <ul class="activity__list plain-list">{items}</ul>
            </Show>
            {pruned}
        </section>
    }
}
