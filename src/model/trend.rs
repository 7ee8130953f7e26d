//! A workload's recent rollouts as numbers: duration and outcome per rollout, and why the
//! rolled-back ones were rolled back (manual, Kubernetes error, metric failure).

use crate::model::time::format_duration;
use rollout_api::{
    duration_seconds, FailureReasonType, ListSummary, RolloutSummary, StatusGroup, Timestamp,
};

/// One rollout of the trend, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRow {
    pub id: String,
    pub revision: u32,
    pub start: Timestamp,
    /// "12m 30s"; a running rollout counts up to now.
    pub duration: String,
    pub running: bool,
    pub outcome: &'static str,
    /// The outcome's group (its colour).
    pub group: StatusGroup,
    /// Why it was rolled back, when it was.
    pub reason: Option<&'static str>,
}

/// Short words for a failure reason, as the trend groups them.
pub fn reason_word(kind: FailureReasonType) -> &'static str {
    match kind {
        FailureReasonType::ManualRollback => "manual",
        FailureReasonType::Kubernetes => "Kubernetes error",
        FailureReasonType::PhaseVerification | FailureReasonType::BackgroundVerification => {
            "metric failure"
        }
        FailureReasonType::ControllerError => "controller error",
    }
}

/// The rows, oldest first (`items` come newest first from the API).
pub fn trend_rows(items: &[RolloutSummary], now: Timestamp) -> Vec<TrendRow> {
    items
        .iter()
        .rev()
        .map(|r| {
            let group = r.status.group();
            TrendRow {
                id: r.id.clone(),
                revision: r.spot_deployment.revision,
                start: r.start_time,
                duration: format_duration(duration_seconds(r, now)),
                running: !r.status.is_completed(),
                outcome: group.label(),
                group,
                reason: r
                    .failure_reason
                    .as_ref()
                    .filter(|_| matches!(group, StatusGroup::RolledBack | StatusGroup::Failed))
                    .map(|f| reason_word(f.kind)),
            }
        })
        .collect()
}

/// "8 rollouts · 5 successful (63%) · 2 rolled back: 1 Kubernetes error, 1 metric failure ·
/// median 12m 30s".
pub fn trend_sentence(items: &[RolloutSummary]) -> String {
    if items.is_empty() {
        return "No rollout yet: every version so far went live directly.".into();
    }
    let s = ListSummary::compute(items);
    let mut parts = vec![
        format!("{} rollout{}", s.total, if s.total == 1 { "" } else { "s" }),
        format!("{} successful ({:.0}%)", s.successful, s.success_rate),
    ];
    // A failed rollout was rolled back automatically, as the summary bar counts it.
    let rolled_back: Vec<&RolloutSummary> = items
        .iter()
        .filter(|r| {
            matches!(
                r.status.group(),
                StatusGroup::RolledBack | StatusGroup::Failed
            )
        })
        .collect();
    if !rolled_back.is_empty() {
        let mut reasons: Vec<(&'static str, usize)> = Vec::new();
        for r in &rolled_back {
            let word = r
                .failure_reason
                .as_ref()
                .map(|f| reason_word(f.kind))
                .unwrap_or("no reason recorded");
            match reasons.iter_mut().find(|(w, _)| *w == word) {
                Some((_, n)) => *n += 1,
                None => reasons.push((word, 1)),
            }
        }
        let reasons: Vec<String> = reasons.iter().map(|(w, n)| format!("{n} {w}")).collect();
        parts.push(format!(
            "{} rolled back: {}",
            rolled_back.len(),
            reasons.join(", ")
        ));
    }
    if let Some(m) = s.median_duration_seconds {
        parts.push(format!("median {}", format_duration(m)));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::list_rows::tests::{now, row};
    use rollout_api::{FailureReason, RolloutStatus};

    fn rolled_back(i: usize, kind: FailureReasonType) -> RolloutSummary {
        let mut r = row(i, "payments-api", RolloutStatus::Aborted, 60 * i as i64);
        r.failure_reason = Some(FailureReason {
            kind,
            message: "x".into(),
        });
        r
    }

    #[test]
    fn rows_run_oldest_first_with_outcome_and_reason() {
        let items = vec![
            row(1, "payments-api", RolloutStatus::Verifying, 5),
            rolled_back(2, FailureReasonType::Kubernetes),
            row(3, "payments-api", RolloutStatus::Finished, 300),
        ];
        let rows = trend_rows(&items, now());
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].outcome, "Successful");
        assert_eq!(rows[0].group, StatusGroup::Successful);
        assert_eq!(rows[1].outcome, "Rolled back");
        assert_eq!(rows[1].reason, Some("Kubernetes error"));
        assert!(rows[2].running);
        assert_eq!(rows[2].reason, None);
    }

    #[test]
    fn the_sentence_counts_outcomes_and_rollback_reasons() {
        let mut failed = rolled_back(1, FailureReasonType::Kubernetes);
        failed.status = RolloutStatus::Failed;
        let items = vec![
            failed,
            rolled_back(2, FailureReasonType::PhaseVerification),
            rolled_back(3, FailureReasonType::BackgroundVerification),
            row(4, "payments-api", RolloutStatus::Finished, 300),
        ];
        let s = trend_sentence(&items);
        assert!(
            s.starts_with("4 rollouts · 1 successful (25%) · 3 rolled back: 1 Kubernetes error, 2 metric failure"),
            "{s}"
        );
        assert!(s.contains(" · median "), "{s}");
        assert!(trend_sentence(&[]).starts_with("No rollout yet"));
    }
}
