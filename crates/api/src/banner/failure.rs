//! Why the rollout failed (`failureReason`): a Kubernetes failure, a failed verification (unless
//! the failure policy paused the rollout, which the pause banner says), a manual rollback.

use super::BannerRole::{Alert, Status};
use super::BannerTone::{Danger, Neutral};
use super::{sentence, Banner, BannerKind as K};
use crate::{FailureReasonType, PauseKind, RolloutDetail, RolloutStatus};

/// The banner of `failureReason`, when there is one to show.
pub(super) fn failure(d: &RolloutDetail, argo: Option<&str>, out: &mut Vec<Banner>) {
    let c = &d.conditions;
    if let Some(f) = &d.failure_reason {
        match f.kind {
            FailureReasonType::Kubernetes if argo.is_some() => out.push(
                Banner::new(
                    K::KubernetesFailure,
                    Alert,
                    Danger,
                    "Kubernetes failure — the rollout stopped",
                )
                .text(format!(
                    "{} Argo Rollouts stopped progressing this revision; the stable version \
                            keeps its traffic (it is rolled back only with \
                            progressDeadlineAbort).",
                    sentence(&f.message)
                ))
                .todo(&[
                    "Check the pods and events in the application view (CrashLoopBackOff, \
                            image pull, liveness probe).",
                    &format!(
                        "Fix the new version and set its image again, or roll back: kubectl \
                            argo rollouts abort {}.",
                        argo.unwrap_or_default()
                    ),
                ]),
            ),
            FailureReasonType::Kubernetes => out.push(
                Banner::new(
                    K::KubernetesFailure,
                    Alert,
                    Danger,
                    "Kubernetes failure — rolled back automatically",
                )
                .text(format!(
                    "{} The new version's pods did not become healthy within \
                            progressDeadlineSeconds, so the rollout was rolled back, whatever \
                            the failure policy.",
                    sentence(&f.message)
                ))
                .todo(&["Check the pods and events in the application view \
                        (CrashLoopBackOff, image pull, liveness probe)."]),
            ),
            FailureReasonType::PhaseVerification | FailureReasonType::BackgroundVerification
                if c.paused.as_ref().map(|p| p.kind) != Some(PauseKind::FailurePolicy) =>
            {
                let what = if d.status.is_completed() || d.status == RolloutStatus::Aborting {
                    format!(
                        "{} The failure policy ({}) rolled the rollout back.",
                        sentence(&f.message),
                        d.failure_policy
                    )
                } else {
                    format!(
                        "{} The failure policy is {}.",
                        sentence(&f.message),
                        d.failure_policy
                    )
                };
                out.push(
                    Banner::new(K::VerificationFailed, Alert, Danger, f.kind.label())
                        .text(what)
                        .todo(
                            &["Compare the data points with the conditions in the phases \
                            panel, fix the new version, then apply again."],
                        ),
                )
            }
            FailureReasonType::ManualRollback => out.push(
                Banner::new(K::ManualRollback, Status, Neutral, "Rolled back by a user")
                    .text(f.message.clone()),
            ),
            _ => {}
        }
    }
}
