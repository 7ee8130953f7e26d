//! `advance_to` must be cheap: the server seeds a week of history by simulating it.

mod common;
use chrono::Duration;
use common::*;
use rollout_api::RolloutStatus;
use std::time::Instant;

const STRATEGY: &str = r#"apiVersion: spot.io/v1beta1
kind: Strategy
name: weekly
canary:
  backgroundVerification:
    templateNames:
      - success-rate
  steps:
    - setWeight: 20
      verification:
        templateNames:
          - success-rate
    - setWeight: 50
      pause:
        duration: 5m
    - setWeight: 100
"#;

#[test]
fn a_simulated_week_with_sixty_rollouts_takes_little_time() {
    let mut e = engine();
    let names = [
        "checkout",
        "cart",
        "search",
        "pricing",
        "catalog",
        "inventory",
    ];
    let mut yaml = vec![
        STRATEGY.to_string(),
        TEMPLATE_SUCCESS_RATE.to_string(),
        PROVIDER_PROMETHEUS.to_string(),
    ];
    for n in names {
        yaml.push(services("shop", n));
        yaml.push(rollout_spec("shop", n, "weekly", "abort"));
        yaml.push(spot_deployment(
            "shop",
            n,
            &format!("registry.example.com/{n}:1.0.0"),
            5,
            &[],
        ));
    }
    apply(&mut e, &yaml.join("---\n"));
    let started = Instant::now();
    let week = 7 * 24 * 3600;
    let every = week / 60;
    let mut ids = Vec::new();
    for i in 0..60 {
        let at = t0() + Duration::seconds(i * every + 60);
        e.advance_to(at);
        let n = names[i as usize % names.len()];
        let fault: &[(&str, &str)] = match i % 5 {
            1 => &[("sim.rollout.dev/crash-loop", "true")],
            3 => &[("sim.rollout.dev/metric-value", "0.5")],
            _ => &[],
        };
        let sd = spot_deployment(
            "shop",
            n,
            &format!("registry.example.com/{n}:2.{i}.0"),
            5,
            fault,
        );
        let resp = e.apply(&sd, at).unwrap();
        ids.extend(resp.rollouts_started);
        e.drain_changes();
    }
    e.advance_to(t0() + Duration::seconds(week));
    let elapsed = started.elapsed();
    let statuses: Vec<RolloutStatus> = ids.iter().map(|id| detail(&e, id).status).collect();
    assert_eq!(ids.len(), 60);
    assert!(statuses.contains(&RolloutStatus::Finished));
    assert!(statuses.contains(&RolloutStatus::Failed));
    assert!(statuses.contains(&RolloutStatus::Aborted));
    assert!(statuses.iter().all(|s| s.is_completed()), "{statuses:?}");
    eprintln!(
        "a week with 60 rollouts: {elapsed:?}, {} events",
        e.events_since(0).len()
    );
    // Generous for debug builds on a small machine; release is far below.
    assert!(elapsed.as_secs() < 60, "{elapsed:?}");
}
