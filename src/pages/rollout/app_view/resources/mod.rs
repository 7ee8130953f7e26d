//! The Resources tab: one row per pod, grouped by replica set, and the services; live.

mod data;

use crate::components::export_tools::ExportTools;
use crate::context::server_info::expect_server_info;
use crate::model::export::{count_noun, pod_version_label, ExportFile};
use crate::model::resources::{age, pod_groups, pod_health, PodGroup};
use chrono::{DateTime, Utc};
use data::ResourcesData;
use leptos::prelude::*;
use rollout_api::Service;

const FILES: [ExportFile; 2] = [ExportFile::ResourcesCsv, ExportFile::ResourcesJson];

/// Pods by replica set and services, refetched (at most every 2 s) when the rollout changes.
#[component]
pub fn ResourcesTab(
    /// The rollout whose resources are shown.
    #[prop(into)]
    rollout_id: Signal<String>,
) -> impl IntoView {
    let data = ResourcesData::new(rollout_id);
    // Pod ages follow the server's clock.
    let now = expect_server_info().now;
    let (current, pods) = (data.current, data.pods);
    let nothing = Signal::derive(move || current.with(Option::is_none));
    let failed = move || match data.fetched.get() {
        Some(Err(e)) => {
            let text = format!("Resources could not be read: {e}");
            Some(view! {
                <p role="alert" class="error">
                    {text}
                </p>
            })
        }
        _ => None,
    };
    let body = move || match current.get() {
        None => view! { <p class="muted">"Loading resources…"</p> }.into_any(),
        Some(res) => {
            let groups = pod_groups(&res);
            let none = groups.is_empty().then(|| {
                view! { <p class="app-view__empty">"No pods are running for this rollout."</p> }
            });
            view! {
                {none}
                {groups.into_iter().map(|g| pod_group(g, now)).collect_view()}
                {services(res.services)}
            }
            .into_any()
        }
    };
    view! {
        <div class="app-view__toolbar">
            <span class="app-view__count muted">
                {move || count_noun(pods.get(), "pod", "pods")}
            </span>
            <ExportTools
                label="Export"
                files=FILES.to_vec()
                file_stem=rollout_id
                on_export=Callback::new(move |f| data.export(f))
                on_copy=Callback::new(move |()| data.copy())
                disabled=nothing
            />
        </div>
        {failed}
        {body}
    }
}

fn pod_group(g: PodGroup, now: Signal<DateTime<Utc>>) -> impl IntoView {
    let heading = match &g.replica_set {
        Some(rs) => format!("ReplicaSet {}", rs.name),
        None => format!("ReplicaSet {} (not part of this rollout)", g.name),
    };
    let version = g
        .replica_set
        .as_ref()
        .map(|rs| pod_version_label(rs.version));
    let title_id = format!("resources-rs-{}", g.name);
    let no_pods = g.pods.is_empty();
    view! {
        <section class="resources__group">
            <h3 class="resources__title" id=title_id.clone()>
                {heading}
                {version
                    .map(|v| {
                        view! {
                            <span class=format!("resources__badge resources__badge--{v}")>{v}</span>
                        }
                    })}
            </h3>
            {g
                .replica_set
                .as_ref()
                .map(|rs| {
                    view! {
                        <p class="resources__meta muted">
                            <span class="mono">{rs.image.clone()}</span>
                            {format!(
                                " · revision {} · {} desired, {} ready",
                                rs.revision,
                                rs.desired,
                                rs.ready,
                            )}
                        </p>
                    }
                })}
            {no_pods
                .then(|| {
                    let scaled_down = g.replica_set.as_ref().is_some_and(|rs| rs.desired == 0);
                    view! {
                        <p class="resources__none muted">
                            {if scaled_down {
                                "No pods: this replica set is scaled down to 0."
                            } else {
                                "No pods yet."
                            }}
                        </p>
                    }
                })}
            <table
                class="resources__table resources__table--pods"
                aria-labelledby=title_id
                hidden=no_pods
            >
                <thead>
                    <tr>
                        <th scope="col">"Pod"</th>
                        <th scope="col">"Version"</th>
                        <th scope="col">"Phase"</th>
                        <th scope="col">"Ready"</th>
                        <th scope="col">"Restarts"</th>
                        <th scope="col">"Age"</th>
                        <th scope="col">"Node"</th>
                    </tr>
                </thead>
                <tbody>
                    {g
                        .pods
                        .into_iter()
                        .map(|p| {
                            let created = p.created_at;
                            let restarted = p.restarts > 0;
                            let (health, health_label) = pod_health(p.health);
                            let (name_tip, node_tip) = (p.name.clone(), p.node.clone());
                            view! {
                                <tr class=format!("resources__pod resources__pod--{health}")>
                                    <td class="mono" title=name_tip>
                                        {p.name}
                                    </td>
                                    <td>{pod_version_label(p.version)}</td>
                                    <td class="resources__phase" title=health_label>
                                        <span class="resources__dot" aria-hidden="true"></span>
                                        {p.status}
                                    </td>
                                    <td>{p.containers_readiness}</td>
                                    <td class:resources__restarts=restarted>{p.restarts}</td>
                                    <td title=crate::model::time::format_exact(
                                        created,
                                    )>{move || age(created, now.get())}</td>
                                    <td class="mono" title=node_tip>
                                        {p.node}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn services(list: Vec<Service>) -> impl IntoView {
    (!list.is_empty()).then(|| view! {
        <section class="resources__group">
            <h3 class="resources__title" id="resources-services">
                "Services"
            </h3>
            <table class="resources__table" aria-labelledby="resources-services">
                <thead>
                    <tr>
                        <th scope="col">"Service"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Selector"</th>
                        <th scope="col">"Ports"</th>
                        <th scope="col">"Traffic"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|s| {
                            view! {
                                <tr>
                                    <td class="mono">{format!("{}/{}", s.namespace, s.name)}</td>
                                    <td>{s.role.unwrap_or_else(|| "—".into())}</td>
                                    <td class="mono">
                                        {s
                                            .selector
                                            .iter()
                                            .map(|(k, v)| format!("{k}={v}"))
                                            .collect::<Vec<_>>()
                                            .join(", ")}
                                    </td>
                                    <td>
                                        {s
                                            .ports
                                            .iter()
                                            .map(u16::to_string)
                                            .collect::<Vec<_>>()
                                            .join(", ")}
                                    </td>
                                    <td>{format!("{} %", s.weight)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    })
}
