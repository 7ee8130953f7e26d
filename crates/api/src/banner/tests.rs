//! The banners said of each situation a rollout can be in, on a sample canary rollout (three
//! phases, nothing wrong) changed one condition at a time; and the words they are built from.

use super::*;
use crate::fixtures::{sample, t0};
use crate::{
    FailureReason, FailureReasonType, HeartbeatCondition, MissingDataCondition, PauseKind,
    PausedCondition, RolloutStatus,
};
use chrono::Duration;

fn kinds(d: &RolloutDetail) -> Vec<BannerKind> {
    banners(d).into_iter().map(|b| b.kind).collect()
}

#[test]
fn a_running_rollout_has_no_banner() {
    assert!(banners(&sample()).is_empty());
}

#[test]
fn a_pause_with_a_window_counts_down_to_its_end() {
    let mut d = sample();
    d.status = RolloutStatus::Paused;
    d.conditions.paused = Some(PausedCondition {
        kind: PauseKind::Window,
        paused_at: t0(),
        until: Some(t0() + Duration::minutes(15)),
        phase: "canary-20".into(),
    });
    let b = &banners(&d)[0];
    assert_eq!(b.kind, BannerKind::PausedWindow);
    assert_eq!(b.role, BannerRole::Status);
    assert_eq!(b.countdown, Some(t0() + Duration::minutes(15)));
    assert_eq!(
        countdown(t0() + Duration::minutes(15), t0() + Duration::seconds(177)),
        "12m 03s"
    );
    assert!(b.text.contains("2026-11-22 14:15:00 UTC"));
    assert!(b.text.contains("it moves on to the next phase by itself"));
    let mut last = d.clone();
    let name = last.phases.last().unwrap().name.clone();
    last.conditions.paused.as_mut().unwrap().phase = name;
    assert!(banners(&last)[0]
        .text
        .contains("the rollout completes by itself"));
    assert_eq!(
        countdown(t0(), t0() + Duration::seconds(3)),
        "any moment now"
    );
}

#[test]
fn a_pause_without_window_says_resume_or_roll_back() {
    let mut d = sample();
    d.conditions.paused = Some(PausedCondition {
        kind: PauseKind::Indefinite,
        paused_at: t0(),
        until: None,
        phase: "canary-20".into(),
    });
    let b = &banners(&d)[0];
    assert_eq!(b.kind, BannerKind::PausedUntilAction);
    assert!(b.todo.iter().any(|t| t.contains("Resume")));
    assert!(b.todo.iter().any(|t| t.contains("Roll back")));
}

#[test]
fn a_failure_policy_pause_is_an_alert_and_not_repeated_as_verification_failed() {
    let mut d = sample();
    d.status = RolloutStatus::FailurePolicyPaused;
    d.failure_policy = "pause".into();
    d.failure_reason = Some(FailureReason {
        kind: FailureReasonType::PhaseVerification,
        message: "success-rate 0.91 < 0.95".into(),
    });
    d.conditions.paused = Some(PausedCondition {
        kind: PauseKind::FailurePolicy,
        paused_at: t0(),
        until: None,
        phase: "canary-20".into(),
    });
    let all = banners(&d);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].kind, BannerKind::FailurePolicyPaused);
    assert_eq!(all[0].role, BannerRole::Alert);
    assert!(all[0].text.contains("0.91"));
}

#[test]
fn server_messages_become_sentences() {
    assert_eq!(sentence("rolling back"), "rolling back.");
    assert_eq!(sentence("Done."), "Done.");
    assert_eq!(sentence(" odd? "), "odd?");
    assert_eq!(sentence(""), "");
    let mut d = sample();
    d.status = RolloutStatus::Failed;
    d.failure_reason = Some(FailureReason {
        kind: FailureReasonType::Kubernetes,
        message: "progressDeadlineSeconds (120) exceeded, rolling back".into(),
    });
    let b = &banners(&d)[0];
    assert!(
        b.text
            .starts_with("progressDeadlineSeconds (120) exceeded, rolling back. The new"),
        "{}",
        b.text
    );
}

#[test]
fn a_failure_policy_pause_without_failure_reason_quotes_the_failed_phase() {
    let mut d = sample();
    d.status = RolloutStatus::FailurePolicyPaused;
    d.failure_policy = "pause".into();
    d.failure_reason = None;
    d.phases[0].failure = Some("success-rate: 1 of 1 measurements failed; last value 0.78".into());
    d.conditions.paused = Some(PausedCondition {
        kind: PauseKind::FailurePolicy,
        paused_at: t0(),
        until: None,
        phase: d.phases[0].name.clone(),
    });
    let all = banners(&d);
    assert_eq!(all[0].kind, BannerKind::FailurePolicyPaused);
    assert!(all[0].text.ends_with("last value 0.78."), "{}", all[0].text);
}

#[test]
fn a_kubernetes_failure_says_rolled_back_and_degraded_says_how_to_remove_it() {
    let mut d = sample();
    d.status = RolloutStatus::Failed;
    d.end_time = Some(t0() + Duration::minutes(11));
    d.failure_reason = Some(FailureReason {
        kind: FailureReasonType::Kubernetes,
        message: "Pods in CrashLoopBackOff.".into(),
    });
    d.conditions.degraded = Some("payments/payments-api is Degraded.".into());
    assert_eq!(
        kinds(&d),
        vec![BannerKind::KubernetesFailure, BannerKind::Degraded]
    );
    let degraded = &banners(&d)[1];
    assert!(degraded.todo[0].contains("live"));
    assert!(degraded.todo[1].contains("new version"));
}

#[test]
fn an_aborted_verification_says_the_policy_rolled_back() {
    let mut d = sample();
    d.status = RolloutStatus::Aborted;
    d.failure_reason = Some(FailureReason {
        kind: FailureReasonType::PhaseVerification,
        message: "error-rate failed.".into(),
    });
    let b = &banners(&d)[0];
    assert_eq!(b.kind, BannerKind::VerificationFailed);
    assert_eq!(b.title, "Phase verification failed");
    assert!(b.text.contains("rolled the rollout back"));
}

#[test]
fn invalid_spec_carries_the_server_message_and_says_it_resumes() {
    let mut d = sample();
    d.status = RolloutStatus::InvalidSpec;
    d.conditions.invalid_spec = Some("Service notifications-canary not found".into());
    let b = &banners(&d)[0];
    assert_eq!(b.kind, BannerKind::InvalidSpec);
    assert_eq!(b.text, "Service notifications-canary not found");
    assert!(b.todo.iter().any(|t| t.contains("resumes by itself")));
}

#[test]
fn heartbeat_lost_during_and_before_a_rollout_differ() {
    let mut d = sample();
    d.conditions.heartbeat_lost = Some(HeartbeatCondition {
        last_heartbeat_time: Some(t0()),
        during_rollout: true,
        reconnecting: None,
    });
    let b = &banners(&d)[0];
    assert_eq!(b.kind, BannerKind::HeartbeatLostDuring);
    assert!(b.text.contains("continues"));
    d.conditions.heartbeat_lost.as_mut().unwrap().during_rollout = false;
    d.conditions.pending_reason = Some("waiting for the operator".into());
    assert_eq!(kinds(&d), vec![BannerKind::HeartbeatLostBefore]);
}

#[test]
fn a_live_cluster_says_it_is_reconnecting_and_why() {
    let mut d = sample();
    d.conditions.heartbeat_lost = Some(HeartbeatCondition {
        last_heartbeat_time: Some(t0()),
        during_rollout: true,
        reconnecting: Some(
            "The connection to the cluster's API server is lost (Connection refused (os error \
             111)); reconnecting (attempt 3)."
                .into(),
        ),
    });
    let b = &banners(&d)[0];
    assert_eq!(b.kind, BannerKind::HeartbeatLostDuring);
    assert_eq!(b.title, "Cluster heartbeat lost: reconnecting");
    assert!(
        b.text.starts_with(
            "The connection to the cluster's API server is lost (Connection refused (os error \
             111)); reconnecting (attempt 3). Last contact: "
        ),
        "{}",
        b.text
    );
}

#[test]
fn missing_verification_data_lists_what_to_check() {
    let mut d = sample();
    d.conditions.verification_data_missing = Some(MissingDataCondition {
        metric_name: "latency".into(),
        provider: "datadog (dd)".into(),
        message: "credentials rejected".into(),
    });
    let b = &banners(&d)[0];
    assert_eq!(b.kind, BannerKind::VerificationDataMissing);
    assert_eq!(b.todo.len(), 3);
    assert!(b.text.contains("credentials rejected"));
}

#[test]
fn canceled_and_new_rollouts_link_to_each_other() {
    let mut d = sample();
    d.status = RolloutStatus::Canceled;
    d.new_rollout_id = Some("rol-new1".into());
    let b = &banners(&d)[0];
    assert_eq!(b.link.as_ref().unwrap().href, "/rollouts/rol-new1");
    let mut n = sample();
    n.original_rollout_id = Some("rol-old1".into());
    let b = &banners(&n)[0];
    assert_eq!(b.kind, BannerKind::Replaces);
    assert_eq!(b.link.as_ref().unwrap().href, "/rollouts/rol-old1");
}

#[test]
fn unreachable_banner_says_since_when() {
    let b = unreachable_banner("The server does not answer", t0());
    assert_eq!(b.role, BannerRole::Alert);
    assert!(b.text.contains("14:00:00"));
}

#[test]
fn an_argo_rollout_is_fixed_with_kubectl_and_not_said_to_be_rolled_back_by_a_deadline() {
    use crate::{FailureReason, KubernetesInfo, KubernetesReplicas};
    let mut d = sample();
    d.kubernetes = Some(KubernetesInfo {
        kind: "Rollout".into(),
        name: "canary-demo".into(),
        namespace: "jesse-test".into(),
        phase: "Degraded".into(),
        message: None,
        strategy: "Canary".into(),
        step: None,
        set_weight: Some(20),
        actual_weight: Some(0),
        images: vec![],
        replicas: KubernetesReplicas::default(),
    });
    d.status = RolloutStatus::Failed;
    d.failure_reason = Some(FailureReason {
        kind: FailureReasonType::Kubernetes,
        message: "ProgressDeadlineExceeded: ReplicaSet \"canary-demo-65fb5ffc84\" has timed out progressing.".into(),
    });
    let b = banners(&d);
    assert_eq!(b[0].title, "Kubernetes failure — the rollout stopped");
    assert!(!b[0].text.contains("rolled back automatically"));
    assert!(b[0].todo[1].contains("kubectl argo rollouts abort canary-demo"));

    d.failure_reason = None;
    d.status = RolloutStatus::Aborted;
    d.conditions.degraded = Some("RolloutAborted: metric \"web\" assessed Failed".into());
    let b = banners(&d);
    let degraded = b.iter().find(|b| b.title == "Rollout Degraded").unwrap();
    assert!(degraded.todo[0].contains("kubectl argo rollouts retry rollout canary-demo"));
    assert!(!degraded.todo.iter().any(|t| t.contains("SpotDeployment")));
}
