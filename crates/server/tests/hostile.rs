//! The issue's probes against the HTTP API: each answers a 4xx naming the place, quickly, and
//! the server keeps serving (no panic, no stall behind the engine lock).

mod common;
use axum::http::StatusCode;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

const TEMPLATE_INTERVAL: &str = r#"kind: VerificationTemplate
name: success-rate
metrics:
  - name: success-rate
    interval: 9000000000000
    provider:
      prometheus:
        query: up
"#;

fn spot_deployment(replicas: u32) -> String {
    V2.replace("replicas: 5", &format!("replicas: {replicas}"))
}

fn alias_bomb() -> String {
    let mut s = String::from("kind: Strategy\nname: lol\na0: &a0 [");
    s.push_str(&vec!["\"lol-lol-lol-lol\""; 60].join(","));
    s.push_str("]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    while s.len() < 15_000 {
        s.push_str("# padding to the probe's size\n");
    }
    s
}

async fn still_serving(server: &TestServer) {
    let a = server.get("/api/v1/health").await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn the_nine_trillion_second_interval_is_a_422_and_the_clock_keeps_running() {
    let server = manual().await;
    server.apply_ok(&app_v1()).await;
    let a = server.apply(TEMPLATE_INTERVAL).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    let body = a.json();
    assert_eq!(body["document"], 1);
    assert_eq!(body["line"], 5);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("metrics[0].interval"),
        "{body}"
    );
    // The rollout that would have used it runs on; a day of ticks is fine.
    server.apply_ok(V2).await;
    let a = server.advance(24 * 3600).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    still_serving(&server).await;
}

/// A strategy whose third step asks for a 99,999-day pause, written in flow style on line 8.
const STRATEGY_LONG_PAUSE: &str =
    include_str!("../../engine/tests/fixtures/long-pause-strategy.yaml");

#[tokio::test]
async fn a_cap_error_names_the_line_and_column_of_the_field_not_of_the_document() {
    let server = manual().await;
    // Second in the stream, after a 4-line document and `---`: the field is on line 13.
    let stream = format!("kind: Strategy\nname: short\ncanary:\n  steps: [{{setWeight: 100}}]\n---\n{STRATEGY_LONG_PAUSE}");
    let a = server.apply(&stream).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    let body = a.json();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("pause.duration"),
        "{body}"
    );
    assert_eq!(
        (&body["document"], &body["line"], &body["column"]),
        (&json!(2), &json!(13), &json!(31)),
        "{body}"
    );
    // The dry run marks the same place on the document.
    let a = server
        .post("/api/v1/apply?dryRun=true", "application/yaml", stream)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let d = &a.json()["documents"][1];
    assert_eq!(d["outcome"], "invalid", "{d}");
    assert_eq!((&d["line"], &d["column"]), (&json!(13), &json!(31)), "{d}");
}

#[tokio::test]
async fn huge_replica_counts_are_refused_at_once() {
    let server = manual().await;
    server.apply_ok(&app_v1()).await;
    assert!(V2.contains("replicas: 5"), "the fixture sets 5 replicas");
    for replicas in [200_000, 2_000_000] {
        let started = Instant::now();
        let a = server.apply(&spot_deployment(replicas)).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
        assert!(a.message().starts_with("spec.replicas"), "{}", a.text());
        assert!(started.elapsed() < Duration::from_millis(500));
    }
    still_serving(&server).await;
}

#[tokio::test]
async fn an_alias_bomb_is_a_422_in_milliseconds() {
    let server = manual().await;
    let bomb = alias_bomb();
    let started = Instant::now();
    let a = server.apply(&bomb).await;
    let took = started.elapsed();
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert!(a.message().contains("aliases"), "{}", a.text());
    assert!(took < Duration::from_millis(300), "took {took:?}");
    still_serving(&server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_answered_while_a_large_stream_is_read() {
    let server = manual().await;
    // ~1.9 MB of valid documents: reading them takes a while, off the engine lock.
    let doc = "kind: Strategy\nname: s\ncanary:\n  steps:\n    - setWeight: 10\n      pause: {}\n    - setWeight: 60\n";
    let mut docs = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < 1_900_000 / 2 && docs.len() < 2_000 {
        let d = doc.replace("name: s", &format!("name: s{i}"));
        size += d.len();
        docs.push(d);
        i += 1;
    }
    let yaml = docs.join("---\n");
    let app = server.app.clone();
    let heavy = tokio::spawn(async move {
        let req = axum::http::Request::post("/api/v1/apply")
            .header("content-type", "application/yaml")
            .body(axum::body::Body::from(yaml))
            .unwrap();
        tower::ServiceExt::oneshot(app, req).await.unwrap().status()
    });
    let started = Instant::now();
    still_serving(&server).await;
    let list = server.get("/api/v1/rollouts").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(heavy.await.unwrap(), StatusCode::OK);
}

#[tokio::test]
async fn paths_longer_than_a_file_name_are_not_found_not_a_server_error() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><p>console</p>",
    )
    .unwrap();
    let server = start(Setup {
        dist: dist.path().to_path_buf(),
        ..Default::default()
    })
    .await;
    // Not a file: 404, where the file system's "name too long" used to be a 500 (and an error
    // in the log for each such request).
    let a = server.get(&format!("/{}.js", "a".repeat(300))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // A console route, even longer than a whole path may be, is a page like any other.
    let page = server.get(&format!("/rollouts/{}", "a".repeat(5000))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(), "<!doctype html><p>console</p>");
    still_serving(&server).await;
}
