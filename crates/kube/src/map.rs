//! Kubernetes objects → what the console shows. A console rollout is one revision of an Argo
//! Rollout (one pod-template hash). The status table is in this crate's README.

use crate::info::{self, RsInfo};
use crate::objects::*;
use rollout_api as api;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Which cluster the objects came from, as the console names it.
#[derive(Debug, Clone)]
pub struct ClusterRef {
    pub id: String,
    pub name: String,
}

/// One console rollout with every view of it (serializable: a live server keeps past revisions
/// in its store after the cluster dropped their objects).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Mapped {
    pub summary: api::RolloutSummary,
    pub detail: api::RolloutDetail,
    /// Newest first.
    pub events: Vec<api::Event>,
    /// Older events the server's history no longer keeps (its per-revision limit).
    #[serde(default)]
    pub events_pruned: u64,
    pub resources: api::Resources,
    pub definition: api::Definition,
    pub manifests: api::Manifests,
}

/// Everything the console reads, mapped from one set of objects.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The newest timestamp in the objects (None when they hold none).
    pub newest: Option<Timestamp>,
    /// Newest first.
    pub summaries: Vec<api::RolloutSummary>,
    pub workloads: Vec<api::Workload>,
    pub clusters: Vec<api::Cluster>,
    /// The pod template of each workload's newest revision, as YAML.
    pub desired_manifests: HashMap<(String, String), (u32, String)>,
    rollouts: HashMap<String, Mapped>,
}

impl View {
    pub fn rollout(&self, id: &str) -> Option<&Mapped> {
        self.rollouts.get(id)
    }

    pub fn workload(
        &self,
        cluster_id: &str,
        namespace: &str,
        name: &str,
    ) -> Option<&api::Workload> {
        self.workloads
            .iter()
            .find(|w| w.cluster_id == cluster_id && w.namespace == namespace && w.name == name)
    }

    /// Every mapped rollout, in no particular order.
    pub fn mapped(&self) -> impl Iterator<Item = &Mapped> {
        self.rollouts.values()
    }

    /// Adds another cluster's view. Event ids of `other` are moved past this view's, so ids
    /// stay unique (and still rise with time within each cluster).
    pub fn merge(&mut self, mut other: View) {
        let offset = self
            .rollouts
            .values()
            .flat_map(|m| m.events.iter().map(|e| e.id))
            .max()
            .unwrap_or(0);
        for m in other.rollouts.values_mut() {
            for e in &mut m.events {
                e.id += offset;
            }
        }
        self.newest = self.newest.max(other.newest);
        self.summaries.extend(other.summaries);
        self.workloads.extend(other.workloads);
        self.clusters.extend(other.clusters);
        self.desired_manifests.extend(other.desired_manifests);
        self.rollouts.extend(other.rollouts);
        self.sort();
    }

    /// Replaces a rollout's views (same id; its summary in the list too).
    pub fn replace(&mut self, m: Mapped) {
        if let Some(s) = self.summaries.iter_mut().find(|s| s.id == m.summary.id) {
            *s = m.summary.clone();
        }
        self.rollouts.insert(m.summary.id.clone(), m);
    }

    /// Adds a revision the objects no longer show (kept by the server): it is listed, opens,
    /// and appears in its workload's history. Ignored when the view already has that rollout.
    pub fn add_past(&mut self, m: Mapped) {
        if self.rollouts.contains_key(&m.summary.id) {
            return;
        }
        let s = &m.summary;
        let revision = api::Revision {
            revision: s.spot_deployment.revision,
            image: s.image.clone(),
            applied_at: s.start_time,
            rollout_id: Some(s.id.clone()),
            status: Some(s.status),
            labels: Vec::new(),
        };
        match self.workloads.iter_mut().find(|w| {
            w.cluster_id == s.cluster_id
                && w.namespace == s.namespace
                && w.name == s.spot_deployment.name
        }) {
            Some(w) => {
                if !w.revisions.iter().any(|r| r.revision == revision.revision) {
                    w.revisions.push(revision);
                    w.revisions.sort_by_key(|r| std::cmp::Reverse(r.revision));
                }
            }
            // The Rollout itself is gone: what its last observed revision says.
            None => self.workloads.push(api::Workload {
                cluster_id: s.cluster_id.clone(),
                namespace: s.namespace.clone(),
                name: s.spot_deployment.name.clone(),
                kind: "Rollout".into(),
                container: String::new(),
                replicas: api::ReplicaCounts::default(),
                desired_revision: revision.revision,
                live_revision: revision.revision,
                degraded: false,
                revisions: vec![revision],
            }),
        }
        self.summaries.push(m.summary.clone());
        self.rollouts.insert(m.summary.id.clone(), m);
        self.sort();
    }

    /// Newest first; workloads by cluster, namespace and name.
    fn sort(&mut self) {
        self.summaries.sort_by(|a, b| {
            b.start_time
                .cmp(&a.start_time)
                .then(b.spot_deployment.revision.cmp(&a.spot_deployment.revision))
                .then(a.id.cmp(&b.id))
        });
        self.workloads.sort_by(|a, b| {
            (&a.cluster_id, &a.namespace, &a.name).cmp(&(&b.cluster_id, &b.namespace, &b.name))
        });
    }
}

/// A rollout id that stays the same for the same object and revision: `rol-` + 16 hex digits
/// of a hash of the cluster id, namespace, name, uid and pod-template hash (the cluster, so two
/// kubeconfig contexts of one cluster never share ids).
pub fn rollout_id(cluster_id: &str, ro: &Rollout, hash: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        cluster_id,
        ro.metadata.namespace(),
        &ro.metadata.name,
        ro.metadata.uid.as_deref().unwrap_or(""),
        hash,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("rol-{hex}")
}

/// The newest timestamp anywhere in the objects: when the snapshot was taken, as near as the
/// objects can tell.
pub fn newest_timestamp(objs: &Objects) -> Option<Timestamp> {
    let mut all: Vec<Option<Timestamp>> = Vec::new();
    let meta = |m: &Meta| [m.creation_timestamp, m.deletion_timestamp];
    for r in &objs.rollouts {
        all.extend(meta(&r.metadata));
        all.push(r.status.aborted_at);
        all.extend(r.status.pause_conditions.iter().map(|p| p.start_time));
        for c in &r.status.conditions {
            all.extend([c.last_transition_time, c.last_update_time]);
        }
    }
    for rs in &objs.replica_sets {
        all.extend(meta(&rs.metadata));
    }
    for p in &objs.pods {
        all.extend(meta(&p.metadata));
        for c in p
            .status
            .container_statuses
            .iter()
            .chain(&p.status.init_container_statuses)
        {
            for s in [&c.state.running, &c.state.terminated]
                .into_iter()
                .flatten()
            {
                all.extend([s.started_at, s.finished_at]);
            }
        }
    }
    for a in &objs.analysis_runs {
        all.extend(meta(&a.metadata));
        all.push(a.status.started_at);
        for m in a.status.metric_results.iter().flat_map(|r| &r.measurements) {
            all.extend([m.started_at, m.finished_at]);
        }
    }
    for e in &objs.experiments {
        all.extend(meta(&e.metadata));
    }
    for e in &objs.events {
        all.push(e.time);
    }
    all.into_iter().flatten().max()
}

/// One revision of a Rollout as the objects show it.
struct Rev<'a> {
    hash: String,
    revision: u32,
    rs: Option<&'a RsInfo>,
    start: Timestamp,
}

/// Maps every Rollout in `objs`. `now` is the time the console treats as now (a snapshot's
/// newest timestamp).
pub fn build(objs: &Objects, cluster: &ClusterRef, now: Timestamp) -> View {
    let mut view = View {
        newest: newest_timestamp(objs),
        ..View::default()
    };
    let mut all_events: Vec<(String, api::Event)> = Vec::new();
    for ro in &objs.rollouts {
        let mapped = map_rollout(ro, objs, cluster, now);
        let workload = workload(ro, cluster, &mapped);
        if let Some(newest) = mapped.first() {
            view.desired_manifests.insert(
                (
                    ro.metadata.namespace().to_string(),
                    ro.metadata.name.clone(),
                ),
                (
                    newest.manifests.new_version,
                    newest.manifests.new_manifest.clone(),
                ),
            );
        }
        view.workloads.push(workload);
        for m in mapped {
            for e in &m.events {
                all_events.push((m.summary.id.clone(), e.clone()));
            }
            view.summaries.push(m.summary.clone());
            view.rollouts.insert(m.summary.id.clone(), m);
        }
    }
    // Event ids: one numbering over the whole view, oldest first, so ids rise with time.
    all_events.sort_by(|a, b| {
        (a.1.last_timestamp, &a.1.object, &a.1.reason, &a.1.message).cmp(&(
            b.1.last_timestamp,
            &b.1.object,
            &b.1.reason,
            &b.1.message,
        ))
    });
    let mut ids: HashMap<(String, String, String, String, Timestamp), u64> = HashMap::new();
    for (i, (_, e)) in all_events.iter().enumerate() {
        ids.entry(event_key(e)).or_insert(i as u64 + 1);
    }
    for m in view.rollouts.values_mut() {
        for e in &mut m.events {
            e.id = ids.get(&event_key(e)).copied().unwrap_or(0);
        }
    }
    view.sort();
    view.clusters.push(api::Cluster {
        id: cluster.id.clone(),
        name: cluster.name.clone(),
        cloud_provider: "Kubernetes".into(),
        last_heartbeat_time: view.newest,
        heartbeat_stale: false,
        operator: api::OperatorInfo {
            running: true,
            version: "Argo Rollouts".into(),
            heartbeat_interval_seconds: 0,
        },
    });
    view
}

fn event_key(e: &api::Event) -> (String, String, String, String, Timestamp) {
    (
        e.namespace.clone(),
        e.object.clone(),
        e.reason.clone(),
        e.message.clone(),
        e.last_timestamp,
    )
}

fn revisions<'a>(ro: &Rollout, sets: &'a [RsInfo], objs: &Objects, now: Timestamp) -> Vec<Rev<'a>> {
    let mut revs: Vec<Rev<'a>> = sets
        .iter()
        .map(|rs| Rev {
            hash: rs.hash.clone(),
            revision: rs.revision,
            rs: Some(rs),
            start: objs.replica_sets[rs.index]
                .metadata
                .creation_timestamp
                .unwrap_or(now),
        })
        .collect();
    let current = ro.status.current_pod_hash.clone().unwrap_or_default();
    let has_current = revs
        .iter()
        .any(|r| !current.is_empty() && r.hash == current);
    if revs.is_empty() || (!current.is_empty() && !has_current) {
        // No ReplicaSet for the current revision (new, invalid, or captured alone).
        let newest = revs.iter().map(|r| r.revision).max().unwrap_or(0);
        let revision = match ro.metadata.revision() {
            0 => newest + 1,
            r => r.max(newest + 1),
        };
        let start = ro
            .status
            .conditions
            .iter()
            .filter(|c| c.kind == "Progressing" || c.kind == "InvalidSpec")
            .filter_map(|c| c.last_transition_time)
            .min()
            .or(ro.metadata.creation_timestamp)
            .unwrap_or(now);
        revs.insert(
            0,
            Rev {
                hash: current,
                revision,
                rs: None,
                start,
            },
        );
    }
    revs
}

fn is_current(ro: &Rollout, rev: &Rev, index: usize) -> bool {
    match ro.status.current_pod_hash.as_deref() {
        Some(h) if !h.is_empty() => rev.hash == h,
        _ => index == 0,
    }
}

fn map_rollout(ro: &Rollout, objs: &Objects, cluster: &ClusterRef, now: Timestamp) -> Vec<Mapped> {
    let sets = info::replica_sets("Rollout", &ro.metadata, Some(ro), objs);
    let revs = revisions(ro, &sets, objs, now);
    let kubernetes = info::kubernetes_info(ro, objs);
    let stable_hash = ro.status.stable_rs.clone().unwrap_or_default();
    let stable_rev = revs
        .iter()
        .find(|r| r.hash == stable_hash)
        .map(|r| r.revision);
    let ids: Vec<String> = revs
        .iter()
        .map(|r| rollout_id(&cluster.id, ro, &r.hash))
        .collect();
    let mut out: Vec<Mapped> = Vec::new();
    for (k, rev) in revs.iter().enumerate() {
        let current = is_current(ro, rev, k);
        let next_start = k.checked_sub(1).map(|n| revs[n].start);
        let runs = runs_of(ro, &rev.hash, objs);
        let (status, failure_reason) = if current {
            current_status(ro, &runs)
        } else {
            past_status(rev, stable_rev, &runs)
        };
        let end_time = if status.is_completed() || status == api::RolloutStatus::InvalidSpec {
            if current {
                completed_at(ro).or(next_start)
            } else {
                next_start
            }
        } else {
            None
        }
        .filter(|_| status.is_completed())
        // A ReplicaSet re-created after its successor (a rollback) must not end before it began.
        .map(|end| end.max(rev.start));
        let ctx = RevCtx {
            ro,
            objs,
            sets: &sets,
            rev,
            current,
            status,
            now,
            stable_hash: &stable_hash,
            runs: &runs,
        };
        let phases = ctx.phases();
        let background = ctx.verifications_of("Background", "Background");
        let new_version = ctx.version_status(rev.rs, false);
        let stable_version = sets
            .iter()
            .find(|s| s.hash == stable_hash && s.hash != rev.hash)
            .map(|s| ctx.version_status(Some(s), true));
        let image = new_version.version.clone();
        let summary = api::RolloutSummary {
            id: ids[k].clone(),
            status,
            strategy_type: if ro.spec.strategy.blue_green.is_some() {
                api::StrategyType::BlueGreen
            } else {
                api::StrategyType::Canary
            },
            strategy_name: strategy_name(ro),
            rollout_spec: ro.metadata.name.clone(),
            spot_deployment: api::SpotDeploymentRef {
                name: ro.metadata.name.clone(),
                is_live_applied: !rev.hash.is_empty() && rev.hash == stable_hash,
                revision: rev.revision,
            },
            cluster_id: cluster.id.clone(),
            namespace: ro.metadata.namespace().to_string(),
            cloud_provider: "Kubernetes".into(),
            start_time: rev.start,
            end_time,
            image,
            failure_reason: failure_reason.clone(),
        };
        let canceled_by = (status == api::RolloutStatus::Canceled)
            .then(|| k.checked_sub(1).map(|n| ids[n].clone()))
            .flatten();
        let detail = api::RolloutDetail {
            id: summary.id.clone(),
            status,
            strategy_type: summary.strategy_type,
            strategy_name: summary.strategy_name.clone(),
            rollout_spec: summary.rollout_spec.clone(),
            spot_deployment: summary.spot_deployment.clone(),
            original_rollout_id: None,
            new_rollout_id: canceled_by,
            start_time: summary.start_time,
            end_time,
            cluster_id: cluster.id.clone(),
            namespace: summary.namespace.clone(),
            cloud_provider: summary.cloud_provider.clone(),
            failure_policy: "abort".into(),
            has_background_verification: !background_templates(ro).is_empty(),
            failure_reason,
            stable_version_status: stable_version,
            new_version_status: new_version,
            conditions: ctx.conditions(&phases),
            phases,
            background_verifications: background,
            actions: ctx.actions(),
            activity: Vec::new(),
            activity_pruned: 0,
            kubernetes: Some(kubernetes.clone()),
        };
        let previous = revs.get(k + 1);
        out.push(Mapped {
            events: ctx.events(next_start, cluster),
            events_pruned: 0,
            resources: ctx.resources(),
            definition: definition(ro, objs),
            manifests: api::Manifests {
                old_version: previous.map(|p| p.revision),
                new_version: rev.revision,
                old_manifest: previous
                    .map(|p| template_yaml(ro, p.rs, objs))
                    .unwrap_or_default(),
                new_manifest: template_yaml(ro, rev.rs, objs),
            },
            summary,
            detail,
        });
    }
    // The newer revision points back at the one it replaced.
    for k in 0..out.len() {
        if let Some(newer) = out[k].detail.new_rollout_id.clone() {
            let older = out[k].detail.id.clone();
            if let Some(n) = out.iter_mut().find(|m| m.detail.id == newer) {
                n.detail.original_rollout_id = Some(older);
            }
        }
    }
    out
}

fn strategy_name(ro: &Rollout) -> String {
    match info::strategy_word(ro) {
        "" => "none".into(),
        w => w.to_string(),
    }
}

/// When the current revision completed, from the conditions the controller last changed.
fn completed_at(ro: &Rollout) -> Option<Timestamp> {
    if let Some(at) = ro.status.aborted_at {
        return Some(at);
    }
    ro.status
        .conditions
        .iter()
        .filter_map(|c| c.last_transition_time.or(c.last_update_time))
        .max()
}

/// The AnalysisRuns of one revision (by the Rollout's ownership and the pod-template hash
/// label, or the revision annotation), and those of its experiments.
fn runs_of<'a>(ro: &Rollout, hash: &str, objs: &'a Objects) -> Vec<&'a AnalysisRun> {
    let experiments: Vec<&Experiment> = objs
        .experiments
        .iter()
        .filter(|e| e.metadata.owned_by("Rollout", &ro.metadata))
        .filter(|e| !hash.is_empty() && e.metadata.name.contains(hash))
        .collect();
    objs.analysis_runs
        .iter()
        .filter(|a| {
            let mine = a.metadata.owned_by("Rollout", &ro.metadata)
                && a.metadata.pod_template_hash() == Some(hash);
            let of_experiment = experiments
                .iter()
                .any(|e| a.metadata.owned_by("Experiment", &e.metadata));
            mine || of_experiment
        })
        .collect()
}

fn run_type(a: &AnalysisRun) -> &str {
    a.metadata
        .labels
        .get("rollout-type")
        .map(String::as_str)
        .unwrap_or("Step")
}

/// The console status of the Rollout's current revision (table in the README).
fn current_status(
    ro: &Rollout,
    runs: &[&AnalysisRun],
) -> (api::RolloutStatus, Option<api::FailureReason>) {
    use api::RolloutStatus as S;
    let st = &ro.status;
    let (phase, message) = info::rollout_phase(ro);
    if st
        .conditions
        .iter()
        .any(|c| c.kind == "InvalidSpec" && c.status != "False")
    {
        return (S::InvalidSpec, None);
    }
    if st.abort {
        let failed_run = runs
            .iter()
            .find(|a| matches!(a.status.phase.as_str(), "Failed" | "Error"));
        let reason = match failed_run {
            Some(a) => api::FailureReason {
                kind: if run_type(a) == "Background" {
                    api::FailureReasonType::BackgroundVerification
                } else {
                    api::FailureReasonType::PhaseVerification
                },
                message: a.status.message.clone().unwrap_or_else(|| {
                    format!("AnalysisRun {} {}", a.metadata.name, a.status.phase)
                }),
            },
            None => api::FailureReason {
                kind: api::FailureReasonType::ManualRollback,
                message: degraded_message(ro)
                    .unwrap_or_else(|| "Rollout aborted (status.abort)".into()),
            },
        };
        return (S::Aborted, Some(reason));
    }
    if let Some(c) = st
        .conditions
        .iter()
        .find(|c| c.reason == "ProgressDeadlineExceeded")
    {
        return (
            S::Failed,
            Some(api::FailureReason {
                kind: api::FailureReasonType::Kubernetes,
                message: format!("ProgressDeadlineExceeded: {}", c.message),
            }),
        );
    }
    if phase == "Degraded" {
        return (
            S::Failed,
            Some(api::FailureReason {
                kind: api::FailureReasonType::Kubernetes,
                message,
            }),
        );
    }
    if ro.spec.paused {
        return (S::ManualPaused, None);
    }
    if let Some(p) = st.pause_conditions.first() {
        return match p.reason.as_str() {
            "InconclusiveAnalysisRun" | "InconclusiveExperiment" => (S::FailurePolicyPaused, None),
            _ => (S::Paused, None),
        };
    }
    if phase == "Healthy" && info::fully_promoted(ro) {
        return (S::Finished, None);
    }
    if phase == "Paused" {
        return (S::Paused, None);
    }
    let step_analysis_running = runs
        .iter()
        .any(|a| run_type(a) != "Background" && a.status.phase == "Running");
    if step_analysis_running {
        return (S::Verifying, None);
    }
    (S::InProgress, None)
}

/// A revision that is no longer the Rollout's current one.
fn past_status(
    rev: &Rev,
    stable_rev: Option<u32>,
    runs: &[&AnalysisRun],
) -> (api::RolloutStatus, Option<api::FailureReason>) {
    use api::RolloutStatus as S;
    if let Some(a) = runs
        .iter()
        .find(|a| matches!(a.status.phase.as_str(), "Failed" | "Error"))
    {
        let kind = if run_type(a) == "Background" {
            api::FailureReasonType::BackgroundVerification
        } else {
            api::FailureReasonType::PhaseVerification
        };
        let message = a
            .status
            .message
            .clone()
            .unwrap_or_else(|| format!("AnalysisRun {} {}", a.metadata.name, a.status.phase));
        return (S::Aborted, Some(api::FailureReason { kind, message }));
    }
    match stable_rev {
        // Newer than the stable one but replaced before it was promoted.
        Some(stable) if rev.revision > stable => (S::Canceled, None),
        _ => (S::Finished, None),
    }
}

fn degraded_message(ro: &Rollout) -> Option<String> {
    let (phase, message) = info::rollout_phase(ro);
    (phase == "Degraded" && !message.is_empty()).then_some(message)
}

/// "10s", "5m", "1h", "300" (seconds) → seconds.
pub fn duration_seconds(v: &str) -> Option<u64> {
    let v = v.trim();
    if let Ok(n) = v.parse::<u64>() {
        return Some(n);
    }
    let mut total = 0u64;
    let mut num = String::new();
    for ch in v.chars() {
        if ch.is_ascii_digit() {
            num.push(ch);
            continue;
        }
        let n: u64 = num.parse().ok()?;
        num.clear();
        let unit = match ch {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    if !num.is_empty() {
        return None;
    }
    Some(total)
}

fn pause_seconds(p: &Pause) -> Option<u64> {
    match p.duration.as_ref()? {
        IntOrString::Int(i) => u64::try_from(*i).ok(),
        IntOrString::String(s) => duration_seconds(s),
    }
}

fn step_name(step: &CanaryStep) -> String {
    if let Some(w) = step.set_weight {
        return format!("setWeight: {w}");
    }
    if let Some(p) = &step.pause {
        return match &p.duration {
            None => "pause".into(),
            Some(IntOrString::Int(i)) => format!("pause: {i}s"),
            Some(IntOrString::String(s)) => format!("pause: {s}"),
        };
    }
    if let Some(a) = &step.analysis {
        let names: Vec<&str> = a
            .templates
            .iter()
            .map(|t| t.template_name.as_str())
            .collect();
        return format!("analysis: {}", names.join(", "));
    }
    if let Some(e) = &step.experiment {
        let names: Vec<&str> = e.templates.iter().map(|t| t.name.as_str()).collect();
        return format!("experiment: {}", names.join(", "));
    }
    step.other
        .keys()
        .next()
        .cloned()
        .unwrap_or_else(|| "step".into())
}

fn background_templates(ro: &Rollout) -> Vec<&TemplateRef> {
    let s = &ro.spec.strategy;
    let mut out = Vec::new();
    if let Some(a) = s.canary.as_ref().and_then(|c| c.analysis.as_ref()) {
        out.extend(a.templates.iter());
    }
    if let Some(bg) = &s.blue_green {
        for a in [&bg.pre_promotion_analysis, &bg.post_promotion_analysis]
            .into_iter()
            .flatten()
        {
            out.extend(a.templates.iter());
        }
    }
    out
}

struct RevCtx<'a> {
    ro: &'a Rollout,
    objs: &'a Objects,
    sets: &'a [RsInfo],
    rev: &'a Rev<'a>,
    current: bool,
    status: api::RolloutStatus,
    now: Timestamp,
    stable_hash: &'a str,
    runs: &'a [&'a AnalysisRun],
}

impl RevCtx<'_> {
    fn steps(&self) -> &[CanaryStep] {
        info::steps(self.ro)
    }

    fn phase_status(&self, i: usize, current_index: usize) -> api::PhaseStatus {
        use api::PhaseStatus as P;
        use api::RolloutStatus as S;
        if !self.current {
            return match self.status {
                S::Finished => P::Finished,
                _ => P::Dropped,
            };
        }
        if self.status == S::Finished {
            return P::Finished;
        }
        match i.cmp(&current_index) {
            std::cmp::Ordering::Less => P::Finished,
            std::cmp::Ordering::Greater => match self.status {
                S::Aborted => P::Dropped,
                _ => P::Pending,
            },
            std::cmp::Ordering::Equal => match self.status {
                S::Paused | S::ManualPaused | S::FailurePolicyPaused => P::Paused,
                S::Verifying => P::Verifying,
                S::Aborted => P::Aborted,
                S::InvalidSpec => P::Pending,
                _ => P::InProgress,
            },
        }
    }

    fn phases(&self) -> Vec<api::Phase> {
        if let Some(bg) = &self.ro.spec.strategy.blue_green {
            return self.blue_green_phases(bg);
        }
        let steps = self.steps();
        let n = steps.len();
        let current_index = self
            .ro
            .status
            .current_step_index
            .map(|i| i.max(0) as usize)
            .unwrap_or(0)
            .min(n);
        let pause_start = self
            .ro
            .status
            .pause_conditions
            .first()
            .and_then(|p| p.start_time);
        let mut weight = 0u32;
        let mut phases = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            if let Some(w) = step.set_weight {
                weight = w.clamp(0, 100) as u32;
            }
            let status = self.phase_status(i, current_index);
            let is_here = self.current && i == current_index;
            let paused_at = (is_here && status == api::PhaseStatus::Paused)
                .then_some(pause_start)
                .flatten();
            let pause_until = step.pause.as_ref().and_then(pause_seconds).and_then(|s| {
                paused_at.map(|at| at + chrono::Duration::seconds(s.min(i64::MAX as u64) as i64))
            });
            let label = i.to_string();
            let mut verifications: Vec<api::Verification> = Vec::new();
            if step.analysis.is_some() || step.experiment.is_some() {
                verifications = self.verifications_of("Step", &label);
                if step.experiment.is_some() {
                    verifications.extend(self.experiment_verifications(&label));
                }
            }
            let started = verifications
                .iter()
                .flat_map(|v| v.data_points.first().map(|d| d.timestamp))
                .min();
            phases.push(api::Phase {
                index: i as u32,
                name: step_name(step),
                status,
                traffic_percentage: weight,
                start_time: if is_here {
                    paused_at.or(started)
                } else {
                    started
                },
                paused_at,
                pause_until,
                verified_at: None,
                end_time: None,
                pause: step.pause.as_ref().map(|p| api::PauseSpec {
                    duration_seconds: pause_seconds(p),
                }),
                verifications,
                failure: None,
            });
        }
        // After the last step the canary becomes the stable version with all the traffic.
        let last_status = self.phase_status(n, current_index);
        phases.push(api::Phase::new(
            n as u32,
            "promote to stable",
            100,
            last_status,
        ));
        // Where it stopped (aborted, or stuck past its progress deadline) and why.
        if let Some(f) = self.detail_failure() {
            let stopped = match self.status {
                api::RolloutStatus::Aborted => phases
                    .iter_mut()
                    .find(|p| p.status == api::PhaseStatus::Aborted),
                api::RolloutStatus::Failed => phases.get_mut(current_index),
                _ => None,
            };
            if let Some(p) = stopped {
                p.failure = Some(f);
            }
        }
        // The first step began with the revision (its ReplicaSet's creation); later steps
        // record no start of their own unless a pause or an analysis does.
        if let Some(first) = phases
            .first_mut()
            .filter(|p| !matches!(p.status, api::PhaseStatus::Pending))
            .filter(|_| self.rev.rs.is_some())
        {
            first.start_time.get_or_insert(self.rev.start);
        }
        phases
    }

    fn detail_failure(&self) -> Option<String> {
        degraded_message(self.ro).filter(|_| self.current)
    }

    fn blue_green_phases(&self, bg: &BlueGreen) -> Vec<api::Phase> {
        use api::PhaseStatus as P;
        let st = &self.ro.status;
        let active = st.blue_green.active_selector.as_deref() == Some(self.rev.hash.as_str());
        let stable = self.rev.hash == self.stable_hash;
        let (preview_status, promote_status) = if !self.current {
            let p = self.phase_status(0, 0);
            (p, p)
        } else if stable && active {
            (P::Finished, P::Finished)
        } else if active {
            (P::Finished, self.phase_status(1, 1))
        } else {
            (self.phase_status(0, 0), P::Pending)
        };
        let pause_start = st.pause_conditions.first().and_then(|p| p.start_time);
        let preview_paused = preview_status == P::Paused;
        let manual = bg.auto_promotion_enabled == Some(false);
        let phase =
            |index: u32, name: &str, status, traffic, kind: &str, paused: bool| api::Phase {
                start_time: paused.then_some(pause_start).flatten(),
                paused_at: paused.then_some(pause_start).flatten(),
                pause: (index == 0 && manual).then_some(api::PauseSpec {
                    duration_seconds: None,
                }),
                verifications: self.verifications_of(kind, name),
                ..api::Phase::new(index, name, traffic, status)
            };
        vec![
            phase(
                0,
                "preview",
                preview_status,
                0,
                "PrePromotion",
                preview_paused,
            ),
            phase(1, "promote", promote_status, 100, "PostPromotion", false),
        ]
    }

    fn experiment_verifications(&self, step: &str) -> Vec<api::Verification> {
        self.runs
            .iter()
            .filter(|a| {
                a.metadata
                    .owner_references
                    .iter()
                    .any(|o| o.kind == "Experiment")
            })
            .flat_map(|a| verifications(a, step, &a.metadata.name))
            .collect()
    }

    /// The verifications of this revision's AnalysisRuns of one type (`Step` with the step
    /// index, `Background`, `PrePromotion`, `PostPromotion`).
    fn verifications_of(&self, kind: &str, step: &str) -> Vec<api::Verification> {
        self.runs
            .iter()
            .filter(|a| {
                a.metadata
                    .owner_references
                    .iter()
                    .all(|o| o.kind != "Experiment")
                    && run_type(a) == kind
                    && (kind != "Step"
                        || a.metadata.labels.get("step-index").map(String::as_str) == Some(step))
            })
            .flat_map(|a| {
                let templates = match kind {
                    "Background" | "PrePromotion" | "PostPromotion" => {
                        background_templates(self.ro)
                            .iter()
                            .map(|t| t.template_name.clone())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                    _ => step
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| self.steps().get(i))
                        .and_then(|s| s.analysis.as_ref())
                        .map(|a| {
                            a.templates
                                .iter()
                                .map(|t| t.template_name.clone())
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default(),
                };
                let name = if templates.is_empty() {
                    a.metadata.name.clone()
                } else {
                    templates
                };
                let shown_step = if kind == "Background" {
                    "Background"
                } else {
                    step
                };
                verifications(a, shown_step, &name)
            })
            .collect()
    }

    fn pods_of(&self, rs: &RsInfo, stable: bool) -> Vec<api::Pod> {
        let owner = &self.objs.replica_sets[rs.index].metadata;
        let mut pods: Vec<&Pod> = self
            .objs
            .pods
            .iter()
            .filter(|p| p.metadata.owned_by("ReplicaSet", owner))
            .collect();
        pods.sort_by(|a, b| {
            (a.metadata.creation_timestamp, &a.metadata.name)
                .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
        });
        pods.into_iter()
            .map(|p| {
                let (status, readiness, restarts) = info::pod_status(p);
                let ready = readiness
                    .split_once('/')
                    .is_some_and(|(r, t)| r == t && t != "0");
                api::Pod {
                    name: p.metadata.name.clone(),
                    replica_set: rs.name.clone(),
                    version: if stable {
                        api::PodVersion::Stable
                    } else {
                        api::PodVersion::Latest
                    },
                    health: pod_health(&status, ready),
                    status,
                    containers_readiness: readiness,
                    ready,
                    restarts,
                    node: p.spec.node_name.clone().unwrap_or_default(),
                    created_at: p.metadata.creation_timestamp.unwrap_or(self.now),
                }
            })
            .collect()
    }

    fn traffic(&self, stable: bool) -> u32 {
        use api::RolloutStatus as S;
        let ro = self.ro;
        let new = if !self.current {
            0
        } else if ro.spec.strategy.blue_green.is_some() {
            if ro.status.blue_green.active_selector.as_deref() == Some(self.rev.hash.as_str()) {
                100
            } else {
                0
            }
        } else if self.status == S::Finished
            || (!self.rev.hash.is_empty() && self.rev.hash == self.stable_hash)
        {
            100
        } else {
            let sets = self.sets;
            info::actual_weight(ro, sets).clamp(0, 100) as u32
        };
        if stable {
            100 - new
        } else {
            new
        }
    }

    fn service(&self, stable: bool) -> Option<String> {
        let s = &self.ro.spec.strategy;
        if let Some(c) = &s.canary {
            return if stable {
                c.stable_service.clone()
            } else {
                c.canary_service.clone()
            };
        }
        let bg = s.blue_green.as_ref()?;
        let active =
            self.ro.status.blue_green.active_selector.as_deref() == Some(self.rev.hash.as_str());
        if stable || active {
            bg.active_service.clone()
        } else {
            bg.preview_service.clone()
        }
    }

    fn version_status(&self, rs: Option<&RsInfo>, stable: bool) -> api::VersionStatus {
        let images: Vec<String> = match rs {
            Some(rs) => rs.images.clone(),
            None => self.ro.spec.template.spec.images(),
        };
        let pods = rs.map(|r| self.pods_of(r, stable)).unwrap_or_default();
        let failed = pods
            .iter()
            .filter(|p| p.health == api::PodHealth::Failing)
            .count() as u32;
        let (desired, ready, current) = match rs {
            Some(r) => {
                let obj = &self.objs.replica_sets[r.index];
                (
                    obj.spec.replicas.unwrap_or(0),
                    obj.status.ready_replicas,
                    obj.status.replicas,
                )
            }
            None => (0, 0, 0),
        };
        let clamp = |v: i64| v.clamp(0, u32::MAX as i64) as u32;
        api::VersionStatus {
            version: images.join(", "),
            revision: rs.map(|r| r.revision).unwrap_or(self.rev.revision),
            k8s_service: self.service(stable),
            traffic_percentage: self.traffic(stable),
            replicas: api::ReplicaCounts {
                desired: clamp(desired),
                ready: clamp(ready),
                in_progress: clamp(current - ready).saturating_sub(failed),
                failed,
            },
            pods,
        }
    }

    fn conditions(&self, phases: &[api::Phase]) -> api::RolloutConditions {
        use api::RolloutStatus as S;
        let mut c = api::RolloutConditions::default();
        if !self.current {
            return c;
        }
        let st = &self.ro.status;
        if self.status == S::InvalidSpec {
            let msg = st
                .conditions
                .iter()
                .find(|c| c.kind == "InvalidSpec")
                .map(|c| c.message.clone())
                .unwrap_or_default();
            c.invalid_spec = Some(msg);
        }
        // A deadline failure says it in its failure reason; an abort leaves the Rollout
        // Degraded on its stable version.
        if self.status == S::Aborted {
            c.degraded = degraded_message(self.ro);
        }
        if self.status.is_paused() {
            let here = phases.iter().find(|p| p.status == api::PhaseStatus::Paused);
            let reason = st.pause_conditions.first().map(|p| p.reason.as_str());
            let kind = match (self.status, reason) {
                (S::ManualPaused, _) => api::PauseKind::Manual,
                (S::FailurePolicyPaused, _) => api::PauseKind::FailurePolicy,
                _ if here.is_some_and(|p| p.pause_until.is_some()) => api::PauseKind::Window,
                _ => api::PauseKind::Indefinite,
            };
            c.paused = Some(api::PausedCondition {
                kind,
                paused_at: st
                    .pause_conditions
                    .first()
                    .and_then(|p| p.start_time)
                    .unwrap_or(self.now),
                until: here.and_then(|p| p.pause_until),
                phase: here.map(|p| p.name.clone()).unwrap_or_default(),
            });
        }
        c
    }

    /// What `kubectl argo rollouts` would allow on this revision.
    fn actions(&self) -> Vec<api::ActionAvailability> {
        use api::ActionKind as A;
        let completed =
            self.status.is_completed() || self.status == api::RolloutStatus::InvalidSpec;
        api::ActionKind::ALL
            .into_iter()
            .map(|action| {
                let why: Option<&str> = if !self.current {
                    Some("Only the Rollout's current revision can be acted on")
                } else {
                    match action {
                        A::Retry if self.status != api::RolloutStatus::Aborted => {
                            Some("Only an aborted rollout can be retried")
                        }
                        A::Resume if !self.status.is_paused() => Some("The rollout is not paused"),
                        A::Pause if self.status.is_paused() || completed => {
                            Some("Only a running rollout can be paused")
                        }
                        A::Promote | A::PromoteFull | A::Rollback if completed => {
                            Some("The rollout has completed")
                        }
                        _ => None,
                    }
                };
                api::ActionAvailability {
                    action,
                    enabled: why.is_none(),
                    reason: why.map(str::to_string),
                }
            })
            .collect()
    }

    fn resources(&self) -> api::Resources {
        let rs_api = |r: &RsInfo, stable: bool| {
            let obj = &self.objs.replica_sets[r.index];
            api::ReplicaSet {
                name: r.name.clone(),
                version: if stable {
                    api::PodVersion::Stable
                } else {
                    api::PodVersion::Latest
                },
                revision: r.revision,
                image: r.images.join(", "),
                desired: obj.spec.replicas.unwrap_or(0).clamp(0, u32::MAX as i64) as u32,
                ready: obj.status.ready_replicas.clamp(0, u32::MAX as i64) as u32,
            }
        };
        let stable = self
            .sets
            .iter()
            .find(|s| s.hash == self.stable_hash && s.hash != self.rev.hash);
        let mut pods = self
            .rev
            .rs
            .map(|r| self.pods_of(r, self.rev.hash == self.stable_hash))
            .unwrap_or_default();
        if let Some(s) = stable {
            pods.extend(self.pods_of(s, true));
        }
        api::Resources {
            pods,
            replica_sets: api::ReplicaSets {
                stable: stable.map(|s| rs_api(s, true)),
                latest: self.rev.rs.map(|r| rs_api(r, r.hash == self.stable_hash)),
            },
            services: self.services(),
        }
    }

    fn services(&self) -> Vec<api::Service> {
        let s = &self.ro.spec.strategy;
        let mut wanted: Vec<(Option<String>, &str, u32)> = Vec::new();
        if let Some(c) = &s.canary {
            wanted.push((c.stable_service.clone(), "stable", self.traffic(true)));
            wanted.push((c.canary_service.clone(), "canary", self.traffic(false)));
            if let Some(pp) = &c.ping_pong {
                wanted.push((Some(pp.ping_service.clone()), "ping", 0));
                wanted.push((Some(pp.pong_service.clone()), "pong", 0));
            }
        }
        if let Some(bg) = &s.blue_green {
            wanted.push((bg.active_service.clone(), "active", 100));
            wanted.push((bg.preview_service.clone(), "preview", 0));
        }
        let ns = self.ro.metadata.namespace();
        wanted
            .into_iter()
            .filter_map(|(name, role, weight)| {
                let name = name.filter(|n| !n.is_empty())?;
                let svc = self
                    .objs
                    .services
                    .iter()
                    .find(|s| s.metadata.name == name && s.metadata.namespace() == ns);
                Some(api::Service {
                    name: name.clone(),
                    namespace: ns.to_string(),
                    role: Some(role.to_string()),
                    selector: svc
                        .map(|s| s.spec.selector.clone().into_iter().collect())
                        .unwrap_or_default(),
                    ports: svc
                        .map(|s| {
                            s.spec
                                .ports
                                .iter()
                                .filter_map(|p| u16::try_from(p.port).ok())
                                .collect()
                        })
                        .unwrap_or_default(),
                    weight,
                })
            })
            .collect()
    }

    /// Events of the Rollout while this revision was the newest, and of this revision's
    /// ReplicaSet, pods, AnalysisRuns and experiments. Newest first.
    fn events(&self, until: Option<Timestamp>, cluster: &ClusterRef) -> Vec<api::Event> {
        let ro = self.ro;
        let ns = ro.metadata.namespace();
        let mut names: Vec<(&str, String, Option<String>)> = Vec::new();
        if let Some(rs) = self.rev.rs {
            let obj = &self.objs.replica_sets[rs.index];
            names.push(("ReplicaSet", rs.name.clone(), obj.metadata.uid.clone()));
            for p in self
                .objs
                .pods
                .iter()
                .filter(|p| p.metadata.owned_by("ReplicaSet", &obj.metadata))
            {
                names.push(("Pod", p.metadata.name.clone(), p.metadata.uid.clone()));
            }
        }
        for a in self.runs {
            names.push((
                "AnalysisRun",
                a.metadata.name.clone(),
                a.metadata.uid.clone(),
            ));
        }
        let mut out: Vec<api::Event> = self
            .objs
            .events
            .iter()
            .filter(|e| e.namespace == ns)
            .filter(|e| {
                let rollout_event = e.object_kind == "Rollout"
                    && e.object_name == ro.metadata.name
                    && match (&e.object_uid, &ro.metadata.uid) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    }
                    && e.time
                        .is_some_and(|t| t >= self.rev.start && until.is_none_or(|u| t < u));
                rollout_event
                    || names.iter().any(|(kind, name, uid)| {
                        e.object_kind == *kind
                            && e.object_name == *name
                            && match (&e.object_uid, uid) {
                                (Some(a), Some(b)) => a == b,
                                _ => true,
                            }
                    })
            })
            .map(|e| api::Event {
                id: 0,
                rollout_id: Some(rollout_id(&cluster.id, ro, &self.rev.hash)),
                cluster_id: cluster.id.clone(),
                namespace: e.namespace.clone(),
                last_timestamp: e.time.unwrap_or(self.now),
                kind: if e.kind == "Warning" {
                    api::EventType::Warning
                } else {
                    api::EventType::Normal
                },
                reason: e.reason.clone(),
                object: format!("{}/{}", e.object_kind, e.object_name),
                message: e.message.clone(),
                actor: None,
                action_reason: None,
            })
            .collect();
        out.sort_by_key(|e| std::cmp::Reverse(e.last_timestamp));
        out
    }
}

fn pod_health(status: &str, ready: bool) -> api::PodHealth {
    let failing = status.starts_with("Err")
        || status.ends_with("Error")
        || status.starts_with("ExitCode:")
        || status.starts_with("Signal:")
        || status.starts_with("Init:ExitCode")
        || status.starts_with("Init:Signal")
        || status.starts_with("Init:Err")
        || status.starts_with("Init:CrashLoopBackOff")
        || status.starts_with("Init:ImagePullBackOff")
        || matches!(
            status,
            "CrashLoopBackOff"
                | "ImagePullBackOff"
                | "InvalidImageName"
                | "Failed"
                | "RegistryUnavailable"
                | "OOMKilled"
                | "Unknown"
                | "Evicted"
        );
    if status == "Terminating" {
        api::PodHealth::Terminating
    } else if failing {
        api::PodHealth::Failing
    } else if ready && status == "Running" {
        api::PodHealth::Ready
    } else {
        api::PodHealth::Starting
    }
}

/// One console verification per metric of an AnalysisRun.
fn verifications(a: &AnalysisRun, step: &str, template: &str) -> Vec<api::Verification> {
    a.spec
        .metrics
        .iter()
        .map(|m| {
            let result = a.status.metric_results.iter().find(|r| r.name == m.name);
            let (provider, query) = provider_of(m);
            let status = match result.map(|r| r.phase.as_str()) {
                None | Some("Pending") | Some("") => api::VerificationStatus::Pending,
                Some("Running") => api::VerificationStatus::Running,
                Some("Successful") => api::VerificationStatus::Successful,
                Some("Error") => api::VerificationStatus::Error,
                Some(_) => api::VerificationStatus::Failed,
            };
            let data_points = result
                .map(|r| {
                    r.measurements
                        .iter()
                        .filter_map(|x| {
                            let status = match x.phase.as_str() {
                                "Successful" => api::DataPointStatus::Successful,
                                "Failed" => api::DataPointStatus::Failed,
                                "Inconclusive" => api::DataPointStatus::Inconclusive,
                                "Error" => api::DataPointStatus::Error,
                                _ => return None,
                            };
                            let raw = x.value.clone().unwrap_or_default();
                            let value = parse_value(&raw);
                            let message = match (&x.message, value) {
                                (Some(m), _) if !m.is_empty() => Some(m.clone()),
                                (_, None) if !raw.is_empty() => Some(format!("value: {raw}")),
                                _ => None,
                            };
                            Some(api::DataPoint {
                                timestamp: x.finished_at.or(x.started_at)?,
                                value,
                                status,
                                message,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let int = |v: &Option<IntOrString>| {
                v.as_ref()
                    .and_then(IntOrString::as_int)
                    .unwrap_or(0)
                    .clamp(0, u32::MAX as i64) as u32
            };
            api::Verification {
                template_name: template.to_string(),
                metric_name: m.name.clone(),
                query,
                conditions: api::Conditions {
                    success: m.success_condition.clone().filter(|s| !s.is_empty()),
                    failure: m.failure_condition.clone().filter(|s| !s.is_empty()),
                },
                provider,
                step: step.to_string(),
                status,
                interval_seconds: m
                    .interval
                    .as_deref()
                    .and_then(duration_seconds)
                    .unwrap_or(0),
                count: int(&m.count),
                failure_limit: int(&m.failure_limit),
                data_points,
            }
        })
        .collect()
}

/// A measurement's value as a number: plain numbers, or the first number of a `[0.99]` vector.
fn parse_value(raw: &str) -> Option<f64> {
    let t = raw.trim().trim_start_matches('[').trim_end_matches(']');
    let first = t.split(',').next()?.trim();
    first.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The provider's name (with its address when it has one) and the query it runs.
fn provider_of(m: &Metric) -> (String, String) {
    let Some((name, block)) = m.provider.iter().next() else {
        return ("unknown".into(), String::new());
    };
    let get = |k: &str| block.get(k).and_then(Value::as_str).map(str::to_string);
    let address = get("address").or_else(|| get("url").filter(|_| name != "web"));
    let query = get("query")
        .or_else(|| get("url"))
        .or_else(|| {
            block
                .get("metricDataQueries")
                .map(|q| serde_json::to_string(q).unwrap_or_default())
        })
        .unwrap_or_else(|| serde_json::to_string(block).unwrap_or_default());
    let provider = match address {
        Some(a) => format!("{name} ({a})"),
        None => name.clone(),
    };
    (provider, query)
}

fn to_yaml(v: &Value) -> String {
    serde_norway::to_string(v).unwrap_or_default()
}

/// A pod template as YAML for the CRD diff, without what the controller adds to every revision
/// (the pod-template-hash label, `creationTimestamp: null`).
fn template_yaml(ro: &Rollout, rs: Option<&RsInfo>, objs: &Objects) -> String {
    let mut t = match rs {
        Some(r) => objs.replica_sets[r.index].raw_template.clone(),
        None => ro.raw_spec.get("template").cloned().unwrap_or(Value::Null),
    };
    if let Some(meta) = t.get_mut("metadata").and_then(Value::as_object_mut) {
        if meta.get("creationTimestamp").is_some_and(Value::is_null) {
            meta.remove("creationTimestamp");
        }
        if let Some(labels) = meta.get_mut("labels").and_then(Value::as_object_mut) {
            labels.remove("rollouts-pod-template-hash");
        }
    }
    if t.is_null() {
        return String::new();
    }
    to_yaml(&serde_json::json!({ "template": t }))
}

/// The drawer: the strategy, the Rollout's spec (without the pod template: the diff shows it)
/// and the analysis templates the strategy names.
fn definition(ro: &Rollout, objs: &Objects) -> api::Definition {
    let strategy = ro.raw_spec.get("strategy").cloned().unwrap_or(Value::Null);
    let mut spec = ro.raw_spec.clone();
    if let Some(m) = spec.as_object_mut() {
        m.remove("template");
    }
    let find = |t: &TemplateRef| -> api::NamedYaml {
        let found = objs.analysis_templates.iter().find(|a| {
            a.metadata.name == t.template_name
                && a.cluster_scoped == t.cluster_scope
                && (a.cluster_scoped || a.metadata.namespace() == ro.metadata.namespace())
        });
        let kind = if t.cluster_scope {
            "ClusterAnalysisTemplate"
        } else {
            "AnalysisTemplate"
        };
        api::NamedYaml {
            name: t.template_name.clone(),
            yaml: match found {
                Some(a) => to_yaml(&a.raw),
                None => format!(
                    "# {kind} `{}` is not in the snapshot.\n# Capture it with: kubectl get {} {} -o yaml\n",
                    t.template_name,
                    kind.to_ascii_lowercase(),
                    t.template_name
                ),
            },
        }
    };
    let mut phase_refs: Vec<TemplateRef> = Vec::new();
    for s in info::steps(ro) {
        if let Some(a) = &s.analysis {
            phase_refs.extend(a.templates.iter().cloned());
        }
        if let Some(e) = &s.experiment {
            phase_refs.extend(e.analyses.iter().map(|a| TemplateRef {
                template_name: a.template_name.clone(),
                cluster_scope: a.cluster_scope,
            }));
        }
    }
    let mut seen = std::collections::HashSet::new();
    phase_refs.retain(|t| seen.insert((t.template_name.clone(), t.cluster_scope)));
    api::Definition {
        strategy: to_yaml(&serde_json::json!({ "strategy": strategy })),
        rollout_spec: to_yaml(&serde_json::json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Rollout",
            "metadata": { "name": ro.metadata.name, "namespace": ro.metadata.namespace() },
            "spec": spec,
        })),
        phase_verifications: phase_refs.iter().map(find).collect(),
        background_verifications: background_templates(ro).into_iter().map(find).collect(),
    }
}

fn clamp_count(v: i64) -> u32 {
    v.clamp(0, u32::MAX as i64) as u32
}

fn workload(ro: &Rollout, cluster: &ClusterRef, mapped: &[Mapped]) -> api::Workload {
    let desired = mapped
        .first()
        .map(|m| m.summary.spot_deployment.revision)
        .unwrap_or(0);
    let live = mapped
        .iter()
        .find(|m| m.summary.spot_deployment.is_live_applied)
        .map(|m| m.summary.spot_deployment.revision)
        .unwrap_or(desired);
    let degraded = ro.status.abort;
    api::Workload {
        cluster_id: cluster.id.clone(),
        namespace: ro.metadata.namespace().to_string(),
        name: ro.metadata.name.clone(),
        kind: "Rollout".into(),
        container: ro
            .spec
            .template
            .spec
            .containers
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        replicas: api::ReplicaCounts {
            desired: clamp_count(info::desired_replicas(ro)),
            ready: clamp_count(ro.status.ready_replicas),
            in_progress: clamp_count(ro.status.replicas - ro.status.ready_replicas),
            failed: 0,
        },
        desired_revision: desired,
        live_revision: live,
        degraded,
        revisions: mapped
            .iter()
            .map(|m| {
                let r = m.summary.spot_deployment.revision;
                let mut labels = Vec::new();
                if r == desired {
                    labels.push(api::WorkloadLabel::Desired);
                }
                if r == live {
                    labels.push(api::WorkloadLabel::Live);
                }
                if degraded && r == desired {
                    labels.push(api::WorkloadLabel::Degraded);
                }
                api::Revision {
                    revision: r,
                    image: m.summary.image.clone(),
                    applied_at: m.summary.start_time,
                    rollout_id: Some(m.summary.id.clone()),
                    status: Some(m.summary.status),
                    labels,
                }
            })
            .collect(),
    }
}
