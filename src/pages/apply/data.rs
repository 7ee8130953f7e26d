//! The Apply page's data: the YAML being edited, its dry run (run again once typing settles),
//! and the real apply with its answer.

use crate::api::client::{self, ApiError};
use crate::dom::debounce::Debounce;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rollout_api::{ApplyPlan, ApplyResponse};
use std::time::Duration;

/// How long typing must pause before the dry run runs.
const SETTLE: Duration = Duration::from_millis(500);

#[derive(Clone, Copy)]
pub struct ApplyData {
    pub text: RwSignal<String>,
    /// The last dry run's answer, for the text it was run on.
    pub plan: RwSignal<Option<Result<ApplyPlan, ApiError>>>,
    /// The text the plan is for (the plan is stale while it differs from `text`).
    planned_text: RwSignal<String>,
    pub checking: RwSignal<bool>,
    pub applied: RwSignal<Option<Result<ApplyResponse, ApiError>>>,
    pub applying: RwSignal<bool>,
    debounce: Debounce,
    generation: StoredValue<u64>,
}

impl ApplyData {
    pub fn new() -> ApplyData {
        ApplyData {
            text: RwSignal::new(String::new()),
            plan: RwSignal::new(None),
            planned_text: RwSignal::new(String::new()),
            checking: RwSignal::new(false),
            applied: RwSignal::new(None),
            applying: RwSignal::new(false),
            debounce: Debounce::new(SETTLE),
            generation: StoredValue::new(0),
        }
    }

    /// New text (typed, pasted or dropped): the dry run follows once it settles.
    pub fn edit(self, text: String) {
        self.text.set(text);
        self.applied.set(None);
        self.debounce.call(move || self.dry_run());
    }

    /// Runs the dry run on the text now.
    pub fn dry_run(self) {
        self.debounce.cancel();
        let text = self.text.get_untracked();
        if text.trim().is_empty() {
            self.plan.set(None);
            return;
        }
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.checking.set(true);
        spawn_local(async move {
            let result = client::apply_dry_run(&text).await;
            if self.generation.try_get_value() == Some(generation) {
                self.checking.set(false);
                self.planned_text.set(text);
                self.plan.set(Some(result));
            }
        });
    }

    /// True when the dry run is for the text shown and says every document is valid.
    pub fn can_apply(self) -> bool {
        let current = self.planned_text.with(|p| self.text.with(|t| p == t));
        current
            && !self.checking.get()
            && self
                .plan
                .with(|p| matches!(p, Some(Ok(plan)) if plan.valid()))
    }

    /// Applies the text; then runs the dry run again (it now says what is left to do).
    pub fn apply(self) {
        let text = self.text.get_untracked();
        self.applying.set(true);
        spawn_local(async move {
            let result = client::apply(&text).await;
            self.applying.set(false);
            self.applied.set(Some(result));
            self.dry_run();
        });
    }
}
