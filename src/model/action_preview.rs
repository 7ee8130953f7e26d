//! What Roll back, Retry and Promote all leave live, for their confirmation dialog: the image,
//! the traffic on the new version before → after, and which way the SpotDeployment changes.

use rollout_api::{ActionKind, RolloutDetail};

/// The change an action makes to what is live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPreview {
    /// The image serving (most of) the traffic now, and the one serving all of it afterwards.
    pub image_from: String,
    pub image_to: String,
    /// "canary 20 % → 0 %".
    pub traffic: String,
    /// The SpotDeployment goes back to the previous desired state (the diff runs new → old).
    pub backwards: bool,
}

/// The preview of `kind` on this rollout; None for the actions that change no version.
pub fn preview(kind: ActionKind, d: &RolloutDetail) -> Option<ActionPreview> {
    let stable = d
        .stable_version_status
        .as_ref()
        .map_or_else(|| "none (first version)".to_string(), |s| s.version.clone());
    let new = d.new_version_status.version.clone();
    let now = d.new_version_status.traffic_percentage;
    let first = d.phases.first().map_or(100, |p| p.traffic_percentage);
    let (image_from, image_to, to, backwards) = match kind {
        ActionKind::Rollback => (new, stable, 0, true),
        ActionKind::PromoteFull => (stable, new, 100, false),
        // A new rollout of the same version from its first phase.
        ActionKind::Retry => (stable, new, first, false),
        _ => return None,
    };
    Some(ActionPreview {
        image_from,
        image_to,
        traffic: format!("canary {now} % → {to} %"),
        backwards,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rollout_view::tests::sample;

    #[test]
    fn roll_back_returns_to_the_stable_image_and_takes_the_canary_to_zero() {
        let d = sample();
        let p = preview(ActionKind::Rollback, &d).unwrap();
        assert_eq!(
            (p.image_from.as_str(), p.image_to.as_str()),
            ("checkout:1.5", "checkout:1.4")
        );
        assert_eq!(p.traffic, "canary 20 % → 0 %");
        assert!(p.backwards);
    }

    #[test]
    fn promote_all_goes_to_a_hundred_and_retry_to_the_first_phase() {
        let mut d = sample();
        let p = preview(ActionKind::PromoteFull, &d).unwrap();
        assert_eq!(
            (p.image_to.as_str(), p.traffic.as_str()),
            ("checkout:1.5", "canary 20 % → 100 %")
        );
        assert!(!p.backwards);
        d.new_version_status.traffic_percentage = 0;
        let r = preview(ActionKind::Retry, &d).unwrap();
        assert_eq!(r.traffic, "canary 0 % → 20 %");
        assert!(preview(ActionKind::Pause, &d).is_none());
        d.stable_version_status = None;
        let first = preview(ActionKind::Rollback, &d).unwrap();
        assert_eq!(first.image_to, "none (first version)");
    }
}
