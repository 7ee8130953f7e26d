//! Reading an applied YAML stream: splitting it into documents (to know each one's first line),
//! deserialising each into its kind and checking what serde cannot (rising weights, durations,
//! conditions, one provider block, annotations). Errors carry the line and column in the stream.

use crate::entities::{self as e, Kind};
use crate::model::{MetricFaults, PodFault};
use crate::verification::{parse_duration, Condition};
use serde::de::DeserializeOwned;
use serde_norway::Value;
use std::collections::BTreeMap;

pub const ANN_STRATEGY: &str = "oceancd.spot.io/strategy";
pub const ANN_CLUSTER: &str = "oceancd.spot.io/cluster-id";
const SIM: &str = "sim.rollout.dev/";

/// One document of a stream.
#[derive(Debug, Clone)]
pub struct SplitDoc {
    /// 1-based, counting non-empty documents.
    pub index: usize,
    /// 1-based line of the document's first line in the stream.
    pub start_line: usize,
    pub text: String,
}

/// A problem in one document; `line` is 1-based within the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl DocError {
    fn at(message: impl Into<String>, (line, column): (usize, usize)) -> DocError {
        DocError {
            message: message.into(),
            line,
            column,
        }
    }
}

/// Splits on `---` lines; documents with nothing but comments and blanks are skipped.
pub fn split_stream(yaml: &str) -> Vec<SplitDoc> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    let flush = |text: &mut String, start: usize, docs: &mut Vec<SplitDoc>| {
        let meaningful = text.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && t != "..."
        });
        if meaningful {
            docs.push(SplitDoc {
                index: docs.len() + 1,
                start_line: start,
                text: std::mem::take(text),
            });
        }
        text.clear();
    };
    for (i, line) in yaml.lines().enumerate() {
        let is_separator = line == "---"
            || line.starts_with("--- ")
            || line.starts_with("---\t")
            || line.trim_end() == "---";
        if is_separator {
            flush(&mut current, start, &mut docs);
            start = i + 2;
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    flush(&mut current, start, &mut docs);
    docs
}

/// Where `key:` appears (the `nth` time, 0-based) in a document: 1-based line and column.
pub fn locate(text: &str, key: &str, nth: usize) -> (usize, usize) {
    let mut seen = 0;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let (body, extra) = match trimmed.strip_prefix("- ") {
            Some(rest) => (rest.trim_start(), trimmed.len() - rest.trim_start().len()),
            None => (trimmed, 0),
        };
        let matches = body
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
            || body
                .strip_prefix(&format!("\"{key}\""))
                .is_some_and(|rest| rest.starts_with(':'));
        if matches {
            if seen == nth {
                return (i + 1, indent + extra + 1);
            }
            seen += 1;
        }
    }
    (1, 1)
}

/// A SpotDeployment, checked.
#[derive(Debug, Clone)]
pub struct SpotDeploymentInfo {
    pub name: String,
    pub namespace: String,
    pub replicas: u32,
    pub image: String,
    pub container: String,
    pub labels: BTreeMap<String, String>,
    pub progress_deadline_seconds: u64,
    pub template_hash: String,
    /// Normalised YAML of the whole object (the CRD diff shows it).
    pub manifest: String,
    pub strategy_override: Option<String>,
    pub cluster_annotation: Option<String>,
    pub pod_fault: PodFault,
    pub start_seconds: u32,
    pub metric_faults: MetricFaults,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PhaseSpec {
    pub name: String,
    pub weight: u32,
    pub pause: Option<Option<u64>>,
    pub templates: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct StrategyInfo {
    pub name: String,
    pub kind: rollout_api::StrategyType,
    pub phases: Vec<PhaseSpec>,
    pub background: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RolloutSpecInfo {
    pub name: String,
    pub cluster_id: String,
    pub namespace: String,
    pub spot_deployment: String,
    pub strategy: String,
    pub stable_service: Option<String>,
    pub canary_service: Option<String>,
    pub failure_policy: e::FailureAction,
}

#[derive(Debug, Clone)]
pub struct MetricSpec {
    pub name: String,
    pub interval_seconds: u64,
    pub initial_delay_seconds: u64,
    pub count: Option<u32>,
    pub success_condition: Option<String>,
    pub failure_condition: Option<String>,
    pub failure_limit: u32,
    pub inconclusive_limit: u32,
    pub consecutive_error_limit: u32,
    pub dry_run: bool,
    pub provider_kind: String,
    pub query: String,
}

#[derive(Debug, Clone)]
pub struct TemplateInfo {
    pub name: String,
    pub metrics: Vec<MetricSpec>,
}

#[derive(Debug, Clone)]
pub struct ProviderInfo {
    pub name: String,
    pub cluster_ids: Vec<String>,
    pub kinds: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct ServiceInfo {
    pub name: String,
    pub namespace: String,
    pub selector: Vec<(String, String)>,
    pub ports: Vec<u16>,
    pub cluster_annotation: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Parsed {
    SpotDeployment(SpotDeploymentInfo),
    Strategy(StrategyInfo),
    RolloutSpec(RolloutSpecInfo),
    VerificationTemplate(TemplateInfo),
    VerificationProvider(ProviderInfo),
    Service(ServiceInfo),
}

impl Parsed {
    pub fn kind(&self) -> Kind {
        match self {
            Parsed::SpotDeployment(_) => Kind::SpotDeployment,
            Parsed::Strategy(_) => Kind::Strategy,
            Parsed::RolloutSpec(_) => Kind::RolloutSpec,
            Parsed::VerificationTemplate(_) => Kind::VerificationTemplate,
            Parsed::VerificationProvider(_) => Kind::VerificationProvider,
            Parsed::Service(_) => Kind::Service,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Parsed::SpotDeployment(d) => &d.name,
            Parsed::Strategy(d) => &d.name,
            Parsed::RolloutSpec(d) => &d.name,
            Parsed::VerificationTemplate(d) => &d.name,
            Parsed::VerificationProvider(d) => &d.name,
            Parsed::Service(d) => &d.name,
        }
    }

    pub fn namespace(&self) -> Option<&str> {
        match self {
            Parsed::SpotDeployment(d) => Some(&d.namespace),
            Parsed::Service(d) => Some(&d.namespace),
            _ => None,
        }
    }
}

fn serde_error(err: serde_norway::Error) -> DocError {
    let (line, column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    // serde_norway appends " at line L column C"; the caller reports the location itself.
    let message = err.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    DocError {
        message,
        line,
        column,
    }
}

fn typed<T: DeserializeOwned>(text: &str) -> Result<T, DocError> {
    serde_norway::from_str(text).map_err(serde_error)
}

/// Parses and checks one document.
pub fn parse_document(text: &str) -> Result<Parsed, DocError> {
    let value: Value = serde_norway::from_str(text).map_err(serde_error)?;
    if !value.is_mapping() {
        return Err(DocError::at(
            "a document must be a mapping with apiVersion and kind",
            (1, 1),
        ));
    }
    let kind_text = match value.get("kind") {
        Some(Value::String(k)) => k.clone(),
        Some(_) => {
            return Err(DocError::at(
                "kind must be a string",
                locate(text, "kind", 0),
            ))
        }
        None => return Err(DocError::at("kind is missing", (1, 1))),
    };
    let kind = Kind::parse(&kind_text).ok_or_else(|| {
        DocError::at(
            format!(
                "kind: unknown kind `{kind_text}` (expected SpotDeployment, Strategy, RolloutSpec, VerificationTemplate, VerificationProvider or Service)"
            ),
            locate(text, "kind", 0),
        )
    })?;
    match value.get("apiVersion").and_then(Value::as_str) {
        Some(v) if v == kind.api_version() => {}
        Some(v) => {
            return Err(DocError::at(
                format!(
                    "apiVersion: {} needs apiVersion {}, not {v}",
                    kind.name(),
                    kind.api_version()
                ),
                locate(text, "apiVersion", 0),
            ))
        }
        None => {
            return Err(DocError::at(
                format!(
                    "apiVersion is missing ({} needs {})",
                    kind.name(),
                    kind.api_version()
                ),
                (1, 1),
            ))
        }
    }
    match kind {
        Kind::SpotDeployment => spot_deployment(text, &value).map(Parsed::SpotDeployment),
        Kind::Strategy => strategy(text).map(Parsed::Strategy),
        Kind::RolloutSpec => rollout_spec(text).map(Parsed::RolloutSpec),
        Kind::VerificationTemplate => template(text).map(Parsed::VerificationTemplate),
        Kind::VerificationProvider => provider(text).map(Parsed::VerificationProvider),
        Kind::Service => service(text).map(Parsed::Service),
    }
}

fn ocean_name(
    text: &str,
    kind: Kind,
    name: &Option<String>,
    meta: &Option<e::NameOnly>,
) -> Result<String, DocError> {
    let n = e::ocean_name(name, meta)
        .ok_or_else(|| DocError::at(format!("name: a {} needs a name", kind.name()), (1, 1)))?;
    check_dns_name(text, "name", &n)?;
    Ok(n)
}

fn check_dns_name(text: &str, key: &str, name: &str) -> Result<(), DocError> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(DocError::at(
            format!("{key}: `{name}` is not a valid name (lowercase letters, digits, '-' and '.')"),
            locate(text, key, 0),
        ))
    }
}

fn spot_deployment(text: &str, value: &Value) -> Result<SpotDeploymentInfo, DocError> {
    let d: e::SpotDeployment = typed(text)?;
    check_dns_name(text, "name", &d.metadata.name)?;
    let container = d.spec.template.spec.containers.first().ok_or_else(|| {
        DocError::at(
            "spec.template.spec.containers: at least one container is needed",
            locate(text, "containers", 0),
        )
    })?;
    if container.image.trim().is_empty() {
        return Err(DocError::at(
            "spec.template.spec.containers[0].image: the image is empty",
            locate(text, "image", 0),
        ));
    }
    let template = value
        .get("spec")
        .and_then(|s| s.get("template"))
        .cloned()
        .unwrap_or(Value::Null);
    let template_text = serde_norway::to_string(&template).unwrap_or_default();
    let ann = &d.metadata.annotations;
    let ann_err = |key: &str, message: String| {
        let pos = locate(text, &format!("{SIM}{key}"), 0);
        let pos = if pos == (1, 1) {
            locate(text, "annotations", 0)
        } else {
            pos
        };
        DocError::at(format!("metadata.annotations.{SIM}{key}: {message}"), pos)
    };
    let mut pod_fault = PodFault::None;
    if let Some(v) = ann.get(&format!("{SIM}crash-loop")) {
        match v.as_str() {
            "true" => pod_fault = PodFault::CrashLoop,
            "false" => {}
            _ => {
                return Err(ann_err(
                    "crash-loop",
                    format!("expected \"true\" or \"false\", got `{v}`"),
                ))
            }
        }
    }
    if let Some(v) = ann.get(&format!("{SIM}image-pull")) {
        match v.as_str() {
            "fail" => pod_fault = PodFault::ImagePull,
            "ok" | "" => {}
            _ => {
                return Err(ann_err(
                    "image-pull",
                    format!("expected \"fail\", got `{v}`"),
                ))
            }
        }
    }
    if let Some(v) = ann.get(&format!("{SIM}liveness")) {
        match v.as_str() {
            "fail" => pod_fault = PodFault::Liveness,
            "ok" | "" => {}
            _ => return Err(ann_err("liveness", format!("expected \"fail\", got `{v}`"))),
        }
    }
    let mut start_seconds = 6;
    if let Some(v) = ann.get(&format!("{SIM}pod-start-seconds")) {
        start_seconds = v
            .parse::<u32>()
            .ok()
            .filter(|s| (1..=3600).contains(s))
            .ok_or_else(|| {
                ann_err(
                    "pod-start-seconds",
                    format!("expected whole seconds 1..3600, got `{v}`"),
                )
            })?;
    }
    let mut metric_faults = MetricFaults::default();
    for (key, v) in ann {
        let Some(rest) = key.strip_prefix(SIM) else {
            continue;
        };
        if rest == "metric-value" {
            metric_faults.value = Some(
                v.parse()
                    .map_err(|_| ann_err(rest, format!("expected a number, got `{v}`")))?,
            );
        } else if let Some(metric) = rest.strip_prefix("metric-value.") {
            let n = v
                .parse()
                .map_err(|_| ann_err(rest, format!("expected a number, got `{v}`")))?;
            metric_faults.per_metric.insert(metric.to_string(), n);
        } else if rest == "metric-error" {
            if !matches!(v.as_str(), "unreachable" | "credentials" | "query") {
                return Err(ann_err(
                    rest,
                    format!("expected unreachable, credentials or query, got `{v}`"),
                ));
            }
            metric_faults.error = Some(v.clone());
        }
    }
    let labels = d
        .spec
        .template
        .metadata
        .as_ref()
        .map(|m| m.labels.clone())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| BTreeMap::from([("app".to_string(), d.metadata.name.clone())]));
    Ok(SpotDeploymentInfo {
        name: d.metadata.name.clone(),
        namespace: d
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into()),
        replicas: d.spec.replicas,
        image: container.image.clone(),
        container: container.name.clone(),
        labels,
        progress_deadline_seconds: d.spec.progress_deadline_seconds.unwrap_or(600),
        template_hash: crate::ids::template_hash(&template_text),
        manifest: serde_norway::to_string(value).unwrap_or_else(|_| text.to_string()),
        strategy_override: ann.get(ANN_STRATEGY).cloned(),
        cluster_annotation: ann.get(ANN_CLUSTER).cloned(),
        pod_fault,
        start_seconds,
        metric_faults,
    })
}

fn templates_of(t: &Option<e::TemplateNames>) -> Vec<String> {
    t.as_ref()
        .map(|t| t.template_names.clone())
        .unwrap_or_default()
}

fn pause_of(
    text: &str,
    p: &Option<e::Pause>,
    nth: &mut usize,
) -> Result<Option<Option<u64>>, DocError> {
    let Some(p) = p else {
        return Ok(None);
    };
    match &p.duration {
        None => Ok(Some(None)),
        Some(d) => {
            let at = locate(text, "duration", *nth);
            *nth += 1;
            let s = parse_duration(&d.text())
                .map_err(|m| DocError::at(format!("pause.duration: {m}"), at))?;
            Ok(Some(Some(s)))
        }
    }
}

fn strategy(text: &str) -> Result<StrategyInfo, DocError> {
    let s: e::Strategy = typed(text)?;
    let name = ocean_name(text, Kind::Strategy, &s.name, &s.metadata)?;
    let mut durations = 0;
    match (&s.canary, &s.rolling) {
        (Some(_), Some(_)) => Err(DocError::at(
            "rolling: a Strategy has either canary or rolling, not both",
            locate(text, "rolling", 0),
        )),
        (None, None) => Err(DocError::at(
            "a Strategy needs a canary or a rolling block",
            (1, 1),
        )),
        (Some(c), None) => {
            if c.steps.is_empty() {
                return Err(DocError::at(
                    "canary.steps: at least one step is needed",
                    locate(text, "steps", 0),
                ));
            }
            let mut phases = Vec::new();
            let mut previous = 0;
            for (i, step) in c.steps.iter().enumerate() {
                let weight = step.set_weight.ok_or_else(|| {
                    DocError::at(
                        format!("canary.steps[{i}].setWeight is missing (a canary step sets the canary weight; a rolling strategy has none)"),
                        locate(text, "steps", 0),
                    )
                })?;
                let at = locate(text, "setWeight", i);
                if weight == 0 || weight > 100 {
                    return Err(DocError::at(
                        format!("canary.steps[{i}].setWeight: {weight} is out of range (1 to 100)"),
                        at,
                    ));
                }
                if weight <= previous {
                    return Err(DocError::at(
                        format!("canary.steps[{i}].setWeight: {weight} must be greater than the previous step's {previous} (weights rise strictly)"),
                        at,
                    ));
                }
                previous = weight;
                phases.push(PhaseSpec {
                    name: step
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("phase-{}", i + 1)),
                    weight,
                    pause: pause_of(text, &step.pause, &mut durations)?,
                    templates: templates_of(&step.verification),
                });
            }
            Ok(StrategyInfo {
                name,
                kind: rollout_api::StrategyType::Canary,
                phases,
                background: templates_of(&c.background_verification),
            })
        }
        (None, Some(r)) => {
            if r.steps.is_empty() {
                return Err(DocError::at(
                    "rolling.steps: at least one step is needed",
                    locate(text, "steps", 0),
                ));
            }
            let n = r.steps.len() as u32;
            let mut phases = Vec::new();
            for (i, step) in r.steps.iter().enumerate() {
                phases.push(PhaseSpec {
                    name: step
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("phase-{}", i + 1)),
                    weight: (100 * (i as u32 + 1)).div_ceil(n),
                    pause: pause_of(text, &step.pause, &mut durations)?,
                    templates: templates_of(&step.verification),
                });
            }
            Ok(StrategyInfo {
                name,
                kind: rollout_api::StrategyType::Rolling,
                phases,
                background: templates_of(&r.background_verification),
            })
        }
    }
}

fn rollout_spec(text: &str) -> Result<RolloutSpecInfo, DocError> {
    let r: e::RolloutSpec = typed(text)?;
    let name = ocean_name(text, Kind::RolloutSpec, &r.name, &r.metadata)?;
    let traffic = r.traffic.clone();
    Ok(RolloutSpecInfo {
        name,
        cluster_id: r.spot_deployment.cluster_id.clone(),
        namespace: r.spot_deployment.namespace.clone(),
        spot_deployment: r.spot_deployment.name.clone(),
        strategy: r.strategy.name.clone(),
        stable_service: traffic.as_ref().and_then(|t| t.stable_service.clone()),
        canary_service: traffic.as_ref().and_then(|t| t.canary_service.clone()),
        failure_policy: r
            .failure_policy
            .map(|f| f.action)
            .unwrap_or(e::FailureAction::Abort),
    })
}

fn template(text: &str) -> Result<TemplateInfo, DocError> {
    let t: e::VerificationTemplate = typed(text)?;
    let name = ocean_name(text, Kind::VerificationTemplate, &t.name, &t.metadata)?;
    if t.metrics.is_empty() {
        return Err(DocError::at(
            "metrics: at least one metric is needed",
            locate(text, "metrics", 0),
        ));
    }
    let mut metrics = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut nth = |key: &'static str| {
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        locate(text, key, *n - 1)
    };
    for (i, m) in t.metrics.iter().enumerate() {
        let dur = |d: &Option<e::DurationText>, key: &str, at: (usize, usize), default: u64| {
            d.as_ref()
                .map(|d| parse_duration(&d.text()))
                .transpose()
                .map(|v| v.unwrap_or(default))
                .map_err(|msg| DocError::at(format!("metrics[{i}].{key}: {msg}"), at))
        };
        let interval_at = if m.interval.is_some() {
            nth("interval")
        } else {
            (1, 1)
        };
        let interval = dur(&m.interval, "interval", interval_at, 60)?;
        let delay_at = if m.initial_delay.is_some() {
            nth("initialDelay")
        } else {
            (1, 1)
        };
        let initial_delay = dur(&m.initial_delay, "initialDelay", delay_at, 0)?;
        for (key, cond) in [
            ("successCondition", &m.success_condition),
            ("failureCondition", &m.failure_condition),
        ] {
            if let Some(c) = cond {
                let at = nth(key);
                Condition::parse(c)
                    .map_err(|msg| DocError::at(format!("metrics[{i}].{key}: {msg}"), at))?;
            }
        }
        let provider_at = nth("provider");
        let blocks = m.provider.blocks();
        if blocks.len() != 1 {
            return Err(DocError::at(
                format!(
                    "metrics[{i}].provider: exactly one of prometheus, datadog, newRelic, cloudWatch, web, job is needed (found {})",
                    blocks.len()
                ),
                provider_at,
            ));
        }
        let (kind, block) = blocks[0];
        metrics.push(MetricSpec {
            name: m.name.clone(),
            interval_seconds: interval.max(1),
            initial_delay_seconds: initial_delay,
            count: m.count,
            success_condition: m.success_condition.clone(),
            failure_condition: m.failure_condition.clone(),
            failure_limit: m.failure_limit.unwrap_or(0),
            inconclusive_limit: m.inconclusive_limit.unwrap_or(0),
            consecutive_error_limit: m.consecutive_error_limit.unwrap_or(4),
            dry_run: m.dry_run.unwrap_or(false),
            provider_kind: kind.to_string(),
            query: e::query_text(kind, block),
        });
    }
    Ok(TemplateInfo { name, metrics })
}

fn provider(text: &str) -> Result<ProviderInfo, DocError> {
    let p: e::VerificationProvider = typed(text)?;
    let name = ocean_name(text, Kind::VerificationProvider, &p.name, &p.metadata)?;
    if p.cluster_ids.is_empty() {
        return Err(DocError::at(
            "clusterIds: at least one cluster id is needed",
            locate(text, "clusterIds", 0),
        ));
    }
    let kinds = p.kinds();
    if kinds.len() != 1 {
        return Err(DocError::at(
            format!(
                "a VerificationProvider has exactly one of prometheus, datadog, newRelic, cloudWatch (found {})",
                kinds.len()
            ),
            (1, 1),
        ));
    }
    Ok(ProviderInfo {
        name,
        cluster_ids: p.cluster_ids.clone(),
        kinds,
    })
}

fn service(text: &str) -> Result<ServiceInfo, DocError> {
    let s: e::Service = typed(text)?;
    check_dns_name(text, "name", &s.metadata.name)?;
    Ok(ServiceInfo {
        name: s.metadata.name.clone(),
        namespace: s
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into()),
        selector: s.spec.selector.into_iter().collect(),
        ports: s.spec.ports.iter().map(|p| p.port).collect(),
        cluster_annotation: s.metadata.annotations.get(ANN_CLUSTER).cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_counts_lines() {
        let docs = split_stream("---\n# c\n---\na: 1\n---\nb: 2\nc: 3\n");
        assert_eq!(docs.len(), 2);
        assert_eq!((docs[0].index, docs[0].start_line), (1, 4));
        assert_eq!((docs[1].index, docs[1].start_line), (2, 6));
    }

    #[test]
    fn locate_finds_list_items() {
        let text = "steps:\n  - setWeight: 10\n  - setWeight: 5\n";
        assert_eq!(locate(text, "setWeight", 1), (3, 5));
    }
}
