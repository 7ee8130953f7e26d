//! The three-dot actions menu of the rollout page, with its confirmation dialog.

mod data;
mod preview;
mod reason;

use crate::components::confirm_modal::ConfirmModal;
use crate::components::menu::Menu;
use crate::context::palette::{expect_palette, PageActions};
use crate::context::server_info::expect_server_info;
use data::Actions;
use leptos::prelude::*;
use preview::ActionPreviewPanel;
use reason::ReasonField;
use rollout_api::{ActionKind, RolloutDetail};

/// The actions whose dialog shows what will be live afterwards.
const PREVIEWED: [ActionKind; 3] = [
    ActionKind::Rollback,
    ActionKind::Retry,
    ActionKind::PromoteFull,
];

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
    let actions = Actions::new(detail, on_done);
    let items = actions.items();
    let (title, text) = actions.confirmation();
    let pending = actions.pending;
    let required = Signal::derive(move || info.require_reason());
    let kind = Signal::derive(move || pending.get());
    // Offered once the server said it takes actions (a read-only server refuses them all; if
    // /health failed, offer them and let the server answer). A memo: the menu is built once,
    // not again when /health answers, which would close a menu the user just opened.
    let offered = Memo::new(move |_| info.health.with(|h| h.is_some()) && !info.read_only());
    // The command palette offers the same actions, through the same dialog.
    let choose = Callback::new(move |k| actions.choose(k));
    expect_palette().register(PageActions {
        name: Signal::derive(move || detail.with(|d| d.spot_deployment.name.clone())),
        items: Memo::new(move |_| {
            if offered.get() {
                items.get()
            } else {
                Vec::new()
            }
        }),
        choose,
    });
    move || {
        offered.get().then(|| {
            view! {
                <Menu label="Actions" items=items on_select=choose />
                <ConfirmModal
                    open=Signal::derive(move || pending.get().is_some())
                    title=title
                    text=text
                    busy=actions.busy
                    error=actions.error
                    on_confirm=Callback::new(move |_| actions.confirm())
                    on_cancel=Callback::new(move |_| actions.cancel())
                    danger=Signal::derive(move || pending.get() == Some(ActionKind::Rollback))
                    blocked=actions.blocked(required)
                    wide=Signal::derive(move || {
                        pending.get().is_some_and(|k| PREVIEWED.contains(&k))
                    })
                >
                    <ActionPreviewPanel detail=detail kind=kind />
                    <ReasonField reason=actions.reason required=required />
                </ConfirmModal>
            }
        })
    }
}
