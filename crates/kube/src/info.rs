//! The figures `kubectl argo rollouts get rollout` prints, computed the way the plugin computes
//! them (its `info` package and the rollout utilities it calls): status word and message,
//! Step i/n, SetWeight, ActualWeight, images with their roles, replica counts, and each
//! ReplicaSet's and pod's status word.

use crate::objects::*;
use rollout_api as api;

/// The Rollout's status word and message (`GetRolloutPhase`).
pub fn rollout_phase(ro: &Rollout) -> (String, String) {
    let progressing = |m: &str| ("Progressing".to_string(), m.to_string());
    if !generation_observed(ro) {
        return progressing("waiting for rollout spec update to be observed");
    }
    if ro.status.controller_pause && ro.status.pause_conditions.is_empty() {
        return progressing("waiting for rollout to unpause");
    }
    if let Some(phase) = ro.status.phase.as_deref().filter(|p| !p.is_empty()) {
        // Argo Rollouts 1.0+ computes phase and message in the controller.
        return (
            phase.to_string(),
            ro.status.message.clone().unwrap_or_default(),
        );
    }
    calculate_phase(ro)
}

/// `status.observedGeneration` (a string in Argo Rollouts) against `metadata.generation`.
fn generation_observed(ro: &Rollout) -> bool {
    let Some(observed) = ro
        .status
        .observed_generation
        .as_ref()
        .and_then(|g| g.as_int())
    else {
        return true;
    };
    let generation = ro.metadata.generation.unwrap_or(0);
    observed >= generation
}

/// Replicas the Rollout asks for (1 when unset, as Kubernetes defaults it).
pub fn desired_replicas(ro: &Rollout) -> i64 {
    ro.spec.replicas.unwrap_or(1)
}

pub fn fully_promoted(ro: &Rollout) -> bool {
    ro.status.stable_rs == ro.status.current_pod_hash
}

/// The client-side phase of Rollouts written by controllers before 1.0
/// (`CalculateRolloutPhase`).
fn calculate_phase(ro: &Rollout) -> (String, String) {
    let st = &ro.status;
    for c in &st.conditions {
        if c.kind == "InvalidSpec" {
            return ("Degraded".into(), format!("InvalidSpec: {}", c.message));
        }
        if c.reason == "RolloutAborted" || c.reason == "ProgressDeadlineExceeded" {
            return ("Degraded".into(), format!("{}: {}", c.reason, c.message));
        }
    }
    let progressing = |m: &str| ("Progressing".to_string(), m.to_string());
    if ro.spec.paused {
        return ("Paused".into(), "manually paused".into());
    }
    if let Some(p) = st.pause_conditions.first() {
        return ("Paused".into(), p.reason.clone());
    }
    if let Some(at) = ro.spec.restart_at {
        if st.restarted_at != Some(at) {
            return progressing("rollout is restarting");
        }
    }
    if st.updated_replicas < desired_replicas(ro) {
        return progressing("more replicas need to be updated");
    }
    if st.available_replicas < st.updated_replicas {
        return progressing("updated replicas are still becoming available");
    }
    if let Some(bg) = &ro.spec.strategy.blue_green {
        let active = st.blue_green.active_selector.as_deref().unwrap_or("");
        if active.is_empty() || Some(active) != st.current_pod_hash.as_deref() {
            return progressing("active service cutover pending");
        }
        if st.stable_rs.as_deref().unwrap_or("").is_empty() || !fully_promoted(ro) {
            let analysis_done = st
                .blue_green
                .post_promotion_analysis_run_status
                .as_ref()
                .is_some_and(|r| analysis_completed(&r.status));
            if bg.post_promotion_analysis.is_some() && !analysis_done {
                return progressing("waiting for analysis to complete");
            }
            return progressing("waiting for post-promotion verification to complete");
        }
    } else if let Some(canary) = &ro.spec.strategy.canary {
        if canary.traffic_routing.is_none() && st.replicas > st.updated_replicas {
            return progressing("old replicas are pending termination");
        }
        if st.stable_rs.as_deref().unwrap_or("").is_empty() || !fully_promoted(ro) {
            return progressing("waiting for all steps to complete");
        }
    }
    ("Healthy".into(), String::new())
}

fn analysis_completed(phase: &str) -> bool {
    matches!(phase, "Successful" | "Failed" | "Error" | "Inconclusive")
}

pub fn strategy_word(ro: &Rollout) -> &'static str {
    if ro.spec.strategy.canary.is_some() {
        "Canary"
    } else if ro.spec.strategy.blue_green.is_some() {
        "BlueGreen"
    } else {
        ""
    }
}

/// The canary steps (none for blue-green).
pub fn steps(ro: &Rollout) -> &[CanaryStep] {
    ro.spec
        .strategy
        .canary
        .as_ref()
        .map(|c| c.steps.as_slice())
        .unwrap_or(&[])
}

/// "Step i/n": only when the controller recorded a step index and there are steps.
pub fn step(ro: &Rollout) -> Option<api::StepPosition> {
    let index = ro.status.current_step_index?;
    let count = steps(ro).len();
    (ro.spec.strategy.canary.is_some() && count > 0).then(|| api::StepPosition {
        index: index.max(0) as u32,
        count: count as u32,
    })
}

/// The current canary step and its index (`GetCurrentCanaryStep`); None past the last step.
pub fn current_step(ro: &Rollout) -> (Option<&CanaryStep>, Option<usize>) {
    let steps = steps(ro);
    if ro.spec.strategy.canary.is_none() || steps.is_empty() {
        return (None, None);
    }
    let i = ro.status.current_step_index.unwrap_or(0).max(0) as usize;
    (steps.get(i), Some(i))
}

pub fn max_traffic_weight(ro: &Rollout) -> i64 {
    ro.spec
        .strategy
        .canary
        .as_ref()
        .and_then(|c| c.traffic_routing.as_ref())
        .and_then(|t| t.max_traffic_weight)
        .unwrap_or(100)
}

/// The weight the current step asks for (`GetCurrentSetWeight`): 0 once aborted.
pub fn set_weight(ro: &Rollout) -> i64 {
    if ro.status.abort {
        return 0;
    }
    match current_step(ro) {
        (None, _) | (_, None) => max_traffic_weight(ro),
        (Some(_), Some(i)) => steps(ro)[..=i]
            .iter()
            .rev()
            .find_map(|s| s.set_weight)
            .unwrap_or(0),
    }
}

/// The weight traffic actually has, as the plugin derives it.
pub fn actual_weight(ro: &Rollout, sets: &[RsInfo]) -> i64 {
    let Some(canary) = &ro.spec.strategy.canary else {
        return 0;
    };
    if current_step(ro).0.is_none() {
        return max_traffic_weight(ro);
    }
    if ro.status.available_replicas <= 0 {
        return 0;
    }
    if canary.traffic_routing.is_none() {
        let mut w = 0;
        for rs in sets.iter().filter(|r| r.canary) {
            w = rs.available * max_traffic_weight(ro) / ro.status.available_replicas;
        }
        return w;
    }
    match &ro.status.canary.weights {
        Some(weights) => weights.canary.weight,
        None => set_weight(ro),
    }
}

/// One ReplicaSet as the plugin sees it.
#[derive(Debug, Clone)]
pub struct RsInfo {
    /// Index into `Objects::replica_sets`.
    pub index: usize,
    pub name: String,
    pub revision: u32,
    pub hash: String,
    pub status: String,
    /// `status.replicas`.
    pub replicas: i64,
    pub available: i64,
    pub stable: bool,
    pub canary: bool,
    pub active: bool,
    pub preview: bool,
    pub ping: bool,
    pub pong: bool,
    /// The experiment template that made it (`experiment.argoproj.io/template-name`).
    pub template: Option<String>,
    pub images: Vec<String>,
}

/// The ReplicaSets `owner` owns, newest revision first, with their roles when `ro` is the
/// Rollout (`GetReplicaSetInfo`).
pub fn replica_sets(
    owner_kind: &str,
    owner: &Meta,
    ro: Option<&Rollout>,
    objs: &Objects,
) -> Vec<RsInfo> {
    let mut out: Vec<RsInfo> = Vec::new();
    for (index, rs) in objs.replica_sets.iter().enumerate() {
        if !rs.metadata.owned_by(owner_kind, owner) || rs.metadata.namespace() != owner.namespace()
        {
            continue;
        }
        let hash = rs.metadata.pod_template_hash().unwrap_or("").to_string();
        let mut info = RsInfo {
            index,
            name: rs.metadata.name.clone(),
            revision: rs.metadata.revision(),
            hash: hash.clone(),
            status: replica_set_health(rs),
            replicas: rs.status.replicas,
            available: rs.status.available_replicas,
            stable: false,
            canary: false,
            active: false,
            preview: false,
            ping: false,
            pong: false,
            template: rs
                .metadata
                .annotations
                .get("experiment.argoproj.io/template-name")
                .filter(|t| !t.is_empty())
                .cloned(),
            images: rs.spec.template.spec.images(),
        };
        if let Some(ro) = ro {
            let st = &ro.status;
            let is = |v: &Option<String>| v.as_deref() == Some(hash.as_str());
            if let Some(canary) = &ro.spec.strategy.canary {
                let ping_pong = canary.ping_pong.is_some();
                let stable_is_ping = st.canary.stable_ping_pong.as_deref() == Some("ping");
                if is(&st.stable_rs) {
                    info.stable = true;
                    if ping_pong {
                        info.ping = stable_is_ping;
                        info.pong = !stable_is_ping;
                    }
                } else if is(&st.current_pod_hash) {
                    info.canary = true;
                    if ping_pong {
                        info.ping = !stable_is_ping;
                        info.pong = stable_is_ping;
                    }
                }
            }
            if ro.spec.strategy.blue_green.is_some() {
                if is(&st.stable_rs) {
                    info.stable = true;
                }
                if is(&st.blue_green.active_selector) {
                    info.active = true;
                } else if is(&st.blue_green.preview_selector) {
                    info.preview = true;
                }
            }
        }
        out.push(info);
    }
    out.sort_by(|a, b| b.revision.cmp(&a.revision).then(a.name.cmp(&b.name)));
    out
}

/// `getReplicaSetHealth`.
fn replica_set_health(rs: &ReplicaSet) -> String {
    let generation = rs.metadata.generation.unwrap_or(0);
    let observed = rs.status.observed_generation.unwrap_or(0);
    if generation <= observed {
        let failed = rs
            .status
            .conditions
            .iter()
            .any(|c| c.kind == "ReplicaFailure" && c.status == "True");
        if failed {
            return "ReplicaFailure".into();
        }
        if rs
            .spec
            .replicas
            .is_some_and(|r| rs.status.available_replicas < r)
        {
            return "Progressing".into();
        }
    } else {
        return "Progressing".into();
    }
    if rs.spec.replicas == Some(0) {
        return "ScaledDown".into();
    }
    "Healthy".into()
}

/// Adds `image` with `roles` to `images` the way the plugin merges them: a new image keeps its
/// roles in order; an image seen again gets the sorted union. Images stay sorted.
fn merge_image(images: &mut Vec<api::ImageRoles>, image: &str, roles: Vec<String>) {
    match images.iter_mut().find(|i| i.image == image) {
        Some(existing) => {
            let mut all = existing.roles.clone();
            for r in roles {
                if !all.contains(&r) {
                    all.push(r);
                }
            }
            all.sort();
            existing.roles = all;
        }
        None => images.push(api::ImageRoles {
            image: image.to_string(),
            roles,
        }),
    }
    images.sort_by(|a, b| a.image.cmp(&b.image));
}

/// Images running now with their roles (`Images`): ReplicaSets with replicas, then the
/// Rollout's experiments' ReplicaSets as `Σ:<template>`.
pub fn images(ro: &Rollout, sets: &[RsInfo], objs: &Objects) -> Vec<api::ImageRoles> {
    let mut images = Vec::new();
    for rs in sets.iter().filter(|r| r.replicas > 0) {
        let mut roles = Vec::new();
        for (on, name) in [
            (rs.canary, "canary"),
            (rs.stable, "stable"),
            (rs.active, "active"),
            (rs.preview, "preview"),
            (rs.ping, "ping"),
            (rs.pong, "pong"),
        ] {
            if on {
                roles.push(name.to_string());
            }
        }
        for image in &rs.images {
            merge_image(&mut images, image, roles.clone());
        }
    }
    for exp in objs
        .experiments
        .iter()
        .filter(|e| e.metadata.owned_by("Rollout", &ro.metadata))
    {
        let mut exp_images = Vec::new();
        for rs in replica_sets("Experiment", &exp.metadata, None, objs)
            .iter()
            .filter(|r| r.replicas > 0)
        {
            let roles: Vec<String> = rs.template.iter().map(|t| format!("Σ:{t}")).collect();
            for image in &rs.images {
                merge_image(&mut exp_images, image, roles.clone());
            }
        }
        for i in exp_images {
            merge_image(&mut images, &i.image, i.roles);
        }
    }
    images
}

fn count(v: i64) -> u32 {
    v.clamp(0, u32::MAX as i64) as u32
}

/// The block of `kubectl argo rollouts get rollout` above the tree.
pub fn kubernetes_info(ro: &Rollout, objs: &Objects) -> api::KubernetesInfo {
    let sets = replica_sets("Rollout", &ro.metadata, Some(ro), objs);
    let (phase, message) = rollout_phase(ro);
    let canary = ro.spec.strategy.canary.is_some();
    api::KubernetesInfo {
        kind: "Rollout".into(),
        name: ro.metadata.name.clone(),
        namespace: ro.metadata.namespace().to_string(),
        phase,
        message: Some(message).filter(|m| !m.is_empty()),
        strategy: strategy_word(ro).to_string(),
        step: step(ro),
        set_weight: canary.then(|| count(set_weight(ro))),
        actual_weight: canary.then(|| count(actual_weight(ro, &sets))),
        images: images(ro, &sets, objs),
        replicas: api::KubernetesReplicas {
            desired: count(desired_replicas(ro)),
            current: count(ro.status.replicas),
            updated: count(ro.status.updated_replicas),
            ready: count(ro.status.ready_replicas),
            available: count(ro.status.available_replicas),
        },
    }
}

/// A pod's status word, "ready/total" and restarts, as `kubectl get pods` and the plugin show
/// them (`newPodInfo`).
pub fn pod_status(pod: &Pod) -> (String, String, u32) {
    let mut restarts: i64 = 0;
    let mut reason = pod
        .status
        .reason
        .clone()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| pod.status.phase.clone());
    let sidecar = |name: &str| {
        pod.spec
            .init_containers
            .iter()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let mut initializing = false;
    let init_total = pod.spec.init_containers.len();
    for (i, c) in pod.status.init_container_statuses.iter().enumerate() {
        restarts += c.restart_count;
        if let Some(t) = &c.state.terminated {
            if t.exit_code == 0 {
                continue;
            }
            reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None if t.signal != 0 => format!("Init:Signal:{}", t.signal),
                None => format!("Init:ExitCode:{}", t.exit_code),
            };
            initializing = true;
        } else if sidecar(&c.name) && c.started == Some(true) {
            if c.ready {
                continue;
            }
        } else if let Some(r) = c
            .state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
            initializing = true;
        } else {
            reason = format!("Init:{i}/{init_total}");
            initializing = true;
        }
        break;
    }
    let mut ready = 0;
    if !initializing {
        restarts = 0;
        let mut has_running = false;
        for c in pod.status.container_statuses.iter().rev() {
            restarts += c.restart_count;
            let waiting = c.state.waiting.as_ref().and_then(|w| w.reason.clone());
            if let Some(r) = waiting.filter(|r| !r.is_empty()) {
                reason = r;
            } else if let Some(t) = &c.state.terminated {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None if t.signal != 0 => format!("Signal:{}", t.signal),
                    None => format!("ExitCode:{}", t.exit_code),
                };
            } else if c.ready && c.state.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = "Running".into();
        }
    }
    if pod.metadata.deletion_timestamp.is_some() {
        reason = if pod.status.reason.as_deref() == Some("NodeLost") {
            "Unknown".into()
        } else {
            "Terminating".into()
        };
    }
    (
        reason,
        format!("{ready}/{}", pod.spec.containers.len()),
        count(restarts),
    )
}
