//! Behaviours 6 and 7: Kubernetes failures roll back once progressDeadlineSeconds has passed,
//! whatever the failure policy; the workload is Degraded until the live version (or a new one)
//! is applied.

mod common;
use common::*;
use rollout_api::{FailureReasonType, PodHealth, RolloutStatus, WorkloadLabel};

fn failing_rollout(annotation: (&str, &str), policy: &str) -> (rollout_engine::Engine, String) {
    let mut e = setup(STRATEGY_PLAIN, "plain", policy, 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[annotation]);
    (e, id)
}

#[test]
fn crash_loop_rolls_back_once_progress_deadline_seconds_has_passed_whatever_the_failure_policy() {
    for policy in ["abort", "pause", "promote"] {
        let (mut e, id) = failing_rollout(("sim.rollout.dev/crash-loop", "true"), policy);
        run(&mut e, 120);
        let d = detail(&e, &id);
        assert_eq!(
            d.status,
            RolloutStatus::InProgress,
            "not before the deadline ({policy})"
        );
        let pod = &d.new_version_status.pods[0];
        assert_eq!(pod.health, PodHealth::Failing);
        assert!(pod.restarts >= 1);
        let restarts_then = pod.restarts;

        let took = run_until_status(&mut e, &id, RolloutStatus::Aborting, 600);
        assert!(
            took > 400,
            "rolled back at the 600 s deadline, not before ({took})"
        );
        run_until_status(&mut e, &id, RolloutStatus::Failed, 30);
        let d = detail(&e, &id);
        let reason = d.failure_reason.clone().unwrap();
        assert_eq!(reason.kind, FailureReasonType::Kubernetes);
        assert!(
            reason.message.contains("CrashLoopBackOff"),
            "{}",
            reason.message
        );
        assert!(reason.message.contains("progressDeadlineSeconds"));
        assert!(d.end_time.is_some());
        let stable = d.stable_version_status.clone().unwrap();
        assert_eq!(
            (stable.replicas.desired, stable.replicas.ready),
            (5, 5),
            "stable scaled up"
        );
        assert_eq!(
            d.new_version_status.replicas.desired, 0,
            "other versions down"
        );
        assert!(d.conditions.degraded.is_some());
        let w = e.workload("prod-us-east", "payments", "checkout").unwrap();
        assert!(w.degraded);
        assert_eq!((w.desired_revision, w.live_revision), (2, 1));
        assert_eq!(
            w.revisions[0].labels,
            vec![WorkloadLabel::Desired, WorkloadLabel::Degraded]
        );
        assert_eq!(w.revisions[1].labels, vec![WorkloadLabel::Live]);
        let events = e.events(&id).unwrap();
        let backoff = events
            .iter()
            .find(|ev| ev.reason == "BackOff")
            .expect("BackOff warning");
        assert_eq!(backoff.kind, rollout_api::EventType::Warning);
        assert!(restarts_then < 10);
    }
}

#[test]
fn repeated_back_off_updates_one_event_instead_of_flooding() {
    let (mut e, id) = failing_rollout(("sim.rollout.dev/crash-loop", "true"), "abort");
    run(&mut e, 500);
    let events = e.events(&id).unwrap();
    let backoffs: Vec<_> = events.iter().filter(|ev| ev.reason == "BackOff").collect();
    assert_eq!(
        backoffs.len(),
        1,
        "one BackOff event per pod, repeated in place"
    );
    assert!(
        backoffs[0].last_timestamp > detail(&e, &id).start_time + chrono::Duration::seconds(300)
    );
    assert!(events.len() < 40, "{} events", events.len());
    assert_eq!(
        events[0].id,
        events.iter().max_by_key(|e| e.last_timestamp).unwrap().id,
        "newest first"
    );
}

#[test]
fn image_pull_loop_fails_the_rollout_with_the_pod_reason() {
    let (mut e, id) = failing_rollout(("sim.rollout.dev/image-pull", "fail"), "abort");
    run(&mut e, 30);
    let status = detail(&e, &id).new_version_status.pods[0].status.clone();
    assert!(
        status == "ErrImagePull" || status == "ImagePullBackOff",
        "{status}"
    );
    run_until_status(&mut e, &id, RolloutStatus::Failed, 700);
    let reason = detail(&e, &id).failure_reason.unwrap().message;
    assert!(
        reason.contains("ImagePullBackOff") || reason.contains("ErrImagePull"),
        "{reason}"
    );
    let reasons = event_reasons(&e, &id);
    assert!(reasons.contains(&"Failed".to_string()) && reasons.contains(&"BackOff".to_string()));
}

#[test]
fn liveness_probe_failure_kills_and_restarts_until_the_rollout_fails() {
    let (mut e, id) = failing_rollout(("sim.rollout.dev/liveness", "fail"), "pause");
    run(&mut e, 120);
    let reasons = event_reasons(&e, &id);
    assert!(reasons.contains(&"Unhealthy".to_string()), "{reasons:?}");
    assert!(reasons.contains(&"Killing".to_string()));
    assert!(detail(&e, &id).new_version_status.pods[0].restarts >= 1);
    run_until_status(&mut e, &id, RolloutStatus::Failed, 700);
}

#[test]
fn a_shorter_progress_deadline_rolls_back_sooner() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let yaml = spot_deployment(
        "payments",
        "checkout",
        "registry.example.com/checkout:1.1.0",
        5,
        &[("sim.rollout.dev/crash-loop", "true")],
    )
    .replace(
        "  replicas: 5\n",
        "  replicas: 5\n  progressDeadlineSeconds: 60\n",
    );
    let id = apply(&mut e, &yaml).rollouts_started[0].clone();
    let took = run_until_status(&mut e, &id, RolloutStatus::Aborting, 120);
    assert!((55..=70).contains(&took), "{took}");
}

#[test]
fn degraded_is_removed_when_the_live_version_is_applied_again() {
    let (mut e, id) = failing_rollout(("sim.rollout.dev/crash-loop", "true"), "abort");
    run_until_status(&mut e, &id, RolloutStatus::Failed, 700);
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
    assert!(
        resp.rollouts_started.is_empty(),
        "the live version needs no rollout"
    );
    assert!(
        resp.messages
            .iter()
            .any(|m| m == "Degraded removed from payments/checkout"),
        "{:?}",
        resp.messages
    );
    let w = e.workload("prod-us-east", "payments", "checkout").unwrap();
    assert!(!w.degraded);
    assert_eq!((w.desired_revision, w.live_revision), (1, 1));
    assert!(detail(&e, &id).conditions.degraded.is_none());
    assert!(event_reasons(&e, &id).contains(&"DegradedRemoved".to_string()));
}

#[test]
fn degraded_is_removed_when_a_new_version_is_applied() {
    let (mut e, id) = failing_rollout(("sim.rollout.dev/image-pull", "fail"), "abort");
    run_until_status(&mut e, &id, RolloutStatus::Failed, 700);
    let resp = apply(
        &mut e,
        &spot_deployment(
            "payments",
            "checkout",
            "registry.example.com/checkout:1.1.1",
            5,
            &[],
        ),
    );
    assert_eq!(resp.rollouts_started.len(), 1);
    assert!(resp
        .messages
        .iter()
        .any(|m| m.starts_with("Degraded removed")));
    assert!(
        !e.workload("prod-us-east", "payments", "checkout")
            .unwrap()
            .degraded
    );
    run_until_status(
        &mut e,
        &resp.rollouts_started[0],
        RolloutStatus::Finished,
        120,
    );
}

#[test]
fn applying_the_rolled_back_version_again_runs_it_again_as_a_new_linked_rollout() {
    let (mut e, id) = failing_rollout(("sim.rollout.dev/crash-loop", "true"), "abort");
    run_until_status(&mut e, &id, RolloutStatus::Failed, 700);
    let resp = apply(
        &mut e,
        &spot_deployment(
            "payments",
            "checkout",
            "registry.example.com/checkout:1.1.0",
            5,
            &[("sim.rollout.dev/crash-loop", "true")],
        ),
    );
    assert_eq!(resp.rollouts_started.len(), 1);
    assert!(resp
        .messages
        .iter()
        .any(|m| m == "Degraded removed from payments/checkout"));
    let again = detail(&e, &resp.rollouts_started[0]);
    assert_eq!(again.original_rollout_id.as_deref(), Some(id.as_str()));
    assert_eq!(again.spot_deployment.revision, 2);
}
