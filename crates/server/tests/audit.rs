//! Who did what and why: reasons on actions (kept, shown in events and Activity, required with
//! `--require-reason`), the actor taken from the authenticated principal, and the audit log of
//! actions and applies (`GET /api/v1/audit`).

mod common;
use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};

const TOKEN: &str = "audit-test-token-0123456789abcdef0123";

async fn act(s: &TestServer, id: &str, body: Value) -> Answer {
    s.post_json(&format!("/api/v1/rollouts/{id}/actions"), body)
        .await
}

#[tokio::test]
async fn a_reason_is_kept_with_the_action_and_shown_in_its_event() {
    let s = start(Setup {
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await;
    let id = s.start_example_rollout().await;
    s.advance(20).await;
    // The body's actor is not a thing: who acts is who authenticated.
    let a = act(
        &s,
        &id,
        json!({"action": "rollback", "reason": "  canary error rate 4 %\t ", "actor": "the CEO"}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let d = a.json();
    let activity = d["activity"].as_array().unwrap();
    assert_eq!(activity.len(), 1, "{d}");
    assert_eq!(activity[0]["action"], "rollback");
    assert_eq!(activity[0]["actor"], "token holder");
    assert_eq!(activity[0]["reason"], "canary error rate 4 %");
    assert_eq!(
        d["failureReason"]["message"],
        "Rolled back by token holder: canary error rate 4 %"
    );

    let events = s.get(&format!("/api/v1/rollouts/{id}/events")).await.json();
    let ev = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["reason"] == "ActionRollback")
        .unwrap_or_else(|| panic!("no action event in {events}"));
    assert_eq!(
        ev["message"],
        "Roll back by token holder: canary error rate 4 %"
    );
    assert_eq!(ev["actor"], "token holder");
    assert_eq!(ev["actionReason"], "canary error rate 4 %");
    // Other events carry neither.
    assert!(events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] != "ActionRollback")
        .all(|e| e.get("actor").is_none() && e.get("actionReason").is_none()));
}

#[tokio::test]
async fn without_a_reason_the_event_names_the_actor_only() {
    let s = manual().await;
    let id = s.start_example_rollout().await;
    s.advance(20).await;
    for body in [
        json!({"action": "pause"}),
        json!({"action": "resume", "reason": "   "}),
        json!({"action": "pause", "reason": null}),
    ] {
        let a = act(&s, &id, body.clone()).await;
        assert_eq!(a.status, StatusCode::OK, "{body}: {}", a.text());
    }
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    let activity = d["activity"].as_array().unwrap();
    assert_eq!(activity.len(), 3);
    for a in activity {
        assert_eq!(a["actor"], "anonymous");
        assert_eq!(a["reason"], Value::Null, "an empty reason is none: {a}");
    }
    let events = s.get(&format!("/api/v1/rollouts/{id}/events")).await.json();
    let messages: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == "anonymous")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(messages.contains(&"Pause by anonymous"), "{messages:?}");
    assert!(messages.contains(&"Resume by anonymous"), "{messages:?}");
}

#[tokio::test]
async fn a_reason_past_the_cap_is_422_and_changes_nothing() {
    let s = manual().await;
    let id = s.start_example_rollout().await;
    s.advance(20).await;
    let long = "é".repeat(rollout_api::MAX_REASON_CHARS + 1);
    let a = act(&s, &id, json!({"action": "pause", "reason": long})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert!(a.message().contains("at most 500"), "{}", a.message());
    let exact = "é".repeat(rollout_api::MAX_REASON_CHARS);
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert!(d["activity"].as_array().unwrap().is_empty());
    let a = act(&s, &id, json!({"action": "pause", "reason": exact})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
}

#[tokio::test]
async fn require_reason_refuses_an_action_without_one() {
    let s = start(Setup {
        require_reason: true,
        ..Default::default()
    })
    .await;
    let h = s.get("/api/v1/health").await.json();
    assert_eq!(h["requireReason"], true);
    let id = s.start_example_rollout().await;
    s.advance(20).await;
    for body in [
        json!({"action": "pause"}),
        json!({"action": "pause", "reason": " \n "}),
    ] {
        let a = act(&s, &id, body).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
        assert!(a.message().contains("requires a reason"), "{}", a.message());
    }
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert!(d["activity"].as_array().unwrap().is_empty());
    assert_ne!(d["status"], "manualPaused");
    let a = act(&s, &id, json!({"action": "pause", "reason": "freeze"})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());

    let open = manual().await;
    assert_eq!(
        open.get("/api/v1/health").await.json()["requireReason"],
        false
    );
}
