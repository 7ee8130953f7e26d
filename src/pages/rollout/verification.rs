//! One verification's results: metric, conditions, progress and a small inline SVG chart of its
//! data points against the condition thresholds (with the points as a table for screen readers).

use crate::model::phase_view::{
    chart, clock_time, data_point_state, verification_progress, verification_state,
};
use leptos::{html, prelude::*};
use rollout_api::Verification;
use std::collections::HashSet;

const W: f64 = 220.0;
const H: f64 = 56.0;
const PAD: f64 = 6.0;

/// A verification with its status, conditions and data points.
#[component]
pub fn VerificationResult(
    /// The verification as the server reports it.
    verification: Verification,
    /// Its phase (or the rollout, for a background verification) is over.
    #[prop(optional)]
    ended: bool,
    /// Which "Data points and query" sections the user opened (by step and metric): a live
    /// update redraws the verification, and it must come back as the user left it.
    opened: RwSignal<HashSet<String>>,
) -> impl IntoView {
    let v = verification;
    let key = format!("{}/{}/{}", v.step, v.template_name, v.metric_name);
    let was_open = opened.with_untracked(|o| o.contains(&key));
    let details = NodeRef::<html::Details>::new();
    let on_toggle = move |_| {
        if let Some(d) = details.get_untracked() {
            let open = d.open();
            opened.update(|o| {
                if open {
                    o.insert(key.clone());
                } else {
                    o.remove(&key);
                }
            });
        }
    };
    let (word, modifier) = verification_state(v.status, ended);
    let measured = !v.data_points.is_empty();
    let conditions: Vec<String> = [
        v.conditions
            .success
            .as_ref()
            .map(|s| format!("pass if {s}")),
        v.conditions
            .failure
            .as_ref()
            .map(|s| format!("fail if {s}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let progress = verification_progress(&v);
    let chart =
        measured.then(|| chart_svg(&v, format!("{} data points: {progress}", v.metric_name)));
    let table = measured.then(|| data_points_table(&v));
    let empty = (!measured).then(|| {
        let text = if ended {
            "Never measured"
        } else {
            "No measurement yet"
        };
        view! { <p class="verification__empty">{text}</p> }
    });
    view! {
        <div class=format!("verification verification--{modifier}")>
            <div class="verification__head">
                <span class="verification__metric">{v.metric_name.clone()}</span>
                <span class=format!("badge badge--{modifier}")>{word}</span>
            </div>
            <div class="verification__meta">
                <span>{v.provider.clone()}</span>
                {conditions.into_iter().map(|c| view! { <code>{c}</code> }).collect_view()}
            </div>
            {empty}
            {chart}
            <p class="verification__progress">{progress}</p>
            <details
                class="verification__details"
                open=was_open
                node_ref=details
                on:toggle=on_toggle
            >
                <summary>{if measured { "Data points and query" } else { "Query" }}</summary>
                <code class="verification__query">{v.query.clone()}</code>
                {table}
            </details>
        </div>
    }
}

/// The data points over time against the condition thresholds, as a small inline SVG.
fn chart_svg(v: &Verification, label: String) -> impl IntoView {
    let c = chart(v, W, H, PAD);
    let thresholds = c
        .thresholds
        .into_iter()
        .map(|(y, label)| {
            view! {
                <line class="verification__threshold" x1=PAD x2=W - PAD y1=y y2=y>
                    <title>{label}</title>
                </line>
            }
        })
        .collect_view();
    let points = c
        .points
        .into_iter()
        .map(|p| {
            view! {
                <circle
                    class=format!("verification__point dp--{}", p.modifier)
                    cx=p.x
                    cy=p.y
                    r="3.5"
                >
                    <title>{p.label}</title>
                </circle>
            }
        })
        .collect_view();
    view! {
        <svg class="verification__chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label>
            {thresholds}
            <polyline class="verification__line" points=c.polyline fill="none"></polyline>
            {points}
        </svg>
    }
}

/// The data points as a table (what the chart shows, for screen readers and exact values).
fn data_points_table(v: &Verification) -> impl IntoView {
    let rows = v
        .data_points
        .iter()
        .map(|d| {
            let value = d
                .value
                .map(|x| format!("{x}"))
                .unwrap_or_else(|| "—".into());
            let (state, m) = data_point_state(d.status);
            let message = d.message.clone().map(|m| format!(": {m}"));
            view! {
                <tr>
                    <td>{clock_time(d.timestamp)}</td>
                    <td>{value}</td>
                    <td class=format!("dp dp--{m}")>{state}{message}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="verification__table">
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Value"</th>
                    <th scope="col">"Result"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
