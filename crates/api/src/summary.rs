//! The rollouts page summary: computed the same way by the server (`GET /rollouts`) and by the
//! console (for the filter on screen).

use crate::{FailureReasonType, RolloutStatus, RolloutSummary, Timestamp};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSummary {
    pub total: usize,
    pub successful: usize,
    /// successful / total in percent; 0 when there is no rollout.
    pub success_rate: f64,
    /// Over completed rollouts only; None when none completed.
    pub median_duration_seconds: Option<i64>,
    pub mean_duration_seconds: Option<i64>,
    /// Paused rollouts waiting for someone.
    pub attention_needed: usize,
    /// Rollouts rolled back because something failed (not by a user's choice).
    pub incidents_prevented: usize,
}

/// Duration of a rollout; a running one counts up to `now`.
pub fn duration_seconds(r: &RolloutSummary, now: Timestamp) -> i64 {
    let end = r.end_time.unwrap_or(now);
    (end - r.start_time).num_seconds().max(0)
}

impl ListSummary {
    pub fn compute<'a>(rollouts: impl IntoIterator<Item = &'a RolloutSummary>) -> ListSummary {
        let mut total = 0;
        let mut successful = 0;
        let mut attention_needed = 0;
        let mut incidents_prevented = 0;
        let mut durations = Vec::new();
        for r in rollouts {
            total += 1;
            if r.status == RolloutStatus::Finished {
                successful += 1;
            }
            if r.status.is_paused() {
                attention_needed += 1;
            }
            let rolled_back = matches!(r.status, RolloutStatus::Aborted | RolloutStatus::Failed);
            let by_failure = r
                .failure_reason
                .as_ref()
                .is_some_and(|f| f.kind != FailureReasonType::ManualRollback);
            if rolled_back && by_failure {
                incidents_prevented += 1;
            }
            if let (true, Some(end)) = (r.status.is_completed(), r.end_time) {
                durations.push((end - r.start_time).num_seconds().max(0));
            }
        }
        durations.sort_unstable();
        let mean =
            (!durations.is_empty()).then(|| durations.iter().sum::<i64>() / durations.len() as i64);
        let median = match durations.len() {
            0 => None,
            n if n % 2 == 1 => Some(durations[n / 2]),
            n => Some((durations[n / 2 - 1] + durations[n / 2]) / 2),
        };
        ListSummary {
            total,
            successful,
            success_rate: if total == 0 {
                0.0
            } else {
                successful as f64 * 100.0 / total as f64
            },
            median_duration_seconds: median,
            mean_duration_seconds: mean,
            attention_needed,
            incidents_prevented,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FailureReason, SpotDeploymentRef, StrategyType};
    use chrono::{Duration, TimeZone, Utc};

    fn rollout(
        status: RolloutStatus,
        minutes: Option<i64>,
        reason: Option<FailureReasonType>,
    ) -> RolloutSummary {
        let start = Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap();
        RolloutSummary {
            id: "rol-abcd1234".into(),
            status,
            strategy_type: StrategyType::Canary,
            strategy_name: "s".into(),
            rollout_spec: "rs".into(),
            spot_deployment: SpotDeploymentRef {
                name: "web".into(),
                is_live_applied: true,
                revision: 2,
            },
            cluster_id: "c".into(),
            namespace: "n".into(),
            cloud_provider: "AWS".into(),
            start_time: start,
            end_time: minutes.map(|m| start + Duration::minutes(m)),
            image: "web:2".into(),
            failure_reason: reason.map(|kind| FailureReason {
                kind,
                message: String::new(),
            }),
        }
    }

    #[test]
    fn summary_counts_each_figure() {
        let items = [
            rollout(RolloutStatus::Finished, Some(10), None),
            rollout(RolloutStatus::Finished, Some(20), None),
            rollout(
                RolloutStatus::Aborted,
                Some(30),
                Some(FailureReasonType::PhaseVerification),
            ),
            rollout(
                RolloutStatus::Aborted,
                Some(40),
                Some(FailureReasonType::ManualRollback),
            ),
            rollout(RolloutStatus::FailurePolicyPaused, None, None),
        ];
        let s = ListSummary::compute(&items);
        assert_eq!(s.total, 5);
        assert_eq!(s.successful, 2);
        assert_eq!(s.success_rate, 40.0);
        assert_eq!(s.attention_needed, 1);
        assert_eq!(s.incidents_prevented, 1);
        assert_eq!(s.median_duration_seconds, Some(25 * 60));
        assert_eq!(s.mean_duration_seconds, Some(25 * 60));
    }

    #[test]
    fn empty_summary_has_no_durations() {
        let s = ListSummary::compute(&[]);
        assert_eq!(s.total, 0);
        assert_eq!(s.success_rate, 0.0);
        assert_eq!(s.median_duration_seconds, None);
    }
}
