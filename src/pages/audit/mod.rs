//! `/audit`: every action across rollouts and every apply — who, what, when and why — with
//! filters in the URL, older pages on demand and a CSV export.

mod data;
mod filters;
mod table;

use data::AuditData;
use filters::AuditFilters;
use leptos::prelude::*;
use table::AuditTable;

#[component]
pub fn AuditPage() -> impl IntoView {
    let data = AuditData::new();
    let count = move || {
        let n = data.entries.with(Vec::len);
        let more = if data.next.with(Option::is_some) {
            ", more older"
        } else {
            ""
        };
        match n {
            0 if data.loading.get() => "Loading…".to_string(),
            0 => "No entry matches".to_string(),
            1 => format!("1 entry{more}"),
            n => format!("{n} entries, newest first{more}"),
        }
    };
    let error = move || {
        data.error.get().map(|e| {
            view! {
                <p class="error" role="alert">
                    {format!("The audit log could not be read: {e}")}
                </p>
            }
        })
    };
    view! {
        <section class="audit" aria-labelledby="audit-title">
            <header class="rollouts__head">
                <h1 class="page__title rollouts__title" id="audit-title">
                    "Audit"
                </h1>
                <p class="rollouts__count" aria-live="polite">
                    {count}
                </p>
                <button
                    type="button"
                    class="btn audit__export"
                    disabled=move || data.entries.with(Vec::is_empty)
                    on:click=move |_| data.export()
                >
                    "Export CSV"
                </button>
            </header>
            <AuditFilters filter=data.filter on_change=Callback::new(move |f| data.set_filter(f)) />
            {error}
            <div class="audit__scroll">
                <AuditTable entries=data.entries />
            </div>
            <Show when=move || data.next.with(Option::is_some)>
                <button
                    type="button"
                    class="btn audit__more"
                    disabled=move || data.loading.get()
                    on:click=move |_| data.load_more()
                >
                    {move || if data.loading.get() { "Loading…" } else { "Load more" }}
                </button>
            </Show>
        </section>
    }
}
