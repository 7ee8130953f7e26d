//! The real kube-rs client against a fake API server started by the test (no Kubernetes API
//! server can run here): lists, watches resumed from a bookmark's resourceVersion, a relist
//! after `410 Gone`, the connection lost and found again, and every action's patches.
//!
//! Objects are Argo Rollouts' captured test data (crates/kube/tests/fixtures, see its NOTICE).

use rollout_api::{ActionKind, RolloutStatus};
use rollout_kube_live::fake::{controller_deployment, FakeApi};
use rollout_kube_live::{act, spawn, ActError, ClusterUpdate, ControllerState, Target};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../kube/tests/fixtures");

/// The canary-demo capture (its Rollout, ReplicaSets, pods, Services and Events), the
/// blue-green one, and the controller's Deployment.
async fn fake_cluster() -> FakeApi {
    let fake = FakeApi::start().await;
    fake.argo_kinds();
    let dir = Path::new(FIXTURES);
    for f in [
        "canary/canary-rollout.yaml",
        "canary/canary-rs.yaml",
        "canary/stable-rs.yaml",
        "canary/old-rs.yaml",
        "canary/canary-pod.yaml",
        "canary/stable-pod1.yaml",
        "canary/stable-pod2.yaml",
        "canary/extra-events.yaml",
        "canary/extra-services.yaml",
    ] {
        fake.put_yaml_file(&dir.join(f));
    }
    let mut files: Vec<_> = std::fs::read_dir(dir.join("blue-green"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        fake.put_yaml_file(&f);
    }
    fake.put(controller_deployment(true));
    fake
}

fn target(fake: &FakeApi) -> Target {
    Target {
        id: "fake".into(),
        name: "fake".into(),
        client: fake.client(),
        namespaces: Vec::new(),
    }
}

/// Waits for an update that satisfies `want` (remembering the last view seen).
async fn until(
    rx: &mut UnboundedReceiver<ClusterUpdate>,
    last: &mut Option<ClusterUpdate>,
    what: &str,
    want: impl Fn(&ClusterUpdate) -> bool,
) -> Duration {
    let start = Instant::now();
    loop {
        if let Some(u) = last.as_ref() {
            if want(u) {
                return start.elapsed();
            }
        }
        let u = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .unwrap_or_else(|_| panic!("no update for 20 s waiting for: {what}; last: {last:?}"))
            .expect("the watch ended");
        let view = u
            .view
            .clone()
            .or_else(|| last.as_ref().and_then(|l| l.view.clone()));
        *last = Some(ClusterUpdate { view, ..u });
    }
}

fn status_of(u: &ClusterUpdate, name: &str) -> Option<RolloutStatus> {
    let v = u.view.as_ref()?;
    // Newest first: the Rollout's current revision.
    v.summaries
        .iter()
        .find(|s| s.spot_deployment.name == name)
        .map(|s| s.status)
}

fn has_pod(u: &ClusterUpdate, pod: &str) -> bool {
    u.view.as_ref().is_some_and(|v| {
        v.mapped()
            .any(|m| m.resources.pods.iter().any(|p| p.name == pod))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watches_resume_from_bookmarks_relist_after_410_and_follow_changes_within_a_second() {
    let fake = fake_cluster().await;
    let mut rx = spawn(target(&fake));
    let mut last = None;
    until(&mut rx, &mut last, "the first full list", |u| {
        u.status.synced && u.status.connected && u.view.is_some()
    })
    .await;
    let u = last.clone().unwrap();
    let view = u.view.as_ref().unwrap();
    let names: Vec<&str> = view
        .summaries
        .iter()
        .map(|s| s.spot_deployment.name.as_str())
        .collect();
    assert!(
        names.contains(&"canary-demo") && names.contains(&"bluegreen-demo"),
        "{names:?}"
    );
    assert_eq!(
        u.status.controller,
        ControllerState::Available {
            version: "v1.7.2".into()
        }
    );
    assert_eq!(fake.lists_of("rollouts"), 1);
    // Pods and ReplicaSets are listed by the label Argo Rollouts puts on them, never all.
    let pod_list = fake
        .seen()
        .into_iter()
        .find(|s| s.path == "/api/v1/pods")
        .unwrap();
    assert_eq!(
        pod_list.query.get("labelSelector").map(String::as_str),
        Some("rollouts-pod-template-hash")
    );
    assert!(has_pod(&u, "canary-demo-877894d5b-6jfpt"));

    // A bookmark, then the API server ends the watches (its timeout): the client watches again
    // from the bookmark's resourceVersion, without listing again.
    let rv = fake.bookmark();
    tokio::time::sleep(Duration::from_millis(200)).await;
    fake.end_watches();
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.watches_from("rollouts").last() != Some(&rv.to_string()) {
        assert!(
            Instant::now() < deadline,
            "watches: {:?}",
            fake.watches_from("rollouts")
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(fake.lists_of("rollouts"), 1, "resumed, not relisted");

    // A change reaches the view within a second.
    let mut ro = fake
        .get(
            "argoproj.io/v1alpha1",
            "Rollout",
            "jesse-test",
            "canary-demo",
        )
        .unwrap();
    assert_ne!(status_of(&u, "canary-demo"), Some(RolloutStatus::Aborted));
    ro["status"]["abort"] = json!(true);
    ro["status"]["abortedAt"] = json!("2019-10-26T00:00:00Z");
    fake.put(ro);
    let took = until(&mut rx, &mut last, "the aborted canary", |u| {
        status_of(u, "canary-demo") == Some(RolloutStatus::Aborted)
    })
    .await;
    assert!(took < Duration::from_secs(1), "took {took:?}");

    // The API server goes away: the cluster is reconnecting, and says why.
    fake.set_down(true);
    until(&mut rx, &mut last, "the lost connection", |u| {
        !u.status.connected
    })
    .await;
    let st = &last.as_ref().unwrap().status;
    // What the client met, as it says it: refused, closed mid-answer, or the shutdown's 500.
    let problem = st.problem.as_deref().unwrap_or("");
    assert!(
        ["refused", "closed", "shutting down"]
            .iter()
            .any(|w| problem.contains(w)),
        "{st:?}"
    );
    // Meanwhile a pod goes and history is compacted: no watch could tell the client, only a
    // relist after the 410 Gone its next watch gets.
    fake.delete("v1", "Pod", "jesse-test", "canary-demo-877894d5b-6jfpt");
    fake.compact();
    let lists_before = fake.lists_of("pods");
    fake.set_down(false);
    until(&mut rx, &mut last, "back, with the pod gone", |u| {
        u.status.connected && !has_pod(u, "canary-demo-877894d5b-6jfpt")
    })
    .await;
    assert!(fake.lists_of("pods") > lists_before, "relisted after 410");
    assert!(
        has_pod(last.as_ref().unwrap(), "canary-demo-877894d5b-bl8q6")
            || last
                .as_ref()
                .unwrap()
                .view
                .as_ref()
                .unwrap()
                .mapped()
                .count()
                > 0
    );

    // The controller's Deployment loses its replicas: the operator heartbeat is lost.
    fake.put(controller_deployment(false));
    until(&mut rx, &mut last, "the controller unavailable", |u| {
        matches!(u.status.controller, ControllerState::Unavailable { .. })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actions_send_the_plugins_merge_patches() {
    let fake = fake_cluster().await;
    let client = fake.client();
    let ns = "jesse-test";
    let path = "/apis/argoproj.io/v1alpha1/namespaces/jesse-test/rollouts/canary-demo";
    let status = format!("{path}/status");

    // canary-demo is paused at step 1 (CanaryPauseStep) in the capture? Make it so.
    let mut ro = fake
        .get("argoproj.io/v1alpha1", "Rollout", ns, "canary-demo")
        .unwrap();
    ro["spec"]["paused"] = json!(false);
    ro["status"]["currentStepIndex"] = json!(1);
    ro["status"]["pauseConditions"] =
        json!([{"reason": "CanaryPauseStep", "startTime": "2019-10-25T06:07:18Z"}]);
    fake.put(ro);

    let sent = act(&client, ns, "canary-demo", ActionKind::Promote)
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    let p = fake.patches();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, status);
    assert_eq!(p[0].1, "application/merge-patch+json");
    assert_eq!(p[0].2, json!({"status": {"pauseConditions": null}}));
    // The fake applied it: the pause conditions are gone.
    let after = fake
        .get("argoproj.io/v1alpha1", "Rollout", ns, "canary-demo")
        .unwrap();
    assert!(after["status"].get("pauseConditions").is_none());

    // Promote again: not paused now, so the plugin moves to the next step.
    act(&client, ns, "canary-demo", ActionKind::Promote)
        .await
        .unwrap();
    assert_eq!(
        fake.patches()[1].2,
        json!({"status": {"pauseConditions": null, "currentStepIndex": 2}})
    );

    let cases = [
        (
            ActionKind::PromoteFull,
            &status,
            json!({"status": {"promoteFull": true}}),
        ),
        (
            ActionKind::Pause,
            &path.to_string(),
            json!({"spec": {"paused": true}}),
        ),
        (
            ActionKind::Resume,
            &path.to_string(),
            json!({"spec": {"paused": false}}),
        ),
        (
            ActionKind::Rollback,
            &status,
            json!({"status": {"abort": true}}),
        ),
        (
            ActionKind::Retry,
            &status,
            json!({"status": {"abort": false}}),
        ),
    ];
    for (action, want_path, want_body) in cases {
        let before = fake.patches().len();
        act(&client, ns, "canary-demo", action).await.unwrap();
        let p = fake.patches();
        assert_eq!(p.len(), before + 1, "{action:?}");
        assert_eq!(
            (&p[before].0, &p[before].2),
            (want_path, &want_body),
            "{action:?}"
        );
        assert_eq!(p[before].1, "application/merge-patch+json");
    }
    let after = fake
        .get("argoproj.io/v1alpha1", "Rollout", ns, "canary-demo")
        .unwrap();
    assert_eq!(after["status"]["abort"], json!(false));
    assert_eq!(after["spec"]["paused"], json!(false));

    // RBAC: the API server's message comes back as it wrote it.
    let message = "rollouts.argoproj.io \"canary-demo\" is forbidden: User \"system:serviceaccount:ops:rollout-console\" cannot patch resource \"rollouts/status\" in API group \"argoproj.io\" in the namespace \"jesse-test\"";
    fake.forbid_patch("/status", message);
    match act(&client, ns, "canary-demo", ActionKind::Rollback).await {
        Err(ActError::Api {
            code: 403,
            message: m,
        }) => assert_eq!(m, message),
        other => panic!("{other:?}"),
    }
    fake.allow_all();

    // No status subresource (Argo Rollouts before v0.10): 404 there, then one unified patch.
    fake.without_status_subresource();
    let before = fake.patches().len();
    let sent = act(&client, ns, "canary-demo", ActionKind::Rollback)
        .await
        .unwrap();
    assert_eq!(sent.len(), 2);
    let p = &fake.patches()[before..];
    assert_eq!(
        p.iter()
            .map(|x| (x.0.as_str(), x.2.clone()))
            .collect::<Vec<_>>(),
        vec![
            (status.as_str(), json!({"status": {"abort": true}})),
            (path, json!({"status": {"abort": true}})),
        ]
    );
    assert_eq!(
        fake.get("argoproj.io/v1alpha1", "Rollout", ns, "canary-demo")
            .unwrap()["status"]["abort"],
        json!(true)
    );

    // A rollout that is not there: the API server's 404 message.
    match act(&client, ns, "nope", ActionKind::Pause).await {
        Err(ActError::Api { code: 404, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kubeconfig_with_several_contexts_is_several_clusters() {
    let fake = fake_cluster().await;
    let dir = std::env::temp_dir().join(format!("kube-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config");
    std::fs::write(&path, fake.kubeconfig(&["kind-a", "Prod/East"])).unwrap();
    let targets = rollout_kube_live::connect(Some(&path), &[], &[])
        .await
        .unwrap();
    assert_eq!(
        targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["kind-a"],
        "the current context by default"
    );
    let targets = rollout_kube_live::connect(
        Some(&path),
        &["kind-a".into(), "Prod/East".into()],
        &["jesse-test".into()],
    )
    .await
    .unwrap();
    assert_eq!(
        targets
            .iter()
            .map(|t| (t.id.as_str(), t.name.as_str()))
            .collect::<Vec<_>>(),
        [("kind-a", "kind-a"), ("prod-east", "Prod/East")]
    );
    let e = rollout_kube_live::connect(Some(&path), &["nope".into()], &[])
        .await
        .unwrap_err();
    assert!(e.to_string().contains("kind-a, Prod/East"), "{e}");
    // Namespaces given: each namespaced kind is watched in each, from its namespaced path.
    let mut rx = spawn(targets[1].clone());
    let mut last = None;
    until(&mut rx, &mut last, "synced", |u| {
        u.status.synced && u.view.is_some()
    })
    .await;
    assert!(fake
        .seen()
        .iter()
        .any(|s| s.path == "/apis/argoproj.io/v1alpha1/namespaces/jesse-test/rollouts"));
    assert!(!fake
        .seen()
        .iter()
        .any(|s| s.path == "/apis/argoproj.io/v1alpha1/rollouts"));
    let _ = std::fs::remove_dir_all(&dir);
}
