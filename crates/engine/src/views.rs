//! Conversion of the records to the wire types (`rollout_api`).

use crate::cluster::{to_api_pod, ClusterBackend};
use crate::entities::Kind;
use crate::model::*;
use crate::validate::Parsed;
use crate::{api, Engine, HEARTBEAT_INTERVAL_SECONDS};

use api::{PodVersion, RolloutStatus, WorkloadLabel};

impl Engine {
    fn cloud(&self, cluster_id: &str) -> String {
        self.clusters
            .iter()
            .find(|c| c.id == cluster_id)
            .map(|c| c.cloud_provider.clone())
            .unwrap_or_default()
    }

    fn spot_ref(&self, r: &RolloutRecord) -> api::SpotDeploymentRef {
        api::SpotDeploymentRef {
            name: r.spot_deployment.clone(),
            is_live_applied: self
                .workload_of(r)
                .is_some_and(|w| w.live_revision == r.revision),
            revision: r.revision,
        }
    }

    pub(crate) fn summary(&self, r: &RolloutRecord) -> api::RolloutSummary {
        api::RolloutSummary {
            id: r.id.clone(),
            status: r.status,
            strategy_type: r.strategy_type,
            strategy_name: r.strategy_name.clone(),
            rollout_spec: r.rollout_spec.clone(),
            spot_deployment: self.spot_ref(r),
            cluster_id: r.cluster_id.clone(),
            namespace: r.namespace.clone(),
            cloud_provider: self.cloud(&r.cluster_id),
            start_time: r.start_time,
            end_time: r.end_time,
            image: r.image.clone(),
            failure_reason: r.failure_reason.clone(),
        }
    }

    fn version_pods(&self, r: &RolloutRecord, rs: &str, version: PodVersion) -> Vec<api::Pod> {
        self.sim
            .pods(&r.cluster_id, &r.namespace, rs)
            .into_iter()
            .map(|p| to_api_pod(p, version))
            .collect()
    }

    fn version_status(&self, r: &RolloutRecord, stable: bool) -> api::VersionStatus {
        let (rs, revision, service, weight, version) = if stable {
            (
                &r.stable_replica_set,
                r.stable_revision,
                &r.stable_service,
                100 - r.canary_weight.min(100),
                PodVersion::Stable,
            )
        } else {
            (
                &r.canary_replica_set,
                r.revision,
                &r.canary_service,
                r.canary_weight,
                PodVersion::Latest,
            )
        };
        let image = self
            .workload_of(r)
            .and_then(|w| self.revision(w, revision))
            .map(|m| m.image.clone())
            .unwrap_or_else(|| r.image.clone());
        let mut replicas = self.sim.counts(&r.cluster_id, &r.namespace, rs);
        if !r.is_active() && !self.rs_still_serves(r, rs) {
            replicas = api::ReplicaCounts::default();
        }
        api::VersionStatus {
            version: image,
            revision,
            k8s_service: service.clone(),
            traffic_percentage: weight,
            replicas,
            pods: if r.is_active() || self.rs_still_serves(r, rs) {
                self.version_pods(r, rs, version)
            } else {
                Vec::new()
            },
        }
    }

    /// A completed rollout still shows its ReplicaSet's pods while the workload's latest
    /// rollout is this one (later rollouts own the pods afterwards).
    fn rs_still_serves(&self, r: &RolloutRecord, _rs: &str) -> bool {
        self.workload_of(r)
            .is_some_and(|w| w.last_rollout.as_deref() == Some(r.id.as_str()))
    }

    pub(crate) fn detail(&self, r: &RolloutRecord) -> api::RolloutDetail {
        let now = self.now;
        let phases = r
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| api::Phase {
                index: i as u32,
                name: p.name.clone(),
                status: p.status,
                traffic_percentage: p.weight,
                start_time: p.start_time,
                paused_at: p.paused_at,
                pause_until: p.pause_until,
                verified_at: p.verified_at,
                end_time: p.end_time,
                pause: p.pause.map(|d| api::PauseSpec {
                    duration_seconds: d,
                }),
                verifications: p.verifications.iter().map(|v| v.to_api()).collect(),
                failure: p.failure.clone(),
            })
            .collect();
        let has_stable =
            !r.stable_replica_set.is_empty() && r.stable_replica_set != r.canary_replica_set;
        api::RolloutDetail {
            id: r.id.clone(),
            status: r.status,
            strategy_type: r.strategy_type,
            strategy_name: r.strategy_name.clone(),
            rollout_spec: r.rollout_spec.clone(),
            spot_deployment: self.spot_ref(r),
            original_rollout_id: r.original_rollout_id.clone(),
            new_rollout_id: r.new_rollout_id.clone(),
            start_time: r.start_time,
            end_time: r.end_time,
            cluster_id: r.cluster_id.clone(),
            namespace: r.namespace.clone(),
            cloud_provider: self.cloud(&r.cluster_id),
            failure_policy: r.failure_policy.clone(),
            has_background_verification: !r.background.is_empty(),
            failure_reason: r.failure_reason.clone(),
            stable_version_status: has_stable.then(|| self.version_status(r, true)),
            new_version_status: self.version_status(r, false),
            phases,
            background_verifications: r.background.iter().map(|v| v.to_api()).collect(),
            conditions: self.conditions(r, now),
            actions: self.availability(r),
            kubernetes: None,
            activity: self
                .actions
                .iter()
                .filter(|a| a.rollout_id == r.id)
                .cloned()
                .collect(),
            activity_pruned: r.actions_pruned,
        }
    }

    fn conditions(&self, r: &RolloutRecord, _now: api::Timestamp) -> api::RolloutConditions {
        let mut c = api::RolloutConditions::default();
        let current = r.phases.get(r.current_phase);
        if let Some(h) = &r.hold {
            c.paused = Some(api::PausedCondition {
                kind: h.kind,
                paused_at: h.at,
                until: None,
                phase: h.phase.clone(),
            });
        } else if let Some(p) = current.filter(|p| p.stage == PhaseStage::Paused && r.is_active()) {
            c.paused = Some(api::PausedCondition {
                kind: if p.pause_until.is_some() {
                    api::PauseKind::Window
                } else {
                    api::PauseKind::Indefinite
                },
                paused_at: p.paused_at.unwrap_or(r.start_time),
                until: p.pause_until,
                phase: p.name.clone(),
            });
        }
        if let Some(w) = self.workload_of(r) {
            if w.degraded && w.last_rollout.as_deref() == Some(r.id.as_str()) {
                let live = self
                    .revision(w, w.live_revision)
                    .map(|m| m.image.clone())
                    .unwrap_or_default();
                c.degraded = Some(format!(
                    "SpotDeployment {}/{} is Degraded: revision {} ({}) was rolled back and revision {} ({live}) is live. Apply the live version again, or a new version, to remove Degraded.",
                    w.namespace, w.name, r.revision, r.image, w.live_revision
                ));
            }
        }
        c.invalid_spec = r
            .invalid_spec
            .clone()
            .filter(|_| r.status == RolloutStatus::InvalidSpec);
        if r.status == RolloutStatus::Pending {
            c.pending_reason = r.pending_reason.clone();
        }
        if let Some(cluster) = self.clusters.iter().find(|x| x.id == r.cluster_id) {
            let waiting = r.status == RolloutStatus::Pending && !cluster.operator_running;
            let lost_during = r.is_active() && r.status != RolloutStatus::Pending && cluster.stale;
            if waiting || lost_during {
                c.heartbeat_lost = Some(api::HeartbeatCondition {
                    last_heartbeat_time: cluster.last_heartbeat,
                    during_rollout: lost_during,
                    reconnecting: None,
                });
            }
        }
        let running_phase = current
            .filter(|p| matches!(p.stage, PhaseStage::Verifying) || p.failure.is_some())
            .map(|p| p.verifications.iter())
            .into_iter()
            .flatten();
        c.verification_data_missing = r
            .background
            .iter()
            .chain(running_phase)
            .filter(|v| {
                v.data_points
                    .last()
                    .is_some_and(|d| d.status == api::DataPointStatus::Error)
            })
            .map(|v| api::MissingDataCondition {
                metric_name: v.metric_name.clone(),
                provider: v.provider_label(),
                message: v
                    .data_points
                    .last()
                    .and_then(|d| d.message.clone())
                    .unwrap_or_default(),
            })
            .next();
        c
    }

    pub(crate) fn resources_of(&self, r: &RolloutRecord) -> api::Resources {
        let detail_new = self.version_status(r, false);
        let has_stable =
            !r.stable_replica_set.is_empty() && r.stable_replica_set != r.canary_replica_set;
        let stable = has_stable.then(|| self.version_status(r, true));
        let rs_view = |name: &str, version: PodVersion, vs: &api::VersionStatus| {
            self.sim
                .replica_set(&r.cluster_id, &r.namespace, name)
                .map(|rs| api::ReplicaSet {
                    name: rs.name.clone(),
                    version,
                    revision: vs.revision,
                    image: rs.image.clone(),
                    desired: vs.replicas.desired,
                    ready: vs.replicas.ready,
                })
        };
        let mut pods: Vec<api::Pod> = stable.as_ref().map(|s| s.pods.clone()).unwrap_or_default();
        pods.extend(detail_new.pods.clone());
        let mut services = Vec::new();
        for (e, p) in self
            .entities_of_kind(Kind::Service)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            let Parsed::Service(s) = p else {
                continue;
            };
            if e.namespace.as_deref() != Some(r.namespace.as_str())
                || e.cluster_id.as_deref().is_some_and(|c| c != r.cluster_id)
            {
                continue;
            }
            let role = if r.stable_service.as_deref() == Some(s.name.as_str()) {
                Some("stable")
            } else if r.canary_service.as_deref() == Some(s.name.as_str()) {
                Some("canary")
            } else {
                None
            };
            let weight = match role {
                Some("stable") => 100 - r.canary_weight.min(100),
                Some(_) => r.canary_weight,
                None => 0,
            };
            if role.is_none()
                && !s
                    .selector
                    .iter()
                    .any(|(k, v)| k == "app" && v == &r.spot_deployment)
            {
                continue;
            }
            services.push(api::Service {
                name: s.name.clone(),
                namespace: s.namespace.clone(),
                role: role.map(str::to_string),
                selector: s.selector.clone(),
                ports: s.ports.clone(),
                weight: if role.is_none() { 100 } else { weight },
            });
        }
        api::Resources {
            pods,
            replica_sets: api::ReplicaSets {
                stable: stable
                    .as_ref()
                    .and_then(|s| rs_view(&r.stable_replica_set, PodVersion::Stable, s)),
                latest: rs_view(&r.canary_replica_set, PodVersion::Latest, &detail_new),
            },
            services,
        }
    }

    pub(crate) fn manifests_of(&self, r: &RolloutRecord) -> api::Manifests {
        let w = self.workload_of(r);
        let new = w.and_then(|w| self.revision(w, r.revision));
        let old = r
            .previous_revision
            .and_then(|rev| w.and_then(|w| self.revision(w, rev)));
        api::Manifests {
            old_version: old.map(|m| m.revision),
            new_version: r.revision,
            old_manifest: old.map(|m| m.yaml.clone()).unwrap_or_default(),
            new_manifest: new.map(|m| m.yaml.clone()).unwrap_or_default(),
        }
    }

    pub(crate) fn workload_view(&self, w: &WorkloadRecord) -> api::Workload {
        let mut revisions: Vec<api::Revision> = self
            .manifests
            .iter()
            .filter(|m| {
                m.cluster_id == w.cluster_id && m.namespace == w.namespace && m.name == w.name
            })
            .map(|m| {
                // The newest rollout of this revision (a retry runs a revision again).
                let rollout = self.rollouts.iter().rev().find(|r| {
                    r.revision == m.revision
                        && r.spot_deployment == w.name
                        && r.namespace == w.namespace
                        && r.cluster_id == w.cluster_id
                });
                let mut labels = Vec::new();
                if m.revision == w.desired_revision {
                    labels.push(WorkloadLabel::Desired);
                }
                if m.revision == w.live_revision {
                    labels.push(WorkloadLabel::Live);
                }
                if w.degraded
                    && m.revision == w.desired_revision
                    && w.desired_revision != w.live_revision
                {
                    labels.push(WorkloadLabel::Degraded);
                }
                api::Revision {
                    revision: m.revision,
                    image: m.image.clone(),
                    applied_at: m.applied_at,
                    rollout_id: rollout
                        .map(|r| r.id.clone())
                        .or_else(|| m.rollout_id.clone()),
                    status: rollout.map(|r| r.status),
                    labels,
                }
            })
            .collect();
        revisions.sort_by_key(|r| std::cmp::Reverse(r.revision));
        let desired = self
            .revision(w, w.desired_revision)
            .map(|m| m.replicas)
            .unwrap_or_default();
        let mut replicas = api::ReplicaCounts {
            desired,
            ..Default::default()
        };
        // Pods run in the live ReplicaSet and in the canary of a rollout in flight (every other
        // version is scaled down; terminating pods are not counted).
        let canary = w
            .active_rollout
            .as_deref()
            .and_then(|id| self.find(id))
            .map(|r| r.canary_replica_set.as_str())
            .filter(|rs| *rs != w.stable_replica_set);
        let sets = std::iter::once(w.stable_replica_set.as_str()).chain(canary);
        for p in sets.flat_map(|rs| self.sim.pods(&w.cluster_id, &w.namespace, rs)) {
            match crate::cluster::health(p) {
                api::PodHealth::Ready => replicas.ready += 1,
                api::PodHealth::Starting => replicas.in_progress += 1,
                api::PodHealth::Failing => replicas.failed += 1,
                api::PodHealth::Terminating => {}
            }
        }
        let container = self
            .sim
            .replica_set(&w.cluster_id, &w.namespace, &w.stable_replica_set)
            .map(|rs| rs.container.clone())
            .unwrap_or_default();
        api::Workload {
            cluster_id: w.cluster_id.clone(),
            namespace: w.namespace.clone(),
            name: w.name.clone(),
            kind: "SpotDeployment".into(),
            container,
            replicas,
            desired_revision: w.desired_revision,
            live_revision: w.live_revision,
            degraded: w.degraded,
            revisions,
        }
    }

    pub(crate) fn cluster_view(&self, c: &ClusterRecord) -> api::Cluster {
        api::Cluster {
            id: c.id.clone(),
            name: c.name.clone(),
            cloud_provider: c.cloud_provider.clone(),
            last_heartbeat_time: c.last_heartbeat,
            heartbeat_stale: c.stale,
            operator: api::OperatorInfo {
                running: c.operator_running,
                version: c.operator_version.clone(),
                heartbeat_interval_seconds: HEARTBEAT_INTERVAL_SECONDS as u64,
            },
        }
    }
}
