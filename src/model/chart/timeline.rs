//! The traffic-weight timeline of a rollout: the canary weight over the rollout's time as the
//! steps happened, pauses shaded (a window or until someone acts), verifications as spans with
//! their outcome, actions and failures marked, "now" for a running rollout, and the steps still
//! to come dashed.

use super::scale::{Linear, TimeScale};
use super::{Frame, Tick};
use crate::model::phase_view::clock_time;
use crate::model::time::format_duration;
use chrono::{DateTime, Duration, Utc};
use rollout_api::{
    ActionKind, DataPointStatus, PauseKind, PhaseStatus, RolloutDetail, StrategyType,
    VerificationStatus,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub x0: f64,
    pub x1: f64,
    /// CSS modifier (`success`, `danger`, `attention`, `running`, `neutral`, or for pauses
    /// `window` / `indefinite`).
    pub modifier: &'static str,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Action,
    Failure,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub kind: MarkKind,
    pub label: String,
}

/// One row of the timeline's data table (and of the path it draws).
#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    pub phase: String,
    pub weight: u32,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// "happened", "now" or "planned".
    pub state: &'static str,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub frame: Frame,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    /// "Canary traffic %" or, for a rolling strategy, "New version %".
    pub y_title: &'static str,
    /// The weight as it happened (an SVG path: horizontal steps, vertical jumps).
    pub path: String,
    /// The steps still to come, dashed; empty for a completed rollout.
    pub planned: String,
    pub pauses: Vec<Span>,
    pub verifications: Vec<Span>,
    pub marks: Vec<Mark>,
    pub now: Option<f64>,
    pub rows: Vec<StepRow>,
}

/// Lays out the timeline of `r` at `now` in a `width`×`height` box.
pub fn timeline(r: &RolloutDetail, now: DateTime<Utc>, width: f64, height: f64) -> Timeline {
    let frame = Frame::new(width, height);
    let running = r.end_time.is_none();
    let end = r.end_time.unwrap_or(now).max(r.start_time);
    let rows = rows(r, end, running);
    // What is left of the current step's pause window: the plan moves on only after it.
    let current_left = rows
        .iter()
        .rev()
        .find(|s| s.state != "planned")
        .and_then(|s| r.phases.iter().find(|p| p.name == s.phase))
        .and_then(|p| p.pause_until)
        .map(|until| (until - end).num_seconds().max(0))
        .unwrap_or(0);
    let steps_to_come = rows
        .iter()
        .filter(|s| s.state == "planned")
        .map(|s| planned_seconds(r, &s.phase))
        .sum::<i64>();
    let planned_span = if steps_to_come > 0 {
        steps_to_come + current_left
    } else {
        0
    };
    // Leave room for the steps to come (at least a tenth of the drawing, at most as long again).
    let elapsed = (end - r.start_time).num_seconds().max(60);
    let extra = if running && planned_span > 0 {
        planned_span.clamp(elapsed / 10, elapsed)
    } else {
        0
    };
    let axis_end = end + Duration::seconds(extra);
    let x = TimeScale::new(r.start_time, axis_end, (frame.left, frame.right));
    let y = Linear::new((0.0, 100.0), (frame.bottom, frame.top));

    // The path as it happened: 0 before the first phase, each phase's weight while it ran.
    let mut path = format!("M{:.1},{:.1}", x.map(r.start_time), y.map(0.0));
    for s in rows.iter().filter(|s| s.state != "planned") {
        let (Some(from), to) = (s.from, s.to) else {
            continue;
        };
        let to = to.unwrap_or(end);
        let yy = y.map(s.weight as f64);
        path.push_str(&format!(
            " L{:.1},{yy:.1} L{:.1},{yy:.1}",
            x.map(from),
            x.map(to)
        ));
    }
    if r.end_time.is_some() {
        let final_weight = final_weight(r);
        path.push_str(&format!(
            " L{:.1},{:.1}",
            x.map(end),
            y.map(final_weight as f64)
        ));
    }

    // The plan: from now, each remaining step for its expected time.
    let mut planned = String::new();
    if running {
        let mut t = end;
        let current = rows
            .iter()
            .rev()
            .find(|s| s.state != "planned")
            .map(|s| s.weight)
            .unwrap_or(0);
        planned = format!("M{:.1},{:.1}", x.map(t), y.map(current as f64));
        let planned_rows: Vec<&StepRow> = rows.iter().filter(|s| s.state == "planned").collect();
        let share = if planned_span > 0 {
            extra as f64 / planned_span as f64
        } else {
            1.0
        };
        t += Duration::seconds((current_left as f64 * share) as i64);
        planned.push_str(&format!(" L{:.1},{:.1}", x.map(t), y.map(current as f64)));
        for s in &planned_rows {
            let secs = (planned_seconds(r, &s.phase) as f64 * share) as i64;
            let yy = y.map(s.weight as f64);
            planned.push_str(&format!(" L{:.1},{yy:.1}", x.map(t)));
            t += Duration::seconds(secs.max(1));
            planned.push_str(&format!(" L{:.1},{yy:.1}", x.map(t)));
        }
        if planned_rows.is_empty() {
            planned.clear();
        }
    }

    let mut pauses: Vec<Span> = r
        .phases
        .iter()
        .filter_map(|p| {
            let at = p.paused_at?;
            let until = p
                .end_time
                .or(p.pause_until.filter(|u| *u <= end))
                .unwrap_or(end);
            let what = match p.pause.as_ref().and_then(|s| s.duration_seconds) {
                Some(secs) => format!("{} window", format_duration(secs as i64)),
                None => "until someone acts".to_string(),
            };
            let shade = if what.ends_with("window") {
                "window"
            } else {
                "indefinite"
            };
            let to = (p.end_time.is_some() || until < end).then_some(until);
            Some(pause_span(&x, &p.name, at, to, end, shade, &what))
        })
        .collect();
    // A hold the phases do not record (a manual pause, the failure policy): from the condition.
    if let Some(c) = &r.conditions.paused {
        if !r.phases.iter().any(|p| p.paused_at == Some(c.paused_at)) {
            let (shade, what) = match c.kind {
                PauseKind::Window => ("window", "window".to_string()),
                PauseKind::Indefinite => ("indefinite", "until someone acts".to_string()),
                PauseKind::Manual => ("indefinite", "paused by a user".to_string()),
                PauseKind::FailurePolicy => {
                    ("indefinite", "held by the failure policy".to_string())
                }
            };
            pauses.push(pause_span(
                &x,
                &c.phase,
                c.paused_at,
                None,
                end,
                shade,
                &what,
            ));
        }
    }

    let verifications = r
        .phases
        .iter()
        .flat_map(|p| p.verifications.iter().map(move |v| (p.start_time, v)))
        // Background verifications run from the rollout's start.
        .chain(
            r.background_verifications
                .iter()
                .map(|v| (Some(r.start_time), v)),
        )
        .filter_map(|(started, v)| {
            let first = v.data_points.first()?.timestamp;
            let lead = Duration::seconds(v.interval_seconds.min(86_400) as i64);
            let from = started.unwrap_or(first - lead).min(first);
            let to = match v.status {
                VerificationStatus::Running | VerificationStatus::InProgress => end,
                _ => v.data_points.last().map(|d| d.timestamp).unwrap_or(first),
            };
            let (modifier, word) = match v.status {
                VerificationStatus::Successful => ("success", "passed"),
                VerificationStatus::Failed => ("danger", "failed"),
                VerificationStatus::Error => ("attention", "no data"),
                VerificationStatus::Pending => ("neutral", "pending"),
                _ => ("running", "running"),
            };
            Some(Span {
                x0: x.map(from),
                x1: x.map(to.max(from)),
                modifier,
                label: format!("{} ({}): {word}", v.metric_name, v.step),
            })
        })
        .collect();

    let mut marks: Vec<Mark> = r
        .activity
        .iter()
        .map(|a| Mark {
            x: x.map(a.at),
            kind: MarkKind::Action,
            label: format!(
                "{} by {} at {}",
                action_word(a.action),
                a.actor,
                clock_time(a.at)
            ),
        })
        .collect();
    marks.extend(r.phases.iter().filter_map(|p| {
        let why = p.failure.as_ref()?;
        let last_failed = p
            .verifications
            .iter()
            .flat_map(|v| &v.data_points)
            .filter(|d| d.status == DataPointStatus::Failed)
            .map(|d| d.timestamp)
            .max();
        let at = p
            .end_time
            .or(p.verified_at)
            .or(last_failed)
            .or(p.paused_at)
            .unwrap_or(end);
        Some(Mark {
            x: x.map(at),
            kind: MarkKind::Failure,
            label: format!("{} failed at {}: {why}", p.name, clock_time(at)),
        })
    }));

    Timeline {
        x_ticks: x
            .ticks(6)
            .into_iter()
            .map(|(t, label)| Tick {
                pos: x.map(t),
                label,
            })
            .collect(),
        y_ticks: [0.0, 25.0, 50.0, 75.0, 100.0]
            .iter()
            .map(|v| Tick {
                pos: y.map(*v),
                label: format!("{v}%"),
            })
            .collect(),
        y_title: match r.strategy_type {
            StrategyType::Rolling => "New version %",
            _ => "Canary traffic %",
        },
        path,
        planned,
        pauses,
        verifications,
        marks,
        now: running.then(|| x.map(now)),
        rows,
        frame,
    }
}

/// A shaded pause from `at` to `to` (or to now, still paused).
fn pause_span(
    x: &TimeScale,
    phase: &str,
    at: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    end: DateTime<Utc>,
    shade: &'static str,
    what: &str,
) -> Span {
    let until = to.unwrap_or(end).max(at);
    Span {
        x0: x.map(at),
        x1: x.map(until),
        modifier: shade,
        label: format!(
            "{phase}: paused {} → {} ({what})",
            clock_time(at),
            to.map(clock_time).unwrap_or_else(|| "now".into())
        ),
    }
}

/// Each phase as a row: when it ran and at what weight, or that it is still to come.
fn rows(r: &RolloutDetail, end: DateTime<Utc>, running: bool) -> Vec<StepRow> {
    r.phases
        .iter()
        .map(|p| {
            let state = match (p.start_time, p.end_time) {
                (None, _) if running => "planned",
                (None, _) => "skipped",
                (Some(_), None) if running => "now",
                _ => "happened",
            };
            let mut note = match p.status {
                PhaseStatus::Dropped => "dropped (promoted past it)".to_string(),
                PhaseStatus::Canceled => "canceled".to_string(),
                PhaseStatus::Aborted | PhaseStatus::Aborting => "rolled back".to_string(),
                _ => String::new(),
            };
            if let Some(f) = &p.failure {
                if !note.is_empty() {
                    note.push_str(": ");
                }
                note.push_str(f);
            }
            StepRow {
                phase: p.name.clone(),
                weight: p.traffic_percentage,
                from: p.start_time,
                to: p.end_time.or((state == "now").then_some(end)),
                state,
                note,
            }
        })
        .collect()
}

/// How long a step still to come is expected to take: its pause window, its verifications'
/// measurements, or a minute.
fn planned_seconds(r: &RolloutDetail, phase: &str) -> i64 {
    let Some(p) = r.phases.iter().find(|p| p.name == phase) else {
        return 60;
    };
    let pause = p
        .pause
        .as_ref()
        .and_then(|s| s.duration_seconds)
        .unwrap_or(0);
    let verify = p
        .verifications
        .iter()
        .map(|v| v.interval_seconds.saturating_mul(v.count.max(1) as u64))
        .max()
        .unwrap_or(0);
    pause.max(verify).clamp(60, 86_400) as i64
}

/// Where the weight ended: 100 when the new version took all traffic, else 0.
fn final_weight(r: &RolloutDetail) -> u32 {
    use rollout_api::RolloutStatus as S;
    match r.status {
        S::Finished => 100,
        _ => 0,
    }
}

fn action_word(a: ActionKind) -> &'static str {
    match a {
        ActionKind::Promote => "Promoted",
        ActionKind::PromoteFull => "Promoted all",
        ActionKind::Pause => "Paused",
        ActionKind::Resume => "Resumed",
        ActionKind::Rollback => "Rolled back",
        ActionKind::Retry => "Retried",
    }
}
