//! The tests of the attention inbox (attention.rs): which details it needs, what each reason
//! says and since when, and its order.

use super::*;
use crate::model::clusters::fixtures::cluster;
use crate::model::rollout_view::tests::{sample, verification};
use crate::model::workloads::fixtures::{degraded, healthy, now, paused};
use chrono::Duration;
use rollout_api::{
    DataPoint, MissingDataCondition, PausedCondition, RolloutDetail, RolloutStatus, WorkloadLabel,
};

fn with_detail(id: &str, status: RolloutStatus, edit: impl Fn(&mut RolloutDetail)) -> RolloutBrief {
    let mut d = sample();
    d.status = status;
    d.phases[0].verifications.push(verification(&[]));
    d.id = id.into();
    d.cluster_id = "staging-eu".into();
    d.namespace = "payments".into();
    d.spot_deployment.name = "search".into();
    edit(&mut d);
    // As the inbox reads it: the whole detail's JSON, decoded into the brief.
    serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap()
}

#[test]
fn the_inbox_needs_the_details_of_rollouts_in_flight_and_of_rolled_back_ones() {
    assert_eq!(
        wanted_details(&[degraded(), paused(), healthy()]),
        ["rol-2", "rol-3"]
    );
}

#[test]
fn a_pause_without_a_window_waits_for_promote_since_it_paused() {
    let d = with_detail("rol-2", RolloutStatus::Paused, |d| {
        d.conditions.paused = Some(PausedCondition {
            kind: PauseKind::Indefinite,
            paused_at: now() - Duration::minutes(15),
            until: None,
            phase: "canary-20".into(),
        });
    });
    let details = HashMap::from([(d.id.clone(), d)]);
    let items = attention_items(&[paused()], &[], &details);
    assert_eq!(items.len(), 1);
    let it = &items[0];
    assert_eq!(it.reason, Reason::AwaitingPromote);
    assert_eq!(it.subject, "search");
    assert_eq!(it.place, "staging-eu / payments");
    assert_eq!(it.href, "/rollouts/rol-2");
    assert_eq!(it.waited(now()), "waiting 15m 00s");
    assert!(it.is_about("staging-eu", "payments", "search"));

    // A window pause moves on by itself: nothing to do.
    let mut details = details;
    details
        .get_mut("rol-2")
        .unwrap()
        .conditions
        .paused
        .as_mut()
        .unwrap()
        .kind = PauseKind::Window;
    assert!(attention_items(&[paused()], &[], &details).is_empty());
}

#[test]
fn failure_policy_invalid_spec_and_missing_data_each_say_why() {
    let d = with_detail("rol-2", RolloutStatus::FailurePolicyPaused, |d| {
        d.conditions.paused = Some(PausedCondition {
            kind: PauseKind::FailurePolicy,
            paused_at: now() - Duration::minutes(12),
            until: None,
            phase: "canary-20".into(),
        });
        d.conditions.invalid_spec = Some("Service `x-canary` is missing".into());
        d.conditions.verification_data_missing = Some(MissingDataCondition {
            metric_name: d.phases[0].verifications[0].metric_name.clone(),
            provider: "prometheus (prom)".into(),
            message: "unreachable".into(),
        });
        let v = &mut d.phases[0].verifications[0];
        v.data_points = [
            (9, DataPointStatus::Successful),
            (6, DataPointStatus::Error),
            (3, DataPointStatus::Error),
        ]
        .into_iter()
        .map(|(m, status)| DataPoint {
            timestamp: now() - Duration::minutes(m),
            value: None,
            status,
            message: None,
        })
        .collect();
    });
    let details = HashMap::from([(d.id.clone(), d)]);
    let items = attention_items(&[paused()], &[], &details);
    let reasons: Vec<Reason> = items.iter().map(|i| i.reason).collect();
    // Longest waiting first: paused 12m ago, no data for 6m, invalid since the start.
    assert!(reasons.contains(&Reason::FailurePolicyPaused));
    assert!(reasons.contains(&Reason::InvalidSpec));
    let missing = items
        .iter()
        .find(|i| i.reason == Reason::VerificationDataMissing)
        .unwrap();
    assert_eq!(missing.since, Some(now() - Duration::minutes(6)));
    assert!(missing.why.contains("run the query by hand"));
    let invalid = items
        .iter()
        .find(|i| i.reason == Reason::InvalidSpec)
        .unwrap();
    assert!(invalid
        .why
        .starts_with("Service `x-canary` is missing. It resumes by itself"));
    let sinces: Vec<_> = items.iter().map(|i| i.since).collect();
    let mut sorted = sinces.clone();
    sorted.sort_by_key(|s| (s.is_none(), *s));
    assert_eq!(sinces, sorted);
}

#[test]
fn degraded_workloads_and_lost_heartbeats_are_in_the_inbox() {
    let rolled_back = with_detail("rol-3", RolloutStatus::Aborted, |d| {
        d.end_time = Some(now() - Duration::minutes(40));
    });
    let details = HashMap::from([(rolled_back.id.clone(), rolled_back)]);
    let lost = cluster("staging-eu", true, Some(now() - Duration::minutes(6)));
    let ok = cluster("prod-us-east", false, Some(now()));
    let items = attention_items(&[degraded(), healthy()], &[lost, ok], &details);
    assert_eq!(items.len(), 2);
    let d = items.iter().find(|i| i.reason == Reason::Degraded).unwrap();
    assert_eq!(d.href, "/workloads/prod-us-east/payments/payments-api");
    assert_eq!(d.since, Some(now() - Duration::minutes(40)));
    assert!(d
        .why
        .starts_with("Revision 3 was rolled back and revision 2 runs as stable"));
    let h = items
        .iter()
        .find(|i| i.reason == Reason::HeartbeatLost)
        .unwrap();
    assert_eq!(h.since, Some(now() - Duration::minutes(6)));
    assert_eq!(h.href, "/clusters#cluster-staging-eu");
    assert!(h
        .why
        .contains("none will start until the operator reports again"));
    // Longest waiting first.
    assert_eq!(items[0].reason, Reason::Degraded);

    // Once the live version is applied again, the workload leaves the inbox.
    let mut fixed = degraded();
    fixed.degraded = false;
    fixed.desired_revision = 2;
    for r in &mut fixed.revisions {
        r.labels.retain(|l| *l == WorkloadLabel::Live);
    }
    assert!(attention_items(&[fixed], &[], &details).is_empty());
}
