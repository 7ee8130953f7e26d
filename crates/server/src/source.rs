//! Where rollouts come from. Handlers, the stream and the console read through [`Source`] and
//! never know which one it is:
//!
//! - [`Source::Engine`]: the embedded simulator (Ocean CD semantics on a simulated cluster,
//!   stored in SQLite), the default;
//! - [`Source::Kube`]: Argo Rollouts / Kubernetes objects mapped by `rollout-kube` — a snapshot
//!   read from files (`serve --snapshot`), or live clusters' watch caches (`serve --kubeconfig`,
//!   see [`crate::live`]).

use crate::core::{Core, PersistError};
use crate::stream::Hub;
use rollout_api as api;
use rollout_api::{StreamMessage, Timestamp};
use rollout_engine::{ActionError, EventHistory};
use rollout_kube::View;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

/// The message every change to a snapshot answers (409).
pub const SNAPSHOT_READ_ONLY: &str = "snapshot: read-only";

/// What a dry run on a source without the simulator says.
pub const CHECKED_ONLY: &str =
    "Checked only: this server shows Kubernetes objects, where documents are not applied";

/// Why a source did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("no rollout `{0}`")]
    NotFound(String),
    /// The source cannot change anything (a snapshot); the text says why.
    #[error("{0}")]
    ReadOnly(&'static str),
    /// The rollout's state refuses the action (or the cluster's API server did).
    #[error("{0}")]
    Refused(String),
    /// The cluster's API server refused the server's identity (RBAC, 403); its message.
    #[error("{0}")]
    Forbidden(String),
    /// Only the simulator does this (apply, clock, operator switch).
    #[error("{0}")]
    NotSimulated(&'static str),
    #[error("the change was made but not saved: {}", .0.0)]
    Persist(PersistError),
}

impl From<PersistError> for SourceError {
    fn from(e: PersistError) -> SourceError {
        SourceError::Persist(e)
    }
}

#[derive(Clone)]
pub enum Source {
    Engine(Arc<Core>),
    Kube(Arc<KubeSource>),
}

impl Source {
    /// The time the console treats as now: the simulated clock, or when the snapshot was taken.
    pub fn now(&self) -> Timestamp {
        match self {
            Source::Engine(c) => c.now(),
            Source::Kube(k) => k.now(),
        }
    }

    pub fn hub(&self) -> &Hub {
        match self {
            Source::Engine(c) => c.hub(),
            Source::Kube(k) => &k.hub,
        }
    }

    /// The simulator behind this source, for what only it does (apply, clock, operator switch).
    pub fn engine(&self) -> Result<&Arc<Core>, SourceError> {
        match self {
            Source::Engine(c) => Ok(c),
            Source::Kube(k) => Err(k.refusal()),
        }
    }

    /// Present when the source is a snapshot (Health tells the console).
    pub fn snapshot(&self) -> Option<&api::SnapshotInfo> {
        match self {
            Source::Engine(_) => None,
            Source::Kube(k) => match &k.mode {
                KubeMode::Snapshot(info) => Some(info),
                KubeMode::Live(_) => None,
            },
        }
    }

    /// Live clusters' connections (empty for the simulator and a snapshot).
    pub fn live_health(&self) -> Vec<api::LiveCluster> {
        match self {
            Source::Kube(k) => match &k.mode {
                KubeMode::Live(live) => live.health(),
                KubeMode::Snapshot(_) => Vec::new(),
            },
            Source::Engine(_) => Vec::new(),
        }
    }

    /// Every rollout summary (a shared snapshot, cheap).
    pub fn rollouts(&self) -> Arc<Vec<api::RolloutSummary>> {
        match self {
            Source::Engine(c) => c.rollouts(),
            Source::Kube(k) => k.summaries(),
        }
    }

    pub fn clusters(&self) -> Arc<Vec<api::Cluster>> {
        match self {
            Source::Engine(c) => c.clusters(),
            Source::Kube(k) => Arc::new(k.view().clusters.clone()),
        }
    }

    pub async fn rollout(&self, id: &str) -> Option<api::RolloutDetail> {
        match self {
            Source::Engine(c) => c.read(|e| e.rollout(id)).await,
            Source::Kube(k) => k.view().rollout(id).map(|m| k.detail(&m.detail)),
        }
    }

    /// The rollout's events, newest first, with what retention removed.
    pub async fn events(&self, id: &str) -> Option<EventHistory> {
        let mut h = match self {
            Source::Engine(c) => c.read(|e| e.event_history(id)).await?,
            Source::Kube(k) => {
                let view = k.view();
                let m = view.rollout(id)?;
                EventHistory {
                    events: m.events.clone(),
                    pruned: m.events_pruned,
                    limit: crate::history::KEEP_EVENTS,
                }
            }
        };
        h.events.sort_by(|a, b| {
            b.last_timestamp
                .cmp(&a.last_timestamp)
                .then(b.id.cmp(&a.id))
        });
        Some(h)
    }

    /// The cluster's events that belong to no rollout, newest first, with what retention
    /// removed. A live cluster's events all belong to a rollout: it has none.
    pub async fn cluster_events(&self, id: &str) -> Option<EventHistory> {
        match self {
            Source::Engine(c) => c.read(|e| e.cluster_event_history(id)).await,
            Source::Kube(k) => k
                .view()
                .clusters
                .iter()
                .any(|c| c.id == id)
                .then(|| EventHistory {
                    events: Vec::new(),
                    pruned: 0,
                    limit: crate::history::KEEP_EVENTS,
                }),
        }
    }

    pub async fn resources(&self, id: &str) -> Option<api::Resources> {
        match self {
            Source::Engine(c) => c.read(|e| e.resources(id)).await,
            Source::Kube(k) => k.view().rollout(id).map(|m| m.resources.clone()),
        }
    }

    pub async fn definition(&self, id: &str) -> Option<api::Definition> {
        match self {
            Source::Engine(c) => c.read(|e| e.definition(id)).await,
            Source::Kube(k) => k.view().rollout(id).map(|m| m.definition.clone()),
        }
    }

    pub async fn manifests(&self, id: &str) -> Option<api::Manifests> {
        match self {
            Source::Engine(c) => c.read(|e| e.manifests(id)).await,
            Source::Kube(k) => k.view().rollout(id).map(|m| m.manifests.clone()),
        }
    }

    pub async fn workloads(&self) -> Vec<api::Workload> {
        match self {
            Source::Engine(c) => c.read(|e| e.workloads()).await,
            Source::Kube(k) => k.view().workloads.clone(),
        }
    }

    pub async fn workload(&self, cluster: &str, ns: &str, name: &str) -> Option<api::Workload> {
        match self {
            Source::Engine(c) => c.read(|e| e.workload(cluster, ns, name)).await,
            Source::Kube(k) => k.view().workload(cluster, ns, name).cloned(),
        }
    }

    /// The desired revision's manifest as applied: `(revision, yaml)`.
    pub async fn workload_manifest(
        &self,
        cluster: &str,
        ns: &str,
        name: &str,
    ) -> Option<(u32, String)> {
        match self {
            Source::Engine(c) => {
                c.read(|e| {
                    let w = e.workload(cluster, ns, name)?;
                    // The facade has no accessor for one manifest yet: look it up in the state.
                    e.snapshot()
                        .manifests
                        .into_iter()
                        .find(|m| {
                            m.cluster_id == cluster
                                && m.namespace == ns
                                && m.name == name
                                && m.revision == w.desired_revision
                        })
                        .map(|m| (m.revision, m.yaml))
                })
                .await
            }
            Source::Kube(k) => {
                let view = k.view();
                view.workload(cluster, ns, name)?;
                view.desired_manifests
                    .get(&(ns.to_string(), name.to_string()))
                    .cloned()
            }
        }
    }

    /// The audit log, newest first: actions (and, on the simulator, applies). A snapshot has
    /// none.
    pub async fn audit(&self) -> Vec<api::AuditEntry> {
        match self {
            Source::Engine(c) => {
                c.read(|e| crate::audit::entries(e.action_log(), e.apply_log()))
                    .await
            }
            Source::Kube(k) => match &k.mode {
                KubeMode::Live(live) => crate::audit::entries(&live.all_activity(), &[]),
                KubeMode::Snapshot(_) => Vec::new(),
            },
        }
    }

    /// Promote, pause, resume, roll back or retry.
    pub async fn act(
        &self,
        id: &str,
        action: api::ActionKind,
        actor: &str,
        reason: Option<&str>,
    ) -> Result<api::RolloutDetail, SourceError> {
        match self {
            Source::Engine(c) => match c.act(id, action, actor, reason).await? {
                Ok(detail) => Ok(detail),
                Err(ActionError::NotFound) => Err(SourceError::NotFound(id.to_string())),
                Err(ActionError::Refused(why)) => Err(SourceError::Refused(why)),
            },
            Source::Kube(k) => {
                let Some(mapped) = k.view().rollout(id).cloned() else {
                    return Err(SourceError::NotFound(id.to_string()));
                };
                let KubeMode::Live(live) = &k.mode else {
                    return Err(k.refusal());
                };
                if let Some(a) = k
                    .detail(&mapped.detail)
                    .actions
                    .iter()
                    .find(|a| a.action == action)
                {
                    if !a.enabled {
                        return Err(SourceError::Refused(
                            a.reason.clone().unwrap_or_else(|| "not now".into()),
                        ));
                    }
                }
                let generation = k.generation();
                crate::live::act(live, &mapped, action, actor, reason).await?;
                // The watch brings the change back: answer with it when it comes soon.
                k.changed_since(generation, std::time::Duration::from_millis(1500))
                    .await;
                let view = k.view();
                let m = view.rollout(id).unwrap_or(&mapped);
                Ok(k.detail(&m.detail))
            }
        }
    }
}

/// How a Kubernetes source gets its objects.
pub enum KubeMode {
    /// Read once from files; nothing changes.
    Snapshot(api::SnapshotInfo),
    /// Watched on live clusters.
    Live(Arc<crate::live::Live>),
}

/// Kubernetes objects mapped for the console, behind a lock so a live source can swap in a
/// new view (the snapshot never does).
pub struct KubeSource {
    view: RwLock<Arc<View>>,
    summaries: RwLock<Arc<Vec<api::RolloutSummary>>>,
    hub: Hub,
    mode: KubeMode,
    now: Timestamp,
    /// Bumped on every swap (an action waits for the change it made).
    generation: tokio::sync::watch::Sender<u64>,
}

impl KubeSource {
    pub fn new(view: View, mode: KubeMode, now: Timestamp, hub: Hub) -> KubeSource {
        let summaries = Arc::new(view.summaries.clone());
        KubeSource {
            view: RwLock::new(Arc::new(view)),
            summaries: RwLock::new(summaries),
            hub,
            mode,
            now,
            generation: tokio::sync::watch::channel(0).0,
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.mode {
            KubeMode::Snapshot(_) => self.now,
            KubeMode::Live(_) => chrono::Utc::now(),
        }
    }

    pub fn mode(&self) -> &KubeMode {
        &self.mode
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    fn generation(&self) -> u64 {
        *self.generation.borrow()
    }

    /// Waits (at most `limit`) for a swap after `generation`.
    async fn changed_since(&self, generation: u64, limit: std::time::Duration) {
        let mut rx = self.generation.subscribe();
        let _ = tokio::time::timeout(limit, rx.wait_for(|g| *g > generation)).await;
    }

    /// Puts a new view in place; answers the stream messages for what changed (rollouts whose
    /// summary, detail or resources differ, new events, clusters) and the ids of the rollouts
    /// that changed.
    pub fn swap(&self, view: View) -> (Vec<StreamMessage>, Vec<String>) {
        let old = self.view();
        let mut msgs = Vec::new();
        let mut changed = Vec::new();
        for c in &view.clusters {
            if !old.clusters.iter().any(|o| same_cluster(o, c)) {
                msgs.push(StreamMessage::Cluster { cluster: c.clone() });
            }
        }
        let old_events: HashSet<(String, String, String, Timestamp)> = old
            .mapped()
            .flat_map(|m| m.events.iter().map(event_key))
            .collect();
        let mut new_events: HashMap<(String, String, String, Timestamp), api::Event> =
            HashMap::new();
        for s in &view.summaries {
            let Some(m) = view.rollout(&s.id) else {
                continue;
            };
            let differs = match old.rollout(&s.id) {
                None => true,
                Some(o) => {
                    o.summary != m.summary || o.detail != m.detail || o.resources != m.resources
                }
            };
            if differs {
                changed.push(s.id.clone());
                msgs.push(StreamMessage::Rollout { rollout: s.clone() });
            }
            for e in &m.events {
                let k = event_key(e);
                if !old_events.contains(&k) {
                    new_events.entry(k).or_insert_with(|| e.clone());
                }
            }
        }
        for w in &view.workloads {
            let same = old.workload(&w.cluster_id, &w.namespace, &w.name) == Some(w);
            if !same {
                msgs.push(StreamMessage::Workload {
                    workload: w.clone(),
                });
            }
        }
        let mut events: Vec<api::Event> = new_events.into_values().collect();
        events.sort_by(|a, b| {
            a.last_timestamp
                .cmp(&b.last_timestamp)
                .then(a.id.cmp(&b.id))
        });
        msgs.extend(
            events
                .into_iter()
                .map(|event| StreamMessage::Event { event }),
        );
        let summaries = Arc::new(view.summaries.clone());
        *self.view.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(view);
        *self.summaries.write().unwrap_or_else(|e| e.into_inner()) = summaries;
        self.generation.send_modify(|g| *g += 1);
        (msgs, changed)
    }

    pub fn view(&self) -> Arc<View> {
        self.view.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn summaries(&self) -> Arc<Vec<api::RolloutSummary>> {
        self.summaries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn refusal(&self) -> SourceError {
        match &self.mode {
            KubeMode::Snapshot(_) => SourceError::ReadOnly(SNAPSHOT_READ_ONLY),
            KubeMode::Live(_) => SourceError::NotSimulated(
                "this server shows live clusters: only the simulator does this",
            ),
        }
    }

    /// The detail as this source serves it: a snapshot offers no action.
    fn detail(&self, d: &api::RolloutDetail) -> api::RolloutDetail {
        let mut d = d.clone();
        match &self.mode {
            KubeMode::Snapshot(_) => {
                for a in &mut d.actions {
                    a.enabled = false;
                    a.reason = Some(SNAPSHOT_READ_ONLY.to_string());
                }
            }
            KubeMode::Live(live) => {
                // As of now, even before the view that records it is built.
                if let Some(activity) = live.activity(&d.id) {
                    d.activity = activity;
                }
                let running = !d.status.is_completed();
                if let Some(h) = live.heartbeat_lost(&d.cluster_id, running) {
                    d.conditions.heartbeat_lost = Some(h);
                }
            }
        }
        d
    }
}

/// Clusters equal but for the heartbeat time of a connected one (it is always "now").
fn same_cluster(a: &api::Cluster, b: &api::Cluster) -> bool {
    a.id == b.id
        && a.name == b.name
        && a.heartbeat_stale == b.heartbeat_stale
        && a.operator == b.operator
        && (b.last_heartbeat_time.is_some() == a.last_heartbeat_time.is_some())
}

fn event_key(e: &api::Event) -> (String, String, String, Timestamp) {
    (
        e.object.clone(),
        e.reason.clone(),
        e.message.clone(),
        e.last_timestamp,
    )
}
