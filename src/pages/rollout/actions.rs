//! The three-dot actions menu of the rollout page, with its confirmation dialog.

use crate::api::client::{self, ApiError};
use crate::components::confirm_modal::ConfirmModal;
use crate::components::menu::{Menu, MenuItem};
use crate::context::server_info::expect_server_info;
use crate::model::rollout_view::{action_text, confirm_text, menu_actions};
use leptos::prelude::*;
use rollout_api::{ActionKind, RolloutDetail};

/// Promote, Promote all, Pause, Resume, Roll back, Retry: enabled as the engine allows, each
/// confirmed first, then sent to the server. Errors stay on screen; success hands the new
/// state to `on_done`. Not offered at all when the server is read-only.
#[component]
pub fn RolloutActions(
    /// The rollout acted on.
    #[prop(into)]
    detail: Signal<RolloutDetail>,
    /// Called with the rollout as the server answered after a successful action.
    on_done: Callback<RolloutDetail>,
) -> impl IntoView {
    let info = expect_server_info();
    let pending = RwSignal::new(None::<ActionKind>);
    let error = RwSignal::new(None::<String>);
    let act = Action::new_local(move |(id, kind): &(String, ActionKind)| {
        let (id, kind) = (id.clone(), *kind);
        async move { client::act(&id, kind).await }
    });
    let busy = act.pending();
    let running = RwSignal::new(None::<ActionKind>);

    Effect::new(move |_| {
        let Some(result) = act.value().get() else {
            return;
        };
        running.set(None);
        match result {
            Ok(d) => {
                error.set(None);
                pending.set(None);
                on_done.run(d);
            }
            Err(e) => error.set(Some(describe(&e))),
        }
    });

    // A memo: live updates that leave the entries as they were must not re-render an open
    // menu (that would drop the focus from the item the user is on).
    let items = Memo::new(move |_| {
        let working = running.get();
        detail.with(|d| {
            menu_actions(d)
                .into_iter()
                .map(|a| MenuItem {
                    value: a.kind,
                    label: a.label.to_string(),
                    note: a.reason,
                    enabled: a.enabled,
                    busy: working == Some(a.kind),
                })
                .collect::<Vec<_>>()
        })
    });
    let on_select = Callback::new(move |kind: ActionKind| {
        error.set(None);
        pending.set(Some(kind));
    });
    let title = Signal::derive(move || {
        pending
            .get()
            .map(|k| action_text(k).confirm_title.to_string())
            .unwrap_or_default()
    });
    let text = Signal::derive(move || {
        pending
            .get()
            .map(|k| detail.with(|d| confirm_text(k, d)))
            .unwrap_or_default()
    });
    let on_confirm = Callback::new(move |_| {
        if let Some(kind) = pending.get_untracked() {
            running.set(Some(kind));
            act.dispatch_local((detail.with_untracked(|d| d.id.clone()), kind));
        }
    });
    let on_cancel = Callback::new(move |_| {
        if !busy.get_untracked() {
            pending.set(None);
            error.set(None);
        }
    });

    // Offered once the server said it takes actions (a read-only server refuses them all; if
    // /health failed, offer them and let the server answer). A memo: the menu is built once,
    // not again when /health answers, which would close a menu the user just opened.
    let offered = Memo::new(move |_| info.health.with(|h| h.is_some()) && !info.read_only());
    move || {
        offered.get().then(|| {
            view! {
                <Menu label="Actions" items=Signal::from(items) on_select=on_select />
                <ConfirmModal
                    open=Signal::derive(move || pending.get().is_some())
                    title=title
                    text=text
                    busy=busy
                    error=error
                    on_confirm=on_confirm
                    on_cancel=on_cancel
                    danger=Signal::derive(move || pending.get() == Some(ActionKind::Rollback))
                />
            }
        })
    }
}

fn describe(e: &ApiError) -> String {
    match e {
        ApiError::Http {
            status: 409,
            message,
        } => format!("The server refused: {message}"),
        other => format!("The action failed: {other}"),
    }
}
