use super::data::ApplyData;
use crate::model::apply::{line_count, line_range_utf16, LineMark};
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;

/// Reads the first file of a drop or a file input into the editor.
fn read_file(files: Option<web_sys::FileList>, data: ApplyData) {
    let Some(file) = files.and_then(|f| f.get(0)) else {
        return;
    };
    leptos::task::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
            data.edit(text.as_string().unwrap_or_default());
        }
    });
}

/// The YAML editor: a textarea with a line-number gutter in which the dry run's problems are
/// marked at their lines; a file can be dropped on it or opened.
#[component]
pub fn YamlEditor(
    /// The page's data (text, dry run).
    data: ApplyData,
    /// The problems of the last dry run, by line.
    marks: Memo<Vec<LineMark>>,
    /// The textarea, for "Go to line".
    area: NodeRef<html::Textarea>,
) -> impl IntoView {
    let gutter = NodeRef::<html::Div>::new();
    let lines = Memo::new(move |_| data.text.with(|t| line_count(t)));
    let numbers =
        move || {
            let marks = marks.get();
            (1..=lines.get()).map(|n| {
            let mark = marks.iter().find(|m| m.line == n).map(|m| m.message.clone());
            let bad = mark.is_some();
            view! {
                <div class="editor__num" class=("editor__num--bad", bad) data-line=n title=mark>
                    {n}
                </div>
            }
        }).collect_view()
        };
    let sync = move |_| {
        if let (Some(g), Some(a)) = (gutter.get_untracked(), area.get_untracked()) {
            g.set_scroll_top(a.scroll_top());
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        read_file(ev.data_transfer().and_then(|d| d.files()), data);
    };
    let on_open = move |ev: web_sys::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        read_file(input.and_then(|i| i.files()), data);
    };
    view! {
        <div
            class="editor"
            on:dragover=|ev: web_sys::DragEvent| ev.prevent_default()
            on:drop=on_drop
        >
            <div class="editor__gutter" node_ref=gutter aria-hidden="true">
                {numbers}
            </div>
            <textarea
                class="editor__area"
                node_ref=area
                id="apply-yaml"
                spellcheck="false"
                wrap="off"
                aria-label="YAML to apply"
                aria-describedby="apply-problems"
                placeholder="Paste or drop YAML here: SpotDeployments, Strategies, RolloutSpecs, Services… (several documents, separated by ---)"
                prop:value=move || data.text.get()
                on:input=move |ev| data.edit(event_target_value(&ev))
                on:scroll=sync
            ></textarea>
        </div>
        <label class="btn editor__open">
            "Open a file…"
            <input
                type="file"
                accept=".yaml,.yml,application/yaml,text/yaml"
                class="visually-hidden"
                on:change=on_open
            />
        </label>
    }
}

/// Selects line `line` of the editor and focuses it (from the problems list).
pub fn go_to_line(area: NodeRef<html::Textarea>, line: usize) {
    let Some(a) = area.get_untracked() else {
        return;
    };
    let (start, end) = line_range_utf16(&a.value(), line);
    let _ = a.focus();
    let _ = a.set_selection_range(start, end);
    // Roughly where the line is: the textarea's line height times the lines above.
    let line_height = 20;
    a.set_scroll_top(((line as i32) - 4).max(0) * line_height);
}
