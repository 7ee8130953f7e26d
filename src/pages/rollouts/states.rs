//! What the page says instead of a table: loading, server unreachable, nothing in the date
//! range, nothing matching the filters — each with what to do next.

use super::data::{ListState, Load};
use crate::api::client::ApiError;
use crate::model::list::{group_digits, DateRange, ListQuery};
use leptos::prelude::*;

/// The message for a state other than `Table`, with its buttons.
#[component]
pub fn StateNotice(
    /// The state to explain.
    state: ListState,
    /// The view now (for the date range wording and the "widen" / "clear" targets).
    query: Memo<ListQuery>,
    /// Loading progress.
    load: Signal<Load>,
    /// Changes the view (pushes a history entry).
    on_change: Callback<(ListQuery, bool)>,
    /// Re-lists the date window.
    on_retry: Callback<()>,
) -> impl IntoView {
    // A button that goes to another view of the list.
    let go = move |target: ListQuery, label: String, primary: bool| {
        view! {
            <button
                type="button"
                class="btn"
                class=("btn--primary", primary)
                on:click=move |_| on_change.run((target.clone(), false))
            >
                {label}
            </button>
        }
    };
    let widen = move || {
        let q = query.get();
        q.range
            .wider()
            .map(|range| go(ListQuery { range, ..q }, widen_label(range), false))
    };
    let clear = move || {
        let q = query.get();
        q.has_filters()
            .then(|| go(q.cleared(), "Clear filters".into(), true))
    };
    let phrase = move || query.with(|q| q.range.phrase());
    match state {
        ListState::Loading => loading(load).into_any(),
        ListState::Unreachable(e) => unreachable(e, on_retry).into_any(),
        ListState::Empty => view! {
            <div class="list-state">
                <h2>{move || format!("No rollouts {}", phrase())}</h2>
                <p>
                    "Nothing was rolled out in this window. Widen the date range to see older rollouts."
                </p>
                <div class="list-state__actions">{widen}{clear}</div>
            </div>
        }
        .into_any(),
        ListState::NoMatch { hidden } => view! {
            <div class="list-state">
                <h2>"No rollouts match these filters"</h2>
                <p>
                    {move || {
                        let (noun, verb) = if hidden == 1 {
                            ("rollout", "is")
                        } else {
                            ("rollouts", "are")
                        };
                        format!(
                            "{} {noun} {} {verb} hidden by the filters or the search. Clear them, or widen the date range.",
                            group_digits(hidden),
                            phrase(),
                        )
                    }}
                </p>
                <div class="list-state__actions">{clear}{widen}</div>
            </div>
        }
        .into_any(),
        ListState::Table => ().into_any(),
    }
}

/// "Widen the date range", or "Show the last 30 days" for a preset.
fn widen_label(range: DateRange) -> String {
    match range {
        DateRange::Last(p) => format!("Show the {}", p.label().to_lowercase()),
        _ => "Widen the date range".into(),
    }
}

/// The spinner, with how many rows arrived.
fn loading(load: Signal<Load>) -> impl IntoView {
    let text = move || match load.get() {
        Load::Loading { loaded, total } if total > 0 => format!(
            "Loading rollouts… {} of {}",
            group_digits(loaded),
            group_digits(total),
        ),
        _ => "Loading rollouts…".to_string(),
    };
    view! {
        <div class="list-state" aria-busy="true">
            <span class="list-state__spinner" aria-hidden="true"></span>
            <p>{text}</p>
        </div>
    }
}

/// The server could not be reached, or refused: why, what to do, and Retry.
fn unreachable(e: ApiError, on_retry: Callback<()>) -> impl IntoView {
    let (title, advice) = match &e {
            ApiError::Network(_) => (
                "The server could not be reached",
                "Check that rollout-server is running and reachable from this browser, then retry.",
            ),
            _ => (
                "The rollouts could not be loaded",
                "The server refused the request. Retry, or clear the filters if the link was edited by hand.",
            ),
        };
    view! {
        <div class="list-state list-state--error" role="alert">
            <h2>{title}</h2>
            <p>{advice}</p>
            <p class="list-state__detail mono">{e.to_string()}</p>
            <div class="list-state__actions">
                <button type="button" class="btn btn--primary" on:click=move |_| on_retry.run(())>
                    "Retry"
                </button>
            </div>
        </div>
    }
}
