//! The loaded rollouts of the list page and what the page computes from them: filtering, text
//! search, sorting, the filter choices and the summary. Pure and fast: 10,000 rows filter, sort
//! and summarise in a few milliseconds (see the ignored `bench_*` test and `scripts/bench-list.sh`).

use crate::model::list::{ListQuery, SortDir, SortKey, Window};
use rollout_api::{
    duration_seconds, search_matches, search_words, ListSummary, RolloutSummary, StatusGroup,
    Timestamp,
};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// The rollouts loaded for one date window, kept up to date by the live stream.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RolloutRows {
    items: Vec<RolloutSummary>,
    /// Lower-cased searchable text of each item, built once so typing does not allocate.
    haystacks: Vec<String>,
    window: Window,
}

impl RolloutRows {
    /// The rows of `window` as the server listed them.
    pub fn new(items: Vec<RolloutSummary>, window: Window) -> RolloutRows {
        let haystacks = items.iter().map(RolloutSummary::search_text).collect();
        RolloutRows {
            items,
            haystacks,
            window,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&RolloutSummary> {
        self.items.get(index)
    }

    /// Applies a live update: replaces the rollout with the same id, or adds a new one when it
    /// started inside the loaded window. Returns whether anything changed.
    pub fn upsert(&mut self, r: RolloutSummary) -> bool {
        if let Some(i) = self.items.iter().position(|x| x.id == r.id) {
            if self.items[i] == r {
                return false;
            }
            self.haystacks[i] = r.search_text();
            self.items[i] = r;
            return true;
        }
        let (from, to) = self.window;
        let inside = from.is_none_or(|f| r.start_time >= f) && to.is_none_or(|t| r.start_time <= t);
        if inside {
            self.haystacks.push(r.search_text());
            self.items.push(r);
        }
        inside
    }

    fn matches(&self, i: usize, q: &ListQuery, words: &[String]) -> bool {
        let r = &self.items[i];
        q.cluster.as_ref().is_none_or(|c| *c == r.cluster_id)
            && q.namespace.as_ref().is_none_or(|n| *n == r.namespace)
            && q.spot_deployment
                .as_ref()
                .is_none_or(|s| *s == r.spot_deployment.name)
            && q.status.is_none_or(|s| s == r.status.group())
            && search_matches(&self.haystacks[i], words)
    }

    /// Indices of the rows `q` shows, in its order. `now` sizes running rollouts' durations.
    pub fn visible(&self, q: &ListQuery, now: Timestamp) -> Vec<usize> {
        let words = search_words(&q.q);
        let mut out: Vec<usize> = (0..self.items.len())
            .filter(|&i| self.matches(i, q, &words))
            .collect();
        let items = &self.items;
        // Durations are computed once, not in every comparison.
        let durations: Vec<i64> = match q.sort {
            SortKey::Duration => items.iter().map(|r| duration_seconds(r, now)).collect(),
            _ => Vec::new(),
        };
        let cmp = |a: &usize, b: &usize| {
            let (x, y) = (&items[*a], &items[*b]);
            let primary = match q.sort {
                SortKey::Duration => durations[*a].cmp(&durations[*b]),
                key => compare(x, y, key),
            };
            let primary = match q.dir {
                SortDir::Asc => primary,
                SortDir::Desc => primary.reverse(),
            };
            // Ties: newest first, then by id, so the order never flickers.
            primary
                .then_with(|| y.start_time.cmp(&x.start_time))
                .then_with(|| y.id.cmp(&x.id))
        };
        out.sort_unstable_by(cmp);
        out
    }

    /// The summary line over the given rows.
    pub fn summary(&self, indices: &[usize]) -> ListSummary {
        ListSummary::compute(indices.iter().map(|&i| &self.items[i]))
    }

    /// What each filter can offer, given the other filters (a namespace list narrowed to the
    /// chosen cluster, status counts under the other filters). The chosen values stay listed
    /// even when no loaded row has them, so a shared link never loses its filter silently.
    pub fn facets(&self, q: &ListQuery) -> Facets {
        let words = search_words(&q.q);
        let mut clusters = BTreeSet::new();
        let mut namespaces = BTreeSet::new();
        let mut spot_deployments = BTreeSet::new();
        let mut status_counts = [0usize; StatusGroup::ALL.len()];
        let others = ListQuery {
            status: None,
            ..q.clone()
        };
        for (i, r) in self.items.iter().enumerate() {
            clusters.insert(r.cluster_id.clone());
            let in_cluster = q.cluster.as_ref().is_none_or(|c| *c == r.cluster_id);
            if in_cluster {
                namespaces.insert(r.namespace.clone());
                if q.namespace.as_ref().is_none_or(|n| *n == r.namespace) {
                    spot_deployments.insert(r.spot_deployment.name.clone());
                }
            }
            if self.matches(i, &others, &words) {
                let g = r.status.group();
                if let Some(k) = StatusGroup::ALL.iter().position(|x| *x == g) {
                    status_counts[k] += 1;
                }
            }
        }
        clusters.extend(q.cluster.clone());
        namespaces.extend(q.namespace.clone());
        spot_deployments.extend(q.spot_deployment.clone());
        Facets {
            clusters: clusters.into_iter().collect(),
            namespaces: namespaces.into_iter().collect(),
            spot_deployments: spot_deployments.into_iter().collect(),
            status_counts: StatusGroup::ALL.into_iter().zip(status_counts).collect(),
        }
    }
}

/// The choices the filter controls offer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub clusters: Vec<String>,
    pub namespaces: Vec<String>,
    pub spot_deployments: Vec<String>,
    /// Every status group with how many rows it would show.
    pub status_counts: Vec<(StatusGroup, usize)>,
}

/// Compares by any column but Duration (which needs a clock and is precomputed).
fn compare(x: &RolloutSummary, y: &RolloutSummary, key: SortKey) -> Ordering {
    match key {
        SortKey::SpotDeployment => x.spot_deployment.name.cmp(&y.spot_deployment.name),
        SortKey::Status => x
            .status
            .group()
            .cmp(&y.status.group())
            .then_with(|| x.status.cmp(&y.status)),
        SortKey::Image => x.image.cmp(&y.image),
        SortKey::Strategy => x.strategy_name.cmp(&y.strategy_name),
        SortKey::Start => x.start_time.cmp(&y.start_time),
        SortKey::Duration => Ordering::Equal,
        SortKey::Cluster => x.cluster_id.cmp(&y.cluster_id),
        SortKey::Namespace => x.namespace.cmp(&y.namespace),
        SortKey::RolloutSpec => x.rollout_spec.cmp(&y.rollout_spec),
        SortKey::Id => x.id.cmp(&y.id),
    }
}

pub use rollout_api::text::short_image;

#[cfg(test)]
pub mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use rollout_api::StrategyType;
    use rollout_api::{FailureReason, FailureReasonType, RolloutStatus, SpotDeploymentRef};

    pub fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
    }

    /// A rollout started `minutes_ago`, lasting `length` minutes when completed.
    pub fn row(i: usize, name: &str, status: RolloutStatus, minutes_ago: i64) -> RolloutSummary {
        let start = now() - Duration::minutes(minutes_ago);
        let completed = status.is_completed();
        RolloutSummary {
            id: format!("rol-{i:06}"),
            status,
            strategy_type: StrategyType::Canary,
            strategy_name: if i.is_multiple_of(2) {
                "canary-3-steps"
            } else {
                "canary-fast"
            }
            .into(),
            rollout_spec: format!("{name}-spec"),
            spot_deployment: SpotDeploymentRef {
                name: name.into(),
                is_live_applied: completed,
                revision: (i % 50) as u32 + 1,
            },
            cluster_id: if i.is_multiple_of(3) {
                "staging-eu"
            } else {
                "prod-us-east"
            }
            .into(),
            namespace: ["payments", "storefront", "warehouse", "identity"][i % 4].into(),
            cloud_provider: "AWS".into(),
            start_time: start,
            end_time: completed.then(|| start + Duration::minutes(5 + (i % 40) as i64)),
            image: format!("registry.example.com/team/{name}:1.{}.{}", i % 10, i % 7),
            failure_reason: matches!(status, RolloutStatus::Aborted).then(|| FailureReason {
                kind: FailureReasonType::PhaseVerification,
                message: "error rate above 5%".into(),
            }),
        }
    }

    const NAMES: [&str; 8] = [
        "checkout",
        "cart",
        "search",
        "pricing",
        "catalog",
        "ingest",
        "frontend",
        "reporting",
    ];
    const STATUSES: [RolloutStatus; 7] = [
        RolloutStatus::Finished,
        RolloutStatus::Finished,
        RolloutStatus::Finished,
        RolloutStatus::Aborted,
        RolloutStatus::InProgress,
        RolloutStatus::FailurePolicyPaused,
        RolloutStatus::Canceled,
    ];

    pub fn many(n: usize) -> Vec<RolloutSummary> {
        (0..n)
            .map(|i| {
                row(
                    i,
                    NAMES[i % NAMES.len()],
                    STATUSES[i % STATUSES.len()],
                    i as i64,
                )
            })
            .collect()
    }

    fn names(rows: &RolloutRows, ix: &[usize]) -> Vec<String> {
        ix.iter()
            .map(|&i| rows.get(i).unwrap().spot_deployment.name.clone())
            .collect()
    }

    fn sample() -> RolloutRows {
        RolloutRows::new(
            vec![
                row(1, "checkout", RolloutStatus::InProgress, 5),
                row(2, "cart", RolloutStatus::Paused, 60),
                row(3, "search", RolloutStatus::Finished, 30),
                row(4, "pricing", RolloutStatus::Aborted, 90),
            ],
            (Some(now() - Duration::days(7)), None),
        )
    }

    #[test]
    fn the_default_order_is_newest_first() {
        let rows = sample();
        let ix = rows.visible(&ListQuery::default(), now());
        assert_eq!(names(&rows, &ix), ["checkout", "search", "cart", "pricing"]);
    }

    #[test]
    fn filters_combine_and_search_needs_every_word() {
        let rows = sample();
        let q = ListQuery::parse("namespace=warehouse");
        assert_eq!(names(&rows, &rows.visible(&q, now())), ["cart"]);
        let q = ListQuery::parse("status=rolledBack");
        assert_eq!(names(&rows, &rows.visible(&q, now())), ["pricing"]);
        let q = ListQuery::parse("q=CART%20prod");
        assert_eq!(names(&rows, &rows.visible(&q, now())), ["cart"]);
        let q = ListQuery::parse("q=cart%20staging");
        assert!(rows.visible(&q, now()).is_empty());
        let q = ListQuery::parse("q=rol-000004");
        assert_eq!(names(&rows, &rows.visible(&q, now())), ["pricing"]);
    }

    #[test]
    fn sorting_by_a_column_and_reversed() {
        let rows = sample();
        let q = ListQuery::parse("sort=spotDeployment");
        let ix = rows.visible(&q, now());
        assert_eq!(names(&rows, &ix), ["cart", "checkout", "pricing", "search"]);
        let q = ListQuery::parse("sort=spotDeployment&dir=desc");
        let ix = rows.visible(&q, now());
        assert_eq!(names(&rows, &ix), ["search", "pricing", "checkout", "cart"]);
        // Running rollouts count up to now: cart (60 min, paused) is the longest.
        let q = ListQuery::parse("sort=duration");
        let ix = rows.visible(&q, now());
        assert_eq!(names(&rows, &ix)[0], "cart");
        let q = ListQuery::parse("sort=status");
        let ix = rows.visible(&q, now());
        assert_eq!(names(&rows, &ix), ["checkout", "cart", "pricing", "search"]);
    }

    #[test]
    fn live_updates_replace_or_add_inside_the_window() {
        let mut rows = sample();
        let mut changed = rows.get(1).unwrap().clone();
        changed.status = RolloutStatus::Finished;
        changed.end_time = Some(now());
        assert!(rows.upsert(changed.clone()));
        assert!(
            !rows.upsert(changed),
            "the same update twice changes nothing"
        );
        let q = ListQuery::parse("status=successful");
        assert_eq!(names(&rows, &rows.visible(&q, now())), ["search", "cart"]);
        assert!(rows.upsert(row(9, "ingest", RolloutStatus::InProgress, 0)));
        assert_eq!(rows.len(), 5);
        assert!(!rows.upsert(row(10, "old", RolloutStatus::Finished, 60 * 24 * 8)));
        assert_eq!(rows.len(), 5, "a rollout older than the window stays out");
        assert_eq!(
            names(&rows, &rows.visible(&ListQuery::parse("q=ingest"), now())),
            ["ingest"]
        );
    }

    #[test]
    fn the_summary_follows_the_filter() {
        let rows = sample();
        let all = rows.summary(&rows.visible(&ListQuery::default(), now()));
        assert_eq!((all.total, all.successful, all.attention_needed), (4, 1, 1));
        assert_eq!(all.incidents_prevented, 1);
        let q = ListQuery::parse("status=successful");
        let s = rows.summary(&rows.visible(&q, now()));
        assert_eq!((s.total, s.successful, s.success_rate), (1, 1, 100.0));
    }

    #[test]
    fn facets_narrow_by_the_other_filters_and_keep_the_chosen_value() {
        let rows = sample();
        let f = rows.facets(&ListQuery::parse("clusterId=prod-us-east&status=paused"));
        assert_eq!(f.clusters, ["prod-us-east", "staging-eu"]);
        assert_eq!(f.namespaces, ["payments", "storefront", "warehouse"]);
        let paused = f
            .status_counts
            .iter()
            .find(|(g, _)| *g == StatusGroup::Paused);
        assert_eq!(paused, Some(&(StatusGroup::Paused, 1)));
        let in_progress = f
            .status_counts
            .iter()
            .find(|(g, _)| *g == StatusGroup::InProgress);
        assert_eq!(in_progress, Some(&(StatusGroup::InProgress, 1)));
        let f = rows.facets(&ListQuery::parse("spotDeployment=gone"));
        assert!(f.spot_deployments.contains(&"gone".to_string()));
    }

    #[test]
    fn ten_thousand_rows_filter_and_sort_correctly() {
        let rows = RolloutRows::new(many(10_000), (None, None));
        let q =
            ListQuery::parse("clusterId=prod-us-east&status=successful&q=checkout&sort=duration");
        let ix = rows.visible(&q, now());
        assert!(!ix.is_empty());
        for &i in &ix {
            let r = rows.get(i).unwrap();
            assert_eq!(r.cluster_id, "prod-us-east");
            assert_eq!(r.status, RolloutStatus::Finished);
            assert!(r.spot_deployment.name.contains("checkout"));
        }
        let expected = (0..10_000)
            .filter(|i| i % 3 != 0 && i % 8 == 0 && [0, 1, 2].contains(&(i % 7)))
            .count();
        assert_eq!(ix.len(), expected);
        let durations: Vec<i64> = ix
            .iter()
            .map(|&i| duration_seconds(rows.get(i).unwrap(), now()))
            .collect();
        assert!(durations.windows(2).all(|w| w[0] >= w[1]), "longest first");
        let all = rows.visible(&ListQuery::default(), now());
        assert_eq!(all.len(), 10_000);
        assert!(all
            .windows(2)
            .all(|w| { rows.get(w[0]).unwrap().start_time >= rows.get(w[1]).unwrap().start_time }));
        let s = rows.summary(&all);
        assert_eq!(s.total, 10_000);
    }

    /// Figures, not assertions: `scripts/bench-list.sh` runs this in release mode and prints them.
    #[test]
    #[ignore = "benchmark: run with scripts/bench-list.sh"]
    fn bench_filter_sort_stats_10k() {
        use std::time::Instant;
        let rows = RolloutRows::new(many(10_000), (None, None));
        let cases = [
            ("default view (newest first)", ""),
            ("search 'c' (typing)", "q=c"),
            ("search 'checkout 1.2'", "q=checkout%201.2"),
            (
                "cluster + status",
                "clusterId=prod-us-east&status=successful",
            ),
            ("sort by duration", "sort=duration"),
            ("sort by SpotDeployment", "sort=spotDeployment"),
            ("sort by image, search", "sort=image&q=team"),
        ];
        let runs = 30;
        println!(
            "filter + sort + stats over {} rows, {runs} runs each",
            rows.len()
        );
        println!(
            "{:<32} {:>8} {:>8} {:>8} {:>8}",
            "case", "rows", "median", "max", "facets"
        );
        for (name, query) in cases {
            let q = ListQuery::parse(query);
            let mut times = Vec::new();
            let mut facet_times = Vec::new();
            let mut shown = 0;
            for _ in 0..runs {
                let t = Instant::now();
                let ix = rows.visible(&q, now());
                let s = rows.summary(&ix);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                shown = s.total;
                let t = Instant::now();
                std::hint::black_box(rows.facets(&q));
                facet_times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            facet_times.sort_by(f64::total_cmp);
            println!(
                "{name:<32} {shown:>8} {:>6.2}ms {:>6.2}ms {:>6.2}ms",
                times[runs / 2],
                times[runs - 1],
                facet_times[runs / 2]
            );
        }
        let t = Instant::now();
        let mut live = rows.clone();
        for i in 0..1_000 {
            let mut r = live.get(i * 7).unwrap().clone();
            r.status = RolloutStatus::Finished;
            live.upsert(r);
        }
        println!(
            "1,000 live upserts: {:.2}ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }

    #[test]
    fn short_images_keep_name_and_tag() {
        assert_eq!(
            short_image("registry.example.com/payments/checkout:1.4.2"),
            "checkout:1.4.2"
        );
        assert_eq!(short_image("nginx:1.27"), "nginx:1.27");
    }
}
