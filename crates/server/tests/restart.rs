//! State survives a restart: run a rollout part way with a data dir, drop everything, start
//! again from the same dir, and it carries on.

mod common;

use common::*;
use rollout_engine::EngineState;
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

/// The example SpotDeployment with another image and simulator annotations.
fn version(image: &str, annotations: &[(&str, &str)]) -> String {
    let mut notes = String::new();
    for (k, v) in annotations {
        notes.push_str(&format!("    {k}: \"{v}\"\n"));
    }
    let head = "metadata:\n  name: checkout\n";
    let with = if notes.is_empty() {
        head.to_string()
    } else {
        format!("{head}  annotations:\n{notes}")
    };
    V2.replacen(head, &with, 1)
        .replace("checkout:1.42.0", &format!("checkout:{image}"))
}

/// The restored state must equal the one in memory, field for field (compared as values, not
/// as JSON: JSON could write two different values alike).
fn assert_same(restored: &EngineState, expected: &EngineState, when: &str) {
    if restored == expected {
        return;
    }
    let (a, b) = (format!("{restored:#?}"), format!("{expected:#?}"));
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let at = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    let around = |v: &[&str]| v[at.saturating_sub(12)..(at + 3).min(v.len())].join("\n");
    panic!(
        "{when}: the restored state differs at line {at}:\n--- restored\n{}\n--- in memory\n{}",
        around(&a),
        around(&b)
    );
}

async fn memory(s: &TestServer) -> EngineState {
    s.core().read(|e| e.snapshot()).await
}

/// Ticks one simulated second at a time: every tick is one delta written.
async fn tick(s: &TestServer, seconds: u64) {
    for _ in 0..seconds {
        let a = s.advance(1).await;
        assert_eq!(a.status, axum::http::StatusCode::OK, "{}", a.text());
    }
}

async fn act(s: &TestServer, id: &str, action: &str) {
    let a = s
        .post_json(
            &format!("/api/v1/rollouts/{id}/actions"),
            serde_json::json!({"action": action, "actor": "bob"}),
        )
        .await;
    assert_eq!(
        a.status,
        axum::http::StatusCode::OK,
        "{action}: {}",
        a.text()
    );
}

/// Stops the server and starts it again on the same data dir; the restored engine must be
/// exactly the one that was in memory.
async fn restart_and_compare(s: TestServer, dir: &tempfile::TempDir, when: &str) -> TestServer {
    let before = memory(&s).await;
    stop(s).await;
    let s = start(setup(dir)).await;
    let after = memory(&s).await;
    assert_same(&after, &before, when);
    s
}

#[tokio::test]
async fn after_many_ticks_of_deltas_a_restart_restores_the_engine_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(setup(&dir)).await;
    s.apply_ok(&app_v1()).await;
    tick(&s, 30).await;

    // A canary that crash-loops: pods restart, back off, the deadline passes, it rolls back.
    let crash = s
        .apply_ok(&version(
            "1.43.0",
            &[("sim.rollout.dev/crash-loop", "true")],
        ))
        .await["rolloutsStarted"][0]
        .as_str()
        .unwrap()
        .to_string();
    tick(&s, 45).await;
    let s = restart_and_compare(s, &dir, "mid crash loop").await;
    tick(&s, 300).await;
    let d: Value = s.get(&format!("/api/v1/rollouts/{crash}")).await.json();
    assert!(
        d["status"] == "failed" || d["status"] == "aborting",
        "{}",
        d["status"]
    );
    let s = restart_and_compare(s, &dir, "after the Kubernetes failure").await;

    // A new version whose verification fails: the failure policy aborts it.
    s.apply_ok(&version(
        "1.44.0",
        &[("sim.rollout.dev/metric-value", "0.5")],
    ))
    .await;
    tick(&s, 200).await;
    let s = restart_and_compare(s, &dir, "after a failed verification").await;

    // One driven by hand: paused, resumed, promoted in full; then replaced mid-way.
    let id = s.apply_ok(&version("1.45.0", &[])).await["rolloutsStarted"][0]
        .as_str()
        .unwrap()
        .to_string();
    tick(&s, 10).await;
    act(&s, &id, "pause").await;
    tick(&s, 5).await;
    let s = restart_and_compare(s, &dir, "paused by hand").await;
    act(&s, &id, "resume").await;
    tick(&s, 3).await;
    act(&s, &id, "promoteFull").await;
    tick(&s, 20).await;
    let replaced = s.apply_ok(&version("1.46.0", &[])).await["rolloutsStarted"][0]
        .as_str()
        .unwrap()
        .to_string();
    tick(&s, 4).await;
    s.apply_ok(&version("1.47.0", &[])).await;
    tick(&s, 12).await;
    let s = restart_and_compare(s, &dir, "after a rollout was replaced").await;
    let d: Value = s.get(&format!("/api/v1/rollouts/{replaced}")).await.json();
    assert_eq!(d["status"], "canceled");
    // The restored store takes deltas on top of what it loaded.
    tick(&s, 600).await;
    let s = restart_and_compare(s, &dir, "at the end").await;
    let state = memory(&s).await;
    assert!(state.rollouts.len() >= 5 && state.actions.len() >= 3);
    assert!(state.events.len() > 50, "{}", state.events.len());
}

#[tokio::test]
async fn the_seeded_demo_written_whole_then_by_deltas_restores_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let demo = || Setup {
        demo: true,
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    // Seeded: a week of history written as one complete delta.
    let s = start(demo()).await;
    let seeded = memory(&s).await;
    stop(s).await;
    let s = start(demo()).await;
    assert_same(&memory(&s).await, &seeded, "the seeded demo");
    // Then the demo's rollouts move on, tick by tick.
    tick(&s, 240).await;
    let before = memory(&s).await;
    assert_ne!(before, seeded);
    stop(s).await;
    let s = start(demo()).await;
    assert_same(&memory(&s).await, &before, "the demo ticked on");
}
