//! A rollout's figures in words: its replicas, duration and services.

use super::format_duration;
use crate::{PodHealth, RolloutDetail, VersionStatus};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaView {
    pub health: &'static str,
    pub label: String,
}

pub fn health_word(h: PodHealth) -> &'static str {
    match h {
        PodHealth::Ready => "ready",
        PodHealth::Starting => "starting",
        PodHealth::Failing => "failing",
        PodHealth::Terminating => "terminating",
    }
}

/// The icons of one version's replicas: one per pod ("Pod web-x2, canary version, failing
/// (CrashLoopBackOff, 4 restarts)"), or from the counts when the server lists no pods.
pub fn replica_views(v: &VersionStatus, version: &str) -> Vec<ReplicaView> {
    if !v.pods.is_empty() {
        return v
            .pods
            .iter()
            .map(|p| {
                let word = health_word(p.health);
                let mut detail = vec![];
                if !p.status.eq_ignore_ascii_case(word) && !p.status.is_empty() {
                    detail.push(p.status.clone());
                }
                if p.restarts > 0 {
                    detail.push(format!("{} restarts", p.restarts));
                }
                let detail = if detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", detail.join(", "))
                };
                ReplicaView {
                    health: word,
                    label: format!("Pod {}, {version} version, {word}{detail}", p.name),
                }
            })
            .collect();
    }
    let r = v.replicas;
    let counted = [
        (r.ready, "ready"),
        (r.in_progress, "starting"),
        (r.failed, "failing"),
    ];
    counted
        .into_iter()
        .flat_map(|(n, word)| {
            (0..n).map(move |i| ReplicaView {
                health: word,
                label: format!("Replica {} of the {version} version, {word}", i + 1),
            })
        })
        .collect()
}

/// The duration shown on the top line: ticking while running, fixed once ended.
pub fn rollout_duration(d: &RolloutDetail, now: DateTime<Utc>) -> String {
    let end = d.end_time.unwrap_or(now);
    format_duration((end - d.start_time).num_seconds())
}

/// The Kubernetes services of a rollout's stable and new versions, "a, b", or "—" for none.
pub fn services_text(d: &RolloutDetail) -> String {
    let stable = d
        .stable_version_status
        .as_ref()
        .and_then(|s| s.k8s_service.clone());
    let mut all: Vec<String> = [stable, d.new_version_status.k8s_service.clone()]
        .into_iter()
        .flatten()
        .collect();
    all.dedup();
    if all.is_empty() {
        "—".to_string()
    } else {
        all.join(", ")
    }
}
