//! Behaviour 8: a missing or wrong entity puts the rollout in invalidSpec with a message saying
//! what to fix; applying the fix resumes it without re-applying the SpotDeployment.

mod common;
use common::*;
use rollout_api::{ActionKind, RolloutStatus};

#[test]
fn a_missing_service_puts_the_rollout_in_invalid_spec_and_applying_it_resumes_the_rollout() {
    let mut e = without_canary_service();
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 60);
    let d = detail(&e, &id);
    assert_eq!(d.status, RolloutStatus::InvalidSpec);
    let message = d.conditions.invalid_spec.clone().expect("what to fix");
    assert!(message.contains("checkout-canary"), "{message}");
    assert!(message.contains("traffic.canaryService"), "{message}");
    assert_eq!(d.new_version_status.replicas.desired, 0, "nothing deployed");
    // What does resolve is named, so the list and the details drawer show what to look at.
    assert_eq!(d.rollout_spec, "checkout-rollout");
    assert_eq!(d.strategy_name, "plain");
    let def = e.definition(&id).expect("definition");
    assert!(
        def.rollout_spec.contains("canaryService: checkout-canary"),
        "{}",
        def.rollout_spec
    );
    let promote = d
        .actions
        .iter()
        .find(|a| a.action == ActionKind::Promote)
        .unwrap();
    assert!(!promote.enabled);

    let canary_service = services("payments", "checkout")
        .split("---\n")
        .nth(1)
        .unwrap()
        .to_string();
    let resp = apply(&mut e, &canary_service);
    assert_eq!(resp.rollouts_resumed, vec![id.clone()]);
    assert!(
        resp.rollouts_started.is_empty(),
        "no new rollout: the same one resumes"
    );
    let d = detail(&e, &id);
    assert_eq!(d.status, RolloutStatus::InProgress);
    assert!(d.conditions.invalid_spec.is_none());
    assert_eq!(d.new_version_status.traffic_percentage, 20);
    run_until_status(&mut e, &id, RolloutStatus::Finished, 120);
}

#[test]
fn a_missing_strategy_names_the_strategy_to_apply() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    apply(
        &mut e,
        &rollout_spec("payments", "checkout", "blue-green-ish", "abort"),
    );
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let d = detail(&e, &id);
    assert_eq!(d.status, RolloutStatus::InvalidSpec);
    assert_eq!(d.rollout_spec, "checkout-rollout");
    assert_eq!(
        d.strategy_name, "",
        "no Strategy of that name exists to show"
    );
    assert!(d
        .conditions
        .invalid_spec
        .unwrap()
        .contains("Strategy \"blue-green-ish\""));
    let resp = apply(
        &mut e,
        &STRATEGY_PLAIN.replace("name: plain", "name: blue-green-ish"),
    );
    assert_eq!(resp.rollouts_resumed, vec![id.clone()]);
}

#[test]
fn a_missing_verification_template_names_the_template_and_the_strategy() {
    let strategy = STRATEGY_VERIFIED.replace("- success-rate", "- error-rate");
    let mut e = setup(&strategy, "verified", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let message = detail(&e, &id).conditions.invalid_spec.unwrap();
    assert!(
        message.contains("VerificationTemplate \"error-rate\""),
        "{message}"
    );
    assert!(message.contains("Strategy verified"), "{message}");
    let fixed =
        TEMPLATE_SUCCESS_RATE.replace("name: success-rate\nmetrics", "name: error-rate\nmetrics");
    assert_eq!(apply(&mut e, &fixed).rollouts_resumed, vec![id]);
}

#[test]
fn the_strategy_annotation_overrides_the_rollout_spec_strategy() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    apply(&mut e, STRATEGY_VERIFIED);
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("oceancd.spot.io/strategy", "verified")],
    );
    let d = detail(&e, &id);
    assert_eq!(d.strategy_name, "verified");
    assert_eq!(d.phases.len(), 2);
    let id2 = deploy(
        &mut e,
        "registry.example.com/checkout:1.2.0",
        &[("oceancd.spot.io/strategy", "nope")],
    );
    let message = detail(&e, &id2).conditions.invalid_spec.unwrap();
    assert!(message.contains("oceancd.spot.io/strategy"), "{message}");
}
