//! The state machine: starting rollouts (resolving their definition), phases (weight → ready →
//! verify → pause → promoted), failure policies, Kubernetes failures against the progress
//! deadline, rollback, cancel, finish; operators and heartbeats; the one-second tick.

use crate::cluster::{self, ClusterBackend, ReplicaSetSpec};
use crate::entities::{needs_provider_entity, Kind};
use crate::model::*;
use crate::validate::{self, Parsed, SpotDeploymentInfo};
use crate::{api, ids, Engine, HEARTBEAT_INTERVAL_SECONDS, HEARTBEAT_STALE_SECONDS};

use api::{EventType, FailureReason, FailureReasonType, PhaseStatus, RolloutStatus, Timestamp};
use chrono::Duration;

/// What a rollout runs, looked up from the applied entities.
/// Why a rollout's definition does not resolve, with the parts found before the gap
/// (name and YAML of the RolloutSpec and of the Strategy).
#[derive(Default)]
pub(crate) struct Unresolved {
    message: String,
    rollout_spec: Option<(String, String)>,
    strategy: Option<(String, String)>,
}

pub(crate) struct Resolved {
    strategy_type: api::StrategyType,
    strategy_name: String,
    rollout_spec: String,
    failure_policy: String,
    stable_service: Option<String>,
    canary_service: Option<String>,
    strategy_yaml: String,
    rollout_spec_yaml: String,
    phase_templates: Vec<api::NamedYaml>,
    background_templates: Vec<api::NamedYaml>,
    phases: Vec<PhaseRecord>,
    background: Vec<VerificationRecord>,
}

impl Engine {
    // ------------------------------------------------------------------ time

    pub(crate) fn run_until(&mut self, target: Timestamp) {
        while self.now < target {
            if self.is_idle() {
                self.now = target;
                self.heartbeats();
                break;
            }
            self.injected_outside_fault();
            let next = (self.now + Duration::seconds(1)).min(target);
            self.now = next;
            self.tick();
        }
    }

    /// Nothing moves by itself: no rollout in flight and every pod steady.
    fn is_idle(&self) -> bool {
        self.sim.next_wake().is_none()
            && !self.workloads.iter().any(|w| {
                w.active_rollout
                    .as_ref()
                    .and_then(|id| self.find(id))
                    .is_some_and(|r| needs_ticks(r.status) && !dormant(r))
            })
    }

    fn tick(&mut self) {
        self.heartbeats();
        let mut events = Vec::new();
        let mut ctx = cluster::Ctx {
            now: self.now,
            rng: &mut self.rng,
            events: &mut events,
        };
        self.sim.tick(&mut ctx);
        self.absorb(events);
        let active: Vec<usize> = self
            .workloads
            .iter()
            .filter_map(|w| w.active_rollout.as_ref())
            .filter_map(|id| self.rollout_index.get(id).copied())
            .collect();
        for ri in active {
            self.tick_rollout_supervised(ri);
        }
    }

    /// Heartbeats of running operators (every 30 s), staleness of the others.
    fn heartbeats(&mut self) {
        let now = self.now;
        let mut changed = Vec::new();
        for c in &mut self.clusters {
            if c.operator_running {
                let last = c.last_heartbeat.unwrap_or(now);
                let gap = (now - last).num_seconds();
                if gap >= HEARTBEAT_INTERVAL_SECONDS || c.last_heartbeat.is_none() {
                    let beats = gap / HEARTBEAT_INTERVAL_SECONDS;
                    c.last_heartbeat =
                        Some(last + Duration::seconds(beats * HEARTBEAT_INTERVAL_SECONDS));
                    self.touched.clusters.insert(c.id.clone());
                }
            }
            let stale = c
                .last_heartbeat
                .is_none_or(|t| (now - t).num_seconds() > HEARTBEAT_STALE_SECONDS);
            if stale != c.stale {
                c.stale = stale;
                self.touched.clusters.insert(c.id.clone());
                changed.push(c.id.clone());
            }
        }
        for id in changed {
            self.changes.push(crate::Change::Cluster(id.clone()));
            let affected: Vec<String> = self
                .rollouts
                .iter()
                .filter(|r| r.cluster_id == id && r.is_active())
                .map(|r| r.id.clone())
                .collect();
            for r in affected {
                self.mark(&r);
            }
        }
    }

    pub(crate) fn operator_running(&self, cluster_id: &str) -> bool {
        self.clusters
            .iter()
            .find(|c| c.id == cluster_id)
            .is_some_and(|c| c.operator_running)
    }

    pub(crate) fn switch_operator(
        &mut self,
        cluster_id: &str,
        running: bool,
    ) -> Option<api::Cluster> {
        let now = self.now;
        let c = self.clusters.iter_mut().find(|c| c.id == cluster_id)?;
        if c.operator_running != running {
            c.operator_running = running;
            self.touched.clusters.insert(c.id.clone());
            if running {
                c.last_heartbeat = Some(now);
                c.stale = false;
            }
            self.changes
                .push(crate::Change::Cluster(cluster_id.to_string()));
            let affected: Vec<usize> = (0..self.rollouts.len())
                .filter(|&i| {
                    self.rollouts[i].cluster_id == cluster_id && self.rollouts[i].is_active()
                })
                .collect();
            for ri in affected {
                let id = self.rollouts[ri].id.clone();
                self.mark(&id);
                if running && self.rollouts[ri].status == RolloutStatus::Pending {
                    self.rollout_event(
                        ri,
                        EventType::Normal,
                        "OperatorBack",
                        format!("The operator on cluster {cluster_id} is reporting again: starting the rollout"),
                    );
                    self.try_start(ri);
                }
            }
        }
        self.cluster(cluster_id)
    }

    // ------------------------------------------------------------------ creation

    pub(crate) fn workload_index(
        &self,
        cluster_id: &str,
        namespace: &str,
        name: &str,
    ) -> Option<usize> {
        self.workloads
            .iter()
            .position(|w| w.cluster_id == cluster_id && w.namespace == namespace && w.name == name)
    }

    pub(crate) fn revision(&self, w: &WorkloadRecord, revision: u32) -> Option<&ManifestRevision> {
        self.manifests.iter().find(|m| {
            m.revision == revision
                && m.name == w.name
                && m.namespace == w.namespace
                && m.cluster_id == w.cluster_id
        })
    }

    pub(crate) fn manifest_info(&self, m: &ManifestRevision) -> Option<SpotDeploymentInfo> {
        match validate::parse_document(&m.yaml) {
            Ok(Parsed::SpotDeployment(d)) => Some(d),
            _ => None,
        }
    }

    /// Creates a rollout of `revision` for workload `wi`, canceling the one in flight. Returns
    /// its id.
    pub(crate) fn create_rollout(
        &mut self,
        wi: usize,
        revision: u32,
        original: Option<String>,
    ) -> String {
        let id = ids::rollout_id(&mut self.rng);
        let w = self.workloads[wi].clone();
        let mut original = original;
        if let Some(active) = w.active_rollout.clone() {
            if let Some(&ai) = self.rollout_index.get(&active) {
                self.cancel(ai, Some(id.clone()));
                original = Some(active);
            }
        }
        let w = self.workloads[wi].clone();
        let m = self
            .revision(&w, revision)
            .cloned()
            .expect("revision stored before its rollout");
        let info = self.manifest_info(&m);
        let stable = self.revision(&w, w.live_revision).cloned();
        let now = self.now;
        let record = RolloutRecord {
            id: id.clone(),
            cluster_id: w.cluster_id.clone(),
            namespace: w.namespace.clone(),
            spot_deployment: w.name.clone(),
            revision,
            previous_revision: Some(w.desired_revision).filter(|d| *d != revision),
            stable_revision: w.live_revision,
            stable_replica_set: w.stable_replica_set.clone(),
            canary_replica_set: format!("{}-{}", w.name, m.template_hash),
            replicas: m.replicas,
            image: m.image.clone(),
            status: RolloutStatus::Pending,
            strategy_type: api::StrategyType::Canary,
            strategy_name: String::new(),
            rollout_spec: String::new(),
            failure_policy: "abort".into(),
            stable_service: None,
            canary_service: None,
            original_rollout_id: original.clone(),
            new_rollout_id: None,
            start_time: now,
            end_time: None,
            failure_reason: None,
            phases: Vec::new(),
            current_phase: 0,
            background: Vec::new(),
            canary_weight: 0,
            hold: None,
            invalid_spec: None,
            pending_reason: None,
            progress_deadline_seconds: info
                .as_ref()
                .map(|i| i.progress_deadline_seconds)
                .unwrap_or(600),
            unhealthy_since: None,
            metric_faults: info.map(|i| i.metric_faults).unwrap_or_default(),
            strategy_yaml: String::new(),
            rollout_spec_yaml: String::new(),
            phase_templates: Vec::new(),
            events_pruned: 0,
            actions_pruned: 0,
            background_templates: Vec::new(),
        };
        let ri = self.rollouts.len();
        self.rollouts.push(record);
        self.rollout_index.insert(id.clone(), ri);
        if let Some(oi) = original
            .as_ref()
            .and_then(|o| self.rollout_index.get(o).copied())
        {
            self.rollouts[oi].new_rollout_id = Some(id.clone());
            let oid = self.rollouts[oi].id.clone();
            self.mark(&oid);
        }
        let w = &mut self.workloads[wi];
        w.active_rollout = Some(id.clone());
        w.last_rollout = Some(id.clone());
        w.desired_revision = revision;
        if let Some(mr) = self.manifests.iter_mut().find(|x| {
            x.revision == revision
                && x.name == m.name
                && x.namespace == m.namespace
                && x.cluster_id == m.cluster_id
        }) {
            if mr.rollout_id.is_none() {
                mr.rollout_id = Some(id.clone());
            }
        }
        self.touch_manifest(&m.cluster_id, &m.namespace, &m.name, revision);
        self.touch_rollout(ri);
        self.workload_changed(wi);
        let stable_image = stable.map(|s| s.image).unwrap_or_default();
        let message = match &original {
            Some(o) => format!(
                "Rollout created for {} revision {revision} ({}), stable {} (revision {}); follows {o}",
                m.name, m.image, stable_image, w_live(&self.workloads[wi])
            ),
            None => format!(
                "Rollout created for {} revision {revision} ({}), stable {} (revision {})",
                m.name, m.image, stable_image, w_live(&self.workloads[wi])
            ),
        };
        self.rollout_event(ri, EventType::Normal, "RolloutCreated", message);
        self.try_start(ri);
        id
    }

    /// Pending / invalidSpec → running when the definition resolves and the operator runs.
    /// Returns true when the rollout started.
    pub(crate) fn try_start(&mut self, ri: usize) -> bool {
        let resolved = self.resolve(&self.rollouts[ri]);
        let cluster_id = self.rollouts[ri].cluster_id.clone();
        match resolved {
            Err(Unresolved {
                message,
                rollout_spec,
                strategy,
            }) => {
                let r = &mut self.rollouts[ri];
                // Name what does resolve (list, details drawer), without hiding a name known
                // from before.
                if let Some((name, yaml)) = rollout_spec.filter(|_| r.rollout_spec.is_empty()) {
                    r.rollout_spec = name;
                    r.rollout_spec_yaml = yaml;
                }
                if let Some((name, yaml)) = strategy.filter(|_| r.strategy_name.is_empty()) {
                    r.strategy_name = name;
                    r.strategy_yaml = yaml;
                }
                let was = r.invalid_spec.clone();
                r.status = RolloutStatus::InvalidSpec;
                r.invalid_spec = Some(message.clone());
                r.pending_reason = None;
                if was.as_deref() != Some(message.as_str()) {
                    self.rollout_event(ri, EventType::Warning, "InvalidSpec", message);
                }
                let id = self.rollouts[ri].id.clone();
                self.mark(&id);
                false
            }
            Ok(res) => {
                let r = &mut self.rollouts[ri];
                let keep_names = r.status == RolloutStatus::Pending && !r.phases.is_empty();
                if !keep_names {
                    r.strategy_type = res.strategy_type;
                    r.strategy_name = res.strategy_name;
                    r.rollout_spec = res.rollout_spec;
                    r.failure_policy = res.failure_policy;
                    r.stable_service = res.stable_service;
                    r.canary_service = res.canary_service;
                    r.strategy_yaml = res.strategy_yaml;
                    r.rollout_spec_yaml = res.rollout_spec_yaml;
                    r.phase_templates = res.phase_templates;
                    r.background_templates = res.background_templates;
                    r.phases = res.phases;
                    r.background = res.background;
                }
                r.invalid_spec = None;
                let id = r.id.clone();
                if !self.operator_running(&cluster_id) {
                    let r = &mut self.rollouts[ri];
                    let first = r.pending_reason.is_none();
                    r.status = RolloutStatus::Pending;
                    r.pending_reason = Some(format!(
                        "The Ocean CD operator on cluster {cluster_id} is not sending heartbeats: no rollout is triggered until it is running again"
                    ));
                    if first {
                        let reason = r.pending_reason.clone().unwrap_or_default();
                        self.rollout_event(ri, EventType::Warning, "HeartbeatMissing", reason);
                    }
                    self.mark(&id);
                    return false;
                }
                self.begin(ri);
                true
            }
        }
    }

    fn resolve(&self, r: &RolloutRecord) -> Result<Resolved, Unresolved> {
        let mut known = Unresolved::default();
        self.resolve_into(r, &mut known)
            .map_err(|message| Unresolved { message, ..known })
    }

    /// Resolves the definition, noting in `known` what was found before a gap.
    fn resolve_into(&self, r: &RolloutRecord, known: &mut Unresolved) -> Result<Resolved, String> {
        let w = self
            .workload_index(&r.cluster_id, &r.namespace, &r.spot_deployment)
            .map(|i| &self.workloads[i])
            .ok_or("the SpotDeployment is gone")?;
        let manifest = self.revision(w, r.revision).ok_or("the revision is gone")?;
        let info = self
            .manifest_info(manifest)
            .ok_or("the SpotDeployment no longer parses")?;
        let sd = format!("{}/{}", r.namespace, r.spot_deployment);
        let (spec_rec, spec) = self
            .entities_of_kind(Kind::RolloutSpec)
            .filter_map(|(e, p)| match p {
                Parsed::RolloutSpec(s) => Some((e, s)),
                _ => None,
            })
            .find(|(_, s)| {
                s.cluster_id == r.cluster_id
                    && s.namespace == r.namespace
                    && s.spot_deployment == r.spot_deployment
            })
            .ok_or_else(|| {
                format!(
                    "No RolloutSpec references SpotDeployment {sd} on cluster {}: apply a \
                     RolloutSpec whose spotDeployment is \
                     {{clusterId: {}, namespace: {}, name: {}}}",
                    r.cluster_id, r.cluster_id, r.namespace, r.spot_deployment
                )
            })?;
        known.rollout_spec = Some((spec.name.clone(), spec_rec.yaml.clone()));
        let (strategy_name, named_by) = match &info.strategy_override {
            Some(s) => (
                s.clone(),
                format!("the annotation oceancd.spot.io/strategy of SpotDeployment {sd}"),
            ),
            None => (
                spec.strategy.clone(),
                format!("strategy.name of RolloutSpec {}", spec.name),
            ),
        };
        let (strategy_rec, strategy) = self
            .entities_named(Kind::Strategy, &strategy_name)
            .find_map(|(e, p)| match p {
                Parsed::Strategy(s) => Some((e, s)),
                _ => None,
            })
            .ok_or_else(|| {
                format!(
                    "Strategy \"{strategy_name}\" (named by {named_by}) does not exist: apply a \
                     Strategy with that name, or fix the reference"
                )
            })?;
        known.strategy = Some((strategy.name.clone(), strategy_rec.yaml.clone()));
        for (field, svc) in [
            ("traffic.stableService", &spec.stable_service),
            ("traffic.canaryService", &spec.canary_service),
        ] {
            if let Some(svc) = svc {
                if self.service(&r.cluster_id, &r.namespace, svc).is_none() {
                    return Err(format!(
                        "Service \"{svc}\" ({field} of RolloutSpec {}) does not exist in \
                         namespace {} on cluster {}: apply the Service, or fix {field}",
                        spec.name, r.namespace, r.cluster_id
                    ));
                }
            }
        }
        let template =
            |name: &str, used_by: &str| -> Result<(EntityRecord, validate::TemplateInfo), String> {
                self.entities_named(Kind::VerificationTemplate, name)
                    .find_map(|(e, p)| match p {
                        Parsed::VerificationTemplate(t) => Some((e.clone(), t.clone())),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        format!(
                            "VerificationTemplate \"{name}\" ({used_by} of Strategy \
                         {strategy_name}) does not exist: apply it, or fix templateNames"
                        )
                    })
            };
        let mut phase_templates: Vec<api::NamedYaml> = Vec::new();
        let mut phases = Vec::new();
        for p in &strategy.phases {
            let mut verifications = Vec::new();
            for t in &p.templates {
                let (rec, info) = template(t, &format!("step {}", p.name))?;
                if !phase_templates.iter().any(|n| n.name == rec.name) {
                    phase_templates.push(api::NamedYaml {
                        name: rec.name.clone(),
                        yaml: rec.yaml.clone(),
                    });
                }
                for m in &info.metrics {
                    verifications.push(self.verification(
                        &info.name,
                        m,
                        &p.name,
                        &r.cluster_id,
                        Some(m.count.unwrap_or(1)),
                    ));
                }
            }
            phases.push(PhaseRecord {
                name: p.name.clone(),
                weight: p.weight,
                pause: p.pause,
                template_names: p.templates.clone(),
                status: PhaseStatus::Pending,
                stage: PhaseStage::NotStarted,
                start_time: None,
                paused_at: None,
                pause_until: None,
                verified_at: None,
                end_time: None,
                verifications,
                failure: None,
            });
        }
        let mut background_templates = Vec::new();
        let mut background = Vec::new();
        for t in &strategy.background {
            let (rec, info) = template(t, "backgroundVerification")?;
            background_templates.push(api::NamedYaml {
                name: rec.name.clone(),
                yaml: rec.yaml.clone(),
            });
            for m in &info.metrics {
                background.push(self.verification(
                    &info.name,
                    m,
                    "Background",
                    &r.cluster_id,
                    m.count,
                ));
            }
        }
        Ok(Resolved {
            strategy_type: strategy.kind,
            strategy_name: strategy.name.clone(),
            rollout_spec: spec.name.clone(),
            failure_policy: spec.failure_policy.name().to_string(),
            stable_service: spec.stable_service.clone(),
            canary_service: spec.canary_service.clone(),
            strategy_yaml: strategy_rec.yaml.clone(),
            rollout_spec_yaml: spec_rec.yaml.clone(),
            phase_templates,
            background_templates,
            phases,
            background,
        })
    }

    pub(crate) fn service(
        &self,
        cluster_id: &str,
        namespace: &str,
        name: &str,
    ) -> Option<&EntityRecord> {
        self.entities_named(Kind::Service, name)
            .map(|(e, _)| e)
            .find(|e| {
                e.namespace.as_deref() == Some(namespace)
                    && e.cluster_id.as_deref().is_none_or(|c| c == cluster_id)
            })
    }

    fn verification(
        &self,
        template: &str,
        m: &validate::MetricSpec,
        step: &str,
        cluster_id: &str,
        count: Option<u32>,
    ) -> VerificationRecord {
        let provider_name = needs_provider_entity(&m.provider_kind)
            .then(|| {
                self.entities_of_kind(Kind::VerificationProvider)
                    .find_map(|(_, p)| match p {
                        Parsed::VerificationProvider(p)
                            if p.kinds.contains(&m.provider_kind.as_str())
                                && p.cluster_ids.iter().any(|c| c == cluster_id) =>
                        {
                            Some(p.name.clone())
                        }
                        _ => None,
                    })
            })
            .flatten();
        VerificationRecord {
            template_name: template.into(),
            metric_name: m.name.clone(),
            query: m.query.clone(),
            success_condition: m.success_condition.clone(),
            failure_condition: m.failure_condition.clone(),
            provider_kind: m.provider_kind.clone(),
            provider_name,
            step: step.into(),
            status: api::VerificationStatus::Pending,
            interval_seconds: m.interval_seconds,
            initial_delay_seconds: m.initial_delay_seconds,
            count,
            failure_limit: m.failure_limit,
            inconclusive_limit: m.inconclusive_limit,
            consecutive_error_limit: m.consecutive_error_limit,
            dry_run: m.dry_run,
            started_at: None,
            next_at: None,
            measurements: 0,
            errors: 0,
            failed: 0,
            inconclusive: 0,
            consecutive_errors: 0,
            data_points: Vec::new(),
            failure: None,
        }
    }

    // ------------------------------------------------------------------ running

    fn begin(&mut self, ri: usize) {
        let now = self.now;
        let r = &self.rollouts[ri];
        let (cluster_id, ns, name, revision) = (
            r.cluster_id.clone(),
            r.namespace.clone(),
            r.spot_deployment.clone(),
            r.revision,
        );
        let Some(wi) = self.workload_index(&cluster_id, &ns, &name) else {
            return;
        };
        let w = self.workloads[wi].clone();
        let Some(m) = self.revision(&w, revision).cloned() else {
            return;
        };
        let info = self.manifest_info(&m);
        let spec = ReplicaSetSpec {
            cluster_id: cluster_id.clone(),
            namespace: ns.clone(),
            workload: name.clone(),
            template_hash: m.template_hash.clone(),
            revision,
            image: m.image.clone(),
            container: info
                .as_ref()
                .map(|i| i.container.clone())
                .unwrap_or_else(|| name.clone()),
            labels: info.as_ref().map(|i| i.labels.clone()).unwrap_or_default(),
            fault: info.as_ref().map(|i| i.pod_fault).unwrap_or_default(),
            start_seconds: info.as_ref().map(|i| i.start_seconds).unwrap_or(6),
        };
        let canary = self.sim.ensure_replica_set(&spec);
        let r = &mut self.rollouts[ri];
        r.canary_replica_set = canary;
        r.stable_replica_set = w.stable_replica_set.clone();
        r.stable_revision = w.live_revision;
        r.status = RolloutStatus::InProgress;
        r.pending_reason = None;
        r.invalid_spec = None;
        for v in &mut r.background {
            v.start(now);
        }
        let message = format!(
            "Rollout started with strategy {} ({} phases){}",
            r.strategy_name,
            r.phases.len(),
            if r.background.is_empty() {
                String::new()
            } else {
                ", background verification running".into()
            }
        );
        self.rollout_event(ri, EventType::Normal, "RolloutStarted", message);
        self.start_phase(ri, 0);
    }

    /// Sets the canary weight and scales both ReplicaSets to match.
    pub(crate) fn set_weight(&mut self, ri: usize, weight: u32) {
        let r = &mut self.rollouts[ri];
        r.canary_weight = weight;
        let canary = (r.replicas * weight).div_ceil(100);
        let stable = r.replicas - canary.min(r.replicas);
        let (c, ns, crs, srs) = (
            r.cluster_id.clone(),
            r.namespace.clone(),
            r.canary_replica_set.clone(),
            r.stable_replica_set.clone(),
        );
        if crs != srs {
            self.scale(&c, &ns, &crs, canary);
            self.scale(&c, &ns, &srs, stable);
        } else {
            let replicas = self.rollouts[ri].replicas;
            self.scale(&c, &ns, &crs, replicas);
        }
    }

    fn start_phase(&mut self, ri: usize, index: usize) {
        let now = self.now;
        let r = &mut self.rollouts[ri];
        if index >= r.phases.len() {
            self.finish(ri);
            return;
        }
        r.current_phase = index;
        r.unhealthy_since = None;
        let p = &mut r.phases[index];
        p.status = PhaseStatus::InProgress;
        p.stage = PhaseStage::Scaling;
        p.start_time = Some(now);
        let (name, weight) = (p.name.clone(), p.weight);
        self.rollout_event(
            ri,
            EventType::Normal,
            "PhaseStarted",
            format!("Phase {name} started: canary weight {weight}%"),
        );
        self.set_weight(ri, weight);
        self.update_status(ri);
    }

    pub(crate) fn tick_rollout(&mut self, ri: usize) {
        let now = self.now;
        let status = self.rollouts[ri].status;
        if !needs_ticks(status) {
            return;
        }
        let r = &self.rollouts[ri];
        let (c, ns, crs, srs) = (
            r.cluster_id.clone(),
            r.namespace.clone(),
            r.canary_replica_set.clone(),
            r.stable_replica_set.clone(),
        );
        if status == RolloutStatus::Aborting {
            let stable = self.sim.counts(&c, &ns, &srs);
            let canary_left = self.sim.pods(&c, &ns, &crs).len();
            if stable.ready >= stable.desired && (canary_left == 0 || crs == srs) {
                self.finish_abort(ri);
            }
            return;
        }
        // Kubernetes health of the canary against the progress deadline.
        let counts = self.sim.counts(&c, &ns, &crs);
        let failing = self.sim.failing(&c, &ns, &crs);
        let healthy = failing.is_none() && counts.ready >= counts.desired;
        let r = &mut self.rollouts[ri];
        let was_unhealthy = r.unhealthy_since;
        if r.hold.is_some() || healthy {
            r.unhealthy_since = None;
        } else {
            let since = *r.unhealthy_since.get_or_insert(now);
            let deadline = r.progress_deadline_seconds;
            if (now - since).num_seconds() >= i64::try_from(deadline).unwrap_or(i64::MAX) {
                let what = failing.unwrap_or_else(|| {
                    format!("{} of {} canary pods ready", counts.ready, counts.desired)
                });
                let message = format!(
                    "Kubernetes failure: {what}; progressDeadlineSeconds ({deadline}) exceeded, rolling back"
                );
                self.abort(
                    ri,
                    FailureReason {
                        kind: FailureReasonType::Kubernetes,
                        message,
                    },
                );
                return;
            }
        }
        if self.rollouts[ri].unhealthy_since != was_unhealthy {
            self.touch_rollout(ri);
        }
        // Background verifications run during the whole rollout.
        let faults = self.rollouts[ri].metric_faults.clone();
        let mut failed_background = None;
        let mut measured = false;
        for v in &mut self.rollouts[ri].background {
            let before = v.measurements;
            if v.step(now, &faults, &c) && v.failed_for_real() && failed_background.is_none() {
                failed_background = v.failure.clone();
            }
            measured |= v.measurements != before;
        }
        if measured {
            let id = self.rollouts[ri].id.clone();
            self.mark(&id);
        }
        if let Some(message) = failed_background {
            self.apply_failure_policy(ri, FailureReasonType::BackgroundVerification, message);
            if !needs_ticks(self.rollouts[ri].status)
                || self.rollouts[ri].status == RolloutStatus::Aborting
            {
                return;
            }
        }
        if self.rollouts[ri].hold.is_some() {
            return;
        }
        let cur = self.rollouts[ri].current_phase;
        let Some(stage) = self.rollouts[ri].phases.get(cur).map(|p| p.stage) else {
            return;
        };
        match stage {
            PhaseStage::Scaling => {
                if counts.ready >= counts.desired && failing.is_none() {
                    let p = &mut self.rollouts[ri].phases[cur];
                    if p.verifications.is_empty() {
                        self.after_verification(ri);
                    } else {
                        p.stage = PhaseStage::Verifying;
                        p.status = PhaseStatus::Verifying;
                        for v in &mut p.verifications {
                            v.start(now);
                        }
                        let name = p.name.clone();
                        let templates = p.template_names.join(", ");
                        self.rollout_event(
                            ri,
                            EventType::Normal,
                            "VerificationStarted",
                            format!("Phase {name}: verification {templates} started"),
                        );
                        self.update_status(ri);
                        self.step_phase_verifications(ri);
                    }
                }
            }
            PhaseStage::Verifying => self.step_phase_verifications(ri),
            PhaseStage::Paused => {
                let p = &self.rollouts[ri].phases[cur];
                if p.pause_until.is_some_and(|u| now >= u) {
                    let name = p.name.clone();
                    self.rollout_event(
                        ri,
                        EventType::Normal,
                        "PauseEnded",
                        format!("Phase {name}: pause window over, moving on"),
                    );
                    self.complete_phase(ri);
                }
            }
            PhaseStage::NotStarted | PhaseStage::Done => {}
        }
    }

    fn step_phase_verifications(&mut self, ri: usize) {
        let now = self.now;
        let cur = self.rollouts[ri].current_phase;
        let faults = self.rollouts[ri].metric_faults.clone();
        let cluster_id = self.rollouts[ri].cluster_id.clone();
        let mut failure = None;
        let mut measured = false;
        let p = &mut self.rollouts[ri].phases[cur];
        for v in &mut p.verifications {
            let before = v.measurements;
            if v.step(now, &faults, &cluster_id) && v.failed_for_real() && failure.is_none() {
                failure = v.failure.clone();
            }
            measured |= v.measurements != before;
        }
        let all_done = p.verifications.iter().all(|v| v.is_done());
        if measured {
            let id = self.rollouts[ri].id.clone();
            self.mark(&id);
        }
        if let Some(message) = failure {
            let p = &mut self.rollouts[ri].phases[cur];
            for v in &mut p.verifications {
                v.next_at = None;
            }
            p.failure = Some(message.clone());
            self.apply_failure_policy(ri, FailureReasonType::PhaseVerification, message);
        } else if all_done {
            let p = &mut self.rollouts[ri].phases[cur];
            p.verified_at = Some(now);
            let name = p.name.clone();
            self.rollout_event(
                ri,
                EventType::Normal,
                "VerificationSucceeded",
                format!("Phase {name}: verification successful"),
            );
            self.after_verification(ri);
        }
    }

    /// After a phase's verifications: its strategy pause, or the next phase.
    pub(crate) fn after_verification(&mut self, ri: usize) {
        let now = self.now;
        let cur = self.rollouts[ri].current_phase;
        let p = &mut self.rollouts[ri].phases[cur];
        match p.pause {
            Some(window) => {
                p.stage = PhaseStage::Paused;
                p.status = PhaseStatus::Paused;
                p.paused_at = Some(now);
                p.pause_until = window.map(|s| crate::limits::later(now, s));
                let name = p.name.clone();
                let message = match window {
                    Some(s) => format!("Phase {name} paused for {}", human(s)),
                    None => {
                        format!("Phase {name} paused until someone resumes, promotes or rolls back")
                    }
                };
                self.rollout_event(ri, EventType::Normal, "RolloutPaused", message);
                self.update_status(ri);
            }
            None => self.complete_phase(ri),
        }
    }

    /// Ends the current phase (promoted) and starts the next, or finishes.
    pub(crate) fn complete_phase(&mut self, ri: usize) {
        let now = self.now;
        let cur = self.rollouts[ri].current_phase;
        let p = &mut self.rollouts[ri].phases[cur];
        p.status = PhaseStatus::Promoted;
        p.stage = PhaseStage::Done;
        p.end_time = Some(now);
        for v in &mut p.verifications {
            v.next_at = None;
        }
        let name = p.name.clone();
        self.rollout_event(
            ri,
            EventType::Normal,
            "PhasePromoted",
            format!("Phase {name} promoted"),
        );
        self.start_phase(ri, cur + 1);
    }

    /// The new version takes all traffic and becomes the live one.
    pub(crate) fn finish(&mut self, ri: usize) {
        let now = self.now;
        self.set_weight(ri, 100);
        let r = &mut self.rollouts[ri];
        if let Some(last) = r.phases.last_mut() {
            if last.status == PhaseStatus::Promoted {
                last.status = PhaseStatus::Finished;
            }
        }
        for v in &mut r.background {
            v.stop();
        }
        r.status = RolloutStatus::Finished;
        r.end_time = Some(now);
        r.hold = None;
        r.unhealthy_since = None;
        let (c, ns, name, rev, image, crs) = (
            r.cluster_id.clone(),
            r.namespace.clone(),
            r.spot_deployment.clone(),
            r.revision,
            r.image.clone(),
            r.canary_replica_set.clone(),
        );
        let id = r.id.clone();
        if let Some(wi) = self.workload_index(&c, &ns, &name) {
            let w = &mut self.workloads[wi];
            w.live_revision = rev;
            w.stable_replica_set = crs;
            w.degraded = false;
            if w.active_rollout.as_deref() == Some(id.as_str()) {
                w.active_rollout = None;
            }
            self.workload_changed(wi);
        }
        self.rollout_event(
            ri,
            EventType::Normal,
            "RolloutFinished",
            format!("Rollout finished: {image} (revision {rev}) is live"),
        );
        self.mark(&id);
    }

    pub(crate) fn apply_failure_policy(
        &mut self,
        ri: usize,
        kind: FailureReasonType,
        message: String,
    ) {
        let now = self.now;
        let policy = self.rollouts[ri].failure_policy.clone();
        let what = match kind {
            FailureReasonType::BackgroundVerification => "Background verification failed",
            _ => "Phase verification failed",
        };
        self.rollout_event(
            ri,
            EventType::Warning,
            "VerificationFailed",
            format!("{what}: {message}"),
        );
        match policy.as_str() {
            "pause" => {
                let r = &mut self.rollouts[ri];
                let phase = r
                    .phases
                    .get(r.current_phase)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                r.hold = Some(Hold {
                    kind: api::PauseKind::FailurePolicy,
                    at: now,
                    phase,
                });
                self.rollout_event(
                    ri,
                    EventType::Warning,
                    "FailurePolicyPaused",
                    "Failure policy pause: the rollout waits for Resume, Promote or Roll back"
                        .into(),
                );
                self.update_status(ri);
            }
            "promote" => {
                self.rollout_event(
                    ri,
                    EventType::Normal,
                    "FailurePolicyPromote",
                    "Failure policy promote: the rollout carries on".into(),
                );
                if kind == FailureReasonType::PhaseVerification {
                    let r = &mut self.rollouts[ri];
                    let cur = r.current_phase;
                    r.phases[cur].verified_at = Some(now);
                    self.after_verification(ri);
                }
            }
            _ => self.abort(ri, FailureReason { kind, message }),
        }
    }

    /// Rolls back: the canary scales to 0, the stable back to every replica; the workload is
    /// Degraded. The rollout stays `aborting` until the stable replicas are ready.
    pub(crate) fn abort(&mut self, ri: usize, reason: FailureReason) {
        let now = self.now;
        let r = &mut self.rollouts[ri];
        let nothing_deployed = matches!(
            r.status,
            RolloutStatus::Pending | RolloutStatus::InvalidSpec
        );
        r.failure_reason = Some(reason.clone());
        r.hold = None;
        r.unhealthy_since = None;
        r.status = RolloutStatus::Aborting;
        let cur = r.current_phase;
        for (i, p) in r.phases.iter_mut().enumerate() {
            if i == cur && p.stage != PhaseStage::NotStarted && p.stage != PhaseStage::Done {
                p.status = PhaseStatus::Aborted;
                p.end_time = Some(now);
                if p.failure.is_none() && reason.kind != FailureReasonType::ManualRollback {
                    p.failure = Some(reason.message.clone());
                }
            } else if p.stage == PhaseStage::NotStarted {
                p.status = PhaseStatus::Dropped;
            }
            p.stage = PhaseStage::Done;
            for v in &mut p.verifications {
                v.next_at = None;
            }
        }
        for v in &mut r.background {
            v.next_at = None;
        }
        let (c, ns, name) = (
            r.cluster_id.clone(),
            r.namespace.clone(),
            r.spot_deployment.clone(),
        );
        if let Some(wi) = self.workload_index(&c, &ns, &name) {
            self.workloads[wi].degraded = true;
            self.workload_changed(wi);
        }
        let stable_image = self.stable_image(ri);
        self.rollout_event(
            ri,
            EventType::Warning,
            "RolloutAborted",
            format!("Rolling back to {stable_image}: {}", reason.message),
        );
        if nothing_deployed {
            self.finish_abort(ri);
        } else {
            self.set_weight(ri, 0);
        }
    }

    fn stable_image(&self, ri: usize) -> String {
        let r = &self.rollouts[ri];
        self.workload_index(&r.cluster_id, &r.namespace, &r.spot_deployment)
            .and_then(|wi| self.revision(&self.workloads[wi], r.stable_revision))
            .map(|m| format!("{} (revision {})", m.image, m.revision))
            .unwrap_or_default()
    }

    fn finish_abort(&mut self, ri: usize) {
        let now = self.now;
        let r = &mut self.rollouts[ri];
        let failed = r
            .failure_reason
            .as_ref()
            .is_some_and(|f| f.kind == FailureReasonType::Kubernetes);
        r.status = if failed {
            RolloutStatus::Failed
        } else {
            RolloutStatus::Aborted
        };
        r.end_time = Some(now);
        r.canary_weight = 0;
        let (c, ns, name, id) = (
            r.cluster_id.clone(),
            r.namespace.clone(),
            r.spot_deployment.clone(),
            r.id.clone(),
        );
        if let Some(wi) = self.workload_index(&c, &ns, &name) {
            if self.workloads[wi].active_rollout.as_deref() == Some(id.as_str()) {
                self.workloads[wi].active_rollout = None;
            }
            self.workload_changed(wi);
        }
        let stable_image = self.stable_image(ri);
        let (reason, word) = if failed {
            ("RolloutFailed", "failed")
        } else {
            ("RolloutRolledBack", "rolled back")
        };
        self.rollout_event(
            ri,
            EventType::Warning,
            reason,
            format!(
                "Rollout {word}: {stable_image} restored; SpotDeployment {ns}/{name} is Degraded"
            ),
        );
        self.mark(&id);
    }

    /// A newer apply replaced this rollout (`new_id`), or the live version was applied again.
    pub(crate) fn cancel(&mut self, ri: usize, new_id: Option<String>) {
        let now = self.now;
        let r = &mut self.rollouts[ri];
        let was = r.status;
        r.status = RolloutStatus::Canceled;
        r.end_time = Some(now);
        r.new_rollout_id = new_id.clone();
        r.hold = None;
        let cur = r.current_phase;
        for (i, p) in r.phases.iter_mut().enumerate() {
            if i == cur && !matches!(p.stage, PhaseStage::NotStarted | PhaseStage::Done) {
                p.status = PhaseStatus::Canceled;
                p.end_time = Some(now);
            } else if p.stage == PhaseStage::NotStarted {
                p.status = PhaseStatus::Dropped;
            }
            p.stage = PhaseStage::Done;
            for v in &mut p.verifications {
                v.next_at = None;
            }
        }
        for v in &mut r.background {
            v.next_at = None;
        }
        let (c, ns, name, id, crs, srs, replicas) = (
            r.cluster_id.clone(),
            r.namespace.clone(),
            r.spot_deployment.clone(),
            r.id.clone(),
            r.canary_replica_set.clone(),
            r.stable_replica_set.clone(),
            r.replicas,
        );
        let message = match &new_id {
            Some(n) => format!("Rollout canceled: SpotDeployment {ns}/{name} was applied again; new rollout {n}"),
            None => format!("Rollout canceled: the live version of SpotDeployment {ns}/{name} was applied again"),
        };
        self.rollout_event(ri, EventType::Normal, "RolloutCanceled", message);
        if !matches!(was, RolloutStatus::Pending | RolloutStatus::InvalidSpec) && crs != srs {
            self.scale(&c, &ns, &crs, 0);
            let stable_replicas = self
                .sim
                .replica_set(&c, &ns, &srs)
                .map(|_| replicas)
                .unwrap_or(replicas);
            self.scale(&c, &ns, &srs, stable_replicas);
        }
        if let Some(wi) = self.workload_index(&c, &ns, &name) {
            if self.workloads[wi].active_rollout.as_deref() == Some(id.as_str()) {
                self.workloads[wi].active_rollout = None;
            }
            self.touch_workload(wi);
        }
        self.mark(&id);
    }

    /// The status that follows from the hold and the current phase's stage.
    pub(crate) fn update_status(&mut self, ri: usize) {
        let r = &mut self.rollouts[ri];
        if !needs_ticks(r.status) || r.status == RolloutStatus::Aborting {
            return;
        }
        let next = match &r.hold {
            Some(h) if h.kind == api::PauseKind::FailurePolicy => {
                RolloutStatus::FailurePolicyPaused
            }
            Some(_) => RolloutStatus::ManualPaused,
            None => match r.phases.get(r.current_phase).map(|p| p.stage) {
                Some(PhaseStage::Verifying) => RolloutStatus::Verifying,
                Some(PhaseStage::Paused) => RolloutStatus::Paused,
                _ if r
                    .background
                    .iter()
                    .any(|v| v.started_at.is_some() && !v.is_done()) =>
                {
                    RolloutStatus::BackgroundVerifying
                }
                _ => RolloutStatus::InProgress,
            },
        };
        if r.status != next {
            r.status = next;
        }
        let id = r.id.clone();
        self.mark(&id);
    }

    /// The first version of a workload goes live directly (no rollout).
    pub(crate) fn go_live(&mut self, wi: usize, m: &ManifestRevision, info: &SpotDeploymentInfo) {
        let w = &self.workloads[wi];
        let spec = ReplicaSetSpec {
            cluster_id: w.cluster_id.clone(),
            namespace: w.namespace.clone(),
            workload: w.name.clone(),
            template_hash: m.template_hash.clone(),
            revision: m.revision,
            image: m.image.clone(),
            container: info.container.clone(),
            labels: info.labels.clone(),
            fault: PodFault::None,
            start_seconds: info.start_seconds,
        };
        let rs = self.sim.ensure_replica_set(&spec);
        self.workloads[wi].stable_replica_set = rs.clone();
        self.touch_workload(wi);
        let (c, ns) = (spec.cluster_id.clone(), spec.namespace.clone());
        self.scale(&c, &ns, &rs, m.replicas);
    }

    /// Scales the live ReplicaSet to the workload's replicas (no rollout in flight).
    pub(crate) fn rescale_live(&mut self, wi: usize, replicas: u32) {
        let w = self.workloads[wi].clone();
        self.scale(&w.cluster_id, &w.namespace, &w.stable_replica_set, replicas);
    }
}

/// A rollout that waits for someone (a hold, or a strategy pause without a window) with no
/// background verification measuring: with every pod steady, time changes nothing for it.
fn dormant(r: &RolloutRecord) -> bool {
    let waiting = r.hold.is_some()
        || r.phases
            .get(r.current_phase)
            .is_some_and(|p| p.stage == PhaseStage::Paused && p.pause_until.is_none());
    waiting
        && r.status != RolloutStatus::Aborting
        && r.background.iter().all(|v| v.next_at.is_none())
}

/// Statuses whose rollout moves with time.
pub(crate) fn needs_ticks(status: RolloutStatus) -> bool {
    !status.is_completed() && !matches!(status, RolloutStatus::Pending | RolloutStatus::InvalidSpec)
}

fn w_live(w: &WorkloadRecord) -> u32 {
    w.live_revision
}

pub(crate) fn human(seconds: u64) -> String {
    match seconds {
        s if s % 3600 == 0 && s > 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 && s > 0 => format!("{}m", s / 60),
        s if s > 60 => format!("{}m{}s", s / 60, s % 60),
        s => format!("{s}s"),
    }
}
