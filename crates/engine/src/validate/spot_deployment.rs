//! SpotDeployments: Kubernetes names, the replica cap, the progress deadline, a container with an
//! image, and the simulator's `sim.rollout.dev/` annotations (pod faults, start time, metric
//! faults).

use super::document::typed;
use super::fields::{at_most, check_dns_name, duration_within, field_at, shorten};
use super::{DocError, ANN_CLUSTER, ANN_STRATEGY};
use crate::entities as e;
use crate::limits;
use crate::model::{MetricFaults, PodFault};
use crate::position::Seg;
use serde_norway::Value;
use std::collections::BTreeMap;

const SIM: &str = "sim.rollout.dev/";

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

/// Where a SpotDeployment's containers are written.
const CONTAINERS: [Seg; 4] = [
    Seg::Key("spec"),
    Seg::Key("template"),
    Seg::Key("spec"),
    Seg::Key("containers"),
];

/// The simulator's pod faults: each one's annotation (under `sim.rollout.dev/`), the value that
/// turns it on, the values that leave it off and what an error says is expected. When several are
/// on, the last one here wins.
const POD_FAULTS: [(&str, &str, &[&str], &str, PodFault); 3] = [
    (
        "crash-loop",
        "true",
        &["false"],
        "\"true\" or \"false\"",
        PodFault::CrashLoop,
    ),
    (
        "image-pull",
        "fail",
        &["ok", ""],
        "\"fail\"",
        PodFault::ImagePull,
    ),
    (
        "liveness",
        "fail",
        &["ok", ""],
        "\"fail\"",
        PodFault::Liveness,
    ),
];

pub(super) fn spot_deployment(text: &str, value: &Value) -> Result<SpotDeploymentInfo, DocError> {
    let d: e::SpotDeployment = typed(text)?;
    check_dns_name(
        text,
        "name",
        &[Seg::Key("metadata"), Seg::Key("name")],
        &d.metadata.name,
    )?;
    if let Some(ns) = &d.metadata.namespace {
        check_dns_name(
            text,
            "namespace",
            &[Seg::Key("metadata"), Seg::Key("namespace")],
            ns,
        )?;
    }
    at_most(
        text,
        "spec.replicas",
        &[Seg::Key("spec"), Seg::Key("replicas")],
        u64::from(d.spec.replicas),
        u64::from(limits::MAX_REPLICAS),
        "",
    )?;
    if let Some(p) = d.spec.progress_deadline_seconds {
        duration_within(
            p,
            "spec.progressDeadlineSeconds",
            field_at(
                text,
                &[Seg::Key("spec"), Seg::Key("progressDeadlineSeconds")],
            ),
        )?;
    }
    let container = d.spec.template.spec.containers.first().ok_or_else(|| {
        DocError::at(
            "spec.template.spec.containers: at least one container is needed",
            field_at(text, &CONTAINERS),
        )
    })?;
    if container.image.trim().is_empty() {
        return Err(DocError::at(
            "spec.template.spec.containers[0].image: the image is empty",
            field_at(
                text,
                &[&CONTAINERS[..], &[Seg::Index(0), Seg::Key("image")]].concat(),
            ),
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
        let key = format!("{SIM}{key}");
        let path = [
            Seg::Key("metadata"),
            Seg::Key("annotations"),
            Seg::Key(&key),
        ];
        DocError::at(
            format!("metadata.annotations.{key}: {message}"),
            field_at(text, &path),
        )
    };
    let mut pod_fault = PodFault::None;
    for (key, on, off, expected, fault) in POD_FAULTS {
        let Some(v) = ann.get(&format!("{SIM}{key}")) else {
            continue;
        };
        if v == on {
            pod_fault = fault;
        } else if !off.contains(&v.as_str()) {
            return Err(ann_err(key, format!("expected {expected}, got `{v}`")));
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
        let number = |v: &str| {
            v.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| ann_err(rest, format!("expected a number, got `{}`", shorten(v))))
        };
        if rest == "metric-value" {
            metric_faults.value = Some(number(v)?);
        } else if let Some(metric) = rest.strip_prefix("metric-value.") {
            let n = number(v)?;
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

#[cfg(test)]
mod tests {
    use super::super::{parse_document, DocError, Parsed};
    use crate::model::PodFault;

    fn with_annotations(annotations: &str) -> Result<PodFault, DocError> {
        let text = format!(
            "apiVersion: spot.io/v1beta1\nkind: SpotDeployment\nmetadata:\n  name: web\n  \
             annotations:\n{annotations}spec:\n  replicas: 1\n  template:\n    spec:\n      \
             containers:\n        - name: web\n          image: nginx:1\n"
        );
        match parse_document(&text)? {
            Parsed::SpotDeployment(d) => Ok(d.pod_fault),
            other => panic!("a SpotDeployment, not {:?}", other.kind()),
        }
    }

    #[test]
    fn pod_fault_annotations_turn_on_and_off() {
        let ann = |key: &str, value: &str| format!("    sim.rollout.dev/{key}: \"{value}\"\n");
        assert_eq!(with_annotations(""), Ok(PodFault::None));
        assert_eq!(
            with_annotations(&ann("crash-loop", "true")),
            Ok(PodFault::CrashLoop)
        );
        assert_eq!(
            with_annotations(&ann("crash-loop", "false")),
            Ok(PodFault::None)
        );
        assert_eq!(
            with_annotations(&ann("image-pull", "fail")),
            Ok(PodFault::ImagePull)
        );
        assert_eq!(with_annotations(&ann("image-pull", "")), Ok(PodFault::None));
        assert_eq!(
            with_annotations(&ann("liveness", "fail")),
            Ok(PodFault::Liveness)
        );
        assert_eq!(with_annotations(&ann("liveness", "ok")), Ok(PodFault::None));
        let both = ann("crash-loop", "true") + &ann("liveness", "fail");
        assert_eq!(with_annotations(&both), Ok(PodFault::Liveness));
    }

    #[test]
    fn a_wrong_pod_fault_annotation_is_pointed_at() {
        let err = with_annotations("    sim.rollout.dev/crash-loop: \"yes\"\n").unwrap_err();
        assert_eq!(
            err.message,
            "metadata.annotations.sim.rollout.dev/crash-loop: expected \"true\" or \"false\", got `yes`"
        );
        assert_eq!((err.line, err.column), (6, 5));
        let err = with_annotations("    sim.rollout.dev/liveness: \"true\"\n").unwrap_err();
        assert_eq!(
            err.message,
            "metadata.annotations.sim.rollout.dev/liveness: expected \"fail\", got `true`"
        );
    }
}
