use crate::components::icon::{Icon, IconKind};
use crate::dom::focus::modal_focus;
use leptos::{html, prelude::*};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A panel sliding in from the right (`role="dialog"`, `aria-modal`, named by its title).
/// Esc, the close button or a click on the backdrop close it; focus moves in on open, stays
/// inside, and goes back where it was on close.
#[component]
pub fn Drawer(
    /// Whether the drawer is shown.
    #[prop(into)]
    open: Signal<bool>,
    /// Heading and accessible name, e.g. "Rollout details".
    #[prop(into)]
    title: String,
    /// Called to close it (Esc, close button, backdrop).
    on_close: Callback<()>,
    /// The content, rendered only while open.
    children: ChildrenFn,
) -> impl IntoView {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let title_id = format!("drawer-{n}-title");
    let panel = NodeRef::<html::Div>::new();
    let close_btn = NodeRef::<html::Button>::new();
    let close_button = move || close_btn.get_untracked().map(|b| (*b).clone());
    let on_key = modal_focus(open, panel, close_button, on_close);
    let children = StoredValue::new(children);

    view! {
        <Show when=move || open.get()>
            <div class="drawer__backdrop" on:click=move |_| on_close.run(())></div>
            <div
                class="drawer"
                role="dialog"
                aria-modal="true"
                aria-labelledby=title_id.clone()
                node_ref=panel
                on:keydown=on_key
            >
                <header class="drawer__header">
                    <h2 class="drawer__title" id=title_id.clone()>
                        {title.clone()}
                    </h2>
                    <button
                        type="button"
                        class="btn btn--ghost btn--icon"
                        aria-label="Close"
                        title="Close (Esc)"
                        node_ref=close_btn
                        on:click=move |_| on_close.run(())
                    >
                        <Icon kind=IconKind::Close />
                    </button>
                </header>
                <div class="drawer__body">{move || children.with_value(|c| c())}</div>
            </div>
        </Show>
    }
}
