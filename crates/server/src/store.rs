//! The SQLite store (WAL) in `--data-dir`.
//!
//! Two kinds of tables:
//! - the read model, one table per thing the API shows (rollouts, phases, verifications, pod
//!   snapshots, events, actions, clusters, entities, manifest revisions), written from
//!   `Engine::drain_changes` and the rollouts it touched;
//! - the engine's own [`EngineState`]: each collection field (`rollouts`, `pods`, `events`,
//!   `manifests`, ...) in its table `state_<field>`, one row per element keyed by its identity
//!   (id, or kind/cluster/namespace/name), scalars (`now`, counters) in `state_scalars`. The
//!   engine is restored from these on start. Each write stores only the rows whose content
//!   changed since the last one (hash compared), in the same transaction as the read model.
//!
//! All SQLite work runs on one dedicated thread; the async side sends it batches.

use rollout_api as api;
use rollout_engine::EngineState;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use tokio::sync::oneshot;

/// The collections of [`EngineState`] diffed field by field (cheap `PartialEq` against the last
/// written state, JSON only for what differs), and its scalars.
macro_rules! typed_state {
    ($m:ident) => {
        $m!(
            collections: clusters, entities, workloads, manifests, replica_sets, pods, rollouts, events, actions, applies;
            scalars: now, rng, next_event_id
        )
    };
}

macro_rules! field_names {
    (collections: $($c:ident),*; scalars: $($s:ident),*) => {
        &[$(stringify!($c)),*, $(stringify!($s)),*]
    };
}

pub const DB_FILE: &str = "rollouts.db";

pub(crate) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state_scalars (
    field TEXT PRIMARY KEY,
    json  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state_collections (
    name  TEXT PRIMARY KEY,
    shape TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS clusters (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    cloud_provider      TEXT NOT NULL,
    operator_running    INTEGER NOT NULL,
    last_heartbeat_time TEXT,
    json                TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entities (
    kind       TEXT NOT NULL,
    namespace  TEXT NOT NULL,
    name       TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    yaml       TEXT NOT NULL,
    PRIMARY KEY (kind, namespace, name)
);
CREATE TABLE IF NOT EXISTS rollouts (
    id              TEXT PRIMARY KEY,
    cluster_id      TEXT NOT NULL,
    namespace       TEXT NOT NULL,
    spot_deployment TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    status          TEXT NOT NULL,
    strategy        TEXT NOT NULL,
    rollout_spec    TEXT NOT NULL,
    image           TEXT NOT NULL,
    start_time      TEXT NOT NULL,
    end_time        TEXT,
    failure_reason  TEXT,
    summary         TEXT NOT NULL,
    detail          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rollouts_by_start ON rollouts (start_time);
CREATE TABLE IF NOT EXISTS phases (
    rollout_id         TEXT NOT NULL,
    idx                INTEGER NOT NULL,
    name               TEXT NOT NULL,
    status             TEXT NOT NULL,
    traffic_percentage INTEGER NOT NULL,
    start_time         TEXT,
    end_time           TEXT,
    json               TEXT NOT NULL,
    PRIMARY KEY (rollout_id, idx)
);
CREATE TABLE IF NOT EXISTS verifications (
    rollout_id    TEXT NOT NULL,
    step          TEXT NOT NULL,
    template_name TEXT NOT NULL,
    metric_name   TEXT NOT NULL,
    status        TEXT NOT NULL,
    data_points   INTEGER NOT NULL,
    json          TEXT NOT NULL,
    PRIMARY KEY (rollout_id, step, template_name, metric_name)
);
CREATE TABLE IF NOT EXISTS pods (
    rollout_id  TEXT NOT NULL,
    name        TEXT NOT NULL,
    version     TEXT NOT NULL,
    status      TEXT NOT NULL,
    restarts    INTEGER NOT NULL,
    json        TEXT NOT NULL,
    PRIMARY KEY (rollout_id, name)
);
CREATE TABLE IF NOT EXISTS events (
    id             INTEGER PRIMARY KEY,
    rollout_id     TEXT,
    cluster_id     TEXT NOT NULL,
    namespace      TEXT NOT NULL,
    last_timestamp TEXT NOT NULL,
    type           TEXT NOT NULL,
    reason         TEXT NOT NULL,
    object         TEXT NOT NULL,
    message        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_rollout ON events (rollout_id);
CREATE TABLE IF NOT EXISTS actions (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    rollout_id TEXT NOT NULL,
    action     TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS manifest_revisions (
    cluster_id  TEXT NOT NULL,
    namespace   TEXT NOT NULL,
    name        TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    image       TEXT NOT NULL,
    applied_at  TEXT NOT NULL,
    rollout_id  TEXT,
    manifest    TEXT,
    PRIMARY KEY (cluster_id, namespace, name, revision)
);
"#;

/// A rollout as the read model keeps it.
#[derive(Debug, Clone)]
pub struct RolloutRow {
    pub summary: api::RolloutSummary,
    pub detail: Option<api::RolloutDetail>,
    pub pods: Option<Vec<api::Pod>>,
}

/// One applied YAML document.
#[derive(Debug, Clone)]
pub struct EntityRow {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub outcome: api::ApplyOutcome,
    pub applied_at: api::Timestamp,
    pub yaml: String,
}

/// One revision of a workload, with the manifest when known.
#[derive(Debug, Clone)]
pub struct RevisionRow {
    pub cluster_id: String,
    pub namespace: String,
    pub name: String,
    pub revision: api::Revision,
    pub manifest: Option<String>,
}

/// Everything one tick (or action, or apply) changed; written in one transaction.
#[derive(Debug, Default)]
pub struct Batch {
    /// The engine's state after the change; only rows that differ from the last write are
    /// written.
    pub state: Option<EngineState>,
    pub rollouts: Vec<RolloutRow>,
    pub events: Vec<api::Event>,
    pub actions: Vec<api::ActionRecord>,
    /// Applies, for the audit.
    pub applies: Vec<rollout_engine::ApplyRecord>,
    pub clusters: Vec<api::Cluster>,
    pub entities: Vec<EntityRow>,
    pub revisions: Vec<RevisionRow>,
    pub meta: Vec<(String, String)>,
}

/// What was on disk at start.
#[derive(Debug, Default)]
pub struct Loaded {
    pub state: Option<EngineState>,
    pub meta: HashMap<String, String>,
}

/// Counts of the read-model rows (for tests and logs).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub rollouts: usize,
    pub events: usize,
    pub actions: usize,
    pub entities: usize,
    pub engine_rows: usize,
}

enum Op {
    Write(Box<Batch>, oneshot::Sender<Result<usize, String>>),
    Counts(oneshot::Sender<Result<Counts, String>>),
}

/// Handle to the store thread. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    tx: mpsc::Sender<Op>,
    path: PathBuf,
    last_rows: Arc<AtomicUsize>,
}

impl Store {
    /// Opens (creating) `dir/rollouts.db`, loads what is there and starts the store thread.
    /// Blocking: call it from `spawn_blocking` or before the runtime serves.
    pub fn open(dir: &Path) -> Result<(Store, Loaded), String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join(DB_FILE);
        let mut db = Db::open(&path).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                format!(
                    "{} is in use by another rollout-server; stop it or choose another --data-dir",
                    path.display()
                )
            }
            _ => format!("cannot open {}: {e}", path.display()),
        })?;
        crate::migrate::migrate(&mut db.conn, SCHEMA)
            .map_err(|e| format!("cannot upgrade {}: {e}", path.display()))?;
        let last_rows = db.last_rows.clone();
        let loaded = db
            .load()
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let (tx, rx) = mpsc::channel::<Op>();
        std::thread::Builder::new()
            .name("sqlite-store".into())
            .spawn(move || db.run(rx))
            .map_err(|e| format!("cannot start the store thread: {e}"))?;
        Ok((
            Store {
                tx,
                path,
                last_rows,
            },
            loaded,
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Engine-state rows the last committed write stored or deleted.
    pub fn last_write_rows(&self) -> usize {
        self.last_rows.load(Ordering::SeqCst)
    }

    /// Queues a batch; the answer comes once it is committed (number of engine rows written).
    pub fn write(&self, batch: Batch) -> oneshot::Receiver<Result<usize, String>> {
        let (tx, rx) = oneshot::channel();
        if let Err(mpsc::SendError(Op::Write(_, tx))) = self.tx.send(Op::Write(Box::new(batch), tx))
        {
            let _ = tx.send(Err("the store thread has stopped".into()));
        }
        rx
    }

    pub async fn counts(&self) -> Result<Counts, String> {
        let (tx, rx) = oneshot::channel();
        self.tx
            .send(Op::Counts(tx))
            .map_err(|_| "the store thread has stopped".to_string())?;
        rx.await
            .map_err(|_| "the store thread has stopped".to_string())?
    }
}

struct Db {
    conn: Connection,
    /// What is on disk for each engine-state collection, to write only what changed.
    written: HashMap<String, Written>,
    /// Hash of each engine-state scalar as on disk.
    scalars: HashMap<String, u64>,
    last_rows: Arc<AtomicUsize>,
    /// The state as last written, to diff the next one against without serializing it.
    prev: Option<EngineState>,
    /// Whether the typed diff knows every field of the engine state.
    typed: bool,
}

impl Db {
    fn open(path: &Path) -> rusqlite::Result<Db> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_millis(500))?;
        // One server per data dir: the first keeps the database locked while it runs.
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(Db {
            conn,
            written: HashMap::new(),
            scalars: HashMap::new(),
            last_rows: Arc::new(AtomicUsize::new(0)),
            prev: None,
            typed: typed_diff_covers_state(),
        })
    }

    fn run(mut self, rx: mpsc::Receiver<Op>) {
        while let Ok(op) = rx.recv() {
            match op {
                Op::Write(batch, ack) => {
                    let res = self.write(*batch).map_err(|e| e.to_string());
                    if let Err(e) = &res {
                        tracing::error!("store write failed: {e}");
                    }
                    let _ = ack.send(res);
                }
                Op::Counts(ack) => {
                    let _ = ack.send(self.counts().map_err(|e| e.to_string()));
                }
            }
        }
    }

    fn load(&mut self) -> rusqlite::Result<Loaded> {
        let mut meta = HashMap::new();
        {
            let mut stmt = self.conn.prepare("SELECT key, value FROM meta")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (k, v) = row?;
                meta.insert(k, v);
            }
        }
        let mut fields = Map::new();
        let mut whole: Option<Value> = None;
        {
            let mut stmt = self.conn.prepare("SELECT field, json FROM state_scalars")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (field, json) = row?;
                self.scalars.insert(field.clone(), hash_str(&json));
                let v = parse_stored(&json)?;
                if field.is_empty() {
                    whole = Some(v);
                } else {
                    fields.insert(field, v);
                }
            }
        }
        let collections: Vec<(String, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT name, shape FROM state_collections")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (name, shape) in collections {
            if !table_ok(&name) {
                continue;
            }
            let shape = if shape == "map" {
                Shape::Map
            } else {
                Shape::Array
            };
            let mut w = Written {
                shape: Some(shape),
                rows: HashMap::new(),
                order: Vec::new(),
            };
            let mut stmt = self.conn.prepare(&format!(
                "SELECT key, ord, json FROM state_{name} ORDER BY ord"
            ))?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            let mut array = Vec::new();
            let mut map = Map::new();
            for row in rows {
                let (key, ord, json) = row?;
                w.rows.insert(key.clone(), (ord, hash_str(&json)));
                w.order.push(key.clone());
                let v = parse_stored(&json)?;
                match shape {
                    Shape::Array => array.push(v),
                    Shape::Map => {
                        map.insert(key, v);
                    }
                }
            }
            fields.insert(
                name.clone(),
                match shape {
                    Shape::Array => Value::Array(array),
                    Shape::Map => Value::Object(map),
                },
            );
            self.written.insert(name, w);
        }
        let value = match whole {
            Some(v) => Some(v),
            None if fields.is_empty() => None,
            None => Some(Value::Object(fields)),
        };
        let state = match value {
            None => None,
            Some(v) => Some(serde_json::from_value::<EngineState>(v).map_err(|e| {
                rusqlite::Error::ToSqlConversionFailure(
                    format!("the stored engine state does not fit this engine ({e}); use another --data-dir").into(),
                )
            })?),
        };
        self.prev = state.clone();
        Ok(Loaded { state, meta })
    }

    fn counts(&self) -> rusqlite::Result<Counts> {
        let count = |table: &str| -> rusqlite::Result<usize> {
            self.conn
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|n| n as usize)
        };
        let mut engine_rows = count("state_scalars")?;
        for name in self.written.keys() {
            engine_rows += count(&format!("state_{name}"))?;
        }
        Ok(Counts {
            rollouts: count("rollouts")?,
            events: count("events")?,
            actions: count("actions")?,
            entities: count("entities")?,
            engine_rows,
        })
    }

    /// The changed scalars and collection writes of `state`: diffed field by field against the
    /// last written state when possible, else by serializing everything.
    #[allow(clippy::type_complexity)]
    fn plan_state(
        &self,
        state: &EngineState,
    ) -> rusqlite::Result<(Vec<(String, String, u64)>, Vec<CollectionWrite>)> {
        let to_sql = |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
        let mut scalars: Vec<(String, String)> = Vec::new();
        let mut plans = Vec::new();
        if let (true, Some(prev)) = (self.typed, &self.prev) {
            let mut ok = true;
            macro_rules! diff {
                (collections: $($c:ident),*; scalars: $($s:ident),*) => {
                    $(
                        if ok {
                            let name = stringify!($c);
                            match diff_vec(&state.$c, &prev.$c, self.written.get(name).map(|w| &w.order)) {
                                Ok(None) => {}
                                Ok(Some(split)) => match plan_collection(name.to_string(), split, self.written.get(name)) {
                                    Some(plan) => plans.push(plan),
                                    None => ok = false,
                                },
                                Err(()) => ok = false,
                            }
                        }
                    )*
                    $(
                        let json = serde_json::to_string(&state.$s).map_err(to_sql)?;
                        scalars.push((stringify!($s).to_string(), json));
                    )*
                };
            }
            typed_state!(diff);
            if ok {
                let scalars = scalars
                    .into_iter()
                    .map(|(f, json)| {
                        let h = hash_str(&json);
                        (f, json, h)
                    })
                    .filter(|(f, _, h)| self.scalars.get(f) != Some(h))
                    .collect();
                return Ok((scalars, plans));
            }
            plans.clear();
        }
        let split = split_state(serde_json::to_value(state).map_err(to_sql)?);
        let mut scalar_writes = Vec::new();
        for (field, json) in split.scalars {
            let h = hash_str(&json);
            if self.scalars.get(&field) != Some(&h) {
                scalar_writes.push((field, json, h));
            }
        }
        for (name, coll) in split.collections {
            let written = self.written.get(&name);
            // Every item carries its JSON here, so planning cannot fail.
            plans.extend(plan_collection(name, coll, written));
        }
        Ok((scalar_writes, plans))
    }

    fn write(&mut self, batch: Batch) -> rusqlite::Result<usize> {
        // Work out the changed engine rows before the transaction (pure CPU).
        let (scalar_writes, plans) = match &batch.state {
            Some(state) => self.plan_state(state)?,
            None => (Vec::new(), Vec::new()),
        };
        let tx = self.conn.transaction()?;
        let mut rows_written = 0;
        {
            for (field, json, _) in &scalar_writes {
                tx.prepare_cached(
                    "INSERT INTO state_scalars (field, json) VALUES (?1, ?2)
                     ON CONFLICT (field) DO UPDATE SET json = excluded.json",
                )?
                .execute(params![field, json])?;
                rows_written += 1;
            }
            for p in &plans {
                if p.new_table {
                    tx.execute_batch(&format!(
                        "CREATE TABLE IF NOT EXISTS state_{} (key TEXT PRIMARY KEY, ord INTEGER NOT NULL, json TEXT NOT NULL);",
                        p.name
                    ))?;
                    tx.prepare_cached(
                        "INSERT INTO state_collections (name, shape) VALUES (?1, ?2)
                         ON CONFLICT (name) DO UPDATE SET shape = excluded.shape",
                    )?
                    .execute(params![p.name, p.shape.name()])?;
                }
                let mut up = tx.prepare_cached(&format!(
                    "INSERT INTO state_{} (key, ord, json) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key) DO UPDATE SET ord = excluded.ord, json = excluded.json",
                    p.name
                ))?;
                for (key, ord, json, _) in &p.upserts {
                    up.execute(params![key, ord, json])?;
                }
                let mut del =
                    tx.prepare_cached(&format!("DELETE FROM state_{} WHERE key = ?1", p.name))?;
                for key in &p.deletes {
                    del.execute(params![key])?;
                }
                rows_written += p.upserts.len() + p.deletes.len();
            }
            write_read_model(&tx, &batch)?;
        }
        tx.commit()?;
        for (field, _, h) in scalar_writes {
            self.scalars.insert(field, h);
        }
        for p in plans {
            let w = self.written.entry(p.name).or_default();
            w.shape = Some(p.shape);
            w.order = p.order;
            for key in p.deletes {
                w.rows.remove(&key);
            }
            for (key, ord, _, h) in p.upserts {
                w.rows.insert(key, (ord, h));
            }
        }
        if let Some(state) = batch.state {
            self.prev = Some(state);
        }
        self.last_rows.store(rows_written, Ordering::SeqCst);
        Ok(rows_written)
    }
}

fn parse_stored(json: &str) -> rusqlite::Result<Value> {
    serde_json::from_str(json).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn write_read_model(tx: &rusqlite::Transaction<'_>, batch: &Batch) -> rusqlite::Result<()> {
    for (k, v) in &batch.meta {
        tx.prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![k, v])?;
    }
    for c in &batch.clusters {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO clusters (id, name, cloud_provider, operator_running, last_heartbeat_time, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            c.id,
            c.name,
            c.cloud_provider,
            c.operator.running,
            c.last_heartbeat_time.map(|t| t.to_rfc3339()),
            json(c)
        ])?;
    }
    for e in &batch.entities {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO entities (kind, namespace, name, outcome, applied_at, yaml)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            e.kind,
            e.namespace,
            e.name,
            enum_name(&e.outcome),
            e.applied_at.to_rfc3339(),
            e.yaml
        ])?;
    }
    for r in &batch.rollouts {
        let s = &r.summary;
        tx.prepare_cached(
            "INSERT INTO rollouts (id, cluster_id, namespace, spot_deployment, revision, status, strategy,
                 rollout_spec, image, start_time, end_time, failure_reason, summary, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (id) DO UPDATE SET status = excluded.status, end_time = excluded.end_time,
                 failure_reason = excluded.failure_reason, summary = excluded.summary,
                 revision = excluded.revision,
                 detail = CASE WHEN excluded.detail = 'null' THEN rollouts.detail ELSE excluded.detail END",
        )?
        .execute(params![
            s.id,
            s.cluster_id,
            s.namespace,
            s.spot_deployment.name,
            s.spot_deployment.revision,
            enum_name(&s.status),
            s.strategy_name,
            s.rollout_spec,
            s.image,
            s.start_time.to_rfc3339(),
            s.end_time.map(|t| t.to_rfc3339()),
            s.failure_reason.as_ref().map(json),
            json(s),
            json(&r.detail),
        ])?;
        if let Some(d) = &r.detail {
            for p in &d.phases {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO phases (rollout_id, idx, name, status, traffic_percentage, start_time, end_time, json)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    d.id,
                    p.index,
                    p.name,
                    enum_name(&p.status),
                    p.traffic_percentage,
                    p.start_time.map(|t| t.to_rfc3339()),
                    p.end_time.map(|t| t.to_rfc3339()),
                    json(p)
                ])?;
            }
            let verifications = d
                .phases
                .iter()
                .flat_map(|p| p.verifications.iter())
                .chain(d.background_verifications.iter());
            for v in verifications {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO verifications (rollout_id, step, template_name, metric_name, status, data_points, json)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    d.id,
                    v.step,
                    v.template_name,
                    v.metric_name,
                    enum_name(&v.status),
                    v.data_points.len() as i64,
                    json(v)
                ])?;
            }
        }
        if let Some(pods) = &r.pods {
            tx.prepare_cached("DELETE FROM pods WHERE rollout_id = ?1")?
                .execute(params![s.id])?;
            for p in pods {
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO pods (rollout_id, name, version, status, restarts, json)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![s.id, p.name, enum_name(&p.version), p.status, p.restarts, json(p)])?;
            }
        }
    }
    for e in &batch.events {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO events (id, rollout_id, cluster_id, namespace, last_timestamp, type, reason, object, message, actor, action_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            e.id as i64,
            e.rollout_id,
            e.cluster_id,
            e.namespace,
            e.last_timestamp.to_rfc3339(),
            enum_name(&e.kind),
            e.reason,
            e.object,
            e.message,
            e.actor,
            e.action_reason
        ])?;
    }
    for a in &batch.actions {
        tx.prepare_cached(
            "INSERT INTO actions (rollout_id, action, actor, at, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            a.rollout_id,
            enum_name(&a.action),
            a.actor,
            a.at.to_rfc3339(),
            a.reason
        ])?;
    }
    for a in &batch.applies {
        tx.prepare_cached(
            "INSERT INTO applies (at, actor, summary, json) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![a.at.to_rfc3339(), a.actor, a.summary(), json(a)])?;
    }
    for r in &batch.revisions {
        tx.prepare_cached(
            "INSERT INTO manifest_revisions (cluster_id, namespace, name, revision, image, applied_at, rollout_id, manifest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (cluster_id, namespace, name, revision) DO UPDATE SET image = excluded.image,
                 applied_at = excluded.applied_at, rollout_id = excluded.rollout_id,
                 manifest = COALESCE(excluded.manifest, manifest_revisions.manifest)",
        )?
        .execute(params![
            r.cluster_id,
            r.namespace,
            r.name,
            r.revision.revision,
            r.revision.image,
            r.revision.applied_at.to_rfc3339(),
            r.revision.rollout_id,
            r.manifest
        ])?;
    }
    Ok(())
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// The wire name of a unit enum variant (`"failurePolicyPaused"`).
fn enum_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn hash_str(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// How a top-level field of the engine state is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One row per element, in table `state_<field>`, ordered by `ord`.
    Array,
    /// One row per entry, in table `state_<field>`.
    Map,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Array => "array",
            Shape::Map => "map",
        }
    }
}

/// A collection of the engine state as split for storage.
struct Split {
    shape: Shape,
    /// (key, json) in order; json None: the same content as the last write (not serialized).
    items: Vec<(String, Option<String>)>,
}

/// The engine state split into scalars and collections.
#[derive(Default)]
struct SplitState {
    scalars: Vec<(String, String)>,
    collections: Vec<(String, Split)>,
}

fn table_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 48
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The natural identity of a collection element: its `id` (or its event's id), else the
/// identifying fields it has (kind, cluster, namespace, workload, name, revision); None when
/// it has none of those.
fn natural_key(v: &Value) -> Option<String> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    if let Some(id) = v.get("id").and_then(scalar) {
        return Some(id);
    }
    if let Some(id) = v.get("event").and_then(|e| e.get("id")).and_then(scalar) {
        return Some(id);
    }
    v.get("name")?;
    let parts: Vec<String> = [
        "kind",
        "cluster_id",
        "namespace",
        "workload",
        "name",
        "revision",
    ]
    .iter()
    .filter_map(|f| v.get(*f).map(|x| scalar(x).unwrap_or_default()))
    .collect();
    Some(parts.join("/"))
}

fn split_state(value: Value) -> SplitState {
    let mut out = SplitState::default();
    let Value::Object(fields) = value else {
        out.scalars.push(("".into(), value.to_string()));
        return out;
    };
    for (name, v) in fields {
        match v {
            Value::Array(items) if table_ok(&name) => {
                let keys: Vec<Option<String>> = items.iter().map(natural_key).collect();
                let unique = keys.iter().all(Option::is_some)
                    && keys.iter().collect::<HashSet<_>>().len() == keys.len();
                let items = items
                    .into_iter()
                    .zip(keys)
                    .enumerate()
                    .map(|(i, (item, key))| {
                        let key = if unique {
                            key.unwrap_or_default()
                        } else {
                            format!("#{i:010}")
                        };
                        (key, Some(item.to_string()))
                    })
                    .collect();
                out.collections.push((
                    name,
                    Split {
                        shape: Shape::Array,
                        items,
                    },
                ));
            }
            Value::Object(entries) if table_ok(&name) => {
                let items = entries
                    .into_iter()
                    .map(|(k, item)| (k, Some(item.to_string())))
                    .collect();
                out.collections.push((
                    name,
                    Split {
                        shape: Shape::Map,
                        items,
                    },
                ));
            }
            other => out.scalars.push((name, other.to_string())),
        }
    }
    out
}

/// What is on disk for one collection: key → (ord, hash).
#[derive(Default)]
struct Written {
    shape: Option<Shape>,
    rows: HashMap<String, (i64, u64)>,
    /// The keys in order, as on disk.
    order: Vec<String>,
}

/// The rows to write for one collection so that the table equals `split`.
struct CollectionWrite {
    name: String,
    shape: Shape,
    /// (key, ord, json, hash)
    upserts: Vec<(String, i64, String, u64)>,
    deletes: Vec<String>,
    new_table: bool,
    /// Every key, in order, after this write.
    order: Vec<String>,
}

/// None when an unserialized item (json None) would have to be rewritten: the caller then
/// serializes everything.
fn plan_collection(
    name: String,
    split: Split,
    written: Option<&Written>,
) -> Option<CollectionWrite> {
    let empty = Written::default();
    let w = written.unwrap_or(&empty);
    let new_table = w.shape.is_none();
    // Keep the stored order numbers when the order is unchanged; renumber everything otherwise.
    let mut ords = Vec::with_capacity(split.items.len());
    let mut prev = -1i64;
    let mut in_order = w.shape.is_none() || w.shape == Some(split.shape);
    for (key, _) in &split.items {
        let ord = match w.rows.get(key) {
            Some((o, _)) => *o,
            None => prev + 1,
        };
        if ord <= prev {
            in_order = false;
        }
        prev = ord;
        ords.push(ord);
    }
    if !in_order {
        ords = (0..split.items.len() as i64).collect();
    }
    let keys: HashSet<&str> = split.items.iter().map(|(k, _)| k.as_str()).collect();
    let deletes = w
        .rows
        .keys()
        .filter(|k| !keys.contains(k.as_str()))
        .cloned()
        .collect();
    let mut upserts = Vec::new();
    let mut order = Vec::with_capacity(split.items.len());
    for ((key, json), ord) in split.items.into_iter().zip(ords) {
        match json {
            Some(json) => {
                let h = hash_str(&json);
                if w.rows.get(&key) != Some(&(ord, h)) {
                    upserts.push((key.clone(), ord, json, h));
                }
            }
            None => match w.rows.get(&key) {
                Some((o, _)) if *o == ord => {}
                _ => return None,
            },
        }
        order.push(key);
    }
    Some(CollectionWrite {
        name,
        shape: split.shape,
        upserts,
        deletes,
        new_table,
        order,
    })
}

/// Every top-level field of the engine state is one the typed diff knows (else the store
/// serializes the whole state each time, which is slower but complete).
fn typed_diff_covers_state() -> bool {
    const KNOWN: &[&str] = typed_state!(field_names);
    let probe = rollout_engine::Engine::new(chrono::Utc::now(), &[("c", "c", "c")]).snapshot();
    match serde_json::to_value(&probe) {
        Ok(Value::Object(fields)) => fields.keys().all(|k| KNOWN.contains(&k.as_str())),
        _ => false,
    }
}

/// One collection diffed against the previous state: None when it is unchanged; Err when a
/// changed element has no identity (the caller falls back to the full split).
fn diff_vec<T: serde::Serialize + PartialEq>(
    cur: &[T],
    prev: &[T],
    order: Option<&Vec<String>>,
) -> Result<Option<Split>, ()> {
    if cur == prev {
        return Ok(None);
    }
    let order = order.ok_or(())?;
    let mut items = Vec::with_capacity(cur.len());
    let mut seen = HashSet::with_capacity(cur.len());
    for (i, item) in cur.iter().enumerate() {
        let (key, json) = match (prev.get(i), order.get(i)) {
            (Some(p), Some(k)) if p == item => (k.clone(), None),
            _ => {
                let v = serde_json::to_value(item).map_err(|_| ())?;
                let key = natural_key(&v).ok_or(())?;
                (key, Some(v.to_string()))
            }
        };
        if !seen.insert(key.clone()) {
            return Err(());
        }
        items.push((key, json));
    }
    Ok(Some(Split {
        shape: Shape::Array,
        items,
    }))
}

/// Reads a meta value straight from a database file (for tools and tests).
pub fn read_meta(dir: &Path, key: &str) -> Option<String> {
    let conn = Connection::open(dir.join(DB_FILE)).ok()?;
    conn.query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
        r.get(0)
    })
    .optional()
    .ok()
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_typed_diff_knows_every_field_of_the_engine_state() {
        assert!(typed_diff_covers_state());
    }

    #[test]
    fn collections_are_keyed_by_identity() {
        let v = json!({
            "now": "2026-11-20T10:00:00Z",
            "rollouts": [{"id": "rol-a"}, {"id": "rol-b"}],
            "events": [{"event": {"id": 1}}, {"event": {"id": 2}}],
            "entities": [{"kind": "Strategy", "name": "s"}],
            "actions": [{"x": 1}],
            "byName": {"a": 1},
        });
        let split = split_state(v);
        assert_eq!(split.scalars.len(), 2); // now, and byName (not a table name)
        let keys: Vec<Vec<String>> = split
            .collections
            .iter()
            .map(|(_, c)| c.items.iter().map(|(k, _)| k.clone()).collect())
            .collect();
        assert!(keys.contains(&vec!["rol-a".to_string(), "rol-b".to_string()]));
        assert!(keys.contains(&vec!["1".to_string(), "2".to_string()]));
        assert!(keys.contains(&vec!["Strategy/s".to_string()]));
        assert!(keys.contains(&vec!["#0000000000".to_string()]));
    }

    #[test]
    fn only_changed_rows_are_planned_and_order_is_kept() {
        let split = |ids: &[(&str, Option<i32>)]| Split {
            shape: Shape::Array,
            items: ids
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(|v| v.to_string())))
                .collect(),
        };
        let upserts = |p: &CollectionWrite| -> Vec<(String, i64)> {
            p.upserts
                .iter()
                .map(|(k, o, _, _)| (k.clone(), *o))
                .collect()
        };
        let first = plan_collection(
            "pods".into(),
            split(&[("a", Some(1)), ("b", Some(1)), ("c", Some(1))]),
            None,
        )
        .unwrap();
        assert_eq!(first.upserts.len(), 3);
        let mut w = Written {
            shape: Some(Shape::Array),
            rows: HashMap::new(),
            order: first.order.clone(),
        };
        for (k, o, _, h) in &first.upserts {
            w.rows.insert(k.clone(), (*o, *h));
        }
        // b removed, c changed, d appended: a untouched (and not even serialized).
        let next = plan_collection(
            "pods".into(),
            split(&[("a", None), ("c", Some(2)), ("d", Some(1))]),
            Some(&w),
        )
        .unwrap();
        assert_eq!(next.deletes, vec!["b".to_string()]);
        assert_eq!(upserts(&next), vec![("c".into(), 2), ("d".into(), 3)]);
        assert_eq!(next.order, ["a", "c", "d"]);
        // Reordered: everything renumbered, which needs every item's JSON.
        let re = plan_collection(
            "pods".into(),
            split(&[("c", Some(1)), ("a", Some(1)), ("b", Some(1))]),
            Some(&w),
        )
        .unwrap();
        assert_eq!(
            upserts(&re),
            vec![("c".into(), 0), ("a".into(), 1), ("b".into(), 2)]
        );
        assert!(
            plan_collection("pods".into(), split(&[("c", None), ("a", None)]), Some(&w)).is_none()
        );
    }

    #[test]
    fn a_changed_vector_serializes_only_what_differs() {
        #[derive(serde::Serialize, PartialEq)]
        struct Pod {
            name: &'static str,
            restarts: u32,
        }
        let prev = [
            Pod {
                name: "p1",
                restarts: 0,
            },
            Pod {
                name: "p2",
                restarts: 0,
            },
        ];
        let cur = [
            Pod {
                name: "p1",
                restarts: 0,
            },
            Pod {
                name: "p2",
                restarts: 3,
            },
        ];
        let order = vec!["p1".to_string(), "p2".to_string()];
        assert!(diff_vec(&prev, &prev, Some(&order)).unwrap().is_none());
        let split = diff_vec(&cur, &prev, Some(&order)).unwrap().unwrap();
        assert_eq!(split.items[0], ("p1".to_string(), None));
        assert_eq!(split.items[1].0, "p2");
        assert!(split.items[1]
            .1
            .as_deref()
            .unwrap()
            .contains("\"restarts\":3"));
    }
}
