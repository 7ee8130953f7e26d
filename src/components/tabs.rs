//! A tab list whose tabs are links (the URL holds the selected tab).

use leptos::{ev, prelude::*};
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// One tab of a [`Tabs`] list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TabSpec {
    /// Stable key, used in element ids and by `href`.
    pub key: &'static str,
    /// Visible text and accessible name.
    pub label: &'static str,
}

/// Id of a tab's element: `{prefix}-tab-{key}`.
pub fn tab_id(prefix: &str, key: &str) -> String {
    format!("{prefix}-tab-{key}")
}

/// Id of the panel a tab controls: `{prefix}-panel-{key}`.
pub fn panel_id(prefix: &str, key: &str) -> String {
    format!("{prefix}-panel-{key}")
}

/// `role="tablist"` of links with `role="tab"`: one tab stop (roving tabindex), Left / Right /
/// Home / End move between tabs and select them. The panel is the caller's: give it
/// `role="tabpanel"`, the id [`panel_id`] and `aria-labelledby` [`tab_id`].
#[component]
pub fn Tabs(
    /// Accessible name of the tab list.
    #[prop(into)]
    label: String,
    /// Prefix of the tab and panel ids.
    id_prefix: &'static str,
    /// The tabs, in order.
    tabs: Vec<TabSpec>,
    /// Key of the selected tab.
    #[prop(into)]
    selected: Signal<&'static str>,
    /// The URL that selects a tab (same page, another query).
    href: Callback<&'static str, String>,
) -> impl IntoView {
    let navigate = use_navigate();
    let keys: Vec<&'static str> = tabs.iter().map(|t| t.key).collect();
    let on_key = move |e: ev::KeyboardEvent| {
        let at = keys
            .iter()
            .position(|k| *k == selected.get_untracked())
            .unwrap_or(0);
        let last = keys.len().saturating_sub(1);
        let next = match e.key().as_str() {
            "ArrowRight" => (at + 1) % keys.len(),
            "ArrowLeft" => at.checked_sub(1).unwrap_or(last),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        e.prevent_default();
        let key = keys[next];
        navigate(
            &href.run(key),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
        if let Some(el) = document().get_element_by_id(&tab_id(id_prefix, key)) {
            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label=label on:keydown=on_key>
            {tabs
                .into_iter()
                .map(|t| {
                    let is_selected = move || selected.get() == t.key;
                    view! {
                        <a
                            class="tabs__tab"
                            class=("tabs__tab--selected", is_selected)
                            role="tab"
                            id=tab_id(id_prefix, t.key)
                            href=move || href.run(t.key)
                            aria-selected=move || if is_selected() { "true" } else { "false" }
                            aria-controls=panel_id(id_prefix, t.key)
                            tabindex=move || if is_selected() { "0" } else { "-1" }
                            data-noscroll=""
                            prop:replace=true
                        >
                            {t.label}
                        </a>
                    }
                })
                .collect_view()}
        </div>
    }
}
