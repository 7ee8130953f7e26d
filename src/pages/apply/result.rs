use super::data::ApplyData;
use super::plan::rollout_links;
use leptos::prelude::*;

/// What the last Apply did: the rollouts it started (links), or why the server refused.
#[component]
pub fn ApplyResult(
    /// The page's data.
    data: ApplyData,
) -> impl IntoView {
    move || {
        data.applied.get().map(|r| match r {
            Ok(resp) => {
                let n = resp.applied.len();
                let lead = if resp.rollouts_started.is_empty() {
                    "No rollout started."
                } else {
                    "Rollouts started:"
                };
                let started = rollout_links(resp.rollouts_started);
                view! {
                    <div class="banner banner--info apply__done" role="status">
                        <p class="apply__done-title">
                            {format!(
                                "Applied {n} {}.",
                                if n == 1 { "document" } else { "documents" },
                            )}
                        </p>
                        <p>{lead}</p>
                        <ul class="plain-list">{started}</ul>
                        <ul class="plain-list muted">
                            {resp
                                .messages
                                .into_iter()
                                .map(|m| view! { <li>{m}</li> })
                                .collect_view()}
                        </ul>
                    </div>
                }
                .into_any()
            }
            Err(e) => view! {
                <p class="error" role="alert">
                    {format!("Apply failed: {e}")}
                </p>
            }
            .into_any(),
        })
    }
}
