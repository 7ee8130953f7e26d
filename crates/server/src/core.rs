//! The engine behind a lock, the clock that drives it, and the one path every change takes:
//! engine → store (one transaction, committed) → live stream.

use crate::store::{Batch, EntityRow, RevisionRow, RolloutRow, Store};
use crate::stream::Hub;
use chrono::Duration;
use rollout_api as api;
use rollout_api::{StreamMessage, Timestamp};
use rollout_engine::{validate, ActionError, ApplyError, Change, Engine, Retention};
use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// How simulated time moves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClockMode {
    /// Simulated now = start + real elapsed × speed, advanced every real second.
    Real { speed: f64 },
    /// Time moves only on `POST /sim/advance`.
    Manual,
}

struct Clock {
    mode: ClockMode,
    /// (simulated time, real instant) at which the simulated clock was last set.
    anchor: Mutex<(Timestamp, Instant)>,
}

impl Clock {
    fn now(&self) -> Timestamp {
        let (sim, wall) = *self.anchor.lock().unwrap_or_else(|e| e.into_inner());
        match self.mode {
            ClockMode::Manual => sim,
            ClockMode::Real { speed } => {
                let elapsed = wall.elapsed().as_secs_f64() * speed;
                sim + Duration::milliseconds((elapsed * 1000.0) as i64)
            }
        }
    }

    fn set(&self, sim: Timestamp) {
        *self.anchor.lock().unwrap_or_else(|e| e.into_inner()) = (sim, Instant::now());
    }
}

/// Whether the last write reached the disk.
#[derive(Debug)]
pub struct PersistError(pub String);

/// The running engine with its store and stream.
pub struct Core {
    engine: tokio::sync::RwLock<Engine>,
    store: Option<Store>,
    hub: Hub,
    clock: Clock,
    /// Every rollout summary, refreshed after each change: the list endpoint reads this without
    /// touching the engine lock.
    rollouts: RwLock<Arc<Vec<api::RolloutSummary>>>,
    clusters: RwLock<Arc<Vec<api::Cluster>>>,
    tick_health: Mutex<api::TickHealth>,
    /// Held from the engine change to its publication: messages go out in commit order.
    publish_order: tokio::sync::Mutex<()>,
}

impl Core {
    /// Wraps an engine (fresh, restored or seeded). `store` is None for a memory-only server.
    pub fn new(engine: Engine, store: Option<Store>, mode: ClockMode, hub: Hub) -> Core {
        let engine_now = engine.now();
        let start = match mode {
            // Real time never runs backwards after a restart: catch up to the wall clock.
            ClockMode::Real { .. } => engine_now.max(chrono::Utc::now()),
            ClockMode::Manual => engine_now,
        };
        let rollouts = Arc::new(engine.rollouts());
        let clusters = Arc::new(engine.clusters());
        Core {
            engine: tokio::sync::RwLock::new(engine),
            store,
            hub,
            clock: Clock {
                mode,
                anchor: Mutex::new((start, Instant::now())),
            },
            rollouts: RwLock::new(rollouts),
            clusters: RwLock::new(clusters),
            publish_order: tokio::sync::Mutex::new(()),
            tick_health: Mutex::new(api::TickHealth {
                last_tick: engine_now,
                last_error: None,
                last_error_at: None,
                errors: 0,
                controller_error: None,
            }),
        }
    }

    pub fn mode(&self) -> ClockMode {
        self.clock.mode
    }

    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The simulated now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Every rollout summary (cheap: a shared snapshot).
    pub fn rollouts(&self) -> Arc<Vec<api::RolloutSummary>> {
        self.rollouts
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn clusters(&self) -> Arc<Vec<api::Cluster>> {
        self.clusters
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Runs `f` with shared access to the engine.
    pub async fn read<T>(&self, f: impl FnOnce(&Engine) -> T) -> T {
        let engine = self.engine.read().await;
        f(&engine)
    }

    /// Moves the engine to the clock's now and persists what changed.
    pub async fn tick(&self) -> Result<(), PersistError> {
        let now = self.now();
        self.mutate(|e| {
            if now > e.now() {
                supervised_advance(e, now);
            }
        })
        .await
        .1
    }

    /// Sets how much history each rollout keeps; what is past the new limits is removed (and
    /// deleted from the store) at once.
    pub async fn set_retention(&self, retention: Retention) -> Result<(), PersistError> {
        self.mutate(|e| e.set_retention(retention)).await.1
    }

    pub async fn retention(&self) -> Retention {
        self.read(|e| e.retention()).await
    }

    /// Test hook: every tick panics outside any rollout (the controller stops) — or no more.
    #[doc(hidden)]
    pub async fn inject_outside_panic(&self, on: bool) {
        self.engine.write().await.inject_outside_panic(on);
    }

    /// Test hook: the rollout's next ticks panic, as a controller bug would.
    #[doc(hidden)]
    pub async fn inject_panic(&self, rollout_id: &str) {
        self.engine.write().await.inject_panic(Some(rollout_id));
    }

    /// How the tick is doing, for `/health`.
    pub fn tick_health(&self) -> api::TickHealth {
        self.tick_health
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Notes the engine's time and the controller errors it reported. `advanced`: the engine's
    /// clock moved (a tick ran), so a stopped controller that reports nothing runs again.
    fn note_tick(&self, engine: &mut Engine, outside: Option<String>, advanced: bool) {
        let mut h = self.tick_health.lock().unwrap_or_else(|e| e.into_inner());
        h.last_tick = engine.now();
        for f in engine.take_faults() {
            tracing::error!(
                "controller error on rollout {} at {}: {}; the rollout is stopped (failed)",
                f.rollout_id,
                f.at.to_rfc3339(),
                f.message
            );
            h.errors += 1;
            h.last_error = Some(format!("rollout {}: {}", f.rollout_id, f.message));
            h.last_error_at = Some(f.at);
        }
        match outside {
            Some(message) => {
                tracing::error!("controller error outside any rollout: {message}");
                h.errors += 1;
                h.last_error = Some(message.clone());
                h.last_error_at = Some(engine.now());
                // Stopped since the first failed tick of this run of failures.
                let since = match &h.controller_error {
                    Some(c) => c.since,
                    None => engine.now(),
                };
                h.controller_error = Some(api::ControllerError { message, since });
            }
            None if advanced && h.controller_error.is_some() => {
                h.controller_error = None;
                tracing::info!("the controller runs again");
            }
            None => {}
        }
    }

    /// Manual clock: moves it by `seconds` and runs the engine up to there.
    pub async fn advance(&self, seconds: u64) -> Result<Timestamp, PersistError> {
        let mut target = None;
        let (_, res) = self
            .mutate(|e| {
                let to = self.now().max(e.now()) + Duration::seconds(seconds as i64);
                supervised_advance(e, to);
                self.clock.set(to);
                target = Some(to);
            })
            .await;
        res.map(|()| target.unwrap_or_else(|| self.now()))
    }

    pub async fn act(
        &self,
        id: &str,
        action: api::ActionKind,
        actor: &str,
        reason: Option<&str>,
    ) -> Result<Result<api::RolloutDetail, ActionError>, PersistError> {
        let (out, res) = self
            .mutate(|e| {
                let now = self.catch_up(e);
                e.act_with_reason(id, action, actor, reason, now)
            })
            .await;
        res.map(|()| out)
    }

    pub async fn set_operator(
        &self,
        cluster_id: &str,
        running: bool,
    ) -> Result<Option<api::Cluster>, PersistError> {
        let (out, res) = self
            .mutate(|e| {
                let now = self.catch_up(e);
                e.set_operator_running(cluster_id, running, now)
            })
            .await;
        res.map(|()| out)
    }

    /// Applies a YAML stream. Reading and checking it (the slow, input-sized part) runs on a
    /// blocking thread before the engine's lock is taken, so a large or hostile stream never
    /// holds up other requests or the clock.
    pub async fn apply(
        &self,
        yaml: String,
        actor: &str,
    ) -> Result<Result<api::ApplyResponse, ApplyError>, PersistError> {
        let parsed = tokio::task::spawn_blocking(move || validate::parse_stream(&yaml))
            .await
            .map_err(|e| PersistError(format!("reading the YAML failed: {e}")))?;
        let stream = match parsed {
            Ok(stream) => stream,
            Err(e) => return Ok(Err(e)),
        };
        let texts: Vec<String> = stream.docs.iter().map(|d| d.text.clone()).collect();
        let applied_at = Mutex::new(self.now());
        let (out, res) = self
            .mutate_with(
                |e| {
                    let now = self.catch_up(e);
                    *applied_at.lock().unwrap_or_else(|e| e.into_inner()) = now;
                    e.apply_as(stream, now, actor)
                },
                |out| match out {
                    Ok(resp) => entity_rows(
                        &texts,
                        resp,
                        *applied_at.lock().unwrap_or_else(|e| e.into_inner()),
                    ),
                    Err(_) => Vec::new(),
                },
            )
            .await;
        res.map(|()| out)
    }

    /// A dry run of [`apply`](Core::apply): what it would do, every invalid document with its
    /// line; nothing changes (no store write, no event, no stream message, no audit entry).
    /// Reading the stream runs on a blocking thread, as for the apply.
    pub async fn plan(&self, yaml: String) -> Result<api::ApplyPlan, ApplyError> {
        let checked = tokio::task::spawn_blocking(move || validate::check_stream(&yaml))
            .await
            .map_err(|e| ApplyError {
                message: format!("reading the YAML failed: {e}"),
                document: 1,
                line: 1,
                column: 1,
            })??;
        Ok(self.read(|e| e.plan_apply(checked)).await)
    }

    /// In real-time mode, runs the engine up to now first so a mutation lands at the right
    /// moment; answers the time to use.
    fn catch_up(&self, e: &mut Engine) -> Timestamp {
        let now = self.now();
        match self.clock.mode {
            ClockMode::Real { .. } if now > e.now() => {
                e.advance_to(now);
                now
            }
            _ => now.max(e.now()),
        }
    }

    async fn mutate<T>(&self, f: impl FnOnce(&mut Engine) -> T) -> (T, Result<(), PersistError>) {
        self.mutate_with(f, |_| Vec::new()).await
    }

    /// The one write path: change the engine under the write lock and queue the batch for the
    /// store; then, in the same order (the publish lock is taken before the engine lock is
    /// released), wait for the commit and only then publish to the live stream. A change the
    /// store did not commit is never announced, so nothing is shown that a restart would lose.
    ///
    /// The batch holds only what the call changed: the engine's state delta (the records it
    /// touched, cloned; serialized on the store thread) and the read-model rows of the rollouts
    /// it reported. Nothing is proportional to the whole state, so a tick with 1,000 rollouts
    /// that mostly wait costs what they change.
    async fn mutate_with<T>(
        &self,
        f: impl FnOnce(&mut Engine) -> T,
        entities: impl FnOnce(&T) -> Vec<EntityRow>,
    ) -> (T, Result<(), PersistError>) {
        let mut engine = self.engine.write().await;
        let before = engine.now();
        let out = f(&mut engine);
        let outside = engine.take_outside_fault();
        let advanced = engine.now() > before;
        self.note_tick(&mut engine, outside, advanced);
        let (mut batch, msgs) = collect(&mut engine);
        batch.entities = entities(&out);
        if msgs
            .iter()
            .any(|m| matches!(m, StreamMessage::Rollout { .. }))
        {
            *self.rollouts.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(engine.rollouts());
        }
        let ack = self.store.as_ref().map(|s| s.write(batch));
        // Heartbeats move without a Cluster change too: always refresh.
        *self.clusters.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(engine.clusters());
        let publishing = self.publish_order.lock().await;
        drop(engine);
        let res = match ack {
            None => Ok(()),
            Some(rx) => match rx.await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err(PersistError(e)),
                Err(_) => Err(PersistError("the store thread has stopped".into())),
            },
        };
        if res.is_ok() {
            self.hub.publish(msgs);
        }
        drop(publishing);
        if res.is_err() {
            // The store missed this delta: the next write carries the whole state (rows that
            // did not change are not rewritten).
            self.engine.write().await.touch_all();
        }
        (out, res)
    }

    /// Writes the whole engine (after seeding or on first start) in one transaction.
    pub async fn persist_all(&self, meta: Vec<(String, String)>) -> Result<(), PersistError> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        let mut engine = self.engine.write().await;
        // Everything, once; what was touched until now is in it.
        engine.touch_all();
        let batch = full_batch(&mut engine, meta);
        let rx = store.write(batch);
        drop(engine);
        match rx.await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(PersistError(e)),
            Err(_) => Err(PersistError("the store thread has stopped".into())),
        }
    }

    /// Drives the engine every real second (real-time mode only). Runs until the process ends.
    pub fn spawn_ticker(self: &Arc<Self>) -> Option<tokio::task::JoinHandle<()>> {
        if self.clock.mode == ClockMode::Manual {
            return None;
        }
        let core = Arc::clone(self);
        Some(tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                if let Err(PersistError(e)) = core.tick().await {
                    tracing::error!("tick not saved: {e}");
                }
            }
        }))
    }
}

/// Runs the engine up to `to`. A panic inside one rollout is handled by the engine (that
/// rollout fails); one outside any rollout (heartbeats, the simulated cluster) is caught here,
/// logged and reported on `/health`, and the server keeps answering.
fn supervised_advance(e: &mut Engine, to: Timestamp) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| e.advance_to(to)));
    if let Err(payload) = result {
        e.note_outside_fault(rollout_engine::panic_message(payload.as_ref()));
    }
}

/// Drains the engine's changes into a store batch (state delta and read-model rows) and stream
/// messages.
fn collect(engine: &mut Engine) -> (Batch, Vec<StreamMessage>) {
    let changes = engine.drain_changes();
    let mut batch = Batch {
        state: Some(engine.take_state_delta()),
        ..Default::default()
    };
    let mut msgs = Vec::new();
    if changes.is_empty() {
        // Nothing the engine reports; the state (clock) still moved.
        return (batch, msgs);
    }
    let mut clusters: Option<Vec<api::Cluster>> = None;
    let mut seen_rollouts = HashSet::new();
    let mut seen_clusters = HashSet::new();
    let mut workloads = BTreeSet::new();
    for change in changes {
        match change {
            Change::Rollout(id) => {
                if !seen_rollouts.insert(id.clone()) {
                    continue;
                }
                let Some(summary) = engine.rollout_summary(&id) else {
                    continue;
                };
                workloads.insert((
                    summary.cluster_id.clone(),
                    summary.namespace.clone(),
                    summary.spot_deployment.name.clone(),
                ));
                batch.rollouts.push(RolloutRow {
                    summary: summary.clone(),
                    detail: engine.rollout(&id),
                    pods: engine.resources(&id).map(|r| r.pods),
                });
                msgs.push(StreamMessage::Rollout { rollout: summary });
            }
            Change::Event(event) => {
                batch.events.push(event.clone());
                msgs.push(StreamMessage::Event { event });
            }
            Change::Cluster(id) => {
                if !seen_clusters.insert(id.clone()) {
                    continue;
                }
                let all = clusters.get_or_insert_with(|| engine.clusters());
                if let Some(c) = all.iter().find(|c| c.id == id).cloned() {
                    batch.clusters.push(c.clone());
                    msgs.push(StreamMessage::Cluster { cluster: c });
                }
            }
            Change::Action(record) => batch.actions.push(record),
            Change::Apply(record) => batch.applies.push(record),
            Change::EventsPruned { ids, .. } => batch.pruned_events.extend(ids),
            Change::ActionsPruned {
                rollout_id,
                removed,
            } => batch.pruned_actions.push((rollout_id, removed)),
            Change::Workload {
                cluster_id,
                namespace,
                name,
            } => {
                workloads.insert((cluster_id, namespace, name));
            }
        }
    }
    if !workloads.is_empty() {
        // Views of the workloads that changed only (not of every workload).
        let views: Vec<api::Workload> = workloads
            .iter()
            .filter_map(|(c, ns, name)| engine.workload(c, ns, name))
            .collect();
        batch.revisions = revision_rows(engine, &views);
        // After the rollouts that changed them: a page showing a workload re-reads nothing.
        msgs.extend(
            views
                .into_iter()
                .map(|workload| StreamMessage::Workload { workload }),
        );
    }
    (batch, msgs)
}

/// The whole read model and state, for the first write (the engine's next delta, after
/// `touch_all`, is the whole state).
fn full_batch(engine: &mut Engine, meta: Vec<(String, String)>) -> Batch {
    let delta = engine.take_state_delta();
    let rollouts = engine
        .rollouts()
        .into_iter()
        .map(|summary| RolloutRow {
            detail: engine.rollout(&summary.id),
            pods: engine.resources(&summary.id).map(|r| r.pods),
            summary,
        })
        .collect();
    let entities = delta
        .entities
        .upserts
        .iter()
        .map(|(_, e)| EntityRow {
            kind: e.kind.clone(),
            namespace: e.namespace.clone().unwrap_or_default(),
            name: e.name.clone(),
            outcome: api::ApplyOutcome::Created,
            applied_at: e.applied_at,
            yaml: e.yaml.clone(),
        })
        .collect();
    Batch {
        rollouts,
        events: engine.events_since(0),
        actions: engine.action_log().to_vec(),
        applies: engine.apply_log().to_vec(),
        clusters: engine.clusters(),
        entities,
        revisions: revision_rows(engine, &engine.workloads()),
        meta,
        state: Some(delta),
        ..Batch::default()
    }
}

fn revision_rows(engine: &Engine, workloads: &[api::Workload]) -> Vec<RevisionRow> {
    let mut rows = Vec::new();
    for w in workloads {
        for rev in &w.revisions {
            let manifest = rev
                .rollout_id
                .as_deref()
                .and_then(|id| engine.manifests(id))
                .filter(|m| m.new_version == rev.revision)
                .map(|m| m.new_manifest);
            rows.push(RevisionRow {
                cluster_id: w.cluster_id.clone(),
                namespace: w.namespace.clone(),
                name: w.name.clone(),
                revision: rev.clone(),
                manifest,
            });
        }
    }
    rows
}

/// The documents of an applied stream with what the engine did with each (`applied` has one
/// entry per document, in order).
pub fn entity_rows(texts: &[String], resp: &api::ApplyResponse, at: Timestamp) -> Vec<EntityRow> {
    resp.applied
        .iter()
        .zip(texts)
        .map(|(a, text)| EntityRow {
            kind: a.kind.clone(),
            namespace: a.namespace.clone().unwrap_or_default(),
            name: a.name.clone(),
            outcome: a.outcome,
            applied_at: at,
            yaml: text.clone(),
        })
        .collect()
}
