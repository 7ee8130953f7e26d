//! `GET /rollouts`: filters, text search, newest-first order and cursor paging over the
//! rollout summaries. Pure functions, tested on their own.

use chrono::{DateTime, Duration, Utc};
use rollout_api::{
    Event, EventPage, ListSummary, RolloutList, RolloutSummary, StatusGroup, Timestamp,
};
use rollout_engine::EventHistory;
use serde::Deserialize;

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 10_000;
pub const DEFAULT_WINDOW_DAYS: i64 = 7;

/// The query string of `GET /rollouts`, as received.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub cluster_id: Option<String>,
    pub namespace: Option<String>,
    pub spot_deployment: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// A parsed, validated filter.
#[derive(Debug)]
pub struct Filter {
    pub from: Timestamp,
    pub to: Option<Timestamp>,
    pub cluster_ids: Vec<String>,
    pub namespaces: Vec<String>,
    pub spot_deployments: Vec<String>,
    pub statuses: Vec<StatusGroup>,
    /// Lower-cased words; each must appear in one of the searched fields.
    pub words: Vec<String>,
    pub limit: usize,
    /// Items strictly older than this (start time, creation number) position.
    pub after: Option<(Timestamp, usize)>,
}

pub(crate) fn time(name: &str, v: &str) -> Result<Timestamp, String> {
    DateTime::parse_from_rfc3339(v)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!("`{name}` must be an RFC 3339 time such as 2026-11-20T10:00:00Z, not `{v}`")
        })
}

/// A page size: `default` when absent or empty, else a number from 1 to `max`.
pub(crate) fn limit(v: &Option<String>, default: usize, max: usize) -> Result<usize, String> {
    match v.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(format!(
                "`limit` must be a number from 1 to {max}, not `{v}`"
            )),
        },
    }
}

/// A comma-separated list; empty values dropped.
pub(crate) fn list(v: &Option<String>) -> Vec<String> {
    v.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A position in the list: start time (Unix milliseconds) and creation number (see
/// [`list_rollouts`]), as `MILLIS-SEQ`. Any such pair is a valid position.
pub(crate) fn encode_cursor(start: Timestamp, seq: usize) -> String {
    format!("{}-{seq}", start.timestamp_millis())
}

pub(crate) fn decode_cursor(c: &str) -> Result<(Timestamp, usize), String> {
    let bad = || "`cursor` is not one this server handed out".to_string();
    let (ms, seq) = c.split_once('-').ok_or_else(bad)?;
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(ms, 13) || !digits(seq, 9) {
        return Err(bad());
    }
    let ms: i64 = ms.parse().map_err(|_| bad())?;
    let t = DateTime::from_timestamp_millis(ms).ok_or_else(bad)?;
    let seq = seq.parse().map_err(|_| bad())?;
    Ok((t, seq))
}

impl Filter {
    pub fn parse(p: &ListParams, now: Timestamp) -> Result<Filter, String> {
        let to = match p.to.as_deref().filter(|s| !s.is_empty()) {
            Some(v) => Some(time("to", v)?),
            None => None,
        };
        // The default window is the 7 days up to `to` (or now). A `to` before an explicit
        // `from` is an empty range: it matches nothing.
        let from = match p.from.as_deref().filter(|s| !s.is_empty()) {
            Some(v) => time("from", v)?,
            None => to.unwrap_or(now) - Duration::days(DEFAULT_WINDOW_DAYS),
        };
        let statuses = list(&p.status)
            .iter()
            .map(|k| {
                StatusGroup::from_key(k).ok_or_else(|| {
                    let keys: Vec<&str> = StatusGroup::ALL.iter().map(|g| g.key()).collect();
                    format!("unknown `status` `{k}`; use one of {}", keys.join(", "))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let limit = limit(&p.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
        let after = match p.cursor.as_deref().filter(|s| !s.is_empty()) {
            Some(c) => Some(decode_cursor(c)?),
            None => None,
        };
        Ok(Filter {
            from,
            to,
            cluster_ids: list(&p.cluster_id),
            namespaces: list(&p.namespace),
            spot_deployments: list(&p.spot_deployment),
            statuses,
            words: rollout_api::search_words(p.q.as_deref().unwrap_or("")),
            limit,
            after,
        })
    }

    pub fn matches(&self, r: &RolloutSummary) -> bool {
        let any = |list: &[String], v: &str| list.is_empty() || list.iter().any(|x| x == v);
        r.start_time >= self.from
            && self.to.is_none_or(|to| r.start_time <= to)
            && any(&self.cluster_ids, &r.cluster_id)
            && any(&self.namespaces, &r.namespace)
            && any(&self.spot_deployments, &r.spot_deployment.name)
            && (self.statuses.is_empty() || self.statuses.contains(&r.status.group()))
            && (self.words.is_empty() || rollout_api::search_matches(&r.search_text(), &self.words))
    }
}

/// `all` comes from the engine newest first (the reverse of creation, which only appends), so
/// `all.len() - index` numbers rollouts in creation order, stably over time. The list is
/// ordered by start time, newest first, then by creation (newest first) for rollouts started
/// at the same instant: a total order, so a cursor (start time, number) pages stably even while
/// new rollouts arrive.
pub fn list_rollouts(all: &[RolloutSummary], filter: &Filter) -> RolloutList {
    let n = all.len();
    let mut matching: Vec<(Timestamp, usize, &RolloutSummary)> = all
        .iter()
        .enumerate()
        .filter(|(_, r)| filter.matches(r))
        .map(|(i, r)| (r.start_time, n - i, r))
        .collect();
    matching.sort_by_key(|m| std::cmp::Reverse((m.0, m.1)));
    let summary = ListSummary::compute(matching.iter().map(|m| m.2));
    let total = matching.len();
    let start = match filter.after {
        None => 0,
        Some(pos) => matching.partition_point(|m| (m.0, m.1) >= pos),
    };
    let page = &matching[start..(start + filter.limit).min(total)];
    let next_cursor = (start + page.len() < total)
        .then(|| page.last().map(|m| encode_cursor(m.0, m.1)))
        .flatten();
    RolloutList {
        items: page.iter().map(|m| m.2.clone()).collect(),
        summary,
        total,
        next_cursor,
    }
}

/// Events per page of `GET /rollouts/{id}/events` unless `limit` says otherwise, and the most.
pub const EVENTS_DEFAULT_LIMIT: usize = 200;
pub const EVENTS_MAX_LIMIT: usize = 1_000;
/// A position among a rollout's events: the last time to the nanosecond (events of one tick
/// share it exactly) and the id, as `SECS-NANOS-ID`. Any such triple is a valid position.
fn encode_event_cursor(e: &Event) -> String {
    format!(
        "{}-{}-{}",
        e.last_timestamp.timestamp(),
        e.last_timestamp.timestamp_subsec_nanos(),
        e.id
    )
}

fn decode_event_cursor(c: &str) -> Result<(Timestamp, u64), String> {
    let bad = || {
        format!(
            "`cursor` `{c}` is not one this server handed out (pass `nextCursor` of the previous page)"
        )
    };
    let parts: Vec<&str> = c.split('-').collect();
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    let [secs, nanos, id] = parts[..] else {
        return Err(bad());
    };
    if !digits(secs, 11) || !digits(nanos, 9) || !digits(id, 15) {
        return Err(bad());
    }
    let secs: i64 = secs.parse().map_err(|_| bad())?;
    let nanos: u32 = nanos.parse().map_err(|_| bad())?;
    let t = DateTime::from_timestamp(secs, nanos).ok_or_else(bad)?;
    Ok((t, id.parse().map_err(|_| bad())?))
}

/// The query string of `GET /rollouts/{id}/events`.
#[derive(Debug, Default, Deserialize)]
pub struct EventParams {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// One page of a rollout's events (`h.events` newest first: last time, then id, descending — a
/// total order, so the cursor `(last time, id)` of a page's last event pages stably while new
/// events arrive on top).
pub fn page_events(h: EventHistory, p: &EventParams) -> Result<EventPage, String> {
    let limit = limit(&p.limit, EVENTS_DEFAULT_LIMIT, EVENTS_MAX_LIMIT)?;
    let after = match p.cursor.as_deref().filter(|s| !s.is_empty()) {
        Some(c) => Some(decode_event_cursor(c)?),
        None => None,
    };
    let total = h.events.len();
    let start = match after {
        None => 0,
        Some(pos) => h
            .events
            .partition_point(|e| (e.last_timestamp, e.id) >= pos),
    };
    let end = (start + limit).min(total);
    let mut events = h.events;
    events.truncate(end);
    let events: Vec<Event> = events.drain(start..).collect();
    let next_cursor = (end < total)
        .then(|| events.last().map(encode_event_cursor))
        .flatten();
    Ok(EventPage {
        events,
        next_cursor,
        total,
        pruned: h.pruned,
        retention_limit: h.limit,
    })
}

/// Rollouts for tests of the listing and of what is built on it.
#[cfg(test)]
pub(crate) mod fixtures {
    use chrono::{Duration, TimeZone, Utc};
    use rollout_api::{RolloutStatus, RolloutSummary, SpotDeploymentRef, StrategyType, Timestamp};

    /// A canary rollout of `name` started `minutes_ago` before [`now`].
    pub fn r(id: &str, minutes_ago: i64, status: RolloutStatus, name: &str) -> RolloutSummary {
        RolloutSummary {
            id: id.into(),
            status,
            strategy_type: StrategyType::Canary,
            strategy_name: "canary-3-steps".into(),
            rollout_spec: format!("{name}-spec"),
            spot_deployment: SpotDeploymentRef {
                name: name.into(),
                is_live_applied: true,
                revision: 1,
            },
            cluster_id: "prod-us-east".into(),
            namespace: "payments".into(),
            cloud_provider: "AWS".into(),
            start_time: now() - Duration::minutes(minutes_ago),
            end_time: None,
            image: format!("registry.example.com/payments/{name}:1.0.0"),
            failure_reason: None,
        }
    }

    /// The tests' clock.
    pub fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{now, r};
    use super::*;
    use rollout_api::RolloutStatus;

    #[test]
    fn pages_newest_first_with_a_stable_cursor() {
        let all: Vec<_> = (0..25)
            .map(|i| {
                r(
                    &format!("rol-{i:03}"),
                    i * 10,
                    RolloutStatus::Finished,
                    "checkout",
                )
            })
            .collect();
        let mut p = ListParams {
            limit: Some("10".into()),
            ..Default::default()
        };
        let mut seen = Vec::new();
        loop {
            let list = list_rollouts(&all, &Filter::parse(&p, now()).unwrap());
            assert_eq!(list.total, 25);
            seen.extend(list.items.iter().map(|r| r.id.clone()));
            match list.next_cursor {
                Some(c) => p.cursor = Some(c),
                None => break,
            }
        }
        let expected: Vec<_> = (0..25).map(|i| format!("rol-{i:03}")).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn rollouts_started_at_the_same_instant_page_in_creation_order() {
        // Newest first from the engine: c was created last.
        let all: Vec<_> = ["rol-c", "rol-a", "rol-b"]
            .iter()
            .map(|id| r(id, 5, RolloutStatus::Finished, "checkout"))
            .collect();
        let mut p = ListParams {
            limit: Some("1".into()),
            ..Default::default()
        };
        let mut seen = Vec::new();
        loop {
            let list = list_rollouts(&all, &Filter::parse(&p, now()).unwrap());
            seen.extend(list.items.iter().map(|r| r.id.clone()));
            match list.next_cursor {
                Some(c) => p.cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen, ["rol-c", "rol-a", "rol-b"]);
    }

    #[test]
    fn filters_and_searches() {
        let all = vec![
            r("rol-a", 5, RolloutStatus::Paused, "cart"),
            r("rol-b", 10, RolloutStatus::Finished, "checkout"),
            r("rol-c", 60 * 24 * 8, RolloutStatus::Finished, "checkout"),
        ];
        let parse = |p: ListParams| Filter::parse(&p, now()).unwrap();
        let l = list_rollouts(&all, &parse(ListParams::default()));
        assert_eq!(l.total, 2, "the default window is 7 days");
        let l = list_rollouts(
            &all,
            &parse(ListParams {
                status: Some("paused".into()),
                ..Default::default()
            }),
        );
        assert_eq!(l.items[0].id, "rol-a");
        assert_eq!(l.summary.attention_needed, 1);
        let l = list_rollouts(
            &all,
            &parse(ListParams {
                q: Some("CHECKOUT:1.0".into()),
                from: Some("2026-01-01T00:00:00Z".into()),
                ..Default::default()
            }),
        );
        assert_eq!(l.total, 2);
        assert!(Filter::parse(
            &ListParams {
                status: Some("nope".into()),
                ..Default::default()
            },
            now()
        )
        .is_err());
        assert!(Filter::parse(
            &ListParams {
                limit: Some("0".into()),
                ..Default::default()
            },
            now()
        )
        .is_err());
        assert!(Filter::parse(
            &ListParams {
                cursor: Some("###".into()),
                ..Default::default()
            },
            now()
        )
        .is_err());
    }
}
