//! Focus glue for menus, dialogs and drawers: find the focusable elements
//! of a container, keep Tab inside it, remember and restore where focus was.

use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

const FOCUSABLE: &str = "button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex='-1'])";

/// The elements of `root` matching `selector`, in document order.
pub fn elements(root: &Element, selector: &str) -> Vec<HtmlElement> {
    let Ok(list) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// The focusable elements of `root`.
pub fn focusables(root: &Element) -> Vec<HtmlElement> {
    elements(root, FOCUSABLE)
}

/// The element that has focus now.
pub fn active_element() -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<HtmlElement>()
        .ok()
}

/// Keeps Tab / Shift+Tab cycling inside `root` (call from its keydown handler).
pub fn trap_tab(ev: &web_sys::KeyboardEvent, root: &Element) {
    if ev.key() != "Tab" {
        return;
    }
    let items = focusables(root);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active = active_element();
    let at = |el: &HtmlElement| active.as_ref().is_some_and(|a| a == el);
    let inside = active.as_ref().is_some_and(|a| root.contains(Some(a)));
    if ev.shift_key() && (at(first) || !inside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (at(last) || !inside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// Focuses `el` if it is still in the document.
pub fn restore(el: Option<HtmlElement>) {
    if let Some(el) = el.filter(|e| e.is_connected()) {
        let _ = el.focus();
    }
}

/// What a modal dialog does with focus: while `open`, focus moves to what `first` names (once
/// the dialog is drawn) and Tab stays inside `root`; Esc calls `on_escape`; on closing, focus
/// goes back where it was. Returns the dialog's keydown handler.
pub fn modal_focus(
    open: Signal<bool>,
    root: NodeRef<html::Div>,
    first: impl Fn() -> Option<HtmlElement> + Copy + 'static,
    on_escape: Callback<()>,
) -> impl Fn(web_sys::KeyboardEvent) + Copy + 'static {
    let opener = StoredValue::new_local(None::<HtmlElement>);
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if is_open && was_open != Some(true) {
            opener.set_value(active_element());
            request_animation_frame(move || {
                if let Some(el) = first() {
                    let _ = el.focus();
                }
            });
        } else if !is_open && was_open == Some(true) {
            restore(opener.get_value());
        }
        is_open
    });
    move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            ev.stop_propagation();
            on_escape.run(());
        } else if let Some(root) = root.get_untracked() {
            trap_tab(&ev, &root);
        }
    }
}
