use leptos::prelude::*;

pub use rollout_api::icon::IconKind;

/// An inline SVG icon; decorative (`aria-hidden`), so give its control a name elsewhere.
#[component]
pub fn Icon(
    /// Which icon.
    kind: IconKind,
    /// Extra CSS classes.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    view! {
        <svg
            class=format!("icon {class}")
            viewBox="0 0 24 24"
            fill="currentColor"
            aria-hidden="true"
            focusable="false"
        >
            <path d=kind.path()></path>
        </svg>
    }
}
