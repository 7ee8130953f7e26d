//! The workload's header: name and status, where it runs, its type and pods, and a link to its
//! rollouts in the list.

use crate::components::workload_status_icon::WorkloadStatusIcon;
use crate::model::list::{DateRange, ListQuery, Preset};
use crate::model::workloads::workload_status;
use crate::url;
use leptos::prelude::*;
use leptos_router::components::A;
use rollout_api::Workload;

#[component]
pub fn WorkloadHeader(
    /// The workload, live.
    workload: Memo<Option<Workload>>,
) -> impl IntoView {
    let field = move |f: fn(&Workload) -> String| {
        move || workload.with(|w| w.as_ref().map(f).unwrap_or_default())
    };
    let status = move || workload.with(|w| w.as_ref().map(workload_status));
    let rollouts_href = move || {
        workload
            .with(|w| {
                w.as_ref().map(|w| {
                    ListQuery {
                        range: DateRange::Last(Preset::Quarter),
                        ..ListQuery::default()
                    }
                    .with_cluster(Some(w.cluster_id.clone()))
                    .with_namespace(Some(w.namespace.clone()))
                    .with_spot_deployment(Some(w.name.clone()))
                    .href()
                })
            })
            .unwrap_or_default()
    };
    view! {
        <header class="workload__head">
            <p class="workload__crumbs">
                <A href=url::WORKLOADS>"Workloads"</A>
                " / "
                {field(|w| w.cluster_id.clone())}
                " / "
                {field(|w| w.namespace.clone())}
            </p>
            <div class="workload__title-row">
                {move || status().map(|s| view! { <WorkloadStatusIcon status=s /> })}
                <h1 class="page__title workload__title" id="workload-title">
                    {field(|w| w.name.clone())}
                </h1> <span class="chip chip--type">{field(|w| w.kind.clone())}</span>
                <span class="workload__status">{move || status().map(|s| s.label())}</span>
            </div>
            <dl class="workload__meta">
                <div>
                    <dt>"Cluster"</dt>
                    <dd>{field(|w| w.cluster_id.clone())}</dd>
                </div>
                <div>
                    <dt>"Namespace"</dt>
                    <dd>{field(|w| w.namespace.clone())}</dd>
                </div>
                <div>
                    <dt>"Type"</dt>
                    <dd>{field(|w| w.kind.clone())}</dd>
                </div>
                <div>
                    <dt>"Ready pods"</dt>
                    <dd>{field(|w| format!("{} / {}", w.replicas.ready, w.replicas.desired))}</dd>
                </div>
                <div>
                    <dt>"Desired / live revision"</dt>
                    <dd>{field(|w| format!("{} / {}", w.desired_revision, w.live_revision))}</dd>
                </div>
            </dl>
            <A href=rollouts_href attr:class="workload__rollouts-link">
                "Its rollouts in the list"
            </A>
        </header>
    }
}
