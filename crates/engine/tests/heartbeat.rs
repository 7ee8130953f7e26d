//! Behaviour 10: the operator's heartbeat. Lost during a rollout: the rollout goes on and says
//! so; lost before: a new rollout waits (pending) until the operator is back.

mod common;
use common::*;
use rollout_api::RolloutStatus;

const CLUSTER: &str = "prod-us-east";

#[test]
fn a_running_operator_reports_a_heartbeat_every_30_seconds() {
    let mut e = engine();
    run(&mut e, 95);
    let c = e.cluster(CLUSTER).unwrap();
    assert_eq!(
        c.last_heartbeat_time,
        Some(t0() + chrono::Duration::seconds(90))
    );
    assert!(!c.heartbeat_stale);
    assert!(c.operator.running);
    assert_eq!(c.operator.heartbeat_interval_seconds, 30);
}

#[test]
fn operator_lost_during_a_rollout_the_rollout_goes_on_and_reports_heartbeat_lost() {
    let strategy = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: windowed
canary:
  steps:
    - setWeight: 20
    - setWeight: 50
      pause:
        duration: 5m
    - setWeight: 100
"#;
    let mut e = setup(strategy, "windowed", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let now = e.now();
    let c = e.set_operator_running(CLUSTER, false, now).unwrap();
    assert!(!c.operator.running);
    run(&mut e, 60);
    assert!(
        detail(&e, &id).conditions.heartbeat_lost.is_none(),
        "not stale before 2 minutes"
    );
    run(&mut e, 70);
    let c = e.cluster(CLUSTER).unwrap();
    assert!(c.heartbeat_stale);
    let d = detail(&e, &id);
    let lost = d.conditions.heartbeat_lost.expect("heartbeat lost");
    assert!(lost.during_rollout);
    assert_eq!(lost.last_heartbeat_time, c.last_heartbeat_time);
    assert_eq!(
        d.phases[0].status,
        rollout_api::PhaseStatus::Promoted,
        "the rollout went on"
    );
    assert_eq!(d.status, RolloutStatus::Paused);

    let now = e.now();
    let c = e.set_operator_running(CLUSTER, true, now).unwrap();
    assert!(!c.heartbeat_stale);
    assert!(
        detail(&e, &id).conditions.heartbeat_lost.is_none(),
        "cleared once back"
    );
    run_until_status(&mut e, &id, RolloutStatus::Finished, 400);
}

#[test]
fn operator_lost_before_a_rollout_the_rollout_stays_pending_until_it_is_back() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let now = e.now();
    e.set_operator_running(CLUSTER, false, now);
    run(&mut e, 300);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 600);
    let d = detail(&e, &id);
    assert_eq!(d.status, RolloutStatus::Pending);
    assert!(d
        .conditions
        .pending_reason
        .as_ref()
        .unwrap()
        .contains("operator"));
    let lost = d.conditions.heartbeat_lost.expect("heartbeat lost");
    assert!(!lost.during_rollout);
    assert_eq!(d.new_version_status.replicas.desired, 0, "nothing deployed");
    assert!(d
        .actions
        .iter()
        .all(|a| a.action == rollout_api::ActionKind::Rollback || !a.enabled));

    let now = e.now();
    e.set_operator_running(CLUSTER, true, now);
    let d = detail(&e, &id);
    assert_eq!(d.status, RolloutStatus::InProgress);
    assert!(d.conditions.pending_reason.is_none() && d.conditions.heartbeat_lost.is_none());
    run_until_status(&mut e, &id, RolloutStatus::Finished, 120);
}

#[test]
fn stale_and_back_are_reported_as_cluster_changes() {
    let mut e = engine();
    e.drain_changes();
    let now = e.now();
    e.set_operator_running(CLUSTER, false, now);
    run(&mut e, 200);
    let changes = e.drain_changes();
    let cluster_changes = changes
        .iter()
        .filter(|c| matches!(c, rollout_engine::Change::Cluster(id) if id == CLUSTER))
        .count();
    assert_eq!(cluster_changes, 2, "stopped, then stale: {changes:?}");
}
