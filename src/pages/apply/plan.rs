use crate::components::diff_view::DiffTable;
use crate::model::apply::{document_title, outcome_label, plan_summary};
use crate::model::diff::compute;
use crate::url;
use leptos::prelude::*;
use leptos_router::components::A;
use rollout_api::{ApplyPlan, PlannedDocument, PlannedOutcome};
use std::collections::HashSet;

/// One document of the dry run: its outcome, its problem, and for a change its diff.
fn document(d: PlannedDocument) -> impl IntoView {
    let (word, modifier) = outcome_label(d.outcome);
    let title = document_title(&d);
    let problem = d
        .message
        .clone()
        .filter(|_| d.outcome == PlannedOutcome::Invalid)
        .map(|m| {
            let at = d.line.map(|l| format!("Line {l}: ")).unwrap_or_default();
            view! { <p class="plan__problem">{at}{m}</p> }
        });
    let diff = match (d.outcome, d.before, d.after) {
        (PlannedOutcome::Configured, Some(before), Some(after)) => Some(view! {
            <details class="plan__diff" open>
                <summary>"Changes against what is stored"</summary>
                <DiffTable
                    diff=compute(&before, &after)
                    expanded=RwSignal::new(HashSet::new())
                    budget=RwSignal::new(200)
                    label="Document changes"
                    sides=["Stored line", "Stored", "Submitted line", "Submitted"]
                />
            </details>
        }),
        _ => None,
    };
    view! {
        <li class="plan__doc">
            <span class=format!("badge badge--{modifier}")>{word}</span>
            <span class="plan__title">{title}</span>
            {problem}
            {diff}
        </li>
    }
}

/// Rollout ids as links to their pages (list items).
pub fn rollout_links(ids: Vec<String>) -> impl IntoView {
    ids.into_iter()
        .map(|id| {
            let href = url::rollout(&id);
            view! {
                <li>
                    <A href=href attr:class="mono">
                        {id}
                    </A>
                </li>
            }
        })
        .collect_view()
}

/// What the dry run says: per document, then what would happen to rollouts.
#[component]
pub fn PlanView(
    /// The dry run's answer.
    plan: ApplyPlan,
) -> impl IntoView {
    let summary = plan_summary(&plan);
    let effect = |title: &'static str, items: AnyView, empty: bool| {
        (!empty).then(|| {
            view! {
                <h3 class="plan__heading">{title}</h3>
                <ul class="plain-list plan__rollouts" aria-label=title>
                    {items}
                </ul>
            }
        })
    };
    let started = plan
        .rollouts_started
        .iter()
        .map(|s| view! { <li class="mono">{s.clone()}</li> })
        .collect_view()
        .into_any();
    let nothing = plan.rollouts_started.is_empty()
        && plan.rollouts_canceled.is_empty()
        && plan.rollouts_resumed.is_empty();
    view! {
        <p class="plan__summary">{summary}</p>
        <ul class="plain-list plan__docs">
            {plan.documents.into_iter().map(document).collect_view()}
        </ul>
        {effect("Rollouts that would start", started, plan.rollouts_started.is_empty())}
        {effect(
            "Rollouts that would be canceled",
            rollout_links(plan.rollouts_canceled.clone()).into_any(),
            plan.rollouts_canceled.is_empty(),
        )}
        {effect(
            "Rollouts that would resume",
            rollout_links(plan.rollouts_resumed.clone()).into_any(),
            plan.rollouts_resumed.is_empty(),
        )}
        {nothing.then(|| view! { <p class="muted">"No rollout would start, stop or resume."</p> })}
        {(!plan.messages.is_empty())
            .then(|| {
                view! {
                    <ul class="plan__messages">
                        {plan.messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                    </ul>
                }
            })}
    }
}
