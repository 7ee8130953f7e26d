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
    let ev = events["events"]
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
    assert!(events["events"]
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
    let messages: Vec<&str> = events["events"]
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

/// The engine's whole state, to compare before and after something that must change nothing.
async fn engine_state(s: &TestServer) -> Value {
    s.core()
        .read(|e| serde_json::to_value(e.snapshot()).unwrap())
        .await
}

#[tokio::test]
async fn the_audit_lists_actions_and_applies_with_who_and_why() {
    let s = start(Setup {
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await;
    let id = s.start_example_rollout().await;
    s.advance(20).await;
    let a = act(
        &s,
        &id,
        json!({"action": "pause", "reason": "checking dashboards"}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    s.advance(5).await;
    let a = act(
        &s,
        &id,
        json!({"action": "rollback", "reason": "error rate 4 %"}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // The services again: recorded, with nothing changed.
    s.apply_ok(EXAMPLES[0]).await;

    let page = s.get("/api/v1/audit").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let page = page.json();
    let entries = page["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["apply", "rollback", "pause", "apply", "apply"]);
    assert!(entries.iter().all(|e| e["actor"] == "token holder"));
    assert_eq!(entries[1]["reason"], "error rate 4 %");
    assert_eq!(entries[1]["rolloutId"], id.as_str());
    assert_eq!(entries[2]["reason"], "checking dashboards");
    // The first apply created seven documents; v2 configured the SpotDeployment and started
    // the rollout; the last one changed nothing.
    let first = &entries[4];
    assert_eq!(first["applied"].as_array().unwrap().len(), 7, "{first}");
    assert!(first["applied"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["outcome"] == "created"));
    let v2 = &entries[3];
    assert_eq!(
        v2["applied"],
        json!([{"kind": "SpotDeployment", "name": "checkout", "namespace": "payments", "outcome": "configured"}])
    );
    assert_eq!(v2["rolloutsStarted"], json!([id.as_str()]));
    assert!(v2["summary"].as_str().unwrap().contains("started"), "{v2}");
    assert_eq!(entries[0]["applied"], json!([]));
    assert!(entries[0]["summary"]
        .as_str()
        .unwrap()
        .contains("(2 unchanged)"));
    assert_eq!(page["nextCursor"], Value::Null);

    // Filters.
    let only = |q: &str| {
        let q = q.to_string();
        let s = &s;
        async move {
            let a = s.get(&format!("/api/v1/audit?{q}")).await;
            assert_eq!(a.status, StatusCode::OK, "{q}: {}", a.text());
            a.json()["entries"].as_array().unwrap().clone()
        }
    };
    assert_eq!(only("action=rollback").await.len(), 1);
    assert_eq!(only("action=rollback,pause").await.len(), 2);
    assert_eq!(only("action=apply").await.len(), 3);
    assert_eq!(only("actor=TOKEN%20HOLDER").await.len(), 5);
    assert_eq!(only("actor=alice").await.len(), 0);
    assert_eq!(only(&format!("rolloutId={id}")).await.len(), 2);
    let pause_at = entries[2]["at"].as_str().unwrap().to_string();
    let from = only(&format!("from={}", pause_at.replace('+', "%2B"))).await;
    assert_eq!(from.len(), 3, "{from:?}");
    let to = only(&format!("to={}", pause_at.replace('+', "%2B"))).await;
    assert_eq!(to.len(), 3, "the pause and the two applies before: {to:?}");

    // Pages of two walk every entry once, newest first.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let p = s
            .get(&format!("/api/v1/audit?limit=2&cursor={cursor}"))
            .await
            .json();
        for e in p["entries"].as_array().unwrap() {
            seen.push(e["id"].as_str().unwrap().to_string());
        }
        match p["nextCursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    let ids: Vec<String> = entries
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(seen, ids);

    // CSV for the console's export.
    let csv = s.get("/api/v1/audit?format=csv&action=rollback").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let text = csv.text();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "id,at,actor,action,rolloutId,reason,summary,applied"
    );
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains(&format!(",token holder,rollback,{id},error rate 4 %,")));

    for bad in [
        "action=explode",
        "limit=0",
        "cursor=nope",
        "format=xml",
        "from=yesterday",
    ] {
        let a = s.get(&format!("/api/v1/audit?{bad}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(!a.message().is_empty());
    }
}

#[tokio::test]
async fn the_audit_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let setup = || Setup {
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let id = {
        let s = start(setup()).await;
        let id = s.start_example_rollout().await;
        s.advance(20).await;
        let a = act(&s, &id, json!({"action": "pause", "reason": "lunch"})).await;
        assert_eq!(a.status, StatusCode::OK);
        s.core().store().unwrap().counts().await.unwrap();
        id
    };
    let s = start(setup()).await;
    let entries = s.get("/api/v1/audit").await.json()["entries"].clone();
    assert_eq!(entries.as_array().unwrap().len(), 3, "{entries}");
    assert_eq!(entries[0]["reason"], "lunch");
    assert_eq!(entries[0]["rolloutId"], id.as_str());
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert_eq!(d["activity"][0]["reason"], "lunch");
    drop(s);
    // The read model has them too (once the server has let go of the file).
    let query = |sql: &str| -> rusqlite::Result<rusqlite::types::Value> {
        let conn = rusqlite::Connection::open(dir.path().join("rollouts.db"))?;
        conn.query_row(sql, [], |r| r.get(0))
    };
    let mut reason = query("SELECT reason FROM actions");
    for _ in 0..50 {
        if reason.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        reason = query("SELECT reason FROM actions");
    }
    assert_eq!(
        reason.unwrap(),
        rusqlite::types::Value::Text("lunch".into())
    );
    assert_eq!(
        query("SELECT COUNT(*) FROM applies").unwrap(),
        rusqlite::types::Value::Integer(2)
    );
}

/// Document 1 is fine, 2 has a weight past 100 and 3 is not YAML.
fn mixed_stream() -> String {
    format!(
        "{}\n---\n{}\n---\nkind: [unclosed\n",
        V2.trim_end(),
        EXAMPLES[3]
            .trim_end()
            .replace("setWeight: 50", "setWeight: 250"),
    )
}

#[tokio::test]
async fn a_dry_run_plans_without_changing_anything() {
    let s = manual().await;
    s.apply_ok(&app_v1()).await;
    s.advance(60).await;
    let state = engine_state(&s).await;
    let seq = s.core().hub().last_seq();
    let audit = s.get("/api/v1/audit").await.json();

    let a = s
        .post(
            "/api/v1/apply?dryRun=true",
            "application/yaml",
            V2.to_string(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let plan = a.json();
    assert_eq!(plan["documents"].as_array().unwrap().len(), 1);
    let d = &plan["documents"][0];
    assert_eq!(d["outcome"], "configured");
    assert_eq!(d["kind"], "SpotDeployment");
    assert!(d["before"].as_str().unwrap().contains("checkout:1.41.0"));
    assert!(d["after"].as_str().unwrap().contains("checkout:1.42.0"));
    assert_eq!(
        plan["rolloutsStarted"],
        json!(["prod-us-east/payments/checkout"])
    );

    // Every invalid document, each at its line; still 200.
    let mixed = mixed_stream();
    let a = s
        .post(
            "/api/v1/apply?dryRun=true",
            "application/yaml",
            mixed.clone(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let plan = a.json();
    let docs = plan["documents"].as_array().unwrap();
    let outcomes: Vec<&str> = docs
        .iter()
        .map(|d| d["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["configured", "invalid", "invalid"]);
    let lines: Vec<&str> = mixed.lines().collect();
    let bad = &docs[1];
    assert!(
        lines[bad["line"].as_u64().unwrap() as usize - 1].contains("250"),
        "{bad}"
    );
    assert_eq!(docs[2]["line"], lines.len());
    assert_eq!(plan["rolloutsStarted"], json!([]));
    // The real apply of the same stream keeps answering 422 at the first.
    let a = s.apply(&mixed).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["line"], bad["line"]);

    // Nothing changed: the engine, the stream, the audit.
    assert_eq!(engine_state(&s).await, state);
    assert_eq!(s.core().hub().last_seq(), seq);
    assert_eq!(s.get("/api/v1/audit").await.json(), audit);

    // An empty stream is no plan.
    let a = s
        .post(
            "/api/v1/apply?dryRun=true",
            "application/yaml",
            "# nothing\n",
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = s
        .post(
            "/api/v1/apply?dryRun=maybe",
            "application/yaml",
            V2.to_string(),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);

    // The plan said what the apply does.
    let resp = s.apply_ok(V2).await;
    let id = resp["rolloutsStarted"][0].as_str().unwrap();
    let r = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert_eq!(r["spotDeployment"]["name"], "checkout");
}

#[tokio::test]
async fn a_read_only_server_answers_a_dry_run_and_refuses_the_apply() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = start(Setup {
            data_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        })
        .await;
        s.apply_ok(&app_v1()).await;
        s.core().store().unwrap().counts().await.unwrap();
    }
    let s = start(Setup {
        data_dir: Some(dir.path().to_path_buf()),
        read_only: true,
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await;
    let a = s
        .post(
            "/api/v1/apply?dryRun=true",
            "application/yaml",
            V2.to_string(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["documents"][0]["outcome"], "configured");
    let a = s.apply(V2).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    // A dry run still needs the token.
    let anonymous = TestServer {
        app: s.app.clone(),
        state: s.state.clone(),
        token: None,
    };
    let a = anonymous
        .post(
            "/api/v1/apply?dryRun=true",
            "application/yaml",
            V2.to_string(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_demo_has_an_audit_trail_of_deploys_and_reasoned_actions() {
    let s = start(Setup {
        demo: true,
        ..Default::default()
    })
    .await;
    let applies = s.get("/api/v1/audit?action=apply&limit=10000").await.json();
    let applies = applies["entries"].as_array().unwrap();
    assert!(applies.len() > 20, "{}", applies.len());
    assert!(applies.iter().all(|e| e["actor"] == "ci-pipeline"));
    let rollbacks = s
        .get("/api/v1/audit?action=rollback&actor=dan.kim")
        .await
        .json();
    let first = &rollbacks["entries"][0];
    assert_eq!(
        first["reason"], "p99 latency up 40 % on the canary",
        "{rollbacks}"
    );
    let id = first["rolloutId"].as_str().unwrap();
    let events = s.get(&format!("/api/v1/rollouts/{id}/events")).await.json();
    assert!(events["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["message"] == "Roll back by dan.kim: p99 latency up 40 % on the canary"));
}
