//! A fake Kubernetes API server for tests (feature `fake-apiserver`): it speaks the parts of
//! the API the real kube-rs client uses here — `GET /version`, lists with a resourceVersion,
//! watches (`?watch=true`) from a resourceVersion with bookmarks, `ERROR 410 Gone` for a
//! resourceVersion it no longer has, GET and JSON merge PATCH of one object and of its
//! `/status` subresource — on 127.0.0.1, with switches for what a real one does when things go
//! wrong (403 on a patch, no status subresource, unavailable). Every request is recorded.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub content_type: Option<String>,
    pub body: Option<Value>,
}

/// An open watch: `(collection path, namespace, label selector, its lines)`.
type Watch = (
    String,
    Option<String>,
    Option<String>,
    mpsc::UnboundedSender<Bytes>,
);

/// A change a watch sends: `(resourceVersion, type, object)`.
type Change = (u64, &'static str, Value);

struct Collection {
    /// `group/version` (`v1` for the core group).
    api_version: String,
    kind: String,
    objects: BTreeMap<(String, String), Value>,
    log: Vec<Change>,
}

#[derive(Default)]
struct Inner {
    rv: u64,
    /// Watches older than this get `410 Gone`.
    compacted: u64,
    collections: BTreeMap<String, Collection>,
    watches: Vec<Watch>,
    seen: Vec<Seen>,
    /// A PATCH whose path ends like this answers 403 with this message.
    forbid: Vec<(String, String)>,
    no_status_subresource: bool,
    down: bool,
    /// Stops the listener (and closes idle connections) of the current serving task.
    stop: Option<tokio::sync::watch::Sender<bool>>,
}

#[derive(Clone)]
pub struct FakeApi {
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
}

/// Serves `inner` on `listener` until told to stop.
fn serve(inner: Arc<Mutex<Inner>>, listener: tokio::net::TcpListener) {
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    inner.lock().unwrap_or_else(|e| e.into_inner()).stop = Some(stop_tx);
    let app = Router::new().fallback(handle).with_state(inner);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop_rx.wait_for(|s| *s).await;
            })
            .await;
    });
}

/// `(path prefix, plural)` of a kind: `("/apis/argoproj.io/v1alpha1", "rollouts")`.
fn resource_of(api_version: &str, kind: &str) -> (String, String) {
    let prefix = if api_version.contains('/') {
        format!("/apis/{api_version}")
    } else {
        format!("/api/{api_version}")
    };
    let plural = match kind {
        "AnalysisRun" => "analysisruns".to_string(),
        other => format!("{}s", other.to_ascii_lowercase()),
    };
    (prefix, plural)
}

impl FakeApi {
    /// Starts serving on 127.0.0.1 (a free port).
    pub async fn start() -> FakeApi {
        let inner = Arc::new(Mutex::new(Inner {
            rv: 100,
            ..Inner::default()
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        serve(inner.clone(), listener);
        FakeApi { addr, inner }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A kube-rs client for it.
    pub fn client(&self) -> kube::Client {
        let config = kube::Config::new(self.url().parse().expect("url"));
        kube::Client::try_from(config).expect("client")
    }

    /// A kubeconfig naming it once per context (all the same server).
    pub fn kubeconfig(&self, contexts: &[&str]) -> String {
        let mut s = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: {}\nusers:\n- name: fake\n  user:\n    token: fake-token\ncontexts:\n",
            self.url()
        );
        for c in contexts {
            s.push_str(&format!(
                "- name: {c}\n  context:\n    cluster: fake\n    user: fake\n"
            ));
        }
        if let Some(first) = contexts.first() {
            s.push_str(&format!("current-context: {first}\n"));
        }
        s
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds or replaces an object (as `kubectl apply` would): watches see ADDED or MODIFIED.
    pub fn put(&self, mut obj: Value) {
        let mut g = self.lock();
        g.rv += 1;
        let rv = g.rv;
        let api_version = obj["apiVersion"].as_str().unwrap_or("v1").to_string();
        let kind = obj["kind"].as_str().unwrap_or("").to_string();
        let (prefix, plural) = resource_of(&api_version, &kind);
        let ns = obj
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = obj
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        obj["metadata"]["resourceVersion"] = json!(rv.to_string());
        let path = format!("{prefix}/{plural}");
        let coll = g
            .collections
            .entry(path.clone())
            .or_insert_with(|| Collection {
                api_version,
                kind,
                objects: BTreeMap::new(),
                log: Vec::new(),
            });
        let kind_of_change = if coll.objects.contains_key(&(ns.clone(), name.clone())) {
            "MODIFIED"
        } else {
            "ADDED"
        };
        coll.objects.insert((ns, name), obj.clone());
        coll.log.push((rv, kind_of_change, obj.clone()));
        send(&mut g, &path, kind_of_change, &obj);
    }

    /// Deletes an object: watches see DELETED.
    pub fn delete(&self, api_version: &str, kind: &str, namespace: &str, name: &str) {
        let mut g = self.lock();
        g.rv += 1;
        let rv = g.rv;
        let (prefix, plural) = resource_of(api_version, kind);
        let path = format!("{prefix}/{plural}");
        let Some(coll) = g.collections.get_mut(&path) else {
            return;
        };
        if let Some(mut obj) = coll
            .objects
            .remove(&(namespace.to_string(), name.to_string()))
        {
            obj["metadata"]["resourceVersion"] = json!(rv.to_string());
            coll.log.push((rv, "DELETED", obj.clone()));
            send(&mut g, &path, "DELETED", &obj);
        }
    }

    /// One object as stored.
    pub fn get(&self, api_version: &str, kind: &str, namespace: &str, name: &str) -> Option<Value> {
        let (prefix, plural) = resource_of(api_version, kind);
        let g = self.lock();
        g.collections
            .get(&format!("{prefix}/{plural}"))?
            .objects
            .get(&(namespace.to_string(), name.to_string()))
            .cloned()
    }

    /// Makes every collection known (empty) so lists of kinds without objects answer.
    pub fn kinds(&self, kinds: &[(&str, &str)]) {
        let mut g = self.lock();
        for (api_version, kind) in kinds {
            let (prefix, plural) = resource_of(api_version, kind);
            g.collections
                .entry(format!("{prefix}/{plural}"))
                .or_insert_with(|| Collection {
                    api_version: api_version.to_string(),
                    kind: kind.to_string(),
                    objects: BTreeMap::new(),
                    log: Vec::new(),
                });
        }
    }

    /// Knows every kind a live cluster is watched for (lists of kinds without objects answer
    /// an empty list, as a cluster with the Argo Rollouts CRDs installed does).
    pub fn argo_kinds(&self) {
        let mut kinds: Vec<(String, String)> = crate::kinds::watched()
            .into_iter()
            .chain([crate::kinds::controller()])
            .map(|k| (k.resource.api_version, k.resource.kind))
            .collect();
        kinds.dedup();
        let refs: Vec<(&str, &str)> = kinds
            .iter()
            .map(|(a, k)| (a.as_str(), k.as_str()))
            .collect();
        self.kinds(&refs);
    }

    /// Adds every object of a YAML file (`kubectl get -o yaml` output: a List or documents).
    pub fn put_yaml_file(&self, path: &std::path::Path) {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for doc in text.split("\n---") {
            let v: Value = match serde_norway::from_str(doc) {
                Ok(Value::Null) | Err(_) => continue,
                Ok(v) => v,
            };
            match v.get("items").and_then(Value::as_array) {
                Some(items) if v["kind"].as_str().is_some_and(|k| k.ends_with("List")) => {
                    for i in items.clone() {
                        self.put(i);
                    }
                }
                _ => self.put(v),
            }
        }
    }

    /// Sends a BOOKMARK with the current resourceVersion to every open watch; answers it.
    pub fn bookmark(&self) -> u64 {
        let mut g = self.lock();
        let rv = g.rv;
        let paths: Vec<String> = g.watches.iter().map(|w| w.0.clone()).collect();
        for path in paths {
            let (api_version, kind) = {
                let c = &g.collections[&path];
                (c.api_version.clone(), c.kind.clone())
            };
            let line = json!({"type": "BOOKMARK", "object": {"apiVersion": api_version, "kind": kind, "metadata": {"resourceVersion": rv.to_string()}}});
            g.watches
                .retain(|w| w.0 != path || w.3.send(Bytes::from(format!("{line}\n"))).is_ok());
        }
        rv
    }

    /// Ends every open watch (as the API server does at its timeout); clients watch again
    /// from the last resourceVersion they saw.
    pub fn end_watches(&self) {
        self.lock().watches.clear();
    }

    /// Forgets history up to now (etcd compaction): every open watch gets `ERROR 410 Gone`
    /// and ends, and a watch from an older resourceVersion gets 410 too: clients must relist.
    pub fn compact(&self) {
        let mut g = self.lock();
        g.compacted = g.rv;
        let gone = gone_line();
        for w in g.watches.drain(..) {
            let _ = w.3.send(gone.clone());
        }
    }

    /// PATCHes whose path ends with `suffix` answer 403 Forbidden with `message`.
    pub fn forbid_patch(&self, suffix: &str, message: &str) {
        self.lock()
            .forbid
            .push((suffix.to_string(), message.to_string()));
    }

    pub fn allow_all(&self) {
        self.lock().forbid.clear();
    }

    /// Answer 404 on `…/status` (Argo Rollouts before v0.10 had no status subresource).
    pub fn without_status_subresource(&self) {
        self.lock().no_status_subresource = true;
    }

    /// Down: the port is closed (connections are refused) and open watches end. Up: it
    /// listens again on the same port.
    pub fn set_down(&self, down: bool) {
        let mut g = self.lock();
        if g.down == down {
            return;
        }
        g.down = down;
        if down {
            g.watches.clear();
            if let Some(stop) = g.stop.take() {
                let _ = stop.send(true);
            }
            return;
        }
        drop(g);
        let std = std::net::TcpListener::bind(self.addr).expect("bind the same port again");
        std.set_nonblocking(true).expect("nonblocking");
        let listener = tokio::net::TcpListener::from_std(std).expect("listener");
        serve(self.inner.clone(), listener);
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.lock().seen.clone()
    }

    /// The PATCH requests so far: `(path, content type, body)`.
    pub fn patches(&self) -> Vec<(String, String, Value)> {
        self.lock()
            .seen
            .iter()
            .filter(|s| s.method == "PATCH")
            .map(|s| {
                (
                    s.path.clone(),
                    s.content_type.clone().unwrap_or_default(),
                    s.body.clone().unwrap_or(Value::Null),
                )
            })
            .collect()
    }

    /// How many lists (not watches) of this collection path were served.
    pub fn lists_of(&self, plural: &str) -> usize {
        self.lock()
            .seen
            .iter()
            .filter(|s| {
                s.method == "GET"
                    && s.path.ends_with(&format!("/{plural}"))
                    && s.query.get("watch").map(String::as_str) != Some("true")
            })
            .count()
    }

    /// The resourceVersions watches of this collection started from, in order.
    pub fn watches_from(&self, plural: &str) -> Vec<String> {
        self.lock()
            .seen
            .iter()
            .filter(|s| {
                s.path.ends_with(&format!("/{plural}"))
                    && s.query.get("watch").map(String::as_str) == Some("true")
            })
            .map(|s| s.query.get("resourceVersion").cloned().unwrap_or_default())
            .collect()
    }

    pub fn resource_version(&self) -> u64 {
        self.lock().rv
    }
}

/// The Argo Rollouts controller's Deployment as install.yaml makes it, available or not.
pub fn controller_deployment(available: bool) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "argo-rollouts", "namespace": "argo-rollouts",
                     "labels": {"app.kubernetes.io/component": "rollouts-controller", "app.kubernetes.io/name": "argo-rollouts"}},
        "spec": {"template": {"spec": {"containers": [{"name": "argo-rollouts", "image": "quay.io/argoproj/argo-rollouts:v1.7.2"}]}}},
        "status": {"availableReplicas": if available { 1 } else { 0 },
                   "conditions": [{"type": "Available", "status": if available { "True" } else { "False" },
                                   "message": if available { "Deployment has minimum availability." } else { "Deployment does not have minimum availability." }}]}
    })
}

fn gone_line() -> Bytes {
    let status = json!({"type": "ERROR", "object": {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "too old resource version", "reason": "Expired", "code": 410}});
    Bytes::from(format!("{status}\n"))
}

/// Sends a change to the open watches of `path` whose namespace and selector match.
fn send(g: &mut Inner, path: &str, kind: &str, obj: &Value) {
    let line = Bytes::from(format!("{}\n", json!({"type": kind, "object": obj})));
    g.watches.retain(|w| {
        if w.0 != path || !in_scope(obj, w.1.as_deref(), w.2.as_deref()) {
            return true;
        }
        w.3.send(line.clone()).is_ok()
    });
}

fn in_scope(obj: &Value, ns: Option<&str>, selector: Option<&str>) -> bool {
    if let Some(ns) = ns {
        if obj.pointer("/metadata/namespace").and_then(Value::as_str) != Some(ns) {
            return false;
        }
    }
    let Some(sel) = selector.filter(|s| !s.is_empty()) else {
        return true;
    };
    let labels = obj.pointer("/metadata/labels");
    sel.split(',').all(|term| match term.split_once('=') {
        Some((k, v)) => labels.and_then(|l| l.get(k)).and_then(Value::as_str) == Some(v),
        None => labels.and_then(|l| l.get(term)).is_some(),
    })
}

fn status(code: u16, reason: &str, message: &str) -> Response {
    let body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code});
    (
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn json_response(v: &Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

/// RFC 7386 JSON merge patch.
fn merge(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = json!({});
            }
            let t = target.as_object_mut().expect("object");
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        other => *target = other.clone(),
    }
}

async fn handle(State(inner): State<Arc<Mutex<Inner>>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let query: BTreeMap<String, String> = req
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), percent_decode(v))
        })
        .collect();
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let body: Option<Value> = serde_json::from_slice(&bytes).ok();
    let mut g = inner.lock().unwrap_or_else(|e| e.into_inner());
    g.seen.push(Seen {
        method: method.to_string(),
        path: path.clone(),
        query: query.clone(),
        content_type,
        body: body.clone(),
    });
    if g.down {
        // A request on a connection opened before the port closed.
        return status(500, "InternalError", "the API server is shutting down");
    }
    if path == "/version" {
        return json_response(&json!({
            "major": "1", "minor": "33", "gitVersion": "v1.33.0-fake", "gitCommit": "0",
            "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.24",
            "compiler": "gc", "platform": "linux/amd64"
        }));
    }
    // /api/v1[/namespaces/NS]/PLURAL[/NAME[/status]] or /apis/G/V/…
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (prefix_len, rest) = match segs.first() {
        Some(&"api") if segs.len() >= 3 => (2, &segs[2..]),
        Some(&"apis") if segs.len() >= 4 => (3, &segs[3..]),
        _ => {
            return status(
                404,
                "NotFound",
                "the server could not find the requested resource",
            )
        }
    };
    let prefix = format!("/{}", segs[..prefix_len].join("/"));
    let (ns, rest) = match rest {
        ["namespaces", ns, tail @ ..] if !tail.is_empty() => (Some(ns.to_string()), tail),
        other => (None, other),
    };
    let (plural, name, sub) = match rest {
        [p] => (*p, None, None),
        [p, n] => (*p, Some(n.to_string()), None),
        [p, n, s] => (*p, Some(n.to_string()), Some(s.to_string())),
        _ => {
            return status(
                404,
                "NotFound",
                "the server could not find the requested resource",
            )
        }
    };
    let coll_path = format!("{prefix}/{plural}");
    if !g.collections.contains_key(&coll_path) {
        return status(
            404,
            "NotFound",
            "the server could not find the requested resource",
        );
    }
    match (method, name) {
        (Method::GET, None) => {
            let selector = query.get("labelSelector").cloned();
            if query.get("watch").map(String::as_str) == Some("true") {
                let from: u64 = query
                    .get("resourceVersion")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let (tx, rx) = mpsc::unbounded_channel::<Bytes>();
                if from < g.compacted {
                    let _ = tx.send(gone_line());
                } else {
                    let coll = &g.collections[&coll_path];
                    for (rv, kind, obj) in coll.log.iter().filter(|c| c.0 > from) {
                        let _ = rv;
                        if in_scope(obj, ns.as_deref(), selector.as_deref()) {
                            let line = json!({"type": kind, "object": obj});
                            let _ = tx.send(Bytes::from(format!("{line}\n")));
                        }
                    }
                    g.watches
                        .push((coll_path.clone(), ns.clone(), selector, tx));
                }
                drop(g);
                let stream = futures_util::stream::unfold(rx, |mut rx| async move {
                    rx.recv()
                        .await
                        .map(|b| (Ok::<Bytes, std::convert::Infallible>(b), rx))
                });
                return Response::builder()
                    .status(StatusCode::OK)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from_stream(stream))
                    .expect("response");
            }
            let rv = g.rv;
            let coll = &g.collections[&coll_path];
            let items: Vec<Value> = coll
                .objects
                .values()
                .filter(|o| in_scope(o, ns.as_deref(), selector.as_deref()))
                .cloned()
                .collect();
            json_response(&json!({
                "apiVersion": coll.api_version,
                "kind": format!("{}List", coll.kind),
                "metadata": {"resourceVersion": rv.to_string()},
                "items": items,
            }))
        }
        (Method::GET, Some(name)) => {
            let key = (ns.clone().unwrap_or_default(), name.clone());
            match g.collections[&coll_path].objects.get(&key) {
                Some(o) => json_response(o),
                None => status(404, "NotFound", &format!("{plural} \"{name}\" not found")),
            }
        }
        (Method::PATCH, Some(name)) => {
            if let Some((_, message)) = g
                .forbid
                .iter()
                .find(|(suffix, _)| path.ends_with(suffix.as_str()))
            {
                return status(403, "Forbidden", message);
            }
            if sub.as_deref() == Some("status") && g.no_status_subresource {
                return status(
                    404,
                    "NotFound",
                    "the server could not find the requested resource",
                );
            }
            let key = (ns.clone().unwrap_or_default(), name.clone());
            let Some(mut obj) = g.collections[&coll_path].objects.get(&key).cloned() else {
                return status(404, "NotFound", &format!("{plural} \"{name}\" not found"));
            };
            let Some(patch) = body else {
                return status(400, "BadRequest", "the body is not JSON");
            };
            // The status subresource changes only status; the object itself, all but status
            // (when the kind has a status subresource).
            let patch = match sub.as_deref() {
                Some("status") => {
                    json!({"status": patch.get("status").cloned().unwrap_or(Value::Null)})
                }
                _ if !g.no_status_subresource => {
                    let mut p = patch.clone();
                    if let Value::Object(m) = &mut p {
                        m.remove("status");
                    }
                    p
                }
                _ => patch.clone(),
            };
            merge(&mut obj, &patch);
            drop(g);
            let fake = FakeApi {
                addr: "127.0.0.1:0".parse().expect("addr"),
                inner: inner.clone(),
            };
            fake.put(obj.clone());
            let stored = fake
                .get(
                    obj["apiVersion"].as_str().unwrap_or(""),
                    obj["kind"].as_str().unwrap_or(""),
                    &key.0,
                    &key.1,
                )
                .unwrap_or(obj);
            json_response(&stored)
        }
        _ => status(
            405,
            "MethodNotAllowed",
            "not supported by the fake API server",
        ),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(b) => {
                    out.push(b);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
