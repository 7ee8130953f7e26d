use crate::dom::theme::{set_theme, stored_theme};
use crate::model::theme::ThemeChoice;
use leptos::prelude::*;

/// The theme choice of the top bar: the system's (`prefers-color-scheme`), light or dark,
/// kept in the browser's local storage.
#[component]
pub fn ThemeSelect() -> impl IntoView {
    let current = stored_theme();
    let options = ThemeChoice::ALL
        .iter()
        .map(|c| {
            view! {
                <option value=c.key() selected=*c == current>
                    {c.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <select
            class="theme-select"
            aria-label="Theme"
            on:change=move |ev| set_theme(ThemeChoice::parse(Some(&event_target_value(&ev))))
        >
            {options}
        </select>
    }
}
