//! Behaviour 11: actions with guards. One guard function decides both `act` and
//! `RolloutDetail.actions`.

mod common;
use common::*;
use rollout_api::{ActionKind, FailureReasonType, PauseKind, PhaseStatus, RolloutStatus};
use rollout_engine::{ActionError, Engine};

const THREE_PAUSES: &str = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: three
canary:
  steps:
    - name: one
      setWeight: 10
      pause: {}
    - name: two
      setWeight: 50
      pause: {}
    - name: three
      setWeight: 100
"#;

fn paused_in_phase_one() -> (Engine, String) {
    let mut e = setup(THREE_PAUSES, "three", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run_until_status(&mut e, &id, RolloutStatus::Paused, 60);
    (e, id)
}

fn act(
    e: &mut Engine,
    id: &str,
    action: ActionKind,
) -> Result<rollout_api::RolloutDetail, ActionError> {
    let now = e.now();
    e.act(id, action, "alice", now)
}

fn enabled(d: &rollout_api::RolloutDetail, action: ActionKind) -> bool {
    d.actions
        .iter()
        .find(|a| a.action == action)
        .unwrap()
        .enabled
}

#[test]
fn the_detail_lists_all_six_actions_with_the_same_verdict_as_act() {
    let (mut e, id) = paused_in_phase_one();
    let d = detail(&e, &id);
    assert_eq!(d.actions.len(), 6);
    let listed: Vec<ActionKind> = d.actions.iter().map(|a| a.action).collect();
    assert_eq!(listed, ActionKind::ALL.to_vec());
    for a in &d.actions {
        assert_eq!(a.enabled, a.reason.is_none(), "{a:?}");
    }
    let retry = d
        .actions
        .iter()
        .find(|a| a.action == ActionKind::Retry)
        .unwrap();
    assert!(!retry.enabled);
    // The same reason comes back from act.
    assert_eq!(
        act(&mut e, &id, ActionKind::Retry),
        Err(ActionError::Refused(retry.reason.clone().unwrap()))
    );
    assert!(e
        .act("rol-nothere", ActionKind::Promote, "alice", e.now())
        .is_err_and(|x| x == ActionError::NotFound));
}

#[test]
fn promote_ends_the_current_phase_and_starts_the_next() {
    let (mut e, id) = paused_in_phase_one();
    let d = act(&mut e, &id, ActionKind::Promote).unwrap();
    assert_eq!(d.phases[0].status, PhaseStatus::Promoted);
    assert_eq!(d.phases[1].status, PhaseStatus::InProgress);
    assert_eq!(d.new_version_status.traffic_percentage, 50);
}

#[test]
fn promote_full_goes_to_100_percent_and_finishes() {
    let (mut e, id) = paused_in_phase_one();
    let d = act(&mut e, &id, ActionKind::PromoteFull).unwrap();
    assert_eq!(d.status, RolloutStatus::Finished);
    assert_eq!(d.new_version_status.traffic_percentage, 100);
    assert_eq!(d.new_version_status.replicas.desired, 5);
    assert_eq!(d.phases[0].status, PhaseStatus::FullPromoted);
    assert_eq!(d.phases[2].status, PhaseStatus::Dropped);
    assert!(d.spot_deployment.is_live_applied);
    assert!(!enabled(&d, ActionKind::Promote));
}

#[test]
fn pause_is_manual_paused_and_resume_continues_where_it_left_off() {
    let strategy = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: windowed
canary:
  steps:
    - setWeight: 20
      pause:
        duration: 2m
    - setWeight: 100
"#;
    let mut e = setup(strategy, "windowed", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 10);
    assert_eq!(detail(&e, &id).status, RolloutStatus::Paused);
    let d = act(&mut e, &id, ActionKind::Pause).unwrap();
    assert_eq!(d.status, RolloutStatus::ManualPaused);
    assert_eq!(
        d.conditions.paused.as_ref().unwrap().kind,
        PauseKind::Manual
    );
    assert!(matches!(
        act(&mut e, &id, ActionKind::Pause),
        Err(ActionError::Refused(_))
    ));
    run(&mut e, 600);
    assert_eq!(
        detail(&e, &id).status,
        RolloutStatus::ManualPaused,
        "a manual pause holds"
    );
    let d = act(&mut e, &id, ActionKind::Resume).unwrap();
    assert_ne!(d.status, RolloutStatus::ManualPaused);
    run_until_status(&mut e, &id, RolloutStatus::Finished, 60);
    assert!(!enabled(&detail(&e, &id), ActionKind::Resume));
}

#[test]
fn resume_is_refused_when_nothing_is_paused() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let d = detail(&e, &id);
    assert!(!enabled(&d, ActionKind::Resume));
    assert_eq!(
        act(&mut e, &id, ActionKind::Resume),
        Err(ActionError::Refused("The rollout is not paused".into()))
    );
}

#[test]
fn rollback_restores_the_stable_version_with_reason_manual_rollback() {
    let (mut e, id) = paused_in_phase_one();
    let d = act(&mut e, &id, ActionKind::Rollback).unwrap();
    assert_eq!(d.status, RolloutStatus::Aborting);
    run_until_status(&mut e, &id, RolloutStatus::Aborted, 30);
    let d = detail(&e, &id);
    let reason = d.failure_reason.unwrap();
    assert_eq!(reason.kind, FailureReasonType::ManualRollback);
    assert!(reason.message.contains("alice"));
    assert_eq!(d.stable_version_status.unwrap().replicas.ready, 5);
    assert_eq!(d.phases[0].status, PhaseStatus::Aborted);
    assert!(matches!(
        act(&mut e, &id, ActionKind::Rollback),
        Err(ActionError::Refused(_))
    ));
}

#[test]
fn retry_is_offered_only_once_completed_and_starts_a_new_rollout_linked_to_the_original() {
    let (mut e, id) = paused_in_phase_one();
    assert!(!enabled(&detail(&e, &id), ActionKind::Retry));
    act(&mut e, &id, ActionKind::Rollback).unwrap();
    run_until_status(&mut e, &id, RolloutStatus::Aborted, 30);
    assert!(enabled(&detail(&e, &id), ActionKind::Retry));

    let new = act(&mut e, &id, ActionKind::Retry).unwrap();
    assert_ne!(new.id, id, "a retry is a new rollout");
    assert_eq!(new.original_rollout_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        detail(&e, &id).new_rollout_id.as_deref(),
        Some(new.id.as_str())
    );
    assert_eq!(new.spot_deployment.revision, 2, "the same version again");
    assert_eq!(new.status, RolloutStatus::InProgress);
    assert!(
        !e.workload("prod-us-east", "payments", "checkout")
            .unwrap()
            .degraded
    );
    assert!(
        !enabled(&detail(&e, &id), ActionKind::Retry),
        "only the latest can be retried"
    );
    run_until_status(&mut e, &new.id, RolloutStatus::Paused, 60);
}

#[test]
fn retry_is_refused_for_a_finished_rollout() {
    let (mut e, id) = paused_in_phase_one();
    act(&mut e, &id, ActionKind::PromoteFull).unwrap();
    let d = detail(&e, &id);
    let retry = d
        .actions
        .iter()
        .find(|a| a.action == ActionKind::Retry)
        .unwrap();
    assert!(!retry.enabled);
    assert!(retry.reason.as_ref().unwrap().contains("already live"));
}

#[test]
fn every_action_is_recorded_with_who_and_when() {
    let (mut e, id) = paused_in_phase_one();
    e.drain_changes();
    let at = e.now() + chrono::Duration::seconds(5);
    e.act(&id, ActionKind::Promote, "carol", at).unwrap();
    let log = e.action_log();
    let last = log.last().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.action, last.at),
        ("carol", ActionKind::Promote, at)
    );
    assert!(e
        .drain_changes()
        .iter()
        .any(|c| matches!(c, rollout_engine::Change::Action(a) if a.actor == "carol")));
    assert!(event_reasons(&e, &id).contains(&"ActionPromote".to_string()));
}
