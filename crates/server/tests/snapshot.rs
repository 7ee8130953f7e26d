//! `serve --snapshot`: the same API over Kubernetes objects read from files, read-only.

mod common;

use axum::http::StatusCode;
use common::TestServer;
use rollout_server::{snapshot, AppState, Config, Source};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../kube/tests/fixtures")
        .join(dir)
}

fn server(path: &Path) -> TestServer {
    let kube = snapshot::open(path).expect("the snapshot loads");
    let state = AppState::with_source(
        Config {
            dist: PathBuf::from("/nonexistent-dist"),
            ..Default::default()
        },
        Source::Kube(Arc::new(kube)),
    );
    TestServer {
        app: rollout_server::app(state.clone()),
        state,
        token: None,
    }
}

async fn get(s: &TestServer, path: &str) -> (StatusCode, Value) {
    let a = s.get(path).await;
    (a.status, a.json())
}

async fn post_json(s: &TestServer, path: &str, body: &str) -> (StatusCode, Value) {
    let a = s.post(path, "application/json", body.to_string()).await;
    (a.status, a.json())
}

async fn post_yaml(s: &TestServer, path: &str, body: &str) -> (StatusCode, Value) {
    let a = s.post(path, "application/yaml", body.to_string()).await;
    (a.status, a.json())
}

/// Every rollout, whatever its start time.
async fn all_rollouts(s: &TestServer) -> Vec<Value> {
    let (status, body) = get(s, "/api/v1/rollouts?from=2000-01-01T00:00:00Z&limit=1000").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn health_says_snapshot_taken_at_its_newest_timestamp() {
    let app = server(&fixtures("canary"));
    let (status, h) = get(&app, "/api/v1/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["readOnly"], true);
    assert_eq!(h["manualClock"], false);
    assert_eq!(h["speed"], 0.0);
    // The Pod's last back-off event is the newest moment in the capture.
    assert_eq!(h["snapshot"]["takenAt"], "2019-10-28T04:54:40Z");
    assert_eq!(h["now"], h["snapshot"]["takenAt"]);
    let skipped = h["snapshot"]["skipped"].as_array().unwrap();
    let kinds: Vec<&str> = skipped
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["apps/v1/Deployment", "v1/ConfigMap"]);
    assert_eq!(h["rollouts"], 6 * 3);
}

#[tokio::test]
async fn the_rollout_page_reads_the_kubernetes_objects() {
    let app = server(&fixtures("canary"));
    let items = all_rollouts(&app).await;
    let newest = items
        .iter()
        .find(|r| r["rolloutSpec"] == "canary-demo" && r["spotDeployment"]["revision"] == 31)
        .expect("revision 31 of canary-demo");
    assert_eq!(newest["status"], "failed");
    assert_eq!(newest["image"], "argoproj/rollouts-demo:does-not-exist");
    assert_eq!(newest["clusterId"], "snapshot");
    let id = newest["id"].as_str().unwrap();

    let (status, d) = get(&app, &format!("/api/v1/rollouts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let k = &d["kubernetes"];
    assert_eq!(k["kind"], "Rollout");
    assert_eq!(k["phase"], "Degraded");
    assert_eq!(k["step"], serde_json::json!({"index": 0, "count": 8}));
    assert_eq!(k["setWeight"], 20);
    assert_eq!(k["actualWeight"], 0);
    assert_eq!(
        k["images"],
        serde_json::json!([
            {"image": "argoproj/rollouts-demo:does-not-exist", "roles": ["canary"]},
            {"image": "argoproj/rollouts-demo:green", "roles": ["stable"]}
        ])
    );
    assert_eq!(
        k["replicas"],
        serde_json::json!({"desired": 5, "current": 6, "updated": 1, "ready": 5, "available": 5})
    );
    // Nothing can be done to a snapshot, and the detail says why.
    assert!(d["actions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["enabled"] == false && a["reason"] == "snapshot: read-only"));

    let (_, events) = get(&app, &format!("/api/v1/rollouts/{id}/events")).await;
    let events = events["events"].as_array().unwrap();
    let objects: Vec<&str> = events
        .iter()
        .map(|e| e["object"].as_str().unwrap())
        .collect();
    // Newest first: the pod's image pull back-off, then the Rollout's deadline, then the
    // creation of revision 31 (Rollout, ReplicaSet).
    assert_eq!(
        objects[..3],
        [
            "Pod/canary-demo-65fb5ffc84-9wf5r",
            "Pod/canary-demo-65fb5ffc84-9wf5r",
            "Rollout/canary-demo"
        ]
    );
    assert!(objects.contains(&"ReplicaSet/canary-demo-65fb5ffc84"));
    assert_eq!(events.len(), 6);
    assert_eq!(events[0]["reason"], "BackOff");
    assert_eq!(events[1]["type"], "Warning");
    assert!(
        events
            .iter()
            .any(|e| e["reason"] == "ProgressDeadlineExceeded"
                && e["object"] == "Rollout/canary-demo")
    );

    let (_, res) = get(&app, &format!("/api/v1/rollouts/{id}/resources")).await;
    assert_eq!(res["pods"].as_array().unwrap().len(), 6);
    assert_eq!(
        res["replicaSets"]["latest"]["name"],
        "canary-demo-65fb5ffc84"
    );
    assert_eq!(
        res["replicaSets"]["stable"]["name"],
        "canary-demo-877894d5b"
    );
    assert_eq!(res["services"][0]["name"], "canary-demo-preview");
    assert_eq!(res["services"][0]["role"], "canary");

    let (_, m) = get(&app, &format!("/api/v1/rollouts/{id}/manifests")).await;
    assert_eq!(
        (m["oldVersion"].as_u64(), m["newVersion"].as_u64()),
        (Some(30), Some(31))
    );
    let (_, def) = get(&app, &format!("/api/v1/rollouts/{id}/definition")).await;
    assert!(def["strategy"].as_str().unwrap().contains("setWeight: 20"));
    assert!(def["rolloutSpec"]
        .as_str()
        .unwrap()
        .contains("kind: Rollout"));

    let (status, w) = get(&app, "/api/v1/workloads/snapshot/jesse-test/canary-demo").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(w["desiredRevision"], 31);
    assert_eq!(w["liveRevision"], 30);
}

#[tokio::test]
async fn every_change_is_refused_with_409() {
    let app = server(&fixtures("rollout-aborted"));
    let items = all_rollouts(&app).await;
    let id = items[0]["id"].as_str().unwrap();
    let (status, body) = post_json(
        &app,
        &format!("/api/v1/rollouts/{id}/actions"),
        r#"{"action":"retry"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["message"], "snapshot: read-only");
    let (status, body) = post_yaml(&app, "/api/v1/apply", "kind: Strategy\nname: x\n").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["message"], "snapshot: read-only");
    // A dry run is answered: the documents are checked, nothing is applied here.
    let (status, plan) = post_yaml(
        &app,
        "/api/v1/apply?dryRun=true",
        "kind: Strategy\nname: x\n---\nkind: Nothing\n",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(plan["documents"][0]["outcome"], "invalid", "{plan}");
    assert_eq!(plan["documents"][1]["outcome"], "invalid", "{plan}");
    assert_eq!(plan["documents"][1]["line"], 4, "{plan}");
    assert_eq!(
        plan["messages"],
        serde_json::json!([rollout_server::source::CHECKED_ONLY])
    );
    // No action was taken here: the audit is empty.
    let (status, audit) = get(&app, "/api/v1/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(audit["entries"], serde_json::json!([]));
    let (status, _) = post_json(&app, "/api/v1/sim/advance", r#"{"seconds":5}"#).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = post_json(
        &app,
        "/api/v1/rollouts/rol-nope/actions",
        r#"{"action":"retry"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn ids_are_the_same_after_a_restart() {
    let path = fixtures("");
    let first: Vec<Value> = all_rollouts(&server(&path)).await;
    let again: Vec<Value> = all_rollouts(&server(&path)).await;
    let ids = |v: &[Value]| v.iter().map(|r| r["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&again));
    assert!(first.len() >= 25, "every capture together: {}", first.len());
}

#[test]
fn a_malformed_file_names_the_file_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web\nspec: {}\n---\nkind: Pod\n",
    )
    .unwrap();
    let err = snapshot::open(dir.path())
        .err()
        .expect("an error")
        .to_string();
    assert!(err.contains("b.yaml: line 6: invalid YAML"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let err = snapshot::open(empty.path())
        .err()
        .expect("an error")
        .to_string();
    assert!(err.contains("no .yaml, .yml or .json file"), "{err}");
}
