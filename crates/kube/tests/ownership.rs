//! Ownership as Kubernetes decides it (uid), hand-made objects without uids, JSON input.

use rollout_api::RolloutStatus;
use rollout_kube::{build, ClusterRef, Loaded};

const ROLLOUT: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
  namespace: shop
  uid: 11111111-0000-0000-0000-000000000001
  creationTimestamp: "2026-11-20T10:00:00Z"
spec:
  replicas: 2
  strategy:
    canary:
      steps:
      - setWeight: 50
      - pause: {duration: 1m}
  template:
    spec:
      containers:
      - {name: web, image: "registry.example.com/web:2"}
status:
  currentPodHash: bbb
  stableRS: aaa
  currentStepIndex: 1
  replicas: 3
  updatedReplicas: 1
  readyReplicas: 3
  availableReplicas: 3
  pauseConditions:
  - {reason: CanaryPauseStep, startTime: "2026-11-20T10:05:00Z"}
  conditions: []
"#;

fn rs(
    name: &str,
    hash: &str,
    revision: u32,
    owner_uid: &str,
    image: &str,
    created: &str,
) -> String {
    format!(
        r#"
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: {name}
  namespace: shop
  uid: rs-{name}
  creationTimestamp: "{created}"
  annotations: {{rollout.argoproj.io/revision: "{revision}"}}
  labels: {{rollouts-pod-template-hash: {hash}}}
  ownerReferences:
  - {{apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: web, uid: {owner_uid}}}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - {{name: web, image: "{image}"}}
status: {{replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1}}
"#
    )
}

fn cluster() -> ClusterRef {
    ClusterRef {
        id: "snapshot".into(),
        name: "Snapshot".into(),
    }
}

#[test]
fn replica_sets_belong_by_uid_not_by_name() {
    let mut l = Loaded::default();
    let text = [
        ROLLOUT.to_string(),
        rs(
            "web-aaa",
            "aaa",
            1,
            "11111111-0000-0000-0000-000000000001",
            "registry.example.com/web:1",
            "2026-11-19T10:00:00Z",
        ),
        rs(
            "web-bbb",
            "bbb",
            2,
            "11111111-0000-0000-0000-000000000001",
            "registry.example.com/web:2",
            "2026-11-20T10:04:00Z",
        ),
        // Same owner name, another object (a deleted and re-created Rollout): not ours.
        rs(
            "web-old",
            "ccc",
            7,
            "99999999-0000-0000-0000-000000000009",
            "registry.example.com/web:0",
            "2026-01-01T00:00:00Z",
        ),
    ]
    .join("\n---\n");
    l.add("objects.yaml", &text).unwrap();
    let v = build(
        &l.objects,
        &cluster(),
        "2026-11-20T10:06:00Z".parse().unwrap(),
    );
    let revs: Vec<u32> = v
        .summaries
        .iter()
        .map(|s| s.spot_deployment.revision)
        .collect();
    assert_eq!(revs, [2, 1]);
    let current = &v.summaries[0];
    assert_eq!(current.status, RolloutStatus::Paused);
    let d = &v.rollout(&current.id).unwrap().detail;
    // A 1-minute pause that began at 10:05 ends at 10:06.
    let paused = d.conditions.paused.as_ref().unwrap();
    assert_eq!(paused.kind, rollout_api::PauseKind::Window);
    assert_eq!(
        paused.until.unwrap().to_rfc3339(),
        "2026-11-20T10:06:00+00:00"
    );
    assert_eq!(d.phases[0].status, rollout_api::PhaseStatus::Finished);
    assert_eq!(d.phases[1].status, rollout_api::PhaseStatus::Paused);
    // No traffic routing: ActualWeight is the canary's share of available replicas (1 of 3).
    assert_eq!(d.kubernetes.as_ref().unwrap().actual_weight, Some(33));
    assert_eq!(d.new_version_status.traffic_percentage, 33);
}

#[test]
fn objects_without_uid_still_load_and_belong_by_name() {
    let rollout = ROLLOUT.replace("  uid: 11111111-0000-0000-0000-000000000001\n", "");
    let json = serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": [{
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": "web-bbb",
                "namespace": "shop",
                "annotations": {"rollout.argoproj.io/revision": "2"},
                "labels": {"rollouts-pod-template-hash": "bbb"},
                "ownerReferences": [{"kind": "Rollout", "name": "web"}]
            },
            "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "web", "image": "web:2"}]}}},
            "status": {"replicas": 1, "availableReplicas": 1}
        }, {
            "apiVersion": "events.k8s.io/v1",
            "kind": "Event",
            "metadata": {"name": "web.1", "namespace": "shop"},
            "regarding": {"kind": "ReplicaSet", "name": "web-bbb", "namespace": "shop"},
            "reason": "SuccessfulCreate",
            "note": "Created pod: web-bbb-x1",
            "type": "Normal",
            "eventTime": "2026-11-20T10:04:01.000000Z"
        }]
    });
    let mut l = Loaded::default();
    l.add("rollout.yaml", &rollout).unwrap();
    l.add("rest.json", &json.to_string()).unwrap();
    let v = build(
        &l.objects,
        &cluster(),
        "2026-11-20T10:06:00Z".parse().unwrap(),
    );
    assert_eq!(v.summaries.len(), 1);
    let m = v.rollout(&v.summaries[0].id).unwrap();
    assert_eq!(
        m.resources.replica_sets.latest.as_ref().unwrap().name,
        "web-bbb"
    );
    assert_eq!(m.events.len(), 1);
    assert_eq!(m.events[0].message, "Created pod: web-bbb-x1");
    assert_eq!(m.events[0].object, "ReplicaSet/web-bbb");
}
