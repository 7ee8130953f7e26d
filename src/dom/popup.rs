//! The keyboard and focus behaviour of a menu button and its popup list (WAI-ARIA menu
//! button): arrows, Home and End move between the items, Esc closes and returns focus to the
//! button, Tab or a click outside closes.

use super::focus::{active_element, elements};
use super::outside_click::on_click_outside;
use leptos::{ev, html, prelude::*};

/// A button that opens a list of `[role=menuitem]` elements. `Copy`.
#[derive(Clone, Copy)]
pub struct Popup {
    pub open: RwSignal<bool>,
    /// The element holding the button and the list (a click outside it closes).
    pub root: NodeRef<html::Div>,
    pub button: NodeRef<html::Button>,
    pub list: NodeRef<html::Div>,
}

impl Popup {
    /// A closed popup that closes on a click outside `root`, for as long as the calling
    /// component lives.
    pub fn new() -> Popup {
        let popup = Popup {
            open: RwSignal::new(false),
            root: NodeRef::new(),
            button: NodeRef::new(),
            list: NodeRef::new(),
        };
        on_click_outside(popup.root, move || {
            if popup.open.get_untracked() {
                popup.open.set(false);
            }
        });
        popup
    }

    fn items(self) -> Vec<web_sys::HtmlElement> {
        self.list
            .get_untracked()
            .map(|l| elements(&l, "[role=menuitem]"))
            .unwrap_or_default()
    }

    /// Focuses the item at `i`, counting from the end when negative, wrapping around.
    fn focus_at(self, i: isize) {
        let all = self.items();
        if !all.is_empty() {
            let _ = all[i.rem_euclid(all.len() as isize) as usize].focus();
        }
    }

    /// Closes the list, giving focus back to the button when `refocus`.
    pub fn close(self, refocus: bool) {
        self.open.set(false);
        if let (true, Some(b)) = (refocus, self.button.get_untracked()) {
            let _ = b.focus();
        }
    }

    /// Opens the list with focus on its first (or last) item.
    pub fn open_at(self, first: bool) {
        self.open.set(true);
        request_animation_frame(move || self.focus_at(if first { 0 } else { -1 }));
    }

    /// The button's click: opens or closes.
    pub fn toggle(self) {
        if self.open.get_untracked() {
            self.close(false);
        } else {
            self.open_at(true);
        }
    }

    /// The button's keydown: arrows, Enter and Space open.
    pub fn on_button_key(self, e: ev::KeyboardEvent) {
        match e.key().as_str() {
            "ArrowDown" | "Enter" | " " => self.open_at(true),
            "ArrowUp" => self.open_at(false),
            _ => return,
        }
        e.prevent_default();
    }

    /// The list's keydown: arrows, Home and End move; Esc and Tab close.
    pub fn on_list_key(self, e: ev::KeyboardEvent) {
        let active = active_element();
        let at = self
            .items()
            .iter()
            .position(|el| Some(el) == active.as_ref())
            .map_or(-1, |i| i as isize);
        match e.key().as_str() {
            "ArrowDown" => self.focus_at(at + 1),
            "ArrowUp" => self.focus_at(at - 1),
            "Home" => self.focus_at(0),
            "End" => self.focus_at(-1),
            "Escape" => self.close(true),
            "Tab" => return self.open.set(false),
            _ => return,
        }
        e.prevent_default();
    }
}
