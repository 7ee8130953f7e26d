//! The rollouts list's view state — date range, filters, search and sort — and its URL query.
//!
//! The URL is the source of truth: the page reads a [`ListQuery`] from the query string and every
//! control writes a new one back, so a filtered view is a link that can be shared and the back /
//! forward buttons restore it. Only values that differ from the defaults appear in the URL.

use crate::url::{self, encode};
use chrono::{NaiveDate, TimeZone, Utc};
use rollout_api::text::parse_date;
use rollout_api::{StatusGroup, Timestamp};

pub use rollout_api::text::{group_digits, Preset};
/// Which rollouts to load from the server, by start time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateRange {
    /// A window ending now.
    Last(Preset),
    /// Whole UTC days, both ends included; an open end is unbounded (from) or now (to).
    Custom {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
}

impl Default for DateRange {
    fn default() -> Self {
        DateRange::Last(Preset::Week)
    }
}

/// Start-time window of a range as instants: `(from, to)`, `to` None meaning "until now".
pub type Window = (Option<Timestamp>, Option<Timestamp>);

impl DateRange {
    pub fn window(self, now: Timestamp) -> Window {
        match self {
            DateRange::Last(p) => (Some(now - p.length()), None),
            DateRange::Custom { from, to } => (
                from.map(|d| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())),
                to.map(|d| Utc.from_utc_datetime(&d.and_hms_opt(23, 59, 59).unwrap_or_default())),
            ),
        }
    }

    /// "in the last 7 days", "between 2026-11-01 and 2026-11-07", for sentences.
    pub fn phrase(self) -> String {
        match self {
            DateRange::Last(p) => p.phrase().to_string(),
            DateRange::Custom {
                from: Some(f),
                to: Some(t),
            } => format!("between {f} and {t}"),
            DateRange::Custom {
                from: Some(f),
                to: None,
            } => format!("since {f}"),
            DateRange::Custom {
                from: None,
                to: Some(t),
            } => format!("until {t}"),
            DateRange::Custom {
                from: None,
                to: None,
            } => "at any time".to_string(),
        }
    }

    /// The next larger window, if any.
    pub fn wider(self) -> Option<DateRange> {
        match self {
            DateRange::Last(p) => p.wider().map(DateRange::Last),
            DateRange::Custom { .. } => Some(DateRange::Last(Preset::Quarter)),
        }
    }
}

pub use rollout_api::text::{SortDir, SortKey};

/// Everything that decides what the list shows. `Default` is the plain `/rollouts` view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub range: DateRange,
    pub cluster: Option<String>,
    pub namespace: Option<String>,
    pub spot_deployment: Option<String>,
    pub status: Option<StatusGroup>,
    /// Free text: every word must appear in the name, id, image, cluster, namespace, strategy
    /// or RolloutSpec.
    pub q: String,
    pub sort: SortKey,
    pub dir: SortDir,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            range: DateRange::default(),
            cluster: None,
            namespace: None,
            spot_deployment: None,
            status: None,
            q: String::new(),
            sort: SortKey::Start,
            dir: SortDir::Desc,
        }
    }
}

fn date(v: Option<String>) -> Option<NaiveDate> {
    v.and_then(|s| parse_date(s.trim()))
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl ListQuery {
    /// Reads the view from URL query values (already decoded); unknown or malformed values fall
    /// back to the defaults rather than failing.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> ListQuery {
        let (from, to) = (date(get("from")), date(get("to")));
        let range = if from.is_some() || to.is_some() {
            DateRange::Custom { from, to }
        } else {
            get("range")
                .and_then(|k| Preset::from_key(&k))
                .map(DateRange::Last)
                .unwrap_or_default()
        };
        let sort = get("sort")
            .and_then(|k| SortKey::from_key(&k))
            .unwrap_or(SortKey::Start);
        let dir = match get("dir").as_deref() {
            Some("asc") => SortDir::Asc,
            Some("desc") => SortDir::Desc,
            _ => sort.default_dir(),
        };
        ListQuery {
            range,
            cluster: text(get("clusterId")),
            namespace: text(get("namespace")),
            spot_deployment: text(get("spotDeployment")),
            status: get("status").and_then(|k| StatusGroup::from_key(&k)),
            q: get("q").unwrap_or_default(),
            sort,
            dir,
        }
    }

    /// Parses a raw query string (`a=b&c=d`, with or without the `?`). The browser hands the
    /// page decoded values already; this is for tests and benchmarks.
    #[cfg(test)]
    pub fn parse(query: &str) -> ListQuery {
        let pairs: Vec<(String, String)> = query
            .trim_start_matches('?')
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (url::decode(k), url::decode(v))
            })
            .collect();
        ListQuery::from_lookup(|key| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        })
    }

    /// The URL query (without `?`), listing only what differs from the default view.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        match self.range {
            DateRange::Last(Preset::Week) => {}
            DateRange::Last(p) => parts.push(("range", p.key().to_string())),
            DateRange::Custom { from, to } => {
                if let Some(f) = from {
                    parts.push(("from", f.to_string()));
                }
                if let Some(t) = to {
                    parts.push(("to", t.to_string()));
                }
            }
        }
        let optional = [
            ("clusterId", &self.cluster),
            ("namespace", &self.namespace),
            ("spotDeployment", &self.spot_deployment),
        ];
        for (k, v) in optional {
            if let Some(v) = v {
                parts.push((k, v.clone()));
            }
        }
        if let Some(s) = self.status {
            parts.push(("status", s.key().to_string()));
        }
        if !self.q.trim().is_empty() {
            parts.push(("q", self.q.clone()));
        }
        if self.sort != SortKey::Start {
            parts.push(("sort", self.sort.key().to_string()));
        }
        if self.dir != self.sort.default_dir() {
            parts.push(("dir", self.dir.key().to_string()));
        }
        url::query(parts.iter().map(|(k, v)| (*k, v.as_str())))
    }

    /// The link to this view.
    pub fn href(&self) -> String {
        url::href(url::ROLLOUTS, &self.to_query())
    }

    /// The `GET /rollouts` query that loads this view's date window (filters are applied in the
    /// browser so typing stays instant).
    pub fn api_query(&self, now: Timestamp) -> String {
        let (from, to) = self.range.window(now);
        let from = from.unwrap_or_else(|| Utc.timestamp_opt(0, 0).unwrap());
        let mut q = format!("from={}", encode(&from.to_rfc3339()));
        if let Some(to) = to {
            q.push_str(&format!("&to={}", encode(&to.to_rfc3339())));
        }
        q
    }

    /// True when something narrows the list beyond the date range.
    pub fn has_filters(&self) -> bool {
        self.cluster.is_some()
            || self.namespace.is_some()
            || self.spot_deployment.is_some()
            || self.status.is_some()
            || !self.q.trim().is_empty()
    }

    /// The same view without filters or search (date range and sort kept).
    pub fn cleared(&self) -> ListQuery {
        ListQuery {
            range: self.range,
            sort: self.sort,
            dir: self.dir,
            ..ListQuery::default()
        }
    }

    /// Narrowed to a cluster (None: all). The namespace and SpotDeployment filters are
    /// dropped: they were chosen among another cluster's.
    pub fn with_cluster(&self, cluster: Option<String>) -> ListQuery {
        ListQuery {
            cluster,
            namespace: None,
            spot_deployment: None,
            ..self.clone()
        }
    }

    /// Narrowed to a namespace (None: all); the SpotDeployment filter is dropped.
    pub fn with_namespace(&self, namespace: Option<String>) -> ListQuery {
        ListQuery {
            namespace,
            spot_deployment: None,
            ..self.clone()
        }
    }

    /// Narrowed to a SpotDeployment (None: all).
    pub fn with_spot_deployment(&self, spot_deployment: Option<String>) -> ListQuery {
        ListQuery {
            spot_deployment,
            ..self.clone()
        }
    }

    /// Narrowed to a status group (None: all).
    pub fn with_status(&self, status: Option<StatusGroup>) -> ListQuery {
        ListQuery {
            status,
            ..self.clone()
        }
    }

    /// Sorted by `key`: a second click on the sorted column reverses the order.
    pub fn sorted_by(&self, key: SortKey) -> ListQuery {
        let dir = match (self.sort == key, self.dir) {
            (true, SortDir::Asc) => SortDir::Desc,
            (true, SortDir::Desc) => SortDir::Asc,
            (false, _) => key.default_dir(),
        };
        ListQuery {
            sort: key,
            dir,
            ..self.clone()
        }
    }

    /// The arrow drawn next to a column header: ▲ ascending, ▼ descending, nothing unsorted.
    pub fn sort_arrow(&self, key: SortKey) -> &'static str {
        if self.sort == key {
            self.dir.arrow()
        } else {
            ""
        }
    }

    /// `aria-sort` of a column header.
    pub fn aria_sort(&self, key: SortKey) -> &'static str {
        if self.sort == key {
            self.dir.aria()
        } else {
            "none"
        }
    }
}

/// "12 of 52 rollouts in the last 7 days" (or "52 rollouts …" when nothing is filtered out).
pub fn count_text(shown: usize, loaded: usize, range: DateRange) -> String {
    rollout_api::text::count_text(shown, loaded, &range.phrase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_view_is_the_bare_path() {
        let q = ListQuery::default();
        assert_eq!(q.href(), "/rollouts");
        assert_eq!(ListQuery::parse(""), q);
        assert!(!q.has_filters());
        assert_eq!(q.range, DateRange::Last(Preset::Week));
    }

    #[test]
    fn every_filter_survives_a_round_trip_through_the_url() {
        let q = ListQuery {
            range: DateRange::Last(Preset::Month),
            cluster: Some("prod-us-east".into()),
            namespace: Some("payments".into()),
            spot_deployment: Some("checkout".into()),
            status: Some(StatusGroup::RolledBack),
            q: "web:1.2 & co".into(),
            sort: SortKey::Duration,
            dir: SortDir::Asc,
        };
        let url = q.to_query();
        assert_eq!(
            url,
            "range=30d&clusterId=prod-us-east&namespace=payments&spotDeployment=checkout\
             &status=rolledBack&q=web%3A1.2%20%26%20co&sort=duration&dir=asc"
        );
        assert_eq!(ListQuery::parse(&format!("?{url}")), q);
    }

    #[test]
    fn custom_dates_win_over_a_preset_and_bad_values_fall_back() {
        let q = ListQuery::parse("range=30d&from=2026-11-01&to=2026-11-07&status=nope&sort=zzz");
        assert_eq!(
            q.range,
            DateRange::Custom {
                from: NaiveDate::from_ymd_opt(2026, 11, 1),
                to: NaiveDate::from_ymd_opt(2026, 11, 7),
            }
        );
        assert_eq!(q.status, None);
        assert_eq!(q.sort, SortKey::Start);
        assert_eq!(q.to_query(), "from=2026-11-01&to=2026-11-07");
        assert_eq!(
            ListQuery::parse("from=yesterday").range,
            DateRange::default()
        );
    }

    #[test]
    fn the_api_query_covers_the_date_window() {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        assert_eq!(
            ListQuery::default().api_query(now),
            "from=2026-11-13T12%3A00%3A00%2B00%3A00"
        );
        let custom = ListQuery::parse("from=2026-11-01&to=2026-11-02");
        assert_eq!(
            custom.api_query(now),
            "from=2026-11-01T00%3A00%3A00%2B00%3A00&to=2026-11-02T23%3A59%3A59%2B00%3A00"
        );
    }

    #[test]
    fn clicking_a_header_sorts_then_reverses() {
        let q = ListQuery::default();
        assert_eq!(q.aria_sort(SortKey::Start), "descending");
        assert_eq!(q.aria_sort(SortKey::Cluster), "none");
        assert_eq!(
            (q.sort_arrow(SortKey::Start), q.sort_arrow(SortKey::Id)),
            ("▼", "")
        );
        let by_name = q.sorted_by(SortKey::SpotDeployment);
        assert_eq!(by_name.dir, SortDir::Asc);
        assert_eq!(by_name.to_query(), "sort=spotDeployment");
        let reversed = by_name.sorted_by(SortKey::SpotDeployment);
        assert_eq!(reversed.to_query(), "sort=spotDeployment&dir=desc");
        assert_eq!(q.sorted_by(SortKey::Start).to_query(), "dir=asc");
    }

    #[test]
    fn narrowing_to_a_cluster_drops_what_was_chosen_inside_another() {
        let q = ListQuery::parse("clusterId=a&namespace=shop&spotDeployment=cart&status=paused");
        let other = q.with_cluster(Some("b".into()));
        assert_eq!(other.to_query(), "clusterId=b&status=paused");
        assert_eq!(
            q.with_namespace(None).to_query(),
            "clusterId=a&status=paused"
        );
        assert_eq!(
            q.with_spot_deployment(None).with_status(None).to_query(),
            "clusterId=a&namespace=shop"
        );
    }

    #[test]
    fn clearing_keeps_range_and_sort_and_widening_grows_the_window() {
        let q = ListQuery::parse("range=24h&status=paused&q=cart&sort=cluster");
        assert!(q.has_filters());
        assert_eq!(q.cleared().to_query(), "range=24h&sort=cluster");
        assert_eq!(q.range.wider(), Some(DateRange::Last(Preset::Week)));
        assert_eq!(DateRange::Last(Preset::Quarter).wider(), None);
    }

    #[test]
    fn counts_read_as_sentences() {
        let week = DateRange::default();
        assert_eq!(count_text(52, 52, week), "52 rollouts in the last 7 days");
        assert_eq!(count_text(1, 1, week), "1 rollout in the last 7 days");
        assert_eq!(
            count_text(12, 10_000, DateRange::Last(Preset::Day)),
            "12 of 10,000 rollouts in the last 24 hours"
        );
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }
}
