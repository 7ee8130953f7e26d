//! The dry run of an apply (`Engine::plan_apply`): for each scenario the plan says what the real
//! apply of the same stream then does, and planning leaves the engine exactly as it was.

mod common;
use common::*;
use rollout_api::{self as api, ApplyOutcome, PlannedOutcome, RolloutStatus};
use rollout_engine::{validate, Engine};

fn state(e: &Engine) -> serde_json::Value {
    serde_json::to_value(e.snapshot()).unwrap()
}

/// Plans `yaml`, checks that planning changed nothing, applies it for real and checks the two
/// agree. Returns both.
fn plan_then_apply(e: &mut Engine, yaml: &str) -> (api::ApplyPlan, api::ApplyResponse) {
    let before = state(e);
    let plan = e.plan_apply(validate::check_stream(yaml).expect("a stream"));
    assert_eq!(state(e), before, "planning changed the engine");
    assert!(plan.valid(), "{plan:?}");
    let resp = apply(e, yaml);
    assert_agree(e, &plan, &resp);
    (plan, resp)
}

fn assert_agree(e: &Engine, plan: &api::ApplyPlan, resp: &api::ApplyResponse) {
    assert_eq!(plan.documents.len(), resp.applied.len());
    for (p, a) in plan.documents.iter().zip(&resp.applied) {
        let outcome = match a.outcome {
            ApplyOutcome::Created => PlannedOutcome::Created,
            ApplyOutcome::Configured => PlannedOutcome::Configured,
            ApplyOutcome::Unchanged => PlannedOutcome::Unchanged,
        };
        assert_eq!(
            (p.outcome, &p.kind, &p.name, &p.namespace),
            (outcome, &a.kind, &a.name, &a.namespace),
            "document {}",
            p.index
        );
    }
    // Started rollouts are named by their SpotDeployment in the plan (they have no id yet).
    let started: Vec<String> = resp
        .rollouts_started
        .iter()
        .map(|id| {
            let r = e.rollout_summary(id).unwrap();
            format!(
                "{}/{}/{}",
                r.cluster_id, r.namespace, r.spot_deployment.name
            )
        })
        .collect();
    assert_eq!(plan.rollouts_started, started);
    assert_eq!(plan.rollouts_canceled, resp.rollouts_canceled);
    assert_eq!(plan.rollouts_resumed, resp.rollouts_resumed);
    assert_eq!(
        plan.messages.len(),
        resp.messages.len(),
        "{plan:?} / {resp:?}"
    );
}

fn outcomes(plan: &api::ApplyPlan) -> Vec<PlannedOutcome> {
    plan.documents.iter().map(|d| d.outcome).collect()
}

/// checkout's services, strategy, RolloutSpec and first version, as one stream.
fn app() -> String {
    [
        services("payments", "checkout"),
        STRATEGY_PLAIN.to_string(),
        rollout_spec("payments", "checkout", "plain", "abort"),
        checkout("1.0.0"),
    ]
    .join("---\n")
}

fn checkout(version: &str) -> String {
    spot_deployment(
        "payments",
        "checkout",
        &format!("registry.example.com/checkout:{version}"),
        5,
        &[],
    )
}

/// The app applied, its first version live.
fn live() -> Engine {
    let mut e = engine();
    apply(&mut e, &app());
    run(&mut e, 30);
    e
}

#[test]
fn creating_everything_is_planned_as_created_and_nothing_starts() {
    let mut e = engine();
    let (plan, _) = plan_then_apply(&mut e, &app());
    assert_eq!(outcomes(&plan), vec![PlannedOutcome::Created; 5]);
    assert!(plan.rollouts_started.is_empty());
    let sd = &plan.documents[4];
    assert_eq!(sd.kind, "SpotDeployment");
    assert_eq!(sd.before, None);
    assert!(sd.after.as_deref().unwrap().contains("checkout:1.0.0"));
    assert!(
        plan.messages[0].contains("would be created"),
        "{:?}",
        plan.messages
    );
}

#[test]
fn a_new_image_would_start_a_rollout_with_the_diff_of_the_document() {
    let mut e = live();
    let (plan, resp) = plan_then_apply(&mut e, &checkout("1.1.0"));
    assert_eq!(outcomes(&plan), vec![PlannedOutcome::Configured]);
    assert_eq!(
        plan.rollouts_started,
        vec!["prod-us-east/payments/checkout"]
    );
    assert_eq!(resp.rollouts_started.len(), 1);
    let d = &plan.documents[0];
    assert!(d.before.as_deref().unwrap().contains("checkout:1.0.0"));
    assert!(d.after.as_deref().unwrap().contains("checkout:1.1.0"));
    assert!(
        plan.messages[0].starts_with("A rollout of payments/checkout revision 2 would start"),
        "{:?}",
        plan.messages
    );
}

#[test]
fn the_live_version_applied_again_would_cancel_the_rollout_in_flight() {
    let mut e = live();
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 5);
    let (plan, resp) = plan_then_apply(&mut e, &checkout("1.0.0"));
    assert_eq!(plan.rollouts_canceled, vec![id.clone()]);
    assert_eq!(resp.rollouts_canceled, vec![id.clone()]);
    assert!(plan.rollouts_started.is_empty());
    assert!(plan.messages[0].contains("would be canceled"), "{plan:?}");
    assert_eq!(detail(&e, &id).status, RolloutStatus::Canceled);
}

#[test]
fn a_newer_version_would_cancel_the_rollout_in_flight_and_start_another() {
    let mut e = live();
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 5);
    let (plan, _) = plan_then_apply(&mut e, &checkout("1.2.0"));
    assert_eq!(plan.rollouts_canceled, vec![id]);
    assert_eq!(
        plan.rollouts_started,
        vec!["prod-us-east/payments/checkout"]
    );
    assert!(plan
        .messages
        .iter()
        .any(|m| m.ends_with("would be canceled: replaced by a new rollout")));
}

#[test]
fn fixing_an_invalid_spec_would_resume_the_rollout() {
    let mut e = without_canary_service();
    let id = deploy(&mut e, "registry.example.com/checkout:1.1.0", &[]);
    run(&mut e, 30);
    assert_eq!(detail(&e, &id).status, RolloutStatus::InvalidSpec);
    let canary = services("payments", "checkout")
        .split("---\n")
        .nth(1)
        .unwrap()
        .to_string();
    let (plan, _) = plan_then_apply(&mut e, &canary);
    assert_eq!(outcomes(&plan), vec![PlannedOutcome::Created]);
    assert_eq!(plan.rollouts_resumed, vec![id.clone()]);
    assert!(plan.messages[0].contains("would resume"), "{plan:?}");
    assert_eq!(detail(&e, &id).status, RolloutStatus::InProgress);
}

#[test]
fn the_same_stream_again_is_unchanged_throughout() {
    let mut e = live();
    let (plan, _) = plan_then_apply(&mut e, &app());
    assert_eq!(outcomes(&plan), vec![PlannedOutcome::Unchanged; 5]);
    assert!(plan.documents.iter().all(|d| d.after.is_none()));
    assert!(plan.documents.iter().all(|d| d.before.is_some()));
    assert!(plan.rollouts_started.is_empty() && plan.messages.is_empty());
}

#[test]
fn every_invalid_document_is_reported_at_its_line_and_nothing_would_apply() {
    let mut e = live();
    let before = state(&e);
    // Document 1 is fine, 2 has a step weight past 100,
    // 3 names an unknown cluster, 4 is not YAML at all.
    let yaml = format!(
        "{}---\n{}---\n{}---\nkind: [unclosed\n",
        checkout("2.0.0"),
        STRATEGY_PLAIN.replace("setWeight: 50", "setWeight: 250"),
        rollout_spec("payments", "other", "plain", "abort").replace("prod-us-east", "moon-base"),
    );
    let stream = validate::check_stream(&yaml).unwrap();
    let plan = e.plan_apply(stream);
    assert_eq!(state(&e), before, "planning changed the engine");
    assert!(!plan.valid());
    assert_eq!(
        outcomes(&plan),
        vec![
            PlannedOutcome::Configured,
            PlannedOutcome::Invalid,
            PlannedOutcome::Invalid,
            PlannedOutcome::Invalid
        ]
    );
    let text: Vec<&str> = yaml.lines().collect();
    for d in &plan.documents[1..] {
        let line = d.line.expect("a line");
        assert!(line >= 1 && line <= text.len(), "{d:?}");
        assert!(!d.message.as_deref().unwrap_or("").is_empty(), "{d:?}");
    }
    let strategy = &plan.documents[1];
    assert_eq!(strategy.kind, "Strategy");
    assert_eq!(strategy.name, "plain");
    assert!(
        text[strategy.line.unwrap() - 1].contains("250"),
        "line {:?}: {}",
        strategy.line,
        strategy.message.as_deref().unwrap()
    );
    let spec = &plan.documents[2];
    assert!(spec.message.as_deref().unwrap().contains("moon-base"));
    assert!(text[spec.line.unwrap() - 1].contains("moon-base"));
    assert_eq!(plan.documents[3].line, Some(text.len()));
    // Nothing would start while the stream is invalid; the real apply refuses it at the first.
    assert!(plan.rollouts_started.is_empty());
    assert!(plan.messages[0].contains("3 of 4 documents are invalid"));
    let now = e.now();
    let err = e.apply(&yaml, now).unwrap_err();
    assert_eq!(err.document, 2);
    assert_eq!(Some(err.line), strategy.line);
}

#[test]
fn a_dry_run_points_at_the_unknown_cluster_itself_not_an_earlier_key_of_that_name() {
    let e = live();
    // Labels say `clusterId:` first; the real field (line 9 of the stream) names no cluster.
    let spec = rollout_spec("payments", "other", "plain", "abort")
        .replace(
            "name: other-rollout\n",
            "metadata:\n  name: other-rollout\n  labels:\n    clusterId: prod-us-east\n",
        )
        .replace(
            "clusterId: prod-us-east\n  namespace",
            "clusterId: moon-base\n  namespace",
        );
    let yaml = format!("{STRATEGY_PLAIN}---\n{spec}");
    let plan = e.plan_apply(validate::check_stream(&yaml).unwrap());
    let doc = &plan.documents[1];
    assert_eq!(doc.outcome, PlannedOutcome::Invalid);
    assert!(
        doc.message.as_deref().unwrap().contains("moon-base"),
        "{doc:?}"
    );
    let line = doc.line.unwrap();
    assert_eq!(line, STRATEGY_PLAIN.lines().count() + 1 + 8);
    assert_eq!(yaml.lines().nth(line - 1), Some("  clusterId: moon-base"));
}
