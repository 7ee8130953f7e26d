//! Bounded history that never loses anything silently: the events endpoint pages with a cursor
//! (every event exactly once, newest first), refuses bad cursors and limits, and says how many
//! older events and actions retention removed — in memory, in SQLite and after a restart.

mod common;
use axum::http::StatusCode;
use common::*;
use rollout_engine::Retention;
use serde_json::Value;

async fn page(s: &TestServer, id: &str, query: &str) -> Value {
    let a = s.get(&format!("/api/v1/rollouts/{id}/events{query}")).await;
    assert_eq!(a.status, StatusCode::OK, "{query}: {}", a.text());
    a.json()
}

/// Every page from the first, following `nextCursor`: (event ids in order, pages).
async fn walk(s: &TestServer, id: &str, limit: usize) -> (Vec<u64>, usize) {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit={limit}&cursor={c}"),
            None => format!("?limit={limit}"),
        };
        let p = page(s, id, &q).await;
        pages += 1;
        let events = p["events"].as_array().unwrap();
        assert!(events.len() <= limit);
        ids.extend(events.iter().map(|e| e["id"].as_u64().unwrap()));
        match p["nextCursor"].as_str() {
            Some(c) => {
                assert_eq!(events.len(), limit, "only the last page is short");
                cursor = Some(c.to_string());
            }
            None => break,
        }
        assert!(pages < 1000, "the cursor walk does not end");
    }
    (ids, pages)
}

/// `p`, a page of every event after the limit was set to `newest.len()`: it holds `newest`
/// and counts the rest of the `had` events as pruned.
fn assert_keeps_the_newest(p: &Value, had: u64, newest: &[Value]) {
    let limit = newest.len();
    assert_eq!(p["total"], limit, "{p}");
    assert_eq!(p["retentionLimit"], limit);
    assert_eq!(p["pruned"].as_u64().unwrap(), had - limit as u64, "{p}");
    assert_eq!(
        p["events"].as_array().unwrap(),
        newest,
        "the newest are kept"
    );
}

#[tokio::test]
async fn a_cursor_walk_covers_every_event_once_newest_first() {
    let s = manual().await;
    let id = s.start_example_rollout().await;
    s.advance(600).await;
    let all = page(&s, &id, "?limit=1000").await;
    let total = all["total"].as_u64().unwrap() as usize;
    assert!(total > 20, "enough events for several pages: {total}");
    assert_eq!(all["pruned"], 0);
    assert_eq!(all["retentionLimit"], Retention::DEFAULT_MAX_EVENTS);
    assert!(all["nextCursor"].is_null());
    let expected: Vec<u64> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_u64().unwrap())
        .collect();
    assert_eq!(expected.len(), total);
    let times: Vec<&str> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["lastTimestamp"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let (ids, pages) = walk(&s, &id, 7).await;
    assert_eq!(ids, expected, "every event exactly once, in order");
    assert_eq!(pages, total.div_ceil(7));
    // The default page is 200 events.
    let first = page(&s, &id, "").await;
    assert_eq!(
        first["events"].as_array().unwrap().len(),
        total.min(200),
        "{first}"
    );

    // New events arrive on top while a client pages: the cursor still continues where it was.
    let p1 = page(&s, &id, "?limit=5").await;
    let cursor = p1["nextCursor"].as_str().unwrap().to_string();
    s.advance(300).await;
    let p2 = page(&s, &id, &format!("?limit=5&cursor={cursor}")).await;
    let got: Vec<u64> = p2["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_u64().unwrap())
        .collect();
    assert_eq!(got, expected[5..10]);
}

#[tokio::test]
async fn bad_cursors_and_limits_are_refused_with_a_message() {
    let s = manual().await;
    let id = s.start_example_rollout().await;
    for q in [
        "?cursor=abc",
        "?cursor=12-",
        "?cursor=-5",
        "?cursor=1-2",
        "?cursor=1-2-3-4",
        "?cursor=999999999999-0-1",
        "?cursor=1-1234567890-1",
        "?cursor=1-1-1234567890123456",
        "?limit=0",
        "?limit=1001",
        "?limit=ten",
    ] {
        let a = s.get(&format!("/api/v1/rollouts/{id}/events{q}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{q}: {}", a.text());
        let m = a.message();
        assert!(m.contains("cursor") || m.contains("limit"), "{q}: {m}");
    }
    // The cap itself is fine, and so is any well-formed position.
    let p = page(&s, &id, "?limit=1000").await;
    assert!(p["nextCursor"].is_null());
    let p = page(&s, &id, "?cursor=0-0-0").await;
    assert_eq!(p["events"].as_array().unwrap().len(), 0, "nothing is older");
    let a = s.get("/api/v1/rollouts/rol-nope/events?limit=5").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn retention_removes_the_oldest_and_says_so_in_memory_on_disk_and_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let setup = || Setup {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let s = start(setup()).await;
    let id = s.start_example_rollout().await;
    s.advance(120).await;
    let before = page(&s, &id, "?limit=1000").await;
    let had = before["total"].as_u64().unwrap();
    assert!(had > 12, "{had}");
    let newest: Vec<Value> = before["events"].as_array().unwrap()[..10].to_vec();

    let limits = Retention {
        max_events: 10,
        max_actions: 2,
    };
    s.core().set_retention(limits).await.unwrap();
    assert_keeps_the_newest(&page(&s, &id, "?limit=1000").await, had, &newest);

    // Actions: the newest two are kept, the rest counted.
    for action in ["pause", "resume", "pause", "resume", "pause", "resume"] {
        let a = s
            .post_json(
                &format!("/api/v1/rollouts/{id}/actions"),
                serde_json::json!({ "action": action }),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{action}: {}", a.text());
    }
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    let activity = d["activity"].as_array().unwrap();
    assert_eq!(activity.len(), 2, "{d}");
    assert_eq!(activity[0]["action"], "pause");
    assert_eq!(activity[1]["action"], "resume");
    assert_eq!(d["activityPruned"], 4);

    // Events keep coming: the rollout never shows more than the limit, and the count grows.
    s.advance(600).await;
    let p = page(&s, &id, "?limit=1000").await;
    assert_eq!(p["total"], 10, "{p}");
    let pruned = p["pruned"].as_u64().unwrap();
    assert!(pruned > had - 10, "{p}");
    let (ids, _) = walk(&s, &id, 3).await;
    assert_eq!(ids.len(), 10);

    // SQLite holds what the engine holds: the pruned rows went in the same transactions.
    let store = s.core().store().unwrap().clone();
    let counts = store.counts().await.unwrap();
    assert_eq!(counts.actions, 2, "{counts:?}");
    let shown = page(&s, &id, "?limit=1000").await;
    drop(store);
    drop(s);
    {
        let db = rusqlite::Connection::open(dir.path().join("rollouts.db")).unwrap();
        let n: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM events WHERE rollout_id = ?1",
                [&id],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            (10..=(10 + limits.slack()) as i64).contains(&n),
            "SQLite keeps the limit (and at most its slack): {n}"
        );
    }

    // After a restart (default limits again), the same history and the same counts.
    let s = start(setup()).await;
    s.core().set_retention(limits).await.unwrap();
    let again = page(&s, &id, "?limit=1000").await;
    assert_eq!(again, shown);
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert_eq!(d["activityPruned"], 4);
}

/// `n` SpotDeployments on `cluster` (by annotation): each goes live at its first revision,
/// without a rollout, so its events belong to none.
fn first_revisions(cluster: &str, range: std::ops::Range<usize>) -> String {
    range
        .map(|i| {
            format!(
                "apiVersion: spot.io/v1beta1
kind: SpotDeployment
metadata:
  name: svc-{i}
  namespace: shop
  annotations:
    oceancd.spot.io/cluster-id: \"{cluster}\"
spec:
  replicas: 2
  selector:
    matchLabels:
      app: svc-{i}
  template:
    metadata:
      labels:
        app: svc-{i}
    spec:
      containers:
        - name: svc-{i}
          image: registry.example.com/svc:1.0.0
"
            )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

async fn cluster_page(s: &TestServer, cluster: &str) -> Value {
    let a = s
        .get(&format!("/api/v1/clusters/{cluster}/events?limit=1000"))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    a.json()
}

#[tokio::test]
async fn events_of_no_rollout_are_bounded_per_cluster_on_disk_and_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let setup = || Setup {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let cluster = "prod-us-east";
    let s = start(setup()).await;
    s.apply_ok(&first_revisions(cluster, 0..3)).await;
    s.advance(60).await;
    let before = cluster_page(&s, cluster).await;
    let had = before["total"].as_u64().unwrap();
    assert!(had > 6, "{before}");
    assert_eq!(before["pruned"], 0);
    let newest: Vec<Value> = before["events"].as_array().unwrap()[..6].to_vec();
    assert!(newest.iter().all(|e| e["rolloutId"].is_null()), "{before}");

    let limits = Retention {
        max_events: 6,
        max_actions: 1_000,
    };
    s.core().set_retention(limits).await.unwrap();
    assert_keeps_the_newest(&cluster_page(&s, cluster).await, had, &newest);

    // More workloads go live: still at most the limit, and the count grows.
    s.apply_ok(&first_revisions(cluster, 3..20)).await;
    s.advance(60).await;
    let shown = cluster_page(&s, cluster).await;
    assert_eq!(shown["total"], 6, "{shown}");
    assert!(shown["pruned"].as_u64().unwrap() > had - 6, "{shown}");
    // Another cluster, and an unknown one.
    let other = cluster_page(&s, "staging-eu").await;
    assert_eq!(other["pruned"], 0);
    let a = s.get("/api/v1/clusters/nope/events").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.text());

    // SQLite holds what the engine holds: the pruned rows are gone, in both the read model
    // and the engine's state.
    drop(s);
    {
        let db = rusqlite::Connection::open(dir.path().join("rollouts.db")).unwrap();
        let n: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM events WHERE rollout_id IS NULL AND cluster_id = ?1",
                [cluster],
                |r| r.get(0),
            )
            .unwrap();
        let bound = (6 + limits.slack()) as i64;
        assert!((6..=bound).contains(&n), "read model: {n}");
        let state: i64 = db
            .query_row("SELECT COUNT(*) FROM state_events", [], |r| r.get(0))
            .unwrap();
        assert!((6..=bound).contains(&state), "engine state: {state}");
    }

    // After a restart, the same events and the same count.
    let s = start(setup()).await;
    s.core().set_retention(limits).await.unwrap();
    assert_eq!(cluster_page(&s, cluster).await, shown);
}
