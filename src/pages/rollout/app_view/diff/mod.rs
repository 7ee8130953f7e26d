//! The CRD diff tab: the SpotDeployment of this rollout against the previous desired state.

mod data;

use crate::components::diff_view::DiffTable;
use crate::components::export_tools::ExportTools;
use data::DiffData;
use leptos::prelude::*;

/// Unified or side-by-side diff with word marks, folded unchanged stretches, both line
/// numbers; exports the `.diff` and both YAML versions.
#[component]
pub fn DiffTab(
    /// The rollout whose SpotDeployment change is shown.
    #[prop(into)]
    rollout_id: Signal<String>,
) -> impl IntoView {
    let data = DiffData::new(rollout_id);
    let split = data.split;
    let nothing = Signal::derive(move || data.manifests().is_none());
    let body = move || {
        let (class, text) = match data.fetched.get() {
            None => ("muted", "Loading manifests…"),
            Some(Err(e)) => {
                let text = format!("The manifests could not be read: {e}");
                return view! {
                    <p role="alert" class="error">
                        {text}
                    </p>
                }
                .into_any();
            }
            Some(Ok(m)) if m.old_manifest.is_empty() => (
                "app-view__empty",
                "No previous desired state: this is the first version of this SpotDeployment, \
                 so there is nothing to compare with.",
            ),
            Some(Ok(_)) => match data.computed.get() {
                None => ("muted", "Computing the diff…"),
                Some(d) if d.is_unchanged() => (
                    "app-view__empty",
                    "No change: the SpotDeployment is the same as the previous desired state.",
                ),
                Some(d) => {
                    return view! {
                        <DiffTable
                            diff=d
                            split=split.get()
                            expanded=data.expanded
                            budget=data.budget
                            label="SpotDeployment changes"
                            sides=["Previous line", "Previous", "New line", "This rollout"]
                        />
                    }
                    .into_any()
                }
            },
        };
        view! { <p class=class>{text}</p> }.into_any()
    };
    let pressed = move |side_by_side: bool| move || (split.get() == side_by_side).to_string();
    view! {
        <div class="app-view__toolbar">
            <span class="app-view__count muted">{move || data.summary()}</span>
            <div
                class="diff-toggle"
                role="group"
                aria-label="Diff layout"
                hidden=move || !data.has_old()
            >
                <button
                    type="button"
                    class="btn"
                    aria-pressed=pressed(false)
                    on:click=move |_| split.set(false)
                >
                    "Unified"
                </button>
                <button
                    type="button"
                    class="btn"
                    aria-pressed=pressed(true)
                    on:click=move |_| split.set(true)
                >
                    "Side by side"
                </button>
            </div>
            <ExportTools
                label="Export"
                files=Signal::derive(move || data.files().to_vec())
                file_stem=rollout_id
                on_export=Callback::new(move |f| data.export(f))
                on_copy=Callback::new(move |()| data.copy())
                disabled=nothing
            />
        </div>
        {body}
    }
}
