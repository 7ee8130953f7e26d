//! The events' toolbar: type and text filters, the count, Export and Copy.

use super::data::EventsData;
use crate::components::export_tools::ExportTools;
use crate::model::events::{events_count, parse_kind, EventFilter};
use crate::model::export::{export_label, ExportFile};
use leptos::prelude::*;
use rollout_api::EventType;

const FILES: [ExportFile; 2] = [ExportFile::EventsCsv, ExportFile::EventsJson];

/// Filters by type and text, "12 of 340 events", and the shown events' Export and Copy.
#[component]
pub fn EventsToolbar(
    /// The events and filter.
    data: EventsData,
    /// True when the filter shows nothing (nothing to export or copy).
    empty: Signal<bool>,
) -> impl IntoView {
    let (filter, shown, total, loaded) = (data.filter, data.shown, data.total, data.loaded);
    let kind = filter.kind;
    let filtered = move || filter.applied.with(EventFilter::is_active);
    let label = Signal::derive(move || export_label(shown.with(Vec::len), total.get(), filtered()));
    let count = move || events_count(shown.with(Vec::len), loaded.get(), total.get(), filtered());
    let is = move |k: Option<EventType>| move || kind.get() == k;
    view! {
        <div class="app-view__toolbar">
            <label class="app-view__field">
                <span>"Type"</span>
                <select on:change=move |ev| kind.set(parse_kind(&event_target_value(&ev)))>
                    <option value="all" prop:selected=is(None)>
                        "All types"
                    </option>
                    <option value="Normal" prop:selected=is(Some(EventType::Normal))>
                        "Normal"
                    </option>
                    <option value="Warning" prop:selected=is(Some(EventType::Warning))>
                        "Warning"
                    </option>
                </select>
            </label>
            <input
                type="search"
                class="app-view__search"
                aria-label="Filter events"
                placeholder="Filter by reason, object or message"
                prop:value=move || filter.typed.get()
                on:input=move |ev| filter.type_text(event_target_value(&ev))
            />
            <span class="app-view__count muted">{count}</span>
            <ExportTools
                label=label
                files=FILES.to_vec()
                file_stem=data.file_stem()
                on_export=Callback::new(move |f| data.export(f))
                on_copy=Callback::new(move |()| data.copy())
                disabled=empty
            />
        </div>
    }
}
