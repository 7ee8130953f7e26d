//! A re-apply cancels a rollout and starts a new one: each links to the other. A rollout
//! canceled otherwise says so alone.

use super::BannerRole::Status;
use super::BannerTone::{Info, Neutral};
use super::{Banner, BannerKind as K};
use crate::text::rollout_href;
use crate::{RolloutDetail, RolloutStatus};

/// "Canceled by a re-apply" (or "Canceled"), and "Replaces a canceled rollout".
pub(super) fn canceled_and_replaces(d: &RolloutDetail, out: &mut Vec<Banner>) {
    if let Some(new_id) = &d.new_rollout_id {
        out.push(
            Banner::new(K::Canceled, Status, Neutral, "Canceled by a re-apply")
                .text(
                    "The SpotDeployment was applied again while this rollout ran, so it was \
                    canceled and a new rollout started.",
                )
                .link(
                    format!("Go to the new rollout {new_id}"),
                    rollout_href(new_id),
                ),
        );
    } else if d.status == RolloutStatus::Canceled {
        out.push(
            Banner::new(K::Canceled, Status, Neutral, "Canceled")
                .text("This rollout was canceled."),
        );
    }
    if let Some(orig) = &d.original_rollout_id {
        out.push(
            Banner::new(K::Replaces, Status, Info, "Replaces a canceled rollout")
                .text(format!(
                    "This rollout started when rollout {orig} was canceled by a re-apply."
                ))
                .link(
                    format!("Go to the original rollout {orig}"),
                    rollout_href(orig),
                ),
        );
    }
}
