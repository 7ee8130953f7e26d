//! The state delta: what a call changed, record by record. A tick hands out the records it
//! touched (nothing when nothing moves), never the whole state, and a copy of the state kept
//! up to date with the deltas alone is the state.

mod common;
use chrono::Duration;
use common::*;
use rollout_api::{ActionKind, RolloutStatus};
use rollout_engine::{Engine, StateDelta};

const N: usize = 40;

/// N rollouts waiting in their one-hour pause, every pod ready.
fn waiting() -> (Engine, Vec<String>) {
    let mut e = engine();
    let mut docs = vec![STRATEGY_SLOW.to_string()];
    for i in 0..N {
        docs.push(services("shop", &format!("svc-{i}")));
        docs.push(rollout_spec("shop", &format!("svc-{i}"), "slow", "abort"));
    }
    apply(&mut e, &docs.join("---\n"));
    apply(&mut e, &spot_deployments(N, "1.0.0"));
    run(&mut e, 60);
    let ids = apply(&mut e, &spot_deployments(N, "2.0.0")).rollouts_started;
    run(&mut e, 60);
    for id in &ids {
        assert_eq!(detail(&e, id).status, RolloutStatus::Paused);
    }
    (e, ids)
}

fn step(e: &mut Engine, seconds: i64) -> StateDelta {
    let to = e.now() + Duration::seconds(seconds);
    e.advance_to(to);
    e.take_state_delta()
}

#[test]
fn a_tick_where_nothing_moves_hands_out_no_records() {
    let (mut e, _) = waiting();
    let before = e.now();
    let d = step(&mut e, 1);
    assert_eq!(d.records(), 0, "{d:?}");
    assert_eq!(d.now, before + Duration::seconds(1));
}

#[test]
fn a_tick_hands_out_only_the_records_it_changed() {
    let (mut e, ids) = waiting();
    let mut copy = e.snapshot();
    let now = e.now();
    e.act(&ids[0], ActionKind::Promote, "alice", now).unwrap();
    let d = e.take_state_delta();
    d.apply_to(&mut copy);
    assert_eq!(copy, e.snapshot());
    // One rollout, its workload's pods and ReplicaSets, its events and the action: not the
    // other rollouts, nor the entities, manifests or other workloads.
    assert_eq!(d.rollouts.upserts.len(), 1);
    assert_eq!(d.rollouts.upserts[0].0, ids[0]);
    assert_eq!(d.actions.upserts.len(), 1);
    assert!(!d.events.upserts.is_empty());
    assert!(d.entities.upserts.is_empty() && d.manifests.upserts.is_empty());
    assert!(d.workloads.upserts.len() <= 1);
    assert!(d.pods.upserts.len() <= 4, "{}", d.pods.upserts.len());
    assert!(d.replica_sets.upserts.len() <= 2);
    assert!(!d.rollouts.complete && !d.pods.complete);

    // Pods come and go (the old ones terminate and are removed) over the next seconds.
    let mut removed = 0;
    for _ in 0..20 {
        let d = step(&mut e, 1);
        assert!(d.rollouts.upserts.len() <= 1);
        removed += d.pods.removed.len();
        d.apply_to(&mut copy);
    }
    assert!(removed >= 1, "the stable pod went: {removed}");
    assert_eq!(copy, e.snapshot());
    assert_eq!(detail(&e, &ids[0]).status, RolloutStatus::Finished);

    // The windows end together: every rollout moves, each handed out once.
    let d = step(&mut e, 3600);
    assert_eq!(d.rollouts.upserts.len(), N - 1);
    d.apply_to(&mut copy);
    assert_eq!(copy, e.snapshot());
}

#[test]
fn after_a_panic_the_next_delta_is_the_whole_state() {
    let (mut e, ids) = waiting();
    e.inject_panic(Some(&ids[1]));
    let d = step(&mut e, 1);
    assert!(d.rollouts.complete && d.pods.complete && d.events.complete);
    assert_eq!(d.rollouts.upserts.len(), e.rollout_count());
    let mut copy = e.snapshot();
    let d = step(&mut e, 30);
    assert!(!d.rollouts.complete);
    d.apply_to(&mut copy);
    assert_eq!(copy, e.snapshot());
}
