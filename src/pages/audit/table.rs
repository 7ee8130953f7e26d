use crate::model::audit::action_label;
use crate::model::time::{format_exact, format_short};
use crate::url;
use leptos::prelude::*;
use leptos_router::components::A;
use rollout_api::AuditEntry;

/// The audit entries, newest first: when, who, what, on which rollout, why.
#[component]
pub fn AuditTable(
    /// The entries read so far.
    #[prop(into)]
    entries: Signal<Vec<AuditEntry>>,
) -> impl IntoView {
    let row = |e: AuditEntry| {
        let rollout = e.rollout_id.clone().map(|id| {
            let link = url::rollout(&id);
            view! {
                <A href=link attr:class="mono">
                    {id}
                </A>
            }
        });
        let started = e
            .rollouts_started
            .clone()
            .into_iter()
            .map(|id| {
                let link = url::rollout(&id);
                view! {
                    " "
                    <A href=link attr:class="mono">
                        {id}
                    </A>
                }
            })
            .collect_view();
        view! {
            <tr>
                <td>
                    <time datetime=e.at.to_rfc3339() title=format_exact(e.at)>
                        {format_short(e.at)}
                    </time>
                </td>
                <td>{e.actor.clone()}</td>
                <td>{action_label(&e.action).to_string()}</td>
                <td>{rollout}{started}</td>
                <td class="audit__reason">{e.reason.clone().unwrap_or_default()}</td>
                <td class="audit__summary muted">{e.summary.clone()}</td>
            </tr>
        }
    };
    view! {
        <table class="audit__table" aria-label="Audit log">
            <thead>
                <tr>
                    <th scope="col">"When"</th>
                    <th scope="col">"Who"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Rollout"</th>
                    <th scope="col">"Reason"</th>
                    <th scope="col">"Summary"</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || entries.get() key=|e| e.id.clone() children=row />
            </tbody>
        </table>
    }
}
