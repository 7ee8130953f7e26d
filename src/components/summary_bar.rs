use crate::model::list_summary::figures;
use leptos::prelude::*;
use rollout_api::ListSummary;

/// The rollouts summary line: median and average duration, attention needed, incidents
/// prevented and successful rollouts, for whatever the list shows now.
#[component]
pub fn SummaryBar(
    /// The statistics to show; recomputed by the page whenever the filter changes.
    #[prop(into)]
    summary: Signal<ListSummary>,
) -> impl IntoView {
    view! {
        <dl class="summary-bar">
            {move || {
                summary
                    .with(figures)
                    .into_iter()
                    .map(|f| {
                        let tone = f
                            .tone
                            .map(|t| format!("summary-bar__value--{t}"))
                            .unwrap_or_default();
                        view! {
                            <div class="summary-bar__item" title=f.hint>
                                <dt class="summary-bar__label">{f.label}</dt>
                                <dd class=format!("summary-bar__value {tone}")>{f.value}</dd>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </dl>
    }
}
