//! The one diff view: the CRD diff tab, the confirmation of Roll back / Retry / Promote all,
//! and the Apply page's dry run draw their changes with it.

mod rows;

use crate::model::diff::{self, blocks, side_by_side, take_lines, Block, LineDiff};
use leptos::prelude::*;
use rows::{split_row, unified_row};
use std::collections::HashSet;

/// A line diff as a table: unified or side by side, unchanged stretches folded (a button
/// unfolds each), at most `budget` lines drawn (then "Show more").
#[component]
pub fn DiffTable(
    /// The diff drawn.
    diff: LineDiff,
    /// Side by side rather than unified.
    #[prop(optional)]
    split: bool,
    /// Folded stretches the user opened (by first line).
    expanded: RwSignal<HashSet<usize>>,
    /// How many lines may be drawn; "Show more" raises it by `more`.
    budget: RwSignal<usize>,
    /// The table's accessible name, e.g. "SpotDeployment changes".
    label: &'static str,
    /// The hidden column headers: the old side's line numbers and text, the new side's line
    /// numbers and text, e.g. `["Previous line", "Previous", "New line", "This rollout"]`.
    sides: [&'static str; 4],
) -> impl IntoView {
    let diff = StoredValue::new(diff);
    let more = budget.get_untracked().max(50) * 2;
    let cols = if split { 4 } else { 3 };
    // What is drawn follows the unfolded stretches and the line budget.
    let shown = Memo::new(move |_| {
        let all = diff.with_value(|d| expanded.with(|e| blocks(&d.lines, diff::CONTEXT, e)));
        take_lines(&all, budget.get())
    });
    let hidden = move || shown.with(|s| s.1);
    let body = move || {
        diff.with_value(|d| {
            shown
                .get()
                .0
                .into_iter()
                .map(|b| block_rows(d, b, split, cols, expanded))
                .collect_view()
        })
    };
    view! {
        <div class="diff__scroll">
            <table class="diff" class=("diff--split", split) aria-label=label>
                // Fixed widths for the number columns (a fold row spanning all columns comes first).
                {if split {
                    view! {
                        <colgroup>
                            <col class="diff__col-num" />
                            <col />
                            <col class="diff__col-num" />
                            <col />
                        </colgroup>
                    }
                        .into_any()
                } else {
                    view! {
                        <colgroup>
                            <col class="diff__col-num" />
                            <col class="diff__col-num" />
                            <col />
                        </colgroup>
                    }
                        .into_any()
                }}
                <thead class="visually-hidden">
                    {if split {
                        view! {
                            <tr>
                                <th scope="col">{sides[0]}</th>
                                <th scope="col">{sides[1]}</th>
                                <th scope="col">{sides[2]}</th>
                                <th scope="col">{sides[3]}</th>
                            </tr>
                        }
                            .into_any()
                    } else {
                        view! {
                            <tr>
                                <th scope="col">{sides[0]}</th>
                                <th scope="col">{sides[2]}</th>
                                <th scope="col">"Change"</th>
                            </tr>
                        }
                            .into_any()
                    }}
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {move || {
            let hidden = hidden();
            (hidden > 0)
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="btn diff__more"
                            on:click=move |_| budget.update(|b| *b += more)
                        >
                            {format!("Show more ({hidden} more lines)")}
                        </button>
                    }
                })
        }}
    }
}

/// The rows of one block: a fold's button, or the lines it shows.
fn block_rows(
    d: &LineDiff,
    b: Block,
    split: bool,
    cols: usize,
    expanded: RwSignal<HashSet<usize>>,
) -> AnyView {
    match b {
        Block::Folded(r) => {
            let (start, n) = (r.start, r.len());
            let first = d.lines[r.start].new_no.unwrap_or(0);
            let label = format!("Show {n} unchanged lines ({first}–{})", first + n - 1);
            let unfold = move |_| {
                expanded.update(|e| {
                    e.insert(start);
                })
            };
            view! {
                <tr class="diff__fold">
                    <td colspan=cols>
                        <button type="button" class="diff__expand" on:click=unfold>
                            {label}
                        </button>
                    </td>
                </tr>
            }
            .into_any()
        }
        Block::Shown(r) if split => side_by_side(&d.lines, r)
            .into_iter()
            .map(|(l, rr)| split_row(l.map(|i| &d.lines[i]), rr.map(|i| &d.lines[i])))
            .collect_view()
            .into_any(),
        Block::Shown(r) => d.lines[r].iter().map(unified_row).collect_view().into_any(),
    }
}
