//! The phases panel in words and numbers: phase states, pause information with its countdown,
//! phase times and verification results (their charts: `model::chart`).

use crate::model::rollout_view::countdown;
use crate::model::time::format_duration;
use chrono::{DateTime, Utc};
use rollout_api::{
    DataPointStatus, Phase, PhaseStatus, StrategyType, Verification, VerificationStatus,
};

/// Label and BEM modifier (`phases__step--{modifier}`) of a phase state.
pub fn phase_state(status: PhaseStatus) -> (&'static str, &'static str) {
    match status {
        PhaseStatus::Pending => ("Pending", "pending"),
        PhaseStatus::InProgress => ("In progress", "current"),
        PhaseStatus::Verifying => ("Verifying", "current"),
        PhaseStatus::Paused => ("Paused", "paused"),
        PhaseStatus::Promoting => ("Promoting", "current"),
        PhaseStatus::Promoted => ("Promoted", "done"),
        PhaseStatus::FullPromoted => ("Promoted (all)", "done"),
        PhaseStatus::Finished => ("Finished", "done"),
        PhaseStatus::Aborting => ("Rolling back", "failed"),
        PhaseStatus::Aborted => ("Rolled back", "failed"),
        PhaseStatus::Canceled => ("Canceled", "skipped"),
        PhaseStatus::Dropped => ("Skipped", "skipped"),
    }
}

/// The state shown for a phase: its own state, except that a phase whose verification failed
/// while the failure policy holds the rollout is not "Verifying" any more — it failed and waits.
pub fn shown_phase_state(p: &Phase) -> (&'static str, &'static str) {
    let running = matches!(
        p.status,
        PhaseStatus::InProgress | PhaseStatus::Verifying | PhaseStatus::Paused
    );
    if running && p.failure.is_some() && p.end_time.is_none() {
        ("Failed · held", "failed")
    } else {
        phase_state(p.status)
    }
}

/// "14:03:07" for phase times (the date is on the top line).
/// True when a phase is over: it has an end time, or a state it never leaves (promoted,
/// rolled back, skipped, ...). Its verifications then say "never measured", not "not yet".
pub fn phase_ended(p: &Phase) -> bool {
    p.end_time.is_some()
        || !matches!(
            p.status,
            PhaseStatus::Pending
                | PhaseStatus::InProgress
                | PhaseStatus::Verifying
                | PhaseStatus::Paused
                | PhaseStatus::Promoting
        )
}

/// What a phase's weight means, after the percentage: a canary phase sets a traffic weight; a
/// rolling one moves a share of the replicas.
pub fn weight_meaning(kind: StrategyType) -> &'static str {
    match kind {
        StrategyType::Canary => " of traffic on canary",
        StrategyType::Rolling => " of replicas on the new version",
        StrategyType::BlueGreen => " of traffic on the new version",
    }
}

pub fn clock_time(t: DateTime<Utc>) -> String {
    crate::model::time::clock(t)
}

/// "14:03:07 → 14:05:00 (1m 53s)", "14:03:07 → now (2m 10s)" or "Not started".
pub fn phase_span(p: &Phase, now: DateTime<Utc>) -> String {
    match (p.start_time, p.end_time) {
        (None, _) => "Not started".into(),
        (Some(s), Some(e)) => format!(
            "{} → {} ({})",
            clock_time(s),
            clock_time(e),
            format_duration((e - s).num_seconds())
        ),
        (Some(s), None) => format!(
            "{} → now ({})",
            clock_time(s),
            format_duration((now - s).num_seconds())
        ),
    }
}

/// What the strategy says about the phase's pause, and where it stands now:
/// "Pause: 15m window", "Paused at 14:03:07 · 15m window · 12m 03s left",
/// "Paused at 14:03:07 · until you act". None when the phase has no pause.
pub fn pause_info(p: &Phase, now: DateTime<Utc>) -> Option<String> {
    let spec = p.pause.as_ref();
    let window = spec
        .and_then(|s| s.duration_seconds)
        .map(|d| format!("{} window", format_duration(d as i64)));
    match p.paused_at {
        Some(at) => {
            let mut parts = vec![format!("Paused at {}", clock_time(at))];
            parts.extend(window);
            let ended = p.end_time.is_some() || p.status != PhaseStatus::Paused;
            match (p.pause_until, ended) {
                (_, true) => {}
                (Some(until), false) => parts.push(format!("{} left", countdown(until, now))),
                (None, false) => parts.push("until you act".into()),
            }
            Some(parts.join(" · "))
        }
        None => spec.map(|_| match window {
            Some(w) => format!("Pause: {w}"),
            None => "Pause: until you act".into(),
        }),
    }
}

/// Label and modifier (`verification--{modifier}`) of a verification's status. `ended`: its
/// phase (or, for a background verification, the rollout) is over, so a verification still
/// pending never ran.
pub fn verification_state(status: VerificationStatus, ended: bool) -> (&'static str, &'static str) {
    match status {
        VerificationStatus::Pending if ended => ("Not run", "pending"),
        VerificationStatus::Pending => ("Pending", "pending"),
        VerificationStatus::Running | VerificationStatus::InProgress => ("Running", "running"),
        VerificationStatus::Successful => ("Successful", "success"),
        VerificationStatus::Failed => ("Failed", "danger"),
        VerificationStatus::Error => ("No data", "attention"),
    }
}

pub fn data_point_state(status: DataPointStatus) -> (&'static str, &'static str) {
    match status {
        DataPointStatus::Successful => ("passed", "success"),
        DataPointStatus::Failed => ("failed", "danger"),
        DataPointStatus::Inconclusive => ("inconclusive", "attention"),
        DataPointStatus::Error => ("no data", "neutral"),
    }
}

/// "3 of 5 measurements · 1 failed (limit 1)"; "12 measurements · 0 failed (limit 0)" when the
/// template sets no count (a background verification measures for as long as the rollout runs).
pub fn verification_progress(v: &Verification) -> String {
    let failed = v
        .data_points
        .iter()
        .filter(|d| d.status == DataPointStatus::Failed)
        .count();
    let missing = v
        .data_points
        .iter()
        .filter(|d| d.status == DataPointStatus::Error)
        .count();
    let n = v.data_points.len();
    let measured = match (n, v.count) {
        (1, 0) => "1 measurement".to_string(),
        (_, 0) => format!("{n} measurements"),
        (_, count) => format!("{n} of {count} measurements"),
    };
    let mut out = format!("{measured} · {failed} failed (limit {})", v.failure_limit);
    if missing > 0 {
        out.push_str(&format!(" · {missing} without data"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rollout_view::tests::{phase, t0, verification};
    use chrono::Duration;
    use rollout_api::PauseSpec;

    #[test]
    fn a_windowed_pause_counts_down_and_an_open_one_waits() {
        let mut p = phase(1, "canary-50", 50, PhaseStatus::Paused);
        p.pause = Some(PauseSpec {
            duration_seconds: Some(900),
        });
        assert_eq!(pause_info(&p, t0()).unwrap(), "Pause: 15m 00s window");
        p.paused_at = Some(t0());
        p.pause_until = Some(t0() + Duration::minutes(15));
        assert_eq!(
            pause_info(&p, t0() + Duration::seconds(177)).unwrap(),
            "Paused at 14:00:00 · 15m 00s window · 12m 03s left"
        );
        p.pause = Some(PauseSpec {
            duration_seconds: None,
        });
        p.pause_until = None;
        assert_eq!(
            pause_info(&p, t0()).unwrap(),
            "Paused at 14:00:00 · until you act"
        );
        p.status = PhaseStatus::Promoted;
        p.end_time = Some(t0() + Duration::minutes(1));
        assert_eq!(pause_info(&p, t0()).unwrap(), "Paused at 14:00:00");
        assert_eq!(
            pause_info(&phase(0, "a", 10, PhaseStatus::Pending), t0()),
            None
        );
    }

    #[test]
    fn phase_spans_read_as_times_and_durations() {
        let mut p = phase(0, "canary-20", 20, PhaseStatus::InProgress);
        assert_eq!(phase_span(&p, t0()), "Not started");
        p.start_time = Some(t0());
        assert_eq!(
            phase_span(&p, t0() + Duration::seconds(130)),
            "14:00:00 → now (2m 10s)"
        );
        p.end_time = Some(t0() + Duration::seconds(113));
        assert_eq!(phase_span(&p, t0()), "14:00:00 → 14:01:53 (1m 53s)");
    }

    #[test]
    fn a_phase_is_over_once_it_ended_or_left_the_running_states() {
        let mut p = phase(0, "canary-20", 20, PhaseStatus::Verifying);
        assert!(!phase_ended(&p));
        p.status = PhaseStatus::Dropped;
        assert!(
            phase_ended(&p),
            "skipped by Promote all, without an end time"
        );
        p.status = PhaseStatus::InProgress;
        p.end_time = Some(t0());
        assert!(phase_ended(&p));
    }

    #[test]
    fn a_rolling_weight_is_a_share_of_replicas() {
        assert_eq!(
            weight_meaning(StrategyType::Canary),
            " of traffic on canary"
        );
        assert_eq!(
            weight_meaning(StrategyType::Rolling),
            " of replicas on the new version"
        );
    }

    #[test]
    fn a_failed_phase_held_by_the_policy_reads_failed_not_verifying() {
        let mut p = phase(0, "canary-20", 20, PhaseStatus::Verifying);
        assert_eq!(shown_phase_state(&p), ("Verifying", "current"));
        p.failure = Some("success-rate: 1 of 1 measurements failed".into());
        assert_eq!(shown_phase_state(&p), ("Failed · held", "failed"));
        p.status = PhaseStatus::Aborted;
        p.end_time = Some(t0());
        assert_eq!(shown_phase_state(&p), ("Rolled back", "failed"));
    }

    #[test]
    fn verifications_that_never_ran_and_open_ended_ones_say_so() {
        assert_eq!(
            verification_state(VerificationStatus::Pending, false),
            ("Pending", "pending")
        );
        assert_eq!(
            verification_state(VerificationStatus::Pending, true),
            ("Not run", "pending")
        );
        assert_eq!(
            verification_state(VerificationStatus::Failed, true).0,
            "Failed"
        );
        let mut v = verification(&[Some(0.99), Some(0.99)]);
        v.count = 0;
        v.failure_limit = 0;
        assert_eq!(
            verification_progress(&v),
            "2 measurements · 0 failed (limit 0)"
        );
    }
}
