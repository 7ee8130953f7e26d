//! The actions' state: which action waits for confirmation, which one runs, and what the
//! server said.

use crate::api::client::{self, ApiError};
use crate::components::menu::MenuItem;
use crate::model::rollout_view::{action_text, confirm_text, menu_actions};
use leptos::prelude::*;
use rollout_api::{ActionKind, RolloutDetail};

/// Actions on one rollout, each confirmed first. `Copy`.
#[derive(Clone, Copy)]
pub struct Actions {
    detail: Signal<RolloutDetail>,
    /// The action waiting for confirmation (the dialog is open).
    pub pending: RwSignal<Option<ActionKind>>,
    /// Why the last attempt failed (shown in the dialog).
    pub error: RwSignal<Option<String>>,
    /// The reason typed in the dialog (sent trimmed; empty is none).
    pub reason: RwSignal<String>,
    /// The action sent to the server and not answered yet.
    running: RwSignal<Option<ActionKind>>,
    act: Action<(String, ActionKind, Option<String>), Result<RolloutDetail, ApiError>>,
    /// True while the server has not answered.
    pub busy: Memo<bool>,
}

impl Actions {
    /// `on_done` gets the rollout as the server answered a successful action.
    pub fn new(detail: Signal<RolloutDetail>, on_done: Callback<RolloutDetail>) -> Actions {
        let act = Action::new_local(
            move |(id, kind, reason): &(String, ActionKind, Option<String>)| {
                let (id, kind, reason) = (id.clone(), *kind, reason.clone());
                async move { client::act(&id, kind, reason).await }
            },
        );
        let actions = Actions {
            detail,
            pending: RwSignal::new(None),
            error: RwSignal::new(None),
            reason: RwSignal::new(String::new()),
            running: RwSignal::new(None),
            act,
            busy: act.pending(),
        };
        Effect::new(move |_| {
            let Some(result) = act.value().get() else {
                return;
            };
            actions.running.set(None);
            match result {
                Ok(d) => {
                    actions.error.set(None);
                    actions.pending.set(None);
                    on_done.run(d);
                }
                Err(e) => actions.error.set(Some(describe(&e))),
            }
        });
        actions
    }

    /// The menu's items: each action, enabled as the engine allows, "Working…" while it runs.
    /// A memo: live updates that leave the entries as they were must not re-render an open
    /// menu (that would drop the focus from the item the user is on).
    pub fn items(self) -> Memo<Vec<MenuItem<ActionKind>>> {
        Memo::new(move |_| {
            let working = self.running.get();
            self.detail.with(|d| {
                menu_actions(d)
                    .into_iter()
                    .map(|a| MenuItem {
                        value: a.kind,
                        label: a.label.to_string(),
                        note: a.reason,
                        enabled: a.enabled,
                        busy: working == Some(a.kind),
                    })
                    .collect()
            })
        })
    }

    /// Asks to confirm `kind`.
    pub fn choose(self, kind: ActionKind) {
        self.error.set(None);
        self.reason.set(String::new());
        self.pending.set(Some(kind));
    }

    /// The confirmation dialog's title and text for the pending action.
    pub fn confirmation(self) -> (Signal<String>, Signal<String>) {
        let title = Signal::derive(move || {
            self.pending
                .get()
                .map(|k| action_text(k).confirm_title.to_string())
                .unwrap_or_default()
        });
        let text = Signal::derive(move || {
            self.pending
                .get()
                .map(|k| self.detail.with(|d| confirm_text(k, d)))
                .unwrap_or_default()
        });
        (title, text)
    }

    /// Sends the pending action.
    pub fn confirm(self) {
        if let Some(kind) = self.pending.get_untracked() {
            let reason = self.reason.with_untracked(|r| {
                let r = r.trim();
                (!r.is_empty()).then(|| r.to_string())
            });
            self.running.set(Some(kind));
            let id = self.detail.with_untracked(|d| d.id.clone());
            self.act.dispatch_local((id, kind, reason));
        }
    }

    /// Why Confirm waits: the server wants a reason and none was typed.
    pub fn blocked(self, required: Signal<bool>) -> Signal<Option<String>> {
        Signal::derive(move || {
            (required.get() && self.reason.with(|r| r.trim().is_empty()))
                .then(|| "This server asks for a reason with every action.".to_string())
        })
    }

    /// Closes the dialog, unless the action is under way.
    pub fn cancel(self) {
        if !self.busy.get_untracked() {
            self.pending.set(None);
            self.error.set(None);
        }
    }
}

fn describe(e: &ApiError) -> String {
    match e {
        // 409: the rollout's state; 403: a refusal (the cluster's RBAC, a read-only server),
        // with the message as the refusing side wrote it.
        ApiError::Http {
            status: 409 | 403,
            message,
        } => format!("The server refused: {message}"),
        other => format!("The action failed: {other}"),
    }
}
