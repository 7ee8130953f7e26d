//! A database written by the first schema (no `user_version`) is upgraded in place and carries
//! on; one from a newer server is refused with a message saying so.

mod common;
use axum::http::StatusCode;
use common::*;
use std::path::Path;

const ROLLOUT: &str = "rol-zfbgyu8g";

fn unpack_v1(dir: &Path) {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/schema-v1.db.gz"
    );
    let out = std::process::Command::new("gzip")
        .args(["-dc", fixture])
        .output()
        .expect("gzip");
    assert!(out.status.success());
    std::fs::write(dir.join("rollouts.db"), out.stdout).unwrap();
}

fn user_version(dir: &Path) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("rollouts.db")).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_database_of_the_first_schema_is_upgraded_and_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    unpack_v1(dir.path());
    assert_eq!(
        user_version(dir.path()),
        0,
        "the first schema had no user_version"
    );
    let setup = || Setup {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let s = start(setup()).await;
    let d = s.get(&format!("/api/v1/rollouts/{ROLLOUT}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text());
    assert_eq!(d.json()["status"], "manualPaused");
    let events = s
        .get(&format!("/api/v1/rollouts/{ROLLOUT}/events"))
        .await
        .json();
    assert!(events["events"].as_array().unwrap().len() > 5, "{events}");
    // It carries on: resume, and the rollout moves again.
    let a = s
        .post_json(
            &format!("/api/v1/rollouts/{ROLLOUT}/actions"),
            serde_json::json!({"action": "resume", "reason": "after the upgrade"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // The actions stored before the upgrade are in the audit, without a reason; the new one
    // with its reason (schema 4).
    let audit = s.get("/api/v1/audit?action=resume,pause").await.json();
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries[0]["reason"], "after the upgrade", "{audit}");
    assert!(entries.len() > 1, "{audit}");
    assert!(
        entries[1..].iter().all(|e| e["reason"].is_null()),
        "{audit}"
    );
    s.advance(900).await;
    let d = s.get(&format!("/api/v1/rollouts/{ROLLOUT}")).await.json();
    assert_ne!(d["status"], "manualPaused", "{}", d["status"]);
    {
        let store = s.core().store().unwrap().clone();
        store.counts().await.unwrap();
    }
    drop(s);
    assert_eq!(user_version(dir.path()), rollout_server::migrate::CURRENT);
    {
        let conn = rusqlite::Connection::open(dir.path().join("rollouts.db")).unwrap();
        let reason: String = conn
            .query_row(
                "SELECT reason FROM actions WHERE reason IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(reason, "after the upgrade");
    }
    // Opening it again changes nothing more.
    let s = start(setup()).await;
    assert_eq!(
        s.get(&format!("/api/v1/rollouts/{ROLLOUT}")).await.json()["status"],
        d["status"]
    );
}

#[tokio::test]
async fn a_database_from_a_newer_server_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    unpack_v1(dir.path());
    {
        let conn = rusqlite::Connection::open(dir.path().join("rollouts.db")).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = rollout_server::boot::open(&rollout_server::boot::Options {
        data_dir: Some(dir.path().to_path_buf()),
        demo: false,
        mode: rollout_server::ClockMode::Manual,
    })
    .await
    .err()
    .expect("refused");
    assert!(
        err.contains("schema version 99") && err.contains("newer"),
        "{err}"
    );
}
