//! The database's schema version (`PRAGMA user_version`) and the steps that bring an older file
//! up to date. A data dir is upgraded in place, each step in its own transaction; a file from a
//! newer server is refused with a message saying so (never "use another --data-dir").

use rusqlite::{Connection, OptionalExtension};

/// The schema this server writes.
pub const CURRENT: i64 = 4;

/// Step `n` takes a version `n - 1` database to version `n`. Step 1 is the first schema (the
/// tables of `store::SCHEMA`, created by the store itself).
const STEPS: &[(i64, &str)] = &[
    (
        2,
        // Actions listed per rollout (the rollout page, retention) without a scan.
        "CREATE INDEX IF NOT EXISTS actions_by_rollout ON actions (rollout_id, seq);
     CREATE INDEX IF NOT EXISTS events_by_rollout_id ON events (rollout_id, id);",
    ),
    (
        3,
        // Revisions of a live cluster's Rollouts as last observed (`history`): what the
        // cluster no longer keeps. `mapped` is the JSON of everything the console shows.
        "CREATE TABLE IF NOT EXISTS kube_revisions (
       rollout_id  TEXT PRIMARY KEY,
       cluster_id  TEXT NOT NULL,
       namespace   TEXT NOT NULL,
       name        TEXT NOT NULL,
       revision    INTEGER NOT NULL,
       started_at  TEXT NOT NULL,
       ended_at    TEXT,
       status      TEXT NOT NULL,
       observed_at TEXT NOT NULL,
       mapped      TEXT NOT NULL
     );
     CREATE INDEX IF NOT EXISTS kube_revisions_by_rollout
       ON kube_revisions (cluster_id, namespace, name, revision);",
    ),
    (
        4,
        // Why an action was taken (its reason), and on the event of an action who acted and
        // why; the audit of applies (who applied what), newest last.
        "ALTER TABLE actions ADD COLUMN reason TEXT;
     ALTER TABLE events ADD COLUMN actor TEXT;
     ALTER TABLE events ADD COLUMN action_reason TEXT;
     CREATE TABLE IF NOT EXISTS applies (
       seq     INTEGER PRIMARY KEY AUTOINCREMENT,
       at      TEXT NOT NULL,
       actor   TEXT NOT NULL,
       summary TEXT NOT NULL,
       json    TEXT NOT NULL
     );
     CREATE INDEX IF NOT EXISTS actions_by_time ON actions (at);",
    ),
];

/// Why the database cannot be used.
#[derive(Debug)]
pub enum MigrateError {
    Newer { found: i64 },
    Sql(rusqlite::Error),
}

impl std::fmt::Display for MigrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MigrateError::Newer { found } => write!(
                f,
                "the database has schema version {found}, written by a newer rollout-server; \
                 this one knows up to version {CURRENT}: run the newer server"
            ),
            MigrateError::Sql(e) => write!(f, "{e}"),
        }
    }
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sql(e)
    }
}

pub fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the database to [`CURRENT`] after `base_schema` (the first version's tables, all
/// `IF NOT EXISTS`) is in place. Answers the version found.
pub fn migrate(conn: &mut Connection, base_schema: &str) -> Result<i64, MigrateError> {
    let mut version = user_version(conn)?;
    if version > CURRENT {
        return Err(MigrateError::Newer { found: version });
    }
    let found = version;
    if version == 0 {
        // A new file, or one written before the schema had a user_version (version 1 kept
        // `schema_version` in its meta table): both start from the first schema.
        let tx = conn.transaction()?;
        tx.execute_batch(base_schema)?;
        let legacy: Option<String> = tx
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(v) = legacy.and_then(|v| v.parse::<i64>().ok()) {
            if v > CURRENT {
                return Err(MigrateError::Newer { found: v });
            }
        }
        tx.pragma_update(None, "user_version", 1)?;
        tx.commit()?;
        version = 1;
    }
    for (to, sql) in STEPS {
        if *to <= version {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", to)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [to.to_string()],
        )?;
        tx.commit()?;
        tracing::info!("database upgraded from schema version {version} to {to}");
        version = *to;
    }
    Ok(found)
}
