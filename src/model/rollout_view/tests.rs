use super::*;
use chrono::Duration;

// The sample rollout, shared with the API crate's banner tests; the console's other model tests
// take it from here.
pub(crate) use rollout_api::fixtures::{phase, sample, t0, verification};

#[test]
fn images_split_before_their_name_and_tag() {
    assert_eq!(
        image_parts("registry.example.com/payments/checkout:1.42.0"),
        ("registry.example.com/payments/", "checkout:1.42.0")
    );
    assert_eq!(image_parts("nginx:1.27"), ("", "nginx:1.27"));
    assert_eq!(
        image_parts("ghcr.io/a/b@sha256:ab/cd"),
        ("ghcr.io/a/", "b@sha256:ab/cd")
    );
}

#[test]
fn menu_follows_the_engine_guards_with_reasons() {
    let d = sample();
    let menu = menu_actions(&d);
    let labels: Vec<_> = menu.iter().map(|m| m.label).collect();
    assert_eq!(
        labels,
        [
            "Promote",
            "Promote all",
            "Pause",
            "Resume",
            "Roll back",
            "Retry"
        ]
    );
    let retry = menu.iter().find(|m| m.kind == ActionKind::Retry).unwrap();
    assert!(!retry.enabled);
    assert_eq!(
        retry.reason.as_deref(),
        Some("Only a completed rollout can be retried")
    );
    let mut no_actions = sample();
    no_actions.actions.clear();
    assert!(menu_actions(&no_actions)
        .iter()
        .all(|m| !m.enabled && m.reason.is_some()));
}

#[test]
fn confirmations_say_what_will_happen() {
    let d = sample();
    let promote = confirm_text(ActionKind::Promote, &d);
    assert!(
        promote.contains("canary-20") && promote.contains("canary-50") && promote.contains("50%")
    );
    assert!(confirm_text(ActionKind::Rollback, &d).contains("checkout:1.4"));
    assert!(confirm_text(ActionKind::PromoteFull, &d).contains("100%"));
}

#[test]
fn duration_ticks_while_running_and_stops_at_the_end() {
    let mut d = sample();
    assert_eq!(rollout_duration(&d, t0() + Duration::seconds(65)), "1m 05s");
    d.end_time = Some(t0() + Duration::seconds(30));
    assert_eq!(rollout_duration(&d, t0() + Duration::hours(5)), "30s");
}

#[test]
fn replicas_are_named_by_pod_version_and_status() {
    use rollout_api::{Pod, PodHealth, PodVersion};
    let mut v = sample().new_version_status;
    let icons = replica_views(&v, "canary");
    assert_eq!(icons.len(), 4);
    assert_eq!(icons[0].label, "Replica 1 of the canary version, ready");
    v.pods = vec![Pod {
        name: "checkout-7c9-x2".into(),
        replica_set: "checkout-7c9".into(),
        version: PodVersion::Latest,
        status: "CrashLoopBackOff".into(),
        health: PodHealth::Failing,
        containers_readiness: "0/1".into(),
        ready: false,
        restarts: 4,
        node: "n1".into(),
        created_at: t0(),
    }];
    let icons = replica_views(&v, "canary");
    assert_eq!(icons[0].health, "failing");
    assert_eq!(
        icons[0].label,
        "Pod checkout-7c9-x2, canary version, failing (CrashLoopBackOff, 4 restarts)"
    );
}
