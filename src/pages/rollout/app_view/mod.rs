//! The application view: Events / Resources / CRD diff tabs (lower part of `/rollouts/:id`).
//! The selected tab is the `?tab=` query key, so a link opens the same view.

mod diff;
mod events;
mod resources;

use crate::components::tabs::{panel_id, tab_id, TabSpec, Tabs};
use crate::url::{href, pairs_of, with_key};
use diff::DiffTab;
use events::EventsTab;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use resources::ResourcesTab;

const PREFIX: &str = "app-view";

const TABS: [TabSpec; 3] = [
    TabSpec {
        key: "events",
        label: "Events",
    },
    TabSpec {
        key: "resources",
        label: "Resources",
    },
    TabSpec {
        key: "diff",
        label: "CRD diff",
    },
];

/// The tab a `?tab=` value selects; Events when absent or unknown.
pub fn tab_key(query_value: Option<&str>) -> &'static str {
    TABS.iter()
        .map(|t| t.key)
        .find(|k| Some(*k) == query_value)
        .unwrap_or("events")
}

/// Tabs with the Kubernetes events, resources and CRD diff of one rollout.
#[component]
pub fn ApplicationView(
    /// The rollout shown.
    #[prop(into)]
    rollout_id: Signal<String>,
) -> impl IntoView {
    let location = use_location();
    let selected = Memo::new(move |_| tab_key(location.query.read().get_str("tab")));
    let tab_href = Callback::new(move |key: &'static str| {
        let pairs = location.query.with(pairs_of);
        href(
            &location.pathname.get(),
            &with_key(&pairs, "tab", Some(key)),
        )
    });
    let panel = move |key: &'static str| {
        let active = move || selected.get() == key;
        view! {
            <div
                class="app-view__panel"
                role="tabpanel"
                id=panel_id(PREFIX, key)
                aria-labelledby=tab_id(PREFIX, key)
                tabindex="0"
                hidden=move || !active()
            >
                {move || {
                    active()
                        .then(|| match key {
                            "resources" => {
                                view! { <ResourcesTab rollout_id=rollout_id /> }.into_any()
                            }
                            "diff" => view! { <DiffTab rollout_id=rollout_id /> }.into_any(),
                            _ => view! { <EventsTab rollout_id=rollout_id /> }.into_any(),
                        })
                }}
            </div>
        }
    };
    view! {
        <section class="app-view" aria-labelledby="app-view-title">
            <h2 id="app-view-title" class="app-view__title">
                "Application view"
            </h2>
            <Tabs
                label="Application view"
                id_prefix=PREFIX
                tabs=TABS.to_vec()
                selected=selected
                href=tab_href
            />
            {TABS.iter().map(|t| panel(t.key)).collect_view()}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_selects_a_tab_and_events_is_the_default() {
        assert_eq!(tab_key(Some("diff")), "diff");
        assert_eq!(tab_key(Some("resources")), "resources");
        assert_eq!(tab_key(Some("nonsense")), "events");
        assert_eq!(tab_key(None), "events");
    }
}
