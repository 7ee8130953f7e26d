//! Why a verification passed or failed, as a chart: every measurement over time, the thresholds
//! taken from its conditions with the passing side shaded, failing and inconclusive points
//! marked, missing data as gaps, and the verdict in one sentence.

use super::scale::{format_value, nice_domain, Linear, TimeScale};
use super::{Frame, Tick};
use crate::model::phase_view::{clock_time, data_point_state};
use chrono::{DateTime, Duration, Utc};
use rollout_api::condition::{Comparison, Condition};
use rollout_api::{DataPoint, DataPointStatus, Verification, VerificationStatus};

/// How a point is drawn, so that it reads without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Passed: a filled circle.
    Circle,
    /// Failed: a cross.
    Cross,
    /// Inconclusive: a diamond.
    Diamond,
    /// No value: a hollow square on the time axis, where the line breaks.
    Gap,
}

impl Marker {
    /// BEM modifier of the marker's shape.
    pub fn class(self) -> &'static str {
        match self {
            Marker::Circle => "circle",
            Marker::Cross => "cross",
            Marker::Diamond => "diamond",
            Marker::Gap => "gap",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlotPoint {
    pub x: f64,
    pub y: f64,
    pub marker: Marker,
    /// CSS modifier of the status colour (`success`, `danger`, `attention`, `neutral`).
    pub modifier: &'static str,
    /// "05:35:47 · 0.78 · failed · <message>" for the tooltip and the focus read-out.
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdKind {
    Success,
    Failure,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdLine {
    pub y: f64,
    pub kind: ThresholdKind,
    /// "pass: ≥ 0.95" or "fail: > 0.5".
    pub label: String,
}

/// Everything the verification chart draws, in its own SVG coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct VerificationPlot {
    pub frame: Frame,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub thresholds: Vec<ThresholdLine>,
    /// (top, bottom) of each band of values that would pass.
    pub pass_bands: Vec<(f64, f64)>,
    /// Polylines of consecutive measured points: a missing value breaks the line.
    pub segments: Vec<String>,
    pub points: Vec<PlotPoint>,
}

/// Lays out a verification in a `width`×`height` box. `axis` is the time span to draw on (the
/// rollout's, for a background verification); by default the measurements' own span.
pub fn plot(
    v: &Verification,
    width: f64,
    height: f64,
    axis: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> VerificationPlot {
    let frame = Frame::new(width, height);
    let success = parse(v.conditions.success.as_deref());
    let failure = parse(v.conditions.failure.as_deref());
    let thresholds: Vec<(f64, ThresholdKind, &Comparison)> = success
        .iter()
        .flat_map(|c| {
            c.comparisons()
                .map(|x| (x.threshold, ThresholdKind::Success, x))
        })
        .chain(failure.iter().flat_map(|c| {
            c.comparisons()
                .map(|x| (x.threshold, ThresholdKind::Failure, x))
        }))
        .collect();
    let values = v.data_points.iter().filter_map(|d| d.value);
    let (lo, hi) = values
        .chain(thresholds.iter().map(|t| t.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
            (l.min(x), h.max(x))
        });
    // Headroom past the outermost value or threshold, so both sides of a threshold show.
    let pad = if hi > lo { (hi - lo) * 0.1 } else { 0.0 };
    let ((lo, hi), ticks) = nice_domain(lo - pad, hi + pad, 4);
    let y = Linear::new((lo, hi), (frame.bottom, frame.top));
    let (start, end) = axis.unwrap_or_else(|| time_span(v));
    let x = TimeScale::new(start, end, (frame.left, frame.right));

    let points: Vec<PlotPoint> = v
        .data_points
        .iter()
        .map(|d| PlotPoint {
            x: x.map(d.timestamp),
            y: d.value.map(|val| y.clamped(val)).unwrap_or(frame.bottom),
            marker: marker(d),
            modifier: data_point_state(d.status).1,
            label: point_label(d),
        })
        .collect();
    let mut segments = Vec::new();
    let mut cur = Vec::new();
    for (d, p) in v.data_points.iter().zip(&points) {
        if d.value.is_some() {
            cur.push(format!("{:.1},{:.1}", p.x, p.y));
        } else if !cur.is_empty() {
            segments.push(std::mem::take(&mut cur).join(" "));
        }
    }
    if !cur.is_empty() {
        segments.push(cur.join(" "));
    }

    VerificationPlot {
        y_ticks: ticks
            .iter()
            .map(|t| Tick {
                pos: y.map(*t),
                label: format_value(*t),
            })
            .collect(),
        x_ticks: x
            .ticks(4)
            .into_iter()
            .map(|(t, label)| Tick {
                pos: x.map(t),
                label,
            })
            .collect(),
        thresholds: thresholds
            .iter()
            .map(|(t, kind, c)| ThresholdLine {
                y: y.clamped(*t),
                kind: *kind,
                label: threshold_label(*kind, c),
            })
            .collect(),
        pass_bands: pass_bands(success.as_ref(), failure.as_ref(), lo, hi)
            .into_iter()
            .map(|(a, b)| (y.map(b), y.map(a)))
            .collect(),
        segments,
        points,
        frame,
    }
}

/// The SVG path of a point's marker centred on (x, y): a circle, a cross, a diamond, or a hollow
/// square for a measurement without a value.
pub fn marker_path(m: Marker, x: f64, y: f64) -> String {
    match m {
        Marker::Circle => format!("M{:.1},{y:.1} a4,4 0 1,0 8,0 a4,4 0 1,0 -8,0", x - 4.0),
        Marker::Cross => format!(
            "M{:.1},{:.1} L{:.1},{:.1} M{:.1},{:.1} L{:.1},{:.1}",
            x - 4.0,
            y - 4.0,
            x + 4.0,
            y + 4.0,
            x - 4.0,
            y + 4.0,
            x + 4.0,
            y - 4.0
        ),
        Marker::Diamond => format!(
            "M{x:.1},{:.1} L{:.1},{y:.1} L{x:.1},{:.1} L{:.1},{y:.1} Z",
            y - 5.0,
            x + 5.0,
            y + 5.0,
            x - 5.0
        ),
        Marker::Gap => format!("M{:.1},{:.1} h7 v7 h-7 Z", x - 3.5, y - 3.5),
    }
}

fn parse(text: Option<&str>) -> Option<Condition> {
    text.and_then(|t| Condition::parse(t).ok())
}

/// From one interval before the first measurement to the last one (at least a minute).
fn time_span(v: &Verification) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = v.data_points.iter().map(|d| d.timestamp).min();
    let last = v.data_points.iter().map(|d| d.timestamp).max();
    match (first, last) {
        (Some(f), Some(l)) => {
            let lead = Duration::seconds(v.interval_seconds.clamp(1, 86_400) as i64);
            (f - lead, l.max(f + Duration::minutes(1) - lead))
        }
        _ => {
            let now = Utc::now();
            (now - Duration::minutes(1), now)
        }
    }
}

fn marker(d: &DataPoint) -> Marker {
    match (d.value, d.status) {
        (None, _) | (_, DataPointStatus::Error) => Marker::Gap,
        (_, DataPointStatus::Successful) => Marker::Circle,
        (_, DataPointStatus::Failed) => Marker::Cross,
        (_, DataPointStatus::Inconclusive) => Marker::Diamond,
    }
}

/// "05:35:47 · 0.78 · failed", with the provider's message when there is one.
pub fn point_label(d: &DataPoint) -> String {
    let value = d
        .value
        .map(format_value)
        .unwrap_or_else(|| "no value".into());
    let mut out = format!(
        "{} · {value} · {}",
        clock_time(d.timestamp),
        data_point_state(d.status).0
    );
    if let Some(m) = d.message.as_deref().filter(|m| !m.is_empty()) {
        out.push_str(" · ");
        out.push_str(m);
    }
    out
}

fn threshold_label(kind: ThresholdKind, c: &Comparison) -> String {
    let word = match kind {
        ThresholdKind::Success => "pass",
        ThresholdKind::Failure => "fail",
    };
    format!(
        "{word}: {} {}",
        pretty_op(c.op.symbol()),
        format_value(c.threshold)
    )
}

fn pretty_op(symbol: &str) -> &str {
    match symbol {
        "<=" => "≤",
        ">=" => "≥",
        "!=" => "≠",
        "==" => "=",
        other => other,
    }
}

/// The value ranges inside `[lo, hi]` that would pass: the success condition holds (or there is
/// none) and the failure condition does not. Found by testing between consecutive thresholds.
pub fn pass_bands(
    success: Option<&Condition>,
    failure: Option<&Condition>,
    lo: f64,
    hi: f64,
) -> Vec<(f64, f64)> {
    if success.is_none() && failure.is_none() {
        return Vec::new();
    }
    let mut cuts: Vec<f64> = success
        .into_iter()
        .chain(failure)
        .flat_map(|c| c.thresholds())
        .filter(|t| *t > lo && *t < hi)
        .collect();
    cuts.extend([lo, hi]);
    cuts.sort_by(|a, b| a.total_cmp(b));
    cuts.dedup();
    let passes = |v: f64| success.is_none_or(|c| c.eval(v)) && !failure.is_some_and(|c| c.eval(v));
    let mut bands: Vec<(f64, f64)> = Vec::new();
    for w in cuts.windows(2) {
        if !passes((w[0] + w[1]) / 2.0) {
            continue;
        }
        match bands.last_mut() {
            Some(last) if last.1 == w[0] => last.1 = w[1],
            _ => bands.push((w[0], w[1])),
        }
    }
    bands
}

/// One sentence saying where the verification stands and why:
/// "Failed at 05:35:47: 0.78 < 0.95 (pass: result[0] >= 0.95)".
pub fn verdict(v: &Verification) -> String {
    let success = parse(v.conditions.success.as_deref());
    let failure = parse(v.conditions.failure.as_deref());
    let failed: Vec<&DataPoint> = v
        .data_points
        .iter()
        .filter(|d| d.status == DataPointStatus::Failed)
        .collect();
    match v.status {
        VerificationStatus::Failed => {
            // The measurement that went over the failure limit, else the last failed one.
            let Some(d) = failed
                .get(v.failure_limit as usize)
                .or(failed.last())
                .copied()
            else {
                return "Failed".into();
            };
            let why = d
                .value
                .map(|val| why_failed(val, success.as_ref(), failure.as_ref()))
                .unwrap_or_default();
            let limit = if failed.len() > 1 || v.failure_limit > 0 {
                format!(
                    " — {} failed measurement{}, limit {}",
                    failed.len(),
                    if failed.len() == 1 { "" } else { "s" },
                    v.failure_limit
                )
            } else {
                String::new()
            };
            format!("Failed at {}{why}{limit}", clock_time(d.timestamp))
        }
        VerificationStatus::Error => {
            let last = v
                .data_points
                .iter()
                .rev()
                .find(|d| d.status == DataPointStatus::Error);
            match last {
                Some(d) => format!(
                    "No data at {}{}",
                    clock_time(d.timestamp),
                    d.message
                        .as_deref()
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                ),
                None => "No data from the provider".into(),
            }
        }
        VerificationStatus::Successful => {
            let n = v.data_points.len();
            let cond = v
                .conditions
                .success
                .as_deref()
                .map(|c| format!(" met {c}"))
                .unwrap_or_default();
            format!(
                "Passed: {n} measurement{}{cond}",
                if n == 1 { "" } else { "s" }
            )
        }
        VerificationStatus::Pending => "Not started".into(),
        VerificationStatus::Running | VerificationStatus::InProgress => {
            let n = v.data_points.len();
            match (n, failed.len()) {
                (0, _) => "Waiting for the first measurement".into(),
                (_, 0) => format!("Measuring: {n} so far, all within the thresholds"),
                (_, f) => format!(
                    "Measuring: {n} so far, {f} failed (limit {})",
                    v.failure_limit
                ),
            }
        }
    }
}

/// ": 0.78 < 0.95" — the comparison the value broke, written as it holds for the value.
fn why_failed(value: f64, success: Option<&Condition>, failure: Option<&Condition>) -> String {
    let v = format_value(value);
    if let Some(c) = failure
        .map(|f| f.met(value))
        .and_then(|m| m.first().copied())
    {
        return format!(
            ": {v} {} {}",
            pretty_op(c.op.symbol()),
            format_value(c.threshold)
        );
    }
    if let Some(c) = success
        .map(|s| s.unmet(value))
        .and_then(|m| m.first().copied())
    {
        return format!(
            ": {v} {} {}",
            pretty_op(c.op.negated().symbol()),
            format_value(c.threshold)
        );
    }
    format!(": {v}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rollout_api::Conditions;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 5, 5, 35, 0).unwrap() + Duration::seconds(s)
    }

    fn dp(s: i64, value: Option<f64>, status: DataPointStatus) -> DataPoint {
        DataPoint {
            timestamp: at(s),
            value,
            status,
            message: value
                .is_none()
                .then(|| "query returned no series".to_string()),
        }
    }

    fn verification(
        success: Option<&str>,
        failure: Option<&str>,
        status: VerificationStatus,
        points: Vec<DataPoint>,
    ) -> Verification {
        Verification {
            template_name: "success-rate".into(),
            metric_name: "success-rate".into(),
            query: "sum(rate(ok[1m])) / sum(rate(all[1m]))".into(),
            conditions: Conditions {
                success: success.map(str::to_string),
                failure: failure.map(str::to_string),
            },
            provider: "prometheus (prom-main)".into(),
            step: "canary-20".into(),
            status,
            interval_seconds: 30,
            count: 3,
            failure_limit: 0,
            data_points: points,
        }
    }

    #[test]
    fn pass_bands_follow_the_conditions() {
        let ge = Condition::parse("result[0] >= 0.95").unwrap();
        assert_eq!(pass_bands(Some(&ge), None, 0.75, 1.0), vec![(0.95, 1.0)]);
        let le = Condition::parse("result[0] <= 0.5").unwrap();
        assert_eq!(pass_bands(Some(&le), None, 0.0, 1.0), vec![(0.0, 0.5)]);
        let between = Condition::parse("result >= 1 && result < 3").unwrap();
        assert_eq!(pass_bands(Some(&between), None, 0.0, 5.0), vec![(1.0, 3.0)]);
        // A failure condition alone: everything but where it fires passes.
        let fail = Condition::parse("result > 500").unwrap();
        assert_eq!(
            pass_bands(None, Some(&fail), 0.0, 1000.0),
            vec![(0.0, 500.0)]
        );
        // Both: pass where success holds and failure does not.
        let s = Condition::parse("result >= 0.9").unwrap();
        let f = Condition::parse("result < 0.5").unwrap();
        assert_eq!(pass_bands(Some(&s), Some(&f), 0.0, 1.0), vec![(0.9, 1.0)]);
        assert!(pass_bands(None, None, 0.0, 1.0).is_empty());
    }

    #[test]
    fn failed_verdict_names_time_value_and_threshold() {
        let v = verification(
            Some("result[0] >= 0.95"),
            None,
            VerificationStatus::Failed,
            vec![
                dp(17, Some(0.97), DataPointStatus::Successful),
                dp(47, Some(0.78), DataPointStatus::Failed),
            ],
        );
        assert_eq!(verdict(&v), "Failed at 05:35:47: 0.78 < 0.95");
        // A failure condition that fired is named as it holds.
        let v = verification(
            None,
            Some("result[0] > 500"),
            VerificationStatus::Failed,
            vec![dp(47, Some(812.0), DataPointStatus::Failed)],
        );
        assert_eq!(verdict(&v), "Failed at 05:35:47: 812 > 500");
    }

    #[test]
    fn failed_verdict_points_at_the_measurement_over_the_limit() {
        let mut v = verification(
            Some("result >= 1 && result < 3"),
            None,
            VerificationStatus::Failed,
            vec![
                dp(10, Some(3.5), DataPointStatus::Failed),
                dp(40, Some(2.0), DataPointStatus::Successful),
                dp(70, Some(0.5), DataPointStatus::Failed),
            ],
        );
        v.failure_limit = 1;
        assert_eq!(
            verdict(&v),
            "Failed at 05:36:10: 0.5 < 1 — 2 failed measurements, limit 1"
        );
    }

    #[test]
    fn other_verdicts() {
        let missing = verification(
            Some("result >= 0.95"),
            None,
            VerificationStatus::Error,
            vec![dp(30, None, DataPointStatus::Error)],
        );
        assert_eq!(
            verdict(&missing),
            "No data at 05:35:30: query returned no series"
        );
        let ok = verification(
            Some("result >= 0.95"),
            None,
            VerificationStatus::Successful,
            vec![dp(30, Some(0.99), DataPointStatus::Successful)],
        );
        assert_eq!(verdict(&ok), "Passed: 1 measurement met result >= 0.95");
        let running = verification(
            Some("result >= 0.95"),
            None,
            VerificationStatus::Running,
            vec![],
        );
        assert_eq!(verdict(&running), "Waiting for the first measurement");
    }

    #[test]
    fn plot_marks_points_breaks_the_line_at_gaps_and_draws_thresholds() {
        let v = verification(
            Some("result[0] >= 0.95"),
            None,
            VerificationStatus::Failed,
            vec![
                dp(0, Some(0.97), DataPointStatus::Successful),
                dp(30, None, DataPointStatus::Error),
                dp(60, Some(0.96), DataPointStatus::Successful),
                dp(90, Some(0.78), DataPointStatus::Failed),
            ],
        );
        let p = plot(&v, 400.0, 160.0, None);
        let markers: Vec<Marker> = p.points.iter().map(|p| p.marker).collect();
        assert_eq!(
            markers,
            vec![Marker::Circle, Marker::Gap, Marker::Circle, Marker::Cross]
        );
        // The missing value splits the line in two.
        assert_eq!(p.segments.len(), 2);
        // Time runs left to right; the gap sits on the time axis.
        assert!(p.points[0].x < p.points[3].x);
        assert_eq!(p.points[1].y, p.frame.bottom);
        // The threshold, labelled, with the pass side (above it) shaded.
        assert_eq!(p.thresholds.len(), 1);
        assert_eq!(p.thresholds[0].label, "pass: ≥ 0.95");
        let (top, bottom) = p.pass_bands[0];
        assert!(top < bottom && (bottom - p.thresholds[0].y).abs() < 1e-9);
        // With headroom: the side that passes has height even when no value lies there.
        assert!(bottom - top > 5.0);
        // The failed point is below the line (greater y), the passing ones above.
        assert!(p.points[3].y > p.thresholds[0].y && p.points[0].y < p.thresholds[0].y);
        assert_eq!(p.points[3].label, "05:36:30 · 0.78 · failed");
        assert!(
            p.y_ticks.iter().any(|t| t.label == "0.8") && p.y_ticks.iter().any(|t| t.label == "1")
        );
        assert!(!p.x_ticks.is_empty());
    }

    #[test]
    fn markers_are_centred_shapes() {
        assert_eq!(
            marker_path(Marker::Circle, 10.0, 20.0),
            "M6.0,20.0 a4,4 0 1,0 8,0 a4,4 0 1,0 -8,0"
        );
        assert_eq!(
            marker_path(Marker::Cross, 10.0, 20.0),
            "M6.0,16.0 L14.0,24.0 M6.0,24.0 L14.0,16.0"
        );
        assert!(marker_path(Marker::Diamond, 10.0, 20.0).ends_with('Z'));
        assert_eq!(
            marker_path(Marker::Gap, 10.0, 20.0),
            "M6.5,16.5 h7 v7 h-7 Z"
        );
    }

    #[test]
    fn plot_without_values_still_has_an_axis() {
        let v = verification(
            Some("result <= 0.5"),
            None,
            VerificationStatus::Error,
            vec![dp(0, None, DataPointStatus::Error)],
        );
        let p = plot(&v, 400.0, 160.0, Some((at(-60), at(600))));
        assert!(p.segments.is_empty());
        assert_eq!(p.thresholds[0].label, "pass: ≤ 0.5");
        assert!(p.y_ticks.len() >= 2);
    }
}
