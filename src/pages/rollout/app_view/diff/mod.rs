//! The CRD diff tab: the SpotDeployment of this rollout against the previous desired state.

use super::export::{export_items, save};
use crate::api::client::{self, ApiError};
use crate::components::copy_button::CopyButton;
use crate::components::icon::IconKind;
use crate::components::menu::{Menu, MenuButton};
use crate::model::diff::{
    self, blocks, compute, side_by_side, take_lines, Block, DiffLine, LineDiff, LineKind,
};
use crate::model::export::ExportFile;
use leptos::prelude::*;
use rollout_api::Manifests;
use std::collections::HashSet;
use std::time::Duration;

/// Lines rendered before a "Show more" button.
const FIRST_LINES: usize = 600;

/// Unified or side-by-side diff with word marks, folded unchanged stretches, both line
/// numbers; exports the `.diff` and both YAML versions.
#[component]
pub fn DiffTab(
    /// The rollout whose SpotDeployment change is shown.
    #[prop(into)]
    rollout_id: Signal<String>,
) -> impl IntoView {
    let fetched: LocalResource<Result<Manifests, ApiError>> = LocalResource::new(move || {
        let id = rollout_id.get();
        async move { client::manifests(&id).await }
    });
    // Computed after the tab painted, under similar's time budget.
    let computed = RwSignal::new(None::<LineDiff>);
    Effect::new(move |_| {
        if let Some(Ok(m)) = fetched.get() {
            computed.set(None);
            set_timeout(
                move || computed.set(Some(compute(&m.old_manifest, &m.new_manifest))),
                Duration::from_millis(0),
            );
        }
    });
    let split = RwSignal::new(false);
    let expanded = RwSignal::new(HashSet::<usize>::new());
    let budget = RwSignal::new(FIRST_LINES);

    let manifests = move || fetched.get().and_then(Result::ok);
    // For event handlers: the manifests as they are now, without subscribing.
    let manifests_now = move || fetched.get_untracked().and_then(Result::ok);
    let name = |m: &Manifests| {
        diff::manifest_name(&m.new_manifest).unwrap_or_else(|| "spotdeployment".into())
    };
    let has_old = move || manifests().is_some_and(|m| !m.old_manifest.is_empty());
    let formats = Signal::derive(move || {
        let files: &[ExportFile] = if has_old() {
            &[ExportFile::Diff, ExportFile::OldYaml, ExportFile::NewYaml]
        } else {
            &[ExportFile::NewYaml]
        };
        export_items(files, &rollout_id.get())
    });
    let on_export = Callback::new(move |file: ExportFile| {
        let Some(m) = manifests_now() else {
            return;
        };
        let text = match file {
            ExportFile::Diff => diff::unified(&m.old_manifest, &m.new_manifest, &name(&m)),
            ExportFile::OldYaml => m.old_manifest,
            _ => m.new_manifest,
        };
        save(file, &rollout_id.get_untracked(), &text);
    });
    let copy = Callback::new(move |()| match manifests_now() {
        Some(m) if !m.old_manifest.is_empty() => {
            let text = diff::unified(&m.old_manifest, &m.new_manifest, &name(&m));
            let lines = text.lines().count();
            (text, format!("Copied the unified diff ({lines} lines)"))
        }
        Some(m) => (m.new_manifest.clone(), "Copied this rollout's YAML".into()),
        None => (String::new(), "Nothing to copy".into()),
    });
    let nothing = Signal::derive(move || manifests().is_none());

    let summary = move || {
        let m = manifests()?;
        let d = computed.get()?;
        let from = m
            .old_version
            .map_or("previous".into(), |v| format!("revision {v}"));
        Some(format!(
            "{from} → revision {}: +{} −{} lines",
            m.new_version, d.added, d.removed
        ))
    };

    view! {
        <div class="app-view__toolbar">
            <span class="app-view__count muted">{summary}</span>
            <div class="diff-toggle" role="group" aria-label="Diff layout" hidden=move || !has_old()>
                <button type="button" class="btn" aria-pressed=move || (!split.get()).to_string() on:click=move |_| split.set(false)>"Unified"</button>
                <button type="button" class="btn" aria-pressed=move || split.get().to_string() on:click=move |_| split.set(true)>"Side by side"</button>
            </div>
            <span class="app-view__actions">
                <Menu label="Export" items=formats on_select=on_export disabled=nothing
                    button=MenuButton::Text(IconKind::Download) menu_label="Export formats"/>
                <CopyButton content=copy label="Copy" disabled=nothing/>
            </span>
        </div>
        {move || match fetched.get() {
            None => view! { <p class="muted">"Loading manifests…"</p> }.into_any(),
            Some(Err(e)) => view! { <p role="alert" class="error">{format!("The manifests could not be read: {e}")}</p> }.into_any(),
            Some(Ok(m)) if m.old_manifest.is_empty() => view! {
                <p class="app-view__empty">"No previous desired state: this is the first version of this SpotDeployment, so there is nothing to compare with."</p>
            }.into_any(),
            Some(Ok(_)) => match computed.get() {
                None => view! { <p class="muted">"Computing the diff…"</p> }.into_any(),
                Some(d) if d.is_unchanged() => view! {
                    <p class="app-view__empty">"No change: the SpotDeployment is the same as the previous desired state."</p>
                }.into_any(),
                Some(d) => diff_table(d, split.get(), expanded, budget).into_any(),
            },
        }}
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
                            <button type="button" class="diff__expand" on:click=move |_| expanded.update(|e| { e.insert(start); })>{label}</button>
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
            <table class="diff" class:diff--split=split aria-label="SpotDeployment changes">
                // Fixed widths for the number columns (a fold row spanning all columns comes first).
                {if split {
                    view! { <colgroup><col class="diff__col-num"/><col/><col class="diff__col-num"/><col/></colgroup> }.into_any()
                } else {
                    view! { <colgroup><col class="diff__col-num"/><col class="diff__col-num"/><col/></colgroup> }.into_any()
                }}
                <thead class="visually-hidden">
                    {if split {
                        view! { <tr><th scope="col">"Previous line"</th><th scope="col">"Previous"</th><th scope="col">"New line"</th><th scope="col">"This rollout"</th></tr> }.into_any()
                    } else {
                        view! { <tr><th scope="col">"Previous line"</th><th scope="col">"New line"</th><th scope="col">"Change"</th></tr> }.into_any()
                    }}
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {(hidden > 0).then(|| view! {
            <button type="button" class="btn diff__more" on:click=move |_| budget.update(|b| *b += FIRST_LINES * 2)>
                {format!("Show more ({hidden} more lines)")}
            </button>
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
        <span class="diff__sign" aria-hidden="true">{sign(line.kind)}</span>
        {spoken.map(|s| view! { <span class="visually-hidden">{s}</span> })}
        <span class="diff__text">{segments}</span>
        {line.no_newline.then(|| view! { <span class="diff__eol">" ⏎ no newline at end of file"</span> })}
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
    let side = |l: Option<&DiffLine>, old: bool| {
        match l {
        Some(l) => view! {
            <td class=format!("diff__num diff__num--{}", modifier(l.kind))>{num(if old { l.old_no } else { l.new_no })}</td>
            <td class=format!("diff__code diff__code--{}", modifier(l.kind))>{code(l)}</td>
        }
        .into_any(),
        None => view! { <td class="diff__num diff__num--blank"></td><td class="diff__code diff__code--blank"></td> }.into_any(),
    }
    };
    view! { <tr class="diff__line">{side(left, true)}{side(right, false)}</tr> }
}
