//! The frame every chart sits in: a title, the drawing, and a "Data" toggle that shows the same
//! numbers as a table (for screen readers, for copying, and for anyone who prefers numbers).

use leptos::prelude::*;

/// A titled chart with a "Data" toggle.
#[component]
pub fn ChartFigure(
    /// Heading of the chart ("Canary traffic over time").
    #[prop(into)]
    title: String,
    /// Unique id prefix for the table the toggle controls.
    #[prop(into)]
    id: String,
    /// Extra class on the figure (e.g. `chart--wide`).
    #[prop(optional, into)]
    class: String,
    /// The drawing: an `<svg role="img">` with an accessible name.
    children: Children,
    /// The numbers behind the drawing, as a `<table>` behind a "Data" toggle. None when the
    /// caller shows the numbers itself.
    #[prop(default = None)]
    table: Option<ViewFn>,
    /// Controls beside the Data toggle (e.g. an Expand button).
    #[prop(default = None)]
    extra: Option<ViewFn>,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let table_id = format!("{id}-data");
    let toggle = table.is_some().then(|| {
        let table_id = table_id.clone();
        view! {
            <button
                type="button"
                class="btn btn--ghost btn--small chart__toggle"
                aria-expanded=move || if shown.get() { "true" } else { "false" }
                aria-controls=table_id
                on:click=move |_| shown.update(|s| *s = !*s)
            >
                {move || if shown.get() { "Hide data" } else { "Data" }}
            </button>
        }
    });
    view! {
        <figure class=format!("chart {class}")>
            <figcaption class="chart__head">
                <span class="chart__title">{title}</span>
                <span class="chart__tools">{extra.map(|e| e.run())} {toggle}</span>
            </figcaption>
            {children()}
            {table
                .map(|table| {
                    view! {
                        <div id=table_id class="chart__data" hidden=move || !shown.get()>
                            {move || shown.get().then(|| table.run())}
                        </div>
                    }
                })}
        </figure>
    }
}
