//! `/apply`: paste or drop YAML, read what the server's dry run says it would do (per
//! document, at the editor's lines, and to rollouts), then apply it.

mod data;
mod editor;
mod plan;
mod result;

use crate::context::server_info::expect_server_info;
use crate::model::apply::line_marks;
use data::ApplyData;
use editor::{go_to_line, YamlEditor};
use leptos::{html, prelude::*};
use plan::PlanView;
use result::ApplyResult;

#[component]
pub fn ApplyPage() -> impl IntoView {
    let data = ApplyData::new();
    let info = expect_server_info();
    let area = NodeRef::<html::Textarea>::new();
    let marks = Memo::new(move |_| {
        data.plan.with(|p| match p {
            Some(Ok(plan)) => line_marks(plan),
            _ => Vec::new(),
        })
    });
    let problems = move || {
        marks
            .get()
            .into_iter()
            .map(|m| {
                let at = match m.column {
                    Some(c) => format!("Line {}, column {c}", m.line),
                    None => format!("Line {}", m.line),
                };
                view! {
                    <li class="apply__problem">
                        <button
                            type="button"
                            class="link-button"
                            on:click=move |_| go_to_line(area, m.line)
                        >
                            {at}
                        </button>
                        ": "
                        {m.message}
                    </li>
                }
            })
            .collect_view()
    };
    let status = move || match (data.checking.get(), data.plan.get()) {
        (true, _) => view! {
            <p class="muted" role="status">
                "Dry run…"
            </p>
        }
        .into_any(),
        (false, None) => {
            view! { <p class="muted">"The dry run shows here what applying would do."</p> }
                .into_any()
        }
        (false, Some(Err(e))) => view! {
            <p class="error" role="alert">
                {format!("The dry run failed: {e}")}
            </p>
        }
        .into_any(),
        (false, Some(Ok(plan))) => view! { <PlanView plan=plan /> }.into_any(),
    };
    let read_only = move || info.read_only();
    view! {
        <section class="apply" aria-labelledby="apply-title">
            <header class="rollouts__head">
                <h1 class="page__title rollouts__title" id="apply-title">
                    "Apply"
                </h1>
                <p class="rollouts__count">
                    "Dry run first: nothing changes until you press Apply."
                </p>
            </header>
            <div class="apply__grid">
                <div class="apply__edit">
                    <YamlEditor data=data marks=marks area=area />
                    <ul
                        class="plain-list apply__problems"
                        id="apply-problems"
                        aria-label="Problems"
                    >
                        {problems}
                    </ul>
                </div>
                <section
                    class="apply__plan"
                    aria-labelledby="plan-title"
                    aria-busy=move || data.checking.get().to_string()
                >
                    <div class="apply__bar">
                        <h2 id="plan-title" class="apply__plan-title">
                            "Dry run"
                        </h2>
                        <button type="button" class="btn" on:click=move |_| data.dry_run()>
                            "Dry run now"
                        </button>
                        <Show
                            when=move || !read_only()
                            fallback=|| {
                                view! {
                                    <p class="apply__readonly">
                                        "This server is read-only: it shows the dry run only."
                                    </p>
                                }
                            }
                        >
                            <button
                                type="button"
                                class="btn btn--primary"
                                disabled=move || !data.can_apply() || data.applying.get()
                                on:click=move |_| data.apply()
                            >
                                {move || if data.applying.get() { "Applying…" } else { "Apply" }}
                            </button>
                        </Show>
                    </div>
                    <ApplyResult data=data />
                    {status}
                </section>
            </div>
        </section>
    }
}
