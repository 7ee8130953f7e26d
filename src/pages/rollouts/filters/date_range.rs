//! The date range control: a preset window or custom days.

use crate::model::list::{DateRange, ListQuery, Preset};
use leptos::prelude::*;
use rollout_api::text::parse_date;

/// "Date range" select, and From / To date inputs when the range is custom.
#[component]
pub fn DateRangeFields(
    /// The view the URL describes now.
    query: Memo<ListQuery>,
    /// Called with the view and its new range.
    on_change: Callback<(ListQuery, bool)>,
) -> impl IntoView {
    let range = move || query.with(|q| q.range);
    let set = move |range: DateRange| {
        on_change.run((
            ListQuery {
                range,
                ..query.get_untracked()
            },
            false,
        ))
    };
    let range_key = move || match range() {
        DateRange::Last(p) => p.key(),
        DateRange::Custom { .. } => "custom",
    };
    let on_range = move |key: String| {
        set(match Preset::from_key(&key) {
            Some(p) => DateRange::Last(p),
            None => {
                let today = chrono::Utc::now().date_naive();
                DateRange::Custom {
                    from: today.checked_sub_days(chrono::Days::new(7)),
                    to: Some(today),
                }
            }
        })
    };
    let custom = move || matches!(range(), DateRange::Custom { .. });
    let day = move |from: bool| match range() {
        DateRange::Custom { from: f, to: t } => (if from { f } else { t })
            .map(|d| d.to_string())
            .unwrap_or_default(),
        DateRange::Last(_) => String::new(),
    };
    let on_day = move |from: bool, value: String| {
        let d = parse_date(&value);
        if let DateRange::Custom { from: f, to: t } = range() {
            set(if from {
                DateRange::Custom { from: d, to: t }
            } else {
                DateRange::Custom { from: f, to: d }
            })
        }
    };
    let option = move |key: &'static str, label: &'static str| {
        view! {
            <option value=key prop:selected=move || range_key() == key>
                {label}
            </option>
        }
    };
    let date = move |from: bool, label: &'static str| {
        view! {
            <label class="filters__field">
                <span class="filters__label">{label}</span>
                <input
                    class="filters__control"
                    type="date"
                    prop:value=move || day(from)
                    on:change=move |ev| on_day(from, event_target_value(&ev))
                />
            </label>
        }
    };
    view! {
        <label class="filters__field">
            <span class="filters__label">"Date range"</span>
            <select class="filters__control" on:change=move |ev| on_range(event_target_value(&ev))>
                {Preset::ALL.map(|p| option(p.key(), p.label())).collect_view()}
                {option("custom", "Custom range")}
            </select>
        </label>
        <Show when=custom>{date(true, "From")} {date(false, "To")}</Show>
    }
}
