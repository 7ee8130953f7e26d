//! Retention: a rollout keeps its newest events and actions up to the limits; what is removed
//! is counted on the rollout and reported as changes (so the store deletes the same rows).

mod common;
use common::*;
use rollout_api::ActionKind;
use rollout_engine::{Change, Engine, Retention};

fn all_event_ids(e: &Engine, id: &str) -> Vec<u64> {
    e.events(id).unwrap().iter().map(|ev| ev.id).collect()
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
    let removed: Vec<u64> = e
        .drain_changes()
        .into_iter()
        .filter_map(|c| match c {
            Change::EventsPruned { rollout_id, ids } if rollout_id == id => Some(ids),
            _ => None,
        })
        .flatten()
        .collect();
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
