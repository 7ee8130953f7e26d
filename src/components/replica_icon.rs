use leptos::prelude::*;

/// One replica (pod) drawn as a small square: colour by version, fill by health.
/// `role="img"` with an accessible name such as "Pod web-7c9-x2, canary version, ready".
#[component]
pub fn ReplicaIcon(
    /// Accessible name and tooltip: pod, version and status.
    #[prop(into)]
    label: String,
    /// `ready`, `starting`, `failing` or `terminating` (`replica--{health}`).
    health: &'static str,
    /// `stable` or `canary` (`replica--{version}`).
    version: &'static str,
) -> impl IntoView {
    view! {
        <span
            class=format!("replica replica--{version} replica--{health}")
            role="img"
            aria-label=label.clone()
            title=label
        ></span>
    }
}
