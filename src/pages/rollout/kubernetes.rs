//! The Argo Rollout behind a Kubernetes rollout, as `kubectl argo rollouts get rollout` shows
//! it: status word and message, strategy, step, weights, images with roles, replicas.

use crate::components::copy_button::CopyButton;
use crate::model::kubernetes::{
    as_plugin_text, image_line, replica_figures, strategy_figures, PhaseTone,
};
use leptos::prelude::*;
use rollout_api::KubernetesInfo;

/// A compact block with the plugin's figures; nothing for simulator rollouts.
#[component]
pub fn KubernetesFigures(
    /// The `kubernetes` block of the rollout detail (None for simulator rollouts).
    #[prop(into)]
    info: Signal<Option<KubernetesInfo>>,
) -> impl IntoView {
    move || {
        info.get().map(|k| {
            let tone = PhaseTone::of(&k.phase).modifier();
            let title = format!("{} {}", k.kind, k.name);
            let figures = strategy_figures(&k);
            let replicas = replica_figures(&k);
            let images = k.images.clone();
            let text = as_plugin_text(&k);
            let copy = Callback::new(move |()| {
                (text.clone(), "Copied as kubectl prints it".to_string())
            });
            view! {
                <section class="kube-figures" aria-labelledby="kube-figures-title">
                    <h2 id="kube-figures-title" class="kube-figures__title">
                        {title}
                        <span class="kube-figures__hint muted">
                            " · as kubectl argo rollouts get rollout shows it"
                        </span>
                    </h2>
                    <div class="kube-figures__copy">
                        <CopyButton
                            content=copy
                            label="Copy as kubectl argo rollouts prints it"
                            ghost=true
                        />
                    </div>
                    <dl class="kube-figures__list">
                        <div class="kube-figures__item">
                            <dt>"Status"</dt>
                            <dd>
                                <span class=format!(
                                    "kube-figures__phase kube-figures__phase--{tone}",
                                )>{k.phase.clone()}</span>
                            </dd>
                        </div>
                        {k
                            .message
                            .clone()
                            .map(|m| {
                                view! {
                                    <div class="kube-figures__item kube-figures__item--wide">
                                        <dt>"Message"</dt>
                                        <dd>{m}</dd>
                                    </div>
                                }
                            })}
                        {figures
                            .into_iter()
                            .map(|f| {
                                view! {
                                    <div class="kube-figures__item">
                                        <dt>{f.label}</dt>
                                        <dd>
                                            {if f.value.is_empty() {
                                                "—".to_string()
                                            } else {
                                                f.value
                                            }}
                                        </dd>
                                    </div>
                                }
                            })
                            .collect_view()}
                        <div class="kube-figures__item kube-figures__item--wide">
                            <dt>"Images"</dt>
                            <dd>
                                {if images.is_empty() {
                                    view! { <span class="muted">"none running"</span> }.into_any()
                                } else {
                                    view! {
                                        <ul class="kube-figures__images">
                                            {images
                                                .into_iter()
                                                .map(|i| {
                                                    let line = image_line(&i);
                                                    view! {
                                                        <li title=line>
                                                            <code>{i.image}</code>
                                                            {i
                                                                .roles
                                                                .into_iter()
                                                                .map(|r| {
                                                                    view! { <span class="kube-figures__role">{r}</span> }
                                                                })
                                                                .collect_view()}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </dd>
                        </div>
                        <div class="kube-figures__item kube-figures__item--wide">
                            <dt>"Replicas"</dt>
                            <dd class="kube-figures__replicas">
                                {replicas
                                    .into_iter()
                                    .map(|f| {
                                        view! {
                                            <span>{f.label} " " <strong>{f.value}</strong></span>
                                        }
                                    })
                                    .collect_view()}
                            </dd>
                        </div>
                    </dl>
                </section>
            }
        })
    }
}
