//! `/rollouts/:id`: the detailed rollout page (first version: the top line).

pub mod app_view;

use crate::api::client;
use app_view::ApplicationView;
use crate::components::status_icon::StatusIcon;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RolloutPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let detail = LocalResource::new(move || {
        let id = id();
        async move { client::rollout(&id).await }
    });
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading rollout…"</p> }>
            <ErrorBoundary fallback=|errors| view! {
                <p role="alert" class="error">
                    {move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}
                </p>
            }>
                {move || Suspend::new(async move {
                    detail.await.map(|r| view! {
                        <h1 class="page__title">
                            <StatusIcon status=r.status precise=true/>
                            {r.spot_deployment.name.clone()}
                        </h1>
                        <p>{r.id.clone()}</p>
                        <ApplicationView rollout_id=r.id.clone()/>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
