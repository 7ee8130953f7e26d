use crate::components::icon::{Icon, IconKind};
use leptos::prelude::*;

/// The arrow button that hides or shows a panel: `aria-expanded` says which, `aria-controls`
/// names the panel.
#[component]
pub fn CollapseToggle(
    /// Whether the panel is shown now.
    #[prop(into)]
    expanded: Signal<bool>,
    /// The id of the panel it hides and shows.
    #[prop(into)]
    controls: String,
    /// Accessible name, e.g. "Rollout phases" (the state is in `aria-expanded`).
    #[prop(into)]
    label: String,
    /// Called when pressed.
    on_toggle: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="btn btn--ghost btn--icon collapse-toggle"
            class=("collapse-toggle--collapsed", move || !expanded.get())
            aria-expanded=move || if expanded.get() { "true" } else { "false" }
            aria-controls=controls
            aria-label=label
            title=move || {
                if expanded.get() { "Hide the phases panel" } else { "Show the phases panel" }
            }
            on:click=move |_| on_toggle.run(())
        >
            <Icon kind=IconKind::ChevronDown class="collapse-toggle__arrow" />
        </button>
    }
}
