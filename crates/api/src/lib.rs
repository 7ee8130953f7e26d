//! The wire contract between `rollout-server` and the console.
//!
//! Both sides compile against these types, so a field renamed here is renamed everywhere.
//! Field names are camelCase on the wire and follow the Ocean CD public API where one exists
//! (`../shared/reference/rollout-model.md`). Timestamps are RFC 3339 UTC, written by chrono
//! and read by a small reader of ours (`wire_time.rs`, which says why).
//!
//! [`text`] and [`icon`] are how both sides show these types to people: the console's words
//! and icons, which the server's first screen (HTML sent before the console runs) writes too.

pub mod banner;
pub mod condition;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod icon;
mod status;
mod summary;
pub mod text;
pub mod wire_time;

pub use status::{StatusGroup, StatusTone};
pub use summary::{duration_seconds, ListSummary};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub type Timestamp = DateTime<Utc>;

/// Every rollout status the product knows (API names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RolloutStatus {
    Pending,
    InProgress,
    Paused,
    ManualPausing,
    ManualPaused,
    Verifying,
    BackgroundVerifying,
    FailurePolicyPausing,
    FailurePolicyPaused,
    Aborting,
    Aborted,
    Finished,
    Failed,
    Canceled,
    InvalidSpec,
    RolloutInterrupted,
    Deallocating,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StrategyType {
    Canary,
    Rolling,
    /// Argo Rollouts' blue-green: a preview stack, then one switch of all traffic.
    BlueGreen,
}

impl StrategyType {
    pub fn label(self) -> &'static str {
        match self {
            StrategyType::Canary => "Canary",
            StrategyType::Rolling => "Rolling",
            StrategyType::BlueGreen => "Blue-green",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PhaseStatus {
    Pending,
    InProgress,
    Verifying,
    Paused,
    Promoting,
    Promoted,
    FullPromoted,
    Finished,
    Aborting,
    Aborted,
    Canceled,
    Dropped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VerificationStatus {
    Pending,
    Running,
    InProgress,
    Successful,
    Failed,
    Error,
}

/// Outcome of one measurement of a verification metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DataPointStatus {
    Successful,
    Failed,
    Inconclusive,
    /// The provider returned no data (unreachable, bad credentials, bad query).
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FailureReasonType {
    PhaseVerification,
    BackgroundVerification,
    Kubernetes,
    ManualRollback,
    /// The rollout controller hit an internal error on this rollout and stopped it.
    ControllerError,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureReason {
    #[serde(rename = "type")]
    pub kind: FailureReasonType,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpotDeploymentRef {
    pub name: String,
    /// True when the version this rollout deploys is the live (stable) one now.
    pub is_live_applied: bool,
    pub revision: u32,
}

/// One row of the rollouts list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutSummary {
    pub id: String,
    pub status: RolloutStatus,
    pub strategy_type: StrategyType,
    pub strategy_name: String,
    pub rollout_spec: String,
    pub spot_deployment: SpotDeploymentRef,
    pub cluster_id: String,
    pub namespace: String,
    pub cloud_provider: String,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub start_time: Timestamp,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub end_time: Option<Timestamp>,
    /// The image being rolled out.
    pub image: String,
    pub failure_reason: Option<FailureReason>,
}

/// The free-text search of the rollouts list, one rule for the server's `q=` and the
/// console's search box: every word must appear in one of the searched fields, ignoring case.
impl RolloutSummary {
    /// The searched fields (SpotDeployment, id, image, namespace, cluster, strategy,
    /// RolloutSpec), lower-cased and joined by a separator no search word contains.
    pub fn search_text(&self) -> String {
        [
            self.spot_deployment.name.as_str(),
            self.id.as_str(),
            self.image.as_str(),
            self.namespace.as_str(),
            self.cluster_id.as_str(),
            self.strategy_name.as_str(),
            self.rollout_spec.as_str(),
        ]
        .join("\u{1}")
        .to_lowercase()
    }
}

/// The lower-cased words of a search (`q`); a rollout matches when its
/// [`search_text`](RolloutSummary::search_text) contains every one.
pub fn search_words(q: &str) -> Vec<String> {
    q.split_whitespace().map(str::to_lowercase).collect()
}

/// True when `text` (a [`RolloutSummary::search_text`]) contains every word.
pub fn search_matches(text: &str, words: &[String]) -> bool {
    words.iter().all(|w| text.contains(w.as_str()))
}

/// `GET /api/v1/rollouts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutList {
    pub items: Vec<RolloutSummary>,
    /// Statistics over every rollout matching the filter (not only this page).
    pub summary: ListSummary,
    /// Number of rollouts matching the filter.
    pub total: usize,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaCounts {
    pub desired: u32,
    pub ready: u32,
    pub in_progress: u32,
    pub failed: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PodVersion {
    Stable,
    Latest,
}

/// What a replica icon shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PodHealth {
    Ready,
    Starting,
    Failing,
    Terminating,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    pub name: String,
    pub replica_set: String,
    pub version: PodVersion,
    /// Kubernetes-style phase or reason: Pending, ContainerCreating, Running, CrashLoopBackOff,
    /// ErrImagePull, ImagePullBackOff, Terminating, ...
    pub status: String,
    pub health: PodHealth,
    /// "ready/total" containers, e.g. "1/1".
    pub containers_readiness: String,
    pub ready: bool,
    pub restarts: u32,
    pub node: String,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionStatus {
    /// The image.
    pub version: String,
    pub revision: u32,
    pub k8s_service: Option<String>,
    pub traffic_percentage: u32,
    pub replicas: ReplicaCounts,
    pub pods: Vec<Pod>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conditions {
    pub success: Option<String>,
    pub failure: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataPoint {
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub timestamp: Timestamp,
    /// Absent when the provider returned no data.
    pub value: Option<f64>,
    pub status: DataPointStatus,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub template_name: String,
    pub metric_name: String,
    pub query: String,
    pub conditions: Conditions,
    /// Provider kind and name, e.g. "prometheus (prom-main)".
    pub provider: String,
    /// The phase name, or "Background" for a background verification.
    pub step: String,
    pub status: VerificationStatus,
    pub interval_seconds: u64,
    pub count: u32,
    pub failure_limit: u32,
    pub data_points: Vec<DataPoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PauseSpec {
    /// None: paused until someone acts.
    pub duration_seconds: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Phase {
    pub index: u32,
    pub name: String,
    pub status: PhaseStatus,
    pub traffic_percentage: u32,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub start_time: Option<Timestamp>,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub paused_at: Option<Timestamp>,
    /// End of the pause window, when the pause has one and has started.
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub pause_until: Option<Timestamp>,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub verified_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub end_time: Option<Timestamp>,
    pub pause: Option<PauseSpec>,
    pub verifications: Vec<Verification>,
    /// What stopped this phase, when something did.
    pub failure: Option<String>,
}

impl Phase {
    /// A phase as planned, before anything happened in it: no times, pause, verifications or
    /// failure (set what applies with struct update syntax).
    pub fn new(
        index: u32,
        name: impl Into<String>,
        traffic_percentage: u32,
        status: PhaseStatus,
    ) -> Phase {
        Phase {
            index,
            name: name.into(),
            status,
            traffic_percentage,
            start_time: None,
            paused_at: None,
            pause_until: None,
            verified_at: None,
            end_time: None,
            pause: None,
            verifications: Vec::new(),
            failure: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PauseKind {
    /// A strategy pause with a duration: resumes by itself at `until`.
    Window,
    /// A strategy pause without a duration: waits for Resume / Promote or Roll back.
    Indefinite,
    /// Paused by a user action.
    Manual,
    /// A verification failed and the failure policy is `pause`.
    FailurePolicy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PausedCondition {
    pub kind: PauseKind,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub paused_at: Timestamp,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub until: Option<Timestamp>,
    pub phase: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeartbeatCondition {
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub last_heartbeat_time: Option<Timestamp>,
    /// True when the operator stopped reporting while this rollout was running; false when it
    /// was already silent before (the rollout waits for it).
    pub during_rollout: bool,
    /// A live cluster: what is lost and that the server is reconnecting (absent for the
    /// simulator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconnecting: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingDataCondition {
    pub metric_name: String,
    pub provider: String,
    pub message: String,
}

/// The facts the console turns into banners. Each is present only while it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutConditions {
    pub paused: Option<PausedCondition>,
    /// The workload is Degraded because this rollout was rolled back.
    pub degraded: Option<String>,
    /// What to fix; the rollout resumes by itself once the YAML is fixed.
    pub invalid_spec: Option<String>,
    pub heartbeat_lost: Option<HeartbeatCondition>,
    pub verification_data_missing: Option<MissingDataCondition>,
    /// Why a pending rollout has not started.
    pub pending_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActionKind {
    Promote,
    PromoteFull,
    Pause,
    Resume,
    Rollback,
    Retry,
}

impl ActionKind {
    pub const ALL: [ActionKind; 6] = [
        ActionKind::Promote,
        ActionKind::PromoteFull,
        ActionKind::Pause,
        ActionKind::Resume,
        ActionKind::Rollback,
        ActionKind::Retry,
    ];
}

/// Whether an action is allowed now, and why not when it is not. Decided by the engine, so the
/// console and the API never disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionAvailability {
    pub action: ActionKind,
    pub enabled: bool,
    pub reason: Option<String>,
}

/// `GET /api/v1/rollouts/{id}/events`: one page of a rollout's events, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventPage {
    pub events: Vec<Event>,
    /// Pass as `cursor` for the next (older) page; null on the last page.
    pub next_cursor: Option<String>,
    /// Events the rollout has, over every page.
    pub total: usize,
    /// Older events removed by retention: in no page any more.
    pub pruned: u64,
    /// Events kept per rollout (`serve --max-events-per-rollout`).
    pub retention_limit: usize,
}

/// `GET /api/v1/rollouts/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutDetail {
    pub id: String,
    pub status: RolloutStatus,
    pub strategy_type: StrategyType,
    pub strategy_name: String,
    pub rollout_spec: String,
    pub spot_deployment: SpotDeploymentRef,
    pub original_rollout_id: Option<String>,
    pub new_rollout_id: Option<String>,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub start_time: Timestamp,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub end_time: Option<Timestamp>,
    pub cluster_id: String,
    pub namespace: String,
    pub cloud_provider: String,
    pub failure_policy: String,
    pub has_background_verification: bool,
    pub failure_reason: Option<FailureReason>,
    pub stable_version_status: Option<VersionStatus>,
    pub new_version_status: VersionStatus,
    pub phases: Vec<Phase>,
    pub background_verifications: Vec<Verification>,
    pub conditions: RolloutConditions,
    pub actions: Vec<ActionAvailability>,
    /// Every action taken on this rollout, oldest first: who did what, when.
    #[serde(default)]
    pub activity: Vec<ActionRecord>,
    /// Older actions removed by retention (`serve --max-actions-per-rollout`); `activity`
    /// holds the newest.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub activity_pruned: u64,
    /// The Kubernetes object behind the rollout, with the figures `kubectl argo rollouts get
    /// rollout` prints for it. Absent for simulator rollouts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<KubernetesInfo>,
}

/// What `kubectl argo rollouts get rollout` prints above its tree, with the same values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesInfo {
    /// `Rollout`.
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// The status word: Healthy, Progressing, Paused, Degraded, ...
    pub phase: String,
    /// The controller's message, when it has one.
    pub message: Option<String>,
    /// `Canary` or `BlueGreen`.
    pub strategy: String,
    /// "Step i/n" (canary with steps and a recorded step index only).
    pub step: Option<StepPosition>,
    /// Canary only.
    pub set_weight: Option<u32>,
    /// Canary only.
    pub actual_weight: Option<u32>,
    /// Images running now, sorted, with their roles (`stable`, `canary`, `active`, `preview`,
    /// `ping`, `pong`, `Σ:<experiment template>`).
    pub images: Vec<ImageRoles>,
    pub replicas: KubernetesReplicas,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepPosition {
    pub index: u32,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageRoles {
    pub image: String,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesReplicas {
    pub desired: u32,
    pub current: u32,
    pub updated: u32,
    pub ready: u32,
    pub available: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    Normal,
    Warning,
}

/// A Kubernetes-style event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Increasing across the whole server.
    pub id: u64,
    pub rollout_id: Option<String>,
    pub cluster_id: String,
    pub namespace: String,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub last_timestamp: Timestamp,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub reason: String,
    /// `Kind/name`, e.g. `Pod/web-5f7c9-x2kq4`.
    pub object: String,
    pub message: String,
    /// For the event of a user's action: who acted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// For the event of a user's action: the reason they gave (`reason` is the event's
    /// Kubernetes-style reason, e.g. `ActionRollback`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSet {
    pub name: String,
    pub version: PodVersion,
    pub revision: u32,
    pub image: String,
    pub desired: u32,
    pub ready: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSets {
    pub stable: Option<ReplicaSet>,
    pub latest: Option<ReplicaSet>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub name: String,
    pub namespace: String,
    /// "stable" or "canary" when the RolloutSpec routes traffic through it.
    pub role: Option<String>,
    pub selector: Vec<(String, String)>,
    pub ports: Vec<u16>,
    /// Percent of traffic the service carries now.
    pub weight: u32,
}

/// `GET /api/v1/rollouts/{id}/resources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    pub pods: Vec<Pod>,
    pub replica_sets: ReplicaSets,
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedYaml {
    pub name: String,
    pub yaml: String,
}

/// `GET /api/v1/rollouts/{id}/definition`: what the rollout runs, as YAML text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Definition {
    pub strategy: String,
    pub rollout_spec: String,
    pub phase_verifications: Vec<NamedYaml>,
    pub background_verifications: Vec<NamedYaml>,
}

/// `GET /api/v1/rollouts/{id}/manifests`: the data behind the CRD diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifests {
    pub old_version: Option<u32>,
    pub new_version: u32,
    /// Empty when there is no previous desired state.
    pub old_manifest: String,
    pub new_manifest: String,
}

/// `POST /api/v1/rollouts/{id}/actions`. Who acts is the authenticated principal (or
/// `anonymous` on a server without a token), never something the client says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionRequest {
    pub action: ActionKind,
    /// Why, in the user's words (at most [`MAX_REASON_CHARS`] characters; trimmed; empty is
    /// none). Required when `Health.requireReason` is true (422 without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The longest reason an action may carry (characters).
pub const MAX_REASON_CHARS: usize = 500;

/// A recorded action on a rollout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionRecord {
    pub rollout_id: String,
    pub action: ActionKind,
    /// The authenticated principal, or `anonymous`.
    pub actor: String,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub at: Timestamp,
    /// Why, as the actor gave it.
    #[serde(default)]
    pub reason: Option<String>,
}

impl ActionKind {
    /// The verb shown to people: "Roll back", "Promote full", ...
    pub fn verb(self) -> &'static str {
        match self {
            ActionKind::Promote => "Promote",
            ActionKind::PromoteFull => "Promote full",
            ActionKind::Pause => "Pause",
            ActionKind::Resume => "Resume",
            ActionKind::Rollback => "Roll back",
            ActionKind::Retry => "Retry",
        }
    }

    /// The wire name (`promoteFull`, `rollback`, ...), as in JSON and the audit's `action`.
    pub fn wire_name(self) -> &'static str {
        match self {
            ActionKind::Promote => "promote",
            ActionKind::PromoteFull => "promoteFull",
            ActionKind::Pause => "pause",
            ActionKind::Resume => "resume",
            ActionKind::Rollback => "rollback",
            ActionKind::Retry => "retry",
        }
    }

    /// The action whose wire name is `name`.
    pub fn from_wire_name(name: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|a| a.wire_name() == name)
    }
}

/// The audit's `action` for an apply (every other entry is an [`ActionKind`] wire name).
pub const AUDIT_APPLY: &str = "apply";

/// One entry of `GET /api/v1/audit`: an action on a rollout, or an apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// `MILLIS-SEQ`: the entry's position (newest first); a valid `cursor`.
    pub id: String,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub at: Timestamp,
    /// The authenticated principal, or `anonymous`.
    pub actor: String,
    /// An [`ActionKind`] wire name (`rollback`, `promoteFull`, ...) or `apply`.
    pub action: String,
    /// The rollout acted on (absent for an apply).
    #[serde(default)]
    pub rollout_id: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    /// One line for people, e.g. "Roll back of rol-1a2b3c by alice" or
    /// "Applied 2 documents (1 created, 1 configured); started rol-1a2b3c".
    pub summary: String,
    /// For an apply: what it created or configured (unchanged documents are left out).
    #[serde(default)]
    pub applied: Vec<AppliedEntity>,
    /// For an apply: the rollouts it started.
    #[serde(default)]
    pub rollouts_started: Vec<String>,
}

/// `GET /api/v1/audit`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    #[serde(default)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WorkloadLabel {
    Desired,
    Live,
    Degraded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    pub revision: u32,
    pub image: String,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub applied_at: Timestamp,
    pub rollout_id: Option<String>,
    pub status: Option<RolloutStatus>,
    pub labels: Vec<WorkloadLabel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    pub cluster_id: String,
    pub namespace: String,
    pub name: String,
    /// `SpotDeployment`, or the Kubernetes kind when the source is a cluster (`Rollout`,
    /// `Deployment`).
    #[serde(default = "spot_deployment_kind")]
    pub kind: String,
    /// The container whose image the revisions show (what `set-image CONTAINER=IMAGE` names).
    #[serde(default)]
    pub container: String,
    /// Pods of every version of the workload: `desired` is the spec's replicas, `ready` the
    /// ready pods now.
    #[serde(default)]
    pub replicas: ReplicaCounts,
    pub desired_revision: u32,
    pub live_revision: u32,
    pub degraded: bool,
    /// Newest first.
    pub revisions: Vec<Revision>,
}

fn spot_deployment_kind() -> String {
    "SpotDeployment".into()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperatorInfo {
    pub running: bool,
    pub version: String,
    pub heartbeat_interval_seconds: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    pub id: String,
    pub name: String,
    pub cloud_provider: String,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub last_heartbeat_time: Option<Timestamp>,
    /// True when no heartbeat arrived for longer than the stale threshold.
    pub heartbeat_stale: bool,
    pub operator: OperatorInfo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ApplyOutcome {
    Created,
    Configured,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppliedEntity {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub outcome: ApplyOutcome,
}

/// `POST /api/v1/apply` success.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyResponse {
    pub applied: Vec<AppliedEntity>,
    pub rollouts_started: Vec<String>,
    pub rollouts_canceled: Vec<String>,
    /// Rollouts that left invalidSpec because of this apply.
    pub rollouts_resumed: Vec<String>,
    /// Human-readable notes, e.g. "Degraded removed from prod/checkout".
    pub messages: Vec<String>,
}

/// What a dry run says would happen to one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PlannedOutcome {
    Created,
    Configured,
    Unchanged,
    /// The document is wrong: `message`, `line` and `column` say where and why.
    Invalid,
}

/// One document of a dry run (`POST /api/v1/apply?dryRun=true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedDocument {
    /// 1-based position in the stream.
    pub index: usize,
    /// Empty when the document is too broken to say.
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub outcome: PlannedOutcome,
    /// Where the problem is (1-based), for an invalid document.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: Option<String>,
    /// The stored YAML (configured or unchanged documents).
    pub before: Option<String>,
    /// The submitted YAML, as it would be stored (created or configured documents).
    pub after: Option<String>,
}

/// `POST /api/v1/apply?dryRun=true`: what an apply of the same stream would do; nothing is
/// changed. Every invalid document is listed (a real apply of such a stream answers 422).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyPlan {
    pub documents: Vec<PlannedDocument>,
    /// SpotDeployments (`cluster/namespace/name`) whose rollout would start, as the rollouts
    /// have no id before they exist.
    pub rollouts_started: Vec<String>,
    /// Ids of rollouts in flight that would be canceled.
    pub rollouts_canceled: Vec<String>,
    /// Ids of rollouts that would leave invalidSpec.
    pub rollouts_resumed: Vec<String>,
    pub messages: Vec<String>,
}

impl ApplyPlan {
    /// True when every document is valid (a real apply would succeed).
    pub fn valid(&self) -> bool {
        self.documents
            .iter()
            .all(|d| d.outcome != PlannedOutcome::Invalid)
    }
}

/// Every error body: `{message}`; apply errors add where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub status: String,
    pub version: String,
    pub read_only: bool,
    /// Mutations need `Authorization: Bearer <token>`.
    pub auth_required: bool,
    pub manual_clock: bool,
    /// `serve --require-reason`: every action needs a reason (422 without one).
    #[serde(default)]
    pub require_reason: bool,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub now: Timestamp,
    /// Simulated seconds per real second (`serve --speed`); 0 when the clock is manual.
    #[serde(default = "real_time")]
    pub speed: f64,
    pub rollouts: usize,
    pub clusters: usize,
    /// Present when the server shows a snapshot of Kubernetes objects (`serve --snapshot`):
    /// nothing changes and every action is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<SnapshotInfo>,
    /// The engine's clock loop (absent for a snapshot): when it last ran, its last error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tick: Option<TickHealth>,
    /// Live clusters (`serve --kubeconfig`): how each connection is doing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub live: Vec<LiveCluster>,
}

/// One live cluster's connection, for `/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveCluster {
    pub id: String,
    /// The kubeconfig context (`in-cluster` in a pod).
    pub context: String,
    /// `connecting` (first list not done), `connected`, or `reconnecting` (lost, retrying
    /// with backoff).
    pub state: String,
    /// When `state` last changed.
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub since: Timestamp,
    /// The last time the API server answered.
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub last_contact: Option<Timestamp>,
    /// Why the connection is lost.
    #[serde(default)]
    pub problem: Option<String>,
    /// Failed attempts since it was lost.
    #[serde(default)]
    pub failures: u32,
    /// Kinds the server may not read (its RBAC), with the API server's message.
    #[serde(default)]
    pub forbidden: Vec<String>,
    /// The Argo Rollouts controller's Deployment: `available`, `unavailable`, `missing`,
    /// `forbidden` (the server may not read Deployments) or `unknown` (not listed yet).
    pub controller: String,
    #[serde(default)]
    pub controller_version: Option<String>,
}

/// How the engine's tick is doing: a controller error stops only the rollout it met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TickHealth {
    /// The simulated time the last tick reached.
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub last_tick: Timestamp,
    /// The last controller error, and when (simulated time) it happened.
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default, deserialize_with = "wire_time::option::deserialize")]
    pub last_error_at: Option<Timestamp>,
    /// Controller errors since the server started.
    #[serde(default)]
    pub errors: u64,
    /// Present while the controller is stopped: its last tick failed outside any rollout, so
    /// no rollout advances until a tick succeeds again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller_error: Option<ControllerError>,
}

/// The error that stopped the controller, and since when (simulated time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControllerError {
    pub message: String,
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub since: Timestamp,
}

/// Where a snapshot's data comes from and when it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotInfo {
    /// The newest timestamp among the objects.
    #[serde(deserialize_with = "wire_time::deserialize")]
    pub taken_at: Timestamp,
    /// Objects read.
    pub objects: usize,
    /// `apiVersion/kind` of objects skipped because the console does not use them, with counts.
    pub skipped: Vec<SkippedKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedKind {
    pub kind: String,
    pub count: usize,
}

fn real_time() -> f64 {
    1.0
}

/// One message of `GET /api/v1/stream` (Server-Sent Events). The SSE `event:` field carries the
/// kind, the `id:` field the sequence number for `Last-Event-ID`. `E` is what an event message
/// holds: the [`Event`] (the server, and by default), or what a reader keeps of it until it
/// shows it (the console keeps its JSON: src/api/stream.rs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StreamMessage<E = Event> {
    /// A rollout changed (status, phase, replicas, ...): re-read its detail if it is on screen.
    Rollout { rollout: RolloutSummary },
    /// A new Kubernetes event.
    Event { event: E },
    /// A cluster's heartbeat or operator changed.
    Cluster { cluster: Cluster },
    /// A workload's revisions, labels (Desired / Live / Degraded) or pods changed.
    Workload { workload: Workload },
    /// The server cannot replay what the client missed: re-list everything.
    Resync,
}

impl<E> StreamMessage<E> {
    pub fn kind(&self) -> &'static str {
        match self {
            StreamMessage::Rollout { .. } => "rollout",
            StreamMessage::Event { .. } => "event",
            StreamMessage::Cluster { .. } => "cluster",
            StreamMessage::Workload { .. } => "workload",
            StreamMessage::Resync => "resync",
        }
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_use_api_names() {
        let json = serde_json::to_string(&RolloutStatus::FailurePolicyPaused).unwrap();
        assert_eq!(json, "\"failurePolicyPaused\"");
        let back: ActionKind = serde_json::from_str("\"promoteFull\"").unwrap();
        assert_eq!(back, ActionKind::PromoteFull);
    }

    #[test]
    fn stream_message_is_tagged_by_kind() {
        let json = serde_json::to_value(StreamMessage::<Event>::Resync).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "resync"}));
    }

    #[test]
    fn error_body_omits_absent_location() {
        let body = ErrorBody {
            message: "no such rollout".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            serde_json::json!({"message": "no such rollout"})
        );
    }

    #[test]
    fn a_search_needs_every_word_each_within_one_field() {
        let r = RolloutSummary {
            id: "rol-1".into(),
            status: RolloutStatus::Finished,
            strategy_type: StrategyType::Canary,
            strategy_name: "Canary-Fast".into(),
            rollout_spec: "checkout-spec".into(),
            spot_deployment: SpotDeploymentRef {
                name: "checkout".into(),
                is_live_applied: true,
                revision: 2,
            },
            cluster_id: "prod-eu".into(),
            namespace: "shop".into(),
            cloud_provider: "aws".into(),
            start_time: chrono::DateTime::UNIX_EPOCH,
            end_time: None,
            image: "registry/checkout:1.2".into(),
            failure_reason: None,
        };
        let text = r.search_text();
        assert!(search_matches(&text, &search_words("CHECKOUT  1.2")));
        assert!(search_matches(&text, &search_words("canary-fast prod")));
        assert!(search_matches(&text, &search_words("")));
        assert!(!search_matches(&text, &search_words("checkout staging")));
        // A word never spans two fields.
        assert!(!search_matches(&text, &search_words("1.2shop")));
    }
}
