//! VerificationTemplates (metrics: their durations, count, conditions and exactly one provider
//! block each) and VerificationProviders (cluster ids and exactly one provider).

use super::document::typed;
use super::fields::{at_most, duration_within, field_at, ocean_name};
use super::DocError;
use crate::entities::{self as e, Kind};
use crate::limits;
use crate::position::{locate_path, Seg};
use crate::verification::{parse_duration, Condition};

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

pub(super) fn template(text: &str) -> Result<TemplateInfo, DocError> {
    let t: e::VerificationTemplate = typed(text)?;
    let name = ocean_name(text, Kind::VerificationTemplate, &t.name, &t.metadata)?;
    if t.metrics.is_empty() {
        return Err(DocError::at(
            "metrics: at least one metric is needed",
            field_at(text, &[Seg::Key("metrics")]),
        ));
    }
    at_most(
        text,
        "metrics",
        &[Seg::Key("metrics")],
        t.metrics.len() as u64,
        limits::MAX_METRICS as u64,
        " metrics",
    )?;
    let mut metrics = Vec::new();
    for (i, m) in t.metrics.iter().enumerate() {
        let nth = |key: &str| field_at(text, &[Seg::Key("metrics"), Seg::Index(i), Seg::Key(key)]);
        let dur = |d: &Option<e::DurationText>, key: &str, default: u64| {
            let Some(d) = d else {
                return Ok(default);
            };
            let (field, at) = (format!("metrics[{i}].{key}"), nth(key));
            parse_duration(&d.text())
                .map_err(|msg| DocError::at(format!("{field}: {msg}"), at))
                .and_then(|s| duration_within(s, &field, at))
        };
        let interval = dur(&m.interval, "interval", 60)?;
        let initial_delay = dur(&m.initial_delay, "initialDelay", 0)?;
        if let Some(count) = m.count {
            let at = nth("count");
            if count > limits::MAX_COUNT {
                return Err(DocError::at(
                    format!(
                        "metrics[{i}].count: {count} is more than the {} measurements accepted",
                        limits::MAX_COUNT
                    ),
                    at,
                ));
            }
        }
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

pub(super) fn provider(text: &str) -> Result<ProviderInfo, DocError> {
    let p: e::VerificationProvider = typed(text)?;
    let name = ocean_name(text, Kind::VerificationProvider, &p.name, &p.metadata)?;
    if p.cluster_ids.is_empty() {
        return Err(DocError::at(
            "clusterIds: at least one cluster id is needed",
            // `clusters:` is its alias.
            locate_path(text, &[Seg::Key("clusterIds")])
                .unwrap_or_else(|| field_at(text, &[Seg::Key("clusters")])),
        ));
    }
    let kinds = p.kinds();
    if kinds.len() != 1 {
        return Err(DocError::at(
            format!(
                "a VerificationProvider has exactly one of prometheus, datadog, newRelic, cloudWatch (found {})",
                kinds.len()
            ),
            // The second block found, or (none) the entity's first key.
            field_at(text, &kinds.get(1).map(|k| vec![Seg::Key(k)]).unwrap_or_default()),
        ));
    }
    Ok(ProviderInfo {
        name,
        cluster_ids: p.cluster_ids.clone(),
        kinds,
    })
}
