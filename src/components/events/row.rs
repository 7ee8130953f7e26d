//! One row of the events table.

use crate::components::icon::{Icon, IconKind};
use crate::model::export;
use crate::model::time::{format_exact, format_relative};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use rollout_api::{Event, EventType};

/// The event at position `n` (newest first); its time is relative to `now`.
pub fn event_row(e: Event, n: usize, now: Memo<DateTime<Utc>>) -> impl IntoView {
    let warning = e.kind == EventType::Warning;
    let at = e.last_timestamp;
    let (reason, object, message) = (e.reason.clone(), e.object.clone(), e.message.clone());
    view! {
        <div
            role="row"
            class="events__row"
            class=("events__row--warning", warning)
            aria-rowindex=n + 2
        >
            <span role="cell" class="events__time">
                <time datetime=export::timestamp(at) title=format_exact(at)>
                    {move || format_relative(at, now.get())}
                </time>
            </span>
            <span role="cell" class="events__type" class=("events__type--warning", warning)>
                {warning.then(|| view! { <Icon kind=IconKind::Warning /> })}
                {export::event_type_label(e.kind)}
            </span>
            <span role="cell" class="events__reason" title=reason>
                {e.reason}
            </span>
            <span role="cell" class="events__object mono" title=object>
                {e.object}
            </span>
            <span role="cell" class="events__message" title=message>
                {e.message}
            </span>
        </div>
    }
}
