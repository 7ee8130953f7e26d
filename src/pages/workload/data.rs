//! The Detailed Workload page's data: the workload itself comes live from the fleet context;
//! this module adds the "Degraded removed" notice (a live change seen on this page) and the
//! workload's recent rollouts for the trend, re-read when its revisions change.

use crate::api::client::{self, ApiError};
use crate::context::fleet::Fleet;
use crate::model::degraded::removed_notice;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rollout_api::{RolloutSummary, Workload};

/// How many recent rollouts the trend shows.
pub const TREND_LIMIT: usize = 20;

/// Which workload: cluster, namespace, name.
pub type Address = (String, String, String);

#[derive(Clone, Copy)]
pub struct WorkloadData {
    /// The workload, live; None until the fleet has it (or when it does not exist).
    pub workload: Memo<Option<Workload>>,
    /// Set when Degraded was removed while this page was open.
    pub removed: RwSignal<Option<String>>,
    /// The newest rollouts of the workload, newest first.
    pub trend: RwSignal<Option<Result<Vec<RolloutSummary>, ApiError>>>,
}

impl WorkloadData {
    pub fn new(fleet: Fleet, address: Memo<Address>) -> WorkloadData {
        let workload = Memo::new(move |_| address.with(|(c, ns, n)| fleet.workload(c, ns, n)));
        let data = WorkloadData {
            workload,
            removed: RwSignal::new(None),
            trend: RwSignal::new(None),
        };
        // Compare each version of the workload with the one before it, on this page.
        Effect::new(move |prev: Option<Option<Workload>>| {
            let now = workload.get();
            if let (Some(Some(before)), Some(after)) = (&prev, &now) {
                if before.name == after.name {
                    if let Some(notice) = removed_notice(before, after) {
                        data.removed.set(Some(notice));
                    }
                }
            }
            now
        });
        // The trend follows the revisions and their outcomes.
        let revisions = Memo::new(move |_| {
            workload.with(|w| {
                w.as_ref().map(|w| {
                    w.revisions
                        .iter()
                        .map(|r| (r.revision, r.status))
                        .collect::<Vec<_>>()
                })
            })
        });
        Effect::new(move |_| {
            if revisions.with(Option::is_none) {
                return;
            }
            let (c, ns, n) = address.get_untracked();
            spawn_local(async move {
                let result = client::workload_rollouts(&c, &ns, &n, TREND_LIMIT).await;
                data.trend.try_set(Some(result.map(|l| l.items)));
            });
        });
        data
    }
}
