//! Page-wide keyboard shortcuts.

use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;

/// "/" focuses (and selects) `input` from anywhere on the page, unless the user is typing in
/// a field; for as long as the calling component lives.
pub fn focus_on_slash(input: NodeRef<html::Input>) {
    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if let (false, Some(input)) = (typing, input.get_untracked()) {
            ev.prevent_default();
            let _ = input.focus();
            input.select();
        }
    });
    on_cleanup(move || handle.remove());
}
