//! A sample canary rollout (three phases, the second running, nothing wrong) and its parts,
//! for tests on both sides of the wire: this crate's (the banners) and the console's (with the
//! `fixtures` feature, which only its dev-dependency turns on).

use crate::{
    ActionAvailability, ActionKind, Conditions, DataPoint, DataPointStatus, Phase, PhaseStatus,
    ReplicaCounts, RolloutConditions, RolloutDetail, RolloutStatus, SpotDeploymentRef,
    StrategyType, Verification, VerificationStatus, VersionStatus,
};
use chrono::{DateTime, Duration, TimeZone, Utc};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 14, 0, 0).unwrap()
}

pub fn phase(index: u32, name: &str, weight: u32, status: PhaseStatus) -> Phase {
    Phase::new(index, name, weight, status)
}

pub fn sample() -> RolloutDetail {
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

pub fn verification(values: &[Option<f64>]) -> Verification {
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
