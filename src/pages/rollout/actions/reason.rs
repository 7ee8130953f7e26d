use leptos::prelude::*;
use rollout_api::MAX_REASON_CHARS;

/// The "Reason" field of an action's confirmation: optional, or required when the server says
/// so. Kept with the action, its event and the audit log.
#[component]
pub fn ReasonField(
    /// What is typed.
    reason: RwSignal<String>,
    /// The server wants a reason with every action.
    #[prop(into)]
    required: Signal<bool>,
) -> impl IntoView {
    let count = move || reason.with(|r| r.chars().count());
    view! {
        <div class="reason">
            <label class="reason__label" for="action-reason">
                "Reason"
                <span class="reason__need">
                    {move || if required.get() { " (required)" } else { " (optional)" }}
                </span>
            </label>
            <textarea
                id="action-reason"
                class="reason__input"
                data-autofocus=""
                rows="2"
                maxlength=MAX_REASON_CHARS
                aria-required=move || if required.get() { "true" } else { "false" }
                aria-describedby="action-reason-help"
                placeholder="e.g. canary error rate 4 %"
                prop:value=move || reason.get()
                on:input=move |ev| reason.set(event_target_value(&ev))
            ></textarea>
            <p class="reason__help" id="action-reason-help">
                "Shown with your name in the rollout's events, its Activity and the audit log. "
                {move || format!("{}/{MAX_REASON_CHARS}", count())}
            </p>
        </div>
    }
}
