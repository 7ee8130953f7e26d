//! One verification's results: metric, conditions, progress, the verdict in words, and a chart
//! of its measurements against the condition thresholds (with the points as a table).

use crate::components::verification_chart::VerificationChart;
use crate::model::chart::verification::verdict;
use crate::model::phase_view::{
    clock_time, data_point_state, verification_progress, verification_state,
};
use chrono::{DateTime, Utc};
use leptos::{html, prelude::*};
use rollout_api::Verification;
use std::collections::HashSet;

/// A verification with its status, conditions and data points.
#[component]
pub fn VerificationResult(
    /// The verification as the server reports it.
    verification: Verification,
    /// Its phase (or the rollout, for a background verification) is over.
    #[prop(optional)]
    ended: bool,
    /// The time span to draw the chart on (the rollout's, for a background verification).
    #[prop(default = None)]
    axis: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Which "Data points and query" sections the user opened, and which charts were widened
    /// (by step and metric): a live update redraws the verification, and it must come back as
    /// the user left it.
    opened: RwSignal<HashSet<String>>,
) -> impl IntoView {
    let v = verification;
    let key = format!("{}/{}/{}", v.step, v.template_name, v.metric_name);
    let was_open = opened.with_untracked(|o| o.contains(&key));
    let wide_key = format!("wide:{key}");
    let wide = {
        let k = wide_key.clone();
        Signal::derive(move || opened.with(|o| o.contains(&k)))
    };
    let chart_id = format!("vchart-{}", dom_id(&key));
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
    let why = verdict(&v);
    let chart = measured.then(|| {
        let expand = ViewFn::from(move || expand_button(wide, wide_key.clone(), opened));
        view! {
            <VerificationChart
                verification=v.clone()
                axis=axis
                wide=wide
                id=chart_id
                extra=Some(expand)
            />
        }
    });
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
        <div
            class=format!("verification verification--{modifier}")
            class=("verification--wide", move || wide.get())
        >
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
            <p class="verification__verdict">{why}</p>
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

/// "Expand" / "Narrow": the chart at the full width of the panel, remembered across live updates.
fn expand_button(
    wide: Signal<bool>,
    key: String,
    opened: RwSignal<HashSet<String>>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="btn btn--ghost btn--small chart__toggle"
            aria-pressed=move || if wide.get() { "true" } else { "false" }
            on:click=move |_| {
                opened
                    .update(|o| {
                        if !o.remove(&key) {
                            o.insert(key.clone());
                        }
                    })
            }
        >
            {move || if wide.get() { "Narrow" } else { "Expand" }}
        </button>
    }
}

/// `step/template/metric` as an element id part.
fn dom_id(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
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
