//! The rows of the diff table: line numbers, the +/− sign (spoken in words), marked words.

use crate::model::diff::{DiffLine, LineKind};
use leptos::prelude::*;

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

pub fn unified_row(line: &DiffLine) -> impl IntoView {
    view! {
        <tr class=format!("diff__line diff__line--{}", modifier(line.kind))>
            <td class="diff__num">{num(line.old_no)}</td>
            <td class="diff__num">{num(line.new_no)}</td>
            <td class="diff__code">{code(line)}</td>
        </tr>
    }
}

pub fn split_row(left: Option<&DiffLine>, right: Option<&DiffLine>) -> impl IntoView {
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
