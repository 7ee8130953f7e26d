//! `serve --kubeconfig`: the API over live clusters, with the real kube-rs client talking to a
//! fake API server started by the test: the list fills from the watch, a change reaches the
//! stream within a second, actions send the plugin's patches (a 403 comes back with the API
//! server's message, `--read-only` refuses before anything is sent), and revisions the cluster
//! dropped stay listed from the history, across a restart.

mod common;

use axum::http::StatusCode;
use common::TestServer;
use rollout_api::StreamMessage;
use rollout_kube_live::fake::{controller_deployment, FakeApi};
use rollout_kube_live::Target;
use rollout_server::history::History;
use rollout_server::{live, AppState, Config, Source};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const NS: &str = "jesse-test";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../kube/tests/fixtures/canary")
}

/// The canary-demo capture, paused at its first pause step.
async fn fake_cluster() -> FakeApi {
    let fake = FakeApi::start().await;
    fake.argo_kinds();
    for f in [
        "canary-rollout.yaml",
        "canary-rs.yaml",
        "stable-rs.yaml",
        "old-rs.yaml",
        "canary-pod.yaml",
        "stable-pod1.yaml",
        "extra-events.yaml",
        "extra-services.yaml",
    ] {
        fake.put_yaml_file(&fixtures().join(f));
    }
    let mut ro = fake
        .get("argoproj.io/v1alpha1", "Rollout", NS, "canary-demo")
        .unwrap();
    // Paused, not past its progress deadline as captured.
    let conditions: Vec<Value> = ro["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["reason"] != "ProgressDeadlineExceeded")
        .cloned()
        .collect();
    ro["status"]["conditions"] = json!(conditions);
    ro["status"]["phase"] = json!("Paused");
    ro["status"]["message"] = json!("CanaryPauseStep");
    ro["status"]["currentStepIndex"] = json!(1);
    ro["status"]["pauseConditions"] =
        json!([{"reason": "CanaryPauseStep", "startTime": "2019-10-28T00:00:00Z"}]);
    fake.put(ro);
    fake.put(controller_deployment(true));
    fake
}

async fn server(fake: &FakeApi, data: Option<&Path>, read_only: bool) -> TestServer {
    let history = data.map(|d| History::open(d).unwrap());
    let source = live::start(
        vec![Target {
            id: "kind-rollouts".into(),
            name: "kind-rollouts".into(),
            client: fake.client(),
            namespaces: Vec::new(),
        }],
        history,
    )
    .await;
    let state = AppState::with_source(
        Config {
            dist: PathBuf::from("/nonexistent-dist"),
            read_only,
            ..Default::default()
        },
        Source::Kube(source),
    );
    TestServer {
        app: rollout_server::app(state.clone()),
        state,
        token: None,
    }
}

async fn rollouts(s: &TestServer) -> Vec<Value> {
    let a = s
        .get("/api/v1/rollouts?from=2000-01-01T00:00:00Z&limit=1000")
        .await;
    assert_eq!(a.status, StatusCode::OK);
    a.json()["items"].as_array().unwrap().clone()
}

/// Waits until the list satisfies `want`.
async fn until_listed(s: &TestServer, what: &str, want: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let items = rollouts(s).await;
        if want(&items) {
            return items;
        }
        assert!(Instant::now() < deadline, "{what}: {items:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn named<'a>(items: &'a [Value], name: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|r| r["spotDeployment"]["name"] == name)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_cluster_is_listed_streamed_acted_on_and_remembered() {
    let fake = fake_cluster().await;
    let data = tempfile::tempdir().unwrap();
    let s = server(&fake, Some(data.path()), false).await;
    let items = until_listed(&s, "canary-demo listed", |i| {
        !named(i, "canary-demo").is_empty()
    })
    .await;
    let revisions = named(&items, "canary-demo").len();
    assert!(revisions >= 2, "the ReplicaSets' revisions: {items:#?}");
    let current = named(&items, "canary-demo")[0].clone();
    let id = current["id"].as_str().unwrap().to_string();
    assert_eq!(current["clusterId"], "kind-rollouts");
    assert_eq!(current["status"], "paused", "{current}");

    // Health and the cluster list say where the data comes from and how the link is.
    // Connected once every kind's first list is in (the rollouts may come first).
    let deadline = Instant::now() + Duration::from_secs(20);
    let h = loop {
        let h = s.get("/api/v1/health").await.json();
        if h["live"][0]["state"] != "connecting" {
            break h;
        }
        assert!(Instant::now() < deadline, "{h}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(h["readOnly"], false);
    assert_eq!(h["live"][0]["context"], "kind-rollouts");
    assert_eq!(h["live"][0]["state"], "connected", "{h}");
    assert_eq!(h["live"][0]["controller"], "available");
    assert_eq!(h["live"][0]["controllerVersion"], "v1.7.2");
    let clusters = s.get("/api/v1/clusters").await.json();
    assert_eq!(clusters[0]["id"], "kind-rollouts");
    assert_eq!(clusters[0]["operator"]["running"], true);
    assert_eq!(clusters[0]["heartbeatStale"], false);

    // A change on the cluster reaches the live stream within a second.
    let (_, mut rx) = s.state.source().hub().subscribe(None);
    let mut ro = fake
        .get("argoproj.io/v1alpha1", "Rollout", NS, "canary-demo")
        .unwrap();
    ro["status"]["message"] = json!("CanaryPauseStep: waiting for a person");
    let t0 = Instant::now();
    fake.put(ro);
    // (Messages from before the change, e.g. the last kinds' first lists, may come first.)
    loop {
        let left = Duration::from_secs(1).saturating_sub(t0.elapsed());
        let n = tokio::time::timeout(left, rx.recv())
            .await
            .expect("the change on the stream within a second")
            .unwrap();
        let msg: StreamMessage = serde_json::from_str(&n.data).unwrap();
        if let StreamMessage::Rollout { rollout } = msg {
            if rollout.id != id {
                continue;
            }
            let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
            if d["kubernetes"]["message"] == "CanaryPauseStep: waiting for a person" {
                break;
            }
        }
    }

    // Promote a step pause: the plugin's one patch, on the status subresource.
    let a = s
        .post_json(
            &format!("/api/v1/rollouts/{id}/actions"),
            json!({"action": "promote", "reason": "metrics look fine"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    // The answer is the detail once the watch brought the change back, with who did it.
    let d = a.json();
    assert_eq!(d["activity"][0]["action"], "promote", "{}", d["activity"]);
    assert_eq!(d["activity"][0]["reason"], "metrics look fine");
    // The audit lists it.
    let audit = s.get("/api/v1/audit").await.json();
    assert_eq!(audit["entries"][0]["rolloutId"], id.as_str(), "{audit}");
    assert_eq!(audit["entries"][0]["actor"], "anonymous");
    assert_eq!(audit["entries"][0]["reason"], "metrics look fine");
    let patches = fake.patches();
    assert_eq!(
        patches
            .iter()
            .map(|p| (p.0.as_str(), p.2.clone()))
            .collect::<Vec<_>>(),
        vec![(
            "/apis/argoproj.io/v1alpha1/namespaces/jesse-test/rollouts/canary-demo/status",
            json!({"status": {"pauseConditions": null}})
        ),]
    );

    // RBAC refuses: 403 with the API server's own words, for the confirm dialog.
    let message = "rollouts.argoproj.io \"canary-demo\" is forbidden: User \"system:serviceaccount:ops:rollout-console\" cannot patch resource \"rollouts/status\" in API group \"argoproj.io\" in the namespace \"jesse-test\"";
    fake.forbid_patch("/status", message);
    let a = s
        .post_json(
            &format!("/api/v1/rollouts/{id}/actions"),
            json!({"action": "rollback"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.json());
    let m = a.json()["message"].as_str().unwrap().to_string();
    assert!(m.starts_with("Kubernetes refused (403 Forbidden): "), "{m}");
    assert!(m.ends_with(message), "{m}");
    fake.allow_all();

    // --read-only: refused before anything reaches the cluster.
    let ro_server = server(&fake, None, true).await;
    until_listed(&ro_server, "listed", |i| {
        !named(i, "canary-demo").is_empty()
    })
    .await;
    let before = fake.patches().len();
    let a = ro_server
        .post_json(
            &format!("/api/v1/rollouts/{id}/actions"),
            json!({"action": "rollback"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(fake.patches().len(), before);

    // The cluster drops the oldest ReplicaSet and an event expires: both stay.
    let oldest = named(&rollouts(&s).await, "canary-demo")
        .last()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["spotDeployment"]["revision"].clone(),
            )
        })
        .unwrap();
    let events_before = s.get(&format!("/api/v1/rollouts/{id}/events")).await.json();
    let events_before = events_before["events"].as_array().unwrap().len();
    assert!(events_before > 0);
    let rs_name = fake_rs_of_revision(&fake, &oldest.1);
    fake.delete("apps/v1", "ReplicaSet", NS, &rs_name);
    let first_event = first_event_name();
    fake.delete("v1", "Event", NS, &first_event);
    let deadline = Instant::now() + Duration::from_secs(10);
    while still_on_the_cluster(&s, &oldest.0).await {
        assert!(
            Instant::now() < deadline,
            "the ReplicaSet left the live view"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let items = rollouts(&s).await;
    assert!(
        items.iter().any(|r| r["id"] == oldest.0.as_str()),
        "the dropped revision stays listed"
    );
    let d = s.get(&format!("/api/v1/rollouts/{}", oldest.0)).await;
    assert_eq!(d.status, StatusCode::OK);
    assert!(d.json()["actions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["enabled"] == false));
    let w = s
        .get("/api/v1/workloads/kind-rollouts/jesse-test/canary-demo")
        .await
        .json();
    assert_eq!(w["revisions"].as_array().unwrap().len(), revisions, "{w}");
    let events_after = s.get(&format!("/api/v1/rollouts/{id}/events")).await.json();
    assert_eq!(
        events_after["events"].as_array().unwrap().len(),
        events_before
    );
    drop(s);
    drop(ro_server);

    // A restart over a cluster that no longer has it: still there, from the data dir.
    let s = server(&fake, Some(data.path()), false).await;
    let items = until_listed(&s, "the live revisions back", |i| {
        named(i, "canary-demo")
            .iter()
            .any(|r| r["id"] == id.as_str())
    })
    .await;
    assert!(items.iter().any(|r| r["id"] == oldest.0.as_str()));
    let events = s.get(&format!("/api/v1/rollouts/{id}/events")).await.json();
    assert_eq!(events["events"].as_array().unwrap().len(), events_before);
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    assert_eq!(
        d["activity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["action"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["promote"],
        "the action taken before the restart is remembered (the refused one is not)"
    );
}

/// The name of the ReplicaSet of a revision.
fn fake_rs_of_revision(fake: &FakeApi, revision: &Value) -> String {
    let want = revision.as_u64().unwrap().to_string();
    for name in [
        "canary-demo-65fb5ffc84",
        "canary-demo-877894d5b",
        "canary-demo-859c99b45c",
    ] {
        if let Some(rs) = fake.get("apps/v1", "ReplicaSet", NS, name) {
            if rs["metadata"]["annotations"]["rollout.argoproj.io/revision"] == want.as_str() {
                return name.to_string();
            }
        }
    }
    panic!("no ReplicaSet of revision {want}");
}

/// The first Event of the capture (`extra-events.yaml` is a List).
fn first_event_name() -> String {
    let text = std::fs::read_to_string(fixtures().join("extra-events.yaml")).unwrap();
    let list: Value = serde_norway::from_str(&text).unwrap();
    list["items"][0]["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Whether a rollout is still the cluster's (not only the history's).
async fn still_on_the_cluster(s: &TestServer, id: &str) -> bool {
    let d = s.get(&format!("/api/v1/rollouts/{id}")).await.json();
    !d["actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["reason"] == "The cluster no longer has this revision")
}

/// GET through the real binary's HTTP server (blocking, off the async workers).
async fn http_get(url: String) -> Value {
    tokio::task::spawn_blocking(move || {
        let body = ureq::get(&url)
            .call()
            .unwrap()
            .into_body()
            .read_to_string()
            .unwrap();
        serde_json::from_str::<Value>(&body).unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_the_contexts_of_a_kubeconfig() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let fake = fake_cluster().await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    std::fs::write(&kubeconfig, fake.kubeconfig(&["kind-rollouts", "k3d-edge"])).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rollout-server"))
        .args(["serve", "--addr", "127.0.0.1:0", "--dist", "/nonexistent"])
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .args([
            "--context",
            "kind-rollouts",
            "--context",
            "k3d-edge",
            "-n",
            NS,
        ])
        .env_remove("ROLLOUT_TOKEN")
        .env_remove("KUBECONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim_end()
        .strip_prefix("Rollout Console: ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .trim_end_matches('/')
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    let health = loop {
        let h = http_get(format!("{base}/api/v1/health")).await;
        if h["live"]
            .as_array()
            .is_some_and(|l| l.len() == 2 && l.iter().all(|c| c["state"] == "connected"))
        {
            break h;
        }
        assert!(Instant::now() < deadline, "{h}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(health["live"][1]["context"], "k3d-edge");
    let clusters = http_get(format!("{base}/api/v1/clusters")).await;
    let ids: Vec<&str> = clusters
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["kind-rollouts", "k3d-edge"]);
    // Both contexts name the same fake server: each cluster lists canary-demo's revisions,
    // with ids of its own. (Health may say connected a moment before the list has it all.)
    let want = [
        ("k3d-edge", 29),
        ("k3d-edge", 30),
        ("k3d-edge", 31),
        ("kind-rollouts", 29),
        ("kind-rollouts", 30),
        ("kind-rollouts", 31),
    ];
    loop {
        let list = http_get(format!(
            "{base}/api/v1/rollouts?from=2000-01-01T00:00:00Z&spotDeployment=canary-demo&limit=1000"
        ))
        .await;
        let items = list["items"].as_array().unwrap();
        let mut by_cluster: Vec<(String, u64)> = items
            .iter()
            .map(|r| {
                (
                    r["clusterId"].as_str().unwrap().to_string(),
                    r["spotDeployment"]["revision"].as_u64().unwrap(),
                )
            })
            .collect();
        by_cluster.sort();
        let mut ids: Vec<&str> = items.iter().map(|r| r["id"].as_str().unwrap()).collect();
        ids.sort();
        ids.dedup();
        if by_cluster
            .iter()
            .map(|(c, r)| (c.as_str(), *r))
            .eq(want.iter().copied())
        {
            assert_eq!(ids.len(), 6, "one id per cluster and revision");
            break;
        }
        assert!(Instant::now() < deadline, "{by_cluster:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Only the namespace asked for was watched.
    assert!(fake
        .seen()
        .iter()
        .all(|s| !s.path.starts_with("/apis/argoproj.io/v1alpha1/rollouts")));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn without_a_kubeconfig_or_a_pod_it_says_what_it_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], envs: &[(&str, &str)]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rollout-server"))
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .args(args)
            .env_remove("ROLLOUT_TOKEN")
            .env_remove("KUBERNETES_SERVICE_HOST")
            .envs(envs.iter().copied())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let missing = dir.path().join("nope.yaml");
    let missing = missing.to_str().unwrap();
    // --kubeconfig without PATH: $KUBECONFIG (here a file that is not there), then the pod.
    let (ok, err) = run(&["--kubeconfig"], &[("KUBECONFIG", missing)]);
    assert!(!ok);
    assert!(
        err.contains(missing) && err.contains("not running in a pod"),
        "{err}"
    );
    let (ok, err) = run(&["--kubeconfig", missing], &[]);
    assert!(!ok && err.contains(missing), "{err}");
    // --context needs --kubeconfig.
    let (ok, err) = run(&["--context", "kind-rollouts"], &[]);
    assert!(!ok && err.contains("--kubeconfig"), "{err}");
}
