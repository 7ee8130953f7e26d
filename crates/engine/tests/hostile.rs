//! Hostile and careless input: every value derived from YAML is checked against a cap before it
//! is stored or simulated, so the answer is an error naming document, field and line, quickly,
//! never a panic later inside a tick. Each of the issue's probes is reproduced here.

mod common;
use common::*;
use std::time::{Duration, Instant};

fn refused(e: &mut rollout_engine::Engine, yaml: &str) -> rollout_engine::ApplyError {
    let now = e.now();
    let started = Instant::now();
    let err = e.apply(yaml, now).expect_err("should be refused");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "refusing took {:?}",
        started.elapsed()
    );
    err
}

fn template_with(field_lines: &str) -> String {
    format!(
        r#"kind: VerificationTemplate
name: success-rate
metrics:
  - name: success-rate
{field_lines}    successCondition: result[0] >= 0.95
    provider:
      prometheus:
        query: up
"#
    )
}

#[test]
fn a_metric_interval_of_nine_trillion_seconds_is_refused_with_its_line() {
    let mut e = engine();
    let yaml = format!(
        "{}---\n{}",
        STRATEGY_PLAIN,
        template_with("    interval: 9000000000000\n")
    );
    let err = refused(&mut e, &yaml);
    assert_eq!(err.document, 2);
    assert!(err.message.contains("metrics[0].interval"), "{err}");
    assert!(err.message.contains("30 days"), "{err}");
    // STRATEGY_PLAIN has 11 lines, then `---`; the interval is the 5th line of document 2.
    assert_eq!((err.line, err.column), (17, 5), "{err}");
}

#[test]
fn every_duration_has_the_30_day_cap() {
    let mut e = engine();
    for (lines, field) in [
        ("    interval: 31d\n", "metrics[0].interval"),
        ("    initialDelay: 721h\n", "metrics[0].initialDelay"),
        (
            "    interval: 99999999999999999999999999h\n",
            "metrics[0].interval",
        ),
        ("    interval: 1e308h\n", "metrics[0].interval"),
    ] {
        let err = refused(&mut e, &template_with(lines));
        assert!(err.message.starts_with(field), "{lines}: {err}");
        assert_eq!(err.line, 5, "{lines}: {err}");
    }
    let pause = "kind: Strategy\nname: long\ncanary:\n  steps:\n    - setWeight: 50\n      pause:\n        duration: 8760h\n";
    let err = refused(&mut e, pause);
    assert!(err.message.starts_with("pause.duration"), "{err}");
    assert_eq!(err.line, 7);
    let deadline = spot_deployment("payments", "checkout", "img:1", 3, &[]).replace(
        "spec:\n  replicas: 3",
        "spec:\n  progressDeadlineSeconds: 99999999999\n  replicas: 3",
    );
    let err = refused(&mut e, &deadline);
    assert!(
        err.message.starts_with("spec.progressDeadlineSeconds"),
        "{err}"
    );
    // A window of exactly 30 days is accepted.
    let ok = "kind: Strategy\nname: month\ncanary:\n  steps:\n    - setWeight: 50\n      pause:\n        duration: 720h\n";
    apply(&mut e, ok);
}

#[test]
fn replicas_of_two_hundred_thousand_and_two_million_are_refused_at_once() {
    for replicas in [200_000u32, 2_000_000, 1_001] {
        let mut e = engine();
        let yaml = spot_deployment("payments", "checkout", "img:1", replicas, &[]);
        let err = refused(&mut e, &yaml);
        assert!(err.message.starts_with("spec.replicas"), "{err}");
        assert!(err.message.contains("1000"), "{err}");
        assert_eq!(err.line, 9, "{err}");
        assert_eq!(e.workloads().len(), 0, "nothing applied");
    }
    let mut e = engine();
    apply(
        &mut e,
        &spot_deployment(
            "payments",
            "checkout",
            "img:1",
            1_000,
            &[("oceancd.spot.io/cluster-id", "prod-us-east")],
        ),
    );
}

/// The issue's 15 KB "billion laughs": nine levels of nine aliases.
fn alias_bomb() -> String {
    let mut s = String::from("kind: Strategy\nname: lol\na0: &a0 [");
    s.push_str(&vec!["\"lol-lol-lol-lol\""; 60].join(","));
    s.push_str("]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    while s.len() < 15_000 {
        s.push_str("# padding to the probe's size\n");
    }
    s
}

#[test]
fn a_yaml_alias_bomb_is_refused_in_milliseconds() {
    let mut e = engine();
    let yaml = alias_bomb();
    assert!(yaml.len() >= 15_000);
    let started = Instant::now();
    let err = refused(&mut e, &yaml);
    assert!(err.message.contains("aliases"), "{err}");
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn counts_steps_metrics_documents_and_string_lengths_have_caps() {
    let mut e = engine();
    let err = refused(&mut e, &template_with("    count: 4000000000\n"));
    assert!(err.message.starts_with("metrics[0].count"), "{err}");

    let mut steps = String::from("kind: Strategy\nname: many\ncanary:\n  steps:\n");
    for w in 1..=100 {
        steps.push_str(&format!("    - setWeight: {w}\n"));
    }
    apply(&mut e, &steps);
    steps.push_str("    - setWeight: 100\n");
    let err = refused(&mut e, &steps.replace("name: many", "name: too-many"));
    assert!(err.message.starts_with("canary.steps"), "{err}");

    let mut metrics = String::from("kind: VerificationTemplate\nname: wide\nmetrics:\n");
    for i in 0..51 {
        metrics.push_str(&format!(
            "  - name: m{i}\n    provider:\n      web:\n        url: http://x/{i}\n"
        ));
    }
    let err = refused(&mut e, &metrics);
    assert!(err.message.starts_with("metrics:"), "{err}");

    let docs = vec!["kind: Strategy\nname: s\ncanary:\n  steps:\n    - setWeight: 10\n"; 2001]
        .join("---\n");
    let err = refused(&mut e, &docs);
    assert_eq!(err.document, 2001, "{err}");

    let long = format!(
        "kind: VerificationTemplate\nname: long\nmetrics:\n  - name: m\n    provider:\n      prometheus:\n        query: \"{}\"\n",
        "x".repeat(20_000)
    );
    let err = refused(&mut e, &long);
    assert!(err.message.starts_with("query:"), "{err}");
    assert_eq!(err.line, 7);

    let long_name = spot_deployment("payments", &"a".repeat(300), "img:1", 1, &[]);
    let err = refused(&mut e, &long_name);
    assert!(err.message.contains("Kubernetes name"), "{err}");

    let huge = format!("kind: Strategy\nname: big\n# {}\n", "x".repeat(300 * 1024));
    let err = refused(&mut e, &huge);
    assert!(err.message.contains("bytes"), "{err}");
}

#[test]
fn metric_values_from_annotations_must_be_finite() {
    let mut e = engine();
    for v in ["NaN", "inf", "-infinity"] {
        let yaml = spot_deployment(
            "payments",
            "checkout",
            "img:1",
            1,
            &[("sim.rollout.dev/metric-value", v)],
        );
        let err = refused(&mut e, &yaml);
        assert!(err.message.contains("expected a number"), "{v}: {err}");
    }
}

#[test]
fn a_tick_never_overflows_on_values_stored_before_the_caps() {
    // A state restored from an older database may hold values past today's caps: the engine
    // saturates instead of panicking.
    let mut e = setup(STRATEGY_VERIFIED, "verified", "abort", 3);
    let id = deploy(&mut e, "registry.example.com/checkout:2.0.0", &[]);
    let mut state = e.snapshot();
    for r in &mut state.rollouts {
        r.progress_deadline_seconds = u64::MAX;
        for p in &mut r.phases {
            p.pause = Some(Some(u64::MAX));
            for v in &mut p.verifications {
                v.interval_seconds = u64::MAX;
                v.initial_delay_seconds = u64::MAX;
            }
        }
    }
    let mut e = rollout_engine::Engine::restore(state);
    run(&mut e, 3600);
    assert!(e.rollout(&id).is_some());
}

/// A strategy whose third step asks for a 99,999-day pause, written in flow style after a
/// second step that pauses one hour the same way.
const STRATEGY_LONG_PAUSE: &str = include_str!("fixtures/long-pause-strategy.yaml");

#[test]
fn a_value_past_a_cap_is_reported_at_its_own_line_and_column_in_any_document() {
    let mut e = engine();
    let err = refused(&mut e, STRATEGY_LONG_PAUSE);
    assert!(err.message.starts_with("pause.duration"), "{err}");
    assert!(err.message.contains("30 days"), "{err}");
    // `duration` of the third step: line 8, after `    - {setWeight: 80, pause: {`.
    assert_eq!((err.document, err.line, err.column), (1, 8, 31), "{err}");

    // The same document second in a stream: STRATEGY_PLAIN has 11 lines, then `---`.
    let stream = format!("{STRATEGY_PLAIN}---\n{STRATEGY_LONG_PAUSE}");
    let err = refused(&mut e, &stream);
    assert_eq!((err.document, err.line, err.column), (2, 20, 31), "{err}");
    // The dry run points at the same place.
    let checked = rollout_engine::validate::check_stream(&stream).expect("two documents");
    let err = checked.results[1]
        .as_ref()
        .expect_err("the second is refused");
    assert_eq!((err.document, err.line, err.column), (2, 20, 31), "{err}");
    assert!(checked.results[0].is_ok());
}

#[test]
fn a_cap_on_a_later_item_names_that_item_not_the_first_of_its_kind() {
    let mut e = engine();
    // Too many templates on the second step, not the first.
    let names = vec!["t"; 51].join(", ");
    let yaml = format!(
        "kind: Strategy\nname: wide\ncanary:\n  steps:\n    - setWeight: 10\n      verification:\n        templateNames: [t]\n    - setWeight: 50\n      verification:\n        templateNames: [{names}]\n"
    );
    let err = refused(&mut e, &yaml);
    assert!(err.message.starts_with("templateNames"), "{err}");
    assert_eq!((err.line, err.column), (10, 9), "{err}");
    // A query too long in the second metric, not the first.
    let yaml = format!(
        "kind: VerificationTemplate\nname: long\nmetrics:\n  - name: a\n    provider: {{prometheus: {{query: up}}}}\n  - name: b\n    provider:\n      prometheus:\n        query: \"{}\"\n",
        "x".repeat(20_000)
    );
    let err = refused(&mut e, &yaml);
    assert!(err.message.starts_with("query:"), "{err}");
    assert_eq!((err.line, err.column), (9, 9), "{err}");
}
