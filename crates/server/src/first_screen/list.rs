//! The first screen of `/rollouts`: the console's default view (last 7 days, newest first)
//! with its title, count, summary bar, filters (a real GET form) and the first rows.

use super::html::Html;
use crate::listing::{list_rollouts, Filter, ListParams};
use rollout_api::icon::IconKind;
use rollout_api::text::{
    count_text, figures, format_duration, format_exact, format_short, rollout_href, short_image,
    Preset, SortDir, SortKey,
};
use rollout_api::{duration_seconds, RolloutSummary, StatusGroup, Timestamp};
use std::collections::BTreeSet;

/// Rows written: a screenful on any display (the console draws what is in view plus 10).
pub const FIRST_ROWS: usize = 30;

/// The console's default sort: start time, newest first.
const SORT: (SortKey, SortDir) = (SortKey::Start, SortDir::Desc);

/// Id of the title (`fs-`: the console's own page, mounted beside it, has `rollouts-title`).
const TITLE_ID: &str = "fs-rollouts-title";

/// What each filter offers: the values of the rows in the window, and each status group with
/// its count (the console's facets of an unfiltered view).
#[derive(Default)]
struct Facets<'a> {
    clusters: BTreeSet<&'a str>,
    namespaces: BTreeSet<&'a str>,
    spot_deployments: BTreeSet<&'a str>,
    status_counts: [usize; StatusGroup::ALL.len()],
}

impl<'a> Facets<'a> {
    fn of(all: &'a [RolloutSummary], filter: &Filter) -> Facets<'a> {
        let mut f = Facets::default();
        for r in all.iter().filter(|r| filter.matches(r)) {
            f.clusters.insert(&r.cluster_id);
            f.namespaces.insert(&r.namespace);
            f.spot_deployments.insert(&r.spot_deployment.name);
            let g = r.status.group();
            if let Some(k) = StatusGroup::ALL.iter().position(|x| *x == g) {
                f.status_counts[k] += 1;
            }
        }
        f
    }
}

/// The page's `<section class="rollouts">`, or None when the window is empty (the console
/// then shows its empty state, not a table).
pub fn rollouts(all: &[RolloutSummary], now: Timestamp) -> Option<String> {
    let mut filter = Filter::parse(&ListParams::default(), now).ok()?;
    // Twice the rows, ordered as the console orders them (for rollouts started in the same
    // second, Kubernetes' timestamp grain, it goes by id where the API goes by creation), so
    // the rows do not swap places when the console takes over.
    filter.limit = 2 * FIRST_ROWS;
    let mut list = list_rollouts(all, &filter);
    if list.total == 0 {
        return None;
    }
    list.items
        .sort_by(|x, y| (y.start_time, &y.id).cmp(&(x.start_time, &x.id)));
    list.items.truncate(FIRST_ROWS);
    let mut h = Html::default();
    h.open(
        "section",
        &[("class", "rollouts"), ("aria-labelledby", TITLE_ID)],
    );
    head(&mut h, list.total);
    summary_bar(&mut h, &list.summary);
    filters(&mut h, &Facets::of(all, &filter));
    table(&mut h, &list.items, list.total, now);
    h.close("section");
    Some(h.into_string())
}

/// Title, "65 rollouts in the last 7 days", and the keyboard hints.
fn head(h: &mut Html, total: usize) {
    h.open("header", &[("class", "rollouts__head")])
        .element(
            "h1",
            &[("class", "page__title rollouts__title"), ("id", TITLE_ID)],
            "Rollouts",
        )
        .element(
            "p",
            &[("class", "rollouts__count")],
            &count_text(total, total, Preset::Week.phrase()),
        )
        .open(
            "p",
            &[("class", "rollouts__keys muted"), ("aria-hidden", "true")],
        )
        .element("kbd", &[], "/")
        .text(" search · ")
        .element("kbd", &[], "↑")
        .element("kbd", &[], "↓")
        .text(" rows · ")
        .element("kbd", &[], "Enter")
        .text(" open")
        .close("p")
        .close("header");
}

/// The console's `SummaryBar`.
fn summary_bar(h: &mut Html, summary: &rollout_api::ListSummary) {
    h.open("dl", &[("class", "summary-bar")]);
    for f in figures(summary) {
        let tone = f
            .tone
            .map(|t| format!("summary-bar__value--{t}"))
            .unwrap_or_default();
        h.open("div", &[("class", "summary-bar__item"), ("title", &f.hint)])
            .element("dt", &[("class", "summary-bar__label")], f.label)
            .element(
                "dd",
                &[("class", &format!("summary-bar__value {tone}"))],
                &f.value,
            )
            .close("div");
    }
    h.close("dl");
}

/// A labelled field of the filter bar, its control written by `control`.
fn field(h: &mut Html, class: &'static str, label: &str, control: impl FnOnce(&mut Html)) {
    h.open("label", &[("class", class)])
        .element("span", &[("class", "filters__label")], label);
    control(h);
    h.close("label");
}

/// A select named by the console's URL query key, "all" (value "") first.
fn select<'a>(
    h: &mut Html,
    name: &'static str,
    options: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    h.open("select", &[("class", "filters__control"), ("name", name)]);
    for (value, text) in options {
        h.element("option", &[("value", value)], text);
    }
    h.close("select");
}

/// The filter bar as a GET form over the console's URL query names (`ListQuery::from_lookup`):
/// submitted before the console runs, it is a navigation the console then reads.
fn filters(h: &mut Html, facets: &Facets) {
    h.open(
        "form",
        &[
            ("class", "filters"),
            ("role", "search"),
            ("aria-label", "Filter rollouts"),
            ("method", "get"),
            ("action", "/rollouts"),
        ],
    );
    field(h, "filters__field", "Date range", |h| {
        h.open(
            "select",
            &[("class", "filters__control"), ("name", "range")],
        );
        for p in Preset::ALL {
            let attrs: &[(&str, &str)] = if p == Preset::Week {
                &[("value", p.key()), ("selected", "")]
            } else {
                &[("value", p.key())]
            };
            h.element("option", attrs, p.label());
        }
        h.element("option", &[("value", "custom")], "Custom range")
            .close("select");
    });
    let facet = |h: &mut Html, label, name, all, values: &BTreeSet<&str>| {
        field(h, "filters__field", label, |h| {
            select(
                h,
                name,
                [("", all)]
                    .into_iter()
                    .chain(values.iter().map(|v| (*v, *v))),
            )
        })
    };
    facet(h, "Cluster", "clusterId", "All clusters", &facets.clusters);
    facet(
        h,
        "Namespace",
        "namespace",
        "All namespaces",
        &facets.namespaces,
    );
    facet(
        h,
        "SpotDeployment",
        "spotDeployment",
        "All SpotDeployments",
        &facets.spot_deployments,
    );
    field(h, "filters__field", "Status", |h| {
        let counted: Vec<(&str, String)> = StatusGroup::ALL
            .iter()
            .zip(facets.status_counts)
            .map(|(g, n)| (g.key(), format!("{} ({n})", g.label())))
            .collect();
        select(
            h,
            "status",
            [("", "All statuses")]
                .into_iter()
                .chain(counted.iter().map(|(k, t)| (*k, t.as_str()))),
        )
    });
    field(h, "filters__field filters__field--search", "Search", |h| {
        h.open(
            "input",
            &[
                ("class", "filters__control"),
                ("type", "search"),
                ("name", "q"),
                ("placeholder", "Name, image, id, namespace…   ( / )"),
                ("autocomplete", "off"),
                ("spellcheck", "false"),
            ],
        );
    });
    h.close("form");
}

/// The console's `RolloutTable` with its first rows.
fn table(h: &mut Html, rows: &[RolloutSummary], total: usize, now: Timestamp) {
    h.open("div", &[("class", "rollouts__scroll")]).open(
        "table",
        &[
            ("class", "rollouts-table"),
            ("aria-labelledby", TITLE_ID),
            ("aria-rowcount", &(total + 1).to_string()),
        ],
    );
    h.open("colgroup", &[]);
    for k in SortKey::ALL {
        h.open(
            "col",
            &[("class", &format!("rollouts-table__col--{}", k.key()))],
        );
    }
    h.close("colgroup")
        .open("thead", &[])
        .open("tr", &[("aria-rowindex", "1")]);
    for k in SortKey::ALL {
        let (aria, arrow) = if k == SORT.0 {
            (SORT.1.aria(), SORT.1.arrow())
        } else {
            ("none", "")
        };
        h.open(
            "th",
            &[
                ("scope", "col"),
                ("class", "rollouts-table__head"),
                ("aria-sort", aria),
            ],
        )
        .open("button", &[("type", "button"), ("class", "sort-button")])
        .text(k.label())
        .element(
            "span",
            &[("class", "sort-button__arrow"), ("aria-hidden", "true")],
            arrow,
        )
        .close("button")
        .close("th");
    }
    h.close("tr").close("thead").open("tbody", &[]);
    spacer(h);
    for (pos, r) in rows.iter().enumerate() {
        row(h, pos, r, now);
    }
    spacer(h);
    h.close("tbody").close("table").close("div");
}

/// The console's spacer row (its height, set by the console through the CSSOM, is 0 here).
fn spacer(h: &mut Html) {
    h.open(
        "tr",
        &[("class", "rollouts-table__spacer"), ("aria-hidden", "true")],
    )
    .element("td", &[("colspan", "10")], "")
    .close("tr");
}

/// The console's `RolloutRow`.
fn row(h: &mut Html, pos: usize, r: &RolloutSummary, now: Timestamp) {
    let href = rollout_href(&r.id);
    let diff_href = format!("{href}?tab=diff");
    let name = &r.spot_deployment.name;
    let running = r.end_time.is_none();
    let t = if running { now } else { r.start_time };
    let cell = |h: &mut Html, text: &str| {
        h.element("td", &[("class", "rollouts-table__cell")], text);
    };
    h.open(
        "tr",
        &[
            ("class", "rollouts-table__row"),
            ("aria-rowindex", &(pos + 2).to_string()),
            ("data-href", &href),
        ],
    )
    .open(
        "td",
        &[("class", "rollouts-table__cell rollouts-table__cell--name")],
    )
    .status_icon(r.status, r.status.group().label())
    .element(
        "a",
        &[
            ("href", &href),
            ("class", "rollouts-table__link"),
            ("data-pos", &pos.to_string()),
        ],
        name,
    )
    .open(
        "a",
        &[
            ("href", &diff_href),
            ("class", "rollouts-table__diff"),
            ("aria-label", &format!("CRD diff of {name}")),
            ("title", "CRD diff"),
        ],
    )
    .icon(IconKind::Diff)
    .close("a")
    .close("td");
    cell(h, r.status.label());
    h.element(
        "td",
        &[("class", "rollouts-table__cell mono"), ("title", &r.image)],
        short_image(&r.image),
    )
    .element(
        "td",
        &[
            ("class", "rollouts-table__cell"),
            ("title", &format!("{} strategy", r.strategy_type.label())),
        ],
        &r.strategy_name,
    )
    .open(
        "td",
        &[
            ("class", "rollouts-table__cell"),
            ("title", &format_exact(r.start_time)),
        ],
    )
    .element(
        "time",
        &[("datetime", &r.start_time.to_rfc3339())],
        &format_short(r.start_time),
    )
    .close("td")
    .element(
        "td",
        &[(
            "class",
            if running {
                "rollouts-table__cell rollouts-table__cell--num rollouts-table__cell--ticking"
            } else {
                "rollouts-table__cell rollouts-table__cell--num"
            },
        )],
        &format_duration(duration_seconds(r, t)),
    );
    cell(h, &r.cluster_id);
    cell(h, &r.namespace);
    cell(h, &r.rollout_spec);
    h.element("td", &[("class", "rollouts-table__cell mono")], &r.id)
        .close("tr");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::fixtures::{now, r};
    use rollout_api::RolloutStatus;

    /// The rollout ids of the first screen's rows, in order.
    fn row_ids(html: &str) -> Vec<&str> {
        html.split("<td class=\"rollouts-table__cell mono\">")
            .skip(1)
            .filter_map(|cell| cell.split('<').next())
            .collect()
    }

    #[test]
    fn rows_started_in_the_same_second_are_in_the_consoles_order() {
        // Listed newest first by creation: rol-b was created after rol-c, both started at
        // once; the console breaks that tie by id (newest first: c before b), and so must the
        // first screen, or the rows swap when the console takes over.
        let all = vec![
            r("rol-a", 0, RolloutStatus::InProgress, "checkout"),
            r("rol-b", 5, RolloutStatus::Finished, "cart"),
            r("rol-c", 5, RolloutStatus::Finished, "search"),
            r("rol-d", 9, RolloutStatus::Finished, "ingest"),
        ];
        let html = rollouts(&all, now()).unwrap();
        assert_eq!(row_ids(&html), ["rol-a", "rol-c", "rol-b", "rol-d"]);
    }

    #[test]
    fn a_screenful_of_rows_at_most() {
        let all: Vec<_> = (0..100)
            .map(|i| r(&format!("rol-{i:03}"), i, RolloutStatus::Finished, "cart"))
            .collect();
        let html = rollouts(&all, now()).unwrap();
        let ids = row_ids(&html);
        assert_eq!(ids.len(), FIRST_ROWS);
        assert_eq!((ids[0], ids[FIRST_ROWS - 1]), ("rol-000", "rol-029"));
    }
}
