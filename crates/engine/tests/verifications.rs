//! Behaviours 4 and 5: phase and background verifications measure on their interval and count,
//! judge each value with the conditions and keep the data points; a failure beyond failureLimit
//! applies the RolloutSpec's failure policy.

mod common;
use chrono::Duration;
use common::*;
use rollout_api::{
    DataPointStatus, FailureReasonType, PauseKind, PhaseStatus, RolloutStatus, VerificationStatus,
};
use rollout_engine::Engine;

const STRATEGY_WITH_BACKGROUND: &str = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: with-background
canary:
  backgroundVerification:
    templateNames:
      - latency
  steps:
    - name: phase-1
      setWeight: 20
      verification:
        templateNames:
          - success-rate
    - name: phase-2
      setWeight: 50
      pause:
        duration: 10m
    - name: phase-3
      setWeight: 100
"#;

const TEMPLATE_LATENCY: &str = r#"apiVersion: spot.io/v1beta1
kind: VerificationTemplate
name: latency
metrics:
  - name: p99-latency
    interval: 1m
    initialDelay: 30s
    failureCondition: result[0] > 500
    failureLimit: 2
    provider:
      datadog:
        query: avg:trace.http.request.duration.by.service.99p{service:checkout}
"#;

const PROVIDER_DATADOG: &str = r#"apiVersion: spot.io/v1beta1
kind: VerificationProvider
name: datadog-main
clusterIds:
  - prod-us-east
datadog:
  address: https://api.datadoghq.com
  apiKey: xxx
  appKey: yyy
"#;

fn setup_background(policy: &str) -> Engine {
    let mut e = setup(STRATEGY_WITH_BACKGROUND, "with-background", policy, 5);
    apply(&mut e, &[TEMPLATE_LATENCY, PROVIDER_DATADOG].join("---\n"));
    e
}

#[test]
fn phase_verification_runs_count_times_on_its_interval_and_keeps_data_points() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run_until_status(&mut e, &id, RolloutStatus::Verifying, 30);
    let d = detail(&e, &id);
    assert_eq!(d.phases[0].status, PhaseStatus::Verifying);
    let v = &d.phases[0].verifications[0];
    assert_eq!(v.metric_name, "success-rate");
    assert_eq!(v.provider, "prometheus (prom-main)");
    assert_eq!(v.step, "phase-1");
    assert_eq!(v.conditions.success.as_deref(), Some("result[0] >= 0.95"));
    assert!(v.query.contains("http_requests_total"));

    run(&mut e, 61);
    let d = detail(&e, &id);
    let v = &d.phases[0].verifications[0];
    assert_eq!(v.status, VerificationStatus::Successful);
    assert_eq!(v.data_points.len(), 3);
    let gaps: Vec<i64> = v
        .data_points
        .windows(2)
        .map(|w| (w[1].timestamp - w[0].timestamp).num_seconds())
        .collect();
    assert_eq!(gaps, vec![30, 30], "one measurement per interval");
    assert!(v
        .data_points
        .iter()
        .all(|p| p.status == DataPointStatus::Successful && p.value == Some(1.0)));
    assert!(d.phases[0].verified_at.is_some());
    assert_eq!(d.phases[0].status, PhaseStatus::Promoted);
}

#[test]
fn background_verification_runs_during_the_whole_rollout() {
    let mut e = setup_background("abort");
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let d = detail(&e, &id);
    assert!(d.has_background_verification);
    assert_eq!(d.background_verifications[0].step, "Background");
    assert_eq!(
        d.background_verifications[0].provider,
        "datadog (datadog-main)"
    );
    run_until_status(&mut e, &id, RolloutStatus::Finished, 1200);
    let d = detail(&e, &id);
    let bg = &d.background_verifications[0];
    // From the start (initial delay 30 s) to the end, once a minute.
    assert!(
        bg.data_points.len() >= 10,
        "{} points",
        bg.data_points.len()
    );
    assert_eq!(
        bg.data_points[0].timestamp,
        d.start_time + Duration::seconds(30)
    );
    assert!(bg.data_points.last().unwrap().timestamp > d.phases[1].paused_at.unwrap());
    assert_eq!(bg.status, VerificationStatus::Successful);
}

#[test]
fn verification_fails_with_failure_policy_abort_rolls_back_with_reason_phase_verification() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "abort", 5);
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("sim.rollout.dev/metric-value", "0.9")],
    );
    run_until_status(&mut e, &id, RolloutStatus::Aborted, 200);
    let d = detail(&e, &id);
    let v = &d.phases[0].verifications[0];
    assert_eq!(v.status, VerificationStatus::Failed);
    assert_eq!(
        v.data_points.len(),
        2,
        "failureLimit 1: the second failure fails it"
    );
    assert!(v
        .data_points
        .iter()
        .all(|p| p.status == DataPointStatus::Failed && p.value == Some(0.9)));
    let reason = d.failure_reason.expect("failure reason");
    assert_eq!(reason.kind, FailureReasonType::PhaseVerification);
    assert!(
        reason.message.contains("success-rate"),
        "{}",
        reason.message
    );
    assert_eq!(d.phases[0].status, PhaseStatus::Aborted);
    assert_eq!(d.phases[1].status, PhaseStatus::Dropped);
    assert!(d.phases[0].failure.is_some());
    assert_eq!(
        d.new_version_status.replicas.desired, 0,
        "canary scaled down"
    );
    assert_eq!(
        d.stable_version_status.unwrap().replicas.desired,
        5,
        "stable restored"
    );
    assert!(event_reasons(&e, &id).contains(&"VerificationFailed".to_string()));
}

#[test]
fn verification_fails_with_failure_policy_pause_leaves_rollout_failure_policy_paused() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "pause", 5);
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("sim.rollout.dev/metric-value", "0.5")],
    );
    run_until_status(&mut e, &id, RolloutStatus::FailurePolicyPaused, 200);
    run(&mut e, 3600);
    let d = detail(&e, &id);
    assert_eq!(d.status, RolloutStatus::FailurePolicyPaused, "stays paused");
    assert_eq!(
        d.conditions.paused.as_ref().unwrap().kind,
        PauseKind::FailurePolicy
    );
    assert_eq!(
        d.new_version_status.traffic_percentage, 25,
        "the canary keeps its weight"
    );
    assert!(d.failure_reason.is_none());
    assert_eq!(
        d.phases[0].verifications[0].status,
        VerificationStatus::Failed
    );
}

#[test]
fn verification_fails_with_failure_policy_promote_carries_on() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "promote", 5);
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("sim.rollout.dev/metric-value", "0.5")],
    );
    run_until_status(&mut e, &id, RolloutStatus::Finished, 300);
    let d = detail(&e, &id);
    assert_eq!(
        d.phases[0].verifications[0].status,
        VerificationStatus::Failed
    );
    assert!(event_reasons(&e, &id).contains(&"FailurePolicyPromote".to_string()));
}

#[test]
fn background_verification_failure_aborts_with_reason_background_verification() {
    let mut e = setup_background("abort");
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("sim.rollout.dev/metric-value.p99-latency", "900")],
    );
    run_until_status(&mut e, &id, RolloutStatus::Aborted, 600);
    let d = detail(&e, &id);
    assert_eq!(
        d.failure_reason.unwrap().kind,
        FailureReasonType::BackgroundVerification
    );
    let bg = &d.background_verifications[0];
    assert_eq!(
        bg.data_points.len(),
        3,
        "failureLimit 2: the third failure fails it"
    );
    // The per-metric value only touched p99-latency: the phase verification passed.
    assert_eq!(
        d.phases[0].verifications[0].status,
        VerificationStatus::Successful
    );
}

#[test]
fn a_value_neither_successful_nor_failed_is_inconclusive() {
    let template = r#"apiVersion: spot.io/v1beta1
kind: VerificationTemplate
name: success-rate
metrics:
  - name: success-rate
    interval: 10s
    count: 3
    successCondition: result[0] >= 0.95
    failureCondition: result[0] < 0.5
    inconclusiveLimit: 5
    provider:
      prometheus:
        query: up
"#;
    let mut e = setup(STRATEGY_VERIFIED, "verified", "abort", 5);
    apply(&mut e, template);
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("sim.rollout.dev/metric-value", "0.8")],
    );
    run_until_status(&mut e, &id, RolloutStatus::Finished, 300);
    let d = detail(&e, &id);
    let v = &d.phases[0].verifications[0];
    assert!(v
        .data_points
        .iter()
        .all(|p| p.status == DataPointStatus::Inconclusive));
    assert_eq!(
        v.status,
        VerificationStatus::Successful,
        "within inconclusiveLimit"
    );
}

#[test]
fn metric_error_gives_data_points_without_value_and_a_verification_data_missing_condition() {
    let template = r#"apiVersion: spot.io/v1beta1
kind: VerificationTemplate
name: success-rate
metrics:
  - name: success-rate
    interval: 30s
    count: 10
    successCondition: result[0] >= 0.95
    consecutiveErrorLimit: 100
    provider:
      prometheus:
        query: up
"#;
    let mut e = setup(STRATEGY_VERIFIED, "verified", "abort", 5);
    apply(&mut e, template);
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("sim.rollout.dev/metric-error", "credentials")],
    );
    run(&mut e, 100);
    let d = detail(&e, &id);
    assert_eq!(d.status, RolloutStatus::Verifying);
    let v = &d.phases[0].verifications[0];
    assert!(!v.data_points.is_empty());
    assert!(v
        .data_points
        .iter()
        .all(|p| p.value.is_none() && p.status == DataPointStatus::Error));
    assert!(v.data_points[0]
        .message
        .as_ref()
        .unwrap()
        .contains("credentials"));
    let missing = d
        .conditions
        .verification_data_missing
        .expect("data missing condition");
    assert_eq!(missing.metric_name, "success-rate");
    assert_eq!(missing.provider, "prometheus (prom-main)");
}

#[test]
fn too_many_consecutive_errors_fail_the_verification_with_status_error() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "abort", 5);
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("sim.rollout.dev/metric-error", "unreachable")],
    );
    // count 3 but errors do not count as failures: the 5th consecutive error (limit 4) fails it.
    run_until_status(&mut e, &id, RolloutStatus::Aborted, 400);
    let d = detail(&e, &id);
    assert_eq!(
        d.phases[0].verifications[0].status,
        VerificationStatus::Error
    );
    assert!(d.failure_reason.unwrap().message.contains("no data"));
}

#[test]
fn a_provider_not_covering_the_cluster_gives_no_data() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "pause", 5);
    apply(
        &mut e,
        &PROVIDER_PROMETHEUS.replace("  - prod-us-east\n", ""),
    );
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 40);
    let d = detail(&e, &id);
    let missing = d
        .conditions
        .verification_data_missing
        .expect("data missing");
    assert!(
        missing.message.contains("prod-us-east"),
        "{}",
        missing.message
    );
}

#[test]
fn resume_after_a_failure_policy_pause_carries_the_phase_on() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "pause", 5);
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("sim.rollout.dev/metric-value", "0.5")],
    );
    run_until_status(&mut e, &id, RolloutStatus::FailurePolicyPaused, 200);
    let resume = detail(&e, &id)
        .actions
        .into_iter()
        .find(|a| a.action == rollout_api::ActionKind::Resume)
        .unwrap();
    assert!(resume.enabled);
    let now = e.now();
    let d = e
        .act(&id, rollout_api::ActionKind::Resume, "dave", now)
        .unwrap();
    assert_eq!(d.phases[0].status, PhaseStatus::Promoted);
    assert!(d.conditions.paused.is_none());
    run_until_status(&mut e, &id, RolloutStatus::Finished, 60);
}

#[test]
fn a_dry_run_metric_failure_does_not_affect_the_rollout() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "abort", 5);
    apply(
        &mut e,
        &TEMPLATE_SUCCESS_RATE.replace(
            "    failureLimit: 1\n",
            "    failureLimit: 1\n    dryRun: true\n",
        ),
    );
    let id = deploy(
        &mut e,
        "registry.example.com/checkout:1.1.0",
        &[("sim.rollout.dev/metric-value", "0.1")],
    );
    run_until_status(&mut e, &id, RolloutStatus::Finished, 200);
    assert_eq!(
        detail(&e, &id).phases[0].verifications[0].status,
        VerificationStatus::Failed
    );
}
