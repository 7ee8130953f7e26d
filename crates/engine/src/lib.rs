//! The rollout controller: Ocean CD semantics over a simulated Kubernetes cluster.
//!
//! Pure library: no HTTP, no database, no wall clock. The caller (the server, or a test) passes
//! the time in (`advance_to`, `apply`, `act`), shows what `drain_changes` hands out and persists
//! what `take_state_delta` does (the records changed since the last call; `snapshot()` is the
//! whole state, for a first write or a test).
//!
//! Layout: `entities` (YAML shapes) and `validate` (reading a stream) → `apply` (storing entities,
//! starting rollouts) → `controller` (the state machine, one-second ticks) over `cluster` (the
//! `ClusterBackend` trait and its simulation) with `verification` (metrics) → `views` (conversion
//! to the wire types). `actions` holds the one guard function behind both `act` and
//! `RolloutDetail.actions`. See README.md for the YAML shapes, annotations and timings.

mod actions;
mod apply;
mod catalog;
pub mod cluster;
mod controller;
mod delta;
pub mod entities;
mod ids;
pub mod limits;
pub mod model;
mod plan;
mod position;
mod retention;
mod supervise;
pub mod validate;
pub mod verification;
mod views;

use rollout_api as api;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

pub use actions::{action_message, guard};
pub use api::Timestamp;
pub use delta::{action_key, CollectionDelta, Keyed, Records, StateDelta};
pub use model::*;
pub use retention::{EventHistory, EventOwner, Retention};
pub use supervise::{panic_message, TickFault};

use cluster::{ClusterBackend, K8sEvent, SimCluster};

/// Seconds between two heartbeats of a running operator.
pub const HEARTBEAT_INTERVAL_SECONDS: i64 = 30;
/// A cluster is stale after this long without a heartbeat.
pub const HEARTBEAT_STALE_SECONDS: i64 = 120;
pub const OPERATOR_VERSION: &str = "2.4.1";

/// Why `apply` refused a YAML stream: names the document (1-based), field and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyError {
    pub message: String,
    pub document: usize,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "document {}, line {}, column {}: {}",
            self.document, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ApplyError {}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    NotFound,
    /// The current state forbids it; the message says why.
    Refused(String),
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActionError::NotFound => write!(f, "no such rollout"),
            ActionError::Refused(reason) => write!(f, "{reason}"),
        }
    }
}

impl std::error::Error for ActionError {}

/// Something that changed; the server persists it and forwards it to the live stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// The rollout with this id changed (status, phase, replicas, data points, links).
    Rollout(String),
    /// A new event, or an event repeated in place (same id, newer `last_timestamp`): upsert by id.
    Event(api::Event),
    /// A cluster's operator started/stopped or its heartbeat went stale / fresh. (Routine
    /// heartbeats are not reported; `clusters()` always has the latest time.)
    Cluster(String),
    Action(api::ActionRecord),
    /// An apply, with who made it.
    Apply(ApplyRecord),
    /// Retention removed these events of the rollout, or of the cluster's events of no
    /// rollout (the oldest): delete them by id.
    EventsPruned {
        owner: EventOwner,
        ids: Vec<u64>,
    },
    /// Retention removed the rollout's `removed` oldest actions.
    ActionsPruned {
        rollout_id: String,
        removed: usize,
    },
    /// A workload's revisions or labels changed.
    Workload {
        cluster_id: String,
        namespace: String,
        name: String,
    },
}

/// The engine. Cheap to clone; its whole state is `snapshot()`.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) now: Timestamp,
    pub(crate) rng: u64,
    pub(crate) next_event_id: u64,
    pub(crate) clusters: Vec<ClusterRecord>,
    pub(crate) entities: Vec<EntityRecord>,
    pub(crate) workloads: Vec<WorkloadRecord>,
    pub(crate) manifests: Vec<ManifestRevision>,
    pub(crate) rollouts: Vec<RolloutRecord>,
    pub(crate) events: Vec<EventRecord>,
    pub(crate) actions: Vec<api::ActionRecord>,
    pub(crate) applies: Vec<ApplyRecord>,
    pub(crate) sim: SimCluster,
    // Derived, rebuilt by `restore`.
    pub(crate) rollout_index: HashMap<String, usize>,
    pub(crate) catalog: catalog::Catalog,
    pub(crate) event_index: HashMap<(Option<String>, String, String, String), usize>,
    /// Events held per owner (derived).
    pub(crate) event_counts: HashMap<EventOwner, usize>,
    /// Owners past their event limit and its slack, pruned when changes are flushed.
    pub(crate) prune_pending: Vec<EventOwner>,
    pub(crate) retention: Retention,
    pub(crate) changes: Vec<Change>,
    pub(crate) dirty: Vec<String>,
    pub(crate) dirty_set: HashSet<String>,
    /// Rollouts the tick's supervisor stopped, not yet taken by the caller.
    pub(crate) faults: Vec<TickFault>,
    /// Test hook (`inject_panic`): this rollout's ticks panic.
    pub(crate) panic_on: Option<String>,
    /// Test hook (`inject_outside_panic`): every tick panics outside any rollout.
    pub(crate) panic_outside: bool,
    /// A panic the caller caught outside any rollout (see `note_outside_fault`).
    pub(crate) outside_fault: Option<String>,
    /// True in the copy a dry run applies to: messages say what would happen, and started
    /// rollouts are named by their SpotDeployment (`cluster/namespace/name`).
    pub(crate) dry_run: bool,
    /// Records changed since the last `take_state_delta`.
    pub(crate) touched: delta::Touched,
    /// Debug builds: the state as the deltas taken so far describe it (checked at each take).
    #[cfg(debug_assertions)]
    pub(crate) shadow: Option<Box<EngineState>>,
}

impl Engine {
    /// A fresh engine whose clusters are `(id, name, cloud provider)`; every operator running.
    pub fn new(now: Timestamp, clusters: &[(&str, &str, &str)]) -> Engine {
        Engine::with_seed(now, clusters, ids::DEFAULT_SEED)
    }

    /// Like `new`, with another seed for ids and pod names.
    pub fn with_seed(now: Timestamp, clusters: &[(&str, &str, &str)], seed: u64) -> Engine {
        let clusters = clusters
            .iter()
            .map(|(id, name, cloud)| ClusterRecord {
                id: id.to_string(),
                name: name.to_string(),
                cloud_provider: cloud.to_string(),
                operator_running: true,
                operator_version: OPERATOR_VERSION.into(),
                last_heartbeat: Some(now),
                stale: false,
                events_pruned: 0,
            })
            .collect();
        Engine::restore(EngineState {
            now,
            rng: seed,
            next_event_id: 1,
            clusters,
            entities: Vec::new(),
            workloads: Vec::new(),
            manifests: Vec::new(),
            replica_sets: Vec::new(),
            pods: Vec::new(),
            rollouts: Vec::new(),
            events: Vec::new(),
            actions: Vec::new(),
            applies: Vec::new(),
        })
    }

    pub fn restore(state: EngineState) -> Engine {
        #[cfg(debug_assertions)]
        let shadow = Some(Box::new(state.clone()));
        let cluster_clouds: Vec<(String, String)> = state
            .clusters
            .iter()
            .map(|c| (c.id.clone(), c.cloud_provider.clone()))
            .collect();
        let mut engine = Engine {
            now: state.now,
            rng: state.rng,
            next_event_id: state.next_event_id,
            clusters: state.clusters,
            entities: state.entities,
            workloads: state.workloads,
            manifests: state.manifests,
            rollouts: state.rollouts,
            events: state.events,
            actions: state.actions,
            applies: state.applies,
            sim: SimCluster::new(state.replica_sets, state.pods, &cluster_clouds),
            rollout_index: HashMap::new(),
            catalog: catalog::Catalog::default(),
            event_index: HashMap::new(),
            event_counts: HashMap::new(),
            prune_pending: Vec::new(),
            retention: Retention::default(),
            changes: Vec::new(),
            dirty: Vec::new(),
            dirty_set: HashSet::new(),
            faults: Vec::new(),
            panic_on: None,
            panic_outside: false,
            outside_fault: None,
            dry_run: false,
            touched: delta::Touched::default(),
            #[cfg(debug_assertions)]
            shadow,
        };
        engine.catalog = catalog::Catalog::build(&engine.entities);
        engine.rollout_index = engine
            .rollouts
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        engine.rebuild_event_index();
        engine
    }

    pub fn snapshot(&self) -> EngineState {
        EngineState {
            now: self.now,
            rng: self.rng,
            next_event_id: self.next_event_id,
            clusters: self.clusters.clone(),
            entities: self.entities.clone(),
            workloads: self.workloads.clone(),
            manifests: self.manifests.clone(),
            replica_sets: self.sim.replica_sets.clone(),
            pods: self.sim.pods.clone(),
            rollouts: self.rollouts.clone(),
            events: self.events.clone(),
            actions: self.actions.clone(),
            applies: self.applies.clone(),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Apply a multi-document YAML stream, as `kubectl apply -f` would. All or nothing: when a
    /// document is wrong, nothing is applied.
    pub fn apply(&mut self, yaml: &str, now: Timestamp) -> Result<api::ApplyResponse, ApplyError> {
        let stream = validate::parse_stream(yaml)?;
        self.apply_parsed(stream, now)
    }

    /// Applies a stream read beforehand by [`validate::parse_stream`] (which needs no engine, so
    /// a server can run it before taking its lock). Checks that need the engine (known clusters,
    /// where a SpotDeployment runs) happen here; still all or nothing.
    pub fn apply_parsed(
        &mut self,
        stream: validate::ParsedStream,
        now: Timestamp,
    ) -> Result<api::ApplyResponse, ApplyError> {
        self.advance_to(now);
        let result = self.apply_stream(stream);
        self.flush_dirty();
        result
    }

    /// [`apply_parsed`](Engine::apply_parsed), recorded in the audit log as made by `actor`
    /// (when it succeeds: a refused stream changes nothing).
    pub fn apply_as(
        &mut self,
        stream: validate::ParsedStream,
        now: Timestamp,
        actor: &str,
    ) -> Result<api::ApplyResponse, ApplyError> {
        let documents = stream.docs.len();
        let resp = self.apply_parsed(stream, now)?;
        let record = ApplyRecord {
            at: self.now,
            actor: actor.to_string(),
            documents,
            applied: resp
                .applied
                .iter()
                .filter(|a| a.outcome != api::ApplyOutcome::Unchanged)
                .cloned()
                .collect(),
            rollouts_started: resp.rollouts_started.clone(),
            rollouts_canceled: resp.rollouts_canceled.clone(),
            rollouts_resumed: resp.rollouts_resumed.clone(),
        };
        self.applies.push(record.clone());
        self.touched
            .applies
            .insert(delta::action_key(self.applies.len() - 1));
        self.changes.push(Change::Apply(record));
        Ok(resp)
    }

    /// Run the simulation (pods, phases, verifications, heartbeats) up to `now`, in one-second
    /// steps. Stretches with nothing to simulate are skipped at once.
    pub fn advance_to(&mut self, now: Timestamp) {
        self.run_until(now);
        self.flush_dirty();
    }

    pub fn act(
        &mut self,
        rollout_id: &str,
        action: api::ActionKind,
        actor: &str,
        now: Timestamp,
    ) -> Result<api::RolloutDetail, ActionError> {
        self.act_with_reason(rollout_id, action, actor, None, now)
    }

    /// [`act`](Engine::act) with the reason the actor gave: kept with the action record and
    /// shown in the rollout's event ("Roll back by alice: canary error rate 4 %").
    pub fn act_with_reason(
        &mut self,
        rollout_id: &str,
        action: api::ActionKind,
        actor: &str,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<api::RolloutDetail, ActionError> {
        self.advance_to(now);
        let result = self.perform(rollout_id, action, actor, reason);
        self.flush_dirty();
        let shown = result?;
        self.rollout(&shown).ok_or(ActionError::NotFound)
    }

    pub fn set_operator_running(
        &mut self,
        cluster_id: &str,
        running: bool,
        now: Timestamp,
    ) -> Option<api::Cluster> {
        self.advance_to(now);
        let result = self.switch_operator(cluster_id, running);
        self.flush_dirty();
        result
    }

    /// What changed since the last call, oldest first.
    pub fn drain_changes(&mut self) -> Vec<Change> {
        self.flush_dirty();
        std::mem::take(&mut self.changes)
    }

    /// Newest first.
    pub fn rollouts(&self) -> Vec<api::RolloutSummary> {
        self.rollouts
            .iter()
            .rev()
            .map(|r| self.summary(r))
            .collect()
    }

    pub fn rollout_count(&self) -> usize {
        self.rollouts.len()
    }

    pub fn rollout_summary(&self, id: &str) -> Option<api::RolloutSummary> {
        self.find(id).map(|r| self.summary(r))
    }

    pub fn rollout(&self, id: &str) -> Option<api::RolloutDetail> {
        self.find(id).map(|r| self.detail(r))
    }

    /// The rollout's events, newest first.
    pub fn events(&self, rollout_id: &str) -> Option<Vec<api::Event>> {
        self.find(rollout_id)?;
        Some(self.owned_events(&EventOwner::Rollout(rollout_id.to_string())))
    }

    /// The events held for `owner`, newest first.
    pub(crate) fn owned_events(&self, owner: &EventOwner) -> Vec<api::Event> {
        let mut out: Vec<api::Event> = self
            .events
            .iter()
            .filter(|e| owner.owns(&e.event))
            .map(|e| e.event.clone())
            .collect();
        sort_newest_first(&mut out);
        out
    }

    /// Every event (of every rollout and workload) with `id > after`, oldest first.
    pub fn events_since(&self, after: u64) -> Vec<api::Event> {
        let mut out: Vec<api::Event> = self
            .events
            .iter()
            .filter(|e| e.event.id > after)
            .map(|e| e.event.clone())
            .collect();
        out.sort_by_key(|e| e.id);
        out
    }

    pub fn resources(&self, rollout_id: &str) -> Option<api::Resources> {
        self.find(rollout_id).map(|r| self.resources_of(r))
    }

    pub fn definition(&self, rollout_id: &str) -> Option<api::Definition> {
        self.find(rollout_id).map(|r| api::Definition {
            strategy: r.strategy_yaml.clone(),
            rollout_spec: r.rollout_spec_yaml.clone(),
            phase_verifications: r.phase_templates.clone(),
            background_verifications: r.background_templates.clone(),
        })
    }

    pub fn manifests(&self, rollout_id: &str) -> Option<api::Manifests> {
        self.find(rollout_id).map(|r| self.manifests_of(r))
    }

    pub fn workloads(&self) -> Vec<api::Workload> {
        self.workloads
            .iter()
            .map(|w| self.workload_view(w))
            .collect()
    }

    pub fn workload(&self, cluster_id: &str, namespace: &str, name: &str) -> Option<api::Workload> {
        self.workloads
            .iter()
            .find(|w| w.cluster_id == cluster_id && w.namespace == namespace && w.name == name)
            .map(|w| self.workload_view(w))
    }

    pub fn clusters(&self) -> Vec<api::Cluster> {
        self.clusters.iter().map(|c| self.cluster_view(c)).collect()
    }

    pub fn cluster(&self, id: &str) -> Option<api::Cluster> {
        self.clusters
            .iter()
            .find(|c| c.id == id)
            .map(|c| self.cluster_view(c))
    }

    /// Every recorded action, oldest first.
    pub fn action_log(&self) -> &[api::ActionRecord] {
        &self.actions
    }

    /// Every recorded apply, oldest first.
    pub fn apply_log(&self) -> &[ApplyRecord] {
        &self.applies
    }

    /// The applied entity of `kind` named `name` (namespace for namespaced kinds), as YAML.
    pub fn entity(&self, kind: &str, name: &str) -> Option<&EntityRecord> {
        self.entities
            .iter()
            .rev()
            .find(|e| e.kind.eq_ignore_ascii_case(kind) && e.name == name)
    }

    // ------------------------------------------------------------------ internal helpers

    pub(crate) fn find(&self, id: &str) -> Option<&RolloutRecord> {
        self.rollout_index.get(id).map(|&i| &self.rollouts[i])
    }

    pub(crate) fn mark(&mut self, rollout_id: &str) {
        if !self.touched.rollouts.contains(rollout_id) {
            self.touched.rollouts.insert(rollout_id.to_string());
        }
        if self.dirty_set.insert(rollout_id.to_string()) {
            self.dirty.push(rollout_id.to_string());
        }
    }

    pub(crate) fn flush_dirty(&mut self) {
        self.apply_retention();
        for id in self.dirty.drain(..) {
            self.changes.push(Change::Rollout(id));
        }
        self.dirty_set.clear();
    }

    pub(crate) fn workload_changed(&mut self, wi: usize) {
        self.touch_workload(wi);
        let w = &self.workloads[wi];
        let change = Change::Workload {
            cluster_id: w.cluster_id.clone(),
            namespace: w.namespace.clone(),
            name: w.name.clone(),
        };
        if self.changes.last() != Some(&change) {
            self.changes.push(change);
        }
    }

    /// Records an event, or repeats an identical one in place (Kubernetes' count).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record_event(
        &mut self,
        rollout_id: Option<String>,
        cluster_id: &str,
        namespace: &str,
        workload: Option<&str>,
        kind: api::EventType,
        reason: &str,
        object: String,
        message: String,
    ) -> usize {
        let key = (
            rollout_id.clone(),
            object.clone(),
            reason.to_string(),
            message.clone(),
        );
        let index = if let Some(&i) = self.event_index.get(&key) {
            let rec = &mut self.events[i];
            rec.count += 1;
            rec.event.last_timestamp = self.now;
            self.touched.events.insert(rec.event.id.to_string());
            self.changes.push(Change::Event(rec.event.clone()));
            i
        } else {
            let event = api::Event {
                id: self.next_event_id,
                rollout_id: rollout_id.clone(),
                cluster_id: cluster_id.into(),
                namespace: namespace.into(),
                last_timestamp: self.now,
                kind,
                reason: reason.into(),
                object,
                message,
                actor: None,
                action_reason: None,
            };
            self.next_event_id += 1;
            self.touched.events.insert(event.id.to_string());
            self.event_index.insert(key, self.events.len());
            self.events.push(EventRecord {
                event: event.clone(),
                count: 1,
                first_timestamp: self.now,
                workload: workload.map(str::to_string),
            });
            self.count_event(EventOwner::of(&event));
            self.changes.push(Change::Event(event));
            self.events.len() - 1
        };
        if let Some(id) = rollout_id {
            self.mark(&id);
        }
        index
    }

    /// A rollout-level event (`Rollout/<id>`).
    pub(crate) fn rollout_event(
        &mut self,
        ri: usize,
        kind: api::EventType,
        reason: &str,
        message: String,
    ) -> usize {
        let r = &self.rollouts[ri];
        let (id, cluster, ns, wl) = (
            r.id.clone(),
            r.cluster_id.clone(),
            r.namespace.clone(),
            r.spot_deployment.clone(),
        );
        self.record_event(
            Some(id.clone()),
            &cluster,
            &ns,
            Some(&wl),
            kind,
            reason,
            format!("Rollout/{id}"),
            message,
        )
    }

    /// The event of a user's action on a rollout, carrying who acted and why (never merged
    /// with an earlier one: each action is its own event).
    pub(crate) fn action_event(
        &mut self,
        ri: usize,
        reason: &str,
        message: String,
        actor: &str,
        action_reason: Option<&str>,
    ) {
        let i = self.rollout_event(ri, api::EventType::Normal, reason, message);
        let rec = &mut self.events[i];
        rec.event.actor = Some(actor.to_string());
        rec.event.action_reason = action_reason.map(str::to_string);
        let event = rec.event.clone();
        // The change just recorded for it carries the same fields.
        if let Some(Change::Event(e)) = self.changes.last_mut() {
            if e.id == event.id {
                *e = event;
            }
        }
    }

    /// Records what the cluster reported, attached to the workload's current (or last) rollout.
    pub(crate) fn absorb(&mut self, events: Vec<K8sEvent>) {
        for e in events {
            let rollout_id = self
                .workloads
                .iter()
                .find(|w| {
                    w.cluster_id == e.cluster_id
                        && w.namespace == e.namespace
                        && w.name == e.workload
                })
                .and_then(|w| w.active_rollout.clone().or_else(|| w.last_rollout.clone()));
            self.record_event(
                rollout_id,
                &e.cluster_id,
                &e.namespace,
                Some(&e.workload),
                e.kind,
                &e.reason,
                e.object,
                e.message,
            );
        }
    }

    /// Scales a ReplicaSet and records what the cluster reported.
    pub(crate) fn scale(&mut self, cluster_id: &str, namespace: &str, rs: &str, replicas: u32) {
        let mut events = Vec::new();
        let mut ctx = cluster::Ctx {
            now: self.now,
            rng: &mut self.rng,
            events: &mut events,
        };
        self.sim
            .scale(cluster_id, namespace, rs, replicas, &mut ctx);
        self.absorb(events);
    }
}

pub(crate) fn event_key(e: &api::Event) -> (Option<String>, String, String, String) {
    (
        e.rollout_id.clone(),
        e.object.clone(),
        e.reason.clone(),
        e.message.clone(),
    )
}

pub(crate) fn sort_newest_first(events: &mut [api::Event]) {
    events.sort_by(|a, b| {
        b.last_timestamp
            .cmp(&a.last_timestamp)
            .then(b.id.cmp(&a.id))
    });
}
