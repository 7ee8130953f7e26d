//! The Kubernetes and Argo Rollouts objects the mapping reads, as typed records holding only the
//! fields it needs. Parsed once by [`crate::load`]; the raw JSON of the parts shown as YAML
//! (strategy, pod template, analysis templates) is kept beside the typed fields.

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub type Timestamp = DateTime<Utc>;

/// `metadata` of any object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Meta {
    pub name: String,
    pub namespace: Option<String>,
    pub uid: Option<String>,
    pub generation: Option<i64>,
    pub creation_timestamp: Option<Timestamp>,
    pub deletion_timestamp: Option<Timestamp>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub owner_references: Vec<OwnerRef>,
}

impl Meta {
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    /// `rollout.argoproj.io/revision`, 0 when absent (as the plugin reads it).
    pub fn revision(&self) -> u32 {
        self.annotations
            .get("rollout.argoproj.io/revision")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// `rollouts-pod-template-hash`.
    pub fn pod_template_hash(&self) -> Option<&str> {
        self.labels
            .get("rollouts-pod-template-hash")
            .map(String::as_str)
    }

    /// Whether `owner` (kind, namespace, name, uid) owns this object: by uid as Kubernetes and
    /// the plugin decide it; when either side has no uid (hand-made captures), by kind and name
    /// in the same namespace.
    pub fn owned_by(&self, kind: &str, owner: &Meta) -> bool {
        self.owner_references
            .iter()
            .any(|r| match (&r.uid, &owner.uid) {
                (Some(a), Some(b)) => a == b,
                _ => {
                    r.kind == kind && r.name == owner.name && self.namespace() == owner.namespace()
                }
            })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OwnerRef {
    pub kind: String,
    pub name: String,
    pub uid: Option<String>,
}

/// A number that Kubernetes may also write as a string (`intstr`, and `observedGeneration`,
/// which Argo Rollouts stores as a string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntOrString {
    Int(i64),
    String(String),
}

impl IntOrString {
    pub fn as_int(&self) -> Option<i64> {
        match self {
            IntOrString::Int(i) => Some(*i),
            IntOrString::String(s) => s.trim().parse().ok(),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => n
                .as_i64()
                .map(IntOrString::Int)
                .ok_or_else(|| de::Error::custom("expected an integer")),
            Value::String(s) => Ok(IntOrString::String(s)),
            other => Err(de::Error::custom(format!(
                "expected an integer or a string, found {other}"
            ))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pod templates (Rollout, ReplicaSet)

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodTemplate {
    pub spec: PodSpec,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub node_name: Option<String>,
}

impl PodSpec {
    /// The containers' images, in order.
    pub fn images(&self) -> Vec<String> {
        self.containers.iter().map(|c| c.image.clone()).collect()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: String,
    pub restart_policy: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub reason: String,
    pub message: String,
    pub last_transition_time: Option<Timestamp>,
    pub last_update_time: Option<Timestamp>,
}

// ---------------------------------------------------------------------------------------------
// Rollout

#[derive(Debug, Clone, Default)]
pub struct Rollout {
    pub metadata: Meta,
    pub spec: RolloutSpec,
    pub status: RolloutStatus,
    /// `spec` as captured (the definition drawer shows it).
    pub raw_spec: Value,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RolloutSpec {
    pub replicas: Option<i64>,
    pub paused: bool,
    pub strategy: Strategy,
    pub template: PodTemplate,
    pub restart_at: Option<Timestamp>,
    pub progress_deadline_seconds: Option<i64>,
    pub progress_deadline_abort: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Strategy {
    pub canary: Option<Canary>,
    pub blue_green: Option<BlueGreen>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Canary {
    pub steps: Vec<CanaryStep>,
    pub canary_service: Option<String>,
    pub stable_service: Option<String>,
    pub traffic_routing: Option<TrafficRouting>,
    pub ping_pong: Option<PingPong>,
    /// Background analysis for the whole rollout.
    pub analysis: Option<RolloutAnalysis>,
    pub dynamic_stable_scale: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrafficRouting {
    pub max_traffic_weight: Option<i64>,
    /// The traffic manager blocks (istio, nginx, alb, smi, ...), by name.
    #[serde(flatten)]
    pub providers: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PingPong {
    pub ping_service: String,
    pub pong_service: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RolloutAnalysis {
    pub templates: Vec<TemplateRef>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TemplateRef {
    pub template_name: String,
    pub cluster_scope: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CanaryStep {
    pub set_weight: Option<i64>,
    pub pause: Option<Pause>,
    pub analysis: Option<RolloutAnalysis>,
    pub experiment: Option<ExperimentStep>,
    /// Any other step (setCanaryScale, setHeaderRoute, setMirrorRoute, plugin), by name.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Pause {
    pub duration: Option<IntOrString>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExperimentStep {
    pub templates: Vec<ExperimentTemplate>,
    pub analyses: Vec<ExperimentAnalysis>,
    pub duration: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExperimentTemplate {
    pub name: String,
    pub spec_ref: String,
    pub weight: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExperimentAnalysis {
    pub name: String,
    pub template_name: String,
    pub cluster_scope: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BlueGreen {
    pub active_service: Option<String>,
    pub preview_service: Option<String>,
    pub auto_promotion_enabled: Option<bool>,
    pub auto_promotion_seconds: Option<i64>,
    pub pre_promotion_analysis: Option<RolloutAnalysis>,
    pub post_promotion_analysis: Option<RolloutAnalysis>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RolloutStatus {
    pub phase: Option<String>,
    pub message: Option<String>,
    pub abort: bool,
    pub aborted_at: Option<Timestamp>,
    pub controller_pause: bool,
    pub pause_conditions: Vec<PauseCondition>,
    pub conditions: Vec<Condition>,
    pub current_pod_hash: Option<String>,
    #[serde(rename = "stableRS")]
    pub stable_rs: Option<String>,
    pub current_step_index: Option<i64>,
    pub observed_generation: Option<IntOrString>,
    pub replicas: i64,
    pub updated_replicas: i64,
    pub ready_replicas: i64,
    pub available_replicas: i64,
    pub restarted_at: Option<Timestamp>,
    pub canary: CanaryStatus,
    pub blue_green: BlueGreenStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PauseCondition {
    pub reason: String,
    pub start_time: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CanaryStatus {
    pub weights: Option<TrafficWeights>,
    pub stable_ping_pong: Option<String>,
    pub current_experiment: Option<String>,
    pub current_step_analysis_run_status: Option<AnalysisRunRef>,
    pub current_background_analysis_run_status: Option<AnalysisRunRef>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TrafficWeights {
    pub canary: WeightDestination,
    pub stable: WeightDestination,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WeightDestination {
    pub weight: i64,
    pub pod_template_hash: Option<String>,
    pub service_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AnalysisRunRef {
    pub name: String,
    pub status: String,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BlueGreenStatus {
    pub active_selector: Option<String>,
    pub preview_selector: Option<String>,
    pub pre_promotion_analysis_run_status: Option<AnalysisRunRef>,
    pub post_promotion_analysis_run_status: Option<AnalysisRunRef>,
}

// ---------------------------------------------------------------------------------------------
// ReplicaSet, Pod, Service

#[derive(Debug, Clone, Default)]
pub struct ReplicaSet {
    pub metadata: Meta,
    pub spec: ReplicaSetSpec,
    pub status: ReplicaSetStatus,
    /// `spec.template` as captured (the CRD diff compares these).
    pub raw_template: Value,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReplicaSetSpec {
    pub replicas: Option<i64>,
    pub template: PodTemplate,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReplicaSetStatus {
    pub replicas: i64,
    pub ready_replicas: i64,
    pub available_replicas: i64,
    pub observed_generation: Option<i64>,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Pod {
    pub metadata: Meta,
    pub spec: PodSpec,
    pub status: PodStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodStatus {
    pub phase: String,
    pub reason: Option<String>,
    pub container_statuses: Vec<ContainerStatus>,
    pub init_container_statuses: Vec<ContainerStatus>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerStatus {
    pub name: String,
    pub ready: bool,
    pub started: Option<bool>,
    pub restart_count: i64,
    pub state: ContainerState,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerState {
    pub waiting: Option<StateDetail>,
    pub running: Option<StateDetail>,
    pub terminated: Option<StateDetail>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StateDetail {
    pub reason: Option<String>,
    pub message: Option<String>,
    pub exit_code: i64,
    pub signal: i64,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Service {
    pub metadata: Meta,
    pub spec: ServiceSpec,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ServiceSpec {
    pub selector: BTreeMap<String, String>,
    pub ports: Vec<ServicePort>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ServicePort {
    pub port: i64,
}

// ---------------------------------------------------------------------------------------------
// Analysis and experiments

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AnalysisRun {
    pub metadata: Meta,
    pub spec: AnalysisRunSpec,
    pub status: AnalysisRunStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AnalysisRunSpec {
    pub metrics: Vec<Metric>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Metric {
    pub name: String,
    pub interval: Option<String>,
    pub initial_delay: Option<String>,
    pub count: Option<IntOrString>,
    pub success_condition: Option<String>,
    pub failure_condition: Option<String>,
    pub failure_limit: Option<IntOrString>,
    pub inconclusive_limit: Option<IntOrString>,
    /// One provider block (prometheus, datadog, web, job, ...), by name.
    pub provider: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AnalysisRunStatus {
    pub phase: String,
    pub message: Option<String>,
    pub started_at: Option<Timestamp>,
    pub metric_results: Vec<MetricResult>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetricResult {
    pub name: String,
    pub phase: String,
    pub message: Option<String>,
    pub measurements: Vec<Measurement>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Measurement {
    pub phase: String,
    pub value: Option<String>,
    pub message: Option<String>,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// An AnalysisTemplate or ClusterAnalysisTemplate, kept whole for the definition drawer.
#[derive(Debug, Clone, Default)]
pub struct AnalysisTemplate {
    pub metadata: Meta,
    pub cluster_scoped: bool,
    pub raw: Value,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Experiment {
    pub metadata: Meta,
    pub status: ExperimentStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExperimentStatus {
    pub phase: String,
    pub message: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Events (core/v1 and events.k8s.io/v1, read into one shape)

#[derive(Debug, Clone, Default)]
pub struct Event {
    pub metadata: Meta,
    /// `Kind` of the object the event is about.
    pub object_kind: String,
    pub object_name: String,
    pub object_uid: Option<String>,
    pub namespace: String,
    /// Normal or Warning.
    pub kind: String,
    pub reason: String,
    pub message: String,
    pub time: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct CoreEvent {
    pub metadata: Meta,
    pub involved_object: ObjectRef,
    pub reason: String,
    pub message: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub last_timestamp: Option<Timestamp>,
    pub first_timestamp: Option<Timestamp>,
    pub event_time: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct NewEvent {
    pub metadata: Meta,
    pub regarding: ObjectRef,
    pub reason: String,
    pub note: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub event_time: Option<Timestamp>,
    pub deprecated_last_timestamp: Option<Timestamp>,
    pub series: Option<EventSeries>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct EventSeries {
    pub last_observed_time: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct ObjectRef {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub uid: Option<String>,
}

impl From<CoreEvent> for Event {
    fn from(e: CoreEvent) -> Event {
        let namespace = e
            .involved_object
            .namespace
            .clone()
            .unwrap_or_else(|| e.metadata.namespace().to_string());
        Event {
            time: e.last_timestamp.or(e.event_time).or(e.first_timestamp),
            object_kind: e.involved_object.kind,
            object_name: e.involved_object.name,
            object_uid: e.involved_object.uid,
            namespace,
            kind: e.kind,
            reason: e.reason,
            message: e.message,
            metadata: e.metadata,
        }
    }
}

impl From<NewEvent> for Event {
    fn from(e: NewEvent) -> Event {
        let namespace = e
            .regarding
            .namespace
            .clone()
            .unwrap_or_else(|| e.metadata.namespace().to_string());
        Event {
            time: e
                .series
                .and_then(|s| s.last_observed_time)
                .or(e.event_time)
                .or(e.deprecated_last_timestamp),
            object_kind: e.regarding.kind,
            object_name: e.regarding.name,
            object_uid: e.regarding.uid,
            namespace,
            kind: e.kind,
            reason: e.reason,
            message: e.note,
            metadata: e.metadata,
        }
    }
}

/// Every object of a snapshot (or, later, of a cluster's watch caches), by kind.
#[derive(Debug, Clone, Default)]
pub struct Objects {
    pub rollouts: Vec<Rollout>,
    pub replica_sets: Vec<ReplicaSet>,
    pub pods: Vec<Pod>,
    pub services: Vec<Service>,
    pub analysis_runs: Vec<AnalysisRun>,
    pub analysis_templates: Vec<AnalysisTemplate>,
    pub experiments: Vec<Experiment>,
    pub events: Vec<Event>,
}

impl Objects {
    pub fn len(&self) -> usize {
        self.rollouts.len()
            + self.replica_sets.len()
            + self.pods.len()
            + self.services.len()
            + self.analysis_runs.len()
            + self.analysis_templates.len()
            + self.experiments.len()
            + self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn extend(&mut self, other: Objects) {
        self.rollouts.extend(other.rollouts);
        self.replica_sets.extend(other.replica_sets);
        self.pods.extend(other.pods);
        self.services.extend(other.services);
        self.analysis_runs.extend(other.analysis_runs);
        self.analysis_templates.extend(other.analysis_templates);
        self.experiments.extend(other.experiments);
        self.events.extend(other.events);
    }
}
