//! The revision history, newest first: date, image, revision, rollout and outcome, with the
//! Desired / Live / Degraded labels.

use crate::model::time::{format_exact, format_short};
use crate::model::workloads::{label_modifier, label_text, outcome_label};
use crate::url;
use leptos::prelude::*;
use rollout_api::{Revision, Workload};

#[component]
pub fn RevisionHistory(
    /// The workload, live.
    workload: Memo<Option<Workload>>,
) -> impl IntoView {
    let revisions = Memo::new(move |_| {
        workload.with(|w| w.as_ref().map(|w| w.revisions.clone()).unwrap_or_default())
    });
    let row = |r: Revision| {
        let labels = r
            .labels
            .iter()
            .map(|&l| {
                let (word, meaning) = label_text(l);
                view! {
                    <span
                        class=format!("revision-label revision-label--{}", label_modifier(l))
                        title=meaning
                    >
                        {word}
                    </span>
                }
            })
            .collect_view();
        let rollout = match r.rollout_id.clone() {
            Some(id) => view! {
                <a href=url::rollout(&id) class="mono">
                    {id.clone()}
                </a>
            }
            .into_any(),
            None => view! { <span class="muted">"—"</span> }.into_any(),
        };
        view! {
            <tr data-revision=r.revision>
                <td class="revisions__num">{r.revision}</td>
                <td class="revisions__labels">{labels}</td>
                <td class="mono revisions__image" title=r.image.clone()>
                    {r.image.clone()}
                </td>
                <td title=format_exact(r.applied_at)>
                    <time datetime=r.applied_at.to_rfc3339()>{format_short(r.applied_at)}</time>
                </td>
                <td>{rollout}</td>
                <td>{outcome_label(&r)}</td>
            </tr>
        }
    };
    view! {
        <section class="workload__section" aria-labelledby="revisions-title">
            <h2 class="workload__heading" id="revisions-title">
                "Revision history"
            </h2>
            <p class="muted workload__hint">
                "Desired: the latest applied version · Live: the version running as stable · Degraded: the latest rollout was rolled back, so desired is not live."
            </p>
            <div class="workload__table-wrap">
                <table class="data-table revisions" aria-labelledby="revisions-title">
                    <thead>
                        <tr>
                            <th scope="col">"Revision"</th>
                            <th scope="col">"Labels"</th>
                            <th scope="col">"Image"</th>
                            <th scope="col">"Applied"</th>
                            <th scope="col">"Rollout"</th>
                            <th scope="col">"Outcome"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || revisions.get()
                            key=|r| (r.revision, r.status, r.labels.clone(), r.rollout_id.clone())
                            children=row
                        />
                    </tbody>
                </table>
            </div>
        </section>
    }
}
