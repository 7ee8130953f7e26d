//! The SQLite store (WAL) in `--data-dir`.
//!
//! Two kinds of tables:
//! - the read model, one table per thing the API shows (rollouts, phases, verifications, pod
//!   snapshots, events, actions, clusters, entities, manifest revisions), written from
//!   `Engine::drain_changes` and the rollouts it touched;
//! - the engine's own [`EngineState`]: each collection field (`rollouts`, `pods`, `events`,
//!   `manifests`, ...) in its table `state_<field>`, one row per element keyed by its identity
//!   ([`rollout_engine::Keyed`]: id, or kind/cluster/namespace/name) and ordered by `ord`, scalars (`now`,
//!   counters) in `state_scalars`. The engine is restored from these on start. Each write is
//!   the engine's [`StateDelta`] (the records a call changed and the keys it dropped, never the
//!   whole state), in the same transaction as the read model.
//!
//! All SQLite work runs on one dedicated thread; the async side sends it batches.

use rollout_api as api;
use rollout_engine::{CollectionDelta, EngineState, StateDelta};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use tokio::sync::oneshot;

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
    /// What the change did to the engine's state: the records to write, the keys to delete.
    pub state: Option<StateDelta>,
    pub rollouts: Vec<RolloutRow>,
    pub events: Vec<api::Event>,
    pub actions: Vec<api::ActionRecord>,
    /// Applies, for the audit.
    pub applies: Vec<rollout_engine::ApplyRecord>,
    /// Events retention removed (by id), deleted after the new ones are written.
    pub pruned_events: Vec<u64>,
    /// (rollout, n): retention removed the rollout's n oldest actions.
    pub pruned_actions: Vec<(String, usize)>,
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
    /// The connection's `synchronous` setting is FULL (see `commit`).
    full_sync: bool,
}

impl Db {
    fn open(path: &Path) -> rusqlite::Result<Db> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_millis(500))?;
        // One server per data dir: the first keeps the database locked while it runs.
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Durability, WAL mode: a commit is written to the WAL (in the OS) before the call that
        // made it is answered, so a killed process (kill -9, a panic that aborts, the OOM killer)
        // loses nothing answered. Against power loss or an OS crash, `commit` syncs the WAL for
        // what a user did (apply, action, operator switch): FULL; the clock's own ticks stay
        // NORMAL (no fsync each second; a restart re-simulates from the last synced state).
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(Db {
            conn,
            full_sync: false,
            written: HashMap::new(),
            scalars: HashMap::new(),
            last_rows: Arc::new(AtomicUsize::new(0)),
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
        let mut stored_keys: HashMap<String, Vec<String>> = HashMap::new();
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
            let mut w = Written::default();
            let mut order = Vec::new();
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
                w.next_ord = w.next_ord.max(ord + 1);
                order.push(key.clone());
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
            self.written.insert(name.clone(), w);
            stored_keys.insert(name, order);
        }
        let from_whole = whole.is_some();
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
        if let Some(state) = &state {
            self.rekey(state, &stored_keys, from_whole)?;
        }
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

    /// Rewrites, once, every collection whose rows are not keyed and ordered as the engine's
    /// records ([`rollout_engine::Keyed`]): a database written before the state was stored record by record,
    /// or by an older keying. Deltas then find each record's row by its key.
    fn rekey(
        &mut self,
        state: &EngineState,
        stored: &HashMap<String, Vec<String>>,
        from_whole: bool,
    ) -> rusqlite::Result<()> {
        let to_sql = |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
        let full = StateDelta::full(state);
        let mut plans = Vec::new();
        for (name, records) in full.collections() {
            let fits = stored
                .get(name)
                .is_some_and(|keys| keys.iter().map(String::as_str).eq(records.keys()));
            if !fits {
                // Written afresh: every stored row goes, each record gets its key and order.
                let written = self.written.remove(name);
                let fresh = Written::default();
                let mut plan = plan_collection(name, records, Some(&fresh))
                    .map_err(to_sql)?
                    .unwrap_or(CollectionWrite {
                        name,
                        upserts: Vec::new(),
                        deletes: Vec::new(),
                        new_table: false,
                    });
                plan.new_table = written.is_none();
                let keep: HashSet<&str> = records.keys().collect();
                plan.deletes = written
                    .map(|w| {
                        w.rows
                            .into_keys()
                            .filter(|k| !keep.contains(k.as_str()))
                            .collect()
                    })
                    .unwrap_or_default();
                plans.push(plan);
            }
        }
        if plans.is_empty() && !from_whole {
            return Ok(());
        }
        tracing::info!("storing the engine state record by record (once)");
        if from_whole {
            self.conn
                .execute("DELETE FROM state_scalars WHERE field = ''", [])?;
            self.scalars.remove("");
        }
        let scalars = full.scalars_json().map_err(to_sql)?;
        self.commit(scalars, plans, &Batch::default())?;
        Ok(())
    }

    fn write(&mut self, batch: Batch) -> rusqlite::Result<usize> {
        let to_sql = |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
        // Serialize and plan before the transaction (pure CPU, only the changed records).
        let mut scalars = Vec::new();
        let mut plans = Vec::new();
        if let Some(delta) = &batch.state {
            scalars = delta.scalars_json().map_err(to_sql)?;
            for (name, records) in delta.collections() {
                if let Some(plan) =
                    plan_collection(name, records, self.written.get(name)).map_err(to_sql)?
                {
                    plans.push(plan);
                }
            }
        }
        self.commit(scalars, plans, &batch)
    }

    /// Writes the changed scalars, the planned state rows and the batch's read model in one
    /// transaction; then notes what is on disk.
    fn commit(
        &mut self,
        scalars: Vec<(&'static str, String)>,
        plans: Vec<CollectionWrite>,
        batch: &Batch,
    ) -> rusqlite::Result<usize> {
        let scalar_writes: Vec<(&str, String, u64)> = scalars
            .into_iter()
            .map(|(field, json)| {
                let h = hash_str(&json);
                (field, json, h)
            })
            .filter(|(field, _, h)| self.scalars.get(*field) != Some(h))
            .collect();
        // Something a user did and was (or will be) told about: synced to disk at the commit.
        let by_user = !batch.entities.is_empty()
            || !batch.actions.is_empty()
            || !batch.applies.is_empty()
            || !batch.clusters.is_empty();
        if by_user != self.full_sync {
            let level = if by_user { "FULL" } else { "NORMAL" };
            self.conn.pragma_update(None, "synchronous", level)?;
            self.full_sync = by_user;
        }
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
                        "INSERT INTO state_collections (name, shape) VALUES (?1, 'array')
                         ON CONFLICT (name) DO UPDATE SET shape = excluded.shape",
                    )?
                    .execute(params![p.name])?;
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
            write_read_model(&tx, batch)?;
        }
        tx.commit()?;
        for (field, _, h) in scalar_writes {
            self.scalars.insert(field.to_string(), h);
        }
        for p in plans {
            let w = self.written.entry(p.name.to_string()).or_default();
            for key in p.deletes {
                w.rows.remove(&key);
            }
            for (key, ord, _, h) in p.upserts {
                w.next_ord = w.next_ord.max(ord + 1);
                w.rows.insert(key, (ord, h));
            }
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
    prune(tx, batch)?;
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

/// Retention in the read model: the events and actions the engine removed go in the same
/// transaction that appends the new ones.
fn prune(tx: &rusqlite::Transaction<'_>, batch: &Batch) -> rusqlite::Result<()> {
    for id in &batch.pruned_events {
        tx.prepare_cached("DELETE FROM events WHERE id = ?1")?
            .execute(params![*id as i64])?;
    }
    for (rollout_id, n) in &batch.pruned_actions {
        tx.prepare_cached(
            "DELETE FROM actions WHERE seq IN
               (SELECT seq FROM actions WHERE rollout_id = ?1 ORDER BY seq LIMIT ?2)",
        )?
        .execute(params![rollout_id, *n as i64])?;
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

/// How a top-level field of the engine state was stored: one row per element (`array`, the
/// only shape written today) or per entry of a map (`map`, read for old databases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Array,
    Map,
}

fn table_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 48
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// What is on disk for one collection: key → (ord, hash of the JSON).
#[derive(Default)]
struct Written {
    rows: HashMap<String, (i64, u64)>,
    /// The `ord` a new row gets: after every stored one, so appended records load last.
    next_ord: i64,
}

/// The rows to write for one collection of a delta.
struct CollectionWrite {
    name: &'static str,
    /// (key, ord, json, hash): only rows whose content differs from what is stored.
    upserts: Vec<(String, i64, String, u64)>,
    deletes: Vec<String>,
    new_table: bool,
}

/// None when the delta changes nothing in this collection's table.
fn plan_collection(
    name: &'static str,
    records: &dyn CollectionDelta,
    written: Option<&Written>,
) -> serde_json::Result<Option<CollectionWrite>> {
    let empty = Written::default();
    let new_table = written.is_none();
    let w = written.unwrap_or(&empty);
    if records.keys().next().is_none() && records.removed().is_empty() && !records.complete() {
        return Ok(None);
    }
    let rows = records.json_rows()?;
    let mut next = w.next_ord;
    let mut upserts = Vec::new();
    for (key, json) in &rows {
        let h = hash_str(json);
        match w.rows.get(*key) {
            Some((_, stored)) if *stored == h => {}
            Some((ord, _)) => upserts.push((key.to_string(), *ord, json.clone(), h)),
            None => {
                upserts.push((key.to_string(), next, json.clone(), h));
                next += 1;
            }
        }
    }
    let deletes: Vec<String> = if records.complete() {
        let keep: HashSet<&str> = rows.iter().map(|(k, _)| *k).collect();
        let mut gone: Vec<String> = w
            .rows
            .keys()
            .filter(|k| !keep.contains(k.as_str()))
            .cloned()
            .collect();
        gone.sort();
        gone
    } else {
        records
            .removed()
            .iter()
            .filter(|k| w.rows.contains_key(k.as_str()))
            .cloned()
            .collect()
    };
    // A complete collection gets its table even when empty: the state loads with every field.
    if upserts.is_empty() && deletes.is_empty() && !(new_table && records.complete()) {
        return Ok(None);
    }
    Ok(Some(CollectionWrite {
        name,
        upserts,
        deletes,
        new_table,
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
    use rollout_engine::{Engine, Keyed, Records};

    fn records(upserts: &[(&str, i32)], removed: &[&str], complete: bool) -> Records<i32> {
        Records {
            upserts: upserts.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            removed: removed.iter().map(|k| k.to_string()).collect(),
            complete,
        }
    }

    fn stored(plan: &CollectionWrite, w: &mut Written) {
        for k in &plan.deletes {
            w.rows.remove(k);
        }
        for (k, ord, _, h) in &plan.upserts {
            w.next_ord = w.next_ord.max(ord + 1);
            w.rows.insert(k.clone(), (*ord, *h));
        }
    }

    fn upserts(p: &CollectionWrite) -> Vec<(&str, i64)> {
        p.upserts
            .iter()
            .map(|(k, o, _, _)| (k.as_str(), *o))
            .collect()
    }

    #[test]
    fn a_delta_writes_changed_rows_appends_new_ones_after_every_stored_one_and_deletes_gone_ones() {
        let first = records(&[("a", 1), ("b", 1), ("c", 1)], &[], true);
        let plan = plan_collection("pods", &first, None).unwrap().unwrap();
        assert!(plan.new_table);
        assert_eq!(upserts(&plan), [("a", 0), ("b", 1), ("c", 2)]);
        let mut w = Written::default();
        stored(&plan, &mut w);

        // a gone, b unchanged (same JSON: not rewritten), c changed in place, d appended.
        let next = records(&[("b", 1), ("c", 2), ("d", 1)], &["a"], false);
        let plan = plan_collection("pods", &next, Some(&w)).unwrap().unwrap();
        assert!(!plan.new_table);
        assert_eq!(plan.deletes, ["a"]);
        assert_eq!(upserts(&plan), [("c", 2), ("d", 3)]);
        stored(&plan, &mut w);

        // Nothing changed: nothing to write.
        let same = records(&[("d", 1)], &[], false);
        assert!(plan_collection("pods", &same, Some(&w)).unwrap().is_none());
        assert!(plan_collection("pods", &records(&[], &[], false), Some(&w))
            .unwrap()
            .is_none());

        // Complete: whatever else is stored goes; a new key still lands after the others.
        let whole = records(&[("c", 2), ("e", 1)], &[], true);
        let plan = plan_collection("pods", &whole, Some(&w)).unwrap().unwrap();
        assert_eq!(plan.deletes, ["b", "d"]);
        assert_eq!(upserts(&plan), [("e", 4)]);
    }

    #[test]
    fn an_empty_collection_gets_its_table_on_the_first_write() {
        let plan = plan_collection("actions", &records(&[], &[], true), None)
            .unwrap()
            .unwrap();
        assert!(plan.new_table && plan.upserts.is_empty());
    }

    /// Stores an engine with a few entities, then reopens the database after its rows were keyed
    /// another way (by position, as for collections without identity before).
    #[test]
    fn rows_keyed_another_way_are_rekeyed_once_and_deltas_then_find_them() {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::Utc::now();
        let mut e = Engine::new(now, &[("c1", "Cluster one", "AWS")]);
        let yaml = "kind: Strategy\nname: a\ncanary:\n  steps:\n    - setWeight: 100\n---\nkind: Strategy\nname: b\ncanary:\n  steps:\n    - setWeight: 100\n";
        e.apply(yaml, now).unwrap();
        let first = e.snapshot();
        {
            let (store, _) = Store::open(dir.path()).unwrap();
            let rx = store.write(Batch {
                state: Some(StateDelta::full(&first)),
                ..Default::default()
            });
            rx.blocking_recv().unwrap().unwrap();
        }
        // The store thread ends with its last handle: retry until it has closed the database.
        let retry = |f: &dyn Fn() -> Result<(), String>| {
            for _ in 0..100 {
                if f().is_ok() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            f().unwrap();
        };
        retry(&|| {
            let conn = Connection::open(dir.path().join(DB_FILE)).map_err(|e| e.to_string())?;
            conn.execute("UPDATE state_entities SET key = printf('#%010d', ord)", [])
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        let (store, loaded) = Store::open(dir.path()).unwrap();
        assert_eq!(loaded.state.as_ref(), Some(&first));
        // A delta changing one entity: the row under its key, no second copy.
        let mut e = Engine::restore(first);
        e.take_state_delta();
        let changed = yaml.replace(
            "setWeight: 100\n---",
            "setWeight: 50\n    - setWeight: 100\n---",
        );
        e.apply(&changed, now).unwrap();
        let delta = e.take_state_delta();
        assert_eq!(delta.entities.upserts.len(), 1);
        store
            .write(Batch {
                state: Some(delta),
                ..Default::default()
            })
            .blocking_recv()
            .unwrap()
            .unwrap();
        drop(store);
        let reopened = std::sync::Mutex::new(None);
        retry(&|| {
            *reopened.lock().unwrap() = Some(Store::open(dir.path())?.1);
            Ok(())
        });
        let loaded = reopened.into_inner().unwrap().unwrap();
        let state = loaded.state.unwrap();
        assert_eq!(state, e.snapshot());
        let keys: Vec<String> = state.entities.iter().map(|x| x.key()).collect();
        assert_eq!(keys, ["Strategy///a", "Strategy///b"]);
    }
}
