use super::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use rollout_api::{
    ActionAvailability, Conditions, DataPoint, DataPointStatus, Phase, ReplicaCounts,
    RolloutConditions, RolloutStatus, SpotDeploymentRef, StrategyType, Verification,
    VerificationStatus, VersionStatus,
};

pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 14, 0, 0).unwrap()
}

pub(crate) fn phase(index: u32, name: &str, weight: u32, status: PhaseStatus) -> Phase {
    Phase {
        index,
        name: name.into(),
        status,
        traffic_percentage: weight,
        start_time: None,
        paused_at: None,
        pause_until: None,
        verified_at: None,
        end_time: None,
        pause: None,
        verifications: vec![],
        failure: None,
    }
}

pub(crate) fn verification(values: &[Option<f64>]) -> Verification {
    Verification {
        template_name: "success-rate".into(),
        metric_name: "success-rate".into(),
        query: "sum(rate(ok[1m])) / sum(rate(all[1m]))".into(),
        conditions: Conditions {
            success: Some("result[0] >= 0.95".into()),
            failure: None,
        },
        provider: "prometheus (prom-main)".into(),
        step: "canary-20".into(),
        status: VerificationStatus::Running,
        interval_seconds: 60,
        count: 5,
        failure_limit: 1,
        data_points: values
            .iter()
            .enumerate()
            .map(|(i, v)| DataPoint {
                timestamp: t0() + Duration::minutes(i as i64),
                value: *v,
                status: match v {
                    Some(x) if *x >= 0.95 => DataPointStatus::Successful,
                    Some(_) => DataPointStatus::Failed,
                    None => DataPointStatus::Error,
                },
                message: None,
            })
            .collect(),
    }
}

pub(crate) fn sample() -> RolloutDetail {
    let version = |image: &str, traffic| VersionStatus {
        version: image.into(),
        revision: 3,
        k8s_service: Some("checkout-svc".into()),
        traffic_percentage: traffic,
        replicas: ReplicaCounts {
            desired: 4,
            ready: 4,
            in_progress: 0,
            failed: 0,
        },
        pods: vec![],
    };
    RolloutDetail {
        id: "rol-abc123".into(),
        status: RolloutStatus::InProgress,
        strategy_type: StrategyType::Canary,
        strategy_name: "canary-3".into(),
        rollout_spec: "checkout-rs".into(),
        spot_deployment: SpotDeploymentRef {
            name: "checkout".into(),
            is_live_applied: false,
            revision: 4,
        },
        original_rollout_id: None,
        new_rollout_id: None,
        start_time: t0(),
        end_time: None,
        cluster_id: "prod-us-east".into(),
        namespace: "payments".into(),
        cloud_provider: "AWS".into(),
        failure_policy: "abort".into(),
        has_background_verification: false,
        failure_reason: None,
        stable_version_status: Some(version("checkout:1.4", 80)),
        new_version_status: version("checkout:1.5", 20),
        phases: vec![
            phase(0, "canary-20", 20, PhaseStatus::InProgress),
            phase(1, "canary-50", 50, PhaseStatus::Pending),
            phase(2, "full", 100, PhaseStatus::Pending),
        ],
        background_verifications: vec![],
        conditions: RolloutConditions::default(),
        actions: ActionKind::ALL
            .into_iter()
            .map(|action| ActionAvailability {
                action,
                enabled: action != ActionKind::Retry && action != ActionKind::Resume,
                reason: match action {
                    ActionKind::Retry => Some("Only a completed rollout can be retried".into()),
                    ActionKind::Resume => Some("The rollout is not paused".into()),
                    _ => None,
                },
            })
            .collect(),
        kubernetes: None,
        activity: vec![],
        activity_pruned: 0,
    }
}

#[test]
fn images_split_before_their_name_and_tag() {
    assert_eq!(
        image_parts("registry.example.com/payments/checkout:1.42.0"),
        ("registry.example.com/payments/", "checkout:1.42.0")
    );
    assert_eq!(image_parts("nginx:1.27"), ("", "nginx:1.27"));
    assert_eq!(
        image_parts("ghcr.io/a/b@sha256:ab/cd"),
        ("ghcr.io/a/", "b@sha256:ab/cd")
    );
}

#[test]
fn menu_follows_the_engine_guards_with_reasons() {
    let d = sample();
    let menu = menu_actions(&d);
    let labels: Vec<_> = menu.iter().map(|m| m.label).collect();
    assert_eq!(
        labels,
        [
            "Promote",
            "Promote all",
            "Pause",
            "Resume",
            "Roll back",
            "Retry"
        ]
    );
    let retry = menu.iter().find(|m| m.kind == ActionKind::Retry).unwrap();
    assert!(!retry.enabled);
    assert_eq!(
        retry.reason.as_deref(),
        Some("Only a completed rollout can be retried")
    );
    let mut no_actions = sample();
    no_actions.actions.clear();
    assert!(menu_actions(&no_actions)
        .iter()
        .all(|m| !m.enabled && m.reason.is_some()));
}

#[test]
fn confirmations_say_what_will_happen() {
    let d = sample();
    let promote = confirm_text(ActionKind::Promote, &d);
    assert!(
        promote.contains("canary-20") && promote.contains("canary-50") && promote.contains("50%")
    );
    assert!(confirm_text(ActionKind::Rollback, &d).contains("checkout:1.4"));
    assert!(confirm_text(ActionKind::PromoteFull, &d).contains("100%"));
}

#[test]
fn duration_ticks_while_running_and_stops_at_the_end() {
    let mut d = sample();
    assert_eq!(rollout_duration(&d, t0() + Duration::seconds(65)), "1m 05s");
    d.end_time = Some(t0() + Duration::seconds(30));
    assert_eq!(rollout_duration(&d, t0() + Duration::hours(5)), "30s");
}

#[test]
fn replicas_are_named_by_pod_version_and_status() {
    use rollout_api::{Pod, PodHealth, PodVersion};
    let mut v = sample().new_version_status;
    let icons = replica_views(&v, "canary");
    assert_eq!(icons.len(), 4);
    assert_eq!(icons[0].label, "Replica 1 of the canary version, ready");
    v.pods = vec![Pod {
        name: "checkout-7c9-x2".into(),
        replica_set: "checkout-7c9".into(),
        version: PodVersion::Latest,
        status: "CrashLoopBackOff".into(),
        health: PodHealth::Failing,
        containers_readiness: "0/1".into(),
        ready: false,
        restarts: 4,
        node: "n1".into(),
        created_at: t0(),
    }];
    let icons = replica_views(&v, "canary");
    assert_eq!(icons[0].health, "failing");
    assert_eq!(
        icons[0].label,
        "Pod checkout-7c9-x2, canary version, failing (CrashLoopBackOff, 4 restarts)"
    );
}
