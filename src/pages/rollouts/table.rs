//! The rollouts table, virtualized: only the rows in view (plus overscan) are in the DOM, with
//! spacer rows standing in for the rest, while `aria-rowcount` / `aria-rowindex` tell assistive
//! technology the real size. Arrow keys move between rows, Enter opens one.

use super::row::{RolloutRow, RowItem};
use crate::components::virtual_list::VirtualRows;
use crate::dom::keys::{focus_row_link, next_row, row_pos};
use crate::model::list::{ListQuery, SortKey};
use crate::model::list_rows::RolloutRows;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use rollout_api::Timestamp;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, MouseEvent};

/// Must match `.rollouts-table__cell { height }` in style/rollouts.css.
pub const ROW_HEIGHT: f64 = 34.0;
const OVERSCAN: usize = 10;

fn event_element(target: Option<web_sys::EventTarget>) -> Option<Element> {
    target.and_then(|t| t.dyn_into::<Element>().ok())
}

/// The table of rollouts inside its own scroll container.
#[component]
pub fn RolloutTable(
    /// Every loaded rollout.
    rows: Signal<RolloutRows>,
    /// Indices into `rows` of what the filter shows, in order.
    visible: Memo<Vec<usize>>,
    /// The view (for `aria-sort` and the header arrows).
    query: Memo<ListQuery>,
    /// Called when a column header is clicked.
    on_sort: Callback<SortKey>,
    /// The server's now, ticking.
    now: Signal<Timestamp>,
    /// Id of the element naming the table.
    labelledby: &'static str,
) -> impl IntoView {
    let scroller = NodeRef::<Div>::new();
    let total = Memo::new(move |_| visible.with(|v| v.len()));
    let virtual_rows =
        VirtualRows::new(scroller, total.into(), ROW_HEIGHT, OVERSCAN, Some("thead"));
    let window = virtual_rows.window;
    // A new filter or sort starts at the top.
    Effect::new(move |prev: Option<()>| {
        query.track();
        if prev.is_some() {
            virtual_rows.scroll_to_top();
        }
    });
    let items = Memo::new(move |_| {
        let w = window.get();
        visible.with(|ix| {
            rows.with(|rs| {
                ix[w.first.min(ix.len())..w.end.min(ix.len())]
                    .iter()
                    .enumerate()
                    .filter_map(|(k, &i)| {
                        rs.get(i).map(|r| RowItem {
                            pos: w.first + k,
                            rollout: r.clone(),
                        })
                    })
                    .collect::<Vec<_>>()
            })
        })
    });

    let on_key = move |ev: KeyboardEvent| {
        let last = total.get_untracked().saturating_sub(1);
        let Some(next) = row_pos(ev.target()).and_then(|pos| next_row(&ev.key(), pos, last)) else {
            return;
        };
        ev.prevent_default();
        virtual_rows.reveal(next);
        if let Some(el) = scroller.get_untracked() {
            request_animation_frame(move || focus_row_link(&el, next));
        }
    };
    let navigate = use_navigate();
    let on_click = move |ev: MouseEvent| {
        if let Some(href) = (ev.button() == 0).then(|| row_href(ev.target())).flatten() {
            navigate(&href, Default::default());
        }
    };
    let spacer = move |top: bool| {
        let height = move || {
            let w = window.get();
            format!("{}px", if top { w.pad_top } else { w.pad_bottom })
        };
        view! {
            <tr class="rollouts-table__spacer" aria-hidden="true" style=("--spacer", height)>
                <td colspan="10"></td>
            </tr>
        }
    };

    view! {
        <div class="rollouts__scroll" node_ref=scroller on:scroll=move |_| virtual_rows.measure()>
            <table
                class="rollouts-table"
                aria-labelledby=labelledby
                aria-rowcount=move || total.get() + 1
            >
                {table_head(query, on_sort)}
                <tbody on:keydown=on_key on:click=on_click>
                    {spacer(true)}
                    <For each=move || items.get() key=RowItem::clone let:item>
                        <RolloutRow item=item now=now />
                    </For>
                    {spacer(false)}
                </tbody>
            </table>
        </div>
    }
}

/// Column widths, and the headers: each a button that sorts by its column.
fn table_head(query: Memo<ListQuery>, on_sort: Callback<SortKey>) -> impl IntoView {
    let col = |k: SortKey| view! { <col class=format!("rollouts-table__col--{}", k.key()) /> };
    let head = move |k: SortKey| {
        view! {
            <th
                scope="col"
                class="rollouts-table__head"
                aria-sort=move || query.with(|q| q.aria_sort(k))
            >
                <button type="button" class="sort-button" on:click=move |_| on_sort.run(k)>
                    {k.label()}
                    <span class="sort-button__arrow" aria-hidden="true">
                        {move || query.with(|q| q.sort_arrow(k))}
                    </span>
                </button>
            </th>
        }
    };
    view! {
        <colgroup>{SortKey::ALL.map(col).collect_view()}</colgroup>
        <thead>
            <tr aria-rowindex="1">{SortKey::ALL.map(head).collect_view()}</tr>
        </thead>
    }
}

/// The page a click on a row opens (not on its links or buttons).
fn row_href(target: Option<web_sys::EventTarget>) -> Option<String> {
    let t = event_element(target)?;
    if t.closest("a, button").ok().flatten().is_some() {
        return None;
    }
    t.closest("tr[data-href]")
        .ok()
        .flatten()?
        .get_attribute("data-href")
}
