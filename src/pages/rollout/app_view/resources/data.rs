//! The Resources tab's data: the rollout's pods, replica sets and services, read again (at
//! most every 2 s) when the stream says the rollout or its pods changed.

use crate::api::client::{self, ApiError};
use crate::api::follow::follow;
use crate::components::export_tools::save;
use crate::context::live::expect_live;
use crate::model::export::{self, count_noun, ExportFile};
use crate::model::resources::throttle_delay;
use leptos::prelude::*;
use rollout_api::{Resources, StreamMessage};
use std::time::Duration;

const THROTTLE_MS: f64 = 2_000.0;

/// `/resources` of one rollout. `Copy`.
#[derive(Clone, Copy)]
pub struct ResourcesData {
    pub rollout_id: Signal<String>,
    pub fetched: LocalResource<Result<Resources, ApiError>>,
    /// The last good answer (kept on screen while a refetch runs).
    pub current: RwSignal<Option<Resources>>,
    /// How many pods there are.
    pub pods: Memo<usize>,
}

impl ResourcesData {
    pub fn new(rollout_id: Signal<String>) -> ResourcesData {
        let fetched = LocalResource::new(move || {
            let id = rollout_id.get();
            async move { client::resources(&id).await }
        });
        let current = RwSignal::new(None::<Resources>);
        Effect::new(move |_| {
            if let Some(Ok(res)) = fetched.get() {
                current.set(Some(res));
            }
        });
        let refetch = throttled(move || fetched.refetch());
        follow(
            expect_live(),
            move |messages| {
                let id = rollout_id.get_untracked();
                // Pods change with the rollout's status and with its Kubernetes events (a pod
                // starting, becoming ready, crashing), whichever comes first.
                if messages.iter().any(|m| match m {
                    StreamMessage::Rollout { rollout } => rollout.id == id,
                    StreamMessage::Event { event } => event
                        .decode()
                        .is_some_and(|e| e.rollout_id.as_deref() == Some(id.as_str())),
                    _ => false,
                }) {
                    refetch();
                }
            },
            refetch,
        );
        ResourcesData {
            rollout_id,
            fetched,
            current,
            pods: Memo::new(move |_| current.with(|c| c.as_ref().map_or(0, |r| r.pods.len()))),
        }
    }

    /// Saves the resources as CSV (a row per pod) or JSON (everything).
    pub fn export(self, file: ExportFile) {
        let text = self.current.with_untracked(|c| {
            c.as_ref().map(|res| match file {
                ExportFile::ResourcesJson => export::resources_json(res),
                _ => export::resources_csv(res),
            })
        });
        if let Some(text) = text {
            save(file, &self.rollout_id.get_untracked(), &text);
        }
    }

    /// The pods as CSV, and the confirmation to show.
    pub fn copy(self) -> (String, String) {
        let text = self
            .current
            .with_untracked(|c| c.as_ref().map(export::resources_csv).unwrap_or_default());
        let what = count_noun(self.pods.get_untracked(), "pod", "pods");
        (text, format!("Copied {what} as CSV"))
    }
}

/// `run`, called at most once every 2 s however often the result is called (the last call in
/// a burst is not lost: it runs when the interval is over).
fn throttled(run: impl Fn() + Copy + Send + Sync + 'static) -> impl Fn() + Copy + Send + Sync {
    let last = StoredValue::new(js_sys::Date::now());
    let scheduled = StoredValue::new(false);
    move || {
        if scheduled.get_value() {
            return;
        }
        let delay = throttle_delay(last.get_value(), js_sys::Date::now(), THROTTLE_MS);
        scheduled.set_value(true);
        set_timeout(
            move || {
                scheduled.set_value(false);
                last.set_value(js_sys::Date::now());
                run();
            },
            Duration::from_millis(delay as u64),
        );
    }
}
