//! Behaviour 9: re-applying a SpotDeployment with a new template during a rollout cancels it;
//! the two rollouts point at each other.

mod common;
use common::*;
use rollout_api::{PhaseStatus, RolloutStatus};

const SLOW: &str = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: slow
canary:
  steps:
    - setWeight: 20
      pause:
        duration: 10m
    - setWeight: 100
"#;

#[test]
fn reapplying_the_spot_deployment_during_a_rollout_cancels_it_and_links_the_new_rollout() {
    let mut e = setup(SLOW, "slow", "abort", 5);
    let first = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 30);
    assert_eq!(detail(&e, &first).status, RolloutStatus::Paused);
    let first_canary = e
        .resources(&first)
        .unwrap()
        .replica_sets
        .latest
        .unwrap()
        .name;

    let resp = apply(
        &mut e,
        &spot_deployment(
            "payments",
            "checkout",
            "registry.example.com/checkout:1.2.0",
            5,
            &[],
        ),
    );
    assert_eq!(resp.rollouts_canceled, vec![first.clone()]);
    let second = resp.rollouts_started[0].clone();

    let old = detail(&e, &first);
    assert_eq!(old.status, RolloutStatus::Canceled);
    assert_eq!(old.new_rollout_id.as_deref(), Some(second.as_str()));
    assert!(old.end_time.is_some());
    assert_eq!(old.phases[0].status, PhaseStatus::Canceled);
    assert_eq!(old.phases[1].status, PhaseStatus::Dropped);
    assert!(event_reasons(&e, &first).contains(&"RolloutCanceled".to_string()));

    let new = detail(&e, &second);
    assert_eq!(new.original_rollout_id.as_deref(), Some(first.as_str()));
    assert_eq!(new.spot_deployment.revision, 3);
    assert_eq!(
        new.stable_version_status.unwrap().version,
        "registry.example.com/checkout:1.0.0"
    );
    run(&mut e, 20);
    // The canceled canary's pods are gone; the new canary runs.
    let pods = e.resources(&second).unwrap().pods;
    assert!(
        pods.iter().all(|p| p.replica_set != first_canary),
        "{pods:?}"
    );
    assert_eq!(pods.len(), 5, "4 stable + 1 canary");
    assert_eq!(detail(&e, &second).new_version_status.replicas.ready, 1);
}

#[test]
fn applying_the_same_spot_deployment_again_changes_nothing() {
    let mut e = setup(SLOW, "slow", "abort", 5);
    let first = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let resp = apply(
        &mut e,
        &spot_deployment(
            "payments",
            "checkout",
            "registry.example.com/checkout:1.1.0",
            5,
            &[],
        ),
    );
    assert!(resp.rollouts_started.is_empty() && resp.rollouts_canceled.is_empty());
    assert_eq!(
        resp.applied[0].outcome,
        rollout_api::ApplyOutcome::Unchanged
    );
    assert_ne!(detail(&e, &first).status, RolloutStatus::Canceled);
}

#[test]
fn applying_the_live_version_during_a_rollout_cancels_it_without_a_new_rollout() {
    let mut e = setup(SLOW, "slow", "abort", 5);
    let first = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let resp = apply(
        &mut e,
        &spot_deployment(
            "payments",
            "checkout",
            "registry.example.com/checkout:1.0.0",
            5,
            &[],
        ),
    );
    assert_eq!(resp.rollouts_canceled, vec![first.clone()]);
    assert!(resp.rollouts_started.is_empty());
    let d = detail(&e, &first);
    assert_eq!(d.status, RolloutStatus::Canceled);
    assert_eq!(d.new_rollout_id, None);
    let w = e.workload("prod-us-east", "payments", "checkout").unwrap();
    assert_eq!((w.desired_revision, w.live_revision), (1, 1));
}
