//! The Events tab: the rollout's Kubernetes events, newest first, live, filterable, exportable
//! (the list shared with a cluster's events page).

use crate::components::events::{EventsData, EventsList};
use crate::model::events::EventsOf;
use leptos::prelude::*;

/// The rollout's events; the filter is kept in the URL with `tab=events`.
#[component]
pub fn EventsTab(
    /// The rollout whose events are shown.
    #[prop(into)]
    rollout_id: Signal<String>,
) -> impl IntoView {
    let of = Memo::new(move |_| EventsOf::Rollout(rollout_id.get()));
    view! { <EventsList data=EventsData::new(of.into()) /> }
}
