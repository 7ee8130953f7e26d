//! State survives a restart: run a rollout part way with a data dir, drop everything, start
//! again from the same dir, and it carries on.

mod common;

use common::*;
use serde_json::Value;

fn setup(dir: &tempfile::TempDir) -> Setup {
    Setup {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    }
}

async fn stop(s: TestServer) {
    // Every write was awaited by the call that made it; make sure the store thread is idle.
    let store = s.core().store().expect("a store").clone();
    store.counts().await.unwrap();
    drop(s);
}

#[tokio::test]
async fn a_rollout_carries_on_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(setup(&dir)).await;
    let id = s.start_example_rollout().await;
    s.advance(20).await;
    s.post_json(
        &format!("/api/v1/rollouts/{id}/actions"),
        serde_json::json!({"action": "pause", "actor": "bob"}),
    )
    .await;
    s.advance(5).await;
    let before: Value = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    let events_before = s.get(&format!("/api/v1/rollouts/{id}/events")).await.json();
    let resources_before = s
        .get(&format!("/api/v1/rollouts/{id}/resources"))
        .await
        .json();
    let health_before = s.get("/api/v1/health").await.json();
    let workloads_before = s.get("/api/v1/workloads").await.json();
    assert!(
        before["status"].as_str().unwrap().contains("aused"),
        "{}",
        before["status"]
    );
    let counts = s.core().store().unwrap().counts().await.unwrap();
    assert!(
        counts.rollouts >= 1 && counts.events >= 1 && counts.actions >= 1,
        "{counts:?}"
    );
    stop(s).await;

    let s = start(setup(&dir)).await;
    assert_eq!(
        s.get(&format!("/api/v1/rollouts/{id}")).await.json(),
        before
    );
    assert_eq!(
        s.get(&format!("/api/v1/rollouts/{id}/events")).await.json(),
        events_before
    );
    assert_eq!(
        s.get(&format!("/api/v1/rollouts/{id}/resources"))
            .await
            .json(),
        resources_before
    );
    assert_eq!(s.get("/api/v1/workloads").await.json(), workloads_before);
    assert_eq!(
        s.get("/api/v1/health").await.json()["now"],
        health_before["now"]
    );

    // It carries on: resume and let it finish.
    let a = s
        .post_json(
            &format!("/api/v1/rollouts/{id}/actions"),
            serde_json::json!({"action": "resume"}),
        )
        .await;
    assert_eq!(a.status, axum::http::StatusCode::OK, "{}", a.text());
    let a = s
        .post_json(
            &format!("/api/v1/rollouts/{id}/actions"),
            serde_json::json!({"action": "promoteFull"}),
        )
        .await;
    assert_eq!(a.status, axum::http::StatusCode::OK, "{}", a.text());
    s.advance(900).await;
    let after: Value = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert_eq!(after["status"], "finished");
    stop(s).await;

    // And once more: the finished state is what comes back.
    let s = start(setup(&dir)).await;
    assert_eq!(
        s.get(&format!("/api/v1/rollouts/{id}")).await.json()["status"],
        "finished"
    );
}

#[tokio::test]
async fn each_write_stores_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(setup(&dir)).await;
    s.start_example_rollout().await;
    s.advance(3600).await;
    let store = s.core().store().unwrap().clone();
    let total = store.counts().await.unwrap().engine_rows;
    // Once everything has settled, a tick rewrites only the clock (and whatever moved).
    let written = {
        let core = s.core();
        core.advance(1).await.unwrap();
        store.last_write_rows()
    };
    assert!(written < total / 4, "{written} of {total} rows rewritten");
}

#[tokio::test]
async fn one_server_per_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let _first = start(setup(&dir)).await;
    let second = rollout_server::boot::open(&rollout_server::boot::Options {
        data_dir: Some(dir.path().to_path_buf()),
        demo: false,
        mode: rollout_server::ClockMode::Manual,
    })
    .await;
    let err = second.err().expect("the second server is refused");
    assert!(err.contains("in use by another rollout-server"), "{err}");
}
