//! The one menu widget: a button opening a `role="menu"` whose items carry the value
//! `on_select` receives.

use crate::components::icon::{Icon, IconKind};
use crate::dom::popup::Popup;
use leptos::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// One item of a [`Menu`]: what it says, and the value `on_select` receives when it is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem<K> {
    pub value: K,
    /// Accessible name and visible text.
    pub label: String,
    /// Said under the label and given as the item's description: why it is disabled, the
    /// file it saves.
    pub note: Option<String>,
    pub enabled: bool,
    /// An operation of this item is running (it says "Working…" and cannot be chosen).
    pub busy: bool,
}

impl<K> MenuItem<K> {
    /// An enabled item.
    pub fn new(value: K, label: impl Into<String>) -> MenuItem<K> {
        MenuItem {
            value,
            label: label.into(),
            note: None,
            enabled: true,
            busy: false,
        }
    }

    /// With a note under the label.
    pub fn note(mut self, note: impl Into<String>) -> MenuItem<K> {
        self.note = Some(note.into());
        self
    }
}

/// What the menu's button looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MenuButton {
    /// Three dots; the label is the button's accessible name and tooltip.
    #[default]
    Dots,
    /// The label as text, after this icon and before a chevron.
    Text(IconKind),
}

/// A button (`aria-haspopup="menu"`) opening a menu. Disabled items stay focusable with
/// `aria-disabled` and say why. Arrow keys, Home and End move; Esc closes and returns focus to
/// the button; Tab or a click outside closes.
#[component]
pub fn Menu<K>(
    /// The button's accessible name, e.g. "Actions" or "Export (filtered: 12 of 340)".
    #[prop(into)]
    label: Signal<String>,
    /// The items, in order.
    #[prop(into)]
    items: Signal<Vec<MenuItem<K>>>,
    /// Called with the chosen (enabled) item's value, after the menu closed and focus went
    /// back to the button.
    on_select: Callback<K>,
    /// The button's look (three dots unless told).
    #[prop(optional)]
    button: MenuButton,
    /// Greys the button out (nothing to offer yet).
    #[prop(optional, into)]
    disabled: Signal<bool>,
    /// Accessible name of the menu itself, e.g. "Export formats".
    #[prop(optional, into)]
    menu_label: Option<String>,
) -> impl IntoView
where
    K: Clone + Send + Sync + 'static,
{
    let menu_id = format!("menu-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let list_id = menu_id.clone();
    let popup = Popup::new();
    let open = popup.open;
    let choose = Callback::new(move |value: K| {
        popup.close(true);
        on_select.run(value);
    });
    let face = move || match button {
        MenuButton::Dots => view! { <Icon kind=IconKind::Dots /> }.into_any(),
        MenuButton::Text(icon) => view! {
            <Icon kind=icon />
            <span>{move || label.get()}</span>
            <Icon kind=IconKind::ChevronDown />
        }
        .into_any(),
    };
    let dots = button == MenuButton::Dots;
    let class = if dots {
        "btn btn--ghost btn--icon menu__button"
    } else {
        "btn menu__button"
    };
    view! {
        <div class="menu" node_ref=popup.root>
            <button
                type="button"
                class=class
                node_ref=popup.button
                aria-label=move || dots.then(|| label.get())
                title=move || dots.then(|| label.get())
                aria-haspopup="menu"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=list_id.clone()
                disabled=move || disabled.get()
                on:click=move |_| popup.toggle()
                on:keydown=move |e| popup.on_button_key(e)
            >
                {face()}
            </button>
            <div
                class="menu__list"
                role="menu"
                id=list_id
                aria-label=menu_label
                node_ref=popup.list
                hidden=move || !open.get()
                on:keydown=move |e| popup.on_list_key(e)
            >
                {move || {
                    items
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, item)| menu_item(item, format!("{menu_id}-{i}"), choose))
                        .collect_view()
                }}
            </div>
        </div>
    }
}

/// One `role="menuitem"`; `id` prefixes the ids of its label and note. Choosing a disabled or
/// busy item does nothing.
fn menu_item<K: Clone + Send + Sync + 'static>(
    item: MenuItem<K>,
    id: String,
    choose: Callback<K>,
) -> impl IntoView {
    let (label_id, note_id) = (format!("{id}-label"), format!("{id}-note"));
    // What is said under the label ("Working…", why it is disabled, a file name) is drawn by CSS
    // from `data-note` and given to assistive tech as the item's description: the item's
    // visible text stays its name, exactly (speech input users say what they see).
    let note = if item.busy {
        Some("Working…".to_string())
    } else {
        item.note.clone()
    };
    let MenuItem {
        value,
        label,
        note: title,
        enabled,
        busy,
    } = item;
    let disabled = !enabled || busy;
    let described = note.as_ref().map(|_| note_id.clone());
    let labelled = label_id.clone();
    let data_note = note.clone();
    view! {
        <button
            type="button"
            role="menuitem"
            tabindex="-1"
            class="menu__item"
            class=("menu__item--disabled", !enabled)
            class=("menu__item--busy", busy)
            aria-disabled=if disabled { "true" } else { "false" }
            aria-busy=if busy { "true" } else { "false" }
            aria-labelledby=labelled
            aria-describedby=described
            title=title
            data-note=data_note
            on:click=move |_| {
                if !disabled {
                    choose.run(value.clone());
                }
            }
        >
            <span class="menu__label" id=label_id>
                {label}
            </span>
            {note
                .map(|n| {
                    view! {
                        <span class="menu__note" id=note_id hidden>
                            {n}
                        </span>
                    }
                })}
        </button>
    }
}
