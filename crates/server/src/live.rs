//! `serve --kubeconfig`: live clusters through kube-rs (`rollout-kube-live`). Each cluster's
//! watch sends a new view when its objects change; this merges the clusters' views with the
//! revisions the history keeps, swaps the result into the [`KubeSource`], announces what
//! changed on the live stream, and records new observations.

use crate::history::{self, History};
use crate::source::{KubeMode, KubeSource, SourceError};
use crate::stream::Hub;
use rollout_api as api;
use rollout_kube::map::Mapped;
use rollout_kube::View;
use rollout_kube_live::{ClusterStatus, ClusterUpdate, ControllerState, Target};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

pub struct Options {
    /// A kubeconfig file; None: `$KUBECONFIG`, `~/.kube/config`, or the pod's service account.
    pub kubeconfig: Option<PathBuf>,
    /// Contexts to show, each a cluster; empty: the current context.
    pub contexts: Vec<String>,
    /// Namespaces to watch; empty: all.
    pub namespaces: Vec<String>,
    /// Where the history is kept (None: in memory only, for tests).
    pub data_dir: Option<PathBuf>,
}

/// The live clusters behind a [`KubeSource`].
pub struct Live {
    clusters: Vec<Target>,
    state: Mutex<State>,
    history: Option<History>,
}

#[derive(Default)]
struct State {
    views: HashMap<String, Arc<View>>,
    status: HashMap<String, ClusterStatus>,
    /// Every revision recorded (from the store at start, then as observed).
    past: HashMap<String, Mapped>,
    /// Actions taken through this server, per rollout (kept with the history).
    activity: HashMap<String, Vec<api::ActionRecord>>,
}

impl Live {
    pub fn targets(&self) -> &[Target] {
        &self.clusters
    }

    pub fn status(&self, cluster_id: &str) -> Option<ClusterStatus> {
        self.lock().status.get(cluster_id).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Actions taken through this server on a rollout (oldest first).
    pub fn activity(&self, rollout_id: &str) -> Option<Vec<api::ActionRecord>> {
        self.lock().activity.get(rollout_id).cloned()
    }

    /// Every action taken through this server, oldest first.
    pub fn all_activity(&self) -> Vec<api::ActionRecord> {
        let mut all: Vec<api::ActionRecord> =
            self.lock().activity.values().flatten().cloned().collect();
        all.sort_by_key(|a| a.at);
        all
    }

    /// `/health`: each cluster's connection.
    pub fn health(&self) -> Vec<api::LiveCluster> {
        let st = self.lock();
        self.clusters
            .iter()
            .map(|t| {
                let s = st.status.get(&t.id);
                let (controller, controller_version) = match s.map(|s| &s.controller) {
                    Some(ControllerState::Available { version }) => {
                        ("available", Some(version.clone()))
                    }
                    Some(ControllerState::Unavailable { version, .. }) => {
                        ("unavailable", Some(version.clone()))
                    }
                    Some(ControllerState::Missing) => ("missing", None),
                    Some(ControllerState::Forbidden) => ("forbidden", None),
                    Some(ControllerState::Unknown) | None => ("unknown", None),
                };
                api::LiveCluster {
                    id: t.id.clone(),
                    context: t.name.clone(),
                    state: connection_word(s).into(),
                    since: s.map(|s| s.since).unwrap_or_else(chrono::Utc::now),
                    last_contact: s.and_then(|s| s.last_contact),
                    problem: s.and_then(|s| s.problem.clone()),
                    failures: s.map(|s| s.failures).unwrap_or(0),
                    forbidden: s
                        .map(|s| {
                            s.forbidden
                                .iter()
                                .map(|(k, m)| format!("{k}: {m}"))
                                .collect()
                        })
                        .unwrap_or_default(),
                    controller: controller.into(),
                    controller_version,
                }
            })
            .collect()
    }

    /// The heartbeat banner's facts for a rollout of `cluster_id`, when its heartbeat is lost:
    /// the API server does not answer (reconnecting), or the controller is not available.
    pub fn heartbeat_lost(
        &self,
        cluster_id: &str,
        running: bool,
    ) -> Option<api::HeartbeatCondition> {
        let st = self.lock();
        let s = st.status.get(cluster_id)?;
        let why = if !s.connected && s.last_contact.is_some() {
            Some(format!(
                "The connection to the cluster's API server is lost ({}); reconnecting{}.",
                s.problem.as_deref().unwrap_or("no answer"),
                match s.failures {
                    0 | 1 => String::new(),
                    n => format!(" (attempt {n})"),
                }
            ))
        } else {
            match &s.controller {
                ControllerState::Unavailable { message, .. } => Some(format!(
                    "The Argo Rollouts controller's Deployment is not available: {message}"
                )),
                ControllerState::Missing => Some(
                    "No Argo Rollouts controller Deployment (label \
                     app.kubernetes.io/component=rollouts-controller) in the cluster."
                        .into(),
                ),
                _ => None,
            }
        }?;
        Some(api::HeartbeatCondition {
            last_heartbeat_time: s.last_contact,
            during_rollout: running,
            reconnecting: Some(why),
        })
    }
}

fn connection_word(s: Option<&ClusterStatus>) -> &'static str {
    match s {
        Some(s) if s.connected && s.synced => "connected",
        Some(s) if s.connected => "connecting",
        Some(s) if s.last_contact.is_some() => "reconnecting",
        _ => "connecting",
    }
}

/// The console's cluster entry for one live cluster.
fn cluster_entry(t: &Target, s: Option<&ClusterStatus>) -> api::Cluster {
    let now = chrono::Utc::now();
    let connected = s.is_some_and(|s| s.connected);
    let (running, version) = match s.map(|s| &s.controller) {
        Some(ControllerState::Available { version }) => (true, format!("Argo Rollouts {version}")),
        Some(ControllerState::Unavailable { version, .. }) => {
            (false, format!("Argo Rollouts {version} (not available)"))
        }
        Some(ControllerState::Missing) => (false, "Argo Rollouts (no controller found)".into()),
        // Not allowed to look: do not claim it is down.
        Some(ControllerState::Forbidden) => (true, "Argo Rollouts (not visible)".into()),
        Some(ControllerState::Unknown) | None => (true, "Argo Rollouts".into()),
    };
    api::Cluster {
        id: t.id.clone(),
        name: t.name.clone(),
        cloud_provider: "Kubernetes".into(),
        last_heartbeat_time: if connected {
            Some(now)
        } else {
            s.and_then(|s| s.last_contact)
        },
        heartbeat_stale: s.is_some_and(|s| !s.connected && s.last_contact.is_some()),
        operator: api::OperatorInfo {
            running: running && connected,
            version,
            heartbeat_interval_seconds: rollout_kube_live::watch::PROBE_EVERY.as_secs(),
        },
    }
}

/// Connects, loads the history and starts watching. Answers once the clients exist (the
/// clusters fill in as their first lists arrive).
pub async fn open(opts: Options) -> Result<Arc<KubeSource>, String> {
    let targets =
        rollout_kube_live::connect(opts.kubeconfig.as_deref(), &opts.contexts, &opts.namespaces)
            .await
            .map_err(|e| e.to_string())?;
    let history = match &opts.data_dir {
        Some(dir) => {
            let dir = dir.clone();
            Some(
                tokio::task::spawn_blocking(move || History::open(&dir))
                    .await
                    .map_err(|e| e.to_string())??,
            )
        }
        None => None,
    };
    Ok(start(targets, history).await)
}

/// Starts watching `targets` (tests call this with clients of a fake API server).
pub async fn start(targets: Vec<Target>, history: Option<History>) -> Arc<KubeSource> {
    let past = match &history {
        Some(h) => {
            let h = h.clone();
            tokio::task::spawn_blocking(move || h.load())
                .await
                .ok()
                .and_then(|r| r.map_err(|e| tracing::error!("history: {e}")).ok())
                .unwrap_or_default()
        }
        None => HashMap::new(),
    };
    let activity = past
        .iter()
        .filter(|(_, m)| !m.detail.activity.is_empty())
        .map(|(id, m)| (id.clone(), m.detail.activity.clone()))
        .collect();
    let live = Arc::new(Live {
        clusters: targets.clone(),
        state: Mutex::new(State {
            past,
            activity,
            ..State::default()
        }),
        history,
    });
    let view = merged(&live);
    let source = Arc::new(KubeSource::new(
        view,
        KubeMode::Live(live.clone()),
        chrono::Utc::now(),
        Hub::new(crate::boot::REPLAY_CAPACITY),
    ));
    let (tx, mut rx) = mpsc::unbounded_channel::<ClusterUpdate>();
    for t in targets {
        let mut updates = rollout_kube_live::spawn(t);
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(u) = updates.recv().await {
                if tx.send(u).is_err() {
                    return;
                }
            }
        });
    }
    drop(tx);
    let weak = Arc::downgrade(&source);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while let Ok(more) = rx.try_recv() {
                batch.push(more);
            }
            let Some(source) = weak.upgrade() else {
                return;
            };
            apply(&source, &live, batch).await;
        }
    });
    source
}

async fn apply(source: &KubeSource, live: &Arc<Live>, batch: Vec<ClusterUpdate>) {
    for u in batch {
        let mut st = live.lock();
        let was = st.status.get(&u.cluster_id).map(|s| s.connected);
        if was != Some(u.status.connected) {
            let t = live.clusters.iter().find(|t| t.id == u.cluster_id);
            let name = t.map(|t| t.name.as_str()).unwrap_or("?");
            if u.status.connected {
                tracing::info!("cluster {name}: connected ({} objects)", u.objects);
            } else if u.status.last_contact.is_some() {
                tracing::warn!(
                    "cluster {name}: connection lost, reconnecting: {}",
                    u.status.problem.as_deref().unwrap_or("?")
                );
            }
        }
        for (kind, message) in &u.status.forbidden {
            if st
                .status
                .get(&u.cluster_id)
                .is_none_or(|s| !s.forbidden.contains_key(kind))
            {
                tracing::warn!("cluster {}: may not read {kind}: {message}", u.cluster_id);
            }
        }
        st.status.insert(u.cluster_id.clone(), u.status);
        if let Some(v) = u.view {
            st.views.insert(u.cluster_id, v);
        }
    }
    let view = merged(live);
    let (msgs, changed) = source.swap(view);
    // Record what changed (after the swap: the console never waits for the disk).
    if !changed.is_empty() {
        let fresh: Vec<Mapped> = {
            let v = source.view();
            changed
                .iter()
                .filter_map(|id| v.rollout(id).cloned())
                .collect()
        };
        {
            let mut st = live.lock();
            for m in &fresh {
                st.past.insert(m.summary.id.clone(), m.clone());
            }
        }
        if let Some(h) = live.history.clone() {
            let res = tokio::task::spawn_blocking(move || h.record(&fresh)).await;
            if let Ok(Err(e)) | Err(e) = res.map_err(|e| e.to_string()) {
                tracing::error!("history not saved: {e}");
            }
        }
    }
    source.hub().publish(msgs);
}

/// The clusters' views in kubeconfig order, each revision with the events the history kept,
/// plus the revisions only the history still has.
fn merged(live: &Live) -> View {
    let st = live.lock();
    let mut out = View::default();
    for t in &live.clusters {
        let mut v = match st.views.get(&t.id) {
            Some(v) => (**v).clone(),
            None => View::default(),
        };
        v.clusters = vec![cluster_entry(t, st.status.get(&t.id))];
        out.merge(v);
    }
    let with_events: Vec<Mapped> = out
        .mapped()
        .filter_map(|m| {
            let before = st.past.get(&m.summary.id)?;
            Some(history::with_past_events(m.clone(), before))
        })
        .collect();
    for m in with_events {
        out.replace(m);
    }
    let with_activity: Vec<Mapped> = st
        .activity
        .iter()
        .filter_map(|(id, records)| {
            let mut m = out.rollout(id)?.clone();
            m.detail.activity = records.clone();
            Some(m)
        })
        .collect();
    for m in with_activity {
        out.replace(m);
    }
    let shown: std::collections::HashSet<&str> =
        live.clusters.iter().map(|t| t.id.as_str()).collect();
    for m in st.past.values() {
        // A cluster no longer shown (its context not asked for) stays out.
        if shown.contains(m.summary.cluster_id.as_str()) {
            let mut m = past_revision(m);
            if let Some(records) = st.activity.get(&m.summary.id) {
                m.detail.activity = records.clone();
            }
            out.add_past(m);
        }
    }
    out
}

/// A revision only the history has: shown as last observed, with no action.
fn past_revision(m: &Mapped) -> Mapped {
    let mut m = m.clone();
    for a in &mut m.detail.actions {
        a.enabled = false;
        a.reason = Some("The cluster no longer has this revision".into());
    }
    m
}

/// Performs an action on a live rollout through the cluster's API server.
pub async fn act(
    live: &Live,
    mapped: &Mapped,
    action: api::ActionKind,
    actor: &str,
    reason: Option<&str>,
) -> Result<(), SourceError> {
    let k = mapped
        .detail
        .kubernetes
        .as_ref()
        .ok_or_else(|| SourceError::NotFound(mapped.summary.id.clone()))?;
    let target = live
        .clusters
        .iter()
        .find(|t| t.id == mapped.summary.cluster_id)
        .ok_or_else(|| SourceError::NotFound(mapped.summary.id.clone()))?;
    match rollout_kube_live::act(&target.client, &k.namespace, &k.name, action).await {
        Ok(sent) => {
            live.lock()
                .activity
                .entry(mapped.summary.id.clone())
                .or_default()
                .push(api::ActionRecord {
                    rollout_id: mapped.summary.id.clone(),
                    action,
                    actor: actor.to_string(),
                    at: chrono::Utc::now(),
                    reason: reason.map(str::to_string),
                });
            tracing::info!(
                "{actor}: {action:?} on {}/{} in {}: {} patch(es) sent as the server's identity",
                k.namespace,
                k.name,
                target.name,
                sent.len()
            );
            Ok(())
        }
        Err(rollout_kube_live::ActError::Api { code: 403, message }) => Err(
            SourceError::Forbidden(format!("Kubernetes refused (403 Forbidden): {message}")),
        ),
        Err(rollout_kube_live::ActError::Api { code, message }) => Err(SourceError::Refused(
            format!("Kubernetes answered {code}: {message}"),
        )),
        Err(e) => Err(SourceError::Refused(e.to_string())),
    }
}
