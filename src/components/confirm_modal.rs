use crate::dom::focus::{elements, focusables, modal_focus};
use leptos::{html, prelude::*};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A modal confirmation (`role="dialog"`, `aria-modal`, labelled by its title): says what will
/// happen, then Confirm or Cancel. Esc cancels; focus stays inside while open and goes back to
/// where it was when it closes. A server error is shown inside, never swallowed.
#[component]
pub fn ConfirmModal(
    /// Whether the dialog is shown.
    #[prop(into)]
    open: Signal<bool>,
    /// The question, e.g. "Roll back the rollout?" (the dialog's name).
    #[prop(into)]
    title: Signal<String>,
    /// What will happen.
    #[prop(into)]
    text: Signal<String>,
    /// The confirmed operation is running: Confirm is busy and disabled.
    #[prop(into)]
    busy: Signal<bool>,
    /// The error of the last attempt, if it failed.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Confirm pressed.
    on_confirm: Callback<()>,
    /// Cancel pressed, Esc, or a click on the backdrop.
    on_cancel: Callback<()>,
    /// Marks the confirmation as destructive (red Confirm button).
    #[prop(optional, into)]
    danger: Signal<bool>,
    /// Why Confirm cannot be pressed yet (e.g. a required reason is missing), said under it.
    #[prop(optional, into)]
    blocked: Signal<Option<String>>,
    /// A wider dialog (for a diff).
    #[prop(optional, into)]
    wide: Signal<bool>,
    /// What the dialog asks or shows between the text and the buttons (a reason field, a
    /// preview of the change).
    #[prop(optional)]
    children: Option<ChildrenFn>,
) -> impl IntoView {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let title_id = format!("confirm-{n}-title");
    let text_id = format!("confirm-{n}-text");
    let hint_id = format!("confirm-{n}-hint");
    let hint_ref = hint_id.clone();
    let dialog = NodeRef::<html::Div>::new();
    // Focus moves to what the content marks `data-autofocus` (a field to fill), else the first
    // focusable element.
    let first_button = move || {
        let d = dialog.get_untracked()?;
        elements(&d, "[data-autofocus]")
            .into_iter()
            .next()
            .or_else(|| focusables(&d).into_iter().next())
    };
    let on_key = modal_focus(open, dialog, first_button, on_cancel);

    view! {
        <Show when=move || open.get()>
            <div class="modal__backdrop" on:click=move |_| on_cancel.run(())></div>
            <div
                class="modal"
                class=("modal--wide", move || wide.get())
                role="dialog"
                aria-modal="true"
                aria-labelledby=title_id.clone()
                aria-describedby=text_id.clone()
                node_ref=dialog
                on:keydown=on_key
            >
                <h2 class="modal__title" id=title_id.clone()>
                    {move || title.get()}
                </h2>
                <p class="modal__text" id=text_id.clone()>
                    {move || text.get()}
                </p>
                {children.clone().map(|c| c())}
                {move || {
                    error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="modal__error" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
                <div class="modal__buttons">
                    <button type="button" class="btn" on:click=move |_| on_cancel.run(())>
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="btn btn--primary"
                        class=("btn--danger", move || danger.get())
                        aria-busy=move || if busy.get() { "true" } else { "false" }
                        aria-describedby={
                            let hint = hint_ref.clone();
                            move || blocked.with(Option::is_some).then(|| hint.clone())
                        }
                        disabled=move || busy.get() || blocked.with(Option::is_some)
                        on:click=move |_| on_confirm.run(())
                    >
                        {move || if busy.get() { "Working…" } else { "Confirm" }}
                    </button>
                </div>
                <p
                    class="modal__hint"
                    id=hint_id.clone()
                    hidden=move || blocked.with(Option::is_none)
                >
                    {move || blocked.get()}
                </p>
            </div>
        </Show>
    }
}
