//! Scale figures (`make bench`, release): applying 1,000 SpotDeployments in one stream, and one
//! simulated second with 1,000 live rollouts. Ignored in the normal test run; the targets are
//! asserted (2 s and 10 ms) so a regression fails the benchmark.

mod common;
use common::*;
use std::time::{Duration, Instant};

const N: usize = 1_000;

#[test]
#[ignore]
fn bench_scale() {
    let mut e = engine();
    let services: Vec<String> = (0..N)
        .map(|i| services("shop", &format!("svc-{i}")))
        .collect();
    let mut specs = vec![STRATEGY_SLOW.to_string()];
    specs.extend((0..N).map(|i| rollout_spec("shop", &format!("svc-{i}"), "slow", "abort")));
    let started = Instant::now();
    apply(&mut e, &services.join("---\n"));
    apply(&mut e, &specs.join("---\n"));
    let entities = started.elapsed();

    let v1 = spot_deployments(N, "1.0.0");
    let started = Instant::now();
    apply(&mut e, &v1);
    let first = started.elapsed();
    run(&mut e, 60);

    let v2 = spot_deployments(N, "2.0.0");
    let started = Instant::now();
    let resp = apply(&mut e, &v2);
    let second = started.elapsed();
    assert_eq!(resp.rollouts_started.len(), N);
    // Let every canary come up, then time steady seconds.
    run(&mut e, 60);
    let live = e
        .rollouts()
        .iter()
        .filter(|r| !r.status.is_completed())
        .count();
    assert_eq!(live, N, "every rollout is live (paused in its window)");
    let seconds = 20;
    let started = Instant::now();
    for _ in 0..seconds {
        run(&mut e, 1);
        e.drain_changes();
    }
    let per_second = started.elapsed() / seconds;

    println!(
        "engine: apply {} Services+RolloutSpecs {:>7.1} ms",
        2 * N + N,
        ms(entities)
    );
    println!(
        "engine: apply {N} SpotDeployments (first versions) {:>7.1} ms",
        ms(first)
    );
    println!(
        "engine: apply {N} SpotDeployments (new versions, {N} rollouts start) {:>7.1} ms  (target ≤ 2000 ms)",
        ms(second)
    );
    println!(
        "engine: one simulated second with {live} live rollouts {:>7.2} ms  (target ≤ 10 ms)",
        ms(per_second)
    );
    assert!(second < Duration::from_secs(2) && first < Duration::from_secs(2));
    assert!(per_second < Duration::from_millis(10));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
