//! A paused rollout: for a window (counting down to its end), until someone acts, by a user, or
//! by the failure policy after a failed verification.

use super::BannerRole::{Alert, Status};
use super::BannerTone::{Attention, Danger, Info};
use super::{sentence, Banner, BannerKind as K};
use crate::text::format_exact;
use crate::{PauseKind, RolloutDetail};

/// The banner of `conditions.paused`, when the rollout is paused.
pub(super) fn paused(d: &RolloutDetail, out: &mut Vec<Banner>) {
    let c = &d.conditions;
    if let Some(p) = &c.paused {
        let at = format_exact(p.paused_at);
        let b = match p.kind {
            PauseKind::Window => {
                let when = p.until.map(format_exact).unwrap_or_default();
                let last = d.phases.last().is_some_and(|l| l.name == p.phase);
                let then = if last {
                    "the rollout completes by itself"
                } else {
                    "it moves on to the next phase by itself"
                };
                let mut b = Banner::new(
                    K::PausedWindow,
                    Status,
                    Info,
                    "Paused for a window — resumes by itself",
                )
                .text(format!(
                    "Phase “{}” paused at {at} for the window set in the strategy; {then} at \
                            {when}.",
                    p.phase
                ))
                .todo(&["Nothing is needed. To skip the wait, Promote; to stop, Roll back."]);
                b.countdown = p.until;
                b
            }
            PauseKind::Indefinite => Banner::new(
                K::PausedUntilAction,
                Status,
                Attention,
                "Paused until you act",
            )
            .text(format!(
                "Phase “{}” paused at {at}. The strategy sets no window, so the rollout \
                        waits for you.",
                p.phase
            ))
            .todo(&[
                "Resume (or Promote) to continue the rollout.",
                "Roll back to restore the stable version.",
            ]),
            PauseKind::Manual => {
                Banner::new(K::PausedManually, Status, Attention, "Paused by a user")
                    .text(format!(
                        "Phase “{}” was paused at {at}. It continues from where it left \
                    off once resumed.",
                        p.phase
                    ))
                    .todo(&[
                        "Resume to continue.",
                        "Roll back to restore the stable version.",
                    ])
            }
            PauseKind::FailurePolicy => {
                // The engine may leave `failureReason` empty while the policy holds the
                // rollout: the failed phase says what failed.
                let why = d
                    .failure_reason
                    .as_ref()
                    .map(|f| f.message.clone())
                    .or_else(|| {
                        d.phases
                            .iter()
                            .find(|ph| ph.name == p.phase && ph.failure.is_some())
                            .or_else(|| d.phases.iter().find(|ph| ph.failure.is_some()))
                            .and_then(|ph| ph.failure.clone())
                    })
                    .map(|m| sentence(&m))
                    .unwrap_or_default();
                Banner::new(
                    K::FailurePolicyPaused,
                    Alert,
                    Danger,
                    "Verification failed — paused by the failure policy",
                )
                .text(
                    format!(
                        "A verification of phase “{}” failed and the RolloutSpec's failure \
                            policy is pause, so the rollout stopped at {at}. {why}",
                        p.phase
                    )
                    .trim_end()
                    .to_string(),
                )
                .todo(&[
                    "Look at the failed verification in the phases panel.",
                    "Roll back to restore the stable version, or Resume / Promote to \
                            continue despite the failure.",
                ])
            }
        };
        out.push(b);
    }
}
