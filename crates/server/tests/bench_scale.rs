//! Scale figures through the whole server path (`make bench`, release): engine, SQLite store
//! (a temporary data dir) and the live stream. Ignored in the normal test run; the targets are
//! asserted (2 s and 10 ms) so a regression fails the benchmark.

use rollout_server::{boot, ClockMode};
use std::time::{Duration, Instant};

const N: usize = 1_000;

fn services(i: usize) -> String {
    ["stable", "canary"]
        .iter()
        .map(|role| {
            format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}-{role}\n  namespace: shop\nspec:\n  selector:\n    app: svc-{i}\n  ports:\n    - port: 80\n"
            )
        })
        .collect::<Vec<_>>()
        .join("---\n")
}

fn spec(i: usize) -> String {
    format!(
        "kind: RolloutSpec\nname: svc-{i}\nspotDeployment:\n  clusterId: prod-us-east\n  namespace: shop\n  name: svc-{i}\nstrategy:\n  name: slow\ntraffic:\n  stableService: svc-{i}-stable\n  canaryService: svc-{i}-canary\n"
    )
}

fn spot_deployment(i: usize, version: &str) -> String {
    format!(
        "apiVersion: spot.io/v1beta1\nkind: SpotDeployment\nmetadata:\n  name: svc-{i}\n  namespace: shop\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: svc-{i}\n  template:\n    metadata:\n      labels:\n        app: svc-{i}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/svc-{i}:{version}\n"
    )
}

fn stream(f: impl Fn(usize) -> String) -> String {
    (0..N).map(f).collect::<Vec<_>>().join("---\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn bench_server_scale() {
    let dir = tempfile::tempdir().unwrap();
    let core = boot::open(&boot::Options {
        data_dir: Some(dir.path().to_path_buf()),
        demo: false,
        mode: ClockMode::Manual,
    })
    .await
    .unwrap()
    .core;
    let ok = |r: Result<Result<rollout_api::ApplyResponse, rollout_engine::ApplyError>, _>| {
        r.map_err(|e: rollout_server::core::PersistError| e.0)
            .unwrap()
            .unwrap()
    };
    ok(core.apply(stream(services), "bench").await);
    let strategy = "kind: Strategy\nname: slow\ncanary:\n  steps:\n    - setWeight: 10\n      pause:\n        duration: 1h\n    - setWeight: 100\n";
    ok(core
        .apply(format!("{strategy}---\n{}", stream(spec)), "bench")
        .await);
    let started = Instant::now();
    ok(core
        .apply(stream(|i| spot_deployment(i, "1.0.0")), "bench")
        .await);
    let first = started.elapsed();
    core.advance(60).await.unwrap();
    let started = Instant::now();
    let resp = ok(core
        .apply(stream(|i| spot_deployment(i, "2.0.0")), "bench")
        .await);
    let second = started.elapsed();
    assert_eq!(resp.rollouts_started.len(), N);
    core.advance(60).await.unwrap();
    let seconds = 20;
    let store = core.store().expect("a store").clone();
    let mut rows = 0;
    let started = Instant::now();
    for _ in 0..seconds {
        core.advance(1).await.unwrap();
        rows += store.last_write_rows();
    }
    let per_second = started.elapsed() / seconds;
    let stored = store.counts().await.unwrap().engine_rows;
    // The one-hour windows end together: the seconds in which every rollout moves on (phase
    // promoted, scaled to 100 %, pods replaced, finished). Not a target: what a delta costs
    // when it holds nearly everything.
    core.advance(3600 - 2 * 60 - seconds as u64 - 30)
        .await
        .unwrap();
    let (mut busiest, mut busiest_rows) = (Duration::ZERO, 0);
    for _ in 0..120 {
        let started = Instant::now();
        core.advance(1).await.unwrap();
        let took = started.elapsed();
        if took > busiest {
            (busiest, busiest_rows) = (took, store.last_write_rows());
        }
        if core.rollouts().iter().all(|r| r.end_time.is_some()) {
            break;
        }
    }
    let finished = core
        .rollouts()
        .iter()
        .filter(|r| r.end_time.is_some())
        .count();
    println!(
        "server: apply {N} SpotDeployments (first versions, stored) {:>7.1} ms",
        ms(first)
    );
    println!(
        "server: apply {N} SpotDeployments (new versions, {N} rollouts start, stored) {:>7.1} ms  (target ≤ 2000 ms)",
        ms(second)
    );
    println!(
        "server: one simulated second with {N} live rollouts, stored and streamed {:>7.2} ms  (target ≤ 10 ms)",
        ms(per_second)
    );
    println!(
        "server: engine-state rows written per steady second {:>7.1}  (of {stored} stored)",
        rows as f64 / seconds as f64
    );
    println!(
        "server: busiest simulated second as {N} pause windows end ({finished} finished) {:>7.1} ms  ({busiest_rows} engine-state rows written)",
        ms(busiest)
    );
    assert!(second < Duration::from_secs(2) && first < Duration::from_secs(2));
    assert!(per_second < Duration::from_millis(10));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
