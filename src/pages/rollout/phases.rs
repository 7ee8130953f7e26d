//! The rollout phases panel: every phase with its state, weight, times, pause and
//! verifications; background verifications apart.

use super::verification::VerificationResult;
use crate::components::traffic_timeline::TrafficTimeline;
use crate::model::phase_view::{
    pause_info, phase_ended, phase_span, shown_phase_state, weight_meaning,
};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use rollout_api::{Phase, RolloutDetail, Verification};
use std::collections::HashSet;

fn phase_card(
    p: Phase,
    now: Signal<DateTime<Utc>>,
    opened: RwSignal<HashSet<String>>,
    weight_means: &'static str,
) -> impl IntoView {
    let (word, modifier) = shown_phase_state(&p);
    let ended = phase_ended(&p);
    let span_phase = p.clone();
    let pause_phase = p.clone();
    let pause = move || pause_info(&pause_phase, now.get());
    let verifications = p.verifications.clone();
    view! {
        <li class=format!("phases__step phases__step--{modifier}")>
            <div class="phases__marker" aria-hidden="true">
                {p.index + 1}
            </div>
            <div class="phases__card">
                <div class="phases__head">
                    <h3 class="phases__name">{p.name.clone()}</h3>
                    <span class=format!("badge badge--{modifier}")>{word}</span>
                </div>
                <p class="phases__weight">
                    <span class="phases__pct">{format!("{}%", p.traffic_percentage)}</span>
                    {weight_means}
                </p>
                <p class="phases__time">{move || phase_span(&span_phase, now.get())}</p>
                {move || pause().map(|t| view! { <p class="phases__pause">{t}</p> })}
                {p
                    .failure
                    .clone()
                    .map(|f| {
                        view! {
                            <p class="phases__failure" role="note">
                                {f}
                            </p>
                        }
                    })}
                {(!verifications.is_empty())
                    .then(|| {
                        view! {
                            <div class="phases__verifications">
                                {verification_list(verifications, ended, None, opened)}
                            </div>
                        }
                    })}
            </div>
        </li>
    }
}

/// The list of phases, then the background verifications (which run during the whole rollout).
#[component]
pub fn PhasesList(
    /// The rollout shown.
    #[prop(into)]
    detail: Signal<RolloutDetail>,
    /// The current time (server clock), for running phases and pause countdowns.
    #[prop(into)]
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let over = move || detail.with(|d| d.end_time.is_some());
    let opened = RwSignal::new(HashSet::new());
    let weight_means = move || detail.with_untracked(|d| weight_meaning(d.strategy_type));
    // Keyed by identity (position and name); each card follows its own phase and is rebuilt
    // only when that phase changed.
    let phases = move || {
        detail.with(|d| {
            d.phases
                .iter()
                .enumerate()
                .map(|(i, p)| (i, p.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let card = move |i: usize| {
        let phase = Memo::new(move |_| detail.with(|d| d.phases.get(i).cloned()));
        move || {
            phase
                .get()
                .map(|p| phase_card(p, now, opened, weight_means()))
        }
    };
    let background = move || detail.with(|d| d.background_verifications.clone());
    // Background verifications are drawn on the rollout's time axis.
    let rollout_span = move || {
        detail.with_untracked(|d| {
            (
                d.start_time,
                d.end_time.unwrap_or_else(|| now.get_untracked()),
            )
        })
    };
    view! {
        <TrafficTimeline detail=detail now=now />
        <ol class="phases">
            <For each=phases key=|k| k.clone() let:k>
                {card(k.0)}
            </For>
        </ol>
        {move || {
            let bg = background();
            let ended = over();
            let axis = Some(rollout_span());
            (!bg.is_empty())
                .then(|| {
                    view! {
                        <section class="phases__background" aria-labelledby="bg-verifications">
                            <h3 id="bg-verifications" class="phases__bg-title">
                                "Background verifications"
                            </h3>
                            <p class="muted">
                                "Run during the whole rollout, apart from the phases."
                            </p>
                            <div class="phases__verifications phases__verifications--row">
                                {verification_list(bg, ended, axis, opened)}
                            </div>
                        </section>
                    }
                })
        }}
    }
}

/// Verifications, each with its results.
fn verification_list(
    list: Vec<Verification>,
    ended: bool,
    axis: Option<(DateTime<Utc>, DateTime<Utc>)>,
    opened: RwSignal<HashSet<String>>,
) -> impl IntoView {
    list.into_iter()
        .map(|v| {
            view! { <VerificationResult verification=v ended=ended axis=axis opened=opened /> }
        })
        .collect_view()
}
