//! Export and Copy, at the right end of a toolbar (the rollout's tabs, a cluster's events): the
//! Export menu's items, saving the chosen file, and the component holding both buttons.

use crate::components::copy_button::CopyButton;
use crate::components::icon::IconKind;
use crate::components::menu::{Menu, MenuButton, MenuItem};
use crate::dom::download::download_text;
use crate::model::export::ExportFile;
use leptos::prelude::*;

/// Saves `text` as `file`, its name starting with `file_stem` (a rollout's id).
pub fn save(file: ExportFile, file_stem: &str, text: &str) {
    download_text(&file.file_name(file_stem), file.mime(), text);
}

/// An Export menu of `files` (each item says the file it saves) and a Copy button.
#[component]
pub fn ExportTools(
    /// The Export button's name, e.g. "Export" or "Export (filtered: 12 of 340)".
    #[prop(into)]
    label: Signal<String>,
    /// The files offered.
    #[prop(into)]
    files: Signal<Vec<ExportFile>>,
    /// What the file names start with (the rollout shown, or whose events).
    file_stem: Signal<String>,
    /// Saves the chosen file.
    on_export: Callback<ExportFile>,
    /// Produces the text to copy and the confirmation to show.
    on_copy: Callback<(), (String, String)>,
    /// Greys both out (nothing to export yet).
    disabled: Signal<bool>,
) -> impl IntoView {
    let items = Signal::derive(move || {
        let stem = file_stem.get();
        files
            .get()
            .into_iter()
            .map(|f| MenuItem::new(f, f.label()).note(f.file_name(&stem)))
            .collect::<Vec<_>>()
    });
    view! {
        <span class="app-view__actions">
            <Menu
                label=label
                items=items
                on_select=on_export
                disabled=disabled
                button=MenuButton::Text(IconKind::Download)
                menu_label="Export formats"
            />
            <CopyButton content=on_copy label="Copy" disabled=disabled />
        </span>
    }
}
