//! The "Export" button and its menu of formats.

use crate::components::focus::{active_element, elements};
use crate::components::icon::{Icon, IconKind};
use leptos::{ev, html, prelude::*};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// One format in an [`ExportMenu`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFormat {
    /// What the entry says, e.g. "CSV".
    pub label: String,
    /// The file it saves, shown under the label.
    pub file_name: String,
}

/// A text button (`aria-haspopup="menu"`) opening a `role="menu"` of formats. Arrow keys, Home
/// and End move; Esc closes and returns focus; a click outside closes.
#[component]
pub fn ExportMenu(
    /// Visible text and accessible name, e.g. "Export" or "Export (filtered: 12 of 340)".
    #[prop(into)]
    label: Signal<String>,
    /// The formats offered.
    #[prop(into)]
    formats: Signal<Vec<ExportFormat>>,
    /// Called with the index of the chosen format, after the menu closed.
    on_select: Callback<usize>,
    /// Greys the button out (nothing to export yet).
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let list_id = format!("export-menu-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let open = RwSignal::new(false);
    let button = NodeRef::<html::Button>::new();
    let list = NodeRef::<html::Div>::new();
    let root = NodeRef::<html::Div>::new();

    let items = move || {
        list.get_untracked()
            .map(|l| elements(&l, "[role=menuitem]"))
            .unwrap_or_default()
    };
    let focus_at = move |i: isize| {
        let all = items();
        if !all.is_empty() {
            let _ = all[i.rem_euclid(all.len() as isize) as usize].focus();
        }
    };
    let close = move |refocus: bool| {
        open.set(false);
        if let (true, Some(b)) = (refocus, button.get_untracked()) {
            let _ = b.focus();
        }
    };
    let open_at = move |first: bool| {
        open.set(true);
        request_animation_frame(move || focus_at(if first { 0 } else { -1 }));
    };
    let outside = window_event_listener(ev::pointerdown, move |e| {
        let inside = root.get_untracked().is_some_and(|r| {
            e.target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok())
                .is_some_and(|t| r.contains(Some(&t)))
        });
        if open.get_untracked() && !inside {
            open.set(false);
        }
    });
    on_cleanup(move || outside.remove());

    let on_button_key = move |e: ev::KeyboardEvent| match e.key().as_str() {
        "ArrowDown" => {
            e.prevent_default();
            open_at(true);
        }
        "ArrowUp" => {
            e.prevent_default();
            open_at(false);
        }
        _ => {}
    };
    let on_menu_key = move |e: ev::KeyboardEvent| {
        let active = active_element();
        let at = items()
            .iter()
            .position(|el| Some(el) == active.as_ref())
            .map_or(-1, |i| i as isize);
        match e.key().as_str() {
            "ArrowDown" => focus_at(at + 1),
            "ArrowUp" => focus_at(at - 1),
            "Home" => focus_at(0),
            "End" => focus_at(-1),
            "Escape" => close(true),
            "Tab" => return open.set(false),
            _ => return,
        }
        e.prevent_default();
    };

    view! {
        <div class="export-menu" node_ref=root>
            <button
                type="button"
                class="app-button export-menu__button"
                node_ref=button
                aria-haspopup="menu"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=list_id.clone()
                disabled=move || disabled.get()
                on:click=move |_| if open.get_untracked() { close(false) } else { open_at(true) }
                on:keydown=on_button_key
            >
                <Icon kind=IconKind::Download/>
                <span>{move || label.get()}</span>
                <Icon kind=IconKind::ChevronDown/>
            </button>
            <div
                class="export-menu__list"
                role="menu"
                id=list_id
                aria-label="Export formats"
                node_ref=list
                hidden=move || !open.get()
                on:keydown=on_menu_key
            >
                {move || {
                    formats
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, f)| {
                            view! {
                                <button
                                    type="button"
                                    role="menuitem"
                                    tabindex="-1"
                                    class="export-menu__item"
                                    on:click=move |_| {
                                        close(true);
                                        on_select.run(i);
                                    }
                                >
                                    <span class="export-menu__label">{f.label}</span>
                                    <span class="export-menu__file">{f.file_name}</span>
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </div>
    }
}
