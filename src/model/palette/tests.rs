use super::*;
use crate::model::workloads::fixtures::{rev, workload};
use rollout_api::{RolloutStatus, WorkloadLabel};

fn fleet() -> Vec<PaletteEntry> {
    let live = [WorkloadLabel::Live, WorkloadLabel::Desired];
    fleet_entries(&[
        workload(
            "payments-api",
            "prod-eu",
            vec![
                rev(2, "api:2.0", 1, Some(RolloutStatus::InProgress), &live),
                rev(1, "api:1.0", 9, None, &[]),
            ],
        ),
        workload(
            "checkout",
            "prod-us",
            vec![rev(4, "co:4", 2, Some(RolloutStatus::Finished), &live)],
        ),
    ])
}

fn labels(e: &[PaletteEntry]) -> Vec<&str> {
    e.iter().map(|e| e.label.as_str()).collect()
}

#[test]
fn the_fleet_gives_pages_workloads_and_the_rollouts_of_their_revisions() {
    let all = fleet();
    assert_eq!(
        all.iter().filter(|e| e.group == "Page").count(),
        PAGES.len()
    );
    let rollout = all
        .iter()
        .find(|e| e.label == "payments-api revision 2")
        .unwrap();
    assert_eq!(rollout.target, PaletteTarget::Go("/rollouts/rol-2".into()));
    assert!(
        rollout.detail.contains("prod-eu / payments"),
        "{}",
        rollout.detail
    );
    // A revision without a rollout has no entry.
    assert!(!all.iter().any(|e| e.label == "payments-api revision 1"));
    let w = all.iter().find(|e| e.label == "checkout").unwrap();
    assert_eq!(
        w.target,
        PaletteTarget::Go("/workloads/prod-us/payments/checkout".into())
    );
}

#[test]
fn a_name_prefix_ranks_before_a_match_in_the_detail_and_letters_in_order_still_match() {
    let all = fleet();
    let hits = ranked(&all, "check", &[], 10);
    assert_eq!(labels(&hits)[..2], ["checkout", "checkout revision 4"]);
    assert_eq!(
        labels(&ranked(&all, "prod-us", &[], 10)),
        ["checkout", "checkout revision 4"]
    );
    assert_eq!(labels(&ranked(&all, "pyapi", &[], 10))[0], "payments-api");
    assert_eq!(labels(&ranked(&all, "attention", &[], 10)), ["Attention"]);
    assert!(ranked(&all, "zzz", &[], 10).is_empty());
    // Several words: each must match somewhere.
    assert_eq!(
        labels(&ranked(&all, "payments 2", &[], 10))[0],
        "payments-api revision 2"
    );
}

#[test]
fn actions_come_first_then_recent_entries_and_the_list_is_capped() {
    let mut all = fleet();
    all.push(action_entry(ActionKind::Promote, "Promote", "payments-api"));
    let recent = remember(&[], "/clusters");
    let shown = ranked(&all, "", &recent, 3);
    assert_eq!(labels(&shown), ["Promote", "Clusters", "Rollouts"]);
    assert_eq!(remember(&recent, "/rollouts"), ["/rollouts", "/clusters"]);
    assert_eq!(remember(&["a".into(), "b".into()], "b"), ["b", "a"]);
}
