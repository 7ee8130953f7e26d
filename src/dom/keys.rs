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
        // While the server's first screen stands in for the page, its search box is the one
        // on screen (the app's is still hidden).
        let target = super::shell::first_screen_search().or_else(|| input.get_untracked());
        if let (false, Some(input)) = (typing, target) {
            ev.prevent_default();
            let _ = input.focus();
            input.select();
        }
    });
    on_cleanup(move || handle.remove());
}

/// Ctrl+`key` (⌘+`key` on a Mac) runs `run` from anywhere on the page (the browser's own use
/// of the shortcut is prevented), for as long as the calling component lives.
pub fn on_shortcut(key: &'static str, run: impl Fn() + 'static) {
    let handle = window_event_listener(ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key() && ev.key().eq_ignore_ascii_case(key) {
            ev.prevent_default();
            run();
        }
    });
    on_cleanup(move || handle.remove());
}

/// Where a key moves from row `pos` of `0..=last`: ↑ ↓ Home End, or None for other keys.
pub fn next_row(key: &str, pos: usize, last: usize) -> Option<usize> {
    match key {
        "ArrowDown" => Some((pos + 1).min(last)),
        "ArrowUp" => Some(pos.saturating_sub(1)),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// The row position (`data-pos`) of the link an event came from.
pub fn row_pos(target: Option<web_sys::EventTarget>) -> Option<usize> {
    target?
        .dyn_into::<Element>()
        .ok()?
        .get_attribute("data-pos")?
        .parse()
        .ok()
}

/// Focuses the link of row `pos` inside `root`, if it is rendered.
pub fn focus_row_link(root: &Element, pos: usize) {
    let link = root
        .query_selector(&format!("a[data-pos=\"{pos}\"]"))
        .ok()
        .flatten()
        .and_then(|a| a.dyn_into::<HtmlElement>().ok());
    if let Some(a) = link {
        let _ = a.focus();
    }
}

/// Arrow keys between the rows of a plain (not windowed) table: each row's first link carries
/// `data-pos`; ↑ ↓ Home End move the focus between those links, and Enter then opens one.
/// The `keydown` handler of such a `<tbody>`.
pub fn on_row_key(ev: KeyboardEvent) {
    let Some(pos) = row_pos(ev.target()) else {
        return;
    };
    let body = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|link| link.closest("tbody").ok().flatten());
    let Some(body) = body else {
        return;
    };
    let count = body
        .query_selector_all("a[data-pos]")
        .map(|l| l.length() as usize)
        .unwrap_or(0);
    if let Some(next) = next_row(&ev.key(), pos, count.saturating_sub(1)) {
        ev.prevent_default();
        focus_row_link(&body, next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_home_and_end_move_within_the_rows() {
        assert_eq!(next_row("ArrowDown", 3, 9), Some(4));
        assert_eq!(next_row("ArrowDown", 9, 9), Some(9));
        assert_eq!(next_row("ArrowUp", 0, 9), Some(0));
        assert_eq!(next_row("Home", 5, 9), Some(0));
        assert_eq!(next_row("End", 5, 9), Some(9));
        assert_eq!(next_row("Enter", 5, 9), None);
    }
}
