//! Why a verification passed or failed: every measurement over time against the thresholds of
//! its conditions (pass side shaded), failing and inconclusive points marked, gaps where the
//! provider returned nothing. Hover or keyboard focus on a point reads it out. The numbers as a
//! table are the caller's (the verification card's "Data points and query").

use crate::components::chart_figure::ChartFigure;
use crate::model::chart::verification::{marker_path, plot, ThresholdKind, VerificationPlot};
use crate::model::phase_view::verification_progress;
use chrono::{DateTime, Utc};
use leptos::{ev, prelude::*};
use rollout_api::Verification;
use wasm_bindgen::JsCast;

/// Drawing sizes: in a phase card, and expanded to the panel's width.
const NARROW: (f64, f64) = (300.0, 150.0);
const WIDE: (f64, f64) = (1100.0, 240.0);

/// A verification's measurements as a chart.
#[component]
pub fn VerificationChart(
    /// The verification as the server reports it (with at least one data point).
    verification: Verification,
    /// The time span to draw on (the rollout's, for a background verification); by default the
    /// measurements' own.
    #[prop(default = None)]
    axis: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Drawn at the panel's full width.
    #[prop(into)]
    wide: Signal<bool>,
    /// Unique id prefix for the chart's elements.
    #[prop(into)]
    id: String,
    /// Controls shown in the chart's head (e.g. an Expand button).
    #[prop(default = None)]
    extra: Option<ViewFn>,
) -> impl IntoView {
    let v = StoredValue::new(verification);
    let p = Memo::new(move |_| {
        let (w, h) = if wide.get() { WIDE } else { NARROW };
        v.with_value(|v| plot(v, w, h, axis))
    });
    // "success-rate data points: 2 of 3 measurements · 1 failed (limit 0); pass: ≥ 0.95".
    let name = p.with_untracked(|p| {
        v.with_value(|v| {
            format!(
                "{} data points: {}; {}",
                v.metric_name,
                verification_progress(v),
                p.thresholds
                    .iter()
                    .map(|t| t.label.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    });
    let count = p.with_untracked(|p| p.points.len());
    // The point read out below the chart: the hovered or focused one.
    let active = RwSignal::new(None::<usize>);
    let selected = RwSignal::new(count.saturating_sub(1));
    let readout = move || {
        active
            .get()
            .and_then(|i| p.with(|p| p.points.get(i).map(|pt| pt.label.clone())))
            .unwrap_or_else(|| "Hover or focus a point to read it.".into())
    };
    let on_key = move |e: ev::KeyboardEvent| {
        let cur = selected.get_untracked();
        let next = match e.key().as_str() {
            "ArrowRight" | "ArrowUp" => (cur + 1).min(count.saturating_sub(1)),
            "ArrowLeft" | "ArrowDown" => cur.saturating_sub(1),
            "Home" => 0,
            "End" => count.saturating_sub(1),
            _ => return,
        };
        e.prevent_default();
        selected.set(next);
        active.set(Some(next));
        focus_point(&e, next);
    };
    let view_box = move || p.with(|p| format!("0 0 {} {}", p.frame.width, p.frame.height));
    view! {
        <ChartFigure title="Measurements" id=id class="chart--verification" extra=extra>
            <div class="chart__stack">
                <svg class="chart__svg" viewBox=view_box role="img" aria-label=name>
                    {move || p.with(draw)}
                </svg>
                <svg
                    class="chart__svg chart__overlay"
                    viewBox=view_box
                    role="group"
                    aria-label="Measurements, one by one (arrow keys move)"
                    on:keydown=on_key
                >
                    {move || p.with(|p| hit_points(p, selected, active))}
                </svg>
            </div>
            <p class="chart__readout" aria-live="polite">
                {readout}
            </p>
        </ChartFigure>
    }
}

/// The drawing: pass bands, grid, axes, thresholds, the line and the markers.
fn draw(p: &VerificationPlot) -> impl IntoView {
    let f = p.frame;
    let bands = p
        .pass_bands
        .iter()
        .map(|(top, bottom)| {
            view! {
                <rect
                    class="chart__pass"
                    x=f.left
                    y=*top
                    width=f.right - f.left
                    height=bottom - top
                ></rect>
            }
        })
        .collect_view();
    let y_ticks = p
        .y_ticks
        .iter()
        .map(|t| {
            view! {
                <line class="chart__grid" x1=f.left x2=f.right y1=t.pos y2=t.pos></line>
                <text class="chart__tick" x=f.left - 6.0 y=t.pos + 4.0 text-anchor="end">
                    {t.label.clone()}
                </text>
            }
        })
        .collect_view();
    let x_ticks = p
        .x_ticks
        .iter()
        .map(|t| {
            view! {
                <text class="chart__tick" x=t.pos y=f.bottom + 16.0 text-anchor="middle">
                    {t.label.clone()}
                </text>
            }
        })
        .collect_view();
    let thresholds = p
        .thresholds
        .iter()
        .map(|t| {
            let kind = match t.kind {
                ThresholdKind::Success => "chart__threshold chart__threshold--pass",
                ThresholdKind::Failure => "chart__threshold chart__threshold--fail",
            };
            view! {
                <line class=kind x1=f.left x2=f.right y1=t.y y2=t.y></line>
                <text class="chart__threshold-label" x=f.right - 2.0 y=t.y - 4.0 text-anchor="end">
                    {t.label.clone()}
                </text>
            }
        })
        .collect_view();
    let lines = p
        .segments
        .iter()
        .map(|s| view! { <polyline class="chart__line" points=s.clone() fill="none"></polyline> })
        .collect_view();
    let markers = p
        .points
        .iter()
        .map(|pt| {
            view! {
                <path
                    class=format!(
                        "chart__point chart__point--{} dp--{}",
                        pt.marker.class(),
                        pt.modifier,
                    )
                    d=marker_path(pt.marker, pt.x, pt.y)
                ></path>
            }
        })
        .collect_view();
    view! {
        {bands}
        {y_ticks}
        {x_ticks}
        <line class="chart__axis" x1=f.left x2=f.right y1=f.bottom y2=f.bottom></line>
        {thresholds}
        {lines}
        {markers}
    }
}

/// One focusable target per point (roving tabindex: the group is one tab stop).
fn hit_points(
    p: &VerificationPlot,
    selected: RwSignal<usize>,
    active: RwSignal<Option<usize>>,
) -> impl IntoView {
    p.points
        .iter()
        .enumerate()
        .map(|(i, pt)| {
            let label = pt.label.clone();
            let title = label.clone();
            view! {
                <g
                    class="chart__hit"
                    role="img"
                    aria-label=label
                    tabindex=move || if selected.get() == i { "0" } else { "-1" }
                    on:mouseenter=move |_| active.set(Some(i))
                    on:mouseleave=move |_| active.set(None)
                    on:focus=move |_| {
                        selected.set(i);
                        active.set(Some(i));
                    }
                    on:blur=move |_| active.set(None)
                >
                    <title>{title}</title>
                    <circle class="chart__hit-area" cx=pt.x cy=pt.y r="9"></circle>
                    <circle class="chart__focus-ring" cx=pt.x cy=pt.y r="7"></circle>
                </g>
            }
        })
        .collect_view()
}

/// Moves focus to the `i`-th point of the overlay the key event came from.
fn focus_point(e: &ev::KeyboardEvent, i: usize) {
    let Some(svg) = e
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if let Some(el) = svg.children().item(i as u32) {
        if let Ok(el) = el.dyn_into::<web_sys::SvgElement>() {
            let _ = el.focus();
        }
    }
}
