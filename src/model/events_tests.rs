//! The tests of the events model (events.rs): paging and retention, live additions in time order,
//! filters and their query, the server clock, whose events a list shows, and export names.

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
