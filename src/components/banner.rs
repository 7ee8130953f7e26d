use crate::components::icon::{Icon, IconKind};
use leptos::prelude::*;

/// A page banner: what is happening (title), what it means and what to do (children).
/// Failures are `role="alert"`, everything else `role="status"`.
#[component]
pub fn Banner(
    /// Colour family: `info`, `attention`, `danger` or `neutral` (`banner--{tone}`).
    tone: &'static str,
    /// Announce as an alert (failures) rather than a polite status.
    #[prop(optional)]
    alert: bool,
    /// One-line summary, shown in bold.
    #[prop(into)]
    title: Signal<String>,
    /// Stable hook for styling and tests (`data-banner`).
    #[prop(optional, into)]
    kind: String,
    /// The icon, when the tone's own (info, warning, ban) does not say it (e.g. a pause).
    #[prop(default = None)]
    icon: Option<IconKind>,
    /// Explanation, advice and links.
    children: Children,
) -> impl IntoView {
    let icon = icon.unwrap_or(match tone {
        "danger" | "attention" => IconKind::Warning,
        "neutral" => IconKind::Ban,
        _ => IconKind::Info,
    });
    view! {
        <div
            class=format!("banner banner--{tone}")
            role=if alert { "alert" } else { "status" }
            data-banner=kind
        >
            <span class="banner__icon">
                <Icon kind=icon />
            </span>
            <div class="banner__body">
                <p class="banner__title">{move || title.get()}</p>
                {children()}
            </div>
        </div>
    }
}
