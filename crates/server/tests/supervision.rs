//! A controller bug in one rollout: the server keeps answering, the rollout fails with the
//! reason, `/health` reports the error and the last tick, and a restart does not replay it.

mod common;
use axum::http::StatusCode;
use common::*;

#[tokio::test]
async fn a_controller_panic_fails_the_rollout_and_health_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let setup = || Setup {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let s = start(setup()).await;
    let id = s.start_example_rollout().await;
    s.advance(5).await;
    let before = s.get("/api/v1/health").await.json();
    assert_eq!(before["tick"]["errors"], 0, "{before}");
    assert!(before["tick"]["lastError"].is_null());

    s.core().inject_panic(&id).await;
    let a = s.advance(5).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let h = s.get("/api/v1/health").await.json();
    assert_eq!(h["tick"]["errors"], 1, "{h}");
    let last = h["tick"]["lastError"].as_str().unwrap();
    assert!(
        last.contains(&id) && last.contains("injected controller fault"),
        "{last}"
    );
    assert_eq!(h["tick"]["lastTick"], h["now"]);
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert_eq!(d["status"], "failed");
    assert_eq!(d["failureReason"]["type"], "controllerError");

    // The clock keeps running for everything else; the panic is not met again.
    let a = s.advance(120).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(s.get("/api/v1/health").await.json()["tick"]["errors"], 1);
    {
        let store = s.core().store().unwrap().clone();
        store.counts().await.unwrap();
    }
    drop(s);

    let s = start(setup()).await;
    s.core().inject_panic(&id).await;
    s.advance(60).await;
    let h = s.get("/api/v1/health").await.json();
    assert_eq!(h["tick"]["errors"], 0, "a restart replays nothing: {h}");
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert_eq!(d["status"], "failed");
}

#[tokio::test]
async fn a_controller_stopped_outside_any_rollout_is_reported_until_a_tick_succeeds() {
    let s = start(Setup::default()).await;
    let id = s.start_example_rollout().await;
    s.advance(5).await;
    let h = s.get("/api/v1/health").await.json();
    assert!(h["tick"]["controllerError"].is_null(), "{h}");

    s.core().inject_outside_panic(true).await;
    let a = s.advance(5).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let h = s.get("/api/v1/health").await.json();
    let stopped = &h["tick"]["controllerError"];
    assert!(
        stopped["message"]
            .as_str()
            .unwrap()
            .contains("outside any rollout"),
        "{h}"
    );
    let since = stopped["since"].clone();
    assert!(since.is_string());
    // Still stopped on the next ticks, since the first one that failed; nothing advanced.
    let before = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    s.advance(30).await;
    let h = s.get("/api/v1/health").await.json();
    assert_eq!(h["tick"]["controllerError"]["since"], since, "{h}");
    assert_eq!(
        s.get(&format!("/api/v1/rollouts/{id}")).await.json(),
        before
    );

    // Fixed: the next tick runs and the report goes away.
    s.core().inject_outside_panic(false).await;
    s.advance(5).await;
    let h = s.get("/api/v1/health").await.json();
    assert!(h["tick"]["controllerError"].is_null(), "{h}");
    assert!(h["tick"]["errors"].as_u64().unwrap() >= 2);
}
