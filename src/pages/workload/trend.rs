//! The trend of the workload's recent rollouts: one sentence, the duration-by-rollout chart,
//! then duration and outcome per rollout as a table, oldest first.

use crate::api::client::ApiError;
use crate::components::status_icon::tone_modifier;
use crate::components::trend_chart::TrendChart;
use crate::context::server_info::expect_server_info;
use crate::model::time::{format_exact, format_short};
use crate::model::trend::{trend_rows, trend_sentence, TrendRow};
use crate::url;
use leptos::prelude::*;
use rollout_api::RolloutSummary;

#[component]
pub fn RolloutTrend(
    /// The newest rollouts of the workload, newest first (None while loading).
    trend: RwSignal<Option<Result<Vec<RolloutSummary>, ApiError>>>,
) -> impl IntoView {
    let now = expect_server_info().now;
    let rows = Memo::new(move |_| {
        trend.with(|t| match t {
            Some(Ok(items)) => trend_rows(items, now.get()),
            _ => Vec::new(),
        })
    });
    let items = Signal::derive(move || {
        trend.with(|t| match t {
            Some(Ok(items)) => items.clone(),
            _ => Vec::new(),
        })
    });
    let sentence = move || match trend.get() {
        None => "Loading its rollouts…".to_string(),
        Some(Err(e)) => format!("Its rollouts could not be loaded: {e}"),
        Some(Ok(items)) => trend_sentence(&items),
    };
    let row = |r: TrendRow| {
        view! {
            <tr>
                <td title=format_exact(r.start)>{format_short(r.start)}</td>
                <td class="revisions__num">{r.revision}</td>
                <td>
                    <span class=format!(
                        "badge badge--{}",
                        tone_modifier(r.group.tone()),
                    )>{r.outcome}</span>
                </td>
                <td>{r.reason.unwrap_or("")}</td>
                <td class="revisions__num" class=("trend__running", r.running)>
                    {r.duration}
                </td>
                <td>
                    <a href=url::rollout(&r.id) class="mono">
                        {r.id.clone()}
                    </a>
                </td>
            </tr>
        }
    };
    view! {
        <section class="workload__section" aria-labelledby="trend-title">
            <h2 class="workload__heading" id="trend-title">
                "Recent rollouts"
            </h2>
            <p class="workload__trend-summary" aria-live="polite">
                {sentence}
            </p>
            <Show when=move || rows.with(|r| !r.is_empty())>
                <TrendChart rollouts=items now=now />
                <div class="workload__table-wrap">
                    <table class="data-table" aria-labelledby="trend-title">
                        <thead>
                            <tr>
                                <th scope="col">"Started"</th>
                                <th scope="col">"Revision"</th>
                                <th scope="col">"Outcome"</th>
                                <th scope="col">"Rolled back by"</th>
                                <th scope="col">"Duration"</th>
                                <th scope="col">"Rollout"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|r| (r.id.clone(), r.outcome, r.duration.clone())
                                children=row
                            />
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
