//! The attention inbox: everything across clusters and namespaces that waits for a person, with
//! why, since when, and where to act. Pure: built from the workloads, the clusters and the
//! details of the rollouts that matter.

use crate::api::brief::{RolloutBrief, VerificationBrief};
use crate::model::clusters::{cluster_rollouts, heartbeat_lost, heartbeat_meaning};
use crate::model::time::format_duration;
use crate::model::workloads::{active_revision, degraded_revisions};
use crate::url;
use rollout_api::{Cluster, DataPointStatus, PauseKind, Timestamp, Workload};
use std::collections::HashMap;

/// Why something is in the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    HeartbeatLost,
    InvalidSpec,
    FailurePolicyPaused,
    VerificationDataMissing,
    AwaitingPromote,
    PausedByUser,
    Degraded,
}

impl Reason {
    pub fn label(self) -> &'static str {
        match self {
            Reason::HeartbeatLost => "Heartbeat lost",
            Reason::InvalidSpec => "Invalid spec",
            Reason::FailurePolicyPaused => "Failure policy paused",
            Reason::VerificationDataMissing => "Verification without data",
            Reason::AwaitingPromote => "Awaiting promote",
            Reason::PausedByUser => "Paused by a user",
            Reason::Degraded => "Degraded",
        }
    }

    /// BEM modifier of the reason chip (`attention__reason--{modifier}`).
    pub fn modifier(self) -> &'static str {
        match self {
            Reason::HeartbeatLost | Reason::Degraded | Reason::FailurePolicyPaused => "danger",
            _ => "attention",
        }
    }
}

/// One thing waiting for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttentionItem {
    pub reason: Reason,
    /// What it is about: a SpotDeployment name, or a cluster name.
    pub subject: String,
    /// Where: "prod-us-east / payments", or the cluster id.
    pub place: String,
    /// Why it is here and what to do, in a sentence or two.
    pub why: String,
    /// Since when it waits (None when unknown).
    pub since: Option<Timestamp>,
    /// Where to act.
    pub href: String,
    /// The link's words ("Promote or roll back").
    pub action: &'static str,
    pub cluster_id: String,
    /// The workload it concerns, as (namespace, name), when it concerns one.
    pub workload: Option<(String, String)>,
}

impl AttentionItem {
    /// Identity (reason, where, what) and what it shows that can change (why, since): an item
    /// is redrawn when one of those changes.
    pub fn key(&self) -> (Reason, String, String, String, Option<Timestamp>) {
        (
            self.reason,
            self.place.clone(),
            self.subject.clone(),
            self.why.clone(),
            self.since,
        )
    }

    /// "waiting 15m 00s"; "waiting" when the start is unknown.
    pub fn waited(&self, now: Timestamp) -> String {
        match self.since {
            Some(t) => format!("waiting {}", format_duration((now - t).num_seconds())),
            None => "waiting".into(),
        }
    }

    /// True when it concerns this workload.
    pub fn is_about(&self, cluster_id: &str, namespace: &str, name: &str) -> bool {
        self.cluster_id == cluster_id
            && self
                .workload
                .as_ref()
                .is_some_and(|(ns, n)| ns == namespace && n == name)
    }
}

/// The rollouts whose details the inbox needs: every rollout in flight, and the rolled-back
/// rollout of every Degraded workload.
pub fn wanted_details(workloads: &[Workload]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for w in workloads {
        if let Some(id) = active_revision(w).and_then(|r| r.rollout_id.clone()) {
            ids.push(id);
        }
        if w.degraded {
            let rolled_back = w
                .revisions
                .iter()
                .find(|r| r.revision == w.desired_revision)
                .and_then(|r| r.rollout_id.clone());
            ids.extend(rolled_back);
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

/// Since when a metric has had no data: the first of the newest run of measurements without.
fn no_data_since(v: &VerificationBrief) -> Option<Timestamp> {
    v.data_points
        .iter()
        .rev()
        .take_while(|d| d.status == DataPointStatus::Error)
        .last()
        .map(|d| d.timestamp)
}

/// The last time anything moved in a rollout (start, phase starts and ends): an invalid spec
/// has held at least since then.
fn last_progress(d: &RolloutBrief) -> Timestamp {
    d.phases
        .iter()
        .flat_map(|p| [p.start_time, p.end_time])
        .flatten()
        .fold(d.start_time, Timestamp::max)
}

fn rollout_items(d: &RolloutBrief, out: &mut Vec<AttentionItem>) {
    if d.status.is_completed() {
        return;
    }
    let item = |reason, why: String, since, action| AttentionItem {
        reason,
        subject: d.spot_deployment.name.clone(),
        place: format!("{} / {}", d.cluster_id, d.namespace),
        why,
        since,
        href: url::rollout(&d.id),
        action,
        cluster_id: d.cluster_id.clone(),
        workload: Some((d.namespace.clone(), d.spot_deployment.name.clone())),
    };
    let c = &d.conditions;
    if let Some(p) = &c.paused {
        let found = match p.kind {
            PauseKind::Window => None,
            PauseKind::Indefinite => Some((
                Reason::AwaitingPromote,
                format!(
                    "Paused at phase {} with no time limit: it waits for Promote (or Roll back).",
                    p.phase
                ),
                "Promote or roll back",
            )),
            PauseKind::Manual => Some((
                Reason::PausedByUser,
                format!(
                    "Paused by a user at phase {}: Resume or Roll back.",
                    p.phase
                ),
                "Resume or roll back",
            )),
            PauseKind::FailurePolicy => Some((
                Reason::FailurePolicyPaused,
                format!(
                    "A verification failed at phase {} and the failure policy holds the \
                     rollout: look at the data, then Promote or Roll back.",
                    p.phase
                ),
                "Review the verification",
            )),
        };
        if let Some((reason, why, action)) = found {
            out.push(item(reason, why, Some(p.paused_at), action));
        }
    }
    if let Some(message) = &c.invalid_spec {
        out.push(item(
            Reason::InvalidSpec,
            format!(
                "{}{} It resumes by itself once the YAML is fixed.",
                message.trim_end(),
                if message.trim_end().ends_with(['.', '!', '?']) {
                    ""
                } else {
                    "."
                }
            ),
            Some(last_progress(d)),
            "See what to fix",
        ));
    }
    if let Some(m) = &c.verification_data_missing {
        let since = d
            .phases
            .iter()
            .flat_map(|p| p.verifications.iter())
            .chain(d.background_verifications.iter())
            .filter(|v| v.metric_name == m.metric_name)
            .filter_map(no_data_since)
            .min();
        out.push(item(
            Reason::VerificationDataMissing,
            format!(
                "{} from {} returns no data: check that the provider knows cluster {}, the \
                 credentials, and run the query by hand in the monitoring tool.",
                m.metric_name, m.provider, d.cluster_id
            ),
            since,
            "Open the verification",
        ));
    }
}

fn degraded_item(w: &Workload, details: &HashMap<String, RolloutBrief>) -> Option<AttentionItem> {
    let (desired, live) = degraded_revisions(w)?;
    let since = desired
        .rollout_id
        .as_ref()
        .and_then(|id| details.get(id))
        .and_then(|d| d.end_time);
    Some(AttentionItem {
        reason: Reason::Degraded,
        subject: w.name.clone(),
        place: format!("{} / {}", w.cluster_id, w.namespace),
        why: format!(
            "Revision {} was rolled back and revision {} runs as stable: apply the live version \
             again, or a new version.",
            desired.revision, live.revision
        ),
        since,
        href: url::workload(&w.cluster_id, &w.namespace, &w.name),
        action: "Remove Degraded",
        cluster_id: w.cluster_id.clone(),
        workload: Some((w.namespace.clone(), w.name.clone())),
    })
}

fn cluster_item(c: &Cluster, workloads: &[Workload]) -> Option<AttentionItem> {
    if !heartbeat_lost(c) {
        return None;
    }
    let why = heartbeat_meaning(c, cluster_rollouts(&c.id, workloads))?;
    Some(AttentionItem {
        reason: Reason::HeartbeatLost,
        subject: c.name.clone(),
        place: c.id.clone(),
        why: format!("The operator stopped reporting. {why}"),
        since: c.last_heartbeat_time,
        href: url::cluster(&c.id),
        action: "Open the cluster",
        cluster_id: c.id.clone(),
        workload: None,
    })
}

/// Everything that waits for a person, longest waiting first (unknown starts last).
pub fn attention_items(
    workloads: &[Workload],
    clusters: &[Cluster],
    details: &HashMap<String, RolloutBrief>,
) -> Vec<AttentionItem> {
    let mut out: Vec<AttentionItem> = clusters
        .iter()
        .filter_map(|c| cluster_item(c, workloads))
        .collect();
    out.extend(workloads.iter().filter_map(|w| degraded_item(w, details)));
    // Only the rollouts still in flight on a workload speak (a stale detail is ignored).
    let active: Vec<&String> = workloads
        .iter()
        .filter_map(|w| active_revision(w).and_then(|r| r.rollout_id.as_ref()))
        .collect();
    for id in active {
        if let Some(d) = details.get(id) {
            rollout_items(d, &mut out);
        }
    }
    out.sort_by(|a, b| {
        (a.since.is_none(), a.since, a.reason, &a.subject).cmp(&(
            b.since.is_none(),
            b.since,
            b.reason,
            &b.subject,
        ))
    });
    out
}

#[cfg(test)]
#[path = "attention_tests.rs"]
mod tests;
