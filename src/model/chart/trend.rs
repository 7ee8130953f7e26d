//! The recent rollouts of a workload as a bar chart: duration per rollout, coloured (and
//! labelled) by outcome, oldest on the left, with the median of the completed ones.

use super::scale::{nice_domain, Linear};
use super::{Frame, Tick};
use crate::model::time::{clock_minutes, date, format_duration};
use chrono::{DateTime, Utc};
use rollout_api::{duration_seconds, RolloutSummary, StatusGroup};

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// CSS modifier by outcome (`success`, `danger`, `running`, `attention`, `neutral`).
    pub modifier: &'static str,
    /// "Successful", "Rolled back", …
    pub outcome: &'static str,
    /// A sign under the bar so the outcome reads without colour: ✓ ✕ ‖ … – !
    pub outcome_mark: &'static str,
    pub seconds: i64,
    /// "rol-…: Rolled back after 12m 03s, started 2026-01-05 14:03".
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub frame: Frame,
    pub y_ticks: Vec<Tick>,
    pub bars: Vec<Bar>,
    /// The median line's y and its value, over completed rollouts.
    pub median: Option<(f64, i64)>,
}

/// Lays out the last `limit` rollouts (any order in, oldest first out).
pub fn trend(
    rollouts: &[RolloutSummary],
    now: DateTime<Utc>,
    limit: usize,
    width: f64,
    height: f64,
) -> Trend {
    let frame = Frame::new(width, height);
    let mut recent: Vec<&RolloutSummary> = rollouts.iter().collect();
    recent.sort_by(|a, b| b.start_time.cmp(&a.start_time).then(b.id.cmp(&a.id)));
    recent.truncate(limit);
    recent.reverse();
    let secs: Vec<i64> = recent.iter().map(|r| duration_seconds(r, now)).collect();
    let max = secs.iter().copied().max().unwrap_or(60).max(60) as f64 / 60.0;
    let ((_, hi), ticks) = nice_domain(0.0, max, 4);
    let y = Linear::new((0.0, hi), (frame.bottom, frame.top));
    let slot = (frame.right - frame.left) / recent.len().max(1) as f64;
    let bar_w = (slot * 0.7).min(36.0);
    let bars = recent
        .iter()
        .zip(&secs)
        .enumerate()
        .map(|(i, (r, s))| {
            let group = r.status.group();
            let top = y.map(*s as f64 / 60.0);
            Bar {
                id: r.id.clone(),
                x: frame.left + slot * i as f64 + (slot - bar_w) / 2.0,
                y: top,
                width: bar_w,
                height: (frame.bottom - top).max(1.0),
                modifier: outcome_modifier(group),
                outcome: group.label(),
                outcome_mark: outcome_mark(group),
                seconds: *s,
                label: format!(
                    "{}: {} {} {}, started {} {}",
                    r.id,
                    group.label(),
                    if r.status.is_completed() {
                        "after"
                    } else {
                        "for"
                    },
                    format_duration(*s),
                    date(r.start_time),
                    clock_minutes(r.start_time)
                ),
            }
        })
        .collect();
    let mut done: Vec<i64> = recent
        .iter()
        .zip(&secs)
        .filter(|(r, _)| r.status.is_completed())
        .map(|(_, s)| *s)
        .collect();
    done.sort_unstable();
    let median = (!done.is_empty()).then(|| {
        let m = if done.len() % 2 == 1 {
            done[done.len() / 2]
        } else {
            (done[done.len() / 2 - 1] + done[done.len() / 2]) / 2
        };
        (y.map(m as f64 / 60.0), m)
    });
    Trend {
        y_ticks: ticks
            .iter()
            .map(|t| Tick {
                pos: y.map(*t),
                label: format!("{}m", super::scale::format_value(*t)),
            })
            .collect(),
        bars,
        median,
        frame,
    }
}

fn outcome_mark(g: StatusGroup) -> &'static str {
    match g {
        StatusGroup::Successful => "✓",
        StatusGroup::RolledBack | StatusGroup::Failed => "✕",
        StatusGroup::InProgress => "…",
        StatusGroup::Paused => "‖",
        StatusGroup::InvalidSpec => "!",
        StatusGroup::Canceled => "–",
    }
}

fn outcome_modifier(g: StatusGroup) -> &'static str {
    match g {
        StatusGroup::Successful => "success",
        StatusGroup::RolledBack | StatusGroup::Failed => "danger",
        StatusGroup::InProgress => "running",
        StatusGroup::Paused | StatusGroup::InvalidSpec => "attention",
        StatusGroup::Canceled => "neutral",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use rollout_api::{RolloutStatus, SpotDeploymentRef, StrategyType};

    fn rollout(
        id: &str,
        start_min: i64,
        minutes: Option<i64>,
        status: RolloutStatus,
    ) -> RolloutSummary {
        let start =
            Utc.with_ymd_and_hms(2026, 1, 5, 12, 0, 0).unwrap() + Duration::minutes(start_min);
        RolloutSummary {
            id: id.into(),
            status,
            strategy_type: StrategyType::Canary,
            strategy_name: "canary".into(),
            rollout_spec: "spec".into(),
            spot_deployment: SpotDeploymentRef {
                name: "web".into(),
                is_live_applied: false,
                revision: 1,
            },
            cluster_id: "c".into(),
            namespace: "n".into(),
            cloud_provider: "AWS".into(),
            start_time: start,
            end_time: minutes.map(|m| start + Duration::minutes(m)),
            image: "web:1".into(),
            failure_reason: None,
        }
    }

    #[test]
    fn one_bar_per_rollout_oldest_first_with_the_median_of_completed_ones() {
        let now = Utc.with_ymd_and_hms(2026, 1, 5, 16, 0, 0).unwrap();
        let rs = vec![
            rollout("rol-b", 60, Some(20), RolloutStatus::Aborted),
            rollout("rol-a", 0, Some(10), RolloutStatus::Finished),
            rollout("rol-c", 120, Some(30), RolloutStatus::Finished),
            rollout("rol-d", 230, None, RolloutStatus::InProgress),
        ];
        let t = trend(&rs, now, 10, 400.0, 160.0);
        let ids: Vec<&str> = t.bars.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, vec!["rol-a", "rol-b", "rol-c", "rol-d"]);
        assert_eq!(t.bars[1].outcome, "Rolled back");
        assert_eq!(t.bars[1].modifier, "danger");
        assert_eq!(t.bars[1].outcome_mark, "✕");
        assert_eq!(t.bars[3].seconds, 600);
        // Longer rollouts have taller bars.
        assert!(t.bars[2].height > t.bars[0].height);
        // Median of 10, 20 and 30 minutes (the running one is left out).
        assert_eq!(t.median.map(|m| m.1), Some(1200));
        assert!(t.bars[1].label.starts_with("rol-b: Rolled back after 20m"));
        // Only the most recent `limit` rollouts.
        assert_eq!(trend(&rs, now, 2, 400.0, 160.0).bars.len(), 2);
        assert!(trend(&[], now, 10, 400.0, 160.0).median.is_none());
    }
}
