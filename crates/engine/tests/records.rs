//! Behaviour 12: every change is recorded (events, phase transitions, actions, manifest
//! revisions), and a restored engine continues exactly where it was.

mod common;
use common::*;
use rollout_api::{EventType, RolloutStatus};
use rollout_engine::{Change, Engine};

#[test]
fn manifests_hold_the_previous_desired_and_this_rollouts_spot_deployment_yaml() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let m = e.manifests(&id).unwrap();
    assert_eq!((m.old_version, m.new_version), (Some(1), 2));
    assert!(
        m.old_manifest
            .contains("image: registry.example.com/checkout:1.0.0"),
        "{}",
        m.old_manifest
    );
    assert!(m
        .new_manifest
        .contains("image: registry.example.com/checkout:1.1.0"));
    assert!(m
        .new_manifest
        .starts_with("apiVersion: spot.io/v1beta1\nkind: SpotDeployment\n"));
    assert!(
        m.new_manifest.lines().count() > 15,
        "multi-line, the whole object"
    );
}

#[test]
fn definition_returns_the_strategy_and_rollout_spec_as_applied_with_templates() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let d = e.definition(&id).unwrap();
    assert_eq!(d.strategy, STRATEGY_VERIFIED);
    assert!(d.rollout_spec.contains("name: checkout-rollout"));
    assert_eq!(d.phase_verifications.len(), 1);
    assert_eq!(d.phase_verifications[0].name, "success-rate");
    assert!(d.background_verifications.is_empty());
}

#[test]
fn events_cover_rollout_phases_and_kubernetes_objects_newest_first() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run_until_status(&mut e, &id, RolloutStatus::Finished, 120);
    let events = e.events(&id).unwrap();
    for w in events.windows(2) {
        assert!(w[0].last_timestamp >= w[1].last_timestamp);
    }
    let objects: Vec<&str> = events
        .iter()
        .map(|e| e.object.split('/').next().unwrap())
        .collect();
    for kind in ["Rollout", "Pod", "ReplicaSet", "SpotDeployment"] {
        assert!(objects.contains(&kind), "no {kind} event");
    }
    let reasons = event_reasons(&e, &id);
    for r in [
        "RolloutCreated",
        "RolloutStarted",
        "PhaseStarted",
        "PhasePromoted",
        "RolloutFinished",
    ] {
        assert!(reasons.contains(&r.to_string()), "missing {r}");
    }
    assert!(events.iter().all(|ev| ev.kind == EventType::Normal));
    assert!(events
        .iter()
        .all(|ev| ev.rollout_id.as_deref() == Some(id.as_str())));
}

#[test]
fn changes_name_rollouts_events_and_workloads() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    e.drain_changes();
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 5);
    let changes = e.drain_changes();
    assert!(changes
        .iter()
        .any(|c| matches!(c, Change::Rollout(r) if *r == id)));
    assert!(changes
        .iter()
        .any(|c| matches!(c, Change::Event(ev) if ev.reason == "RolloutStarted")));
    assert!(changes
        .iter()
        .any(|c| matches!(c, Change::Workload { name, .. } if name == "checkout")));
    assert!(e.drain_changes().is_empty());
}

#[test]
fn workload_revision_history_labels_desired_and_live() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    let w = e.workload("prod-us-east", "payments", "checkout").unwrap();
    assert_eq!(w.revisions.len(), 2);
    assert_eq!(w.revisions[0].rollout_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        w.revisions[0].labels,
        vec![rollout_api::WorkloadLabel::Desired]
    );
    assert_eq!(
        w.revisions[1].labels,
        vec![rollout_api::WorkloadLabel::Live]
    );
    assert_eq!(
        w.revisions[1].rollout_id, None,
        "revision 1 went live without a rollout"
    );
    run_until_status(&mut e, &id, RolloutStatus::Finished, 120);
    let w = e.workload("prod-us-east", "payments", "checkout").unwrap();
    assert_eq!(
        w.revisions[0].labels,
        vec![
            rollout_api::WorkloadLabel::Desired,
            rollout_api::WorkloadLabel::Live
        ]
    );
    assert_eq!(w.revisions[0].status, Some(RolloutStatus::Finished));
    assert_eq!(e.workloads().len(), 1);
    assert_eq!(e.rollouts()[0].id, id);
}

#[test]
fn a_restored_engine_continues_exactly_where_it_was() {
    let mut e = setup(STRATEGY_VERIFIED, "verified", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 20);
    assert_eq!(detail(&e, &id).status, RolloutStatus::Verifying);

    let json = serde_json::to_string(&e.snapshot()).unwrap();
    let mut restored = Engine::restore(serde_json::from_str(&json).unwrap());
    assert_eq!(restored.rollout(&id), e.rollout(&id));
    for engine in [&mut e, &mut restored] {
        run(engine, 300);
    }
    assert_eq!(restored.rollout(&id), e.rollout(&id));
    assert_eq!(detail(&restored, &id).status, RolloutStatus::Finished);
    assert_eq!(restored.events(&id), e.events(&id));
    // The generator continues too: the next rollout gets the same id in both.
    let a = deploy(&mut e, "registry.example.com/checkout:1.2.0", &[]);
    let b = deploy(&mut restored, "registry.example.com/checkout:1.2.0", &[]);
    assert_eq!(a, b);
}

#[test]
fn rollout_ids_are_rol_and_8_lowercase_alphanumerics_and_reproducible() {
    let run_once = || {
        let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
        deploy(&mut e, "registry.example.com/checkout:1.1.0", &[])
    };
    let id = run_once();
    assert_eq!(id, run_once());
    assert!(id.starts_with("rol-") && id.len() == 12);
    assert!(id[4..]
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
}
