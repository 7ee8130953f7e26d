//! How statuses are grouped and named for people. Shared so the server's filter and the
//! console's labels agree.

use crate::{FailureReasonType, RolloutStatus};
use serde::{Deserialize, Serialize};

/// The groups the rollouts list shows and filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StatusGroup {
    InProgress,
    Paused,
    RolledBack,
    Successful,
    Canceled,
    InvalidSpec,
    Failed,
}

/// Colour family of a status, for icons and badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusTone {
    Running,
    Attention,
    Danger,
    Success,
    Neutral,
}

impl StatusGroup {
    pub const ALL: [StatusGroup; 7] = [
        StatusGroup::InProgress,
        StatusGroup::Paused,
        StatusGroup::RolledBack,
        StatusGroup::Successful,
        StatusGroup::Canceled,
        StatusGroup::InvalidSpec,
        StatusGroup::Failed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            StatusGroup::InProgress => "In progress",
            StatusGroup::Paused => "Paused",
            StatusGroup::RolledBack => "Rolled back",
            StatusGroup::Successful => "Successful",
            StatusGroup::Canceled => "Canceled",
            StatusGroup::InvalidSpec => "Invalid spec",
            StatusGroup::Failed => "Failed",
        }
    }

    /// The query-string value (`status=rolledBack`).
    pub fn key(self) -> &'static str {
        match self {
            StatusGroup::InProgress => "inProgress",
            StatusGroup::Paused => "paused",
            StatusGroup::RolledBack => "rolledBack",
            StatusGroup::Successful => "successful",
            StatusGroup::Canceled => "canceled",
            StatusGroup::InvalidSpec => "invalidSpec",
            StatusGroup::Failed => "failed",
        }
    }

    pub fn from_key(key: &str) -> Option<StatusGroup> {
        StatusGroup::ALL.into_iter().find(|g| g.key() == key)
    }

    pub fn tone(self) -> StatusTone {
        match self {
            StatusGroup::InProgress => StatusTone::Running,
            StatusGroup::Paused | StatusGroup::InvalidSpec => StatusTone::Attention,
            StatusGroup::RolledBack | StatusGroup::Failed => StatusTone::Danger,
            StatusGroup::Successful => StatusTone::Success,
            StatusGroup::Canceled => StatusTone::Neutral,
        }
    }
}

impl RolloutStatus {
    /// Completed = finished, failed, aborted, canceled.
    pub fn is_completed(self) -> bool {
        matches!(
            self,
            RolloutStatus::Finished
                | RolloutStatus::Failed
                | RolloutStatus::Aborted
                | RolloutStatus::Canceled
        )
    }

    /// Paused in any way: what "attention needed" counts.
    pub fn is_paused(self) -> bool {
        matches!(
            self,
            RolloutStatus::Paused
                | RolloutStatus::ManualPausing
                | RolloutStatus::ManualPaused
                | RolloutStatus::FailurePolicyPausing
                | RolloutStatus::FailurePolicyPaused
        )
    }

    pub fn group(self) -> StatusGroup {
        match self {
            RolloutStatus::Finished => StatusGroup::Successful,
            RolloutStatus::Aborted | RolloutStatus::Aborting => StatusGroup::RolledBack,
            RolloutStatus::Failed => StatusGroup::Failed,
            RolloutStatus::Canceled => StatusGroup::Canceled,
            RolloutStatus::InvalidSpec => StatusGroup::InvalidSpec,
            s if s.is_paused() => StatusGroup::Paused,
            _ => StatusGroup::InProgress,
        }
    }

    /// A precise label for the detail page ("Failure policy paused", "Verifying", ...).
    pub fn label(self) -> &'static str {
        match self {
            RolloutStatus::Pending => "Pending",
            RolloutStatus::InProgress => "In progress",
            RolloutStatus::Paused => "Paused",
            RolloutStatus::ManualPausing => "Pausing",
            RolloutStatus::ManualPaused => "Paused by user",
            RolloutStatus::Verifying => "Verifying",
            RolloutStatus::BackgroundVerifying => "Background verifying",
            RolloutStatus::FailurePolicyPausing => "Failure policy pausing",
            RolloutStatus::FailurePolicyPaused => "Failure policy paused",
            RolloutStatus::Aborting => "Rolling back",
            RolloutStatus::Aborted => "Rolled back",
            RolloutStatus::Finished => "Successful",
            RolloutStatus::Failed => "Failed",
            RolloutStatus::Canceled => "Canceled",
            RolloutStatus::InvalidSpec => "Invalid spec",
            RolloutStatus::RolloutInterrupted => "Interrupted",
            RolloutStatus::Deallocating => "Deallocating",
        }
    }
}

impl FailureReasonType {
    pub fn label(self) -> &'static str {
        match self {
            FailureReasonType::PhaseVerification => "Phase verification failed",
            FailureReasonType::BackgroundVerification => "Background verification failed",
            FailureReasonType::Kubernetes => "Kubernetes failure",
            FailureReasonType::ManualRollback => "Rolled back by a user",
            FailureReasonType::ControllerError => "Stopped by a controller error",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_statuses_are_the_four_documented() {
        let completed: Vec<_> = [
            RolloutStatus::Finished,
            RolloutStatus::Failed,
            RolloutStatus::Aborted,
            RolloutStatus::Canceled,
            RolloutStatus::Paused,
            RolloutStatus::InvalidSpec,
        ]
        .into_iter()
        .filter(|s| s.is_completed())
        .collect();
        assert_eq!(completed.len(), 4);
    }

    #[test]
    fn statuses_group_as_the_list_shows_them() {
        assert_eq!(RolloutStatus::Verifying.group(), StatusGroup::InProgress);
        assert_eq!(
            RolloutStatus::FailurePolicyPaused.group(),
            StatusGroup::Paused
        );
        assert_eq!(RolloutStatus::Aborted.group(), StatusGroup::RolledBack);
        assert_eq!(RolloutStatus::Finished.group(), StatusGroup::Successful);
        assert_eq!(
            StatusGroup::from_key("rolledBack"),
            Some(StatusGroup::RolledBack)
        );
        assert_eq!(StatusGroup::from_key("nope"), None);
    }
}
