//! The banners of the detailed rollout page: what is happening, what it means, what the user
//! can do. Derived from `RolloutDetail` alone, so the console and the server's first screen
//! (HTML sent before the console runs) say the same.
//!
//! This file holds the banner itself (kinds, roles, tones, the builder, the icon), `sentence`
//! and `countdown`, and `banners`, which asks each subject in turn, in order of importance:
//! the spec and the workload (`spec`), a pause (`pause`), a failure (`failure`), the cluster's
//! heartbeat (`heartbeat`), missing verification data (`verification`), a cancellation
//! (`canceled`). The page's own banner, the server unreachable, is `unreachable_banner`.

mod canceled;
mod failure;
mod heartbeat;
mod pause;
mod spec;
mod verification;

use crate::icon::IconKind;
use crate::text::{format_duration, format_exact};
use crate::RolloutDetail;
use chrono::{DateTime, Utc};

/// Which situation a banner describes (also its stable CSS/test hook).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BannerKind {
    PausedWindow,
    PausedUntilAction,
    PausedManually,
    FailurePolicyPaused,
    VerificationFailed,
    KubernetesFailure,
    ManualRollback,
    Degraded,
    InvalidSpec,
    HeartbeatLostDuring,
    HeartbeatLostBefore,
    Pending,
    VerificationDataMissing,
    Canceled,
    Replaces,
    BackendUnreachable,
}

impl BannerKind {
    /// The banner's stable hook (`data-banner`), the same from the server's first screen and
    /// the console, in the kebab case of the other banners' hooks (`degraded`, `controller`).
    pub fn hook(self) -> &'static str {
        match self {
            BannerKind::PausedWindow => "paused-window",
            BannerKind::PausedUntilAction => "paused-until-action",
            BannerKind::PausedManually => "paused-manually",
            BannerKind::FailurePolicyPaused => "failure-policy-paused",
            BannerKind::VerificationFailed => "verification-failed",
            BannerKind::KubernetesFailure => "kubernetes-failure",
            BannerKind::ManualRollback => "manual-rollback",
            BannerKind::Degraded => "degraded",
            BannerKind::InvalidSpec => "invalid-spec",
            BannerKind::HeartbeatLostDuring => "heartbeat-lost-during",
            BannerKind::HeartbeatLostBefore => "heartbeat-lost-before",
            BannerKind::Pending => "pending",
            BannerKind::VerificationDataMissing => "verification-data-missing",
            BannerKind::Canceled => "canceled",
            BannerKind::Replaces => "replaces",
            BannerKind::BackendUnreachable => "backend-unreachable",
        }
    }
}

/// How loudly a banner speaks: `role="status"` or `role="alert"` (failures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BannerRole {
    Status,
    Alert,
}

/// Colour family of a banner (`banner--{tone}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BannerTone {
    Info,
    Attention,
    Danger,
    Neutral,
}

impl BannerTone {
    pub fn modifier(self) -> &'static str {
        match self {
            BannerTone::Info => "info",
            BannerTone::Attention => "attention",
            BannerTone::Danger => "danger",
            BannerTone::Neutral => "neutral",
        }
    }
}

/// A link a banner offers (to another rollout, to the list).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BannerLink {
    pub label: String,
    pub href: String,
}

/// Keyed by value in lists: a banner whose words change is a new banner (announced again).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Banner {
    pub kind: BannerKind,
    pub role: BannerRole,
    pub tone: BannerTone,
    pub title: String,
    /// What it means.
    pub text: String,
    /// What the user can do, one item per line (may be empty).
    pub todo: Vec<String>,
    pub link: Option<BannerLink>,
    /// A moment the banner counts down to (shown apart, outside the live region's updates).
    pub countdown: Option<DateTime<Utc>>,
}

impl Banner {
    fn new(kind: BannerKind, role: BannerRole, tone: BannerTone, title: impl Into<String>) -> Self {
        Banner {
            kind,
            role,
            tone,
            title: title.into(),
            text: String::new(),
            todo: Vec::new(),
            link: None,
            countdown: None,
        }
    }
    fn text(mut self, text: impl Into<String>) -> Self {
        self.text = text.into();
        self
    }
    fn todo(mut self, items: &[&str]) -> Self {
        self.todo = items.iter().map(|s| s.to_string()).collect();
        self
    }
    fn link(mut self, label: impl Into<String>, href: impl Into<String>) -> Self {
        self.link = Some(BannerLink {
            label: label.into(),
            href: href.into(),
        });
        self
    }
}

/// A message from the server as a sentence: it ends with one full stop, so that words can follow.
pub fn sentence(message: &str) -> String {
    let m = message.trim().trim_end_matches('.');
    if m.is_empty() {
        String::new()
    } else if m.ends_with(['!', '?']) {
        m.to_string()
    } else {
        format!("{m}.")
    }
}

/// "12m 03s" until `until`, or "any moment now" once it has passed.
pub fn countdown(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let left = (until - now).num_seconds();
    if left <= 0 {
        "any moment now".into()
    } else {
        format_duration(left)
    }
}

/// The banners for a rollout, most important first.
pub fn banners(d: &RolloutDetail) -> Vec<Banner> {
    let mut out = Vec::new();
    // An Argo Rollout (read from Kubernetes) is fixed with kubectl, not by applying entities.
    let argo = d.kubernetes.as_ref().map(|k| k.name.as_str());

    spec::invalid_spec(d, argo, &mut out);
    pause::paused(d, &mut out);
    failure::failure(d, argo, &mut out);
    spec::degraded(d, argo, &mut out);
    heartbeat::heartbeat_or_pending(d, &mut out);
    verification::data_missing(d, &mut out);
    canceled::canceled_and_replaces(d, &mut out);
    out
}

/// The banner shown when the page cannot hear from the server: what is on screen is the last
/// known state, as of `since`.
pub fn unreachable_banner(reason: &str, since: DateTime<Utc>) -> Banner {
    Banner::new(
        BannerKind::BackendUnreachable,
        BannerRole::Alert,
        BannerTone::Danger,
        "Server unreachable: showing the last known state",
    )
    .text(format!(
        "{reason} since {}. The page shows the rollout as it was then and updates again once the \
            server answers.",
        format_exact(since)
    ))
}

impl Banner {
    /// The banner's icon: a pause shows the pause sign; the others the sign of their tone.
    pub fn icon(&self) -> IconKind {
        use BannerKind as K;
        match (self.kind, self.tone) {
            (K::PausedWindow | K::PausedUntilAction | K::PausedManually, _) => IconKind::Pause,
            (_, BannerTone::Danger | BannerTone::Attention) => IconKind::Warning,
            (_, BannerTone::Neutral) => IconKind::Ban,
            (_, BannerTone::Info) => IconKind::Info,
        }
    }
}

#[cfg(test)]
mod tests;
