//! Closing a popup when the pointer goes down outside it.

use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;

/// Calls `on_outside` whenever a pointer goes down outside `root`, for as long as the calling
/// component lives.
pub fn on_click_outside(root: NodeRef<html::Div>, on_outside: impl Fn() + 'static) {
    let handle = window_event_listener(ev::pointerdown, move |e| {
        let inside = root.get_untracked().is_some_and(|r| {
            e.target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|t| r.contains(Some(&t)))
        });
        if !inside {
            on_outside();
        }
    });
    on_cleanup(move || handle.remove());
}
