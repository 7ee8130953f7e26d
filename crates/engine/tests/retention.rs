//! Retention: a rollout keeps its newest events and actions up to the limits; what is removed
//! is counted on the rollout and reported as changes (so the store deletes the same rows).

mod common;
use common::*;
use rollout_api::ActionKind;
use rollout_engine::{Change, Engine, EventOwner, Retention};

fn all_event_ids(e: &Engine, id: &str) -> Vec<u64> {
    e.events(id).unwrap().iter().map(|ev| ev.id).collect()
}

/// The ids of `owner`'s events the changes say retention removed.
fn pruned_ids(changes: &[Change], owner: &EventOwner) -> Vec<u64> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::EventsPruned { owner: o, ids } if o == owner => Some(ids.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn events_past_the_limit_are_removed_oldest_first_and_counted() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    e.drain_changes();
    let limits = Retention {
        max_events: 8,
        max_actions: 3,
    };
    e.set_retention(limits);
    let before = all_event_ids(&e, &id);
    assert!(before.len() <= 8, "set_retention applies at once");
    run(&mut e, 900);
    let held = all_event_ids(&e, &id);
    assert!(
        held.len() <= limits.max_events + limits.slack(),
        "held {} events",
        held.len()
    );
    let h = e.event_history(&id).unwrap();
    assert_eq!(h.events.len(), 8, "reads never show more than the limit");
    assert_eq!(h.limit, 8);
    // Shown + pruned = everything the rollout ever recorded (ids of new events only grow).
    let removed = pruned_ids(&e.drain_changes(), &EventOwner::Rollout(id.clone()));
    assert!(!removed.is_empty(), "pruning is reported as a change");
    assert!(removed.iter().all(|r| !held.contains(r)));
    let newest = h.events.iter().map(|ev| ev.id).min().unwrap();
    assert!(
        removed.iter().all(|r| *r < newest),
        "the oldest go first: {removed:?} vs {newest}"
    );
    assert!(h.pruned >= removed.len() as u64);

    // A restored engine holds and reports the same (the count lives on the rollout).
    let mut r = Engine::restore(e.snapshot());
    r.set_retention(limits);
    assert_eq!(r.event_history(&id), Some(h));
    // Repeats of an event still find it after pruning moved the list (the index is rebuilt).
    run(&mut r, 60);
    let ids = all_event_ids(&r, &id);
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique);
}

#[test]
fn actions_past_the_limit_are_removed_oldest_first_and_counted() {
    let mut e = setup(STRATEGY_PLAIN, "plain", "abort", 5);
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    e.set_retention(Retention {
        max_events: 5_000,
        max_actions: 2,
    });
    run(&mut e, 5);
    let now = e.now();
    for (i, action) in [ActionKind::Pause, ActionKind::Resume, ActionKind::Pause]
        .into_iter()
        .enumerate()
    {
        e.act(&id, action, &format!("user{i}"), now).unwrap();
    }
    let d = detail(&e, &id);
    let actors: Vec<&str> = d.activity.iter().map(|a| a.actor.as_str()).collect();
    assert_eq!(actors, ["user1", "user2"]);
    assert_eq!(d.activity_pruned, 1);
    assert_eq!(e.actions_pruned(&id), 1);
    assert!(e.drain_changes().iter().any(|c| matches!(
        c,
        Change::ActionsPruned { rollout_id, removed: 1 } if *rollout_id == id
    )));
}

/// `n` SpotDeployments `from..` on `cluster`, named by annotation (no RolloutSpec).
fn workloads_on(cluster: &str, range: std::ops::Range<usize>) -> String {
    range
        .map(|i| {
            spot_deployment(
                "shop",
                &format!("svc-{i}"),
                "registry.example.com/svc:1.0.0",
                2,
                &[("oceancd.spot.io/cluster-id", cluster)],
            )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

/// The ids of the events of no rollout on `cluster` the engine holds.
fn cluster_event_ids(e: &Engine, cluster: &str) -> Vec<u64> {
    e.snapshot()
        .events
        .iter()
        .filter(|r| r.event.rollout_id.is_none() && r.event.cluster_id == cluster)
        .map(|r| r.event.id)
        .collect()
}

#[test]
fn events_of_no_rollout_are_bounded_per_cluster_newest_kept_and_counted() {
    let mut e = engine();
    let limits = Retention {
        max_events: 5,
        max_actions: 1_000,
    };
    e.set_retention(limits);
    // First revisions go live without a rollout: their events belong to none.
    let cluster = "prod-us-east";
    apply(&mut e, &workloads_on(cluster, 0..4));
    run(&mut e, 60);
    e.drain_changes();

    let now = e.now();
    e.apply(&workloads_on(cluster, 4..24), now).unwrap();
    e.advance_to(now + chrono::Duration::seconds(60));
    let changes = e.drain_changes();
    let delta = e.take_state_delta();

    let held = cluster_event_ids(&e, cluster);
    assert!(
        held.len() <= limits.max_events + limits.slack(),
        "held {} events of no rollout",
        held.len()
    );
    let h = e.cluster_event_history(cluster).unwrap();
    assert_eq!(h.events.len(), 5, "reads never show more than the limit");
    assert_eq!(h.limit, 5);
    assert!(h.events.iter().all(|ev| ev.rollout_id.is_none()));

    // The oldest go first: every removed event is older than every one kept.
    let mut last_seen = std::collections::HashMap::new();
    for c in &changes {
        if let Change::Event(ev) = c {
            last_seen.insert(ev.id, ev.last_timestamp);
        }
    }
    let removed = pruned_ids(&changes, &EventOwner::Cluster(cluster.into()));
    assert!(!removed.is_empty(), "pruning is reported as a change");
    assert!(removed.iter().all(|r| !held.contains(r)));
    let oldest_kept = h.events.iter().map(|ev| ev.last_timestamp).min().unwrap();
    assert!(removed
        .iter()
        .filter_map(|r| last_seen.get(r))
        .all(|t| *t <= oldest_kept));
    assert!(
        h.pruned >= removed.len() as u64,
        "{} < {}",
        h.pruned,
        removed.len()
    );

    // The delta drops the removed rows and carries the count on the cluster's record.
    for r in &removed {
        assert!(
            delta.events.removed.contains(&r.to_string()),
            "event {r} is not in the delta's removed keys"
        );
    }
    let record = delta
        .clusters
        .upserts
        .iter()
        .find(|(_, c)| c.id == cluster)
        .map(|(_, c)| c.clone())
        .expect("the cluster's record is in the delta");
    assert!(record.events_pruned >= removed.len() as u64);

    // Another cluster's bucket, and rollouts, are untouched.
    let other = e.clusters().into_iter().find(|c| c.id != cluster).unwrap();
    assert_eq!(e.cluster_event_history(&other.id).unwrap().pruned, 0);
    assert_eq!(e.cluster_event_history("no-such-cluster"), None);

    // A restored engine holds and reports the same (the count lives on the cluster).
    let mut r = Engine::restore(e.snapshot());
    r.set_retention(limits);
    assert_eq!(r.cluster_event_history(cluster), Some(h));
}
