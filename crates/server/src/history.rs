//! History a live cluster does not keep. Argo Rollouts keeps the ReplicaSets of the last few
//! revisions (`revisionHistoryLimit`, 10 by default) and Kubernetes drops Events after an hour;
//! the server records every revision it observes — its summary, detail (steps, verifications,
//! start, end, outcome), events, resources, strategy and pod template — in the SQLite store
//! (table `kube_revisions`, schema step 3), so the list, the stats, a workload's history and the
//! CRD diff go back further than the cluster, across restarts.
//!
//! Kept: the newest [`KEEP_PER_ROLLOUT`] revisions of each Rollout (older ones are deleted when a
//! newer one is recorded), with at most [`KEEP_EVENTS`] events each.

use rollout_api as api;
use rollout_kube::map::Mapped;
use rusqlite::{params, Connection};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Revisions kept per Rollout (cluster, namespace, name).
pub const KEEP_PER_ROLLOUT: usize = 100;
/// Events kept per revision (the newest).
pub const KEEP_EVENTS: usize = 500;

#[derive(Clone)]
pub struct History {
    conn: Arc<Mutex<Connection>>,
}

fn key(e: &api::Event) -> (String, String, String, String, api::Timestamp) {
    (
        e.namespace.clone(),
        e.object.clone(),
        e.reason.clone(),
        e.message.clone(),
        e.last_timestamp,
    )
}

/// `m` with the events `before` had that it no longer shows (Kubernetes dropped them), newest
/// first, at most [`KEEP_EVENTS`]; what falls past that is counted in `events_pruned`.
pub fn with_past_events(mut m: Mapped, before: &Mapped) -> Mapped {
    let have: std::collections::HashSet<_> = m.events.iter().map(key).collect();
    let mut next_id = m.events.iter().map(|e| e.id).max().unwrap_or(0);
    for e in &before.events {
        if !have.contains(&key(e)) {
            let mut e = e.clone();
            next_id += 1;
            e.id = next_id;
            m.events.push(e);
        }
    }
    m.events.sort_by(|a, b| {
        b.last_timestamp
            .cmp(&a.last_timestamp)
            .then(b.id.cmp(&a.id))
    });
    let dropped = m.events.len().saturating_sub(KEEP_EVENTS) as u64;
    m.events.truncate(KEEP_EVENTS);
    m.events_pruned = before.events_pruned.max(m.events_pruned) + dropped;
    m
}

impl History {
    /// Opens (and migrates) the store's database in `dir`.
    pub fn open(dir: &Path) -> Result<History, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(crate::store::DB_FILE);
        let mut conn = Connection::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(2))
            .map_err(|e| e.to_string())?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| e.to_string())?;
        crate::migrate::migrate(&mut conn, crate::store::SCHEMA)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(History {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Every recorded revision.
    pub fn load(&self) -> Result<HashMap<String, Mapped>, String> {
        let conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let mut stmt = conn
            .prepare("SELECT rollout_id, mapped FROM kube_revisions")
            .map_err(|e| e.to_string())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| e.to_string())?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, json) = row.map_err(|e| e.to_string())?;
            match serde_json::from_str::<Mapped>(&json) {
                Ok(m) => {
                    out.insert(id, m);
                }
                Err(e) => tracing::warn!("history: revision {id} unreadable, skipped: {e}"),
            }
        }
        Ok(out)
    }

    /// Records revisions as observed now (one transaction), then drops the oldest revisions
    /// of their Rollouts past [`KEEP_PER_ROLLOUT`].
    pub fn record(&self, revisions: &[Mapped]) -> Result<(), String> {
        if revisions.is_empty() {
            return Ok(());
        }
        let now = chrono::Utc::now().to_rfc3339();
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction().map_err(|e| e.to_string())?;
        let mut rollouts = std::collections::BTreeSet::new();
        for m in revisions {
            let s = &m.summary;
            let json = serde_json::to_string(m).map_err(|e| e.to_string())?;
            let status = serde_json::to_value(s.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            tx.execute(
                "INSERT INTO kube_revisions
                   (rollout_id, cluster_id, namespace, name, revision, started_at, ended_at,
                    status, observed_at, mapped)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (rollout_id) DO UPDATE SET
                   revision = excluded.revision, started_at = excluded.started_at,
                   ended_at = excluded.ended_at, status = excluded.status,
                   observed_at = excluded.observed_at, mapped = excluded.mapped",
                params![
                    s.id,
                    s.cluster_id,
                    s.namespace,
                    s.spot_deployment.name,
                    s.spot_deployment.revision,
                    s.start_time.to_rfc3339(),
                    s.end_time.map(|t| t.to_rfc3339()),
                    status,
                    now,
                    json
                ],
            )
            .map_err(|e| e.to_string())?;
            rollouts.insert((
                s.cluster_id.clone(),
                s.namespace.clone(),
                s.spot_deployment.name.clone(),
            ));
        }
        for (cluster, ns, name) in rollouts {
            tx.execute(
                "DELETE FROM kube_revisions WHERE cluster_id = ?1 AND namespace = ?2 AND name = ?3
                   AND rollout_id NOT IN (
                     SELECT rollout_id FROM kube_revisions
                     WHERE cluster_id = ?1 AND namespace = ?2 AND name = ?3
                     ORDER BY revision DESC, started_at DESC LIMIT ?4)",
                params![cluster, ns, name, KEEP_PER_ROLLOUT as i64],
            )
            .map_err(|e| e.to_string())?;
        }
        tx.commit().map_err(|e| e.to_string())
    }
}
