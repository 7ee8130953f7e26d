//! What a call changed in the engine's state, record by record: the records touched since the
//! last [`Engine::take_state_delta`] (new or changed, in state order) and the keys of those
//! gone. A store writes only these rows instead of diffing (or cloning) the whole state.
//!
//! Every mutation of a stored collection notes the record's key (`touch_*`). In debug builds
//! the engine also keeps the state as the deltas describe it and checks, at every take, that it
//! equals the real state: a mutation that forgot to note its record fails the tests that reach
//! it instead of being lost at the next restart.

use crate::model::*;
use crate::{api, Engine};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// A record's identity within its collection: the key a store keeps its row under. The same
/// shape as the generic identity the store used before deltas (`id`, else kind / cluster /
/// namespace / workload / name / revision joined by `/`), so existing rows keep their keys.
pub trait Keyed {
    fn write_key(&self, out: &mut String);

    fn key(&self) -> String {
        let mut s = String::new();
        self.write_key(&mut s);
        s
    }
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

impl Keyed for ClusterRecord {
    fn write_key(&self, out: &mut String) {
        out.push_str(&self.id);
    }
}

impl Keyed for EntityRecord {
    fn write_key(&self, out: &mut String) {
        let _ = write!(
            out,
            "{}/{}/{}/{}",
            self.kind,
            opt(&self.cluster_id),
            opt(&self.namespace),
            self.name
        );
    }
}

impl Keyed for WorkloadRecord {
    fn write_key(&self, out: &mut String) {
        let _ = write!(out, "{}/{}/{}", self.cluster_id, self.namespace, self.name);
    }
}

impl Keyed for ManifestRevision {
    fn write_key(&self, out: &mut String) {
        let _ = write!(
            out,
            "{}/{}/{}/{}",
            self.cluster_id, self.namespace, self.name, self.revision
        );
    }
}

impl Keyed for ReplicaSetRecord {
    fn write_key(&self, out: &mut String) {
        let _ = write!(
            out,
            "{}/{}/{}/{}/{}",
            self.cluster_id, self.namespace, self.workload, self.name, self.revision
        );
    }
}

impl Keyed for PodRecord {
    fn write_key(&self, out: &mut String) {
        let _ = write!(
            out,
            "{}/{}/{}/{}",
            self.cluster_id, self.namespace, self.workload, self.name
        );
    }
}

impl Keyed for RolloutRecord {
    fn write_key(&self, out: &mut String) {
        out.push_str(&self.id);
    }
}

impl Keyed for EventRecord {
    fn write_key(&self, out: &mut String) {
        let _ = write!(out, "{}", self.event.id);
    }
}

/// Actions and applies have no identity of their own: they are kept by position (append only).
pub fn action_key(index: usize) -> String {
    format!("#{index:010}")
}

fn action_index(key: &str) -> Option<usize> {
    key.strip_prefix('#')?.parse().ok()
}

/// The change of one collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Records<T> {
    /// Records new or changed since the last delta, with their keys, in state order (a store
    /// appends new keys in this order); every record when `complete`.
    pub upserts: Vec<(String, T)>,
    /// Keys of records that are no longer in the state.
    pub removed: Vec<String>,
    /// `upserts` is the whole collection: any other stored record is gone.
    pub complete: bool,
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records {
            upserts: Vec::new(),
            removed: Vec::new(),
            complete: false,
        }
    }
}

impl<T: Clone> Records<T> {
    pub fn is_empty(&self) -> bool {
        !self.complete && self.upserts.is_empty() && self.removed.is_empty()
    }

    fn whole(items: &[T], key: impl Fn(usize, &T) -> String) -> Records<T> {
        Records {
            upserts: items
                .iter()
                .enumerate()
                .map(|(i, x)| (key(i, x), x.clone()))
                .collect(),
            removed: Vec::new(),
            complete: true,
        }
    }

    /// Applies the change as a store does: removed keys go, an upsert replaces the record with
    /// its key in place or is appended.
    pub fn apply_to(&self, items: &mut Vec<T>, key: impl Fn(usize, &T) -> String) {
        if self.complete {
            *items = self.upserts.iter().map(|(_, x)| x.clone()).collect();
            return;
        }
        if !self.removed.is_empty() {
            let gone: HashSet<&str> = self.removed.iter().map(String::as_str).collect();
            let mut i = 0;
            items.retain(|x| {
                let keep = !gone.contains(key(i, x).as_str());
                i += 1;
                keep
            });
        }
        let mut at: HashMap<String, usize> = items
            .iter()
            .enumerate()
            .map(|(i, x)| (key(i, x), i))
            .collect();
        for (k, x) in &self.upserts {
            match at.get(k) {
                Some(&i) => items[i] = x.clone(),
                None => {
                    at.insert(k.clone(), items.len());
                    items.push(x.clone());
                }
            }
        }
    }
}

/// Everything a call changed in [`EngineState`]: its scalars (always) and, per collection, the
/// records to write and the keys to delete.
#[derive(Debug, Clone, PartialEq)]
pub struct StateDelta {
    pub now: api::Timestamp,
    pub rng: u64,
    pub next_event_id: u64,
    pub clusters: Records<ClusterRecord>,
    pub entities: Records<EntityRecord>,
    pub workloads: Records<WorkloadRecord>,
    pub manifests: Records<ManifestRevision>,
    pub replica_sets: Records<ReplicaSetRecord>,
    pub pods: Records<PodRecord>,
    pub rollouts: Records<RolloutRecord>,
    pub events: Records<EventRecord>,
    pub actions: Records<api::ActionRecord>,
    pub applies: Records<ApplyRecord>,
}

fn keyed<T: Keyed>(_: usize, x: &T) -> String {
    x.key()
}

fn positional<T>(i: usize, _: &T) -> String {
    action_key(i)
}

impl StateDelta {
    /// The whole state as one complete delta (a first write, or a rewrite after a fault).
    pub fn full(state: &EngineState) -> StateDelta {
        // Destructured so that a new field of the state cannot be forgotten here.
        let EngineState {
            now,
            rng,
            next_event_id,
            clusters,
            entities,
            workloads,
            manifests,
            replica_sets,
            pods,
            rollouts,
            events,
            actions,
            applies,
        } = state;
        StateDelta {
            now: *now,
            rng: *rng,
            next_event_id: *next_event_id,
            clusters: Records::whole(clusters, keyed),
            entities: Records::whole(entities, keyed),
            workloads: Records::whole(workloads, keyed),
            manifests: Records::whole(manifests, keyed),
            replica_sets: Records::whole(replica_sets, keyed),
            pods: Records::whole(pods, keyed),
            rollouts: Records::whole(rollouts, keyed),
            events: Records::whole(events, keyed),
            actions: Records::whole(actions, positional),
            applies: Records::whole(applies, positional),
        }
    }

    /// Brings `state` (as of the previous delta) to this one, as a store does.
    pub fn apply_to(&self, state: &mut EngineState) {
        state.now = self.now;
        state.rng = self.rng;
        state.next_event_id = self.next_event_id;
        self.clusters.apply_to(&mut state.clusters, keyed);
        self.entities.apply_to(&mut state.entities, keyed);
        self.workloads.apply_to(&mut state.workloads, keyed);
        self.manifests.apply_to(&mut state.manifests, keyed);
        self.replica_sets.apply_to(&mut state.replica_sets, keyed);
        self.pods.apply_to(&mut state.pods, keyed);
        self.rollouts.apply_to(&mut state.rollouts, keyed);
        self.events.apply_to(&mut state.events, keyed);
        self.actions.apply_to(&mut state.actions, positional);
        self.applies.apply_to(&mut state.applies, positional);
    }

    /// Records written or deleted (scalars aside).
    pub fn records(&self) -> usize {
        self.collections()
            .iter()
            .map(|(_, c)| c.keys().count() + c.removed().len())
            .sum()
    }

    /// Each collection with the name of its field in [`EngineState`]. Destructured, so a field
    /// added to the state cannot be left out of what a store writes.
    pub fn collections(&self) -> [(&'static str, &dyn CollectionDelta); 10] {
        let StateDelta {
            now: _,
            rng: _,
            next_event_id: _,
            clusters,
            entities,
            workloads,
            manifests,
            replica_sets,
            pods,
            rollouts,
            events,
            actions,
            applies,
        } = self;
        [
            ("clusters", clusters),
            ("entities", entities),
            ("workloads", workloads),
            ("manifests", manifests),
            ("replica_sets", replica_sets),
            ("pods", pods),
            ("rollouts", rollouts),
            ("events", events),
            ("actions", actions),
            ("applies", applies),
        ]
    }

    /// The scalars as (field, JSON).
    pub fn scalars_json(&self) -> serde_json::Result<Vec<(&'static str, String)>> {
        Ok(vec![
            ("now", serde_json::to_string(&self.now)?),
            ("rng", serde_json::to_string(&self.rng)?),
            ("next_event_id", serde_json::to_string(&self.next_event_id)?),
        ])
    }
}

/// One collection of a [`StateDelta`], whatever its record type: what a store needs to write it.
pub trait CollectionDelta {
    /// The keys of the records to write, in order.
    fn keys(&self) -> Box<dyn Iterator<Item = &str> + '_>;
    /// (key, JSON) of each record to write, in order.
    fn json_rows(&self) -> serde_json::Result<Vec<(&str, String)>>;
    fn removed(&self) -> &[String];
    /// The records are the whole collection.
    fn complete(&self) -> bool;
}

impl<T: serde::Serialize> CollectionDelta for Records<T> {
    fn keys(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(self.upserts.iter().map(|(k, _)| k.as_str()))
    }

    fn json_rows(&self) -> serde_json::Result<Vec<(&str, String)>> {
        self.upserts
            .iter()
            .map(|(k, x)| Ok((k.as_str(), serde_json::to_string(x)?)))
            .collect()
    }

    fn removed(&self) -> &[String] {
        &self.removed
    }

    fn complete(&self) -> bool {
        self.complete
    }
}

/// Keys of the records touched since the last delta, per collection (the simulated cluster
/// keeps its own for pods and ReplicaSets).
#[derive(Debug, Clone, Default)]
pub(crate) struct Touched {
    /// Everything may have changed (a panic stopped a mutation half way): the next delta is
    /// the whole state.
    pub all: bool,
    pub clusters: HashSet<String>,
    pub entities: HashSet<String>,
    pub workloads: HashSet<String>,
    pub manifests: HashSet<String>,
    pub rollouts: HashSet<String>,
    pub events: HashSet<String>,
    pub actions: HashSet<String>,
    pub applies: HashSet<String>,
}

/// The touched records of a collection found by scanning it (small collections, or ones that
/// change rarely).
pub(crate) fn pick<T: Keyed + Clone>(items: &[T], dirty: &mut HashSet<String>) -> Records<T> {
    if dirty.is_empty() {
        return Records::default();
    }
    let mut upserts = Vec::new();
    let mut buf = String::new();
    for item in items {
        if upserts.len() == dirty.len() {
            break;
        }
        buf.clear();
        item.write_key(&mut buf);
        if dirty.contains(buf.as_str()) {
            upserts.push((buf.clone(), item.clone()));
        }
    }
    let removed = if upserts.len() == dirty.len() {
        Vec::new()
    } else {
        let found: HashSet<&str> = upserts.iter().map(|(k, _)| k.as_str()).collect();
        let mut gone: Vec<String> = dirty
            .iter()
            .filter(|k| !found.contains(k.as_str()))
            .cloned()
            .collect();
        gone.sort();
        gone
    };
    dirty.clear();
    Records {
        upserts,
        removed,
        complete: false,
    }
}

/// The touched records of a collection found through an index (`at`: key → position).
fn pick_indexed<T: Clone>(
    items: &[T],
    dirty: &mut HashSet<String>,
    at: impl Fn(&str) -> Option<usize>,
) -> Records<T> {
    let mut found = Vec::with_capacity(dirty.len());
    let mut removed = Vec::new();
    for key in dirty.drain() {
        match at(&key) {
            Some(i) if i < items.len() => found.push((i, key)),
            _ => removed.push(key),
        }
    }
    found.sort_unstable_by_key(|(i, _)| *i);
    removed.sort();
    Records {
        upserts: found
            .into_iter()
            .map(|(i, k)| (k, items[i].clone()))
            .collect(),
        removed,
        complete: false,
    }
}

impl Engine {
    /// What changed in the state since the last call (or since the engine was made or
    /// restored), record by record. A store that applies every delta in order holds the state.
    pub fn take_state_delta(&mut self) -> StateDelta {
        let all = std::mem::take(&mut self.touched.all);
        let delta = if all {
            self.clear_touched();
            StateDelta::full(&self.snapshot())
        } else {
            let t = &mut self.touched;
            let rollout_index = &self.rollout_index;
            let events = &self.events;
            StateDelta {
                now: self.now,
                rng: self.rng,
                next_event_id: self.next_event_id,
                clusters: pick(&self.clusters, &mut t.clusters),
                entities: pick(&self.entities, &mut t.entities),
                workloads: pick(&self.workloads, &mut t.workloads),
                manifests: pick(&self.manifests, &mut t.manifests),
                replica_sets: pick(&self.sim.replica_sets, &mut self.sim.touched_replica_sets),
                pods: pick(&self.sim.pods, &mut self.sim.touched_pods),
                rollouts: pick_indexed(&self.rollouts, &mut t.rollouts, |k| {
                    rollout_index.get(k).copied()
                }),
                // Events are appended in id order (and only ever dropped, never reordered).
                events: pick_indexed(events, &mut t.events, |k| {
                    let id: u64 = k.parse().ok()?;
                    events.binary_search_by_key(&id, |e| e.event.id).ok()
                }),
                actions: pick_indexed(&self.actions, &mut t.actions, action_index),
                applies: pick_indexed(&self.applies, &mut t.applies, action_index),
            }
        };
        #[cfg(debug_assertions)]
        self.check_delta(&delta);
        delta
    }

    /// The whole state as a complete delta, without touching what the next
    /// `take_state_delta` reports.
    pub fn full_state_delta(&self) -> StateDelta {
        StateDelta::full(&self.snapshot())
    }

    /// The next delta is the whole state (after a panic cut a mutation short, or when a store
    /// lost a write).
    pub fn touch_all(&mut self) {
        self.touched.all = true;
    }

    fn clear_touched(&mut self) {
        self.touched = Touched::default();
        self.sim.touched_pods.clear();
        self.sim.touched_replica_sets.clear();
    }

    pub(crate) fn touch_rollout(&mut self, ri: usize) {
        if let Some(r) = self.rollouts.get(ri) {
            self.touched.rollouts.insert(r.id.clone());
        }
    }

    pub(crate) fn touch_workload(&mut self, wi: usize) {
        if let Some(w) = self.workloads.get(wi) {
            self.touched.workloads.insert(w.key());
        }
    }

    pub(crate) fn touch_manifest(
        &mut self,
        cluster_id: &str,
        namespace: &str,
        name: &str,
        rev: u32,
    ) {
        self.touched
            .manifests
            .insert(format!("{cluster_id}/{namespace}/{name}/{rev}"));
    }

    /// Debug builds: the state as the deltas so far describe it must be the state.
    #[cfg(debug_assertions)]
    fn check_delta(&mut self, delta: &StateDelta) {
        let Some(mut shadow) = self.shadow.take() else {
            return;
        };
        delta.apply_to(&mut shadow);
        let real = self.snapshot();
        if *shadow != real {
            let which = differing_collection(&shadow, &real);
            panic!(
                "the state delta missed a change in `{which}\n(a mutation did not note the record it changed: touch_* or mark)"
            );
        }
        self.shadow = Some(shadow);
    }
}

#[cfg(debug_assertions)]
fn differing_collection(a: &EngineState, b: &EngineState) -> String {
    fn first<T: PartialEq + std::fmt::Debug>(a: &[T], b: &[T]) -> String {
        let i = (0..a.len().max(b.len()))
            .find(|&i| a.get(i) != b.get(i))
            .unwrap_or(0);
        let text = format!(
            "element {i} of {} (stored) / {} (real):\n  stored {:?}\n  real   {:?}",
            a.len(),
            b.len(),
            a.get(i),
            b.get(i)
        );
        text.chars().take(3000).collect()
    }
    macro_rules! first_diff {
        (scalars: $($s:ident),*; collections: $($c:ident),*) => {
            $(
                if a.$s != b.$s {
                    return format!("{}`: {:?} vs {:?}", stringify!($s), a.$s, b.$s);
                }
            )*
            $(
                if a.$c != b.$c {
                    return format!("{}`, {}", stringify!($c), first(&a.$c, &b.$c));
                }
            )*
        };
    }
    first_diff!(
        scalars: now, rng, next_event_id;
        collections: clusters, entities, workloads, manifests, replica_sets, pods, rollouts, events, actions, applies
    );
    "?".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_apply_as_a_store_would() {
        let key = |_: usize, x: &(&str, i32)| x.0.to_string();
        let mut v = vec![("a", 1), ("b", 1), ("c", 1)];
        let r = Records {
            upserts: vec![("c".into(), ("c", 2)), ("d".into(), ("d", 1))],
            removed: vec!["a".into()],
            complete: false,
        };
        r.apply_to(&mut v, key);
        assert_eq!(v, vec![("b", 1), ("c", 2), ("d", 1)]);
        let whole = Records::whole(&[("x", 0)], key);
        whole.apply_to(&mut v, key);
        assert_eq!(v, vec![("x", 0)]);
    }

    #[test]
    fn picking_finds_changed_and_gone_records_in_state_order() {
        let items = vec![
            ClusterRecord {
                id: "b".into(),
                name: "B".into(),
                cloud_provider: "AWS".into(),
                operator_running: true,
                operator_version: "1".into(),
                last_heartbeat: None,
                stale: false,
                events_pruned: 0,
            };
            1
        ];
        let mut dirty: HashSet<String> = ["b", "gone"].iter().map(|s| s.to_string()).collect();
        let r = pick(&items, &mut dirty);
        assert_eq!(r.upserts.len(), 1);
        assert_eq!(r.removed, vec!["gone".to_string()]);
        assert!(dirty.is_empty());
    }
}
