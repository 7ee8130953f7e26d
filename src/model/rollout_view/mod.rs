//! What the detailed rollout page says about a rollout: the banners (what is happening, what it
//! means, what to do; written in `rollout_api::banner`, shared with the server's first screen)
//! and the actions menu (label, whether allowed and why not, confirmation).
//!
//! Everything is derived from `RolloutDetail` as the server sent it; the engine decides which
//! actions are allowed, the console only words it.

use rollout_api::{ActionKind, PhaseStatus, RolloutDetail};

pub use rollout_api::banner::{banners, countdown, unreachable_banner, Banner, BannerRole};

/// Words for one action of the three-dot menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionText {
    pub label: &'static str,
    pub confirm_title: &'static str,
}

pub fn action_text(kind: ActionKind) -> ActionText {
    let (label, confirm_title) = match kind {
        ActionKind::Promote => ("Promote", "Promote to the next phase?"),
        ActionKind::PromoteFull => ("Promote all", "Promote to the end of the rollout?"),
        ActionKind::Pause => ("Pause", "Pause the rollout?"),
        ActionKind::Resume => ("Resume", "Resume the rollout?"),
        ActionKind::Rollback => ("Roll back", "Roll back the rollout?"),
        ActionKind::Retry => ("Retry", "Retry the rollout?"),
    };
    ActionText {
        label,
        confirm_title,
    }
}

/// What will happen, said in the confirmation dialog (uses the rollout's current phase).
pub fn confirm_text(kind: ActionKind, d: &RolloutDetail) -> String {
    let current = d.phases.iter().find(|p| {
        matches!(
            p.status,
            PhaseStatus::InProgress
                | PhaseStatus::Verifying
                | PhaseStatus::Paused
                | PhaseStatus::Promoting
        )
    });
    let next = current.and_then(|c| d.phases.iter().find(|p| p.index == c.index + 1));
    let stable = d
        .stable_version_status
        .as_ref()
        .map(|s| s.version.clone())
        .unwrap_or_else(|| "the stable version".into());
    let new = &d.new_version_status.version;
    match kind {
        ActionKind::Promote => match (current, next) {
            (Some(c), Some(n)) => format!(
                "Phase “{}” ends now, without waiting for its pause or verifications, and \
                    phase “{}” starts with {}% of traffic on {new}.",
                c.name, n.name, n.traffic_percentage
            ),
            (Some(c), None) => format!(
                "Phase “{}” ends now; it is the last one, so {new} \
                becomes the stable version.",
                c.name
            ),
            _ => "The current phase ends now and the rollout moves to the next one.".into(),
        },
        ActionKind::PromoteFull => format!(
            "Every remaining phase is skipped: {new} receives 100% of traffic and becomes the \
                stable version. The rollout ends as successful."
        ),
        ActionKind::Pause => "The rollout stops where it is, keeping the current traffic split, \
            until someone resumes it. It then continues from where it left off."
            .into(),
        ActionKind::Resume => "The rollout continues from where it stopped.".into(),
        ActionKind::Rollback => format!(
            "The rollout is terminated: {stable} is scaled up and receives all traffic again, \
                {new} is scaled down. The workload will be Degraded until a version is applied \
                again."
        ),
        ActionKind::Retry => format!(
            "A new rollout of {new} starts from the first phase, with \
            the same strategy."
        ),
    }
}

/// One entry of the actions menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuAction {
    pub kind: ActionKind,
    pub label: &'static str,
    pub enabled: bool,
    /// Why it is disabled (shown next to the item).
    pub reason: Option<String>,
}

/// The six actions in menu order, allowed or not as the engine says (`RolloutDetail.actions`).
pub fn menu_actions(d: &RolloutDetail) -> Vec<MenuAction> {
    ActionKind::ALL
        .into_iter()
        .map(|kind| {
            let label = action_text(kind).label;
            match d.actions.iter().find(|a| a.action == kind) {
                Some(a) => MenuAction {
                    kind,
                    label,
                    enabled: a.enabled,
                    reason: if a.enabled {
                        None
                    } else {
                        Some(a.reason.clone().unwrap_or_else(|| {
                            format!(
                                "Not possible while the rollout is {}",
                                d.status.label().to_lowercase()
                            )
                        }))
                    },
                },
                None => MenuAction {
                    kind,
                    label,
                    enabled: false,
                    reason: Some("The server does not offer this action for this rollout".into()),
                },
            }
        })
        .collect()
}

/// One replica icon: BEM modifier of its health and its accessible name.
pub use rollout_api::text::{image_parts, replica_views, rollout_duration};

#[cfg(test)]
pub(crate) mod tests;
