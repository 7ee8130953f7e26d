//! A rollout status as an icon, and the status → icon and colour table for the whole console.

use crate::components::icon::{Icon, IconKind};
use leptos::prelude::*;
use rollout_api::{RolloutStatus, StatusGroup, StatusTone};

/// A rollout status as an icon with `role="img"` and the status as its accessible name.
#[component]
pub fn StatusIcon(
    /// The status to draw.
    status: RolloutStatus,
    /// Use the precise label ("Failure policy paused") instead of the list group ("Paused").
    #[prop(optional)]
    precise: bool,
) -> impl IntoView {
    let v = status_visual(status);
    let label = if precise {
        status.label()
    } else {
        status.group().label()
    };
    view! {
        <span
            class=format!("status-icon status-icon--{}", v.modifier)
            role="img"
            aria-label=label
            title=label
        >
            <Icon kind=v.icon />
        </span>
    }
}

pub struct StatusVisual {
    pub icon: IconKind,
    /// BEM modifier: `status-icon--{modifier}`.
    pub modifier: &'static str,
}

pub fn status_visual(status: RolloutStatus) -> StatusVisual {
    let icon = match status.group() {
        StatusGroup::InProgress => IconKind::Running,
        StatusGroup::Paused => IconKind::Pause,
        StatusGroup::RolledBack => IconKind::Undo,
        StatusGroup::Successful => IconKind::Check,
        StatusGroup::Canceled => IconKind::Ban,
        StatusGroup::InvalidSpec => IconKind::Warning,
        StatusGroup::Failed => IconKind::Cross,
    };
    StatusVisual {
        icon,
        modifier: tone_modifier(status.group().tone()),
    }
}

pub fn tone_modifier(tone: StatusTone) -> &'static str {
    match tone {
        StatusTone::Running => "running",
        StatusTone::Attention => "attention",
        StatusTone::Danger => "danger",
        StatusTone::Success => "success",
        StatusTone::Neutral => "neutral",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_has_its_own_icon() {
        let icons: std::collections::HashSet<_> = [
            RolloutStatus::InProgress,
            RolloutStatus::Paused,
            RolloutStatus::Aborted,
            RolloutStatus::Finished,
            RolloutStatus::Canceled,
            RolloutStatus::InvalidSpec,
            RolloutStatus::Failed,
        ]
        .into_iter()
        .map(|s| status_visual(s).icon)
        .collect();
        assert_eq!(icons.len(), 7);
    }

    #[test]
    fn failure_policy_paused_reads_as_attention() {
        assert_eq!(
            status_visual(RolloutStatus::FailurePolicyPaused).modifier,
            "attention"
        );
        assert_eq!(status_visual(RolloutStatus::Failed).modifier, "danger");
    }
}
