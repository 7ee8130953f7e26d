//! Behaviours 2 and 3: a pause with a duration (a window) continues by itself; a pause without
//! one waits for Resume / Promote, or Roll back.

mod common;
use chrono::Duration;
use common::*;
use rollout_api::{ActionKind, PauseKind, PhaseStatus, RolloutStatus};

const STRATEGY_PAUSES: &str = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: pauses
canary:
  steps:
    - name: window
      setWeight: 20
      pause:
        duration: 5m
    - name: hold
      setWeight: 60
      pause: {}
    - name: full
      setWeight: 100
"#;

#[test]
fn pause_with_a_duration_shows_paused_at_and_time_left_then_continues_by_itself() {
    let mut e = setup(STRATEGY_PAUSES, "pauses", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run_until_status(&mut e, &id, RolloutStatus::Paused, 60);
    let d = detail(&e, &id);
    let phase = &d.phases[0];
    assert_eq!(phase.status, PhaseStatus::Paused);
    let paused_at = phase.paused_at.expect("pausedAt");
    assert_eq!(phase.pause_until, Some(paused_at + Duration::minutes(5)));
    let cond = d.conditions.paused.expect("a paused condition");
    assert_eq!(cond.kind, PauseKind::Window);
    assert_eq!(cond.until, Some(paused_at + Duration::minutes(5)));
    assert_eq!(cond.phase, "window");

    run(&mut e, 200);
    assert_eq!(
        detail(&e, &id).status,
        RolloutStatus::Paused,
        "still inside the window"
    );
    run(&mut e, 101);
    let d = detail(&e, &id);
    assert_eq!(
        d.phases[0].status,
        PhaseStatus::Promoted,
        "moved on by itself"
    );
    assert!(d.phases[0].end_time.unwrap() >= paused_at + Duration::minutes(5));
    assert_eq!(d.phases[1].status, PhaseStatus::InProgress);
}

#[test]
fn pause_without_a_duration_waits_until_someone_resumes() {
    let mut e = setup(STRATEGY_PAUSES, "pauses", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 400);
    let d = detail(&e, &id);
    assert_eq!(d.status, RolloutStatus::Paused);
    assert_eq!(d.phases[1].status, PhaseStatus::Paused);
    assert_eq!(d.phases[1].pause_until, None);
    assert_eq!(
        d.conditions.paused.as_ref().unwrap().kind,
        PauseKind::Indefinite
    );

    run(&mut e, 3 * 24 * 3600);
    assert_eq!(
        detail(&e, &id).status,
        RolloutStatus::Paused,
        "days later, still paused"
    );

    let now = e.now();
    let d = e.act(&id, ActionKind::Resume, "alice", now).unwrap();
    assert_eq!(d.phases[1].status, PhaseStatus::Promoted);
    assert_eq!(d.phases[2].status, PhaseStatus::InProgress);
    run_until_status(&mut e, &id, RolloutStatus::Finished, 60);
}

#[test]
fn pause_without_a_duration_ends_with_promote_or_roll_back() {
    for (action, expected) in [
        (ActionKind::Promote, RolloutStatus::Finished),
        (ActionKind::Rollback, RolloutStatus::Aborted),
    ] {
        let mut e = setup(STRATEGY_PAUSES, "pauses", "abort", 5);
        let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
        run(&mut e, 400);
        assert_eq!(
            detail(&e, &id).conditions.paused.unwrap().kind,
            PauseKind::Indefinite
        );
        let now = e.now();
        e.act(&id, action, "bob", now).unwrap();
        run_until_status(&mut e, &id, expected, 60);
    }
}
