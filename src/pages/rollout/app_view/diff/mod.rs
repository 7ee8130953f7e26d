//! The CRD diff tab: the SpotDeployment of this rollout against the previous desired state.

mod data;

use super::export::ExportTools;
use crate::model::diff::{
    self, blocks, side_by_side, take_lines, Block, DiffLine, LineDiff, LineKind,
};
use data::{DiffData, FIRST_LINES};
use leptos::prelude::*;
use std::collections::HashSet;

/// Unified or side-by-side diff with word marks, folded unchanged stretches, both line
/// numbers; exports the `.diff` and both YAML versions.
#[component]
pub fn DiffTab(
    /// The rollout whose SpotDeployment change is shown.
    #[prop(into)]
    rollout_id: Signal<String>,
) -> impl IntoView {
    let data = DiffData::new(rollout_id);
    let split = data.split;
    let nothing = Signal::derive(move || data.manifests().is_none());
    let body = move || {
        let (class, text) = match data.fetched.get() {
            None => ("muted", "Loading manifests…"),
            Some(Err(e)) => {
                let text = format!("The manifests could not be read: {e}");
                return view! {
                    <p role="alert" class="error">
                        {text}
                    </p>
                }
                .into_any();
            }
            Some(Ok(m)) if m.old_manifest.is_empty() => (
                "app-view__empty",
                "No previous desired state: this is the first version of this SpotDeployment, \
                 so there is nothing to compare with.",
            ),
            Some(Ok(_)) => match data.computed.get() {
                None => ("muted", "Computing the diff…"),
                Some(d) if d.is_unchanged() => (
                    "app-view__empty",
                    "No change: the SpotDeployment is the same as the previous desired state.",
                ),
                Some(d) => {
                    return diff_table(d, split.get(), data.expanded, data.budget).into_any()
                }
            },
        };
        view! { <p class=class>{text}</p> }.into_any()
    };
    let pressed = move |side_by_side: bool| move || (split.get() == side_by_side).to_string();
    view! {
        <div class="app-view__toolbar">
            <span class="app-view__count muted">{move || data.summary()}</span>
            <div
                class="diff-toggle"
                role="group"
                aria-label="Diff layout"
                hidden=move || !data.has_old()
            >
                <button
                    type="button"
                    class="btn"
                    aria-pressed=pressed(false)
                    on:click=move |_| split.set(false)
                >
                    "Unified"
                </button>
                <button
                    type="button"
                    class="btn"
                    aria-pressed=pressed(true)
                    on:click=move |_| split.set(true)
                >
                    "Side by side"
                </button>
            </div>
            <ExportTools
                label="Export"
                files=Signal::derive(move || data.files().to_vec())
                rollout_id=rollout_id
                on_export=Callback::new(move |f| data.export(f))
                on_copy=Callback::new(move |()| data.copy())
                disabled=nothing
            />
        </div>
        {body}
    }
}

fn diff_table(
    d: LineDiff,
    split: bool,
    expanded: RwSignal<HashSet<usize>>,
    budget: RwSignal<usize>,
) -> impl IntoView {
    let all = expanded.with(|e| blocks(&d.lines, diff::CONTEXT, e));
    let (shown, hidden) = take_lines(&all, budget.get());
    let cols = if split { 4 } else { 3 };
    let body = shown
        .into_iter()
        .map(|b| match b {
            Block::Folded(r) => {
                let (start, n) = (r.start, r.len());
                let first = d.lines[r.start].new_no.unwrap_or(0);
                let label = format!("Show {n} unchanged lines ({first}–{})", first + n - 1);
                view! {
                    <tr class="diff__fold">
                        <td colspan=cols>
                            <button
                                type="button"
                                class="diff__expand"
                                on:click=move |_| {
                                    expanded
                                        .update(|e| {
                                            e.insert(start);
                                        })
                                }
                            >
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
        })
        .collect_view();
    view! {
        <div class="diff__scroll">
            <table class="diff" class=("diff--split", split) aria-label="SpotDeployment changes">
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
                                <th scope="col">"Previous line"</th>
                                <th scope="col">"Previous"</th>
                                <th scope="col">"New line"</th>
                                <th scope="col">"This rollout"</th>
                            </tr>
                        }
                            .into_any()
                    } else {
                        view! {
                            <tr>
                                <th scope="col">"Previous line"</th>
                                <th scope="col">"New line"</th>
                                <th scope="col">"Change"</th>
                            </tr>
                        }
                            .into_any()
                    }}
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {(hidden > 0)
            .then(|| {
                view! {
                    <button
                        type="button"
                        class="btn diff__more"
                        on:click=move |_| budget.update(|b| *b += FIRST_LINES * 2)
                    >
                        {format!("Show more ({hidden} more lines)")}
                    </button>
                }
            })}
    }
}

fn modifier(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Context => "context",
        LineKind::Removed => "removed",
        LineKind::Added => "added",
    }
}

fn sign(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Context => " ",
        LineKind::Removed => "-",
        LineKind::Added => "+",
    }
}

fn code(line: &DiffLine) -> impl IntoView {
    let segments = line
        .segments
        .iter()
        .map(|s| {
            if s.marked {
                view! { <mark class="diff__mark">{s.text.clone()}</mark> }.into_any()
            } else {
                s.text.clone().into_any()
            }
        })
        .collect_view();
    // The sign is drawn; assistive tech hears the change in words instead.
    let spoken = match line.kind {
        LineKind::Context => None,
        LineKind::Removed => Some("Removed: "),
        LineKind::Added => Some("Added: "),
    };
    view! {
        <span class="diff__sign" aria-hidden="true">
            {sign(line.kind)}
        </span>
        {spoken.map(|s| view! { <span class="visually-hidden">{s}</span> })}
        <span class="diff__text">{segments}</span>
        {line
            .no_newline
            .then(|| view! { <span class="diff__eol">" ⏎ no newline at end of file"</span> })}
    }
}

fn num(n: Option<usize>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn unified_row(line: &DiffLine) -> impl IntoView {
    view! {
        <tr class=format!("diff__line diff__line--{}", modifier(line.kind))>
            <td class="diff__num">{num(line.old_no)}</td>
            <td class="diff__num">{num(line.new_no)}</td>
            <td class="diff__code">{code(line)}</td>
        </tr>
    }
}

fn split_row(left: Option<&DiffLine>, right: Option<&DiffLine>) -> impl IntoView {
    let side = |l: Option<&DiffLine>, old: bool| match l {
        Some(l) => view! {
            <td class=format!(
                "diff__num diff__num--{}",
                modifier(l.kind),
            )>{num(if old { l.old_no } else { l.new_no })}</td>
            <td class=format!("diff__code diff__code--{}", modifier(l.kind))>{code(l)}</td>
        }
        .into_any(),
        None => view! {
            <td class="diff__num diff__num--blank"></td>
            <td class="diff__code diff__code--blank"></td>
        }
        .into_any(),
    };
    view! { <tr class="diff__line">{side(left, true)}{side(right, false)}</tr> }
}
