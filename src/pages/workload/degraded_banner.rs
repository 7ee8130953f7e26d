//! The Degraded banner: what it means, and the two ways out with commands to copy.

use crate::components::banner::Banner;
use crate::components::copy_button::CopyButton;
use crate::model::degraded::DegradedHelp;
use leptos::prelude::*;

#[component]
pub fn DegradedBanner(
    /// The explanation and the commands for this workload.
    help: DegradedHelp,
) -> impl IntoView {
    let ways = help
        .ways
        .into_iter()
        .map(|way| {
            let commands = way
                .commands
                .into_iter()
                .map(|c| {
                    let label = format!("Copy the command: {}", c.label);
                    let text = c.text.clone();
                    let content =
                        Callback::new(move |()| (text.clone(), "Copied the command".to_string()));
                    view! {
                        <div class="command">
                            <span class="command__label">{c.label}</span>
                            <code class="command__text">{c.text.clone()}</code>
                            <CopyButton content=content label=label icon_only=true />
                        </div>
                    }
                })
                .collect_view();
            view! {
                <li class="degraded__way">
                    <h3 class="degraded__way-title">{way.title}</h3>
                    <p>{way.detail}</p>
                    {commands}
                </li>
            }
        })
        .collect_view();
    view! {
        <Banner tone="danger" title="Degraded: the latest rollout was rolled back" kind="degraded">
            <p>{help.summary}</p>
            <ol class="degraded__ways" aria-label="Two ways to remove Degraded">
                {ways}
            </ol>
        </Banner>
    }
}
