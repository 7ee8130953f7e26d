//! The events of one rollout, or of one cluster outside any rollout: whose they are, a log that
//! takes live additions, and filtering by type and text.

use crate::model::list::group_digits;
use crate::url::{query, with_key};
use rollout_api::{Event, EventPage, EventType, Timestamp};
use std::collections::HashSet;

/// Whose events a list shows: one rollout's, or one cluster's that belong to no rollout (a
/// workload going live at its first revision).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventsOf {
    Rollout(String),
    Cluster(String),
}

impl EventsOf {
    /// Whether a streamed event belongs here.
    pub fn owns(&self, event: &Event) -> bool {
        match self {
            EventsOf::Rollout(id) => event.rollout_id.as_deref() == Some(id.as_str()),
            EventsOf::Cluster(id) => event.rollout_id.is_none() && event.cluster_id == *id,
        }
    }

    /// What export file names start with: the rollout's id, or `cluster-<id>`.
    pub fn file_stem(&self) -> String {
        match self {
            EventsOf::Rollout(id) => id.clone(),
            EventsOf::Cluster(id) => format!("cluster-{id}"),
        }
    }

    /// The URL query (without `?`) keeping `filter`: the rollout page's also selects its Events
    /// tab; the cluster's page has no tabs.
    pub fn filter_query(&self, pairs: &[(String, String)], filter: &EventFilter) -> String {
        let pairs = filter_pairs(pairs, filter);
        match self {
            EventsOf::Rollout(_) => with_key(&pairs, "tab", Some("events")),
            EventsOf::Cluster(_) => query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        }
    }

    /// What the list says while there are no events at all.
    pub fn none_yet(&self) -> &'static str {
        match self {
            EventsOf::Rollout(_) => "No events recorded for this rollout yet.",
            EventsOf::Cluster(_) => {
                "No events outside rollouts on this cluster yet: they appear when a workload goes \
                 live at its first revision."
            }
        }
    }
}

/// Events kept oldest first (so live events append in O(1)); shown newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventLog {
    events: Vec<Event>,
    /// Lower-cased `type reason object message`, parallel to `events`, for the text filter.
    haystacks: Vec<String>,
    ids: HashSet<u64>,
}

impl EventLog {
    /// From the API's list (newest first).
    pub fn from_newest_first(list: Vec<Event>) -> EventLog {
        let mut log = EventLog::default();
        let mut list = list;
        list.reverse();
        for e in list {
            log.push(e);
        }
        log
    }

    /// Adds one event unless it is already there (by id). Returns whether it was new.
    pub fn push(&mut self, event: Event) -> bool {
        if !self.ids.insert(event.id) {
            return false;
        }
        let needs_sort = self
            .events
            .last()
            .is_some_and(|last| order_key(last) > order_key(&event));
        self.haystacks.push(haystack(&event));
        self.events.push(event);
        if needs_sort {
            self.sort();
        }
        true
    }

    /// A fresh list from the API, keeping live events newer than anything in it (they arrived
    /// while the list was being fetched).
    pub fn replace(&mut self, list: Vec<Event>) {
        let newest = list.iter().map(|e| e.id).max().unwrap_or(0);
        let later: Vec<Event> = self.events.drain(..).filter(|e| e.id > newest).collect();
        *self = EventLog::from_newest_first(list);
        for e in later {
            self.push(e);
        }
    }

    /// Adds a batch in any order (an older page): new ids only, sorted once. Returns how many
    /// were new.
    pub fn extend(&mut self, list: Vec<Event>) -> usize {
        let mut added = 0;
        for e in list {
            if self.ids.insert(e.id) {
                self.haystacks.push(haystack(&e));
                self.events.push(e);
                added += 1;
            }
        }
        if added > 0 {
            self.sort();
        }
        added
    }

    fn sort(&mut self) {
        let mut pairs: Vec<(Event, String)> = self
            .events
            .drain(..)
            .zip(self.haystacks.drain(..))
            .collect();
        pairs.sort_by_key(|a| order_key(&a.0));
        (self.events, self.haystacks) = pairs.into_iter().unzip();
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The `n`-th event newest first.
    pub fn newest(&self, n: usize) -> Option<&Event> {
        let len = self.events.len();
        (n < len).then(|| &self.events[len - 1 - n])
    }

    /// Positions (newest first) of the events the filter lets through.
    pub fn filter(&self, filter: &EventFilter) -> Vec<usize> {
        let needle = filter.text.trim().to_lowercase();
        let len = self.events.len();
        (0..len)
            .filter(|&n| {
                let i = len - 1 - n;
                filter.kind.is_none_or(|k| self.events[i].kind == k)
                    && (needle.is_empty() || self.haystacks[i].contains(&needle))
            })
            .collect()
    }

    /// The events at these newest-first positions.
    pub fn pick<'a>(&'a self, positions: &'a [usize]) -> impl Iterator<Item = &'a Event> + 'a {
        positions.iter().filter_map(|&n| self.newest(n))
    }
}

fn order_key(e: &Event) -> (Timestamp, u64) {
    (e.last_timestamp, e.id)
}

fn haystack(e: &Event) -> String {
    let kind = match e.kind {
        EventType::Normal => "normal",
        EventType::Warning => "warning",
    };
    format!("{kind} {} {} {}", e.reason, e.object, e.message).to_lowercase()
}

/// How far the console has paged through a rollout's events (`GET …/events?cursor=`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventPaging {
    /// The cursor of the next older page; None once the oldest kept event is loaded.
    pub next_cursor: Option<String>,
    /// Events the server keeps for the rollout (as of the last page read, plus live ones since).
    pub total: usize,
    /// Older events the server's retention removed: no page has them.
    pub pruned: u64,
    /// The server's retention limit per rollout.
    pub limit: usize,
    /// An older page is being read.
    pub loading: bool,
    /// Why the last older page could not be read.
    pub error: Option<String>,
}

impl EventPaging {
    /// After the first (newest) page.
    pub fn first(page: &EventPage) -> EventPaging {
        EventPaging {
            next_cursor: page.next_cursor.clone(),
            total: page.total,
            pruned: page.pruned,
            limit: page.retention_limit,
            loading: false,
            error: None,
        }
    }

    /// After an older page: where to continue, and the server's latest figures.
    pub fn older(&mut self, page: &EventPage) {
        self.next_cursor = page.next_cursor.clone();
        self.total = self.total.max(page.total);
        self.pruned = page.pruned;
        self.limit = page.retention_limit;
        self.loading = false;
        self.error = None;
    }

    /// `n` new events came live (on top of what the server counted).
    pub fn live(&mut self, n: usize) {
        self.total += n;
    }

    /// Every event the server keeps is loaded.
    pub fn complete(&self) -> bool {
        self.next_cursor.is_none()
    }

    /// The total to show with `loaded` events in hand (never fewer than those).
    pub fn total_for(&self, loaded: usize) -> usize {
        self.total.max(loaded)
    }

    /// "1,204 older events were removed by retention (limit 5,000)", when any were.
    pub fn retention_notice(&self) -> Option<String> {
        (self.pruned > 0).then(|| {
            let n = self.pruned as usize;
            format!(
                "{} older {} removed by retention (limit {}).",
                group_digits(n),
                if n == 1 { "event was" } else { "events were" },
                group_digits(self.limit)
            )
        })
    }
}

/// The toolbar's count: "340 events", "200 of 340 events loaded", "12 of 340 events" (a
/// filter over everything), "12 of 200 loaded events (340 in all)".
pub fn events_count(shown: usize, loaded: usize, total: usize, filtered: bool) -> String {
    let all = format!(
        "{} {}",
        group_digits(total),
        if total == 1 { "event" } else { "events" }
    );
    match (filtered, loaded >= total) {
        (false, true) => all,
        (false, false) => format!("{} of {all} loaded", group_digits(loaded)),
        (true, true) => format!("{} of {all}", group_digits(shown)),
        (true, false) => format!(
            "{} of {} loaded events ({} in all)",
            group_digits(shown),
            group_digits(loaded),
            group_digits(total)
        ),
    }
}

/// What the events table shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub kind: Option<EventType>,
    pub text: String,
}

impl EventFilter {
    pub fn is_active(&self) -> bool {
        self.kind.is_some() || !self.text.trim().is_empty()
    }
}

/// `"all" | "Normal" | "Warning"` as the type select writes it.
pub fn parse_kind(value: &str) -> Option<EventType> {
    match value {
        "Normal" => Some(EventType::Normal),
        "Warning" => Some(EventType::Warning),
        _ => None,
    }
}

/// Query keys of the events filter, so a link opens the same filtered view.
pub const TYPE_KEY: &str = "type";
pub const TEXT_KEY: &str = "q";

/// The filter a URL asks for (`?type=Warning&q=backoff`); unknown values are ignored.
pub fn filter_from_query(kind: Option<&str>, text: Option<&str>) -> EventFilter {
    EventFilter {
        kind: kind.and_then(parse_kind),
        text: text.unwrap_or_default().to_owned(),
    }
}

/// The query pairs with the filter's keys replaced (absent when the filter part is off).
pub fn filter_pairs(pairs: &[(String, String)], filter: &EventFilter) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != TYPE_KEY && k != TEXT_KEY)
        .cloned()
        .collect();
    if let Some(kind) = filter.kind {
        let label = match kind {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        };
        out.push((TYPE_KEY.into(), label.into()));
    }
    if !filter.text.trim().is_empty() {
        out.push((TEXT_KEY.into(), filter.text.clone()));
    }
    out
}

/// "Now" for relative times: the server's clock, never earlier than the newest event shown
/// (an event that arrived before the clock was read again is not "in 2s").
pub fn reference_now(server_now: Timestamp, newest_event: Option<Timestamp>) -> Timestamp {
    newest_event.map_or(server_now, |t| server_now.max(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn ev(id: u64, secs: i64, kind: EventType, reason: &str, message: &str) -> Event {
        Event {
            id,
            rollout_id: Some("r".into()),
            cluster_id: "c".into(),
            namespace: "n".into(),
            last_timestamp: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
                + Duration::seconds(secs),
            kind,
            reason: reason.into(),
            object: format!("Pod/web-{id}"),
            message: message.into(),
            actor: None,
            action_reason: None,
        }
    }

    fn page(events: Vec<Event>, next: Option<&str>, total: usize, pruned: u64) -> EventPage {
        EventPage {
            events,
            next_cursor: next.map(str::to_string),
            total,
            pruned,
            retention_limit: 5000,
        }
    }

    #[test]
    fn older_pages_extend_the_log_and_the_paging_knows_when_it_is_complete() {
        let first = page(
            vec![
                ev(5, 50, EventType::Normal, "Scaled", "up"),
                ev(4, 40, EventType::Normal, "Scaled", "up"),
            ],
            Some("40-0-4"),
            5,
            0,
        );
        let mut paging = EventPaging::first(&first);
        let mut log = EventLog::from_newest_first(first.events);
        assert!(!paging.complete());
        assert_eq!(
            events_count(2, log.len(), paging.total_for(log.len()), false),
            "2 of 5 events loaded"
        );
        // A live event on top while older ones load.
        assert!(log.push(ev(6, 60, EventType::Warning, "BackOff", "x")));
        paging.live(1);
        let older = page(
            vec![
                ev(3, 30, EventType::Normal, "Created", "a"),
                ev(2, 20, EventType::Normal, "Created", "b"),
                ev(1, 10, EventType::Normal, "Created", "c"),
            ],
            None,
            5,
            0,
        );
        paging.older(&older);
        assert_eq!(log.extend(older.events.clone()), 3);
        assert_eq!(
            log.extend(older.events),
            0,
            "a page read twice adds nothing"
        );
        let all: Vec<usize> = (0..log.len()).collect();
        assert_eq!(ids(&log, &all), [6, 5, 4, 3, 2, 1]);
        assert!(paging.complete());
        assert_eq!(events_count(6, 6, paging.total_for(6), false), "6 events");
        assert_eq!(events_count(1, 6, 6, true), "1 of 6 events");
        assert_eq!(
            events_count(1, 200, 1340, true),
            "1 of 200 loaded events (1,340 in all)"
        );
        assert_eq!(paging.retention_notice(), None);
    }

    #[test]
    fn retention_is_said_with_the_count_and_the_limit() {
        let mut p = EventPaging::first(&page(vec![], None, 5000, 1204));
        assert_eq!(
            p.retention_notice().as_deref(),
            Some("1,204 older events were removed by retention (limit 5,000).")
        );
        p.pruned = 1;
        assert_eq!(
            p.retention_notice().as_deref(),
            Some("1 older event was removed by retention (limit 5,000).")
        );
    }

    fn ids(log: &EventLog, positions: &[usize]) -> Vec<u64> {
        log.pick(positions).map(|e| e.id).collect()
    }

    #[test]
    fn shows_newest_first_and_appends_live_events_once() {
        let mut log = EventLog::from_newest_first(vec![
            ev(2, 20, EventType::Normal, "Scaled", "up"),
            ev(1, 10, EventType::Normal, "Created", "pod"),
        ]);
        assert!(log.push(ev(3, 30, EventType::Warning, "BackOff", "restart")));
        assert!(!log.push(ev(3, 30, EventType::Warning, "BackOff", "restart")));
        let all = log.filter(&EventFilter::default());
        assert_eq!(ids(&log, &all), vec![3, 2, 1]);
    }

    #[test]
    fn an_out_of_order_event_is_placed_by_time() {
        let mut log = EventLog::from_newest_first(vec![ev(5, 50, EventType::Normal, "Alpha", "")]);
        log.push(ev(4, 40, EventType::Normal, "Beta", ""));
        let all = log.filter(&EventFilter::default());
        assert_eq!(ids(&log, &all), vec![5, 4]);
        // The text index moved with its event.
        let b = log.filter(&EventFilter {
            kind: None,
            text: "beta".into(),
        });
        assert_eq!(ids(&log, &b), vec![4]);
    }

    #[test]
    fn filters_by_type_and_case_insensitive_text() {
        let log = EventLog::from_newest_first(vec![
            ev(
                3,
                30,
                EventType::Warning,
                "BackOff",
                "Back-off restarting failed container",
            ),
            ev(
                2,
                20,
                EventType::Normal,
                "Pulled",
                "Successfully pulled image",
            ),
            ev(
                1,
                10,
                EventType::Warning,
                "Unhealthy",
                "Liveness probe failed",
            ),
        ]);
        let warnings = EventFilter {
            kind: Some(EventType::Warning),
            text: String::new(),
        };
        assert_eq!(ids(&log, &log.filter(&warnings)), vec![3, 1]);
        let text = EventFilter {
            kind: None,
            text: "  FAILED ".into(),
        };
        assert_eq!(ids(&log, &log.filter(&text)), vec![3, 1]);
        let both = EventFilter {
            kind: Some(EventType::Warning),
            text: "liveness".into(),
        };
        assert_eq!(ids(&log, &log.filter(&both)), vec![1]);
        let object = EventFilter {
            kind: None,
            text: "pod/web-2".into(),
        };
        assert_eq!(ids(&log, &log.filter(&object)), vec![2]);
        assert!(both.is_active() && !EventFilter::default().is_active());
    }

    #[test]
    fn a_refetch_keeps_live_events_newer_than_the_list() {
        let mut log = EventLog::from_newest_first(vec![ev(1, 10, EventType::Normal, "A", "")]);
        log.push(ev(9, 90, EventType::Normal, "Live", ""));
        log.replace(vec![
            ev(3, 30, EventType::Normal, "C", ""),
            ev(2, 20, EventType::Normal, "B", ""),
        ]);
        let all = log.filter(&EventFilter::default());
        assert_eq!(ids(&log, &all), vec![9, 3, 2]);
    }

    #[test]
    fn fifty_thousand_events_filter_quickly() {
        let list: Vec<Event> = (0..50_000u64)
            .rev()
            .map(|i| {
                let kind = if i % 7 == 0 {
                    EventType::Warning
                } else {
                    EventType::Normal
                };
                ev(
                    i,
                    i as i64,
                    kind,
                    "Reason",
                    &format!("message number {i} about pod"),
                )
            })
            .collect();
        let log = EventLog::from_newest_first(list);
        let hits = log.filter(&EventFilter {
            kind: Some(EventType::Warning),
            text: "number 49".into(),
        });
        assert!(!hits.is_empty());
        assert!(log.pick(&hits).all(|e| e.kind == EventType::Warning));
    }

    #[test]
    fn the_filter_round_trips_through_the_query() {
        let pairs = vec![
            ("tab".to_string(), "events".to_string()),
            ("q".to_string(), "old".to_string()),
        ];
        let f = EventFilter {
            kind: Some(EventType::Warning),
            text: "back off".into(),
        };
        let out = filter_pairs(&pairs, &f);
        assert_eq!(
            out,
            vec![
                ("tab".to_string(), "events".to_string()),
                ("type".to_string(), "Warning".to_string()),
                ("q".to_string(), "back off".to_string()),
            ]
        );
        assert_eq!(filter_from_query(Some("Warning"), Some("back off")), f);
        let off = filter_pairs(&out, &EventFilter::default());
        assert_eq!(off, vec![("tab".to_string(), "events".to_string())]);
        assert_eq!(
            filter_from_query(Some("nonsense"), None),
            EventFilter::default()
        );
    }

    #[test]
    fn type_select_values() {
        assert_eq!(parse_kind("Warning"), Some(EventType::Warning));
        assert_eq!(parse_kind("all"), None);
    }

    #[test]
    fn now_follows_the_server_clock_and_never_precedes_the_newest_event() {
        let t = |s: i64| Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::seconds(s);
        assert_eq!(reference_now(t(100), None), t(100));
        assert_eq!(reference_now(t(100), Some(t(60))), t(100));
        assert_eq!(reference_now(t(100), Some(t(160))), t(160));
    }

    #[test]
    fn a_rollout_owns_its_events_and_a_cluster_those_of_no_rollout() {
        let mut mine = ev(1, 0, EventType::Normal, "Started", "");
        mine.rollout_id = Some("r".into());
        let mut loose = ev(2, 0, EventType::Normal, "Live", "");
        loose.rollout_id = None;
        let mut elsewhere = loose.clone();
        elsewhere.cluster_id = "other".into();
        let rollout = EventsOf::Rollout("r".into());
        assert!(rollout.owns(&mine));
        assert!(!rollout.owns(&loose));
        assert!(!EventsOf::Rollout("r2".into()).owns(&mine));
        let cluster = EventsOf::Cluster("c".into());
        assert!(cluster.owns(&loose));
        // A rollout's event on the cluster, and an event of no rollout on another cluster.
        assert!(!cluster.owns(&mine));
        assert!(!cluster.owns(&elsewhere));
    }

    #[test]
    fn only_the_rollout_page_writes_its_tab_with_the_filter() {
        let filter = EventFilter {
            kind: Some(EventType::Warning),
            text: "back off".into(),
        };
        let pairs = vec![("q".to_string(), "old".to_string())];
        assert_eq!(
            EventsOf::Rollout("r".into()).filter_query(&pairs, &filter),
            "type=Warning&q=back%20off&tab=events"
        );
        assert_eq!(
            EventsOf::Cluster("c".into()).filter_query(&pairs, &filter),
            "type=Warning&q=back%20off"
        );
        assert_eq!(
            EventsOf::Cluster("c".into()).filter_query(&[], &EventFilter::default()),
            ""
        );
    }

    #[test]
    fn export_files_say_whose_events_they_are() {
        assert_eq!(EventsOf::Rollout("rol-1".into()).file_stem(), "rol-1");
        assert_eq!(
            EventsOf::Cluster("prod-us-east".into()).file_stem(),
            "cluster-prod-us-east"
        );
    }
}
