//! The Resources tab: pods grouped by replica set, ages, and how often to refetch.

use rollout_api::{Pod, PodHealth, ReplicaSet, Resources, Timestamp};

/// The pods of one replica set (or of none the API named).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodGroup {
    pub name: String,
    pub replica_set: Option<ReplicaSet>,
    pub pods: Vec<Pod>,
}

/// Canary (latest) replica set first, then stable, then pods of any other replica set.
pub fn pod_groups(res: &Resources) -> Vec<PodGroup> {
    let mut groups: Vec<PodGroup> = [&res.replica_sets.latest, &res.replica_sets.stable]
        .into_iter()
        .flatten()
        .map(|rs| PodGroup {
            name: rs.name.clone(),
            replica_set: Some(rs.clone()),
            pods: Vec::new(),
        })
        .collect();
    for pod in &res.pods {
        match groups.iter_mut().find(|g| g.name == pod.replica_set) {
            Some(g) => g.pods.push(pod.clone()),
            None => groups.push(PodGroup {
                name: pod.replica_set.clone(),
                replica_set: None,
                pods: vec![pod.clone()],
            }),
        }
    }
    for g in &mut groups {
        g.pods.sort_by(|a, b| a.name.cmp(&b.name));
    }
    groups
}

/// CSS modifier and tooltip of a pod's health. A pod that is starting is not failing: only
/// `Failing` is drawn as an error.
pub fn pod_health(health: PodHealth) -> (&'static str, &'static str) {
    match health {
        PodHealth::Ready => ("ready", "Ready"),
        PodHealth::Starting => ("starting", "Starting: not ready yet"),
        PodHealth::Failing => ("failing", "Failing"),
        PodHealth::Terminating => ("terminating", "Terminating"),
    }
}

/// Kubernetes-style age: "45s", "12m", "3h", "2d".
pub fn age(created: Timestamp, now: Timestamp) -> String {
    let s = (now - created).num_seconds().max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// How long to wait before refetching, so refetches are at least `interval_ms` apart.
pub fn throttle_delay(last_ms: f64, now_ms: f64, interval_ms: f64) -> f64 {
    (last_ms + interval_ms - now_ms).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use rollout_api::{PodHealth, PodVersion, ReplicaSets};

    fn pod(name: &str, rs: &str, version: PodVersion) -> Pod {
        Pod {
            name: name.into(),
            replica_set: rs.into(),
            version,
            status: "Running".into(),
            health: PodHealth::Ready,
            containers_readiness: "1/1".into(),
            ready: true,
            restarts: 0,
            node: "node-a".into(),
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        }
    }

    fn rs(name: &str, version: PodVersion) -> ReplicaSet {
        ReplicaSet {
            name: name.into(),
            version,
            revision: 1,
            image: "img".into(),
            desired: 2,
            ready: 1,
        }
    }

    #[test]
    fn pods_are_grouped_canary_first() {
        let res = Resources {
            pods: vec![
                pod("web-s-2", "web-s", PodVersion::Stable),
                pod("web-c-1", "web-c", PodVersion::Latest),
                pod("web-s-1", "web-s", PodVersion::Stable),
                pod("old-1", "web-old", PodVersion::Stable),
            ],
            replica_sets: ReplicaSets {
                stable: Some(rs("web-s", PodVersion::Stable)),
                latest: Some(rs("web-c", PodVersion::Latest)),
            },
            services: vec![],
        };
        let groups = pod_groups(&res);
        let names: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|g| {
                (
                    g.name.as_str(),
                    g.pods.iter().map(|p| p.name.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                ("web-c", vec!["web-c-1"]),
                ("web-s", vec!["web-s-1", "web-s-2"]),
                ("web-old", vec!["old-1"]),
            ]
        );
        assert!(groups[2].replica_set.is_none());
    }

    #[test]
    fn only_failing_pods_are_errors() {
        assert_eq!(pod_health(PodHealth::Failing).0, "failing");
        assert_eq!(pod_health(PodHealth::Starting).0, "starting");
        assert_ne!(
            pod_health(PodHealth::Ready),
            pod_health(PodHealth::Terminating)
        );
    }

    #[test]
    fn ages_read_like_kubectl() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(age(t0, t0 + Duration::seconds(45)), "45s");
        assert_eq!(age(t0, t0 + Duration::minutes(12)), "12m");
        assert_eq!(age(t0, t0 + Duration::hours(3)), "3h");
        assert_eq!(age(t0, t0 + Duration::days(2)), "2d");
        assert_eq!(age(t0, t0 - Duration::seconds(5)), "0s");
    }

    #[test]
    fn refetches_are_spaced() {
        assert_eq!(throttle_delay(1_000.0, 1_500.0, 2_000.0), 1_500.0);
        assert_eq!(throttle_delay(1_000.0, 5_000.0, 2_000.0), 0.0);
    }
}
