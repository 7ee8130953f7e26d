//! The rollout controller: Ocean CD semantics over a simulated Kubernetes cluster.
//!
//! Pure library: no HTTP, no database, no wall clock. The caller (the server, or a test) passes
//! the time in (`advance_to`, `apply`, `act`) and persists what `drain_changes` hands out.
//!
//! SKELETON: the public facade below is the contract the server codes against. The engine
//! implementation fills the bodies; keep the signatures (add to them freely).

use rollout_api as api;
use serde::{Deserialize, Serialize};

pub use api::Timestamp;

/// Why `apply` refused a YAML stream: names the document (1-based), field and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyError {
    pub message: String,
    pub document: usize,
    pub line: usize,
    pub column: usize,
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    NotFound,
    /// The current state forbids it; the message says why.
    Refused(String),
}

/// Something that changed; the server persists it and forwards it to the live stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change {
    Rollout(String),
    Event(api::Event),
    Cluster(String),
    Action(api::ActionRecord),
}

/// Everything the engine knows, for storage. `Engine::restore(state)` continues where it was.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EngineState {}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Engine {}

impl Engine {
    /// A fresh engine whose clusters are `(id, name, cloud provider)`; every operator running.
    pub fn new(now: Timestamp, clusters: &[(&str, &str, &str)]) -> Engine {
        let _ = (now, clusters);
        Engine {}
    }
    pub fn restore(state: EngineState) -> Engine {
        let _ = state;
        Engine {}
    }
    pub fn snapshot(&self) -> EngineState {
        EngineState {}
    }
    pub fn now(&self) -> Timestamp {
        todo!()
    }
    /// Apply a multi-document YAML stream, as `kubectl apply -f` would.
    pub fn apply(&mut self, yaml: &str, now: Timestamp) -> Result<api::ApplyResponse, ApplyError> {
        let _ = (yaml, now);
        todo!()
    }
    /// Run the simulation (pods, phases, verifications, heartbeats) up to `now`.
    pub fn advance_to(&mut self, now: Timestamp) {
        let _ = now;
    }
    pub fn act(
        &mut self,
        rollout_id: &str,
        action: api::ActionKind,
        actor: &str,
        now: Timestamp,
    ) -> Result<api::RolloutDetail, ActionError> {
        let _ = (rollout_id, action, actor, now);
        Err(ActionError::NotFound)
    }
    pub fn set_operator_running(&mut self, cluster_id: &str, running: bool, now: Timestamp) -> Option<api::Cluster> {
        let _ = (cluster_id, running, now);
        None
    }
    pub fn drain_changes(&mut self) -> Vec<Change> {
        Vec::new()
    }
    pub fn rollouts(&self) -> Vec<api::RolloutSummary> {
        Vec::new()
    }
    pub fn rollout(&self, id: &str) -> Option<api::RolloutDetail> {
        let _ = id;
        None
    }
    pub fn events(&self, rollout_id: &str) -> Option<Vec<api::Event>> {
        let _ = rollout_id;
        None
    }
    pub fn resources(&self, rollout_id: &str) -> Option<api::Resources> {
        let _ = rollout_id;
        None
    }
    pub fn definition(&self, rollout_id: &str) -> Option<api::Definition> {
        let _ = rollout_id;
        None
    }
    pub fn manifests(&self, rollout_id: &str) -> Option<api::Manifests> {
        let _ = rollout_id;
        None
    }
    pub fn workloads(&self) -> Vec<api::Workload> {
        Vec::new()
    }
    pub fn clusters(&self) -> Vec<api::Cluster> {
        Vec::new()
    }
}
