//! Where rollouts come from. Handlers, the stream and the console read through [`Source`] and
//! never know which one it is:
//!
//! - [`Source::Engine`]: the embedded simulator (Ocean CD semantics on a simulated cluster,
//!   stored in SQLite), the default;
//! - [`Source::Kube`]: Argo Rollouts / Kubernetes objects mapped by `rollout-kube` — a snapshot
//!   read from files (`serve --snapshot`) today; a live cluster's watch caches later.

use crate::core::{Core, PersistError};
use crate::stream::Hub;
use rollout_api as api;
use rollout_api::Timestamp;
use rollout_engine::ActionError;
use rollout_kube::View;
use std::sync::{Arc, RwLock};

/// The message every change to a snapshot answers (409).
pub const SNAPSHOT_READ_ONLY: &str = "snapshot: read-only";

/// Why a source did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("no rollout `{0}`")]
    NotFound(String),
    /// The source cannot change anything (a snapshot); the text says why.
    #[error("{0}")]
    ReadOnly(&'static str),
    /// The rollout's state refuses the action.
    #[error("{0}")]
    Refused(String),
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
            },
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

    /// The rollout's events, newest first.
    pub async fn events(&self, id: &str) -> Option<Vec<api::Event>> {
        let mut events = match self {
            Source::Engine(c) => c.read(|e| e.events(id)).await?,
            Source::Kube(k) => k.view().rollout(id)?.events.clone(),
        };
        events.sort_by(|a, b| {
            b.last_timestamp
                .cmp(&a.last_timestamp)
                .then(b.id.cmp(&a.id))
        });
        Some(events)
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

    /// Promote, pause, resume, roll back or retry.
    pub async fn act(
        &self,
        id: &str,
        action: api::ActionKind,
        actor: &str,
    ) -> Result<api::RolloutDetail, SourceError> {
        match self {
            Source::Engine(c) => match c.act(id, action, actor).await? {
                Ok(detail) => Ok(detail),
                Err(ActionError::NotFound) => Err(SourceError::NotFound(id.to_string())),
                Err(ActionError::Refused(why)) => Err(SourceError::Refused(why)),
            },
            Source::Kube(k) => {
                if k.view().rollout(id).is_none() {
                    return Err(SourceError::NotFound(id.to_string()));
                }
                Err(k.refusal())
            }
        }
    }
}

/// How a Kubernetes source gets its objects.
pub enum KubeMode {
    /// Read once from files; nothing changes.
    Snapshot(api::SnapshotInfo),
}

/// Kubernetes objects mapped for the console, behind a lock so a live source can swap in a
/// new view (the snapshot never does).
pub struct KubeSource {
    view: RwLock<Arc<View>>,
    summaries: RwLock<Arc<Vec<api::RolloutSummary>>>,
    hub: Hub,
    mode: KubeMode,
    now: Timestamp,
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
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.mode {
            KubeMode::Snapshot(_) => self.now,
        }
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
        }
        d
    }
}
