//! Watch caches of one cluster. One kube-rs [`watcher`] per kind (and per namespace when
//! namespaces are given): it lists, then watches from the list's resourceVersion (with
//! bookmarks), resumes from the last resourceVersion when a watch ends, and relists when the
//! API server answers 410 Gone. Failed attempts back off exponentially (kube-rs's default
//! backoff). A relist replaces a kind's objects only when it is complete, so nothing
//! disappears from the console in between.
//!
//! Changes arriving within [`DEBOUNCE`] of each other are mapped together: the cluster's
//! objects go through `rollout-kube` again and the new view is sent as a [`ClusterUpdate`].

use crate::connect::Target;
use crate::kinds::{self, Kind};
use futures_util::StreamExt;
use kube::api::{Api, DynamicObject};
use kube::runtime::watcher::{self, watcher};
use kube::runtime::WatchStreamExt;
use rollout_kube::{ClusterRef, Loaded, Objects, View};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// Changes closer together than this are mapped once.
pub const DEBOUNCE: Duration = Duration::from_millis(60);

/// The Argo Rollouts controller, as its Deployment shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ControllerState {
    /// Not listed yet.
    #[default]
    Unknown,
    /// The server may not list Deployments (its RBAC): the console cannot tell.
    Forbidden,
    /// No Deployment labelled `app.kubernetes.io/component=rollouts-controller`.
    Missing,
    /// `version` is the image tag of its container.
    Available {
        version: String,
    },
    Unavailable {
        version: String,
        message: String,
    },
}

/// How the connection to one cluster is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterStatus {
    /// Every watch answers (a kind the server may not read does not count).
    pub connected: bool,
    /// Every kind finished its first list.
    pub synced: bool,
    /// When `connected` last changed.
    pub since: Timestamp,
    /// The last moment a watch delivered something (the cluster's heartbeat).
    pub last_contact: Option<Timestamp>,
    /// Why the connection is lost (the first failing watch's error).
    pub problem: Option<String>,
    /// Failed attempts since the connection was lost (each one backs off longer).
    pub failures: u32,
    /// Kinds the API server refused to list or watch (403), with its message.
    pub forbidden: BTreeMap<String, String>,
    pub controller: ControllerState,
}

/// What a cluster's watch sends: a new view when objects changed, and its status.
#[derive(Debug, Clone)]
pub struct ClusterUpdate {
    pub cluster_id: String,
    /// `None` when only the status changed.
    pub view: Option<Arc<View>>,
    /// How many objects the view was mapped from.
    pub objects: usize,
    pub status: ClusterStatus,
}

/// What one watch stream reports.
enum Note {
    Init,
    InitApply(Value),
    InitDone,
    Apply(Value),
    Delete(Value),
    Failed {
        message: String,
        forbidden: bool,
    },
    /// The API server answered the probe.
    Contact,
}

struct Msg {
    stream: usize,
    note: Note,
}

/// What a stream is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Role {
    /// One of the watched kinds (index into [`kinds::watched`]).
    Kind(usize),
    /// The controller's Deployment.
    #[default]
    Controller,
    /// The API server's `/version`, asked every [`PROBE_EVERY`]: a watch with nothing to say
    /// says nothing, and a connection that hangs would not fail it for minutes.
    Probe,
}

/// How often the API server is asked whether it answers (sooner, with backoff, once lost).
pub const PROBE_EVERY: Duration = Duration::from_secs(10);
/// How long an answer may take before the cluster counts as unreachable.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// One watch stream's objects, by `namespace/name`.
#[derive(Default)]
struct StreamCache {
    role: Role,
    label: String,
    objects: BTreeMap<String, Objects>,
    raw: BTreeMap<String, Value>,
    /// Objects of a list in progress (swapped in when it is complete).
    buffer: Option<(BTreeMap<String, Objects>, BTreeMap<String, Value>)>,
    synced: bool,
    failing: Option<(String, bool)>,
}

/// Starts watching `target`; updates arrive on the returned channel until it is dropped.
pub fn spawn(target: Target) -> mpsc::UnboundedReceiver<ClusterUpdate> {
    let (out_tx, out_rx) = mpsc::unbounded_channel();
    let (tx, rx) = mpsc::unbounded_channel::<Msg>();
    let watched = kinds::watched();
    let mut caches: Vec<StreamCache> = Vec::new();
    let mut plan: Vec<(Kind, Option<String>)> = Vec::new();
    for (i, kind) in watched.iter().enumerate() {
        let scopes: Vec<Option<String>> = if kind.namespaced && !target.namespaces.is_empty() {
            target.namespaces.iter().cloned().map(Some).collect()
        } else {
            vec![None]
        };
        for ns in scopes {
            caches.push(StreamCache {
                role: Role::Kind(i),
                label: label(kind, ns.as_deref()),
                ..StreamCache::default()
            });
            plan.push((kind.clone(), ns));
        }
    }
    let controller = kinds::controller();
    caches.push(StreamCache {
        role: Role::Controller,
        label: label(&controller, None),
        ..StreamCache::default()
    });
    plan.push((controller, None));
    caches.push(StreamCache {
        role: Role::Probe,
        label: "the API server".into(),
        synced: true,
        ..StreamCache::default()
    });
    tokio::spawn(probe(target.client.clone(), caches.len() - 1, tx.clone()));
    for (stream, (kind, ns)) in plan.into_iter().enumerate() {
        tokio::spawn(watch_stream(
            target.client.clone(),
            kind,
            ns,
            stream,
            tx.clone(),
        ));
    }
    drop(tx);
    let cluster = ClusterRef {
        id: target.id.clone(),
        name: target.name.clone(),
    };
    tokio::spawn(aggregate(cluster, caches, rx, out_tx));
    out_rx
}

fn label(kind: &Kind, ns: Option<&str>) -> String {
    match ns {
        Some(ns) => format!("{} in {ns}", kind.resource.plural),
        None => kind.resource.plural.clone(),
    }
}

/// Runs one kube-rs watcher until the aggregator is gone.
async fn watch_stream(
    client: kube::Client,
    kind: Kind,
    namespace: Option<String>,
    stream: usize,
    tx: mpsc::UnboundedSender<Msg>,
) {
    let api: Api<DynamicObject> = match &namespace {
        Some(ns) => Api::namespaced_with(client, ns, &kind.resource),
        None => Api::all_with(client, &kind.resource),
    };
    let mut config = watcher::Config::default();
    if let Some(sel) = kind.label_selector {
        config = config.labels(sel);
    }
    let api_version = kind.resource.api_version.clone();
    let kind_name = kind.resource.kind.clone();
    let value = |obj: DynamicObject| -> Value {
        let mut v = serde_json::to_value(obj).unwrap_or(Value::Null);
        // Items of a list carry no apiVersion/kind: the watched resource says it.
        if let Value::Object(m) = &mut v {
            m.insert("apiVersion".into(), Value::String(api_version.clone()));
            m.insert("kind".into(), Value::String(kind_name.clone()));
        }
        v
    };
    let mut events = watcher(api, config).default_backoff().boxed();
    while let Some(ev) = events.next().await {
        let note = match ev {
            Ok(watcher::Event::Init) => Note::Init,
            Ok(watcher::Event::InitApply(o)) => Note::InitApply(value(o)),
            Ok(watcher::Event::InitDone) => Note::InitDone,
            Ok(watcher::Event::Apply(o)) => Note::Apply(value(o)),
            Ok(watcher::Event::Delete(o)) => Note::Delete(value(o)),
            Err(e) => Note::Failed {
                forbidden: forbidden(&e),
                message: describe(&e),
            },
        };
        if tx.send(Msg { stream, note }).is_err() {
            return;
        }
    }
}

/// Asks the API server for its version now and then; tells whether it answered.
async fn probe(client: kube::Client, stream: usize, tx: mpsc::UnboundedSender<Msg>) {
    let mut wait = PROBE_EVERY;
    loop {
        let note = match tokio::time::timeout(PROBE_TIMEOUT, client.apiserver_version()).await {
            Ok(Ok(_)) => {
                wait = PROBE_EVERY;
                Note::Contact
            }
            Ok(Err(e)) => {
                wait = backoff(wait);
                Note::Failed {
                    forbidden: false,
                    message: innermost(&e),
                }
            }
            Err(_) => {
                wait = backoff(wait);
                Note::Failed {
                    forbidden: false,
                    message: format!("no answer within {}s", PROBE_TIMEOUT.as_secs()),
                }
            }
        };
        if tx.send(Msg { stream, note }).is_err() {
            return;
        }
        tokio::time::sleep(wait).await;
    }
}

/// After a failure: 1 s, then twice as long each time, up to [`PROBE_EVERY`].
fn backoff(previous: Duration) -> Duration {
    if previous >= PROBE_EVERY {
        Duration::from_secs(1)
    } else {
        (previous * 2).min(PROBE_EVERY)
    }
}

fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg = s.to_string();
        src = s.source();
    }
    msg
}

fn forbidden(e: &watcher::Error) -> bool {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s)) => s.is_forbidden(),
        watcher::Error::WatchError(s) => s.is_forbidden(),
        _ => false,
    }
}

/// The error as a person reads it: the API server's message when it sent one.
fn describe(e: &watcher::Error) -> String {
    match e {
        watcher::Error::InitialListFailed(kube::Error::Api(s))
        | watcher::Error::WatchStartFailed(kube::Error::Api(s))
        | watcher::Error::WatchFailed(kube::Error::Api(s)) => {
            format!("the API server answered {}: {}", s.code, s.message)
        }
        watcher::Error::WatchError(s) => {
            format!("the API server answered {}: {}", s.code, s.message)
        }
        // The innermost cause says most (connection refused, certificate, DNS).
        watcher::Error::InitialListFailed(e)
        | watcher::Error::WatchStartFailed(e)
        | watcher::Error::WatchFailed(e) => innermost(e),
        other => other.to_string(),
    }
}

fn key(v: &Value) -> String {
    let ns = v
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let name = v
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    format!("{ns}/{name}")
}

/// Decodes one object for the mapping; a malformed one is logged and left out.
fn decode(v: &Value) -> Option<Objects> {
    let mut loaded = Loaded::default();
    match loaded.add_value(v) {
        Ok(true) => Some(loaded.objects),
        Ok(false) => None,
        Err(e) => {
            tracing::warn!("skipping {}: {e}", key(v));
            None
        }
    }
}

impl StreamCache {
    /// Applies a note; answers whether the objects changed.
    fn apply(&mut self, note: Note) -> bool {
        let controller = !matches!(self.role, Role::Kind(_));
        let decoded = |v: &Value| {
            if controller {
                Some(Objects::default())
            } else {
                decode(v)
            }
        };
        match note {
            Note::Init => {
                self.buffer = Some(Default::default());
                self.failing = None;
                false
            }
            Note::InitApply(v) => {
                self.failing = None;
                if let (Some((objs, raw)), Some(o)) = (&mut self.buffer, decoded(&v)) {
                    let k = key(&v);
                    objs.insert(k.clone(), o);
                    raw.insert(k, v);
                }
                false
            }
            Note::InitDone => {
                self.failing = None;
                self.synced = true;
                if let Some((objs, raw)) = self.buffer.take() {
                    self.objects = objs;
                    self.raw = raw;
                }
                true
            }
            Note::Apply(v) => {
                self.failing = None;
                let k = key(&v);
                match decoded(&v) {
                    Some(o) => {
                        self.objects.insert(k.clone(), o);
                        self.raw.insert(k, v);
                    }
                    None => {
                        self.objects.remove(&k);
                        self.raw.remove(&k);
                    }
                }
                true
            }
            Note::Delete(v) => {
                self.failing = None;
                let k = key(&v);
                self.raw.remove(&k);
                self.objects.remove(&k).is_some()
            }
            Note::Failed { message, forbidden } => {
                self.failing = Some((message, forbidden));
                false
            }
            Note::Contact => {
                self.failing = None;
                false
            }
        }
    }
}

/// The controller's state from its Deployments (any available one will do).
fn controller_state(cache: &StreamCache) -> ControllerState {
    if let Some((_, true)) = cache.failing {
        return ControllerState::Forbidden;
    }
    if !cache.synced {
        return ControllerState::Unknown;
    }
    let mut best: Option<ControllerState> = None;
    for d in cache.raw.values() {
        let image = d
            .pointer("/spec/template/spec/containers/0/image")
            .and_then(Value::as_str)
            .unwrap_or("");
        let version = image
            .rsplit_once(':')
            .map(|(_, tag)| tag.to_string())
            .filter(|t| !t.contains('/'))
            .unwrap_or_else(|| image.to_string());
        let conditions = d
            .pointer("/status/conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let available = conditions.iter().find(|c| c["type"] == "Available");
        let ok = match available {
            Some(c) => c["status"] == "True",
            None => {
                d.pointer("/status/availableReplicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
                    > 0
            }
        };
        if ok {
            return ControllerState::Available { version };
        }
        let message = available
            .and_then(|c| c["message"].as_str())
            .map(str::to_string)
            .unwrap_or_else(|| "no replica is available".into());
        best = Some(ControllerState::Unavailable { version, message });
    }
    best.unwrap_or(ControllerState::Missing)
}

async fn aggregate(
    cluster: ClusterRef,
    mut caches: Vec<StreamCache>,
    mut rx: mpsc::UnboundedReceiver<Msg>,
    out: mpsc::UnboundedSender<ClusterUpdate>,
) {
    let now = chrono::Utc::now;
    let mut status = ClusterStatus {
        connected: false,
        synced: false,
        since: now(),
        last_contact: None,
        problem: None,
        failures: 0,
        forbidden: BTreeMap::new(),
        controller: ControllerState::Unknown,
    };
    let mut sent_status: Option<ClusterStatus> = None;
    while let Some(first) = rx.recv().await {
        let mut changed = false;
        let mut failures = 0u32;
        let mut contact = false;
        let mut take = |m: Msg, changed: &mut bool| {
            let probe = caches[m.stream].role == Role::Probe;
            match m.note {
                Note::Failed { .. } => failures += 1,
                Note::Contact => {
                    contact = true;
                    // The API server answers again: a watch that failed before is retrying
                    // (and reports again if it still fails).
                    for c in caches.iter_mut() {
                        if matches!(c.failing, Some((_, false))) {
                            c.failing = None;
                        }
                    }
                }
                _ => contact = true,
            }
            let objects = matches!(caches[m.stream].role, Role::Kind(_));
            let c = caches[m.stream].apply(m.note);
            *changed |= c && objects && !probe;
        };
        take(first, &mut changed);
        let deadline = tokio::time::Instant::now() + DEBOUNCE;
        let mut closed = false;
        loop {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(m)) => take(m, &mut changed),
                Ok(None) => {
                    closed = true;
                    break;
                }
                Err(_) => break,
            }
        }
        let t = now();
        if contact {
            status.last_contact = Some(t);
        }
        // A kind the server may not read does not make the cluster unreachable.
        let failing = caches.iter().find_map(|c| match &c.failing {
            Some((m, false)) => Some(format!("{}: {m}", c.label)),
            _ => None,
        });
        let connected = failing.is_none() && status.last_contact.is_some();
        if connected != status.connected {
            status.connected = connected;
            status.since = t;
            status.failures = 0;
        }
        if !connected {
            status.failures += failures;
        }
        status.problem = failing;
        status.forbidden = caches
            .iter()
            .filter_map(|c| match &c.failing {
                Some((m, true)) => Some((c.label.clone(), m.clone())),
                _ => None,
            })
            .collect();
        status.synced = caches
            .iter()
            .all(|c| c.synced || matches!(c.failing, Some((_, true))));
        if let Some(c) = caches.iter().find(|c| c.role == Role::Controller) {
            status.controller = controller_state(c);
        }
        let view = if changed {
            let mut objs = Objects::default();
            for c in caches.iter().filter(|c| matches!(c.role, Role::Kind(_))) {
                for o in c.objects.values() {
                    objs.extend(o.clone());
                }
            }
            let count = objs.len();
            Some((Arc::new(rollout_kube::build(&objs, &cluster, t)), count))
        } else {
            None
        };
        // Contact alone (a watch delivering the same state) is not worth a message.
        let status_moved = sent_status.as_ref().is_none_or(|s| {
            s.connected != status.connected
                || s.synced != status.synced
                || s.problem != status.problem
                || s.forbidden != status.forbidden
                || s.controller != status.controller
                || (!status.connected && s.failures != status.failures)
        });
        if view.is_some() || status_moved {
            let (view, objects) = match view {
                Some((v, n)) => (Some(v), n),
                None => (None, 0),
            };
            sent_status = Some(status.clone());
            let update = ClusterUpdate {
                cluster_id: cluster.id.clone(),
                view,
                objects,
                status: status.clone(),
            };
            if out.send(update).is_err() {
                return;
            }
        }
        if closed {
            return;
        }
    }
}
