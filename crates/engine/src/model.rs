//! The engine's state as plain, serialisable records: what `EngineState` holds and the server
//! stores (one table per collection is natural). Nothing here has behaviour beyond small helpers.

use rollout_api as api;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use api::Timestamp;

/// Everything the engine knows, for storage. `Engine::restore(state)` continues where it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineState {
    /// The simulated time the engine has reached.
    pub now: Timestamp,
    /// State of the deterministic generator (ids, pod names, node choice).
    pub rng: u64,
    /// Next `api::Event::id`.
    pub next_event_id: u64,
    pub clusters: Vec<ClusterRecord>,
    /// Every applied entity, as YAML text per kind and name.
    pub entities: Vec<EntityRecord>,
    pub workloads: Vec<WorkloadRecord>,
    /// Every SpotDeployment revision (the manifest as applied, normalised).
    pub manifests: Vec<ManifestRevision>,
    pub replica_sets: Vec<ReplicaSetRecord>,
    pub pods: Vec<PodRecord>,
    /// Oldest first.
    pub rollouts: Vec<RolloutRecord>,
    /// Oldest first; an event repeated in place keeps its id (upsert by id).
    pub events: Vec<EventRecord>,
    pub actions: Vec<api::ActionRecord>,
    /// Every apply, oldest first: who applied what (the audit log with `actions`).
    #[serde(default)]
    pub applies: Vec<ApplyRecord>,
}

/// One apply as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyRecord {
    pub at: Timestamp,
    /// The authenticated principal, or `anonymous`.
    pub actor: String,
    /// Documents in the stream.
    pub documents: usize,
    /// What it created or configured (unchanged documents are left out).
    pub applied: Vec<api::AppliedEntity>,
    pub rollouts_started: Vec<String>,
    pub rollouts_canceled: Vec<String>,
    pub rollouts_resumed: Vec<String>,
}

impl ApplyRecord {
    /// One line for people: "Applied 3 documents (1 created, 1 configured, 1 unchanged);
    /// started rol-1a2b3c".
    pub fn summary(&self) -> String {
        let created = self
            .applied
            .iter()
            .filter(|a| a.outcome == api::ApplyOutcome::Created)
            .count();
        let configured = self
            .applied
            .iter()
            .filter(|a| a.outcome == api::ApplyOutcome::Configured)
            .count();
        let unchanged = self.documents.saturating_sub(created + configured);
        let mut counts = Vec::new();
        for (n, what) in [
            (created, "created"),
            (configured, "configured"),
            (unchanged, "unchanged"),
        ] {
            if n > 0 {
                counts.push(format!("{n} {what}"));
            }
        }
        let noun = if self.documents == 1 {
            "document"
        } else {
            "documents"
        };
        let mut out = format!("Applied {} {noun} ({})", self.documents, counts.join(", "));
        for (ids, verb) in [
            (&self.rollouts_started, "started"),
            (&self.rollouts_canceled, "canceled"),
            (&self.rollouts_resumed, "resumed"),
        ] {
            if !ids.is_empty() {
                out.push_str(&format!("; {verb} {}", ids.join(", ")));
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterRecord {
    pub id: String,
    pub name: String,
    pub cloud_provider: String,
    pub operator_running: bool,
    pub operator_version: String,
    pub last_heartbeat: Option<Timestamp>,
    /// No heartbeat for longer than `HEARTBEAT_STALE_SECONDS`.
    pub stale: bool,
    /// Events of no rollout on this cluster removed by retention (the oldest; see
    /// `Retention`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub events_pruned: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord {
    /// Canonical kind: SpotDeployment, Strategy, RolloutSpec, VerificationTemplate,
    /// VerificationProvider, Service.
    pub kind: String,
    pub name: String,
    /// Namespaced kinds only (SpotDeployment, Service).
    pub namespace: Option<String>,
    /// The cluster a namespaced entity lives in; None for a Service applied to every cluster.
    pub cluster_id: Option<String>,
    /// The document as applied.
    pub yaml: String,
    pub applied_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadRecord {
    pub cluster_id: String,
    pub namespace: String,
    pub name: String,
    pub desired_revision: u32,
    pub live_revision: u32,
    pub degraded: bool,
    /// The ReplicaSet running the live revision.
    pub stable_replica_set: String,
    /// The rollout not yet completed, if any (pending and invalidSpec included).
    pub active_rollout: Option<String>,
    /// The newest rollout of this workload.
    pub last_rollout: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestRevision {
    pub cluster_id: String,
    pub namespace: String,
    pub name: String,
    pub revision: u32,
    /// The SpotDeployment as YAML (normalised: comments dropped, key order kept).
    pub yaml: String,
    pub image: String,
    pub template_hash: String,
    pub replicas: u32,
    pub applied_at: Timestamp,
    /// The rollout that deployed it (None for a first version that went live directly).
    pub rollout_id: Option<String>,
}

/// A failure injected into a ReplicaSet's pods (`sim.rollout.dev/*` annotations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PodFault {
    #[default]
    None,
    CrashLoop,
    ImagePull,
    Liveness,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplicaSetRecord {
    pub name: String,
    pub cluster_id: String,
    pub namespace: String,
    pub workload: String,
    pub revision: u32,
    pub image: String,
    pub container: String,
    pub labels: BTreeMap<String, String>,
    pub desired: u32,
    pub fault: PodFault,
    pub start_seconds: u32,
}

/// Where a simulated pod is in its life; `PodRecord::next_at` says when it moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodStage {
    Pending,
    Pulling,
    Starting,
    Running,
    Ready,
    /// Waiting out a back-off before restarting / pulling again.
    BackOff,
    Terminating,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PodRecord {
    pub name: String,
    pub cluster_id: String,
    pub namespace: String,
    pub workload: String,
    pub replica_set: String,
    pub image: String,
    pub container: String,
    pub node: String,
    pub created_at: Timestamp,
    /// Kubernetes-style status: Pending, ContainerCreating, Running, CrashLoopBackOff, ...
    pub status: String,
    pub ready: bool,
    pub restarts: u32,
    pub stage: PodStage,
    /// When the pod moves on by itself; None once steady (Ready).
    pub next_at: Option<Timestamp>,
    pub fault: PodFault,
    pub start_seconds: u32,
    /// Current back-off (10 s doubling up to 300 s).
    pub backoff_seconds: u32,
    /// Liveness failures seen since the last restart.
    pub probe_failures: u32,
}

/// Values the simulated metric providers return for a rollout's canary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetricFaults {
    pub value: Option<f64>,
    pub per_metric: BTreeMap<String, f64>,
    /// unreachable | credentials | query
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerificationRecord {
    pub template_name: String,
    pub metric_name: String,
    pub query: String,
    pub success_condition: Option<String>,
    pub failure_condition: Option<String>,
    /// prometheus, datadog, newRelic, cloudWatch, web, job.
    pub provider_kind: String,
    /// The VerificationProvider serving it, when the kind needs one and one covers the cluster.
    pub provider_name: Option<String>,
    /// The phase name, or "Background".
    pub step: String,
    pub status: api::VerificationStatus,
    pub interval_seconds: u64,
    pub initial_delay_seconds: u64,
    /// None: until the rollout ends (background only).
    pub count: Option<u32>,
    pub failure_limit: u32,
    pub inconclusive_limit: u32,
    pub consecutive_error_limit: u32,
    pub dry_run: bool,
    pub started_at: Option<Timestamp>,
    pub next_at: Option<Timestamp>,
    /// Measurements taken, errors included.
    pub measurements: u32,
    /// Measurements that returned no data (they do not count towards `count`).
    pub errors: u32,
    pub failed: u32,
    pub inconclusive: u32,
    pub consecutive_errors: u32,
    /// Newest last; bounded.
    pub data_points: Vec<api::DataPoint>,
    /// Why it failed, when it did.
    pub failure: Option<String>,
}

/// What a phase is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhaseStage {
    NotStarted,
    /// Weight set; waiting for the canary replicas to be ready.
    Scaling,
    Verifying,
    /// Strategy pause (with or without a window).
    Paused,
    Done,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseRecord {
    pub name: String,
    pub weight: u32,
    /// None: no pause; Some(None): pause until someone acts; Some(Some(s)): a window.
    /// Stored as null, `"untilResumed"` or the seconds (plain `Option` serde would write both
    /// None and Some(None) as null, and a restart would drop the pause).
    #[serde(with = "pause_serde")]
    pub pause: Option<Option<u64>>,
    pub template_names: Vec<String>,
    pub status: api::PhaseStatus,
    pub stage: PhaseStage,
    pub start_time: Option<Timestamp>,
    pub paused_at: Option<Timestamp>,
    pub pause_until: Option<Timestamp>,
    pub verified_at: Option<Timestamp>,
    pub end_time: Option<Timestamp>,
    pub verifications: Vec<VerificationRecord>,
    pub failure: Option<String>,
}

/// A pause nobody planned in the strategy: a user's, or the failure policy's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    pub kind: api::PauseKind,
    pub at: Timestamp,
    pub phase: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RolloutRecord {
    pub id: String,
    pub cluster_id: String,
    pub namespace: String,
    pub spot_deployment: String,
    /// The revision this rollout deploys.
    pub revision: u32,
    /// The desired revision before this rollout (the old side of the CRD diff).
    pub previous_revision: Option<u32>,
    /// The live revision when the rollout started.
    pub stable_revision: u32,
    pub stable_replica_set: String,
    pub canary_replica_set: String,
    pub replicas: u32,
    pub image: String,
    pub status: api::RolloutStatus,
    pub strategy_type: api::StrategyType,
    pub strategy_name: String,
    pub rollout_spec: String,
    /// abort | pause | promote
    pub failure_policy: String,
    pub stable_service: Option<String>,
    pub canary_service: Option<String>,
    pub original_rollout_id: Option<String>,
    pub new_rollout_id: Option<String>,
    pub start_time: Timestamp,
    pub end_time: Option<Timestamp>,
    pub failure_reason: Option<api::FailureReason>,
    pub phases: Vec<PhaseRecord>,
    pub current_phase: usize,
    pub background: Vec<VerificationRecord>,
    /// Canary traffic now, percent.
    pub canary_weight: u32,
    pub hold: Option<Hold>,
    pub invalid_spec: Option<String>,
    pub pending_reason: Option<String>,
    pub progress_deadline_seconds: u64,
    /// Since when the canary has been unavailable or failing (the progress deadline clock).
    pub unhealthy_since: Option<Timestamp>,
    pub metric_faults: MetricFaults,
    /// The definition the rollout runs, as applied.
    pub strategy_yaml: String,
    pub rollout_spec_yaml: String,
    pub phase_templates: Vec<api::NamedYaml>,
    pub background_templates: Vec<api::NamedYaml>,
    /// Events of this rollout removed by retention (the oldest; see `Retention`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub events_pruned: u64,
    /// Actions of this rollout removed by retention (the oldest).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub actions_pruned: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub event: api::Event,
    /// How many times it happened (Kubernetes' `count`); `last_timestamp` is the latest.
    pub count: u32,
    pub first_timestamp: Timestamp,
    /// The workload it concerns (to attach later events to the right rollout).
    pub workload: Option<String>,
}

impl RolloutRecord {
    pub fn is_active(&self) -> bool {
        !self.status.is_completed()
    }
}

/// `PhaseRecord::pause` as JSON: null (no pause), `"untilResumed"`, or the window in seconds.
mod pause_serde {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    const UNTIL_RESUMED: &str = "untilResumed";

    pub fn serialize<S: Serializer>(v: &Option<Option<u64>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            None => s.serialize_none(),
            Some(None) => s.serialize_str(UNTIL_RESUMED),
            Some(Some(n)) => s.serialize_u64(*n),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u64>>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Seconds(u64),
            Word(String),
        }
        match Option::<Raw>::deserialize(d)? {
            None => Ok(None),
            Some(Raw::Seconds(n)) => Ok(Some(Some(n))),
            Some(Raw::Word(w)) if w == UNTIL_RESUMED => Ok(Some(None)),
            Some(Raw::Word(w)) => Err(D::Error::custom(format!(
                "pause: expected null, \"{UNTIL_RESUMED}\" or seconds, found \"{w}\""
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pause_serde;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct P {
        #[serde(with = "pause_serde")]
        pause: Option<Option<u64>>,
    }

    #[test]
    fn a_pause_until_resumed_survives_json_apart_from_no_pause() {
        for (pause, json) in [
            (None, r#"{"pause":null}"#),
            (Some(None), r#"{"pause":"untilResumed"}"#),
            (Some(Some(120)), r#"{"pause":120}"#),
        ] {
            let p = P { pause };
            assert_eq!(serde_json::to_string(&p).unwrap(), json);
            assert_eq!(serde_json::from_str::<P>(json).unwrap(), p);
        }
        assert!(serde_json::from_str::<P>(r#"{"pause":"soon"}"#).is_err());
    }
}
