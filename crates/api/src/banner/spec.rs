//! The spec and the workload: an invalid spec stops the rollout; a Degraded workload says what
//! still runs and how to leave Degraded. An Argo Rollout is fixed with kubectl, a
//! SpotDeployment by applying again.

use super::BannerRole::{Alert, Status};
use super::BannerTone::{Attention, Danger};
use super::{sentence, Banner, BannerKind as K};
use crate::RolloutDetail;

/// "Invalid spec": the server's message and how to fix it.
pub(super) fn invalid_spec(d: &RolloutDetail, argo: Option<&str>, out: &mut Vec<Banner>) {
    let c = &d.conditions;
    if let Some(msg) = &c.invalid_spec {
        let b = Banner::new(
            K::InvalidSpec,
            Alert,
            Danger,
            "Invalid spec: the rollout cannot go on",
        )
        .text(msg.clone());
        out.push(match argo {
            None => b.todo(&[
                "Fix the YAML as the message says and apply it again.",
                "The rollout resumes by itself once the spec is valid; there is no need to \
                        re-apply the SpotDeployment.",
            ]),
            Some(_) => b.todo(&[
                "Fix the Rollout's spec as the message says and apply it again (kubectl apply).",
                "The Argo Rollouts controller picks up the fixed spec by itself.",
            ]),
        });
    }
}

/// "Rollout Degraded" (Argo Rollouts) or "Workload Degraded": what still runs, and how to
/// leave Degraded.
pub(super) fn degraded(d: &RolloutDetail, argo: Option<&str>, out: &mut Vec<Banner>) {
    let c = &d.conditions;
    if let (Some(msg), Some(name)) = (&c.degraded, argo) {
        out.push(
            Banner::new(K::Degraded, Status, Attention, "Rollout Degraded")
                .text(format!(
                    "{} The stable version runs and keeps the traffic; the Rollout stays \
                        Degraded until a revision completes.",
                    sentence(msg)
                ))
                .todo(&[
                    &format!("Retry this revision: kubectl argo rollouts retry rollout {name}."),
                    &format!(
                        "Or go back to the stable version (kubectl argo rollouts undo {name}), \
                            or set a new image: a new revision starts."
                    ),
                ]),
        );
    } else if let Some(msg) = &c.degraded {
        out.push(
            Banner::new(K::Degraded, Status, Attention, "Workload Degraded")
                .text(format!(
                    "{} The stable version runs and is healthy, but it is not the desired \
                        version, so the workload stays Degraded.",
                    sentence(msg)
                ))
                .todo(&[
                    "Apply the live (stable) version again, e.g. kubectl apply of the previous \
                        SpotDeployment: the desired version becomes the live one.",
                    "Or apply a new version (set image): a new rollout starts.",
                ]),
        );
    }
}
