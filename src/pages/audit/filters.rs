use crate::model::audit::{action_choices, AuditFilter};
use leptos::prelude::*;
use rollout_api::text::parse_date;

/// From / To days, who and which action; each change goes into the URL.
#[component]
pub fn AuditFilters(
    /// The filters the URL holds.
    filter: Memo<AuditFilter>,
    /// Called with the new filters.
    on_change: Callback<AuditFilter>,
) -> impl IntoView {
    let set = move |f: &dyn Fn(&mut AuditFilter)| {
        let mut next = filter.get_untracked();
        f(&mut next);
        on_change.run(next);
    };
    let day = parse_date;
    let shown = move |from: bool| {
        filter
            .with(|f| if from { f.from } else { f.to })
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let date = move |from: bool, label: &'static str| {
        view! {
            <label class="filters__field">
                <span class="filters__label">{label}</span>
                <input
                    class="filters__control"
                    type="date"
                    prop:value=move || shown(from)
                    on:change=move |ev| {
                        let d = day(&event_target_value(&ev));
                        set(&|f| if from { f.from = d } else { f.to = d })
                    }
                />
            </label>
        }
    };
    let options = action_choices()
        .into_iter()
        .map(|(key, label)| {
            view! {
                <option value=key prop:selected=move || filter.with(|f| f.action == key)>
                    {label}
                </option>
            }
        })
        .collect_view();
    view! {
        <form
            class="filters"
            role="search"
            aria-label="Filter the audit log"
            on:submit=|ev| ev.prevent_default()
        >
            {date(true, "From")}
            {date(false, "To")}
            <label class="filters__field">
                <span class="filters__label">"Who"</span>
                <input
                    class="filters__control"
                    type="search"
                    placeholder="Anyone"
                    prop:value=move || filter.with(|f| f.actor.clone())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(&|f| f.actor = v.trim().to_string())
                    }
                />
            </label>
            <label class="filters__field">
                <span class="filters__label">"Action"</span>
                <select
                    class="filters__control"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(&|f| f.action = v.clone())
                    }
                >
                    <option value="" prop:selected=move || filter.with(|f| f.action.is_empty())>
                        "All actions"
                    </option>
                    {options}
                </select>
            </label>
        </form>
    }
}
