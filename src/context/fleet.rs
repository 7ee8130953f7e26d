//! The fleet, app-wide: every workload, every cluster, and the details of the rollouts the
//! attention inbox reads (those in flight, and the rolled-back ones of Degraded workloads).
//! Loaded once, then kept live from the stream; the Workloads, Clusters and Attention pages, the
//! Detailed Workload page and the navigation's count all read this one copy.

use crate::api::brief::RolloutBrief;
use crate::api::client::{self, ApiError};
use crate::api::follow::Follow;
use crate::api::stream::{LiveMessage, LiveStream};
use crate::model::attention::{attention_items, wanted_details, AttentionItem};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rollout_api::{Cluster, StreamMessage, Workload};
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

/// Where loading stands.
#[derive(Debug, Clone, PartialEq)]
pub enum FleetLoad {
    Loading,
    Ready,
    Failed(ApiError),
}

/// How long rollout changes are gathered before their details are read again.
const DETAIL_DEBOUNCE: Duration = Duration::from_millis(250);

#[derive(Clone, Copy)]
pub struct Fleet {
    pub workloads: RwSignal<Vec<Workload>>,
    pub clusters: RwSignal<Vec<Cluster>>,
    /// Details of the rollouts in [`wanted_details`], by id.
    pub details: RwSignal<HashMap<String, RolloutBrief>>,
    pub load: RwSignal<FleetLoad>,
    /// Rollouts whose details could not be read (the inbox may miss what they would say).
    pub unread: RwSignal<BTreeSet<String>>,
    /// Everything waiting for a person, longest waiting first.
    pub attention: Memo<Vec<AttentionItem>>,
    generation: StoredValue<u64>,
    dirty: StoredValue<BTreeSet<String>>,
    flush_scheduled: StoredValue<bool>,
    follow: Follow,
}

impl Fleet {
    /// Loads the fleet and follows the stream.
    pub fn start(live: LiveStream) -> Fleet {
        let workloads = RwSignal::new(Vec::new());
        let clusters = RwSignal::new(Vec::new());
        let details = RwSignal::new(HashMap::new());
        let attention = Memo::new(move |_| {
            workloads.with(|w| clusters.with(|c| details.with(|d| attention_items(w, c, d))))
        });
        let fleet = Fleet {
            workloads,
            clusters,
            details,
            load: RwSignal::new(FleetLoad::Loading),
            unread: RwSignal::new(BTreeSet::new()),
            attention,
            generation: StoredValue::new(0),
            dirty: StoredValue::new(BTreeSet::new()),
            flush_scheduled: StoredValue::new(false),
            follow: Follow::new(live),
        };
        fleet.follow.start(
            move |messages| fleet.apply(messages),
            move || fleet.reload(),
        );
        fleet.reload();
        fleet
    }

    /// Re-reads everything (first load, resync, reconnect, lost messages, retry).
    pub fn reload(self) {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let mark = self.follow.mark();
        spawn_local(async move {
            let result = async {
                Ok::<_, ApiError>((client::workloads().await?, client::clusters().await?))
            }
            .await;
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            match result {
                Ok((w, c)) => {
                    self.workloads.set(w);
                    self.clusters.set(c);
                    self.load.set(FleetLoad::Ready);
                    let wanted = self.workloads.with_untracked(|w| wanted_details(w));
                    self.details
                        .update(|d| d.retain(|id, _| wanted.contains(id)));
                    self.mark_dirty(wanted);
                    // What the stream said while the lists were read applies on top.
                    self.follow.resume(mark);
                }
                Err(e) => self.load.set(FleetLoad::Failed(e)),
            }
        });
    }

    /// Applies the stream's news: upserts workloads and clusters, re-reads the details of
    /// rollouts that changed. Left alone while a load is under way (it resumes from its mark).
    fn apply(self, messages: Vec<LiveMessage>) {
        if self.load.get_untracked() != FleetLoad::Ready {
            return;
        }
        let mut changed_rollouts = Vec::new();
        for m in messages {
            match m {
                StreamMessage::Workload { workload } => self.workloads.update(|all| {
                    let same = |w: &Workload| {
                        w.cluster_id == workload.cluster_id
                            && w.namespace == workload.namespace
                            && w.name == workload.name
                    };
                    match all.iter_mut().find(|w| same(w)) {
                        Some(w) => *w = workload,
                        None => all.push(workload),
                    }
                }),
                StreamMessage::Cluster { cluster } => {
                    self.clusters
                        .update(|all| match all.iter_mut().find(|c| c.id == cluster.id) {
                            Some(c) => *c = cluster,
                            None => all.push(cluster),
                        })
                }
                StreamMessage::Rollout { rollout } => changed_rollouts.push(rollout.id),
                StreamMessage::Event { .. } | StreamMessage::Resync => {}
            }
        }
        let wanted = self.workloads.with_untracked(|w| wanted_details(w));
        self.details.maybe_update(|d| {
            let before = d.len();
            d.retain(|id, _| wanted.contains(id));
            d.len() != before
        });
        let missing: Vec<String> = self.details.with_untracked(|d| {
            wanted
                .iter()
                .filter(|id| !d.contains_key(*id) || changed_rollouts.contains(id))
                .cloned()
                .collect()
        });
        self.mark_dirty(missing);
    }

    /// Reads these rollouts' details soon (several changes in a burst make one read each).
    fn mark_dirty(self, ids: Vec<String>) {
        if ids.is_empty() {
            return;
        }
        self.dirty.update_value(|d| d.extend(ids));
        if self.flush_scheduled.get_value() {
            return;
        }
        self.flush_scheduled.set_value(true);
        set_timeout(move || self.flush(), DETAIL_DEBOUNCE);
    }

    fn flush(self) {
        let Some(ids) = self.dirty.try_update_value(std::mem::take) else {
            return;
        };
        self.flush_scheduled.set_value(false);
        spawn_local(async move {
            for id in ids {
                // A detail that cannot be read now is read again on its next change or the
                // next re-list; meanwhile the inbox says it may miss something.
                let result = client::rollout_brief(&id).await;
                self.unread.maybe_update(|u| match &result {
                    Ok(_) => u.remove(&id),
                    Err(_) => u.insert(id.clone()),
                });
                if let Ok(d) = result {
                    let still_wanted = self
                        .workloads
                        .with_untracked(|w| wanted_details(w).contains(&id));
                    if still_wanted {
                        self.details.update(|all| {
                            all.insert(id, d);
                        });
                    }
                }
            }
        });
    }

    /// The workload at this address, if the fleet has it.
    pub fn workload(&self, cluster_id: &str, namespace: &str, name: &str) -> Option<Workload> {
        self.workloads.with(|all| {
            all.iter()
                .find(|w| w.cluster_id == cluster_id && w.namespace == namespace && w.name == name)
                .cloned()
        })
    }
}

pub fn provide_fleet(live: LiveStream) -> Fleet {
    let fleet = Fleet::start(live);
    provide_context(fleet);
    fleet
}

pub fn expect_fleet() -> Fleet {
    expect_context::<Fleet>()
}
