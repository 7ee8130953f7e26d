//! The mapping over objects captured from real clusters (Argo Rollouts' own test data, see
//! fixtures/NOTICE). The expected figures are the ones `kubectl argo rollouts get rollout`
//! prints for the same objects (the plugin's golden tests in `cmd/get/get_test.go`).

use rollout_api::{
    FailureReasonType, ImageRoles, KubernetesInfo, PhaseStatus, PodHealth, RolloutStatus,
    StepPosition, StrategyType,
};
use rollout_kube::{build, ClusterRef, Loaded, Mapped, View};
use std::path::Path;

fn load(dir: &str) -> Loaded {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    files.sort();
    let mut loaded = Loaded::default();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        loaded.add(&f.display().to_string(), &text).unwrap();
    }
    loaded
}

fn view(dir: &str) -> View {
    let loaded = load(dir);
    let now = rollout_kube::newest_timestamp(&loaded.objects).unwrap();
    build(
        &loaded.objects,
        &ClusterRef {
            id: "snapshot".into(),
            name: "Snapshot".into(),
        },
        now,
    )
}

/// The console rollout for the Rollout's current revision.
fn current<'a>(v: &'a View, name: &str) -> &'a Mapped {
    let ws = v.workloads.iter().find(|w| w.name == name).unwrap();
    let id = ws.revisions[0].rollout_id.clone().unwrap();
    v.rollout(&id).unwrap()
}

fn k8s(m: &Mapped) -> &KubernetesInfo {
    m.detail.kubernetes.as_ref().expect("a kubernetes block")
}

fn images(list: &[(&str, &[&str])]) -> Vec<ImageRoles> {
    list.iter()
        .map(|(i, r)| ImageRoles {
            image: i.to_string(),
            roles: r.iter().map(|s| s.to_string()).collect(),
        })
        .collect()
}

fn replicas(k: &KubernetesInfo) -> [u32; 5] {
    let r = k.replicas;
    [r.desired, r.current, r.updated, r.ready, r.available]
}

#[test]
fn canary_with_a_failing_image_is_degraded_by_the_progress_deadline() {
    let v = view("canary");
    let m = current(&v, "canary-demo");
    let k = k8s(m);
    assert_eq!(k.phase, "Degraded");
    assert_eq!(
        k.message.as_deref(),
        Some("ProgressDeadlineExceeded: ReplicaSet \"canary-demo-65fb5ffc84\" has timed out progressing.")
    );
    assert_eq!(k.strategy, "Canary");
    assert_eq!(k.step, Some(StepPosition { index: 0, count: 8 }));
    assert_eq!((k.set_weight, k.actual_weight), (Some(20), Some(0)));
    assert_eq!(
        k.images,
        images(&[
            ("argoproj/rollouts-demo:does-not-exist", &["canary"]),
            ("argoproj/rollouts-demo:green", &["stable"]),
        ])
    );
    assert_eq!(replicas(k), [5, 6, 1, 5, 5]);

    // The console side: failed by Kubernetes, the pod says why, the banner carries the message.
    assert_eq!(m.detail.status, RolloutStatus::Failed);
    let reason = m.detail.failure_reason.as_ref().unwrap();
    assert_eq!(reason.kind, FailureReasonType::Kubernetes);
    assert!(reason.message.contains("has timed out progressing"));
    assert_eq!(
        m.detail.conditions.degraded, None,
        "the failure reason says it once"
    );
    let canary_pods = &m.detail.new_version_status.pods;
    assert_eq!(canary_pods.len(), 1);
    assert_eq!(canary_pods[0].status, "ImagePullBackOff");
    assert_eq!(canary_pods[0].health, PodHealth::Failing);
    assert_eq!(canary_pods[0].containers_readiness, "0/1");
    let stable = m.detail.stable_version_status.as_ref().unwrap();
    assert_eq!(stable.version, "argoproj/rollouts-demo:green");
    assert_eq!(stable.pods.len(), 5);
    assert!(stable.pods.iter().all(|p| p.status == "Running" && p.ready));
    assert_eq!(stable.traffic_percentage, 100);
    assert_eq!(m.detail.new_version_status.traffic_percentage, 0);

    // Steps become phases: the current one is the first, the rest wait; then promotion.
    let phases = &m.detail.phases;
    assert_eq!(phases.len(), 9);
    assert_eq!(phases[0].name, "setWeight: 20");
    assert_eq!(phases[0].status, PhaseStatus::InProgress);
    assert_eq!(
        phases[0].start_time.unwrap().to_rfc3339(),
        "2019-10-28T04:52:26+00:00",
        "the first step began with revision 31's ReplicaSet"
    );
    assert!(phases[0]
        .failure
        .as_deref()
        .unwrap()
        .contains("has timed out progressing"));
    assert_eq!(phases[1].name, "pause");
    assert_eq!(phases[1].pause.as_ref().unwrap().duration_seconds, None);
    assert_eq!(phases[3].pause.as_ref().unwrap().duration_seconds, Some(10));
    assert_eq!(phases[2].traffic_percentage, 40);
    assert!(phases[1..].iter().all(|p| p.status == PhaseStatus::Pending));
    assert_eq!(phases[8].traffic_percentage, 100);
}

#[test]
fn the_list_holds_every_revision_newest_first_with_stable_ids() {
    let v = view("canary");
    let w = v
        .workloads
        .iter()
        .find(|w| w.name == "canary-demo")
        .unwrap();
    let revs: Vec<u32> = w.revisions.iter().map(|r| r.revision).collect();
    assert_eq!(revs, [31, 30, 29]);
    assert_eq!((w.desired_revision, w.live_revision), (31, 30));
    let statuses: Vec<_> = w.revisions.iter().map(|r| r.status.unwrap()).collect();
    assert_eq!(
        statuses,
        [
            RolloutStatus::Failed,
            RolloutStatus::Finished,
            RolloutStatus::Finished
        ]
    );
    // The same objects give the same ids (a restart), and different Rollouts sharing a uid in
    // this capture still get their own.
    let again = view("canary");
    assert_eq!(
        v.summaries.iter().map(|s| &s.id).collect::<Vec<_>>(),
        again.summaries.iter().map(|s| &s.id).collect::<Vec<_>>()
    );
    let mut ids: Vec<&String> = v.summaries.iter().map(|s| &s.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), v.summaries.len());
    assert!(v.summaries.iter().all(|s| s.id.starts_with("rol-")));
    // The stable revision is the live one.
    let live = v
        .summaries
        .iter()
        .find(|s| s.rollout_spec == "canary-demo" && s.spot_deployment.revision == 30)
        .unwrap();
    assert!(live.spot_deployment.is_live_applied);
    // The CRD diff compares this revision's pod template with the previous one.
    let m = current(&v, "canary-demo");
    assert_eq!(
        (m.manifests.old_version, m.manifests.new_version),
        (Some(30), 31)
    );
    assert!(m
        .manifests
        .new_manifest
        .contains("argoproj/rollouts-demo:does-not-exist"));
    assert!(m
        .manifests
        .old_manifest
        .contains("argoproj/rollouts-demo:green"));
    assert!(!m
        .manifests
        .new_manifest
        .contains("rollouts-pod-template-hash"));
}

#[test]
fn ping_pong_and_traffic_routed_weights() {
    let v = view("canary");
    let k = k8s(current(&v, "canary-demo-pingpong"));
    assert_eq!(
        k.images,
        images(&[
            ("argoproj/rollouts-demo:does-not-exist", &["canary", "ping"]),
            ("argoproj/rollouts-demo:green", &["stable", "pong"]),
        ])
    );
    assert_eq!((k.set_weight, k.actual_weight), (Some(20), Some(0)));
    // With traffic routing, ActualWeight is the weight the controller recorded...
    let k = k8s(current(&v, "canary-demo-weights"));
    assert_eq!(k.actual_weight, Some(20));
    // ... or SetWeight when it recorded none.
    let k = k8s(current(&v, "canary-demo-weights-na"));
    assert_eq!(k.actual_weight, k.set_weight);
}

#[test]
fn paused_blue_green_shows_active_and_preview() {
    let v = view("blue-green");
    let m = current(&v, "bluegreen-demo");
    let k = k8s(m);
    assert_eq!(k.phase, "Paused");
    assert_eq!(k.message.as_deref(), Some("BlueGreenPause"));
    assert_eq!(k.strategy, "BlueGreen");
    assert_eq!((k.step, k.set_weight, k.actual_weight), (None, None, None));
    assert_eq!(
        k.images,
        images(&[
            ("argoproj/rollouts-demo:blue", &["stable", "active"]),
            ("argoproj/rollouts-demo:green", &["preview"]),
        ])
    );
    assert_eq!(replicas(k), [3, 6, 3, 6, 3]);
    assert_eq!(m.detail.strategy_type, StrategyType::BlueGreen);
    assert_eq!(m.detail.status, RolloutStatus::Paused);
    let paused = m.detail.conditions.paused.as_ref().unwrap();
    assert_eq!(paused.phase, "preview");
    assert_eq!(paused.paused_at.to_rfc3339(), "2019-10-28T04:50:20+00:00");
    assert_eq!(m.detail.phases[0].status, PhaseStatus::Paused);
    assert_eq!(m.detail.phases[1].status, PhaseStatus::Pending);
    assert_eq!(m.detail.new_version_status.traffic_percentage, 0);
    assert_eq!(m.detail.new_version_status.pods.len(), 3);
    let services: Vec<_> = m
        .resources
        .services
        .iter()
        .map(|s| (s.name.as_str(), s.role.as_deref()))
        .collect();
    assert_eq!(
        services,
        [
            ("bluegreen-demo", Some("active")),
            ("bluegreen-demo-preview", Some("preview"))
        ]
    );
    // Resume and promote are what a paused blue-green offers.
    let enabled: Vec<_> = m
        .detail
        .actions
        .iter()
        .filter(|a| a.enabled)
        .map(|a| a.action)
        .collect();
    assert!(enabled.contains(&rollout_api::ActionKind::Resume));
    assert!(!enabled.contains(&rollout_api::ActionKind::Retry));
}

#[test]
fn aborted_by_background_analysis() {
    let v = view("rollout-aborted");
    let m = current(&v, "rollout-background-analysis");
    let k = k8s(m);
    assert_eq!(k.phase, "Degraded");
    assert_eq!(
        k.message.as_deref(),
        Some("RolloutAborted: metric \"web\" assessed Failed due to failed (1) > failureLimit (0)")
    );
    assert_eq!(k.step, Some(StepPosition { index: 0, count: 2 }));
    assert_eq!((k.set_weight, k.actual_weight), (Some(0), Some(0)));
    assert_eq!(
        k.images,
        images(&[("argoproj/rollouts-demo:blue", &["stable"])])
    );
    assert_eq!(replicas(k), [1, 1, 0, 1, 1]);

    assert_eq!(m.detail.status, RolloutStatus::Aborted);
    let reason = m.detail.failure_reason.as_ref().unwrap();
    assert_eq!(reason.kind, FailureReasonType::BackgroundVerification);
    assert_eq!(
        reason.message,
        "metric \"web\" assessed Failed due to failed (1) > failureLimit (0)"
    );
    assert!(m.detail.has_background_verification);
    let bg = &m.detail.background_verifications;
    assert_eq!(bg.len(), 1);
    assert_eq!(bg[0].metric_name, "web");
    assert_eq!(bg[0].template_name, "web-background");
    assert_eq!(bg[0].provider, "web");
    assert_eq!(bg[0].query, "https://jsonplaceholder.typicode.com/todos/1");
    assert_eq!(
        bg[0].conditions.success.as_deref(),
        Some("result == \"true\"")
    );
    assert_eq!(bg[0].interval_seconds, 5);
    assert_eq!(bg[0].step, "Background");
    assert_eq!(bg[0].status, rollout_api::VerificationStatus::Failed);
    assert_eq!(bg[0].data_points.len(), 1);
    assert_eq!(
        bg[0].data_points[0].status,
        rollout_api::DataPointStatus::Failed
    );
    assert_eq!(
        bg[0].data_points[0].message.as_deref(),
        Some("value: false")
    );
    assert_eq!(
        m.detail.conditions.degraded.as_deref(),
        k.message.as_deref()
    );
    assert_eq!(m.detail.phases[0].status, PhaseStatus::Aborted);
    assert!(m.detail.phases[1..]
        .iter()
        .all(|p| p.status == PhaseStatus::Dropped));
    assert!(m.detail.end_time.is_some());
    // Retry is what an aborted rollout offers; the drawer names the background template.
    assert!(m
        .detail
        .actions
        .iter()
        .any(|a| a.action == rollout_api::ActionKind::Retry && a.enabled));
    assert_eq!(
        m.definition.background_verifications[0].name,
        "web-background"
    );
    assert!(m.definition.strategy.contains("web-background"));
}

#[test]
fn invalid_spec_says_what_to_fix() {
    let v = view("rollout-invalid");
    let m = current(&v, "rollout-invalid");
    let k = k8s(m);
    assert_eq!(k.phase, "Degraded");
    assert!(k
        .message
        .as_deref()
        .unwrap()
        .starts_with("InvalidSpec: The Rollout \"rollout-invalid\" is invalid: spec.template.metadata.labels: Invalid value"));
    assert_eq!(
        (k.step, k.set_weight, k.actual_weight),
        (None, Some(100), Some(100))
    );
    assert!(k.images.is_empty());
    assert_eq!(replicas(k), [1, 0, 0, 0, 0]);
    // A Rollout without any ReplicaSet is still one console rollout.
    assert_eq!(v.summaries.len(), 1);
    assert_eq!(m.detail.status, RolloutStatus::InvalidSpec);
    let fix = m.detail.conditions.invalid_spec.as_deref().unwrap();
    assert!(
        fix.contains("`selector` does not match template `labels`"),
        "{fix}"
    );
    assert_eq!(
        m.detail.new_version_status.version,
        "argoproj/rollouts-demo:blue"
    );
    assert!(m.manifests.old_manifest.is_empty());
}

#[test]
fn experiment_step_shows_the_experiment_image_and_its_analysis() {
    let v = view("experiment-step");
    let m = current(&v, "canary-demo");
    let k = k8s(m);
    assert_eq!(k.phase, "Progressing");
    assert_eq!(
        k.message.as_deref(),
        Some("more replicas need to be updated")
    );
    assert_eq!(k.step, Some(StepPosition { index: 0, count: 1 }));
    assert_eq!((k.set_weight, k.actual_weight), (Some(0), Some(0)));
    assert_eq!(
        k.images,
        images(&[
            ("argoproj/rollouts-demo:blue", &["Σ:canary-preview"]),
            ("argoproj/rollouts-demo:green", &["stable"]),
        ])
    );
    assert_eq!(replicas(k), [5, 5, 0, 5, 5]);
    assert_eq!(m.detail.phases[0].name, "experiment: canary-preview");
    let verifs = &m.detail.phases[0].verifications;
    assert!(
        !verifs.is_empty(),
        "the experiment's analysis shows on its step"
    );
    assert_eq!(m.definition.phase_verifications[0].name, "stress-test");
}

#[test]
fn experiment_with_analysis_and_weights() {
    let v = view("experiment-analysis");
    let m = current(&v, "rollout-experiment-analysis");
    let k = k8s(m);
    assert_eq!(k.phase, "Degraded");
    assert_eq!(k.step, Some(StepPosition { index: 1, count: 2 }));
    assert_eq!((k.set_weight, k.actual_weight), (Some(25), Some(25)));
    assert_eq!(
        k.images,
        images(&[
            ("argoproj/rollouts-demo:blue", &["stable"]),
            ("argoproj/rollouts-demo:yellow", &["canary"]),
        ])
    );
    assert_eq!(replicas(k), [4, 4, 1, 4, 4]);
    assert_eq!(m.detail.new_version_status.traffic_percentage, 25);
}
