use crate::components::icon::{Icon, IconKind};
use crate::components::status_icon::tone_modifier;
use crate::model::workloads::WorkloadStatus;
use leptos::prelude::*;

/// A workload's status as an icon with `role="img"` and the status as its accessible name.
#[component]
pub fn WorkloadStatusIcon(
    /// The status to draw.
    status: WorkloadStatus,
) -> impl IntoView {
    let icon = match status {
        WorkloadStatus::Healthy => IconKind::Check,
        WorkloadStatus::RollingOut => IconKind::Running,
        WorkloadStatus::Paused => IconKind::Pause,
        WorkloadStatus::Degraded => IconKind::Undo,
        WorkloadStatus::InvalidSpec => IconKind::Warning,
    };
    let label = status.label();
    view! {
        <span
            class=format!("status-icon status-icon--{}", tone_modifier(status.tone()))
            role="img"
            aria-label=label
            title=label
        >
            <Icon kind=icon />
        </span>
    }
}
