//! The console's icons as SVG paths, and which icon and colour a status is drawn with: one
//! table for the console's components and the server's first screen.

use crate::{RolloutStatus, StatusGroup, StatusTone};

/// The icons the console draws, as inline SVG paths (24×24 grid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IconKind {
    Running,
    Pause,
    Check,
    Cross,
    Undo,
    Ban,
    Warning,
    Info,
    Dots,
    Copy,
    Download,
    ChevronLeft,
    ChevronDown,
    Close,
    Diff,
}

impl IconKind {
    /// The SVG path, on a 24×24 grid.
    pub fn path(self) -> &'static str {
        match self {
            IconKind::Running => "M12 2a10 10 0 1 0 10 10h-2.5A7.5 7.5 0 1 1 12 4.5z",
            IconKind::Pause => "M7 5h3.5v14H7zM13.5 5H17v14h-3.5z",
            IconKind::Check => "M9.5 16.2 5.3 12l-1.4 1.4 5.6 5.6L20.1 8.4 18.7 7z",
            IconKind::Cross => "M18.3 5.7 16.9 4.3 12 9.2 7.1 4.3 5.7 5.7 10.6 12l-4.9 4.9 1.4 1.4 4.9-4.9 4.9 4.9 1.4-1.4-4.9-4.9z",
            IconKind::Undo => "M12.5 8c-2.6 0-5 1-6.9 2.6L2 7v9h9l-3.6-3.6A8 8 0 0 1 20.2 16l2.4-.8A10.5 10.5 0 0 0 12.5 8z",
            IconKind::Ban => "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zM4.5 12c0-1.7.6-3.3 1.6-4.6l10.5 10.5A7.5 7.5 0 0 1 4.5 12zm13.4 4.6L7.4 6.1A7.5 7.5 0 0 1 17.9 16.6z",
            IconKind::Warning => "M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z",
            IconKind::Info => "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-6h2zm0-8h-2V7h2z",
            IconKind::Dots => "M12 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm0 6a2 2 0 1 0 0 4 2 2 0 0 0 0-4z",
            IconKind::Copy => "M16 1H4a2 2 0 0 0-2 2v14h2V3h12zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11z",
            IconKind::Download => "M19 9h-4V3H9v6H5l7 7zM5 18v2h14v-2z",
            IconKind::ChevronLeft => "M15.4 7.4 14 6l-6 6 6 6 1.4-1.4-4.6-4.6z",
            IconKind::ChevronDown => "M16.6 8.6 12 13.2 7.4 8.6 6 10l6 6 6-6z",
            IconKind::Close => "M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z",
            IconKind::Diff => "M9 3H7v4H3v2h4v4h2V9h4V7H9zM3 17h10v2H3zM15 3h2v18h-2z",
        }
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
