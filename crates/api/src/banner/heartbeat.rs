//! The cluster's side: its heartbeat lost (a live cluster reconnecting, the operator silent
//! during a rollout or before one), or else why the rollout waits to start.

use super::BannerRole::{Alert, Status};
use super::BannerTone::{Attention, Danger, Info};
use super::{Banner, BannerKind as K};
use crate::text::format_exact;
use crate::RolloutDetail;

/// A lost heartbeat, or else the pending reason.
pub(super) fn heartbeat_or_pending(d: &RolloutDetail, out: &mut Vec<Banner>) {
    let c = &d.conditions;
    if let Some(h) = &c.heartbeat_lost {
        let since = h
            .last_heartbeat_time
            .map(|t| format!("since {}", format_exact(t)))
            .unwrap_or_else(|| "for a while".into());
        let b = if let Some(why) = &h.reconnecting {
            // A live cluster: the server says what is lost and keeps reconnecting.
            let last = h
                .last_heartbeat_time
                .map(format_exact)
                .unwrap_or_else(|| "never".into());
            Banner::new(
                K::HeartbeatLostDuring,
                Status,
                Attention,
                "Cluster heartbeat lost: reconnecting",
            )
            .text(format!(
                "{why} Last contact: {last}. What this page shows is as of then and catches up \
                 by itself once the cluster answers."
            ))
            .todo(&[
                "Check that the API server is reachable from the console's server (VPN, \
                 kubeconfig credentials).",
                "Check the Argo Rollouts controller: kubectl -n argo-rollouts get deploy \
                 argo-rollouts.",
            ])
        } else if h.during_rollout {
            Banner::new(
                K::HeartbeatLostDuring,
                Status,
                Attention,
                "The operator stopped reporting",
            )
            .text(format!(
                "No heartbeat from the cluster's operator {since}. The rollout continues on \
                        the cluster without it; what this page shows will catch up when the \
                        operator is back."
            ))
            .todo(&[
                "Read the operator logs.",
                "Make sure the node the operator runs on is up (restart it if it was terminated).",
            ])
        } else {
            Banner::new(
                K::HeartbeatLostBefore,
                Alert,
                Danger,
                "No operator heartbeat: the rollout cannot start",
            )
            .text(format!(
                "No heartbeat from the cluster's operator {since}. No rollout \
                    starts until the operator is back."
            ))
            .todo(&["Make sure the operator and the node it runs on are running."])
        };
        out.push(b);
    } else if let Some(reason) = &c.pending_reason {
        out.push(Banner::new(K::Pending, Status, Info, "Waiting to start").text(reason.clone()));
    }
}
