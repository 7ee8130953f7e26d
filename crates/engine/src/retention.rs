//! Retention: a rollout keeps at most `max_events` events and `max_actions` actions (the
//! newest). What is removed is counted on the rollout (`events_pruned`, `actions_pruned`), so
//! the API can say how much history is gone instead of losing it silently, and reported as a
//! [`Change`] (the read model) and in the state delta (the removed keys) so the store deletes
//! the same rows in the transaction that appends the new ones.
//!
//! Events of no rollout are bounded the same way: their cluster is their owner
//! ([`EventOwner`]), keeps at most `max_events` of them and counts the rest on the
//! `ClusterRecord`.
//!
//! Events are removed in batches: an owner may hold up to `max_events` + [`Retention::slack`]
//! before its oldest are removed (one pass over the event list, amortised over the slack). Reads
//! never show more than `max_events` ([`Engine::events`]); the excess counts as pruned.

use crate::{Change, Engine};
use rollout_api as api;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Whose retention an event counts against. A rollout's events are its own. An event of no
/// rollout (a workload going live at its first revision, before any rollout) belongs to its
/// cluster: per cluster rather than one shared bucket because every such event names its
/// cluster, a cluster is the one durable record besides the rollout that can carry the count
/// (`ClusterRecord::events_pruned`, beside `RolloutRecord::events_pruned`), and one busy
/// cluster cannot push another's history out.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventOwner {
    Rollout(String),
    Cluster(String),
}

impl EventOwner {
    pub fn of(e: &api::Event) -> EventOwner {
        match &e.rollout_id {
            Some(id) => EventOwner::Rollout(id.clone()),
            None => EventOwner::Cluster(e.cluster_id.clone()),
        }
    }

    /// True when `e` counts against this owner.
    pub fn owns(&self, e: &api::Event) -> bool {
        match self {
            EventOwner::Rollout(id) => e.rollout_id.as_deref() == Some(id.as_str()),
            EventOwner::Cluster(id) => e.rollout_id.is_none() && e.cluster_id == *id,
        }
    }
}

/// How much history each rollout keeps (`serve --max-events-per-rollout`,
/// `--max-actions-per-rollout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub max_events: usize,
    pub max_actions: usize,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention {
            max_events: Retention::DEFAULT_MAX_EVENTS,
            max_actions: Retention::DEFAULT_MAX_ACTIONS,
        }
    }
}

impl Retention {
    pub const DEFAULT_MAX_EVENTS: usize = 5_000;
    pub const DEFAULT_MAX_ACTIONS: usize = 1_000;

    /// Events a rollout may hold past `max_events` before the oldest are removed (a tenth).
    pub fn slack(&self) -> usize {
        (self.max_events / 10).max(1)
    }
}

/// An owner's events as the API shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct EventHistory {
    /// Newest first, at most `limit`.
    pub events: Vec<api::Event>,
    /// Older events removed by retention.
    pub pruned: u64,
    /// The retention limit.
    pub limit: usize,
}

impl Engine {
    pub fn retention(&self) -> Retention {
        self.retention
    }

    /// Sets the limits and applies them at once (exactly, without slack) to what is held.
    pub fn set_retention(&mut self, retention: Retention) {
        self.retention = Retention {
            max_events: retention.max_events.max(1),
            max_actions: retention.max_actions.max(1),
        };
        let over: Vec<EventOwner> = self
            .event_counts
            .iter()
            .filter(|(_, n)| **n > self.retention.max_events)
            .map(|(owner, _)| owner.clone())
            .collect();
        self.prune_events(&over);
        let ids: Vec<String> = self.rollouts.iter().map(|r| r.id.clone()).collect();
        for id in ids {
            self.prune_actions(&id);
        }
        self.flush_dirty();
    }

    /// The rollout's events, newest first, within the retention limit, and how many are gone.
    pub fn event_history(&self, rollout_id: &str) -> Option<EventHistory> {
        let r = self.find(rollout_id)?;
        let owner = EventOwner::Rollout(rollout_id.to_string());
        Some(self.history_of(&owner, r.events_pruned))
    }

    /// The cluster's events of no rollout, newest first, within the retention limit, and how
    /// many are gone.
    pub fn cluster_event_history(&self, cluster_id: &str) -> Option<EventHistory> {
        let c = self.clusters.iter().find(|c| c.id == cluster_id)?;
        let owner = EventOwner::Cluster(cluster_id.to_string());
        Some(self.history_of(&owner, c.events_pruned))
    }

    fn history_of(&self, owner: &EventOwner, pruned: u64) -> EventHistory {
        let mut events = self.owned_events(owner);
        let limit = self.retention.max_events;
        let hidden = events.len().saturating_sub(limit);
        events.truncate(limit);
        EventHistory {
            events,
            pruned: pruned + hidden as u64,
            limit,
        }
    }

    /// Actions of this rollout removed by retention.
    pub fn actions_pruned(&self, rollout_id: &str) -> u64 {
        self.find(rollout_id).map_or(0, |r| r.actions_pruned)
    }

    /// Counts a new event of `owner`; notes the owner for pruning when it holds more than the
    /// limit and the slack.
    pub(crate) fn count_event(&mut self, owner: EventOwner) {
        let over = self.retention.max_events + self.retention.slack();
        let n = self.event_counts.entry(owner.clone()).or_insert(0);
        *n += 1;
        if *n > over && !self.prune_pending.contains(&owner) {
            self.prune_pending.push(owner);
        }
    }

    /// Prunes the owners noted by [`Engine::count_event`] (called when changes are flushed).
    pub(crate) fn apply_retention(&mut self) {
        if self.prune_pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.prune_pending);
        self.prune_events(&pending);
    }

    /// Removes the oldest events of each owner down to `max_events`, in one pass.
    fn prune_events(&mut self, owners: &[EventOwner]) {
        let max = self.retention.max_events;
        let mut doomed: HashSet<u64> = HashSet::new();
        for owner in owners {
            let mut own: Vec<(api::Timestamp, u64)> = self
                .events
                .iter()
                .filter(|e| owner.owns(&e.event))
                .map(|e| (e.event.last_timestamp, e.event.id))
                .collect();
            if own.len() <= max {
                continue;
            }
            own.sort_unstable();
            let n = own.len() - max;
            let ids: Vec<u64> = own[..n].iter().map(|(_, id)| *id).collect();
            doomed.extend(ids.iter().copied());
            // Gone from the state: the delta lists their keys as removed.
            self.touched
                .events
                .extend(ids.iter().map(|id| id.to_string()));
            self.count_pruned(owner, n as u64);
            self.event_counts.insert(owner.clone(), max);
            self.changes.push(Change::EventsPruned {
                owner: owner.clone(),
                ids,
            });
        }
        if doomed.is_empty() {
            return;
        }
        self.events.retain(|e| !doomed.contains(&e.event.id));
        self.rebuild_event_index();
    }

    /// Adds `n` to the owner's pruned count (on its record, so it is in the delta).
    fn count_pruned(&mut self, owner: &EventOwner, n: u64) {
        match owner {
            EventOwner::Rollout(id) => {
                if let Some(&ri) = self.rollout_index.get(id) {
                    self.rollouts[ri].events_pruned += n;
                }
                self.mark(id);
            }
            EventOwner::Cluster(id) => {
                if let Some(c) = self.clusters.iter_mut().find(|c| c.id == *id) {
                    c.events_pruned += n;
                    self.touched.clusters.insert(id.clone());
                }
            }
        }
    }

    /// Removes the rollout's oldest actions past `max_actions` (actions are few: exact).
    pub(crate) fn prune_actions(&mut self, rollout_id: &str) {
        let max = self.retention.max_actions;
        let held = self
            .actions
            .iter()
            .filter(|a| a.rollout_id == rollout_id)
            .count();
        if held <= max {
            return;
        }
        let mut remove = held - max;
        let removed = remove;
        // Actions are stored by position: every position from the first removed one on is
        // rewritten (or, past the new end, deleted) by the next delta.
        let old_len = self.actions.len();
        let first = self
            .actions
            .iter()
            .position(|a| a.rollout_id == rollout_id)
            .unwrap_or(0);
        self.touched
            .actions
            .extend((first..old_len).map(crate::action_key));
        self.actions.retain(|a| {
            if remove > 0 && a.rollout_id == rollout_id {
                remove -= 1;
                false
            } else {
                true
            }
        });
        if let Some(&ri) = self.rollout_index.get(rollout_id) {
            self.rollouts[ri].actions_pruned += removed as u64;
        }
        self.changes.push(Change::ActionsPruned {
            rollout_id: rollout_id.to_string(),
            removed,
        });
        self.mark(rollout_id);
    }

    /// Rebuilds the derived per-owner event counts and the event index from the event list.
    pub(crate) fn rebuild_event_index(&mut self) {
        self.event_index = self
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (crate::event_key(&e.event), i))
            .collect();
        self.event_counts.clear();
        for e in &self.events {
            *self
                .event_counts
                .entry(EventOwner::of(&e.event))
                .or_insert(0) += 1;
        }
    }
}
