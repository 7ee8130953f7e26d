//! The YAML shapes a user applies, as serde types. Ocean CD kinds carry their fields at the top
//! level next to `name`, as Ocean CD's documentation writes them (`kind: Strategy`, no
//! `apiVersion`; `apiVersion: spot.io/v1beta1` is accepted too) and reject unknown fields, so a
//! typo is reported with its line. The CLI's wrapped form (`strategy: {name, canary}`) is
//! unwrapped by `validate` before these types see it. SpotDeployment and Service have the
//! Kubernetes shape (`metadata` + `spec`) and ignore fields the simulation does not use.

use serde::Deserialize;
use serde_norway::Value;
use std::collections::BTreeMap;

pub const OCEAN_CD_API: &str = "spot.io/v1beta1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SpotDeployment,
    Strategy,
    RolloutSpec,
    VerificationTemplate,
    VerificationProvider,
    Service,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::SpotDeployment,
        Kind::Strategy,
        Kind::RolloutSpec,
        Kind::VerificationTemplate,
        Kind::VerificationProvider,
        Kind::Service,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::SpotDeployment => "SpotDeployment",
            Kind::Strategy => "Strategy",
            Kind::RolloutSpec => "RolloutSpec",
            Kind::VerificationTemplate => "VerificationTemplate",
            Kind::VerificationProvider => "VerificationProvider",
            Kind::Service => "Service",
        }
    }

    /// Kinds are matched case-insensitively (`verificationProvider` is accepted).
    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(text))
    }

    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Service => "v1",
            _ => OCEAN_CD_API,
        }
    }

    pub fn is_namespaced(self) -> bool {
        matches!(self, Kind::SpotDeployment | Kind::Service)
    }
}

// ---------------------------------------------------------------- Kubernetes-shaped kinds

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpotDeployment {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: SpotDeploymentSpec,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpotDeploymentSpec {
    #[serde(default = "one")]
    pub replicas: u32,
    #[serde(default)]
    pub selector: Option<Value>,
    pub template: PodTemplate,
    #[serde(default)]
    pub progress_deadline_seconds: Option<u64>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodTemplate {
    #[serde(default)]
    pub metadata: Option<TemplateMeta>,
    pub spec: PodSpec,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateMeta {
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    pub containers: Vec<Container>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: ServiceSpec,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    #[serde(default)]
    pub selector: BTreeMap<String, String>,
    #[serde(default)]
    pub ports: Vec<ServicePort>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    pub port: u16,
}

// ---------------------------------------------------------------- Ocean CD kinds

/// `metadata: {name}` is accepted as well as a top-level `name`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NameOnly {
    pub name: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Strategy {
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub metadata: Option<NameOnly>,
    #[serde(default)]
    pub canary: Option<CanaryStrategy>,
    #[serde(default)]
    pub rolling: Option<RollingStrategy>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CanaryStrategy {
    #[serde(default)]
    pub background_verification: Option<TemplateNames>,
    pub steps: Vec<CanaryStep>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CanaryStep {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub set_weight: Option<u32>,
    #[serde(default)]
    pub verification: Option<TemplateNames>,
    #[serde(default)]
    pub pause: Option<Pause>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollingStrategy {
    #[serde(default)]
    pub background_verification: Option<TemplateNames>,
    pub steps: Vec<RollingStep>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollingStep {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub verification: Option<TemplateNames>,
    #[serde(default)]
    pub pause: Option<Pause>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateNames {
    pub template_names: Vec<String>,
}

/// `pause: {duration: 5m}` (a window) or `pause: {}` (until someone acts).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pause {
    #[serde(default)]
    pub duration: Option<DurationText>,
}

/// A duration written `30s`, `5m`, `1h30m` or a number of seconds.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DurationText {
    Seconds(u64),
    Text(String),
}

impl DurationText {
    pub fn text(&self) -> String {
        match self {
            DurationText::Seconds(s) => s.to_string(),
            DurationText::Text(t) => t.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RolloutSpec {
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub metadata: Option<NameOnly>,
    pub spot_deployment: SpotDeploymentSelector,
    pub strategy: StrategyRef,
    #[serde(default)]
    pub traffic: Option<Traffic>,
    #[serde(default)]
    pub failure_policy: Option<FailurePolicy>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpotDeploymentSelector {
    pub cluster_id: String,
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StrategyRef {
    pub name: String,
    #[serde(default)]
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Arg {
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub value_from: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Traffic {
    #[serde(default)]
    pub stable_service: Option<String>,
    #[serde(default)]
    pub canary_service: Option<String>,
    #[serde(default)]
    pub alb: Option<Value>,
    #[serde(default)]
    pub istio: Option<Value>,
    #[serde(default)]
    pub nginx: Option<Value>,
    #[serde(default)]
    pub smi: Option<Value>,
    #[serde(default)]
    pub ambassador: Option<Value>,
    #[serde(default)]
    pub ping_pong: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FailureAction {
    Abort,
    Pause,
    Promote,
}

impl FailureAction {
    pub fn name(self) -> &'static str {
        match self {
            FailureAction::Abort => "abort",
            FailureAction::Pause => "pause",
            FailureAction::Promote => "promote",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FailurePolicy {
    pub action: FailureAction,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerificationTemplate {
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub metadata: Option<NameOnly>,
    #[serde(default)]
    pub args: Vec<Arg>,
    pub metrics: Vec<Metric>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metric {
    pub name: String,
    #[serde(default)]
    pub interval: Option<DurationText>,
    #[serde(default)]
    pub initial_delay: Option<DurationText>,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub success_condition: Option<String>,
    #[serde(default)]
    pub failure_condition: Option<String>,
    #[serde(default)]
    pub failure_limit: Option<u32>,
    #[serde(default)]
    pub inconclusive_limit: Option<u32>,
    #[serde(default)]
    pub consecutive_error_limit: Option<u32>,
    #[serde(default)]
    pub dry_run: Option<bool>,
    pub provider: MetricProvider,
}

/// Exactly one block; its content is free-form (each provider has its own fields).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricProvider {
    #[serde(default)]
    pub prometheus: Option<Value>,
    #[serde(default)]
    pub datadog: Option<Value>,
    #[serde(default)]
    pub new_relic: Option<Value>,
    #[serde(default)]
    pub cloud_watch: Option<Value>,
    #[serde(default)]
    pub web: Option<Value>,
    #[serde(default)]
    pub job: Option<Value>,
}

impl MetricProvider {
    /// The blocks present: (kind, content).
    pub fn blocks(&self) -> Vec<(&'static str, &Value)> {
        [
            ("prometheus", &self.prometheus),
            ("datadog", &self.datadog),
            ("newRelic", &self.new_relic),
            ("cloudWatch", &self.cloud_watch),
            ("web", &self.web),
            ("job", &self.job),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect()
    }
}

/// Provider kinds served by a VerificationProvider entity (web and job need none).
pub fn needs_provider_entity(kind: &str) -> bool {
    matches!(kind, "prometheus" | "datadog" | "newRelic" | "cloudWatch")
}

/// The query text a metric runs, for display.
pub fn query_text(kind: &str, block: &Value) -> String {
    let get = |key: &str| block.get(key).and_then(Value::as_str).map(str::to_string);
    match kind {
        "web" => get("url").unwrap_or_default(),
        "job" => "job".to_string(),
        "cloudWatch" => block
            .get("metricDataQueries")
            .and_then(|q| serde_norway::to_string(q).ok())
            .unwrap_or_default()
            .trim()
            .to_string(),
        _ => get("query").unwrap_or_default(),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerificationProvider {
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub metadata: Option<NameOnly>,
    /// `clusters` in some of Ocean CD's examples.
    #[serde(alias = "clusters")]
    pub cluster_ids: Vec<String>,
    #[serde(default)]
    pub prometheus: Option<Value>,
    #[serde(default)]
    pub datadog: Option<Value>,
    #[serde(default)]
    pub new_relic: Option<Value>,
    #[serde(default)]
    pub cloud_watch: Option<Value>,
}

impl VerificationProvider {
    pub fn kinds(&self) -> Vec<&'static str> {
        [
            ("prometheus", self.prometheus.is_some()),
            ("datadog", self.datadog.is_some()),
            ("newRelic", self.new_relic.is_some()),
            ("cloudWatch", self.cloud_watch.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, present)| present.then_some(k))
        .collect()
    }
}

/// Name of an Ocean CD entity: top-level `name`, else `metadata.name`.
pub fn ocean_name(name: &Option<String>, metadata: &Option<NameOnly>) -> Option<String> {
    name.clone()
        .or_else(|| metadata.as_ref().map(|m| m.name.clone()))
        .filter(|n| !n.trim().is_empty())
}
