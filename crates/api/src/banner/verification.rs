//! A verification that cannot decide: its provider returned no data for a metric.

use super::BannerRole::Alert;
use super::BannerTone::Attention;
use super::{Banner, BannerKind as K};
use crate::RolloutDetail;

/// "Verification data not received": which provider and metric, and what to check.
pub(super) fn data_missing(d: &RolloutDetail, out: &mut Vec<Banner>) {
    let c = &d.conditions;
    if let Some(m) = &c.verification_data_missing {
        out.push(
            Banner::new(
                K::VerificationDataMissing,
                Alert,
                Attention,
                "Verification data not received",
            )
            .text(format!(
                "The provider {} returned no data for the metric “{}”: {}. The verification \
                        cannot decide while data is missing.",
                m.provider,
                m.metric_name,
                m.message.trim_end_matches('.')
            ))
            .todo(&[
                "Check that the provider knows this rollout's cluster ID.",
                "Check the provider's credentials (a typo breaks the connection).",
                "Run the query by hand in the monitoring tool to check it is valid.",
            ]),
        );
    }
}
