//! The Export menus of the application view's tabs: their items, and saving the chosen file.

use crate::components::menu::MenuItem;
use crate::dom::download::download_text;
use crate::model::export::ExportFile;

/// Menu items for `files`, each saying the file it saves.
pub fn export_items(files: &[ExportFile], rollout_id: &str) -> Vec<MenuItem<ExportFile>> {
    files
        .iter()
        .map(|f| MenuItem::new(*f, f.label()).note(f.file_name(rollout_id)))
        .collect()
}

/// Saves `text` as `file` of `rollout_id`.
pub fn save(file: ExportFile, rollout_id: &str, text: &str) {
    download_text(&file.file_name(rollout_id), file.mime(), text);
}
