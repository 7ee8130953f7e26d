use crate::components::focus::elements;
use crate::components::icon::{Icon, IconKind};
use leptos::{ev, html, prelude::*};
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// One entry of a [`Menu`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    /// Accessible name and visible text.
    pub label: String,
    pub enabled: bool,
    /// Why the entry is disabled (shown under it, and as its description).
    pub reason: Option<String>,
    /// An operation of this entry is running.
    pub busy: bool,
}

/// A three-dot button opening a menu (`aria-haspopup="menu"`). Disabled entries stay focusable
/// with `aria-disabled` and say why. Arrow keys, Home and End move; Esc closes and returns focus
/// to the button; a click outside closes.
#[component]
pub fn Menu(
    /// Accessible name of the button, e.g. "Actions".
    #[prop(into)]
    label: String,
    /// The entries, in order.
    #[prop(into)]
    items: Signal<Vec<MenuEntry>>,
    /// Called with the index of the chosen (enabled) entry, after the menu closed and focus went
    /// back to the button.
    on_select: Callback<usize>,
) -> impl IntoView {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let menu_id = format!("menu-{n}");
    let list_id = menu_id.clone();
    let open = RwSignal::new(false);
    let button = NodeRef::<html::Button>::new();
    let list = NodeRef::<html::Div>::new();
    let root = NodeRef::<html::Div>::new();

    let entries = move || {
        list.get_untracked()
            .map(|l| elements(&l, "[role=menuitem]"))
            .unwrap_or_default()
    };
    let focus_at = move |i: isize| {
        let all = entries();
        if all.is_empty() {
            return;
        }
        let i = i.rem_euclid(all.len() as isize) as usize;
        let _ = all[i].focus();
    };
    let current = move || {
        let active = crate::components::focus::active_element();
        entries().iter().position(|e| Some(e) == active.as_ref())
    };
    let close = move |refocus: bool| {
        open.set(false);
        if refocus {
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
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
        "ArrowDown" | "Enter" | " " => {
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
        let at = current().map(|i| i as isize).unwrap_or(-1);
        match e.key().as_str() {
            "ArrowDown" => focus_at(at + 1),
            "ArrowUp" => focus_at(at - 1),
            "Home" => focus_at(0),
            "End" => focus_at(-1),
            "Escape" => close(true),
            "Tab" => {
                open.set(false);
                return;
            }
            _ => return,
        }
        e.prevent_default();
    };
    let choose = move |i: usize| {
        let item = items.with_untracked(|all| all.get(i).cloned());
        if item.is_some_and(|it| it.enabled && !it.busy) {
            close(true);
            on_select.run(i);
        }
    };

    view! {
        <div class="menu" node_ref=root>
            <button
                type="button"
                class="btn btn--ghost btn--icon menu__button"
                node_ref=button
                aria-label=label.clone()
                title=label
                aria-haspopup="menu"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=list_id.clone()
                on:click=move |_| if open.get_untracked() { close(false) } else { open_at(true) }
                on:keydown=on_button_key
            >
                <Icon kind=IconKind::Dots/>
            </button>
            <div class="menu__list" role="menu" id=list_id node_ref=list hidden=move || !open.get() on:keydown=on_menu_key>
                {move || {
                    items
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, it)| {
                            let label_id = format!("{menu_id}-{i}-label");
                            let reason_id = format!("{menu_id}-{i}-reason");
                            let disabled = !it.enabled || it.busy;
                            // What is said under the label ("Working…", or why it is disabled) is
                            // drawn by CSS from `data-note` and given to assistive tech as the
                            // item's description: the item's visible text stays its name, exactly
                            // (speech input users say what they see).
                            let note = if it.busy { Some("Working…".to_string()) } else { it.reason.clone() };
                            let described = note.as_ref().map(|_| reason_id.clone());
                            let note_text = note.clone();
                            view! {
                                <button
                                    type="button"
                                    role="menuitem"
                                    tabindex="-1"
                                    class="menu__item"
                                    class:menu__item--disabled=!it.enabled
                                    class:menu__item--busy=it.busy
                                    aria-disabled=if disabled { "true" } else { "false" }
                                    aria-busy=if it.busy { "true" } else { "false" }
                                    aria-labelledby=label_id.clone()
                                    aria-describedby=described
                                    title=it.reason.clone()
                                    data-note=note.clone()
                                    on:click=move |_| choose(i)
                                >
                                    <span class="menu__label" id=label_id.clone()>{it.label.clone()}</span>
                                    {note_text.map(|r| view! { <span class="menu__note" id=reason_id hidden>{r}</span> })}
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </div>
    }
}
