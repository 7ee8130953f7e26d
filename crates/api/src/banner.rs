//! The banners of the detailed rollout page: what is happening, what it means, what the user
//! can do. Derived from `RolloutDetail` alone, so the console and the server's first screen
//! (HTML sent before the console runs) say the same.

use crate::icon::IconKind;
use crate::text::{format_duration, format_exact, rollout_href};
use crate::{FailureReasonType, PauseKind, RolloutDetail, RolloutStatus};
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
    use BannerKind as K;
    use BannerRole::{Alert, Status};
    use BannerTone::{Attention, Danger, Info, Neutral};
    let mut out = Vec::new();
    let c = &d.conditions;
    // An Argo Rollout (read from Kubernetes) is fixed with kubectl, not by applying entities.
    let argo = d.kubernetes.as_ref().map(|k| k.name.as_str());

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
