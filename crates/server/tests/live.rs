//! Over a real listener on port 0: the live stream delivers changes, and a reconnect with
//! `Last-Event-ID` replays what was missed (or asks for a resync when that is too old).

mod common;

use common::*;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

async fn listen(s: &TestServer) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = s.app.clone();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    addr
}

/// A plain HTTP/1.0 request (the body ends with the connection).
async fn http(addr: SocketAddr, method: &str, path: &str, ct: &str, body: &str) -> (u16, String) {
    let mut conn = TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    conn.read_to_string(&mut out).await.unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// One SSE message.
#[derive(Debug, Clone)]
struct Msg {
    id: Option<u64>,
    event: String,
    data: Value,
}

struct Sse {
    lines: tokio::io::Lines<BufReader<TcpStream>>,
}

impl Sse {
    async fn open(addr: SocketAddr, last_event_id: Option<u64>) -> Sse {
        let mut conn = TcpStream::connect(addr).await.unwrap();
        let last = last_event_id
            .map(|id| format!("Last-Event-ID: {id}\r\n"))
            .unwrap_or_default();
        let req = format!("GET /api/v1/stream HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\n{last}\r\n");
        conn.write_all(req.as_bytes()).await.unwrap();
        let mut lines = BufReader::new(conn).lines();
        let status = lines.next_line().await.unwrap().unwrap();
        assert!(status.contains(" 200 "), "{status}");
        let mut content_type = String::new();
        loop {
            let l = lines.next_line().await.unwrap().unwrap();
            if l.is_empty() {
                break;
            }
            if l.to_ascii_lowercase().starts_with("content-type:") {
                content_type = l;
            }
        }
        assert!(content_type.contains("text/event-stream"), "{content_type}");
        Sse { lines }
    }

    /// The next message (comments skipped), within `deadline`.
    async fn next(&mut self, deadline: Instant) -> Option<Msg> {
        let mut id = None;
        let mut event = String::new();
        let mut data = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = tokio::time::timeout(left, self.lines.next_line())
                .await
                .ok()?
                .ok()??;
            if line.is_empty() {
                if !data.is_empty() {
                    return Some(Msg {
                        id,
                        event,
                        data: serde_json::from_str(&data).unwrap(),
                    });
                }
                continue;
            }
            if let Some(v) = line.strip_prefix("id:") {
                id = v.trim().parse().ok();
            } else if let Some(v) = line.strip_prefix("event:") {
                event = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push_str(v.trim_start());
            }
        }
    }

    /// Messages until one matches, within a few seconds.
    async fn until(&mut self, what: impl Fn(&Msg) -> bool) -> Vec<Msg> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while let Some(m) = self.next(deadline).await {
            let done = what(&m);
            seen.push(m);
            if done {
                return seen;
            }
        }
        panic!(
            "no matching message; saw {seen:#?}; {}",
            std::panic::Location::caller()
        );
    }
}

#[tokio::test]
async fn the_stream_delivers_changes_with_ids_and_kinds() {
    let s = manual().await;
    let addr = listen(&s).await;
    let mut sse = Sse::open(addr, None).await;
    let (status, body) = http(addr, "POST", "/api/v1/apply", "application/yaml", &app_v1()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(addr, "POST", "/api/v1/apply", "application/yaml", V2).await;
    assert_eq!(status, 200, "{body}");
    let id = serde_json::from_str::<Value>(&body).unwrap()["rolloutsStarted"][0]
        .as_str()
        .unwrap()
        .to_string();
    let seen = sse
        .until(|m| m.event == "rollout" && m.data["rollout"]["id"] == id.as_str())
        .await;
    let last = seen.last().unwrap();
    assert_eq!(last.data["kind"], "rollout");
    assert_eq!(last.data["rollout"]["spotDeployment"]["name"], "checkout");
    // The workload follows its rollout: its new revision is the desired one.
    let seen = sse
        .until(|m| m.event == "workload" && m.data["workload"]["desiredRevision"] == 2)
        .await;
    let w = &seen.last().unwrap().data["workload"];
    assert_eq!(w["name"], "checkout");
    assert_eq!(w["liveRevision"], 1);
    // Ids rise.
    let ids: Vec<u64> = seen.iter().filter_map(|m| m.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    // Events flow too, once the clock moves.
    let (status, _) = http(
        addr,
        "POST",
        "/api/v1/sim/advance",
        "application/json",
        r#"{"seconds":20}"#,
    )
    .await;
    assert_eq!(status, 200);
    let seen = sse.until(|m| m.event == "event").await;
    assert_eq!(
        seen.last().unwrap().data["event"]["clusterId"],
        "prod-us-east"
    );
    // A cluster change.
    let (status, _) = http(
        addr,
        "POST",
        "/api/v1/clusters/staging-eu/operator",
        "application/json",
        &json!({"running": false}).to_string(),
    )
    .await;
    assert_eq!(status, 200);
    let seen = sse.until(|m| m.event == "cluster").await;
    assert_eq!(seen.last().unwrap().data["cluster"]["id"], "staging-eu");
}

#[tokio::test]
async fn reconnecting_with_last_event_id_replays_what_was_missed() {
    let s = manual().await;
    let addr = listen(&s).await;
    let mut sse = Sse::open(addr, None).await;
    http(addr, "POST", "/api/v1/apply", "application/yaml", &app_v1()).await;
    let first = sse.until(|m| m.id.is_some()).await;
    let last_seen = first.last().unwrap().id.unwrap();
    drop(sse);
    // While away: a rollout starts and moves.
    let (_, body) = http(addr, "POST", "/api/v1/apply", "application/yaml", V2).await;
    let id = serde_json::from_str::<Value>(&body).unwrap()["rolloutsStarted"][0]
        .as_str()
        .unwrap()
        .to_string();
    http(
        addr,
        "POST",
        "/api/v1/sim/advance",
        "application/json",
        r#"{"seconds":15}"#,
    )
    .await;
    let latest = s.core().hub().last_seq();
    assert!(latest > last_seen);

    let mut again = Sse::open(addr, Some(last_seen)).await;
    let replayed = again.until(|m| m.id == Some(latest)).await;
    let ids: Vec<u64> = replayed.iter().filter_map(|m| m.id).collect();
    assert_eq!(
        ids,
        ((last_seen + 1)..=latest).collect::<Vec<_>>(),
        "every missed message, in order"
    );
    assert!(replayed
        .iter()
        .any(|m| m.event == "rollout" && m.data["rollout"]["id"] == id.as_str()));
    // And it stays live afterwards (past the 2m pause window of the first step).
    http(
        addr,
        "POST",
        "/api/v1/sim/advance",
        "application/json",
        r#"{"seconds":150}"#,
    )
    .await;
    let more = again.until(|m| m.id.is_some_and(|i| i > latest)).await;
    assert!(!more.is_empty());
}

#[tokio::test]
async fn a_last_event_id_older_than_the_ring_gets_a_resync() {
    let s = manual().await;
    let addr = listen(&s).await;
    http(addr, "POST", "/api/v1/apply", "application/yaml", &app_v1()).await;
    let mut sse = Sse::open(addr, Some(1)).await;
    let first = sse
        .next(Instant::now() + Duration::from_secs(5))
        .await
        .expect("a message");
    assert_eq!(first.event, "resync");
    assert_eq!(first.data, json!({"kind": "resync"}));
    // From the future (another boot): resync as well.
    let mut sse = Sse::open(addr, Some(u64::MAX - 1)).await;
    let first = sse
        .next(Instant::now() + Duration::from_secs(5))
        .await
        .expect("a message");
    assert_eq!(first.event, "resync");
}

#[tokio::test]
async fn the_real_clock_moves_rollouts_on_and_streams_them() {
    let s = start(Setup {
        mode: rollout_server::ClockMode::Real { speed: 200.0 },
        ..Default::default()
    })
    .await;
    let addr = listen(&s).await;
    let ticker = s.core().spawn_ticker().expect("a real clock ticks");
    let mut sse = Sse::open(addr, None).await;
    let (status, body) = http(addr, "POST", "/api/v1/apply", "application/yaml", &app_v1()).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = http(addr, "POST", "/api/v1/apply", "application/yaml", V2).await;
    let id = serde_json::from_str::<Value>(&body).unwrap()["rolloutsStarted"][0]
        .as_str()
        .unwrap()
        .to_string();
    // About five simulated minutes: a couple of real seconds at 200x.
    let seen = sse
        .until(|m| {
            m.event == "rollout"
                && m.data["rollout"]["id"] == id.as_str()
                && m.data["rollout"]["status"] == "finished"
        })
        .await;
    assert!(seen.iter().any(|m| m.event == "event"));
    let (sim_advance, _) = http(
        addr,
        "POST",
        "/api/v1/sim/advance",
        "application/json",
        r#"{"seconds":1}"#,
    )
    .await;
    assert_eq!(sim_advance, 409);
    ticker.abort();
}
