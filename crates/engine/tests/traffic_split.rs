//! Behaviour 1: each phase sets the canary weight; canary replicas = ceil(replicas × weight / 100)
//! and the stable keeps the rest; the split is visible per version.

mod common;
use common::*;
use rollout_api::{PhaseStatus, RolloutStatus};

#[test]
fn each_phase_sets_the_canary_weight_and_the_stable_keeps_the_rest() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);

    let d = detail(&e, &id);
    assert_eq!(d.status, RolloutStatus::InProgress);
    assert_eq!(d.phases[0].status, PhaseStatus::InProgress);
    assert_eq!(d.new_version_status.traffic_percentage, 20);
    assert_eq!(
        d.new_version_status.replicas.desired, 1,
        "ceil(5 × 20%) = 1"
    );
    let stable = d.stable_version_status.clone().expect("a stable version");
    assert_eq!(stable.traffic_percentage, 80);
    assert_eq!(stable.replicas.desired, 4);
    assert_eq!(stable.version, "registry.example.com/checkout:1.0.0");
    assert_eq!(
        d.new_version_status.version,
        "registry.example.com/checkout:1.1.0"
    );

    // Once the canary pod is ready, phase 2 sets 50 %: ceil(2.5) = 3 canary, 2 stable.
    for _ in 0..30 {
        run(&mut e, 1);
        if detail(&e, &id).phases[1].status == PhaseStatus::InProgress {
            break;
        }
    }
    let d = detail(&e, &id);
    assert_eq!(d.phases[0].status, PhaseStatus::Promoted);
    assert_eq!(d.new_version_status.traffic_percentage, 50);
    assert_eq!(d.new_version_status.replicas.desired, 3);
    assert_eq!(
        d.stable_version_status.as_ref().unwrap().replicas.desired,
        2
    );
    assert_eq!(
        d.stable_version_status.as_ref().unwrap().traffic_percentage,
        50
    );

    let services = e.resources(&id).unwrap().services;
    let canary = services
        .iter()
        .find(|s| s.role.as_deref() == Some("canary"))
        .unwrap();
    let stable = services
        .iter()
        .find(|s| s.role.as_deref() == Some("stable"))
        .unwrap();
    assert_eq!((canary.weight, stable.weight), (50, 50));

    run_until_status(&mut e, &id, RolloutStatus::Finished, 120);
    let d = detail(&e, &id);
    assert_eq!(d.new_version_status.traffic_percentage, 100);
    assert_eq!(d.new_version_status.replicas.desired, 5);
    assert!(d.spot_deployment.is_live_applied);
    assert_eq!(d.phases[2].status, PhaseStatus::Finished);
    run(&mut e, 10);
    let d = detail(&e, &id);
    assert_eq!(d.new_version_status.replicas.ready, 5);
    assert_eq!(
        d.stable_version_status.unwrap().pods.len(),
        0,
        "old pods scaled away"
    );
}

#[test]
fn canary_pods_go_from_pending_to_ready_over_simulated_seconds() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let pods = detail(&e, &id).new_version_status.pods;
    assert_eq!(pods.len(), 1);
    assert_eq!(pods[0].status, "Pending");
    assert!(pods[0].name.starts_with("checkout-"), "{}", pods[0].name);
    assert_eq!(
        pods[0].name.split('-').count(),
        3,
        "checkout-<hash>-<suffix>"
    );
    assert!(pods[0].node.ends_with(".ec2.internal"));
    run(&mut e, 1);
    assert_eq!(
        detail(&e, &id).new_version_status.pods[0].status,
        "ContainerCreating"
    );
    run(&mut e, 5);
    let pod = &detail(&e, &id).new_version_status.pods[0];
    assert!(pod.ready, "ready after the default 6 seconds: {pod:?}");
    assert_eq!(pod.containers_readiness, "1/1");
    let reasons = event_reasons(&e, &id);
    for r in [
        "Scheduled",
        "Pulling",
        "Pulled",
        "Created",
        "Started",
        "ScalingReplicaSet",
        "SuccessfulCreate",
    ] {
        assert!(reasons.iter().any(|x| x == r), "missing {r} in {reasons:?}");
    }
}

#[test]
fn a_rolling_strategy_has_phases_without_set_weight_in_even_steps() {
    let rolling = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: rolling
rolling:
  steps:
    - name: first-half
    - name: second-half
"#;
    let mut e = setup(rolling, "rolling", "abort", 4);
    let id = deploy(&mut e, "registry.example.com/checkout:2.0.0", &[]);
    let d = detail(&e, &id);
    assert_eq!(d.strategy_type, rollout_api::StrategyType::Rolling);
    let weights: Vec<u32> = d.phases.iter().map(|p| p.traffic_percentage).collect();
    assert_eq!(weights, vec![50, 100]);
    run_until_status(&mut e, &id, RolloutStatus::Finished, 120);
}

#[test]
fn when_the_last_step_stays_under_100_the_rollout_still_ends_at_100() {
    let partial = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: partial
canary:
  steps:
    - setWeight: 10
    - setWeight: 40
"#;
    let mut e = setup(partial, "partial", "abort", 10);
    let resp = apply(
        &mut e,
        &spot_deployment(
            "payments",
            "checkout",
            "registry.example.com/checkout:2.0.0",
            10,
            &[],
        ),
    );
    let id = resp.rollouts_started[0].clone();
    assert_eq!(
        detail(&e, &id).new_version_status.replicas.desired,
        1,
        "ceil(10 × 10%)"
    );
    run_until_status(&mut e, &id, RolloutStatus::Finished, 120);
    let d = detail(&e, &id);
    assert_eq!(d.phases.len(), 2);
    assert_eq!(d.phases[0].name, "phase-1");
    assert_eq!(d.new_version_status.traffic_percentage, 100);
    assert_eq!(d.new_version_status.replicas.desired, 10);
}
