//! A workload's recent rollouts: duration per rollout as bars coloured and labelled by outcome,
//! with the median line; a bar opens its rollout. The numbers are the table beside it (the
//! workload page's "Recent rollouts").

use crate::components::chart_figure::ChartFigure;
use crate::model::chart::trend::{trend, Trend};
use crate::model::time::format_duration;
use crate::url;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use rollout_api::RolloutSummary;

const W: f64 = 1000.0;
const H: f64 = 220.0;

/// Bars of the last `limit` rollouts of a workload.
#[component]
pub fn TrendChart(
    /// The workload's rollouts, any order.
    #[prop(into)]
    rollouts: Signal<Vec<RolloutSummary>>,
    /// The current time (server clock), for running rollouts.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
    /// How many recent rollouts to draw.
    #[prop(default = 20)]
    limit: usize,
) -> impl IntoView {
    let t = Memo::new(move |_| rollouts.with(|r| trend(r, now.get(), limit, W, H)));
    let navigate = use_navigate();
    let name = move || {
        t.with(|t| {
            let median = t
                .median
                .map(|(_, s)| format!(", median {}", format_duration(s)))
                .unwrap_or_default();
            format!("Duration of the last {} rollouts{median}", t.bars.len())
        })
    };
    view! {
        <ChartFigure title="Duration by rollout" id="trend" class="chart--trend">
            <svg class="chart__svg" viewBox=format!("0 0 {W} {H}") role="img" aria-label=name>
                {move || {
                    let navigate = navigate.clone();
                    t.with(|t| draw(t, navigate))
                }}
            </svg>
        </ChartFigure>
    }
}

fn draw(
    t: &Trend,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static,
) -> impl IntoView {
    let f = t.frame;
    view! {
        {t
            .y_ticks
            .iter()
            .map(|tk| {
                view! {
                    <line class="chart__grid" x1=f.left x2=f.right y1=tk.pos y2=tk.pos></line>
                    <text class="chart__tick" x=f.left - 6.0 y=tk.pos + 4.0 text-anchor="end">
                        {tk.label.clone()}
                    </text>
                }
            })
            .collect_view()}
        <line class="chart__axis" x1=f.left x2=f.right y1=f.bottom y2=f.bottom></line>
        {t
            .bars
            .iter()
            .map(|b| {
                let href = url::rollout(&b.id);
                let navigate = navigate.clone();
                view! {
                    <rect
                        class=format!("chart__bar dp--{}", b.modifier)
                        x=b.x
                        y=b.y
                        width=b.width
                        height=b.height
                        on:click=move |_| navigate(&href, Default::default())
                    >
                        <title>{b.label.clone()}</title>
                    </rect>
                    <text
                        class="chart__tick chart__bar-label"
                        x=b.x + b.width / 2.0
                        y=f.bottom + 14.0
                        text-anchor="middle"
                    >
                        {b.outcome_mark}
                    </text>
                }
            })
            .collect_view()}
        {t
            .median
            .map(|(y, s)| {
                view! {
                    <line class="chart__median" x1=f.left x2=f.right y1=y y2=y></line>
                    <text
                        class="chart__threshold-label"
                        x=f.right - 2.0
                        y=y - 4.0
                        text-anchor="end"
                    >
                        {format!("median {}", format_duration(s))}
                    </text>
                }
            })}
    }
}
