//! The canary weight over the rollout's time: steps as they happened, pauses shaded, verification
//! spans with their outcome, actions and failures marked, "now", and the steps to come dashed.

use crate::components::chart_figure::ChartFigure;
use crate::model::chart::timeline::{timeline, MarkKind, Timeline};
use crate::model::phase_view::clock_time;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use rollout_api::RolloutDetail;

const W: f64 = 1100.0;
const H: f64 = 220.0;

/// The traffic-weight timeline of a rollout, live.
#[component]
pub fn TrafficTimeline(
    /// The rollout shown.
    #[prop(into)]
    detail: Signal<RolloutDetail>,
    /// The current time (server clock): "now" moves with it.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let t = Memo::new(move |_| detail.with(|d| timeline(d, now.get(), W, H)));
    let name = move || {
        detail.with(|d| {
            let weights: Vec<String> = d
                .phases
                .iter()
                .map(|p| format!("{}%", p.traffic_percentage))
                .collect();
            format!(
                "{} over time: steps {}; {} pause(s), {} action(s)",
                t.with(|t| t.y_title),
                weights.join(", "),
                t.with(|t| t.pauses.len()),
                d.activity.len()
            )
        })
    };
    let table = ViewFn::from(move || t.with(data_table));
    view! {
        <ChartFigure
            title=t.with_untracked(|t| t.y_title)
            id="timeline"
            class="chart--timeline"
            table=Some(table)
        >
            <svg class="chart__svg" viewBox=format!("0 0 {W} {H}") role="img" aria-label=name>
                {move || t.with(draw)}
            </svg>
            <ul class="chart__legend" aria-hidden="true">
                <li>
                    <span class="chart__key chart__key--weight"></span>
                    "weight"
                </li>
                <li>
                    <span class="chart__key chart__key--planned"></span>
                    "planned"
                </li>
                <li>
                    <span class="chart__key chart__key--window"></span>
                    "paused (window)"
                </li>
                <li>
                    <span class="chart__key chart__key--indefinite"></span>
                    "paused until someone acts"
                </li>
                <li>
                    <span class="chart__key chart__key--action">"▲"</span>
                    "action"
                </li>
                <li>
                    <span class="chart__key chart__key--failure">"✕"</span>
                    "failure"
                </li>
            </ul>
        </ChartFigure>
    }
}

fn draw(t: &Timeline) -> impl IntoView {
    let f = t.frame;
    view! {
        {t
            .pauses
            .iter()
            .map(|s| {
                view! {
                    <rect
                        class=format!("chart__pause chart__pause--{}", s.modifier)
                        x=s.x0
                        y=f.top
                        width=(s.x1 - s.x0).max(2.0)
                        height=f.bottom - f.top
                    >
                        <title>{s.label.clone()}</title>
                    </rect>
                }
            })
            .collect_view()}
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
        {t
            .x_ticks
            .iter()
            .map(|tk| {
                view! {
                    <text class="chart__tick" x=tk.pos y=f.bottom + 16.0 text-anchor="middle">
                        {tk.label.clone()}
                    </text>
                }
            })
            .collect_view()}
        <line class="chart__axis" x1=f.left x2=f.right y1=f.bottom y2=f.bottom></line>
        {t
            .verifications
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let y = f.bottom - 4.0 - (i % 3) as f64 * 5.0;
                view! {
                    <line
                        class=format!("chart__span dp--{}", s.modifier)
                        x1=s.x0
                        x2=s.x1.max(s.x0 + 2.0)
                        y1=y
                        y2=y
                    >
                        <title>{s.label.clone()}</title>
                    </line>
                }
            })
            .collect_view()}
        <path class="chart__weight" d=t.path.clone() fill="none"></path>
        {(!t.planned.is_empty())
            .then(|| {
                view! { <path class="chart__planned" d=t.planned.clone() fill="none"></path> }
            })}
        {t
            .now
            .map(|x| {
                view! {
                    <line class="chart__now" x1=x x2=x y1=f.top y2=f.bottom></line>
                    <text
                        class="chart__tick chart__now-label"
                        x=x + 3.0
                        y=f.bottom - 4.0
                        text-anchor="start"
                    >
                        "now"
                    </text>
                }
            })}
        {t
            .marks
            .iter()
            .map(|m| {
                let (class, d) = match m.kind {
                    MarkKind::Action => {
                        (
                            "chart__mark chart__mark--action",
                            format!("M{:.1},{:.1} l5,8 h-10 Z", m.x, f.top - 2.0),
                        )
                    }
                    MarkKind::Failure => {
                        (
                            "chart__mark chart__mark--failure",
                            format!(
                                "M{:.1},{:.1} l8,8 M{:.1},{:.1} l8,-8",
                                m.x - 4.0,
                                f.top - 2.0,
                                m.x - 4.0,
                                f.top + 6.0,
                            ),
                        )
                    }
                };
                view! {
                    <line class="chart__mark-line" x1=m.x x2=m.x y1=f.top y2=f.bottom></line>
                    <path class=class d=d>
                        <title>{m.label.clone()}</title>
                    </path>
                }
            })
            .collect_view()}
    }
}

fn data_table(t: &Timeline) -> impl IntoView {
    let time = |x: Option<DateTime<Utc>>| x.map(clock_time).unwrap_or_else(|| "—".into());
    view! {
        <table class="chart__table">
            <thead>
                <tr>
                    <th scope="col">"Step"</th>
                    <th scope="col">"Weight"</th>
                    <th scope="col">"From"</th>
                    <th scope="col">"To"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Note"</th>
                </tr>
            </thead>
            <tbody>
                {t
                    .rows
                    .iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <td>{r.phase.clone()}</td>
                                <td>{format!("{}%", r.weight)}</td>
                                <td>{time(r.from)}</td>
                                <td>{time(r.to)}</td>
                                <td>{r.state}</td>
                                <td>{r.note.clone()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        {(!t.pauses.is_empty() || !t.marks.is_empty() || !t.verifications.is_empty())
            .then(|| {
                view! {
                    <ul class="chart__notes">
                        {t
                            .pauses
                            .iter()
                            .map(|s| view! { <li>{s.label.clone()}</li> })
                            .collect_view()}
                        {t
                            .verifications
                            .iter()
                            .map(|s| view! { <li>{s.label.clone()}</li> })
                            .collect_view()}
                        {t
                            .marks
                            .iter()
                            .map(|m| view! { <li>{m.label.clone()}</li> })
                            .collect_view()}
                    </ul>
                }
            })}
    }
}
