//! The command palette (Ctrl/⌘-K, or the top bar's button): type to jump to a rollout, a
//! workload or a page, or to run an action of the rollout on screen.

mod data;

use crate::context::palette::expect_palette;
use crate::dom::focus::modal_focus;
use data::PaletteState;
use leptos::wasm_split::wasm_split;
use leptos::{html, prelude::*};

/// The palette, once it has been opened. Its code (the dialog, the ranking, the entries) is a
/// lazy part of the wasm, `palette`: no page needs it to show, so it is fetched when the
/// palette first opens (or a little after start, see scripts/wasm-split/lazy-parts.mjs), then
/// stays mounted, opening and closing as before.
#[component]
pub fn CommandPalette() -> impl IntoView {
    let open = expect_palette().open;
    let wanted = Memo::new(move |was: Option<&bool>| was.copied() == Some(true) || open.get());
    move || {
        wanted
            .get()
            .then(|| Suspend::new(async { load_palette().await }))
    }
}

#[wasm_split(palette, wasm_split_path = ::leptos::wasm_split)]
fn load_palette() -> AnyView {
    view! { <PaletteDialog /> }.into_any()
}

/// A modal combobox (`role="combobox"` over a `role="listbox"`): ↑ ↓ choose, Enter goes, Esc
/// closes; focus stays inside and goes back where it was.
#[component]
fn PaletteDialog() -> impl IntoView {
    let palette = expect_palette();
    let state = PaletteState::new(palette);
    let open = palette.open;
    let dialog = NodeRef::<html::Div>::new();
    let input = NodeRef::<html::Input>::new();
    let close = Callback::new(move |()| open.set(false));
    let first = move || input.get_untracked().map(|i| i.into());
    let trap = modal_focus(open.into(), dialog, first, close);
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if state.on_key(&ev.key()) {
            ev.prevent_default();
        } else {
            trap(ev);
        }
    };
    let option_id = |i: usize| format!("palette-option-{i}");
    let active_id = move || {
        state
            .results
            .with(|r| (!r.is_empty()).then(|| option_id(state.active.get())))
    };
    Effect::new(move |_| {
        let id = active_id();
        let el = id.and_then(|id| document().get_element_by_id(&id));
        if let Some(el) = el {
            el.scroll_into_view_with_bool(false);
        }
    });
    let options = move || {
        let active = state.active.get();
        state
            .results
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let chosen = e.clone();
                view! {
                    <li
                        role="option"
                        id=option_id(i)
                        class="palette__option"
                        aria-selected=if i == active { "true" } else { "false" }
                        on:click=move |_| state.choose.run(chosen.clone())
                        on:mousemove=move |_| state.active.set(i)
                    >
                        <span class="palette__group">{e.group}</span>
                        <span class="palette__label">{e.label}</span>
                        <span class="palette__detail">{e.detail}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || open.get()>
            <div class="modal__backdrop" on:click=move |_| close.run(())></div>
            <div
                class="palette"
                role="dialog"
                aria-modal="true"
                aria-label="Command palette"
                node_ref=dialog
                on:keydown=on_key
            >
                <input
                    class="palette__input"
                    node_ref=input
                    type="text"
                    role="combobox"
                    aria-label="Go to or run"
                    aria-expanded="true"
                    aria-controls="palette-list"
                    aria-autocomplete="list"
                    aria-activedescendant=active_id
                    autocomplete="off"
                    placeholder="Rollout, workload, page or action…"
                    prop:value=move || state.query.get()
                    on:input=move |ev| state.query.set(event_target_value(&ev))
                />
                <ul class="palette__list" id="palette-list" role="listbox" aria-label="Results">
                    {options}
                </ul>
                <Show when=move || state.results.with(Vec::is_empty)>
                    <p class="palette__empty" role="status">
                        "Nothing matches."
                    </p>
                </Show>
            </div>
        </Show>
    }
}
