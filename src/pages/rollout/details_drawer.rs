//! The "Rollout details" drawer: the complete Strategy and RolloutSpec YAML.

use crate::api::client::ApiError;
use crate::components::copy_button::CopyButton;
use crate::components::drawer::Drawer;
use crate::components::icon::{Icon, IconKind};
use crate::components::yaml_view::YamlView;
use crate::dom::download::download_text;
use crate::model::export::YAML_MIME;
use leptos::prelude::*;
use rollout_api::Definition;

fn yaml_section(heading: &'static str, name: String, yaml: String) -> impl IntoView {
    let filename = format!("{}.yaml", name.replace(['/', ' '], "-"));
    let text = yaml.clone();
    let download = move |_| download_text(&filename, YAML_MIME, &text);
    let text = yaml.clone();
    let copy = Callback::new(move |()| (text.clone(), "Copied".to_string()));
    view! {
        <section class="details__section">
            <div class="details__head">
                <h3 class="details__heading">{heading}</h3>
                <span class="details__name">{name.clone()}</span>
                <CopyButton content=copy label=format!("Copy {heading} YAML") ghost=true />
                <button
                    type="button"
                    class="btn btn--ghost"
                    on:click=download
                    aria-label=format!("Download {heading} YAML")
                >
                    <Icon kind=IconKind::Download />
                    "Download"
                </button>
            </div>
            <YamlView text=yaml label=format!("{heading} YAML") />
        </section>
    }
}

/// A drawer (named "Rollout details") with the Strategy and RolloutSpec YAML the rollout runs,
/// syntax-coloured, each with copy and download; the verification templates follow.
#[component]
pub fn DetailsDrawer(
    /// Whether the drawer is open.
    #[prop(into)]
    open: Signal<bool>,
    /// Closes it.
    on_close: Callback<()>,
    /// `/definition` of the rollout, fetched by the page while the drawer is open.
    definition: LocalResource<Option<Result<Definition, ApiError>>>,
    /// Strategy and RolloutSpec names, for the file names.
    #[prop(into)]
    names: Signal<(String, String)>,
) -> impl IntoView {
    view! {
        <Drawer open=open title="Rollout details" on_close=on_close>
            {move || match definition.get().flatten() {
                None => {
                    view! {
                        <p class="muted" role="status">
                            "Loading the definition…"
                        </p>
                    }
                        .into_any()
                }
                Some(Err(e)) => {
                    view! {
                        <p class="error" role="alert">
                            {format!("The definition could not be loaded: {e}")}
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(def)) => {
                    let (strategy, spec) = names.get_untracked();
                    let templates: Vec<_> = def
                        .phase_verifications
                        .iter()
                        .chain(def.background_verifications.iter())
                        .cloned()
                        .collect();
                    view! {
                        {yaml_section("Strategy", strategy, def.strategy.clone())}
                        {yaml_section("RolloutSpec", spec, def.rollout_spec.clone())}
                        {templates
                            .into_iter()
                            .map(|t| yaml_section("VerificationTemplate", t.name, t.yaml))
                            .collect_view()}
                    }
                        .into_any()
                }
            }}
        </Drawer>
    }
}
