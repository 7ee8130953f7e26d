//! Long lists of fixed-height rows: only the rows in view (plus some overscan) are in the
//! DOM, spacers stand in for the rest, so 50,000 rows scroll like 50. [`VirtualRows`] is the
//! windowing (any markup: a `<table>` uses it with spacer rows); [`VirtualList`] is a list of
//! `<div>` rows built on it.

use crate::model::virtual_window::{reveal, row_window, RowWindow, Viewport};
use leptos::{html, prelude::*};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ResizeObserver};

/// Which rows of a scroll container to render, kept in step with its scroll position and size
/// (and the height of a header inside it). `Copy`.
#[derive(Clone, Copy)]
pub struct VirtualRows {
    scroller: NodeRef<html::Div>,
    viewport: RwSignal<Viewport>,
    row_height: f64,
    /// Selector of a header above the first row inside the container (e.g. `thead`).
    header: Option<&'static str>,
    /// The slice to render and the spacer heights.
    pub window: Memo<RowWindow>,
}

impl VirtualRows {
    /// Windows `len` rows of `row_height` px in `scroller`, with `overscan` rows either side.
    /// Measures when the container gets its size or changes it (a `ResizeObserver`: called
    /// after layout, so reading the size forces none, unlike measuring in an animation frame,
    /// which laid a whole page out twice on first render) and on scroll (call
    /// [`measure`](Self::measure) from `on:scroll`).
    pub fn new(
        scroller: NodeRef<html::Div>,
        len: Signal<usize>,
        row_height: f64,
        overscan: usize,
        header: Option<&'static str>,
    ) -> VirtualRows {
        let viewport = RwSignal::new(Viewport::new(800.0));
        let window =
            Memo::new(move |_| row_window(len.get(), row_height, viewport.get(), overscan));
        let rows = VirtualRows {
            scroller,
            viewport,
            row_height,
            header,
            window,
        };
        // Also when a hidden list is shown: its size changes from nothing.
        Effect::new(move |_| {
            let Some(el) = scroller.get() else {
                return;
            };
            let on_resize = Closure::<dyn Fn()>::new(move || rows.measure());
            let Ok(observer) = ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
                return;
            };
            observer.observe(&el);
            let kept = StoredValue::new_local((observer, on_resize));
            on_cleanup(move || {
                kept.try_with_value(|(observer, _)| observer.disconnect());
            });
        });
        rows
    }

    fn viewport_now(self) -> Option<(HtmlElement, Viewport)> {
        let el = self.scroller.get_untracked()?;
        let header = self
            .header
            .and_then(|h| el.query_selector(h).ok().flatten())
            .and_then(|h| h.dyn_into::<HtmlElement>().ok())
            .map_or(0.0, |h| h.offset_height() as f64);
        let vp = Viewport {
            scroll_top: el.scroll_top() as f64,
            height: el.client_height().max(1) as f64,
            header,
        };
        Some(((*el).clone(), vp))
    }

    /// Reads the container's scroll position and size.
    pub fn measure(self) {
        if let Some((_, vp)) = self.viewport_now() {
            if self.viewport.try_get_untracked() != Some(vp) {
                self.viewport.try_set(vp);
            }
        }
    }

    /// Scrolls back to the first row.
    pub fn scroll_to_top(self) {
        if let Some(el) = self.scroller.get_untracked() {
            el.set_scroll_top(0);
            self.measure();
        }
    }

    /// Scrolls just enough to show row `index` whole.
    pub fn reveal(self, index: usize) {
        if let Some((el, vp)) = self.viewport_now() {
            if let Some(top) = reveal(index, self.row_height, vp) {
                el.set_scroll_top(top.round() as i32);
                self.measure();
            }
        }
    }
}

/// Rows `0..len` of `row_height` px in a scroll container of `<div>`s.
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
    /// Called when the last row comes into view (to read more rows).
    #[prop(optional)]
    on_end: Option<Callback<()>>,
) -> impl IntoView
where
    F: Fn(usize) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let scroller = NodeRef::<html::Div>::new();
    let rows = VirtualRows::new(scroller, len, row_height, 12, None);
    let window = rows.window;
    if let Some(on_end) = on_end {
        Effect::new(move |_| {
            let (w, n) = (window.get(), len.get());
            if n > 0 && w.end >= n {
                on_end.run(());
            }
        });
    }
    let pad = move |top: bool| {
        move || {
            let w = window.get();
            format!("{}px", if top { w.pad_top } else { w.pad_bottom })
        }
    };
    view! {
        // A tab stop, so the rows scroll from the keyboard too (the rows hold nothing focusable).
        <div
            class=format!("virtual-list {class}")
            role=role
            tabindex="0"
            node_ref=scroller
            on:scroll=move |_| rows.measure()
        >
            <div
                class="virtual-list__pad"
                aria-hidden="true"
                style=("--virtual-pad", pad(true))
            ></div>
            {move || {
                let w = window.get();
                (w.first..w.end).map(&row).collect_view()
            }}
            <div
                class="virtual-list__pad"
                aria-hidden="true"
                style=("--virtual-pad", pad(false))
            ></div>
        </div>
    }
}
