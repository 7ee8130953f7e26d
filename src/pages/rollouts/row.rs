//! One row of the rollouts table.

use crate::components::icon::{Icon, IconKind};
use crate::components::status_icon::StatusIcon;
use crate::model::list_rows::short_image;
use crate::model::time::{format_duration, format_exact, format_short};
use crate::url;
use leptos::prelude::*;
use rollout_api::{duration_seconds, RolloutSummary, Timestamp};

/// A rollout at a position of the filtered, sorted list. Rows are keyed by this value: a row
/// is re-created when its position or anything it shows changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowItem {
    /// 0-based position in the list (not in the rendered window).
    pub pos: usize,
    pub rollout: RolloutSummary,
}

/// A table row: the first cell links to the rollout (named by its SpotDeployment) and offers
/// the CRD diff; the duration of a running rollout ticks.
#[component]
pub fn RolloutRow(
    /// The rollout and its position.
    item: RowItem,
    /// The server's now, ticking, for running rollouts' durations.
    now: Signal<Timestamp>,
) -> impl IntoView {
    let RowItem { pos, rollout: r } = item;
    let href = url::rollout(&r.id);
    let diff_href = url::rollout_tab(&r.id, "diff");
    let name = r.spot_deployment.name.clone();
    let running = r.end_time.is_none();
    let duration = {
        let r = r.clone();
        // Only running rows follow the clock; a completed one never changes.
        move || {
            let t = if running { now.get() } else { r.start_time };
            format_duration(duration_seconds(&r, t))
        }
    };
    let strategy_kind = r.strategy_type.label();
    let row_href = href.clone();
    let diff_label = format!("CRD diff of {name}");
    view! {
        <tr class="rollouts-table__row" aria-rowindex=pos + 2 data-href=row_href>
            <td class="rollouts-table__cell rollouts-table__cell--name">
                <StatusIcon status=r.status />
                // Plain anchors (the router still navigates them in place): `<A>` costs a few
                // reactive nodes each, and rows are made and dropped on every scroll.
                <a href=href class="rollouts-table__link" data-pos=pos.to_string()>
                    {name}
                </a>
                <a
                    href=diff_href
                    class="rollouts-table__diff"
                    aria-label=diff_label
                    title="CRD diff"
                >
                    <Icon kind=IconKind::Diff />
                </a>
            </td>
            <td class="rollouts-table__cell">{r.status.label()}</td>
            <td class="rollouts-table__cell mono" title=r.image.clone()>
                {short_image(&r.image).to_string()}
            </td>
            <td class="rollouts-table__cell" title=format!("{strategy_kind} strategy")>
                {r.strategy_name.clone()}
            </td>
            <td class="rollouts-table__cell" title=format_exact(r.start_time)>
                <time datetime=r.start_time.to_rfc3339()>{format_short(r.start_time)}</time>
            </td>
            <td
                class="rollouts-table__cell rollouts-table__cell--num"
                class=("rollouts-table__cell--ticking", running)
            >
                {duration}
            </td>
            <td class="rollouts-table__cell">{r.cluster_id.clone()}</td>
            <td class="rollouts-table__cell">{r.namespace.clone()}</td>
            <td class="rollouts-table__cell">{r.rollout_spec.clone()}</td>
            <td class="rollouts-table__cell mono">{r.id.clone()}</td>
        </tr>
    }
}
