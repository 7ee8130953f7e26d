use crate::model::yaml::tokenize;
use leptos::prelude::*;

/// A YAML document, syntax-coloured, with line numbers. The block scrolls by itself and can be
/// focused to scroll with the keyboard.
#[component]
pub fn YamlView(
    /// The YAML text.
    #[prop(into)]
    text: String,
    /// Accessible name of the scrolling region, e.g. "Strategy YAML".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let lines = tokenize(&text);
    view! {
        <pre class="yaml" tabindex="0" role="region" aria-label=label>
            <code>
                {lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, tokens)| {
                        view! {
                            <span class="yaml__line">
                                <span class="yaml__no" aria-hidden="true">
                                    {i + 1}
                                </span>
                                {tokens
                                    .into_iter()
                                    .map(|t| {
                                        view! {
                                            <span class=format!(
                                                "yaml__{}",
                                                t.kind.modifier(),
                                            )>{t.text}</span>
                                        }
                                    })
                                    .collect_view()}
                                "\n"
                            </span>
                        }
                    })
                    .collect_view()}
            </code>
        </pre>
    }
}
