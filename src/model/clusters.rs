//! Clusters as people read them: is the operator reporting, since when not, how many rollouts
//! it affects, and what a lost heartbeat means during and before a rollout.

use crate::model::workloads::active_revision;
use rollout_api::{Cluster, RolloutStatus, Timestamp, Workload};

/// The rollouts of one cluster that have not completed: running, and waiting to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClusterRollouts {
    pub running: usize,
    pub waiting: usize,
}

/// Counts the live rollouts of `cluster_id` (one per workload at most).
pub fn cluster_rollouts(cluster_id: &str, workloads: &[Workload]) -> ClusterRollouts {
    let mut out = ClusterRollouts::default();
    for w in workloads.iter().filter(|w| w.cluster_id == cluster_id) {
        match active_revision(w).and_then(|r| r.status) {
            Some(RolloutStatus::Pending) => out.waiting += 1,
            Some(_) => out.running += 1,
            None => {}
        }
    }
    out
}

/// True when the operator is not reporting: no heartbeat for longer than the server's stale
/// threshold.
pub fn heartbeat_lost(c: &Cluster) -> bool {
    c.heartbeat_stale
}

fn rollouts_word(n: usize) -> String {
    if n == 1 {
        "1 rollout".into()
    } else {
        format!("{n} rollouts")
    }
}

/// What a lost heartbeat means for this cluster now, and what to do; None while it reports.
pub fn heartbeat_meaning(c: &Cluster, rollouts: ClusterRollouts) -> Option<String> {
    if !heartbeat_lost(c) {
        return None;
    }
    let mut parts = Vec::new();
    if rollouts.running > 0 {
        parts.push(format!(
            "{} {} on without the operator watching: what you see here is what it last \
             reported, and it catches up once the operator is back.",
            rollouts_word(rollouts.running),
            if rollouts.running == 1 {
                "carries"
            } else {
                "carry"
            }
        ));
    }
    if rollouts.waiting > 0 {
        parts.push(format!(
            "{} {} to start: no rollout is triggered until the operator reports again.",
            rollouts_word(rollouts.waiting),
            if rollouts.waiting == 1 {
                "waits"
            } else {
                "wait"
            }
        ));
    }
    if parts.is_empty() {
        parts.push(
            "No rollout runs here now, and none will start until the operator reports again."
                .into(),
        );
    }
    parts.push(
        "Read the operator's logs, and check the node it runs on (restart it if it was \
         terminated)."
            .into(),
    );
    Some(parts.join(" "))
}

/// "Healthy" or "Heartbeat lost": the state word of a cluster.
pub fn heartbeat_state(c: &Cluster) -> &'static str {
    if heartbeat_lost(c) {
        "Heartbeat lost"
    } else if c.operator.running {
        "Healthy"
    } else {
        "Operator stopped"
    }
}

/// Since when the heartbeat is lost: the last heartbeat (None when it never reported).
pub fn lost_since(c: &Cluster) -> Option<Timestamp> {
    heartbeat_lost(c).then_some(c.last_heartbeat_time).flatten()
}

#[cfg(test)]
pub mod fixtures {
    use super::*;
    use rollout_api::OperatorInfo;

    pub fn cluster(id: &str, lost: bool, last: Option<Timestamp>) -> Cluster {
        Cluster {
            id: id.into(),
            name: format!("{id} cluster"),
            cloud_provider: "AWS".into(),
            last_heartbeat_time: last,
            heartbeat_stale: lost,
            operator: OperatorInfo {
                running: !lost,
                version: "0.9.0".into(),
                heartbeat_interval_seconds: 30,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::cluster;
    use super::*;
    use crate::model::workloads::fixtures::{degraded, healthy, now, paused};

    #[test]
    fn live_rollouts_are_counted_per_cluster() {
        let mut waiting = paused();
        waiting.name = "ingest".into();
        waiting.revisions[0].status = Some(RolloutStatus::Pending);
        let all = [degraded(), paused(), healthy(), waiting];
        assert_eq!(
            cluster_rollouts("staging-eu", &all),
            ClusterRollouts {
                running: 1,
                waiting: 1
            }
        );
        assert_eq!(
            cluster_rollouts("prod-us-east", &all),
            ClusterRollouts::default()
        );
    }

    #[test]
    fn a_lost_heartbeat_means_different_things_during_and_before_a_rollout() {
        let ok = cluster("prod-us-east", false, Some(now()));
        assert_eq!(heartbeat_meaning(&ok, ClusterRollouts::default()), None);
        assert_eq!(heartbeat_state(&ok), "Healthy");
        assert_eq!(lost_since(&ok), None);

        let lost = cluster("staging-eu", true, Some(now()));
        assert_eq!(heartbeat_state(&lost), "Heartbeat lost");
        assert_eq!(lost_since(&lost), Some(now()));
        let during = heartbeat_meaning(
            &lost,
            ClusterRollouts {
                running: 1,
                waiting: 0,
            },
        )
        .unwrap();
        assert!(during.starts_with("1 rollout carries on without the operator watching"));
        assert!(!during.contains("waits"));
        let before = heartbeat_meaning(
            &lost,
            ClusterRollouts {
                running: 0,
                waiting: 2,
            },
        )
        .unwrap();
        assert!(before.starts_with(
            "2 rollouts wait to start: no rollout is triggered until the operator reports again."
        ));
        assert!(before.ends_with("(restart it if it was terminated)."));
        let idle = heartbeat_meaning(&lost, ClusterRollouts::default()).unwrap();
        assert!(idle.starts_with("No rollout runs here now"));
    }
}
