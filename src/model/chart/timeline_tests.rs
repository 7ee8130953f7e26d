use super::timeline::*;
use crate::model::rollout_view::tests::{sample, t0, verification};
use chrono::Duration;
use rollout_api::{
    ActionKind, ActionRecord, PauseSpec, PhaseStatus, RolloutStatus, VerificationStatus,
};

fn record(action: ActionKind, actor: &str, minutes: i64) -> ActionRecord {
    ActionRecord {
        rollout_id: "rol-abc123".into(),
        action,
        actor: actor.into(),
        at: t0() + Duration::minutes(minutes),
        reason: None,
    }
}

/// A canary that paused at 20 % until someone acted, was promoted by alice, and now runs at 50 %.
fn paused_then_promoted() -> rollout_api::RolloutDetail {
    let mut r = sample();
    let p = &mut r.phases[0];
    p.status = PhaseStatus::Promoted;
    p.start_time = Some(t0());
    p.paused_at = Some(t0() + Duration::minutes(2));
    p.pause = Some(PauseSpec {
        duration_seconds: None,
    });
    p.end_time = Some(t0() + Duration::minutes(10));
    let p = &mut r.phases[1];
    p.status = PhaseStatus::InProgress;
    p.start_time = Some(t0() + Duration::minutes(10));
    p.pause = Some(PauseSpec {
        duration_seconds: Some(600),
    });
    r
}

#[test]
fn a_paused_and_promoted_rollout_shows_the_pause_and_the_action() {
    let mut r = paused_then_promoted();
    r.activity = vec![record(ActionKind::Promote, "alice", 10)];
    let now = t0() + Duration::minutes(12);
    let t = timeline(&r, now, 600.0, 200.0);
    assert_eq!(t.pauses.len(), 1);
    assert_eq!(t.pauses[0].modifier, "indefinite");
    assert_eq!(
        t.pauses[0].label,
        "canary-20: paused 14:02:00 → 14:10:00 (until someone acts)"
    );
    assert_eq!(t.marks.len(), 1);
    assert_eq!(t.marks[0].kind, MarkKind::Action);
    assert_eq!(t.marks[0].label, "Promoted by alice at 14:10:00");
    // The action sits where the pause ends.
    assert!((t.marks[0].x - t.pauses[0].x1).abs() < 1e-9);
    // Now is drawn, and the steps to come are dashed after it.
    let now_x = t.now.expect("running rollout has a now line");
    assert!(now_x > t.marks[0].x);
    assert!(!t.planned.is_empty());
    let states: Vec<&str> = t.rows.iter().map(|s| s.state).collect();
    assert_eq!(states, vec!["happened", "now", "planned"]);
    assert_eq!(t.y_title, "Canary traffic %");
}

#[test]
fn a_finished_rollout_ends_at_full_weight_with_no_plan_or_now() {
    let mut r = paused_then_promoted();
    r.status = RolloutStatus::Finished;
    for (i, p) in r.phases.iter_mut().enumerate() {
        p.status = PhaseStatus::Finished;
        p.start_time = Some(t0() + Duration::minutes(10 * i as i64));
        p.end_time = Some(t0() + Duration::minutes(10 * i as i64 + 10));
    }
    r.end_time = Some(t0() + Duration::minutes(30));
    let t = timeline(&r, t0() + Duration::hours(2), 600.0, 200.0);
    assert!(t.now.is_none());
    assert!(t.planned.is_empty());
    // The path ends on the 100 % line at the right edge.
    assert!(t
        .path
        .ends_with(&format!("{:.1},{:.1}", t.frame.right, t.frame.top)));
}

#[test]
fn a_failed_verification_is_a_span_and_the_failure_a_mark() {
    let mut r = sample();
    r.status = RolloutStatus::Aborted;
    r.end_time = Some(t0() + Duration::minutes(6));
    let p = &mut r.phases[0];
    p.status = PhaseStatus::Aborted;
    p.start_time = Some(t0());
    p.end_time = Some(t0() + Duration::minutes(6));
    p.failure = Some("success-rate failed: 0.78 < 0.95".into());
    let mut v = verification(&[Some(0.97), Some(0.78)]);
    v.status = VerificationStatus::Failed;
    p.verifications = vec![v];
    let t = timeline(&r, t0() + Duration::hours(1), 600.0, 200.0);
    assert_eq!(t.verifications.len(), 1);
    assert_eq!(t.verifications[0].modifier, "danger");
    assert_eq!(t.verifications[0].label, "success-rate (canary-20): failed");
    assert_eq!(t.marks.len(), 1);
    assert_eq!(t.marks[0].kind, MarkKind::Failure);
    // The phases that never ran are listed as skipped, not as planned.
    assert_eq!(t.rows[1].state, "skipped");
    assert_eq!(
        t.rows[0].note,
        "rolled back: success-rate failed: 0.78 < 0.95"
    );
    // After a roll back the weight returns to 0.
    assert!(t
        .path
        .ends_with(&format!("{:.1},{:.1}", t.frame.right, t.frame.bottom)));
}

#[test]
fn a_hold_by_the_failure_policy_is_shaded_to_now_and_the_failure_marked_when_it_happened() {
    let mut r = sample();
    r.status = RolloutStatus::FailurePolicyPaused;
    let p = &mut r.phases[0];
    p.start_time = Some(t0());
    p.failure = Some("success-rate failed".into());
    let mut v = verification(&[Some(0.97), Some(0.78)]);
    v.status = VerificationStatus::Failed;
    p.verifications = vec![v];
    r.conditions.paused = Some(rollout_api::PausedCondition {
        kind: rollout_api::PauseKind::FailurePolicy,
        paused_at: t0() + Duration::minutes(1),
        until: None,
        phase: "canary-20".into(),
    });
    let now = t0() + Duration::minutes(12);
    let t = timeline(&r, now, 600.0, 200.0);
    assert_eq!(t.pauses.len(), 1);
    assert_eq!(
        t.pauses[0].label,
        "canary-20: paused 14:01:00 → now (held by the failure policy)"
    );
    assert_eq!(t.pauses[0].x1, t.now.unwrap());
    // The failure is marked at the failed measurement, not at now.
    let failure = t
        .marks
        .iter()
        .find(|m| m.kind == MarkKind::Failure)
        .unwrap();
    assert!(failure.x < t.now.unwrap());
    assert!(failure.label.starts_with("canary-20 failed at 14:01:00"));
}

/// The points of an SVG path made of `M`/`L` commands.
fn points(path: &str) -> Vec<(f64, f64)> {
    path.split(' ')
        .map(|p| {
            let (x, y) = p[1..].split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect()
}

#[test]
fn a_window_pause_in_progress_holds_the_plan_at_its_weight_until_the_window_ends() {
    let mut r = paused_then_promoted();
    let p = &mut r.phases[1];
    p.paused_at = Some(t0() + Duration::minutes(11));
    p.pause_until = Some(t0() + Duration::minutes(21));
    let now = t0() + Duration::minutes(12);
    let t = timeline(&r, now, 600.0, 200.0);
    let now_x = t.now.expect("running");
    let plan = points(&t.planned);
    // From now, the plan first stays at the current weight, for what is left of the window …
    assert!((plan[0].0 - now_x).abs() < 0.1);
    assert_eq!(plan[1].1, plan[0].1);
    assert!(plan[1].0 > now_x + 1.0);
    // … and only then steps to the next weight.
    assert!(plan[2].1 < plan[1].1, "the next step is higher (smaller y)");
    assert!((plan[2].0 - plan[1].0).abs() < 0.1);

    // Without a window left (an indefinite pause), the next step is drawn from now.
    r.phases[1].pause_until = None;
    let t = timeline(&r, now, 600.0, 200.0);
    let plan = points(&t.planned);
    assert!((plan[1].0 - t.now.expect("running")).abs() < 0.1);
}
