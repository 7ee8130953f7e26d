//! `/rollouts`: the list of rollouts (first version: the API's answer, unfiltered).

use crate::api::client;
use crate::components::status_icon::StatusIcon;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn RolloutsPage() -> impl IntoView {
    let list = LocalResource::new(|| client::rollouts("limit=200"));
    view! {
        <h1 class="page__title">"Rollouts"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading rollouts…"</p> }>
            <ErrorBoundary fallback=|errors| view! {
                <p role="alert" class="error">
                    {move || errors.get().into_iter().map(|(_, e)| e.to_string()).collect::<Vec<_>>().join("; ")}
                </p>
            }>
                {move || Suspend::new(async move {
                    list.await.map(|l| view! {
                        <p>{format!("{} rollouts in the last 7 days", l.total)}</p>
                        <ul class="plain-list">
                            <For each=move || l.items.clone() key=|r| r.id.clone() let:r>
                                <li>
                                    <StatusIcon status=r.status/>
                                    <A href=format!("/rollouts/{}", r.id)>{r.spot_deployment.name.clone()}</A>
                                    " " {r.id.clone()}
                                </li>
                            </For>
                        </ul>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
