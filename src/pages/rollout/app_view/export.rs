//! Export and Copy, at the right end of each tab's toolbar: the Export menu's items, saving
//! the chosen file, and the component holding both buttons.

use crate::components::copy_button::CopyButton;
use crate::components::icon::IconKind;
use crate::components::menu::{Menu, MenuButton, MenuItem};
use crate::dom::download::download_text;
use crate::model::export::ExportFile;
use leptos::prelude::*;

/// Saves `text` as `file` of `rollout_id`.
pub fn save(file: ExportFile, rollout_id: &str, text: &str) {
    download_text(&file.file_name(rollout_id), file.mime(), text);
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
    /// The rollout shown (for the file names).
    rollout_id: Signal<String>,
    /// Saves the chosen file.
    on_export: Callback<ExportFile>,
    /// Produces the text to copy and the confirmation to show.
    on_copy: Callback<(), (String, String)>,
    /// Greys both out (nothing to export yet).
    disabled: Signal<bool>,
) -> impl IntoView {
    let items = Signal::derive(move || {
        let id = rollout_id.get();
        files
            .get()
            .into_iter()
            .map(|f| MenuItem::new(f, f.label()).note(f.file_name(&id)))
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
