use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for any path the console does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="empty-state" aria-labelledby="nf-title">
            <h1 id="nf-title">"Page not found"</h1>
            <p>
                "There is nothing at this address. It may have been mistyped, or the link is old."
            </p>
            <A href="/rollouts">"Go to the rollouts list"</A>
        </section>
    }
}
