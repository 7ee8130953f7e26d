//! Page-wide keyboard shortcuts.

use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

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

/// Arrow keys between the rows of a plain (not windowed) table: each row's first link carries
/// `data-pos`; ↑ ↓ Home End move the focus between those links, and Enter then opens one.
/// The `keydown` handler of such a `<tbody>`.
pub fn on_row_key(ev: KeyboardEvent) {
    let Some(link) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let Some(pos) = link
        .get_attribute("data-pos")
        .and_then(|p| p.parse::<usize>().ok())
    else {
        return;
    };
    let Some(body) = link.closest("tbody").ok().flatten() else {
        return;
    };
    let count = body
        .query_selector_all("a[data-pos]")
        .map(|l| l.length() as usize)
        .unwrap_or(0);
    let last = count.saturating_sub(1);
    let next = match ev.key().as_str() {
        "ArrowDown" => (pos + 1).min(last),
        "ArrowUp" => pos.saturating_sub(1),
        "Home" => 0,
        "End" => last,
        _ => return,
    };
    ev.prevent_default();
    let target = body
        .query_selector(&format!("a[data-pos=\"{next}\"]"))
        .ok()
        .flatten()
        .and_then(|a| a.dyn_into::<HtmlElement>().ok());
    if let Some(a) = target {
        let _ = a.focus();
    }
}
