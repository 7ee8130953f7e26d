//! `/workloads/:cluster/:namespace/:name`: one workload — its status, why it is Degraded or
//! blocked and how to fix it, what waits for a person, its revision history (Desired / Live /
//! Degraded) and the trend of its recent rollouts. Live throughout.

mod banners;
mod data;
mod degraded_banner;
mod header;
mod revisions;
mod trend;

use crate::components::banner::Banner;
use crate::context::fleet::{expect_fleet, FleetLoad};
use crate::pages::attention::AttentionList;
use banners::WorkloadBanners;
use data::WorkloadData;
use header::WorkloadHeader;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use revisions::RevisionHistory;
use trend::RolloutTrend;

#[component]
pub fn WorkloadPage() -> impl IntoView {
    let fleet = expect_fleet();
    let params = use_params_map();
    let address = Memo::new(move |_| {
        params.with(|p| {
            let get = |k: &str| p.get(k).unwrap_or_default();
            (get("cluster"), get("namespace"), get("name"))
        })
    });
    let data = WorkloadData::new(fleet, address);
    let workload = data.workload;
    let items = Memo::new(move |_| {
        let (c, ns, n) = address.get();
        fleet.attention.with(|all| {
            all.iter()
                .filter(|i| i.is_about(&c, &ns, &n))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let missing = move || {
        let (c, ns, n) = address.get();
        match fleet.load.get() {
            FleetLoad::Loading => view! {
                <p class="list-state" role="status">
                    "Loading the workload…"
                </p>
            }
            .into_any(),
            FleetLoad::Failed(e) => view! {
                <Banner
                    tone="danger"
                    alert=true
                    title=format!("The workload could not be loaded: {e}")
                >
                    <button type="button" class="btn" on:click=move |_| fleet.reload()>
                        "Retry"
                    </button>
                </Banner>
            }
            .into_any(),
            FleetLoad::Ready => view! {
                <div class="empty-state">
                    <h1>"Workload not found"</h1>
                    <p>{format!("No workload {n} in {c} / {ns}.")}</p>
                    <A href=crate::url::WORKLOADS>"All workloads"</A>
                </div>
            }
            .into_any(),
        }
    };
    view! {
        <Show when=move || workload.with(Option::is_some) fallback=missing>
            <article class="workload" aria-labelledby="workload-title">
                <WorkloadHeader workload=workload />
                <Show when=move || data.removed.with(Option::is_some)>
                    <Banner
                        tone="info"
                        title=Signal::derive(move || data.removed.get().unwrap_or_default())
                        kind="degraded-removed"
                    >
                        <p>
                            "The rolled-back version left the SpotDeployment; the page shows the workload as it is now."
                        </p>
                    </Banner>
                </Show>
                <WorkloadBanners workload=workload />
                <section class="workload__section" aria-labelledby="workload-attention">
                    <h2 class="workload__heading" id="workload-attention">
                        "Needs attention"
                    </h2>
                    <AttentionList items=items empty="Nothing about this workload needs you." />
                </section>
                <RevisionHistory workload=workload />
                <RolloutTrend trend=data.trend />
            </article>
        </Show>
    }
}
