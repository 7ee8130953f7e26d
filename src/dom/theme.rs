//! The theme on the page: `<html data-theme>` and `localStorage["theme"]`, as the inline
//! script of index.html set them before the first paint.

use crate::model::theme::ThemeChoice;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored choice (System when nothing, or storage is unavailable).
pub fn stored_theme() -> ThemeChoice {
    let stored = storage().and_then(|s| s.get_item("theme").ok().flatten());
    ThemeChoice::parse(stored.as_deref())
}

/// Keeps `choice` and draws the page in it now.
pub fn set_theme(choice: ThemeChoice) {
    if let Some(s) = storage() {
        let _ = match choice {
            ThemeChoice::System => s.remove_item("theme"),
            other => s.set_item("theme", other.key()),
        };
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let system_light = window
        .match_media("(prefers-color-scheme: light)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", choice.resolve(system_light));
    }
}
