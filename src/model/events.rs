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
#[path = "events_tests.rs"]
mod tests;
