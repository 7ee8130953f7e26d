//! A scroll container that renders only the rows in view (fixed row height).

use crate::model::virtual_window::{row_window, Viewport};
use leptos::{html, prelude::*};

/// Rows `0..len` of `row_height` px; only the visible ones (plus some overscan) are in the
/// DOM, spacers stand in for the rest, so 50,000 rows scroll like 50.
#[component]
pub fn VirtualList<F, V>(
    /// Number of rows.
    #[prop(into)]
    len: Signal<usize>,
    /// Height of every row in px (the CSS must agree).
    row_height: f64,
    /// Renders the row at a position.
    row: F,
    /// Extra CSS classes of the scroll container.
    #[prop(optional, into)]
    class: String,
    /// ARIA role of the container (e.g. "rowgroup").
    #[prop(optional)]
    role: Option<&'static str>,
) -> impl IntoView
where
    F: Fn(usize) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let scroller = NodeRef::<html::Div>::new();
    let viewport = RwSignal::new(Viewport::new(600.0));
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            let vp = Viewport {
                scroll_top: el.scroll_top() as f64,
                height: el.client_height().max(1) as f64,
                header: 0.0,
            };
            if vp != viewport.get_untracked() {
                viewport.set(vp);
            }
        }
    };
    // Measure once mounted, and again when the rows change (the list may have been hidden).
    Effect::new(move |_| {
        len.track();
        if scroller.get().is_some() {
            request_animation_frame(measure);
        }
    });
    let window = Memo::new(move |_| row_window(len.get(), row_height, viewport.get(), 12));
    view! {
        // A tab stop, so the rows scroll from the keyboard too (the rows hold nothing focusable).
        <div class=format!("virtual-list {class}") role=role tabindex="0" node_ref=scroller on:scroll=move |_| measure()>
            <div
                class="virtual-list__pad"
                aria-hidden="true"
                style:--virtual-pad=move || format!("{}px", window.get().pad_top)
            ></div>
            {move || {
                let w = window.get();
                (w.first..w.end).map(&row).collect_view()
            }}
            <div
                class="virtual-list__pad"
                aria-hidden="true"
                style:--virtual-pad=move || format!("{}px", window.get().pad_bottom)
            ></div>
        </div>
    }
}
