//! A controller bug met while moving one rollout stops that rollout (failed, with the reason)
//! and nothing else: the clock runs on for every other rollout, and the stopped rollout is never
//! ticked again, not even after a restart.

mod common;
use common::*;
use rollout_api::{FailureReasonType, RolloutStatus};

fn two_rollouts() -> (rollout_engine::Engine, String, String) {
    let mut e = engine();
    let mut yaml = vec![STRATEGY_PLAIN.to_string()];
    for name in ["checkout", "cart"] {
        yaml.push(services("payments", name));
        yaml.push(rollout_spec("payments", name, "plain", "abort"));
        yaml.push(spot_deployment(
            "payments",
            name,
            &format!("registry.example.com/{name}:1"),
            3,
            &[],
        ));
    }
    apply(&mut e, &yaml.join("---\n"));
    run(&mut e, 30);
    let ids: Vec<String> = ["checkout", "cart"]
        .iter()
        .map(|name| {
            apply(
                &mut e,
                &spot_deployment(
                    "payments",
                    name,
                    &format!("registry.example.com/{name}:2"),
                    3,
                    &[],
                ),
            )
            .rollouts_started[0]
                .clone()
        })
        .collect();
    (e, ids[0].clone(), ids[1].clone())
}

#[test]
fn a_panic_in_one_rollout_fails_it_and_the_others_carry_on() {
    let (mut e, broken, healthy) = two_rollouts();
    run(&mut e, 2);
    assert_eq!(detail(&e, &broken).status, RolloutStatus::InProgress);
    e.inject_panic(Some(&broken));
    run(&mut e, 5);
    let faults = e.take_faults();
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert_eq!(faults[0].rollout_id, broken);
    assert!(faults[0].message.contains("injected controller fault"));

    let d = detail(&e, &broken);
    assert_eq!(d.status, RolloutStatus::Failed);
    let reason = d.failure_reason.expect("a reason");
    assert_eq!(reason.kind, FailureReasonType::ControllerError);
    assert!(
        reason.message.contains("internal error"),
        "{}",
        reason.message
    );
    assert!(d.end_time.is_some());
    assert!(event_reasons(&e, &broken).contains(&"RolloutFailed".to_string()));

    // The other rollout finishes; the broken one is never ticked again.
    run_until_status(&mut e, &healthy, RolloutStatus::Finished, 900);
    assert!(e.take_faults().is_empty(), "no replay of the same panic");
    let w = e.workload("prod-us-east", "payments", "checkout").unwrap();
    assert!(
        w.degraded,
        "its canary was scaled away: the workload is Degraded"
    );

    // A restart restores it completed: still no replay, even with the fault still armed.
    let mut e = rollout_engine::Engine::restore(e.snapshot());
    e.inject_panic(Some(&broken));
    run(&mut e, 600);
    assert!(e.take_faults().is_empty());
    assert_eq!(detail(&e, &broken).status, RolloutStatus::Failed);
}
