//! One cluster: name and id, cloud, operator, heartbeat, live rollouts, and when its heartbeat
//! is lost what that means now and what to do.

use crate::components::banner::Banner;
use crate::context::fleet::expect_fleet;
use crate::context::server_info::expect_server_info;
use crate::model::clusters::{
    cluster_rollouts, heartbeat_lost, heartbeat_meaning, heartbeat_state, lost_since,
};
use crate::model::list::ListQuery;
use crate::model::time::{format_exact, format_relative};
use crate::url;
use leptos::prelude::*;
use leptos_router::components::A;
use rollout_api::Cluster;

#[component]
pub fn ClusterCard(
    /// The cluster as last reported.
    cluster: Cluster,
) -> impl IntoView {
    let fleet = expect_fleet();
    let now = expect_server_info().now;
    let id = cluster.id.clone();
    let rollouts = Memo::new(move |_| fleet.workloads.with(|w| cluster_rollouts(&id, w)));
    let lost = heartbeat_lost(&cluster);
    let last = cluster.last_heartbeat_time;
    let relative = move || match last {
        Some(t) => format_relative(t, now.get()),
        None => "never".into(),
    };
    let state = heartbeat_state(&cluster);
    let since = lost_since(&cluster);
    let badge = move || match since {
        Some(t) => format!("{state} since {}", format_relative(t, now.get())),
        None => state.to_string(),
    };
    let meaning = {
        let c = cluster.clone();
        move || heartbeat_meaning(&c, rollouts.get())
    };
    let title_id = format!("cluster-{}-name", cluster.id);
    let labelledby = title_id.clone();
    let list_href = ListQuery::default()
        .with_cluster(Some(cluster.id.clone()))
        .href();
    view! {
        <li
            class="cluster"
            class=("cluster--lost", lost)
            id=format!("cluster-{}", cluster.id)
            aria-labelledby=labelledby
        >
            <div class="cluster__head">
                <h2 class="cluster__name" id=title_id>
                    {cluster.name.clone()}
                </h2>
                <span class="mono muted">{cluster.id.clone()}</span>
                <span class=if lost {
                    "badge badge--danger"
                } else {
                    "badge badge--success"
                }>{badge}</span>
            </div>
            <dl class="cluster__facts">
                <div>
                    <dt>"Cloud"</dt>
                    <dd>{cluster.cloud_provider.clone()}</dd>
                </div>
                <div>
                    <dt>"Operator"</dt>
                    <dd>
                        {format!(
                            "{} · {}",
                            cluster.operator.version,
                            if cluster.operator.running { "running" } else { "not running" },
                        )}
                    </dd>
                </div>
                <div>
                    <dt>"Last heartbeat"</dt>
                    <dd title=last
                        .map(format_exact)
                        .unwrap_or_default()>
                        {relative}
                        <span class="muted">{last.map(|t| format!(" ({})", format_exact(t)))}</span>
                    </dd>
                </div>
                <div>
                    <dt>"Live rollouts"</dt>
                    <dd>
                        <A href=list_href>
                            {move || {
                                let r = rollouts.get();
                                format!("{} in flight · {} waiting to start", r.running, r.waiting)
                            }}
                        </A>
                    </dd>
                </div>
                <div>
                    <dt>"Events"</dt>
                    <dd>
                        <A href=url::cluster_events(&cluster.id)>"Events outside rollouts"</A>
                    </dd>
                </div>
            </dl>
            {move || {
                meaning()
                    .map(|m| {
                        view! {
                            <Banner
                                tone="danger"
                                title="The operator is not reporting"
                                kind="heartbeat-lost"
                            >
                                <p>{m}</p>
                            </Banner>
                        }
                    })
            }}
        </li>
    }
}
